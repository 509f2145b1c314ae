// Package cli is the conform command: its subcommands, flags (each with a
// CONFORM_ environment twin) and the wiring of store, use cases, server and
// jobs. main only calls Run, so the whole program runs in tests.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// env is the process environment, passed in for tests.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web UI, JSON API and background jobs", runServe},
		{"migrate", "apply database migrations (--status lists them)", runMigrate},
		{"demo", "load the demo organisation into a fresh database", runDemo},
		{"user", "manage users: user create", runUser},
		{"token", "manage API tokens: token create", runToken},
		{"audit", "check the audit trail: audit verify", runAudit},
		{"openapi", "print the JSON API's OpenAPI 3.1 document", runOpenAPI},
		{"bench", "measure HTTP throughput and latency against a bare handler", runBench},
		{"version", "print the version", runVersion},
	}
}

// Run runs the conform command with args and returns the exit code.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			case errors.Is(err, errFailed):
				return 1
			}
			fmt.Fprintf(stderr, "conform %s: %s\n", c.name, describe(err))
			return 1
		}
	}
	fmt.Fprintf(stderr, "conform: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

var (
	errUsage  = errors.New("usage")
	errFailed = errors.New("failed") // already reported
)

func describe(err error) string {
	if e := errs.As(err); e != nil && e.Code == errs.Invalid && len(e.Fields) > 0 {
		var parts []string
		for _, f := range e.Fields {
			parts = append(parts, fmt.Sprintf("--%s %s", strings.ReplaceAll(f.Field, "_", "-"), f.Reason))
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Conform %s: IT service management for ISO/IEC 20000-1:2018\n\nUsage: conform <command> [flags]\n\nCommands:\n", version())
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nEvery flag can also be set as an environment variable: --data-dir is CONFORM_DATA_DIR, --database is CONFORM_DATABASE, and so on.\nRun conform <command> --help for a command's flags.")
}

// flags makes a FlagSet whose errors and help go to stderr.
func flags(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("conform "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: conform %s\n\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprintln(e.stderr, "\nEach flag has an environment twin: --some-flag is CONFORM_SOME_FLAG.")
	}
	return fs
}

// parse applies CONFORM_ environment variables, then the arguments, which win.
func parse(e env, fs *flag.FlagSet, args []string) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name := "CONFORM_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := e.getenv(name); v != "" && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s=%q: %w", name, v, err)
			}
		}
	})
	if envErr != nil {
		fmt.Fprintln(e.stderr, envErr)
		return errUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// dbFlags are shared by every command that touches data.
type dbFlags struct {
	dataDir  string
	database string
}

func (d *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.dataDir, "data-dir", "conform-data", "directory of the embedded SQLite database (conform.db); used unless --database is set")
	fs.StringVar(&d.database, "database", "", "PostgreSQL URL, e.g. postgres://user@host/db; empty for the embedded SQLite database")
}

func (d *dbFlags) config() store.Config {
	return store.Config{DataDir: d.dataDir, DatabaseURL: d.database}
}

// open connects and migrates, as every data command does before work.
func (d *dbFlags) open(ctx context.Context, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, d.config())
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for _, m := range applied {
		log.Info("applied migration", "version", m.Version, "name", m.Name)
	}
	return db, nil
}

func openApp(ctx context.Context, d *dbFlags, log *slog.Logger, cfg app.Config) (*store.DB, *app.App, error) {
	db, err := d.open(ctx, log)
	if err != nil {
		return nil, nil, err
	}
	a, err := app.New(ctx, db, log, cfg)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, a, nil
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, errs.Field("log-level", "must be debug, info, warn or error")
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, errs.Field("log-format", "must be text or json")
}

func runVersion(_ context.Context, e env, _ []string) error {
	fmt.Fprintf(e.stdout, "conform %s\n", version())
	return nil
}

func runMigrate(ctx context.Context, e env, args []string) error {
	fs := flags(e, "migrate", "migrate [--status] [--data-dir DIR | --database URL]")
	var d dbFlags
	d.register(fs)
	status := fs.Bool("status", false, "list the migrations and when each was applied, without applying any")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	db, err := store.Open(ctx, d.config())
	if err != nil {
		return err
	}
	defer db.Close()
	if !*status {
		applied, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		for _, m := range applied {
			log.Info("applied migration", "version", m.Version, "name", m.Name)
		}
		fmt.Fprintf(e.stdout, "%d migration(s) applied; database %s is up to date\n", len(applied), db.Where())
		return nil
	}
	ms, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for _, m := range ms {
		at := "pending"
		if m.AppliedAt != nil {
			at = "applied " + m.AppliedAt.UTC().Format(time.RFC3339)
		}
		if m.Engine != "" && m.Engine != db.Engine() {
			at += " (for " + m.Engine + " only: nothing to do here)"
		}
		fmt.Fprintf(e.stdout, "%04d  %-20s %s\n", m.Version, m.Name, at)
	}
	return nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
