package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestMain drops the PostgreSQL test database once the tests are done.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestCrashKeepsAcknowledgedWrites kills the real binary with SIGKILL while
// clients are writing, then checks that every write it acknowledged with 201
// is in the database and that the audit chain is intact.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary; skipped with -short")
	}
	bin := buildConform(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashAndCheck(t, bin, []string{"--data-dir", dir}, store.Config{DataDir: dir})
	})
	t.Run("postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		// The data folder still holds the checkpoint key and log.
		crashAndCheck(t, bin, []string{"--database", url, "--data-dir", t.TempDir()}, store.Config{DatabaseURL: url})
	})
}

// buildConform builds cmd/conform from the module this test lives in.
func buildConform(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build the binary with: %v", err)
	}
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			t.Fatal("no go.mod above the test's directory")
		}
		root = parent
	}
	bin := filepath.Join(t.TempDir(), "conform")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", bin, "./cmd/conform")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/conform: %v\n%s", err, out)
	}
	return bin
}

// binEnv is the test's environment without CONFORM_ variables, so that the
// binary uses only the flags it is given.
func binEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CONFORM_") {
			out = append(out, kv)
		}
	}
	return out
}

// runBin runs the binary to completion and returns its exit code and output.
func runBin(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = binEnv()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errOut.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String(), errOut.String()
	}
	t.Fatalf("conform %s: %v", strings.Join(args, " "), err)
	return 0, "", ""
}

func crashAndCheck(t *testing.T, bin string, dbArgs []string, cfg store.Config) {
	const (
		writers  = 6
		killAt   = 300 // acknowledged writes before the kill
		maxWrite = 20 * time.Second
	)
	if code, _, stderr := runBin(t, bin, append([]string{"user", "create", "--email", "crash@conform.example", "--name", "Crash Admin", "--role", "admin", "--no-password"}, dbArgs...)...); code != 0 {
		t.Fatalf("user create: exit %d: %s", code, stderr)
	}
	code, out, stderr := runBin(t, bin, append([]string{"token", "create", "--user", "crash@conform.example", "--name", "crash"}, dbArgs...)...)
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, stderr)
	}
	token := strings.TrimSpace(out)

	srv := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, dbArgs...)...)
	srv.Env = binEnv()
	var srvErr syncBuffer
	srv.Stderr = &srvErr
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				addr <- strings.TrimSpace(rest)
			}
		}
		exited <- srv.Wait()
	}()
	var base string
	select {
	case base = <-addr:
	case err := <-exited:
		t.Fatalf("serve exited before listening: %v: %s", err, srvErr.String())
	case <-time.After(time.Minute):
		_ = srv.Process.Kill()
		t.Fatalf("serve did not print its address: %s", srvErr.String())
	}

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: writers}}
	defer client.CloseIdleConnections()
	var (
		mu      sync.Mutex
		acked   = map[int64]string{} // id -> name
		enough  = make(chan struct{})
		closeIt sync.Once
	)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for n := 0; ; n++ {
				name := fmt.Sprintf("Crash %d-%d", w, n)
				req, err := http.NewRequest(http.MethodPost, base+"/api/v1/organisations", strings.NewReader(fmt.Sprintf(`{"name":%q}`, name)))
				if err != nil {
					t.Error(err)
					return
				}
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				var body struct {
					ID   int64  `json:"id"`
					Name string `json:"name"`
				}
				decErr := json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					t.Errorf("POST organisation %q: status %d, want 201", name, resp.StatusCode)
					return
				}
				if decErr != nil || body.ID == 0 || body.Name != name {
					// The answer was cut off by the kill: not acknowledged.
					return
				}
				mu.Lock()
				acked[body.ID] = name
				if len(acked) >= killAt {
					closeIt.Do(func() { close(enough) })
				}
				mu.Unlock()
			}
		})
	}
	select {
	case <-enough:
	case <-time.After(maxWrite):
	}
	// Kill mid-stream: the writers still have requests in flight.
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill the server: %v", err)
	}
	wg.Wait()
	if err := <-exited; err == nil {
		t.Fatal("serve exited cleanly; want it killed")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(acked) == 0 {
		t.Fatalf("no write was acknowledged before the kill: %s", srvErr.String())
	}
	t.Logf("%d writes acknowledged before SIGKILL", len(acked))

	code, out, stderr = runBin(t, bin, append([]string{"audit", "verify"}, dbArgs...)...)
	if code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify after the crash: exit %d, want 0: %s%s", code, out, stderr)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	missing := 0
	for id, name := range acked {
		o, err := db.GetOrganisation(ctx, id)
		if err != nil {
			missing++
			t.Errorf("acknowledged organisation %d (%q): %v", id, name, err)
			continue
		}
		if o.Name != name {
			t.Errorf("organisation %d: got name %q, want %q", id, o.Name, name)
		}
		entries, _, err := db.ListAudit(ctx, store.AuditFilter{Entity: "organisation", EntityID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Action != "create" {
			t.Errorf("organisation %d: got %d audit entries, want its create entry", id, len(entries))
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged writes lost in the crash", missing, len(acked))
	}
}
