package cli_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExport writes the demo organisation out and reads it back: a line
// per record of each kind, the whole audit trail with its hashes, a CSV
// per kind, no secret anywhere, files readable by their owner alone.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CONFORM_DATA_DIR": filepath.Join(dir, "data")}
	if r := run(t, env, "", "demo"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	out := filepath.Join(dir, "export")
	r := run(t, env, "", "export", "--out", out)
	if r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	lines := func(name string) []map[string]any {
		t.Helper()
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if fi, _ := f.Stat(); fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want it readable by its owner alone", name, fi.Mode().Perm())
		}
		var recs []map[string]any
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			recs = append(recs, m)
		}
		return recs
	}
	users := lines("users.jsonl")
	if len(users) < 10 || users[0]["email"] == nil || users[0]["password_hash"] != nil {
		t.Errorf("users.jsonl: %d records, first %v; want the demo's users without their password hashes", len(users), users[0])
	}
	if orgs := lines("organisations.jsonl"); len(orgs) != 4 {
		t.Errorf("organisations.jsonl: %d records, want the provider and three customers", len(orgs))
	}
	if teams := lines("teams.jsonl"); len(teams) == 0 || teams[0]["member_ids"] == nil {
		t.Errorf("teams.jsonl: %v, want teams with their members", teams)
	}
	entries := lines("audit.jsonl")
	if len(entries) == 0 || entries[0]["seq"] != float64(1) || entries[0]["hash"] == "" || entries[0]["prev_hash"] == "" {
		t.Errorf("audit.jsonl: %d entries, first %v; want the whole trail from 1 with its hashes", len(entries), entries)
	}
	if !strings.Contains(r.stdout, "audit trail") {
		t.Errorf("export summary: %q", r.stdout)
	}
	f, err := os.Open(filepath.Join(out, "users.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != len(users)+1 || !slices.Contains(rows[0], "email") {
		t.Errorf("users.csv: %d rows (%v), header %v; want a header and a row per user", len(rows), err, rows)
	}
	for _, name := range []string{"users.jsonl", "tokens.jsonl", "sessions.jsonl", "users.csv"} {
		b, _ := os.ReadFile(filepath.Join(out, name))
		if strings.Contains(string(b), "$argon2id$") || strings.Contains(string(b), `"hash"`) || strings.Contains(string(b), "csrf") {
			t.Errorf("%s holds a secret", name)
		}
	}
	// An export never writes into an existing folder.
	if r := run(t, env, "", "export", "--out", out); r.code == 0 {
		t.Errorf("export into an existing folder: %+v, want it refused", r)
	}
}
