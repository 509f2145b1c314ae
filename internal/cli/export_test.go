package cli_test

import (
	"bufio"
	"database/sql"
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
	// The management system's catalogue is exported too.
	if fws := lines("frameworks.jsonl"); len(fws) != 1 || fws[0]["code"] != "iso-iec-20000-1-2018" {
		t.Errorf("frameworks.jsonl: %v, want the built-in framework", fws)
	}
	if reqs := lines("requirements.jsonl"); len(reqs) != 77 || reqs[0]["plain"] == "" || reqs[0]["questions"] == nil {
		t.Errorf("requirements.jsonl: %d records, want the built-in framework's 77 with their guidance", len(reqs))
	}
	// Every table of records is in the export, record for record.
	db, err := sql.Open("sqlite", filepath.Join(dir, "data", "conform.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := db.Query("SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'created_by')")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var name string
		if err := tables.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := tables.Err(); err != nil || len(names) < 8 {
		t.Fatalf("tables of records: %v (%v), want at least the platform's and the catalogue's", names, err)
	}
	for _, table := range names {
		file := map[string]string{"api_tokens": "tokens"}[table]
		if file == "" {
			file = table
		}
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(out, file+".jsonl")); err != nil {
			t.Errorf("table %s is not in the export: %v", table, err)
		} else if got := len(lines(file + ".jsonl")); got != n {
			t.Errorf("%s.jsonl: %d records, want the %d of table %s", file, got, n, table)
		}
	}
	// An export never writes into an existing folder.
	if r := run(t, env, "", "export", "--out", out); r.code == 0 {
		t.Errorf("export into an existing folder: %+v, want it refused", r)
	}
}
