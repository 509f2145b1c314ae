// Package cli is the conform command: its subcommands, flags (the
// installation-wide ones with a CONFORM_ environment twin) and the wiring of
// store, use cases, server and jobs. main only calls Run, so the whole
// program runs in tests.
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
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/areas"
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

// A command is a leaf that runs, or a group (user, token, audit) that only
// names its subcommands.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
	// fields maps the use-case fields a run can report (email,
	// organisation_id, expires_at ...) to the flag that feeds each, so that
	// an error names what the user typed.
	fields map[string]string
	subs   []command
}

func commands() []command {
	return []command{
		{name: "serve", summary: "run the web UI, JSON API and background jobs", run: runServe, fields: serveFields},
		{name: "migrate", summary: "apply database migrations (--status lists them)", run: runMigrate},
		{name: "demo", summary: "load the demo organisation into a fresh database", run: runDemo},
		{name: "user", summary: "manage users", subs: []command{
			{name: "create", summary: "create a user (and the provider organisation if there is none yet)", run: runUserCreate, fields: userCreateFields},
		}},
		{name: "token", summary: "manage API tokens", subs: []command{
			{name: "create", summary: "print a new API token that acts for a user", run: runTokenCreate, fields: tokenCreateFields},
		}},
		{name: "audit", summary: "check the audit trail", subs: []command{
			{name: "verify", summary: "walk the audit trail's hash chain and name the first altered or removed entry", run: runAuditVerify, fields: auditCheckpointFields},
			{name: "checkpoint", summary: "sign the audit chain's head and append it to the checkpoint log", run: runAuditCheckpoint, fields: auditCheckpointFields},
			{name: "key", summary: "print the public key that checks audit checkpoints", run: runAuditKey, fields: auditCheckpointFields},
		}},
		{name: "framework", summary: "list, load and export the frameworks of the requirements catalogue", subs: []command{
			{name: "list", summary: "list the frameworks loaded, with their codes and requirement counts", run: runFrameworkList, fields: dbFields},
			{name: "import", summary: "load a framework from a YAML or JSON file, or a new version of one", run: runFrameworkImport, fields: dbFields},
			{name: "export", summary: "write a framework as a file that import reads back unchanged", run: runFrameworkExport, fields: dbFields},
		}},
		{name: "backup", summary: "write a verified copy of the database to a file, while serve may run", run: runBackup, fields: dbFields},
		{name: "restore", summary: "restore a backup into an empty data folder or database, then verify it", run: runRestore, fields: dbFields},
		{name: "export", summary: "write every record and the audit trail to a folder as JSON lines and CSV, or an audit's evidence pack (export evidence-pack)", run: runExport, fields: dbFields},
		{name: "openapi", summary: "print the JSON API's OpenAPI 3.1 document", run: runOpenAPI},
		{name: "bench", summary: "measure HTTP throughput and latency against a bare handler", run: runBench},
		{name: "version", summary: "print the version", run: runVersion},
	}
}

// Run runs the conform command with args and returns the exit code: 0 for
// success and for help, 1 when the work failed, 2 for a usage error.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch {
	case isHelp(args[0]):
		usage(stdout)
		return 0
	case args[0] == "--version" || args[0] == "-version":
		args = []string{"version"}
	case args[0] == "help":
		if len(args) == 1 || isHelp(args[1]) || args[1] == "help" {
			usage(stdout)
			return 0
		}
		// conform help user create is conform user create --help.
		args = append(append([]string(nil), args[1:]...), "--help")
	}
	return dispatch(ctx, e, "conform", commands(), args)
}

func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// dispatch finds args[0] among cmds (the commands under path) and runs it.
func dispatch(ctx context.Context, e env, path string, cmds []command, args []string) int {
	var c *command
	for i := range cmds {
		if cmds[i].name == args[0] {
			c = &cmds[i]
		}
	}
	if c == nil {
		fmt.Fprintf(e.stderr, "%s: unknown command %q\n\n", path, args[0])
		if path == "conform" {
			usage(e.stderr)
		} else {
			groupUsage(e.stderr, path, cmds)
		}
		return 2
	}
	path += " " + c.name
	if c.subs != nil {
		switch {
		case len(args) == 1:
			fmt.Fprintf(e.stderr, "%s: which command?\n\n", path)
			groupUsage(e.stderr, path, c.subs)
			return 2
		case isHelp(args[1]):
			groupUsage(e.stdout, path, c.subs)
			return 0
		}
		return dispatch(ctx, e, path, c.subs, args[1:])
	}
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
	fmt.Fprintf(e.stderr, "%s: %s\n", path, describe(err, c.fields))
	return 1
}

var (
	errUsage  = errors.New("usage")  // already reported
	errFailed = errors.New("failed") // already reported
)

// describe says what went wrong, naming for each bad field the flag that
// fed it (fields), or the bare field name when no flag did.
func describe(err error, fields map[string]string) string {
	if e := errs.As(err); e != nil && e.Code == errs.Invalid && len(e.Fields) > 0 {
		var parts []string
		for _, f := range e.Fields {
			name, ok := fields[f.Field]
			if !ok {
				name = f.Field
			}
			parts = append(parts, name+" "+f.Reason)
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Conform %s: IT service management for ISO/IEC 20000-1:2018\n\nUsage: conform <command> [flags]\n\nCommands:\n", version())
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, c := range commands() {
		if c.subs == nil {
			fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
		}
		for _, s := range c.subs {
			fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, s.name, s.summary)
		}
	}
	fmt.Fprintf(tw, "  help [command]\tprint this help, or a command's (conform help user create)\n")
	tw.Flush()
	fmt.Fprint(w, `
The database flags --data-dir and --database, and the server settings of
serve, can also be set in the environment: --data-dir is CONFORM_DATA_DIR,
--addr is CONFORM_ADDR, and so on; a flag on the command line wins. Flags
that describe a record, such as user create's --role, never read the
environment. Each command's --help marks its environment twins.

Run conform <command> --help for a command's flags.
`)
}

// groupUsage lists the subcommands of a group such as conform user.
func groupUsage(w io.Writer, path string, subs []command) {
	fmt.Fprintf(w, "Usage: %s <command> [flags]\n\nCommands:\n", path)
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, s := range subs {
		fmt.Fprintf(tw, "  %s\t%s\n", s.name, s.summary)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun %s <command> --help for a command's flags.\n", path)
}

// flagSet is a command's flags, with what flag.FlagSet does not keep: the
// order of declaration (for help and for reporting missing flags), which
// flags are required and which have a CONFORM_ environment twin.
type flagSet struct {
	*flag.FlagSet
	e        env
	path     string // conform user create
	synopsis string
	about    string
	order    []string
	required []string
	twins    map[string]bool
}

// flags makes the flag set of the command at path ("user create"). Errors
// go to stderr; --help goes to stdout.
func flags(e env, path, synopsis, about string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("conform "+path, flag.ContinueOnError), e: e, path: "conform " + path,
		synopsis: synopsis, about: about, twins: map[string]bool{}}
	// parse prints the help, or the error with a hint, itself.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

func (fs *flagSet) note(name string) { fs.order = append(fs.order, name) }

func (fs *flagSet) String(name, value, usage string) *string {
	fs.note(name)
	return fs.FlagSet.String(name, value, usage)
}

func (fs *flagSet) StringVar(p *string, name, value, usage string) {
	fs.note(name)
	fs.FlagSet.StringVar(p, name, value, usage)
}

func (fs *flagSet) Bool(name string, value bool, usage string) *bool {
	fs.note(name)
	return fs.FlagSet.Bool(name, value, usage)
}

func (fs *flagSet) Int64(name string, value int64, usage string) *int64 {
	fs.note(name)
	return fs.FlagSet.Int64(name, value, usage)
}

func (fs *flagSet) Duration(name string, value time.Duration, usage string) *time.Duration {
	fs.note(name)
	return fs.FlagSet.Duration(name, value, usage)
}

// require marks flags that must be given on the command line.
func (fs *flagSet) require(names ...string) { fs.required = append(fs.required, names...) }

// fromEnv gives flags a CONFORM_ environment twin. Only installation-wide
// settings get one: a record's data taken silently from the environment
// (CONFORM_ROLE=admin) would be a trap.
func (fs *flagSet) fromEnv(names ...string) {
	for _, n := range names {
		fs.twins[n] = true
	}
}

func envName(flagName string) string {
	return "CONFORM_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parse reads the arguments, then the environment twins of the flags the
// arguments left unset, then checks that every required flag was given.
func (fs *flagSet) parse(args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help(fs.e.stdout)
			return err
		}
		fmt.Fprintf(fs.e.stderr, "%s: %v\nRun %s --help for its flags.\n", fs.path, err, fs.path)
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.e.stderr, "%s: unexpected argument %q\nRun %s --help for its flags.\n", fs.path, fs.Arg(0), fs.path)
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range fs.order {
		if !fs.twins[name] || set[name] {
			continue
		}
		if v := fs.e.getenv(envName(name)); v != "" {
			if err := fs.Set(name, v); err != nil {
				fmt.Fprintf(fs.e.stderr, "%s: %s=%q: %v\n", fs.path, envName(name), v, err)
				return errUsage
			}
		}
	}
	var missing []string
	for _, name := range fs.required {
		if !set[name] {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(fs.e.stderr, "%s: missing %s\nRun %s --help for its flags.\n", fs.path, strings.Join(missing, ", "), fs.path)
		return errUsage
	}
	return nil
}

// help prints the synopsis and every flag in the order declared, saying
// which are required and which have an environment twin.
func (fs *flagSet) help(w io.Writer) {
	fmt.Fprintln(w, strings.TrimSpace("Usage: "+fs.path+" "+fs.synopsis))
	if fs.about != "" {
		fmt.Fprintf(w, "\n%s\n", fs.about)
	}
	names := append([]string(nil), fs.order...)
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	fs.VisitAll(func(f *flag.Flag) { // any declared without note, sorted
		if !seen[f.Name] {
			names = append(names, f.Name)
		}
	})
	if len(names) == 0 {
		fmt.Fprintln(w, "\nNo flags.")
		return
	}
	required := map[string]bool{}
	for _, n := range fs.required {
		required[n] = true
	}
	fmt.Fprintln(w, "\nFlags:")
	var twins []string
	for _, n := range names {
		f := fs.Lookup(n)
		kind, text := flag.UnquoteUsage(f)
		line := "  --" + n
		if kind != "" {
			line += " " + kind
		}
		if fs.twins[n] {
			line += "   [$" + envName(n) + "]"
			twins = append(twins, "--"+n)
		}
		if required[n] {
			text += " (required)"
		} else if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "0s" {
			if strings.Contains(d, " ") {
				d = strconv.Quote(d)
			}
			text += " (default " + d + ")"
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, text)
	}
	if len(twins) == 0 {
		fmt.Fprintln(w, "\nNone of these flags reads the environment.")
		return
	}
	fmt.Fprintf(w, "\nThe flags marked [$CONFORM_...] (%s) may also be set in the\nenvironment; a flag on the command line wins. No other flag reads the environment.\n",
		strings.Join(twins, ", "))
}

// dbFlags are shared by every command that touches data.
type dbFlags struct {
	dataDir  string
	database string
}

func (d *dbFlags) register(fs *flagSet) {
	fs.StringVar(&d.dataDir, "data-dir", "conform-data", "`directory` of the embedded SQLite database (conform.db); used unless --database is set")
	fs.StringVar(&d.database, "database", "", "PostgreSQL `URL`, e.g. postgres://user@host/db; empty for the embedded SQLite database")
	fs.fromEnv("data-dir", "database")
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

// openAreas is openApp with every area of the product added (which
// loads the built-in framework if it is missing or out of date).
func openAreas(ctx context.Context, d *dbFlags, log *slog.Logger, cfg app.Config) (*store.DB, *app.App, *areas.Areas, error) {
	db, a, err := openApp(ctx, d, log, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	as, err := areas.Add(ctx, a)
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, a, as, nil
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

func runVersion(_ context.Context, e env, args []string) error {
	fs := flags(e, "version", "", "Print the version of this binary.")
	if err := fs.parse(args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "conform %s\n", version())
	return nil
}

func runMigrate(ctx context.Context, e env, args []string) error {
	fs := flags(e, "migrate", "[--status] [--data-dir DIR | --database URL]",
		"Apply the database migrations that are pending (serve does this on start too).")
	status := fs.Bool("status", false, "list the migrations and when each was applied, without applying any")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(args); err != nil {
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
