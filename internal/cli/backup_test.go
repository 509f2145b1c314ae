package cli_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

var backupLine = regexp.MustCompile(`^backup (\S+): [0-9.]+ (?:B|KiB|MiB), (sqlite|postgres), (\d+) audit entries, head ([0-9a-f]{64}), verified\n$`)

// backedUp checks a backup's summary line and returns its audit entries
// and head hash.
func backedUp(t *testing.T, r result, file, engine string) (entries, head string) {
	t.Helper()
	m := backupLine.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || m[1] != file || m[2] != engine {
		t.Fatalf("backup: got exit %d, stdout %q, stderr %q; want exit 0 and one line naming %s, %s and verified", r.code, r.stdout, r.stderr, file, engine)
	}
	if m[3] == "0" {
		t.Fatalf("backup of the demo reports no audit entries: %q", r.stdout)
	}
	return m[3], m[4]
}

// restored checks restore's report: the data is in place and its chain
// intact, with the entries and head the backup reported.
func restored(t *testing.T, r result, entries, head string) {
	t.Helper()
	want := "audit trail intact: " + entries + " entries verified, head " + head + "\n"
	if r.code != 0 || !strings.HasPrefix(r.stdout, "restored ") || !strings.Contains(r.stdout, "0 migration(s) applied\n") || !strings.HasSuffix(r.stdout, want) {
		t.Fatalf("restore: got exit %d, stdout %q, stderr %q; want exit 0, the restore and %q", r.code, r.stdout, r.stderr, want)
	}
}

// sameData checks that the restored database holds the original's users
// and token key (so that its API tokens still work).
func sameData(t *testing.T, from, to store.Config) {
	t.Helper()
	ctx := context.Background()
	read := func(cfg store.Config) (int64, string) {
		db, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		n, err := db.CountUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByEmail(ctx, demo.AdminEmail); err != nil {
			t.Errorf("the demo administrator in %s: %v", db.Where(), err)
		}
		key, err := db.Setting(ctx, "token_hmac_key", func() (string, error) { return "", errors.New("no token key") })
		if err != nil {
			t.Fatal(err)
		}
		return n, key
	}
	n1, k1 := read(from)
	n2, k2 := read(to)
	if n1 == 0 || n2 != n1 || k2 != k1 {
		t.Errorf("restored: got %d users and the same token key %v, want %d users and the same key", n2, k1 == k2, n1)
	}
}

func TestBackupRestoreSQLite(t *testing.T) {
	src := t.TempDir()
	if r := run(t, nil, "", "demo", "--data-dir", src); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	file := filepath.Join(t.TempDir(), "conform.backup")

	// Online: serve holds the database open while the backup is taken.
	s := startServe(t, "--data-dir", src, "--no-jobs", "--log-level", "warn")
	r := run(t, nil, "", "backup", "--out", file, "--data-dir", src)
	if code := s.stop(t); code != 0 {
		t.Errorf("serve exited %d: %s", code, s.errOut.String())
	}
	entries, head := backedUp(t, r, file, "sqlite")
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, %v; want mode 0600", st.Mode(), err)
	}

	// The environment twin of --data-dir names the target.
	dst := filepath.Join(t.TempDir(), "restored")
	r = run(t, map[string]string{"CONFORM_DATA_DIR": dst}, "", "restore", file)
	restored(t, r, entries, head)
	if st, err := os.Stat(filepath.Join(dst, "conform.db")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("restored database: %v, %v; want mode 0600", st.Mode(), err)
	}
	if r := run(t, nil, "", "audit", "verify", "--data-dir", dst); r.code != 0 || r.stdout != "audit trail intact: "+entries+" entries verified\n" {
		t.Errorf("audit verify of the restored copy: %+v, want %s entries intact", r, entries)
	}
	sameData(t, store.Config{DataDir: src}, store.Config{DataDir: dst})

	// Flags may come before the file too.
	if r := run(t, nil, "", "restore", "--data-dir", filepath.Join(t.TempDir(), "d"), file); r.code != 0 {
		t.Errorf("restore --data-dir DIR FILE: %+v", r)
	}

	refusals := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"backup over an existing file", []string{"backup", "--out", file, "--data-dir", src}, 1, "conform backup: " + file + " already exists; a backup never overwrites a file\n"},
		{"backup of no database", []string{"backup", "--out", filepath.Join(t.TempDir(), "b"), "--data-dir", t.TempDir()}, 1, "conform backup: no database at"},
		{"backup without --out", []string{"backup", "--data-dir", src}, 2, "conform backup: missing --out\n"},
		{"restore into the restored folder", []string{"restore", file, "--data-dir", dst}, 1, "conform restore: " + dst + " already holds a database (conform.db); restore only into an empty data folder"},
		{"restore into the original", []string{"restore", file, "--data-dir", src}, 1, "already holds a database"},
		{"restore without a file", []string{"restore", "--data-dir", t.TempDir()}, 2, "conform restore: missing the backup FILE\n"},
		{"restore of two files", []string{"restore", file, file, "--data-dir", t.TempDir()}, 2, `unexpected argument "` + file + `"`},
		{"restore of no backup", []string{"restore", filepath.Join(src, "nothing"), "--data-dir", t.TempDir()}, 1, "cannot read the backup"},
		{"restore of something else", []string{"restore", writeFile(t, "not a backup"), "--data-dir", t.TempDir()}, 1, "is not a Conform backup"},
		{"restore of SQLite into PostgreSQL", []string{"restore", file, "--database", "postgres://nobody@127.0.0.1:1/none"}, 1, "is a SQLite backup: restore it with --data-dir DIR"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("got exit %d, stdout %q, stderr %q; want exit %d, no output and stderr with %q", r.code, r.stdout, r.stderr, tt.code, tt.want)
			}
		})
	}
	// The refused restores left the restored database as it was.
	if r := run(t, nil, "", "audit", "verify", "--data-dir", dst); r.stdout != "audit trail intact: "+entries+" entries verified\n" {
		t.Errorf("audit verify after the refusals: %+v", r)
	}
	if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "SQLite format 3") {
		t.Errorf("the backup after a refused overwrite: %v, want it untouched", err)
	}

	// A backup from before migration 6 gets it on restore.
	old := alteredCopy(t, file, "DROP INDEX api_tokens_parent", "ALTER TABLE api_tokens DROP COLUMN parent_id", "DELETE FROM schema_migrations WHERE version = 6")
	r = run(t, nil, "", "restore", old, "--data-dir", filepath.Join(t.TempDir(), "old"))
	if r.code != 0 || !strings.Contains(r.stdout, "; 1 migration(s) applied\n") || !strings.Contains(r.stdout, "audit trail intact: "+entries+" entries verified") {
		t.Errorf("restore of a backup from an older version: %+v, want one migration applied and the chain intact", r)
	}

	// A backup whose chain was altered restores, and restore names the
	// first bad entry and fails.
	tampered := alteredCopy(t, file, "UPDATE audit_log SET diff = '[]' WHERE seq = 2")
	r = run(t, nil, "", "restore", tampered, "--data-dir", filepath.Join(t.TempDir(), "t"))
	if r.code != 1 || !strings.HasPrefix(r.stdout, "restored ") || !strings.Contains(r.stdout, "audit trail BROKEN at entry 2:") {
		t.Errorf("restore of a tampered backup: %+v, want exit 1 naming entry 2", r)
	}
}

// alteredCopy copies a SQLite backup and runs statements on the copy.
func alteredCopy(t *testing.T, file string, stmts ...string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "altered.backup")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return p
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBackupRestoreHelp(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"backup", "--help"}, []string{"Usage: conform backup --out FILE", "--out file", "(required)", "--data-dir", "[$CONFORM_DATA_DIR]", "--database", "[$CONFORM_DATABASE]"}},
		{[]string{"restore", "--help"}, []string{"Usage: conform restore FILE", "empty data folder", "--data-dir", "[$CONFORM_DATA_DIR]", "--database", "[$CONFORM_DATABASE]"}},
		{[]string{"help"}, []string{"audit verify", "backup", "restore", "openapi"}},
	} {
		r := run(t, nil, "", tt.args...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("%v: got exit %d, stderr %q", tt.args, r.code, r.stderr)
		}
		checkInOrder(t, "stdout", r.stdout, tt.want)
		if strings.Contains(r.stdout, "CONFORM_OUT") {
			t.Errorf("%v: --out reads the environment:\n%s", tt.args, r.stdout)
		}
	}
}

// TestBackupRestorePostgres runs the round trip through pg_dump and
// pg_restore, from one fresh database into another.
func TestBackupRestorePostgres(t *testing.T) {
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CONFORM_REQUIRE_POSTGRES") == "1" {
				t.Fatalf("PostgreSQL is required (CONFORM_REQUIRE_POSTGRES=1) but %s is not installed", tool)
			}
			t.Skipf("skipping the PostgreSQL backup: %s is not installed (apt-get install postgresql-client)", tool)
		}
	}
	srcURL, dstURL := freshDatabase(t), freshDatabase(t)
	if r := run(t, nil, "", "demo", "--database", srcURL); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	file := filepath.Join(t.TempDir(), "conform.dump")
	entries, head := backedUp(t, run(t, nil, "", "backup", "--out", file, "--database", srcURL), file, "postgres")
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, %v; want mode 0600", st.Mode(), err)
	}
	restored(t, run(t, map[string]string{"CONFORM_DATABASE": dstURL}, "", "restore", file), entries, head)
	if r := run(t, nil, "", "audit", "verify", "--database", dstURL); r.code != 0 || r.stdout != "audit trail intact: "+entries+" entries verified\n" {
		t.Errorf("audit verify of the restored copy: %+v, want %s entries intact", r, entries)
	}
	sameData(t, store.Config{DatabaseURL: srcURL}, store.Config{DatabaseURL: dstURL})

	if r := run(t, nil, "", "restore", file, "--database", dstURL); r.code != 1 || !strings.Contains(r.stderr, "is not empty: it holds") {
		t.Errorf("restore into the restored database: %+v, want exit 1 and a refusal", r)
	}
	if r := run(t, nil, "", "backup", "--out", file, "--database", srcURL); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup over an existing file: %+v, want exit 1 and a refusal", r)
	}
	if r := run(t, nil, "", "restore", file, "--data-dir", t.TempDir()); r.code != 1 || !strings.Contains(r.stderr, "is a PostgreSQL backup (pg_dump): restore it with --database URL") {
		t.Errorf("restore of a dump into SQLite: %+v, want exit 1", r)
	}
}

// freshDatabase creates an empty database next to the tests' one (a whole
// database, since pg_dump and pg_restore work on databases) and drops it
// when the test ends.
func freshDatabase(t *testing.T) string {
	t.Helper()
	u, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	admin, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "conform_backup_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if admin, err := sql.Open("pgx", u.String()); err == nil {
			admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			admin.Close()
		}
	})
	u.Path = "/" + name
	return u.String()
}
