package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/bench"
)

func runBench(ctx context.Context, e env, args []string) error {
	// The bare baseline server is this binary in a mode left out of --help:
	// `conform bench` starts it as a child process.
	if len(args) > 0 && args[0] == "--bare-server" {
		return runBareServer(ctx, e, args[1:])
	}
	// No flag here has an environment twin: a CONFORM_DATABASE meant for
	// serve must not point the benchmark's writes at a real database.
	fs := flags(e, "bench", "[flags]",
		"Starts a bare net/http + SQLite server and a real conform server (both as child processes of this\nbinary, on fresh temporary data), drives each over loopback with authenticated creates and reads,\nand prints requests/s, latency percentiles, errors and peak memory side by side.")
	duration := fs.Duration("duration", 10*time.Second, "how long each phase is measured, per server")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured load before each phase")
	conc := fs.String("concurrency", "16,64", "comma-separated numbers of concurrent clients, one phase each")
	database := fs.String("database", "", "PostgreSQL URL for the real server, e.g. postgres://user@host/db; empty runs it on SQLite (the bare server always uses SQLite)")
	resource := fs.String("resource", "teams", "what the real server creates and reads: teams or organisations")
	asJSON := fs.Bool("json", false, "print the results as JSON instead of a table")
	keep := fs.Bool("keep", false, "keep the temporary data directories and print where they are")
	if err := fs.parse(args); err != nil {
		return err
	}
	var levels []int
	for _, s := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 4096 {
			fmt.Fprintf(e.stderr, "conform bench: --concurrency %q: want numbers from 1 to 4096, such as 16,64\n", *conc)
			return errUsage
		}
		levels = append(levels, n)
	}
	if *duration <= 0 || *warmup < 0 {
		fmt.Fprintln(e.stderr, "conform bench: --duration must be positive and --warmup not negative")
		return errUsage
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this binary to start the servers: %w", err)
	}
	rep, err := bench.Run(ctx, bench.Config{
		Exe: exe, Env: childEnv(), Database: *database, Resource: *resource,
		Concurrency: levels, Duration: *duration, Warmup: *warmup, Keep: *keep, Progress: e.stderr,
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return rep.WriteJSON(e.stdout)
	}
	return rep.WriteTable(e.stdout)
}

// childEnv is this process's environment without CONFORM_ variables, so
// that the servers use exactly the flags the benchmark gives them.
func childEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CONFORM_") {
			out = append(out, kv)
		}
	}
	return out
}

func runBareServer(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("conform bench --bare-server", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dataDir := fs.String("data-dir", "", "directory of the baseline's SQLite database (required)")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if *dataDir == "" {
		fmt.Fprintln(e.stderr, "conform bench --bare-server: --data-dir is required")
		return errUsage
	}
	return bench.ServeBare(ctx, *dataDir, *addr, e.stdout)
}
