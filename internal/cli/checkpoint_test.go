package cli_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/conform-itsm/conform/internal/audit"
)

// TestAuditCheckpointsFromTheCommandLine signs checkpoints, restores an
// older backup, and shows that verify with the checkpoints catches the
// rollback that the chain alone cannot see.
func TestAuditCheckpointsFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CONFORM_DATA_DIR": dir}
	if r := run(t, env, "", "user", "create", "--email", "ann@example.com", "--name", "Ann", "--role", "admin", "--no-password"); r.code != 0 {
		t.Fatalf("user create: %+v", r)
	}
	r := run(t, env, "", "audit", "checkpoint")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "signed checkpoint of entry 2 ") {
		t.Fatalf("audit checkpoint: %+v, want entry 2 signed", r)
	}
	keyFile, logFile := filepath.Join(dir, "audit-checkpoint.key"), filepath.Join(dir, "audit-checkpoints.jsonl")
	for _, f := range []string{keyFile, logFile} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want it made with mode 0600", f, st, err)
		}
	}
	backup := filepath.Join(t.TempDir(), "older.backup")
	if r := run(t, env, "", "backup", "--out", backup); r.code != 0 {
		t.Fatalf("backup: %+v", r)
	}
	if r := run(t, env, "", "token", "create", "--user", "ann@example.com", "--name", "ci"); r.code != 0 {
		t.Fatalf("token create: %+v", r)
	}
	if r := run(t, env, "", "audit", "checkpoint"); r.code != 0 || !strings.HasPrefix(r.stdout, "signed checkpoint of entry 3 ") {
		t.Fatalf("second checkpoint: %+v", r)
	}
	r = run(t, env, "", "audit", "key")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ed25519:") || !strings.Contains(r.stdout, "-----BEGIN PUBLIC KEY-----") {
		t.Fatalf("audit key: %+v", r)
	}
	pubKey := strings.SplitN(r.stdout, "\n", 2)[0]

	r = run(t, env, "", "audit", "verify", "--checkpoints", logFile)
	if r.code != 0 || r.stdout != "audit trail intact: 3 entries verified\ncheckpoints hold: all 2 signed with the installation's public key "+pubKey+" and matched by the trail\n" {
		t.Errorf("verify with checkpoints: %+v", r)
	}

	// The older backup restored: its chain is intact on its own ...
	restoredDir := filepath.Join(t.TempDir(), "restored")
	if r := run(t, nil, "", "restore", backup, "--data-dir", restoredDir); r.code != 0 {
		t.Fatalf("restore: %+v", r)
	}
	if r := run(t, nil, "", "audit", "verify", "--data-dir", restoredDir); r.code != 0 {
		t.Errorf("plain verify of the restored backup: %+v, want intact", r)
	}
	// ... but not to the auditor holding the checkpoints and the key.
	r = run(t, nil, "", "audit", "verify", "--data-dir", restoredDir, "--checkpoints", logFile, "--public-key", pubKey)
	if r.code != 1 || !strings.Contains(r.stdout, "checkpoint on line 2 (entry 3, signed ") || !strings.Contains(r.stdout, "ends at entry 2 and no longer holds entry 3") ||
		!strings.Contains(r.stdout, "checkpoints FAILED: 1 of 2 do not hold") {
		t.Errorf("verify of the restored backup with checkpoints: %+v, want exit 1 naming line 2", r)
	}
	// The key may be given as a file holding it, PEM too.
	pemFile := filepath.Join(t.TempDir(), "key.pem")
	pub, _ := audit.ParsePublicKey(pubKey)
	if err := os.WriteFile(pemFile, []byte(audit.PublicKeyPEM(pub)), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, env, "", "audit", "verify", "--checkpoints", logFile, "--public-key", pemFile); r.code != 0 {
		t.Errorf("verify with a PEM file as --public-key: %+v", r)
	}
	// The wrong key: every checkpoint fails, saying why.
	other, _, _ := ed25519.GenerateKey(nil)
	r = run(t, env, "", "audit", "verify", "--checkpoints", logFile, "--public-key", audit.PublicKeyText(other))
	if r.code != 1 || strings.Count(r.stdout, "not with the trusted key") != 2 {
		t.Errorf("verify with another key: %+v, want both checkpoints refused", r)
	}

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no key anywhere", nil, []string{"audit", "verify", "--data-dir", restoredDir, "--checkpoints", logFile}, "--public-key is needed: there is no checkpoint key at"},
		{"a bad public key", env, []string{"audit", "verify", "--checkpoints", logFile, "--public-key", "ed25519:nope"}, "--public-key is neither a public key"},
		{"a public key without checkpoints", env, []string{"audit", "verify", "--public-key", pubKey}, "--public-key needs --checkpoints"},
		{"no checkpoint log", env, []string{"audit", "verify", "--checkpoints", filepath.Join(dir, "none")}, "--checkpoints cannot be read"},
		{"not a checkpoint log", env, []string{"audit", "verify", "--checkpoints", writeFile(t, "{\"seq\": 1}\n")}, "--checkpoints line 1 is not a checkpoint"},
		{"a bad URL", env, []string{"audit", "checkpoint", "--checkpoint-url", "ftp://x"}, "--checkpoint-url must be an http:// or https:// URL"},
		{"a bad key in the environment", map[string]string{"CONFORM_DATA_DIR": dir, "CONFORM_CHECKPOINT_KEY": "nope"}, []string{"audit", "checkpoint"}, "$CONFORM_CHECKPOINT_KEY is neither"},
		{"a bad key file", env, []string{"audit", "checkpoint", "--checkpoint-key-file", logFile}, "--checkpoint-key-file is neither"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.env, "", tc.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("got %+v, want exit 1 and %q", r, tc.want)
			}
		})
	}
}

func TestAuditCheckpointKeyFromTheEnvironmentAndPost(t *testing.T) {
	var mu sync.Mutex
	var posted []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posted = append(posted, r.Header.Get("Content-Type")+" "+string(b))
		mu.Unlock()
	}))
	defer ts.Close()
	seed := make([]byte, ed25519.SeedSize)
	seed[0] = 7
	key := ed25519.NewKeyFromSeed(seed)
	dir := t.TempDir()
	logFile := filepath.Join(t.TempDir(), "elsewhere", "log.jsonl")
	env := map[string]string{"CONFORM_DATA_DIR": dir, "CONFORM_CHECKPOINT_KEY": base64.StdEncoding.EncodeToString(seed), "CONFORM_CHECKPOINT_LOG": logFile}
	r := run(t, env, "", "audit", "checkpoint", "--checkpoint-url", ts.URL)
	if r.code != 0 {
		t.Fatalf("audit checkpoint: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "audit-checkpoint.key")); !os.IsNotExist(err) {
		t.Errorf("a key file was made although the key came from the environment: %v", err)
	}
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(posted) != 1 || posted[0] != "application/json "+strings.TrimSpace(string(b)) {
		t.Errorf("posted %q, want the line appended to the log: %q", posted, b)
	}
	if !strings.Contains(string(b), audit.PublicKeyText(key.Public().(ed25519.PublicKey))) {
		t.Errorf("log %q is not signed with the key from the environment", b)
	}
	// The URL refusing is an error, after the checkpoint reached the log.
	r = run(t, env, "", "audit", "checkpoint", "--checkpoint-url", ts.URL+"/x?fail", "--checkpoint-log", logFile)
	if r.code != 0 {
		t.Fatalf("second checkpoint: %+v", r)
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusServiceUnavailable) }))
	defer down.Close()
	r = run(t, env, "", "audit", "checkpoint", "--checkpoint-url", down.URL)
	if r.code != 1 || !strings.Contains(r.stderr, "503") {
		t.Errorf("checkpoint to a URL that refuses: %+v, want exit 1 naming the answer", r)
	}
	if b, _ := os.ReadFile(logFile); strings.Count(string(b), "\n") != 3 {
		t.Errorf("log has %d lines, want 3: a refused POST still leaves the line", strings.Count(string(b), "\n"))
	}
}
