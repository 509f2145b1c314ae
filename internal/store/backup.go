package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/errs"
)

// AuditHead is the audit chain's head: the newest entry's sequence number
// and hash (seq 0 and the genesis hash for an empty trail).
type AuditHead struct {
	Seq  int64
	Hash string
}

// AuditHead reads the chain head.
func (db *DB) AuditHead(ctx context.Context) (AuditHead, error) {
	return readAuditHead(ctx, db.reader())
}

func readAuditHead(ctx context.Context, c conn) (AuditHead, error) {
	var h AuditHead
	if err := c.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&h.Seq, &h.Hash); err != nil {
		return h, c.db.fault(err, "read audit head")
	}
	return h, nil
}

// sqliteURI makes a file: URI of a path, which SQLite percent-decodes.
func sqliteURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// BackupSQLite writes a consistent copy of the SQLite database to path, a
// file that must not exist yet, readable by its owner alone, and returns
// the chain head recorded in the copy. It may run while others write: the
// copy is made by VACUUM INTO on a connection of its own, a reader that
// blocks no writer. Before returning it checks that the copy's head is an
// entry of this database's chain, so the copy is this chain up to it.
func (db *DB) BackupSQLite(ctx context.Context, path string) (AuditHead, error) {
	if db.d.name != sqliteDialect.name {
		return AuditHead{}, errs.E(errs.Invalid, "BackupSQLite needs a SQLite database; this is %s", db.d.name)
	}
	before, err := db.AuditHead(ctx)
	if err != nil {
		return AuditHead{}, err
	}
	// VACUUM INTO accepts an empty file, so the copy is created here,
	// with its mode, and an existing file is never written over.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return AuditHead{}, errs.E(errs.Conflict, "%s already exists; a backup never overwrites a file", path)
	}
	if err != nil {
		return AuditHead{}, fmt.Errorf("create backup file: %w", err)
	}
	f.Close()
	head, err := db.vacuumInto(ctx, path, before)
	if err != nil {
		os.Remove(path)
		return AuditHead{}, err
	}
	return head, nil
}

func (db *DB) vacuumInto(ctx context.Context, path string, before AuditHead) (AuditHead, error) {
	// The read pool is query_only, which refuses VACUUM INTO.
	src, err := sql.Open("sqlite", sqliteURI(db.where)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return AuditHead{}, fmt.Errorf("open sqlite for backup: %w", err)
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	if _, err := src.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return AuditHead{}, db.fault(err, "copy database")
	}
	// VACUUM INTO does not sync what it wrote.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return AuditHead{}, fmt.Errorf("sync backup: %w", err)
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return AuditHead{}, fmt.Errorf("sync backup: %w", err)
	}

	cp, err := OpenCopy(ctx, path)
	if err != nil {
		return AuditHead{}, err
	}
	defer cp.Close()
	head, err := cp.AuditHead(ctx)
	if err != nil {
		return AuditHead{}, fmt.Errorf("read the copy's audit head: %w", err)
	}
	if head.Seq < before.Seq {
		return AuditHead{}, errs.E(errs.Internal, "the copy's audit head (%d) is older than the database's before the copy (%d)", head.Seq, before.Seq)
	}
	if head.Seq > 0 {
		var live string
		err := db.reader().queryRow(ctx, "SELECT hash FROM audit_log WHERE seq = ?", head.Seq).Scan(&live)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return AuditHead{}, db.fault(err, "read audit entry")
		}
		if live != head.Hash {
			return AuditHead{}, errs.E(errs.Internal, "the copy's audit head (entry %d, %s) is not the database's entry %d", head.Seq, head.Hash, head.Seq)
		}
	}
	return head, nil
}

// OpenCopy opens a SQLite database file read-only, such as a backup, to
// read its audit head and verify its chain (AuditHead, VerifyAudit).
func OpenCopy(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open copy: %w", err)
	}
	r, err := sql.Open("sqlite", sqliteURI(path)+"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)&_time_format=sqlite")
	if err != nil {
		return nil, fmt.Errorf("open copy: %w", err)
	}
	db := &DB{w: r, r: r, d: sqliteDialect, now: time.Now, where: path}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Snapshot is a PostgreSQL snapshot held open for pg_dump --snapshot, with
// the chain head as that snapshot sees it.
type Snapshot struct {
	ID   string
	Head AuditHead
	tx   *sql.Tx
}

// ExportSnapshot opens a serializable, read-only, deferrable transaction
// (one that waits for a snapshot that no concurrent serializable writer
// can make inconsistent), reads the chain head in it and exports its
// snapshot. Another session can then read exactly what it sees, until
// Close. PostgreSQL only.
func (db *DB) ExportSnapshot(ctx context.Context) (*Snapshot, error) {
	if db.d.name != postgresDialect.name {
		return nil, errs.E(errs.Invalid, "ExportSnapshot needs a PostgreSQL database; this is %s", db.d.name)
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable, ReadOnly: true})
	if err != nil {
		return nil, db.fault(err, "begin snapshot")
	}
	s := &Snapshot{tx: tx}
	c := conn{db: db, x: tx, tx: tx}
	if _, err := c.exec(ctx, "SET TRANSACTION DEFERRABLE"); err != nil {
		tx.Rollback() //nolint:errcheck // the error above is the one to report
		return nil, db.fault(err, "begin snapshot")
	}
	if s.Head, err = readAuditHead(ctx, c); err != nil {
		tx.Rollback() //nolint:errcheck // read-only
		return nil, err
	}
	if err := c.queryRow(ctx, "SELECT pg_export_snapshot()").Scan(&s.ID); err != nil {
		tx.Rollback() //nolint:errcheck // read-only
		return nil, db.fault(err, "export snapshot")
	}
	return s, nil
}

// Close ends the snapshot's transaction.
func (s *Snapshot) Close() error { return s.tx.Rollback() }

// PrepareRestore checks that a PostgreSQL database is empty, as a restore
// needs: no tables, views or sequences in any schema, except perhaps an
// empty schema_migrations (which conform migrate --status creates), which
// it drops so that the restore can create it. A database that holds
// anything else is refused with a Conflict naming what it holds.
func (db *DB) PrepareRestore(ctx context.Context) error {
	if db.d.name != postgresDialect.name {
		return errs.E(errs.Invalid, "PrepareRestore needs a PostgreSQL database; this is %s", db.d.name)
	}
	rows, err := db.reader().query(ctx, `SELECT n.nspname, c.relname FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
		  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
		ORDER BY 1, 2`)
	if err != nil {
		return db.fault(err, "list tables")
	}
	var found []string
	for rows.Next() {
		var schema, name string
		if err := rows.Scan(&schema, &name); err != nil {
			rows.Close()
			return db.fault(err, "list tables")
		}
		found = append(found, schema+"."+name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return db.fault(err, "list tables")
	}
	if len(found) == 1 && strings.HasSuffix(found[0], ".schema_migrations") {
		var n int64
		if err := db.reader().queryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err == nil && n == 0 {
			if _, err := db.writer().exec(ctx, "DROP TABLE schema_migrations"); err != nil {
				return db.fault(err, "drop empty schema_migrations")
			}
			return nil
		}
	}
	if len(found) > 0 {
		more := ""
		if len(found) > 5 {
			found, more = found[:5], fmt.Sprintf(" and %d more", len(found)-5)
		}
		return errs.E(errs.Conflict, "database %s is not empty: it holds %s%s", db.where, strings.Join(found, ", "), more)
	}
	return nil
}

// Migrated reports whether schema_migrations, as the database's search
// path finds it, records any migration: after a restore, whether the
// restored tables are where this connection looks.
func (db *DB) Migrated(ctx context.Context) bool {
	var n int64
	err := db.reader().queryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n)
	return err == nil && n > 0
}
