package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// dbFields names the flag behind each field backup and restore can report.
var dbFields = map[string]string{
	"data-dir": "--data-dir",
	"database": "--database",
}

func runBackup(ctx context.Context, e env, args []string) error {
	fs := flags(e, "backup", "--out FILE [--data-dir DIR | --database URL]",
		"Write a consistent copy of the database to FILE, readable by its owner alone, while serve\n"+
			"may be running, then check the copy and print its audit trail's head. SQLite is copied\n"+
			"with VACUUM INTO; PostgreSQL with pg_dump (custom format), which must be installed.\n"+
			"The copy holds every record, the audit trail, the sessions and the token key: keep it\n"+
			"as safe as the database. conform restore puts it back.")
	out := fs.String("out", "", "`file` to write the backup to; it must not exist yet")
	var d dbFlags
	d.register(fs)
	fs.require("out")
	if err := fs.parse(args); err != nil {
		return err
	}
	path := absPath(*out)
	if _, err := os.Lstat(path); err == nil {
		return errs.E(errs.Conflict, "%s already exists; a backup never overwrites a file", path)
	}
	if store.IsPostgres(d.database) {
		return backupPostgres(ctx, e, &d, path)
	}
	return backupSQLite(ctx, e, &d, path)
}

func backupSQLite(ctx context.Context, e env, d *dbFlags, path string) error {
	if d.database == "" { // otherwise store.Open names the mistake
		if err := needDatabaseFile(d.dataDir); err != nil {
			return err
		}
	}
	db, err := store.Open(ctx, d.config())
	if err != nil {
		return err
	}
	defer db.Close()
	head, err := db.BackupSQLite(ctx, path)
	if err != nil {
		return err
	}
	cp, err := store.OpenCopy(ctx, path)
	if err != nil {
		return fmt.Errorf("wrote %s but cannot open it to check it: %w", path, err)
	}
	defer cp.Close()
	res, err := cp.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("wrote %s but cannot check it: %w", path, err)
	}
	if res.Problem != nil {
		return errs.E(errs.Internal, "wrote %s, but its audit trail is BROKEN at entry %d: %s (conform audit verify checks the database itself); the copy is kept, NOT verified",
			path, res.Problem.Seq, res.Problem.Reason)
	}
	if cpHead, err := cp.AuditHead(ctx); err != nil || cpHead != head || res.HeadSeq != head.Seq {
		return errs.E(errs.Internal, "wrote %s, but its audit head is not the one recorded at the copy (entry %d, %s); the copy is kept, NOT verified", path, head.Seq, head.Hash)
	}
	return reportBackup(e, path, "sqlite", res.Entries, head)
}

// needDatabaseFile refuses a data folder without a database, which
// store.Open would otherwise create empty.
func needDatabaseFile(dir string) error {
	if dir == "" {
		return errs.Field("data-dir", "is required")
	}
	p := filepath.Join(dir, "conform.db")
	if _, err := os.Stat(p); err != nil {
		return errs.E(errs.NotFound, "no database at %s: check --data-dir", absPath(p))
	}
	return nil
}

func reportBackup(e env, path, engine string, entries int64, head store.AuditHead) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup %s: %s, %s, %d audit entries, head %s, verified\n", path, humanSize(st.Size()), engine, entries, head.Hash)
	return nil
}

func humanSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	f, unit := float64(n)/1024, "KiB"
	for _, u := range []string{"MiB", "GiB", "TiB"} {
		if f < 1024 {
			break
		}
		f, unit = f/1024, u
	}
	return fmt.Sprintf("%.1f %s", f, unit)
}

// pgTools finds the PostgreSQL client tools a command runs.
func pgTools(names ...string) ([]string, error) {
	var paths []string
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			return nil, errs.E(errs.Unavailable, "%s is not installed (or not on PATH): install the PostgreSQL client tools, of the server's major version or newer (Debian and Ubuntu: apt-get install postgresql-client)", n)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func backupPostgres(ctx context.Context, e env, d *dbFlags, path string) error {
	tools, err := pgTools("pg_dump", "pg_restore")
	if err != nil {
		return err
	}
	conninfo, toolEnv, err := pgToolConn(d.database)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, d.config())
	if err != nil {
		return err
	}
	defer db.Close()
	// pg_dump reads the snapshot in which the head was read, so the dump
	// holds exactly the chain up to that head. (With --snapshot pg_dump
	// reads at repeatable read; the snapshot comes from a serializable,
	// read-only, deferrable transaction, as --serializable-deferrable
	// would take it.)
	snap, err := db.ExportSnapshot(ctx)
	if err != nil {
		return err
	}
	head := snap.Head
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		snap.Close()
		return errs.E(errs.Conflict, "%s already exists; a backup never overwrites a file", path)
	}
	if err != nil {
		snap.Close()
		return fmt.Errorf("create backup file: %w", err)
	}
	f.Close()
	_, err = runTool(ctx, tools[0], toolEnv, "--format=custom", "--no-password", "--snapshot="+snap.ID, "--file="+path, "--dbname="+conninfo)
	snap.Close()
	if err != nil {
		os.Remove(path)
		return err
	}
	if _, err := runTool(ctx, tools[1], nil, "--list", path); err != nil {
		return fmt.Errorf("wrote %s, but pg_restore cannot read it; NOT verified: %w", path, err)
	}
	data, err := runTool(ctx, tools[1], nil, "--data-only", "--table=audit_head", "--file=-", path)
	if err != nil {
		return fmt.Errorf("wrote %s, but pg_restore cannot read its audit head; NOT verified: %w", path, err)
	}
	if got, ok := dumpedHead(data); !ok || got != head {
		return errs.E(errs.Internal, "wrote %s, but the audit head in it is not the one read at the copy (entry %d, %s); NOT verified", path, head.Seq, head.Hash)
	}
	return reportBackup(e, path, "postgres", head.Seq, head)
}

// dumpedHead reads the audit head from pg_restore's plain output of the
// audit_head table: a COPY line naming the columns, then one row.
func dumpedHead(script []byte) (store.AuditHead, bool) {
	var h store.AuditHead
	sc := bufio.NewScanner(bytes.NewReader(script))
	sc.Buffer(nil, 1<<20)
	var cols []string
	for sc.Scan() {
		line := sc.Text()
		if cols == nil {
			open, close := strings.Index(line, "("), strings.Index(line, ")")
			if strings.HasPrefix(line, "COPY ") && strings.Contains(line, "audit_head (") && open < close {
				cols = strings.Split(line[open+1:close], ", ")
			}
			continue
		}
		vals := strings.Split(line, "\t")
		if len(vals) != len(cols) {
			return h, false
		}
		seq, hash := false, false
		for i, c := range cols {
			switch c {
			case "seq":
				_, err := fmt.Sscan(vals[i], &h.Seq)
				seq = err == nil
			case "hash":
				h.Hash, hash = vals[i], true
			}
		}
		return h, seq && hash
	}
	return h, false
}

// runTool runs a PostgreSQL client tool and returns its standard output;
// its standard error is the error's message when it fails.
func runTool(ctx context.Context, path string, extraEnv []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "version mismatch") {
			msg += " (install the client tools of the server's major version or newer)"
		}
		return nil, fmt.Errorf("%s: %v: %s", filepath.Base(path), err, msg)
	}
	return stdout.Bytes(), nil
}

// libpqParams are the URL parameters that libpq, and so pg_dump and
// pg_restore, understand.
var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "passfile": true,
	"connect_timeout": true, "client_encoding": true, "options": true, "application_name": true,
	"fallback_application_name": true, "keepalives": true, "keepalives_idle": true,
	"keepalives_interval": true, "keepalives_count": true, "tcp_user_timeout": true,
	"sslmode": true, "sslnegotiation": true, "sslcompression": true, "sslcert": true, "sslkey": true,
	"sslpassword": true, "sslcertmode": true, "sslrootcert": true, "sslcrl": true, "sslcrldir": true,
	"sslsni": true, "requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"krbsrvname": true, "gsslib": true, "gssdelegation": true, "gssencmode": true, "service": true,
	"target_session_attrs": true, "load_balance_hosts": true, "require_auth": true, "channel_binding": true,
}

// pgxOnlyParams configure pgx itself and mean nothing to the tools.
var pgxOnlyParams = map[string]bool{
	"statement_cache_capacity": true, "description_cache_capacity": true, "default_query_exec_mode": true,
	"krbspn": true, "servicefile": true, "min_protocol_version": true, "max_protocol_version": true,
}

// pgToolConn turns the database URL Conform uses into a connection string
// and environment for pg_dump and pg_restore. The password moves to
// PGPASSWORD, off a command line that any user can list; parameters that
// pgx passes to the server as settings (search_path=...) become options
// (-c search_path=...), which libpq passes on in the same way.
func pgToolConn(raw string) (conninfo string, env []string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, errs.Field("database", "is not a valid PostgreSQL URL: "+err.Error())
	}
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	keep := url.Values{}
	var settings []string
	for k, vs := range q {
		v := vs[len(vs)-1]
		switch {
		case k == "password":
			env = append(env, "PGPASSWORD="+v)
		case libpqParams[k]:
			keep[k] = vs
		case pgxOnlyParams[k] || strings.HasPrefix(k, "pool_"):
		default:
			esc := strings.NewReplacer(`\`, `\\`, " ", `\ `)
			settings = append(settings, "-c "+esc.Replace(k)+"="+esc.Replace(v))
		}
	}
	if len(settings) > 0 {
		sort.Strings(settings)
		opts := strings.TrimSpace(keep.Get("options") + " " + strings.Join(settings, " "))
		keep.Set("options", opts)
	}
	u.RawQuery = libpqQuery(keep)
	return u.String(), env, nil
}

// libpqQuery encodes URL parameters as libpq decodes them: everything
// but letters, digits and -._~ percent-encoded (libpq reads neither + as
// a space nor a bare = inside a value).
func libpqQuery(v url.Values) string {
	esc := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		return b.String()
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, val := range v[k] {
			parts = append(parts, esc(k)+"="+esc(val))
		}
	}
	return strings.Join(parts, "&")
}

func runRestore(ctx context.Context, e env, args []string) error {
	fs := flags(e, "restore", "FILE [--data-dir DIR | --database URL]",
		"Restore a backup made by conform backup into an empty data folder (one without conform.db)\n"+
			"or an empty PostgreSQL database (created beforehand, e.g. with createdb), then apply the\n"+
			"migrations the backup lacks and verify the audit trail. Exits 1, naming the first bad entry,\n"+
			"if the chain is broken. Never writes over existing data. PostgreSQL needs pg_restore;\n"+
			"ownership and grants are not restored: the connecting user owns the restored tables.")
	var d dbFlags
	d.register(fs)
	file, rest := splitFile(fs, args)
	if err := fs.parse(rest); err != nil {
		return err
	}
	if file == "" {
		fmt.Fprintf(e.stderr, "%s: missing the backup FILE\nRun %s --help for its flags.\n", fs.path, fs.path)
		return errUsage
	}
	file = absPath(file)
	kind, err := backupKind(file)
	if err != nil {
		return err
	}
	pg := store.IsPostgres(d.database)
	switch {
	case d.database != "" && !pg:
		return errs.Field("database", "must be a postgres:// URL (leave it empty for the embedded SQLite database)")
	case kind == "postgres" && !pg:
		return errs.E(errs.Invalid, "%s is a PostgreSQL backup (pg_dump): restore it with --database URL", file)
	case kind == "sqlite" && pg:
		return errs.E(errs.Invalid, "%s is a SQLite backup: restore it with --data-dir DIR", file)
	}
	var where string
	if pg {
		where, err = restorePostgres(ctx, &d, file)
	} else {
		where, err = restoreSQLite(ctx, &d, file)
	}
	if err != nil {
		return err
	}

	db, err := store.Open(ctx, d.config())
	if err != nil {
		return err
	}
	defer db.Close()
	if pg && !db.Migrated(ctx) {
		return errs.E(errs.Internal, "pg_restore finished, but %s shows no schema_migrations: the backup's tables are probably in a schema outside this URL's search_path", db.Where())
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("restored %s into %s, but migrating it failed: %w", file, where, err)
	}
	fmt.Fprintf(e.stdout, "restored %s into %s (%s); %d migration(s) applied\n", file, where, db.Engine(), len(applied))
	a, err := app.New(ctx, db, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	res, err := a.VerifyAudit(ctx, access.CLI)
	if err != nil {
		return err
	}
	if res.Problem != nil {
		fmt.Fprintf(e.stdout, "audit trail BROKEN at entry %d: %s\n%d entries verified before it; the head records %d\n", res.Problem.Seq, res.Problem.Reason, res.Entries, res.HeadSeq)
		return errFailed
	}
	head, err := db.AuditHead(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d entries verified, head %s\n", res.Entries, head.Hash)
	return nil
}

// splitFile takes restore's one argument, the backup file, out of args
// wherever it stands among the flags, so that both restore FILE --data-dir
// DIR and restore --data-dir DIR FILE work. A second argument stays for
// parse to report.
func splitFile(fs *flagSet, args []string) (file string, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if file == "" && i+1 < len(args) {
				return args[i+1], append(rest, args[i+2:]...)
			}
			return file, append(rest, args[i:]...)
		case strings.HasPrefix(a, "-") && a != "-":
			rest = append(rest, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
		case file == "":
			file = a
		default:
			rest = append(rest, a)
		}
	}
	return file, rest
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// backupKind tells a SQLite backup from a pg_dump archive by its first bytes.
func backupKind(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", errs.E(errs.NotFound, "cannot read the backup: %v", err)
	}
	defer f.Close()
	b := make([]byte, 16)
	n, _ := io.ReadFull(f, b)
	switch {
	case bytes.Equal(b[:n], []byte("SQLite format 3\x00")):
		return "sqlite", nil
	case bytes.HasPrefix(b[:n], []byte("PGDMP")):
		return "postgres", nil
	}
	return "", errs.E(errs.Invalid, "%s is not a Conform backup: neither a SQLite database nor a pg_dump archive", path)
}

// restoreSQLite copies the backup into the data folder, which must hold no
// database, and returns where it went.
func restoreSQLite(ctx context.Context, d *dbFlags, file string) (string, error) {
	if d.dataDir == "" {
		return "", errs.Field("data-dir", "is required")
	}
	dir := absPath(d.dataDir)
	path := filepath.Join(dir, "conform.db")
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Lstat(p); err == nil {
			return "", errs.E(errs.Conflict, "%s already holds a database (%s); restore only into an empty data folder: choose another --data-dir, or move the database away first", dir, filepath.Base(p))
		}
	}
	// A backup without an audit chain is not Conform's.
	cp, err := store.OpenCopy(ctx, file)
	if err != nil {
		return "", err
	}
	_, err = cp.AuditHead(ctx)
	cp.Close()
	if err != nil {
		return "", errs.E(errs.Invalid, "%s is a SQLite database but not a Conform backup: it has no audit trail", file)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create data directory: %w", err)
	}
	// Copied beside the target, then linked into place: a restore cut
	// short leaves no half database, and the link never replaces one.
	tmp := path + ".restoring"
	if err := copyFile(file, tmp); err != nil {
		os.Remove(tmp)
		return "", err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return "", errs.E(errs.Conflict, "%s appeared while restoring; restore only into an empty data folder", path)
		}
		return "", fmt.Errorf("put the restored database in place: %w", err)
	}
	return path, nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("restore: %w", err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return fmt.Errorf("restore: %w", err)
	}
	return dst.Close()
}

// restorePostgres runs pg_restore into the database, which must be empty,
// in one transaction: a restore that fails leaves the database empty.
func restorePostgres(ctx context.Context, d *dbFlags, file string) (string, error) {
	tools, err := pgTools("pg_restore")
	if err != nil {
		return "", err
	}
	conninfo, toolEnv, err := pgToolConn(d.database)
	if err != nil {
		return "", err
	}
	db, err := store.Open(ctx, d.config())
	if err != nil {
		return "", err
	}
	where := db.Where()
	err = db.PrepareRestore(ctx)
	db.Close()
	if err != nil {
		return "", fmt.Errorf("%w; restore only into an empty database (createdb makes one)", err)
	}
	if _, err := runTool(ctx, tools[0], toolEnv, "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error", "--no-password", "--dbname="+conninfo, file); err != nil {
		return "", err
	}
	return where, nil
}
