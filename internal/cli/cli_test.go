package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/cli"
	"github.com/conform-itsm/conform/internal/store"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// TestHelpAndVersion checks that help goes to stdout with exit 0, and that
// mistakes go to stderr with exit 2 and say what would have been right.
func TestHelpAndVersion(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // each must appear, in this order
		stderr     []string // each must appear, in this order
		notStdout  []string
		notStderr  []string
		emptyOther bool // nothing on the stream that is not checked
	}{
		{name: "--version", args: []string{"--version"}, stdout: []string{"conform "}, emptyOther: true},
		{name: "version", args: []string{"version"}, stdout: []string{"conform "}, emptyOther: true},
		{name: "help", args: []string{"help"}, stdout: []string{"Usage: conform <command>", "serve", "run the web UI", "user create", "token create", "audit verify", "openapi", "version"}, emptyOther: true},
		{name: "--help", args: []string{"--help"}, stdout: []string{"Usage: conform <command>", "user create", "--help"}, emptyOther: true},
		{name: "-h", args: []string{"-h"}, stdout: []string{"Usage: conform <command>", "user create"}, emptyOther: true},
		{name: "no arguments", args: nil, code: 2, stderr: []string{"Usage: conform <command>", "user create"}, emptyOther: true},
		{name: "help command", args: []string{"help", "serve"}, stdout: []string{"Usage: conform serve", "--addr", "--data-dir"}, emptyOther: true},
		{name: "help command sub", args: []string{"help", "user", "create"}, stdout: []string{"Usage: conform user create", "--email", "--name", "--role"}, emptyOther: true},
		{name: "help group", args: []string{"help", "audit"}, stdout: []string{"Usage: conform audit <command>", "verify"}, emptyOther: true},
		{name: "serve --help", args: []string{"serve", "--help"},
			stdout:     []string{"Usage: conform serve", "--addr", "[$CONFORM_ADDR]", "--demo", "[$CONFORM_DEMO]", "--log-level", "--no-jobs", "--data-dir", "[$CONFORM_DATA_DIR]", "--database", "[$CONFORM_DATABASE]"},
			emptyOther: true},
		{name: "migrate --help", args: []string{"migrate", "--help"}, stdout: []string{"Usage: conform migrate", "--status", "--data-dir", "[$CONFORM_DATA_DIR]"}, emptyOther: true},
		{name: "user create --help", args: []string{"user", "create", "--help"},
			stdout:     []string{"Usage: conform user create", "--email", "(required)", "--name", "(required)", "--role", "admin", "(required)", "--organisation-id", "--password-stdin", "--no-password", "--data-dir", "[$CONFORM_DATA_DIR]"},
			notStdout:  []string{"CONFORM_EMAIL", "CONFORM_NAME", "CONFORM_ROLE", "CONFORM_ORGANISATION_ID", "CONFORM_PASSWORD_STDIN", "CONFORM_NO_PASSWORD"},
			emptyOther: true},
		{name: "token create --help", args: []string{"token", "create", "--help"},
			stdout:     []string{"Usage: conform token create", "--user", "--name", "--expires", "YYYY-MM-DD", "--data-dir"},
			notStdout:  []string{"CONFORM_USER", "CONFORM_NAME", "CONFORM_EXPIRES"},
			emptyOther: true},
		{name: "audit verify --help", args: []string{"audit", "verify", "--help"}, stdout: []string{"Usage: conform audit verify", "--data-dir", "--database"}, emptyOther: true},
		{name: "bench --help", args: []string{"bench", "--help"}, stdout: []string{"Usage: conform bench", "--duration", "--database", "None of these flags reads the environment"}, notStdout: []string{"[$"}, emptyOther: true},
		{name: "openapi -h", args: []string{"openapi", "-h"}, stdout: []string{"Usage: conform openapi", "No flags."}, emptyOther: true},
		{name: "user --help", args: []string{"user", "--help"}, stdout: []string{"Usage: conform user <command>", "create", "create a user"}, emptyOther: true},
		{name: "token --help", args: []string{"token", "--help"}, stdout: []string{"Usage: conform token <command>", "create"}, emptyOther: true},
		{name: "user without subcommand", args: []string{"user"}, code: 2, stderr: []string{"conform user: which command?", "create"}, emptyOther: true},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2,
			stderr: []string{`conform: unknown command "frobnicate"`, "serve", "user create", "token create", "audit verify"}, emptyOther: true},
		{name: "help unknown command", args: []string{"help", "frobnicate"}, code: 2, stderr: []string{`unknown command "frobnicate"`, "serve"}, emptyOther: true},
		{name: "unknown user subcommand", args: []string{"user", "list"}, code: 2,
			stderr: []string{`conform user: unknown command "list"`, "create"}, notStderr: []string{"--email"}, emptyOther: true},
		{name: "unknown token subcommand", args: []string{"token", "revoke", "--name", "x"}, code: 2,
			stderr: []string{`conform token: unknown command "revoke"`, "create"}, notStderr: []string{"--user"}, emptyOther: true},
		{name: "unknown audit subcommand", args: []string{"audit", "list"}, code: 2, stderr: []string{`conform audit: unknown command "list"`, "verify"}, emptyOther: true},
		{name: "unknown flag", args: []string{"serve", "--no-such-flag"}, code: 2, stderr: []string{"no-such-flag", "conform serve --help"}, emptyOther: true},
		{name: "stray argument", args: []string{"migrate", "now"}, code: 2, stderr: []string{`unexpected argument "now"`}, emptyOther: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, "", tt.args...)
			if r.code != tt.code {
				t.Errorf("got exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
			checkInOrder(t, "stdout", r.stdout, tt.stdout)
			checkInOrder(t, "stderr", r.stderr, tt.stderr)
			for _, s := range tt.notStdout {
				if strings.Contains(r.stdout, s) {
					t.Errorf("stdout has %q, want it absent:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.notStderr {
				if strings.Contains(r.stderr, s) {
					t.Errorf("stderr has %q, want it absent:\n%s", s, r.stderr)
				}
			}
			if tt.emptyOther && tt.stdout == nil && r.stdout != "" {
				t.Errorf("got stdout %q, want nothing", r.stdout)
			}
			if tt.emptyOther && tt.stderr == nil && r.stderr != "" {
				t.Errorf("got stderr %q, want nothing", r.stderr)
			}
		})
	}
}

// checkInOrder reports each of want that is missing from got, or found
// only before the one preceding it.
func checkInOrder(t *testing.T, stream, got string, want []string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("%s lacks %q (after %q), got:\n%s", stream, w, got[:len(got)-len(rest)], got)
			return
		}
		rest = rest[i+len(w):]
	}
}

func TestMissingFlagsReportedTogether(t *testing.T) {
	env := map[string]string{"CONFORM_DATA_DIR": t.TempDir()}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"user", "create"}, "conform user create: missing --email, --name, --role\n"},
		{[]string{"user", "create", "--name", "Ann", "--no-password"}, "conform user create: missing --email, --role\n"},
		{[]string{"user", "create", "--role", "agent", "--email", "a@example.com"}, "conform user create: missing --name\n"},
		{[]string{"token", "create"}, "conform token create: missing --user, --name\n"},
		{[]string{"token", "create", "--expires", "2030-01-01", "--name", "ci"}, "conform token create: missing --user\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := run(t, env, "", tt.args...)
			if r.code != 2 || r.stdout != "" {
				t.Errorf("got exit %d and stdout %q, want exit 2 and nothing", r.code, r.stdout)
			}
			if !strings.HasPrefix(r.stderr, tt.want) || strings.Count(r.stderr, "missing") != 1 {
				t.Errorf("got stderr %q, want it to start with %q, in one message", r.stderr, tt.want)
			}
		})
	}
}

// TestErrorsNameTheFlag checks that a field error names the flag that fed
// the field, not the field's name in the use case.
func TestErrorsNameTheFlag(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CONFORM_DATA_DIR": dir}
	if r := run(t, env, "", "user", "create", "--email", "ann@example.com", "--name", "Ann", "--role", "admin", "--no-password"); r.code != 0 {
		t.Fatalf("create user: %+v", r)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"expiry in the past", "", []string{"token", "create", "--user", "ann@example.com", "--name", "t", "--expires", "2000-01-01"}, 1,
			"conform token create: --expires must be in the future\n"},
		{"unknown user and expiry time in the past", "", []string{"token", "create", "--user", "x@example.com", "--name", "t", "--expires", "2000-01-01T00:00:00Z"}, 1,
			"conform token create: --user names no user; --expires must be in the future\n"},
		{"expiry not a date", "", []string{"token", "create", "--user", "ann@example.com", "--name", "t", "--expires", "soon"}, 1,
			"conform token create: --expires must be a date such as 2027-01-31"},
		{"token for nobody", "", []string{"token", "create", "--user", "nobody@example.com", "--name", "t"}, 1,
			"conform token create: --user names no user\n"},
		{"token with blank name", "", []string{"token", "create", "--user", "ann@example.com", "--name", " "}, 1,
			"conform token create: --name is required\n"},
		{"no such organisation", "", []string{"user", "create", "--email", "b@example.com", "--name", "B", "--role", "agent", "--organisation-id", "999", "--no-password"}, 1,
			"conform user create: --organisation-id names no organisation\n"},
		{"negative organisation", "", []string{"user", "create", "--email", "b@example.com", "--name", "B", "--role", "agent", "--organisation-id", "-1", "--no-password"}, 1,
			"conform user create: --organisation-id must be a positive number\n"},
		{"every bad field at once", "", []string{"user", "create", "--email", "nope", "--name", "", "--role", "wizard", "--no-password"}, 1,
			"conform user create: --email must be an email address such as name@example.com; --name is required; --role must be one of"},
		{"short password", "short\n", []string{"user", "create", "--email", "b@example.com", "--name", "B", "--role", "agent", "--password-stdin"}, 1,
			"conform user create: the password must be at least"},
		{"no terminal", "", []string{"user", "create", "--email", "b@example.com", "--name", "B", "--role", "agent"}, 1,
			"conform user create: --password-stdin is needed"},
		{"both password flags", "", []string{"user", "create", "--email", "b@example.com", "--name", "B", "--role", "agent", "--password-stdin", "--no-password"}, 2,
			"conform user create: --password-stdin and --no-password exclude each other\n"},
		{"bad log level", "", []string{"serve", "--log-level", "loud"}, 1,
			"conform serve: --log-level must be debug, info, warn or error\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, env, tt.stdin, tt.args...)
			if r.code != tt.code || !strings.HasPrefix(r.stderr, tt.want) {
				t.Errorf("got exit %d, stderr %q; want exit %d, stderr starting %q", r.code, r.stderr, tt.code, tt.want)
			}
		})
	}
}

// TestOnlyGlobalFlagsReadTheEnvironment: a record's data must come from the
// command line, never from a variable left in the environment.
func TestOnlyGlobalFlagsReadTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{
		"CONFORM_DATA_DIR": dir, // a global flag: honoured
		"CONFORM_ROLE":     "admin",
		"CONFORM_EMAIL":    "env@example.com",
		"CONFORM_NAME":     "From The Environment",
		"CONFORM_EXPIRES":  "2000-01-01",
		"CONFORM_USER":     "env@example.com",
	}
	r := run(t, env, "", "user", "create", "--email", "a@b.example", "--name", "A", "--role", "agent", "--no-password")
	if r.code != 0 {
		t.Fatalf("user create: %+v", r)
	}
	r = run(t, env, "", "user", "create", "--email", "c@b.example", "--name", "C", "--no-password")
	if r.code != 2 || !strings.Contains(r.stderr, "missing --role") {
		t.Errorf("user create without --role and CONFORM_ROLE=admin: %+v, want exit 2 and missing --role", r)
	}
	r = run(t, env, "", "user", "create", "--no-password")
	if r.code != 2 || !strings.Contains(r.stderr, "missing --email, --name, --role") {
		t.Errorf("user create with only environment data: %+v, want exit 2 naming every data flag", r)
	}
	r = run(t, env, "", "token", "create", "--user", "a@b.example", "--name", "ci")
	if r.code != 0 {
		t.Errorf("token create with CONFORM_EXPIRES in the past: %+v, want exit 0 (never expires)", r)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, "a@b.example")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != access.Role("agent") || u.Name != "A" {
		t.Errorf("got user %q with role %q, want A with role agent", u.Name, u.Role)
	}
	if n, err := db.CountUsers(ctx); err != nil || n != 1 {
		t.Errorf("got %d users (%v), want 1", n, err)
	}
}

func TestMigrateUserTokenAuditDemo(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CONFORM_DATA_DIR": dir} // the environment twin of --data-dir

	r := run(t, env, "", "migrate", "--status")
	if r.code != 0 || !strings.Contains(r.stdout, "0001  platform") || !strings.Contains(r.stdout, "pending") {
		t.Fatalf("status before migrating: %+v", r)
	}
	pending := strings.Count(r.stdout, "pending")
	if r := run(t, env, "", "migrate"); r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("%d migration(s) applied", pending)) {
		t.Fatalf("migrate: %+v", r)
	}
	if r := run(t, env, "", "migrate", "--status"); !strings.Contains(r.stdout, "applied 20") {
		t.Errorf("status after migrating: %+v", r)
	}

	r = run(t, env, "a long enough secret\n", "user", "create", "--email", "Ann@Example.com", "--name", "Ann Admin", "--role", "admin", "--password-stdin")
	if r.code != 0 || !strings.Contains(r.stdout, "created user 1") {
		t.Fatalf("create admin: %+v", r)
	}
	if r := run(t, env, "x\n", "user", "create", "--email", "ann@example.com", "--name", "Again", "--role", "agent", "--no-password"); r.code != 1 || !strings.Contains(r.stderr, "already used") {
		t.Errorf("duplicate email: %+v", r)
	}

	r = run(t, env, "", "token", "create", "--user", "ann@example.com", "--name", "ci")
	if r.code != 0 || !regexp.MustCompile(`^cfm_[A-Za-z0-9_-]{43}\n$`).MatchString(r.stdout) {
		t.Fatalf("token create: %+v", r)
	}

	if r := run(t, env, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "intact: 3 entries") {
		t.Fatalf("verify: %+v", r)
	}
	// Tamper with the second entry directly in the database.
	db, err := sql.Open("sqlite", filepath.Join(dir, "conform.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_log SET diff = '[]' WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if r := run(t, env, "", "audit", "verify"); r.code != 1 || !strings.Contains(r.stdout, "BROKEN at entry 2") {
		t.Errorf("verify after tampering: %+v, want exit 1 naming entry 2", r)
	}

	if r := run(t, env, "", "demo"); r.code != 1 || !strings.Contains(r.stderr, "fresh database") {
		t.Errorf("demo into a used database: %+v", r)
	}
	if r := run(t, nil, "", "demo", "--data-dir", t.TempDir()); r.code != 0 || !strings.Contains(r.stdout, "admin@northwind.example") {
		t.Errorf("demo: %+v", r)
	}
}

// syncBuffer is a buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// runningServe is conform serve running in-process.
type runningServe struct {
	base        string // http://127.0.0.1:port
	out, errOut syncBuffer
	cancel      context.CancelFunc
	done        chan int
}

// startServe runs conform serve with args in-process and waits until it
// listens.
func startServe(t *testing.T, args ...string) *runningServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &runningServe{cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- cli.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...),
			func(string) string { return "" }, strings.NewReader(""), &s.out, &s.errOut)
	}()
	re := regexp.MustCompile(`listening on (http://\S+)`)
	for i := 0; i < 400 && s.base == ""; i++ {
		if m := re.FindStringSubmatch(s.out.String()); m != nil {
			s.base = m[1]
			break
		}
		select {
		case code := <-s.done:
			cancel()
			t.Fatalf("serve exited %d before listening: %s", code, s.errOut.String())
		case <-time.After(25 * time.Millisecond):
		}
	}
	if s.base == "" {
		cancel()
		t.Fatalf("server did not start: %s", s.errOut.String())
	}
	return s
}

// stop stops the server as SIGTERM would and returns its exit code.
func (s *runningServe) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
		return 0
	}
}

func TestServeAndGracefulStop(t *testing.T) {
	s := startServe(t, "--demo", "--data-dir", t.TempDir(), "--log-level", "warn")
	resp, err := http.Get(s.base + "/readyz")
	if err != nil {
		s.stop(t)
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ready\n" {
		t.Errorf("readyz: %d %q", resp.StatusCode, body)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("serve exited %d after a graceful stop: %s", code, s.errOut.String())
	}
}

// TestServeDemoKeepsExistingData: serve --demo loads the demo once, and on
// a later start says that it kept the data.
func TestServeDemoKeepsExistingData(t *testing.T) {
	dir := t.TempDir()
	const skipped = "the database already holds data; kept it and skipped the demo"
	countUsers := func() int64 {
		t.Helper()
		db, err := store.Open(context.Background(), store.Config{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		n, err := db.CountUsers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	s := startServe(t, "--demo", "--data-dir", dir, "--no-jobs")
	if code := s.stop(t); code != 0 {
		t.Fatalf("first serve exited %d: %s", code, s.errOut.String())
	}
	if got := s.errOut.String(); !strings.Contains(got, "demo organisation loaded") || strings.Contains(got, skipped) {
		t.Errorf("first start: got log %q, want the demo loaded", got)
	}
	first := countUsers()
	if first == 0 {
		t.Fatal("the demo loaded no users")
	}

	// --log-level warn: the skip must show even in a quiet log.
	s = startServe(t, "--demo", "--data-dir", dir, "--no-jobs", "--log-level", "warn")
	if code := s.stop(t); code != 0 {
		t.Fatalf("second serve exited %d: %s", code, s.errOut.String())
	}
	if got := s.errOut.String(); !strings.Contains(got, skipped) {
		t.Errorf("second start: got log %q, want it to say %q", got, skipped)
	}
	if got := countUsers(); got != first {
		t.Errorf("after the second start: got %d users, want the %d the demo made", got, first)
	}
}
