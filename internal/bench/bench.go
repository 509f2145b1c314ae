// Package bench measures how many requests a second Conform's HTTP server
// answers, and how quickly, beside a bare net/http handler on the same
// SQLite driver that gives the ceiling of the machine it runs on. Both
// servers run as child processes (the same binary) and are driven over
// loopback with keep-alive clients, one phase per workload and concurrency.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/store"
)

// Config says what to run and for how long.
type Config struct {
	// Exe is the conform binary, started as `bench --bare-server`, `user
	// create`, `token create` and `serve`.
	Exe string
	// Env is the environment of the child processes.
	Env []string
	// Database is a PostgreSQL URL for the real server; empty runs it on
	// SQLite in a temporary directory. The bare server always uses SQLite.
	Database string
	// Resource is what the real server creates and reads: "teams" or
	// "organisations".
	Resource string
	// Concurrency lists the numbers of concurrent clients, one phase each.
	Concurrency []int
	// Duration is how long each phase is measured, after Warmup.
	Duration, Warmup time.Duration
	// WorkDir holds the temporary data directories; empty for the system's.
	WorkDir string
	// Keep leaves the data directories in place.
	Keep bool
	// Progress gets a line per phase as it finishes; nil for none.
	Progress io.Writer
}

// Run starts both servers, measures every phase on each and stops them.
func Run(ctx context.Context, cfg Config) (Report, error) {
	rep := Report{
		Started: time.Now().UTC(), Engine: "sqlite", Resource: cfg.Resource,
		DurationSeconds: cfg.Duration.Seconds(), WarmupSeconds: cfg.Warmup.Seconds(),
		GoVersion: runtime.Version(), CPUs: runtime.NumCPU(), PeakRSSPerPhase: true,
		LoadBefore: loadAverage(),
	}
	total0, steal0 := cpuTimes()
	if cfg.Database != "" {
		if !store.IsPostgres(cfg.Database) {
			return rep, errors.New("the database must be a postgres:// URL")
		}
		rep.Engine = "postgres"
	}
	if cfg.Resource != "teams" && cfg.Resource != "organisations" {
		return rep, fmt.Errorf("unknown resource %q: want teams or organisations", cfg.Resource)
	}
	if len(cfg.Concurrency) == 0 || cfg.Duration <= 0 {
		return rep, errors.New("need at least one concurrency and a positive duration")
	}
	progress := cfg.Progress
	if progress == nil {
		progress = io.Discard
	}
	runID, err := randomID()
	if err != nil {
		return rep, err
	}
	work, err := os.MkdirTemp(cfg.WorkDir, "conform-bench-")
	if err != nil {
		return rep, err
	}
	if cfg.Keep {
		fmt.Fprintf(progress, "data directories are kept in %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}

	bare, err := startChild(ctx, "bare", cfg.Exe, cfg.Env, "bench", "--bare-server", "--data-dir", filepath.Join(work, "bare"), "--addr", "127.0.0.1:0")
	if err != nil {
		return rep, err
	}
	defer bare.stop()

	dbArgs := []string{"--data-dir", filepath.Join(work, "conform")}
	if cfg.Database != "" {
		dbArgs = []string{"--database", cfg.Database}
	}
	email := "bench-" + runID + "@conform.example"
	if _, err := runCommand(ctx, cfg.Exe, cfg.Env, append([]string{"user", "create", "--email", email, "--name", "Bench " + runID, "--role", "admin", "--no-password"}, dbArgs...)...); err != nil {
		return rep, err
	}
	out, err := runCommand(ctx, cfg.Exe, cfg.Env, append([]string{"token", "create", "--user", email, "--name", "bench " + runID}, dbArgs...)...)
	if err != nil {
		return rep, err
	}
	token := strings.TrimSpace(out)
	conformSrv, err := startChild(ctx, "conform", cfg.Exe, cfg.Env, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, dbArgs...)...)
	if err != nil {
		return rep, err
	}
	defer conformSrv.stop()

	nameBody := func(name string) []byte {
		b, _ := json.Marshal(struct {
			Name string `json:"name"`
		}{name})
		return b
	}
	bareT := &target{name: "bare", base: bare.base, createPath: "/items", readPath: "/items", createBody: nameBody, runID: runID}
	path := "/api/v1/" + cfg.Resource
	realT := &target{name: "conform", base: conformSrv.base, token: token, createPath: path, readPath: path, createBody: nameBody, runID: runID}
	rep.CreatePath, rep.ReadPath = "POST "+path, "GET "+path+"/{id}"

	for _, workload := range []string{Create, Read} {
		for _, c := range cfg.Concurrency {
			ph := Phase{Workload: workload, Concurrency: c}
			if ph.Bare, err = measure(ctx, bare, bareT, workload, c, cfg, &rep); err != nil {
				return rep, err
			}
			fmt.Fprintln(progress, ph.Bare.line("bare", workload, c))
			if ph.Conform, err = measure(ctx, conformSrv, realT, workload, c, cfg, &rep); err != nil {
				return rep, err
			}
			fmt.Fprintln(progress, ph.Conform.line("conform", workload, c))
			if ph.Bare.PerSecond > 0 {
				ph.Ratio = ph.Conform.PerSecond / ph.Bare.PerSecond
			}
			rep.Phases = append(rep.Phases, ph)
		}
	}
	rep.LoadAfter = loadAverage()
	if total1, steal1 := cpuTimes(); total1 > total0 {
		rep.StealPercent = 100 * float64(steal1-steal0) / float64(total1-total0)
	}
	rep.Targets = checkTargets(rep)
	return rep, nil
}

// measure warms up, then measures one phase on one server.
func measure(ctx context.Context, srv *child, t *target, workload string, concurrency int, cfg Config, rep *Report) (Result, error) {
	if err := srv.resetPeakRSS(); err != nil {
		rep.PeakRSSPerPhase = false // the peak is then the process's lifetime peak
	}
	if cfg.Warmup > 0 {
		if _, err := drive(ctx, t, workload, concurrency, cfg.Warmup); err != nil {
			return Result{}, err
		}
	}
	s, err := drive(ctx, t, workload, concurrency, cfg.Duration)
	if err != nil {
		return Result{}, err
	}
	if gone, werr := srv.exited(); gone {
		return Result{}, fmt.Errorf("%s server exited during the %s phase at concurrency %d (%v): %s", srv.name, workload, concurrency, werr, srv.stderr)
	}
	r := Result{
		Requests: s.ok, Errors: s.errors, FirstError: s.firstErr, Seconds: s.elapsed.Seconds(),
		PerSecond: float64(s.ok) / s.elapsed.Seconds(),
		P50ms:     ms(percentile(s.latencies, 50)), P99ms: ms(percentile(s.latencies, 99)), MaxMs: ms(percentile(s.latencies, 100)),
	}
	r.PeakRSSBytes, _ = srv.peakRSS()
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func randomID() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
