// Package store keeps Conform's records in SQLite or PostgreSQL with one set
// of hand-written SQL; the few differences between the engines live in
// dialect.go. Every change made through a Tx is written to the audit trail
// in the same transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/conform-itsm/conform/internal/errs"
)

// Config says where the data lives.
type Config struct {
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or
	// postgresql://; empty means SQLite in DataDir.
	DatabaseURL string
	// DataDir holds conform.db when SQLite is used.
	DataDir string
	// MaxOpenConns caps the PostgreSQL pool and the SQLite read pool.
	MaxOpenConns int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DB is an open database.
type DB struct {
	w       *sql.DB // writes; one connection on SQLite
	r       *sql.DB // reads; the same pool on PostgreSQL
	d       dialect
	now     func() time.Time
	rebinds sync.Map // query -> rebound query
	where   string
	// Prepared statements of the SQLite pools. Parsing a statement costs
	// SQLite about as much as running a simple one, so each is prepared
	// once. (pgx caches prepared statements per connection by itself.)
	wstmts, rstmts *stmtCache
	batch          *batcher // group commit on SQLite; nil on PostgreSQL
	pgBatch        *batcher // group commit of pipelined units on PostgreSQL
	ids            idBlocks // ids reserved on PostgreSQL (pgtx.go)
}

// IsPostgres reports whether a database URL names PostgreSQL.
func IsPostgres(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// Open connects and checks the connection; it does not migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	maxConns := cfg.MaxOpenConns
	if maxConns <= 0 {
		maxConns = 16
	}
	db := &DB{now: now}
	switch {
	case IsPostgres(cfg.DatabaseURL):
		pc, err := pgx.ParseConfig(cfg.DatabaseURL)
		if err != nil {
			return nil, errs.Field("database", "is not a valid PostgreSQL URL: "+err.Error())
		}
		// A cancelled context cancels the statement on the server and the
		// answer is still read: the caller learns whether a commit that
		// was already on its way happened. (pgx's default closes the
		// connection instead, and the server may commit afterwards.) The
		// deadline is the fallback when the server does not answer.
		pc.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
			return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 10 * time.Second}
		}
		p := stdlib.OpenDB(*pc)
		p.SetMaxOpenConns(maxConns)
		p.SetMaxIdleConns(maxConns)
		p.SetConnMaxIdleTime(5 * time.Minute)
		db.w, db.r, db.d = p, p, postgresDialect
		db.pgBatch = &batcher{}
		db.pgBatch.run = db.runPGBatch
		db.where = redactURL(cfg.DatabaseURL)
	case cfg.DatabaseURL != "":
		return nil, errs.Field("database", "must be a postgres:// URL (leave it empty for the embedded SQLite database)")
	default:
		if cfg.DataDir == "" {
			return nil, errs.Field("data-dir", "is required")
		}
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		path := filepath.Join(cfg.DataDir, "conform.db")
		// The database holds every record, the sessions and the token key:
		// readable by its owner alone, and so are its WAL files, which
		// SQLite creates with the database file's mode.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create database file: %w", err)
		}
		f.Close()
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("protect database file: %w", err)
			}
		}
		// busy_timeout first, so that a second process (a CLI command
		// next to a running server) waits instead of failing.
		base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(4000)&_time_format=sqlite"
		w, err := sql.Open("sqlite", base+"&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		r.SetMaxOpenConns(maxConns)
		r.SetMaxIdleConns(maxConns)
		db.w, db.r, db.d = w, r, sqliteDialect
		db.wstmts, db.rstmts = newStmtCache(w), newStmtCache(r)
		db.batch = &batcher{}
		db.batch.run = db.runBatch
		db.where = path
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "postgres"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// Engine is "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.name }

// Where names the database for logs, without secrets.
func (db *DB) Where() string { return db.where }

// Now is the store's clock, in UTC at the precision both engines keep.
func (db *DB) Now() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return errs.Wrap(errs.Unavailable, err, "database %s is not reachable", db.where)
	}
	if db.r != db.w {
		if err := db.r.PingContext(ctx); err != nil {
			return errs.Wrap(errs.Unavailable, err, "database %s is not reachable", db.where)
		}
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.wstmts.close()
	db.rstmts.close()
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Pools returns the write and read pools for metrics.
func (db *DB) Pools() (write, read *sql.DB) { return db.w, db.r }

func (db *DB) q(query string) string {
	if !db.d.dollar {
		return query
	}
	if v, ok := db.rebinds.Load(query); ok {
		return v.(string)
	}
	r := db.d.rebind(query)
	db.rebinds.Store(query, r)
	return r
}

// querier is what both a pool and a transaction can do.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs rebound statements on a pool or a transaction, through the
// pool's prepared statements where it has them.
type conn struct {
	db    *DB
	x     querier
	tx    *sql.Tx    // set when x is a transaction
	stmts *stmtCache // nil: no prepared statements
	// unit, in a SQLite group commit, is the state of the unit of work
	// the statements belong to (batch.go).
	unit *unitState
}

// unitState keeps a unit of a SQLite batch apart from the others.
type unitState struct {
	// ctx runs every statement of the unit in place of the caller's.
	// SQLite answers a statement interrupted by its caller giving up by
	// rolling back the whole transaction, which holds the other units of
	// the batch too; so the unit's statements run to their end, and the
	// caller learns the unit's true outcome.
	ctx context.Context
	// failed is the first statement of the unit that failed. Later
	// statements are refused with it and the unit fails with it, as on
	// PostgreSQL, where a failed statement aborts the transaction: a unit
	// that swallows an error can neither go on writing nor commit.
	failed error
}

// start returns the context to run a statement under, or the failure
// that ended the unit.
func (c conn) start(ctx context.Context) (context.Context, error) {
	if c.unit == nil {
		return ctx, nil
	}
	if c.unit.failed != nil {
		return nil, c.unit.failed
	}
	return c.unit.ctx, nil
}

// note remembers a statement's failure as the unit's.
func (c conn) note(err error) {
	if err != nil && c.unit != nil && c.unit.failed == nil {
		c.unit.failed = err
	}
}

// prepared returns the prepared form of query for this conn, or nil.
func (c conn) prepared(ctx context.Context, query string) *sql.Stmt {
	st := c.stmts.get(ctx, query, c.tx != nil)
	if st != nil && c.tx != nil {
		// On the one-connection write pool this reuses the statement
		// already prepared on that connection.
		st = c.tx.StmtContext(ctx, st)
	}
	return st
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	var res sql.Result
	if st := c.prepared(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = c.x.ExecContext(ctx, c.db.q(query), args...)
	}
	c.note(err)
	return res, err
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if st := c.prepared(ctx, query); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = c.x.QueryContext(ctx, c.db.q(query), args...)
	}
	c.note(err)
	return rows, err
}

// queryRow runs a query for one row. Its failure shows only at Scan, so
// it is not noted as the unit's: statements that write use exec.
func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx, err := c.start(ctx)
	if err != nil {
		// A row that fails without running anything: the unit fails with
		// its earlier failure anyway.
		done, cancel := context.WithCancel(context.Background())
		cancel()
		return c.x.QueryRowContext(done, c.db.q(query), args...)
	}
	if st := c.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.x.QueryRowContext(ctx, c.db.q(query), args...)
}

func (db *DB) reader() conn { return conn{db: db, x: db.r, stmts: db.rstmts} }

// writer runs single statements outside a transaction on the write pool.
func (db *DB) writer() conn { return conn{db: db, x: db.w, stmts: db.wstmts} }

// Tx is a write transaction. Audit entries recorded on it are chained and
// written just before commit, so the chain head is locked only briefly.
type Tx struct {
	conn
	pg      *pgTx // on PostgreSQL
	now     time.Time
	pending []pendingEntry
	after   []func()
}

// failure is what ended this unit, if anything did: on SQLite a statement
// that failed, on PostgreSQL a held-back statement that failed when sent.
// The unit fails with it whatever it returns.
func (tx *Tx) failure() error {
	if tx.pg != nil {
		return tx.pg.failed
	}
	if tx.unit != nil {
		return tx.unit.failed
	}
	return nil
}

// mapped records err, the mapped form of the statement failure the unit
// has just met, as the unit's failure, so that the unit fails with the
// same error on both engines whatever it does with it.
func (tx *Tx) mapped(err error) error {
	if tx.pg != nil && tx.pg.failed != nil {
		tx.pg.failed = err
	}
	if tx.unit != nil && tx.unit.failed != nil {
		tx.unit.failed = err
	}
	return err
}

// Sync sends what the unit has held back (on PostgreSQL) and returns the
// unit's failure, if any. A use case that must react to a conflict inside
// its unit calls it after the write; without it, a held-back write's
// failure shows at the unit's next statement or from InTx. Either way the
// failure is the same error on both engines.
func (tx *Tx) Sync(ctx context.Context) error {
	if tx.pg != nil {
		return tx.pg.flush(ctx)
	}
	return tx.failure()
}

// Now is the transaction's time: every timestamp written in it is the same.
func (tx *Tx) Now() time.Time { return tx.now }

// AfterCommit runs fn once the transaction has committed.
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }

// InTx runs fn in a write transaction, commits if it returns nil and rolls
// back otherwise. On SQLite concurrent calls share one transaction, each in
// a savepoint of its own (see batch.go); either way fn's changes commit
// all together or not at all, and InTx returns only after the commit. fn
// must not call InTx itself.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.batch != nil {
		return db.batch.do(ctx, fn)
	}
	return db.inTxPG(ctx, fn)
}

// fault classifies a driver error that no caller expects.
func (db *DB) fault(err error, what string) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	if e := errs.As(err); e != nil {
		return err
	}
	return errs.Wrap(errs.Internal, err, "%s", what)
}

// notFound turns sql.ErrNoRows into a NotFound error.
func notFound(err error, what string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "%s %v not found", what, id)
	}
	return fmt.Errorf("find %s %v: %w", what, id, err)
}
