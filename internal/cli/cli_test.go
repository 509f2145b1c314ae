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

	"github.com/conform-itsm/conform/internal/cli"
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

func TestUsageAndVersion(t *testing.T) {
	if r := run(t, nil, "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "conform ") {
		t.Errorf("version: %+v", r)
	}
	if r := run(t, nil, ""); r.code != 2 || !strings.Contains(r.stdout, "serve") {
		t.Errorf("no command: %+v, want usage and exit 2", r)
	}
	if r := run(t, nil, "", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command: %+v", r)
	}
	if r := run(t, nil, "", "serve", "--no-such-flag"); r.code != 2 {
		t.Errorf("unknown flag: %+v, want exit 2", r)
	}
	if r := run(t, nil, "", "serve", "--help"); r.code != 0 || !strings.Contains(r.stderr, "-data-dir") || !strings.Contains(r.stderr, "CONFORM_") {
		t.Errorf("serve --help: %+v", r)
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

	r = run(t, env, "", "user", "create", "--email", "nope", "--name", "", "--role", "wizard", "--no-password")
	if r.code != 1 || !strings.Contains(r.stderr, "--email") || !strings.Contains(r.stderr, "--name") || !strings.Contains(r.stderr, "--role") {
		t.Errorf("bad user: %+v, want exit 1 naming --email, --name and --role", r)
	}
	r = run(t, env, "", "user", "create", "--email", "a@example.com", "--name", "Ann", "--role", "admin")
	if r.code != 1 || !strings.Contains(r.stderr, "--password-stdin") {
		t.Errorf("no terminal and no --password-stdin: %+v", r)
	}
	r = run(t, env, "short\n", "user", "create", "--email", "a@example.com", "--name", "Ann", "--role", "admin", "--password-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "--password") {
		t.Errorf("short password: %+v", r)
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
	if r := run(t, env, "", "token", "create", "--user", "nobody@example.com", "--name", "ci"); r.code != 1 || !strings.Contains(r.stderr, "--user") {
		t.Errorf("token for unknown user: %+v", r)
	}
	if r := run(t, env, "", "token", "create", "--user", "ann@example.com", "--name", "ci", "--expires", "soon"); r.code != 1 || !strings.Contains(r.stderr, "--expires") {
		t.Errorf("token with bad expiry: %+v", r)
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

func TestServeAndGracefulStop(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--demo", "--data-dir", dir, "--addr", "127.0.0.1:0", "--log-level", "warn"},
			func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	}()
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		if m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		time.Sleep(25 * time.Millisecond)
	}
	if base == "" {
		cancel()
		t.Fatalf("server did not start: %s", errOut.String())
	}
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ready\n" {
		t.Errorf("readyz: %d %q", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after a graceful stop: %s", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}
