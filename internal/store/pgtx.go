package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL a round trip to the server costs more than the work of a
// small write, so a write transaction sends as little, as late, as it can.
// pgTx holds back BEGIN and the statements whose results nobody reads (the
// INSERT of a new record, the audit entries) and sends them together. A
// unit that only creates records and audit entries costs one round trip:
// its statements go out as one pipelined batch, which PostgreSQL runs as
// one implicit transaction and commits at the batch's end (runPGBatch sends
// it together with the other such units that finish meanwhile). Any statement
// that runs at once (a SELECT, an UPDATE whose row count is checked) first
// sends BEGIN, if not yet sent, and everything held back, so it sees them
// and they keep their order; what is held back after it goes out with the
// next such statement or with COMMIT.
type pgTx struct {
	db   *DB
	conn *sql.Conn
	// ctx is the transaction's own context, derived from InTx's and
	// cancelled when the transaction ends, so that rows a unit left open
	// close and release the connection.
	ctx    context.Context
	parent context.Context
	cancel context.CancelFunc
	begun  bool
	queue  []queued
	failed error // a held-back statement failed: the unit fails with this
}

// queued is a statement held back until the next batch.
type queued struct {
	query string // rebound
	args  []any
	what  string // for an unexpected error: "create team", say
	audit bool   // an audit append, which takes the chain head's lock
	// failed maps the statement's error to the unit's (a constraint
	// violation to a field error, say); nil, or a nil result, means the
	// error is unexpected.
	failed func(error) error
}

func (q queued) mapErr(db *DB, err error) error {
	if q.failed != nil {
		if e := q.failed(err); e != nil {
			return e
		}
	}
	what := q.what
	if what == "" {
		what = "write"
	}
	return db.fault(err, what)
}

func (db *DB) beginPG(ctx context.Context) (*pgTx, error) {
	c, err := db.w.Conn(ctx)
	if err != nil {
		return nil, db.fault(err, "connect")
	}
	own, cancel := context.WithCancel(ctx)
	return &pgTx{db: db, conn: c, ctx: own, parent: ctx, cancel: cancel}, nil
}

// hold queues a statement for the next batch.
func (p *pgTx) hold(what, query string, failed func(error) error, args ...any) {
	p.queue = append(p.queue, queued{query: p.db.q(query), args: args, what: what, failed: failed})
}

// flush opens the transaction if need be and sends what was held back.
func (p *pgTx) flush(ctx context.Context) error {
	if p.failed != nil {
		return p.failed
	}
	stmts := p.queue
	p.queue = nil
	if !p.begun {
		p.begun = true
		stmts = append([]queued{{query: "BEGIN"}}, stmts...)
	}
	if len(stmts) == 0 {
		return nil
	}
	if err := p.send(ctx, stmts); err != nil {
		p.failed = err
	}
	return p.failed
}

// commit sends what was held back, with COMMIT when the transaction was
// opened explicitly; otherwise the batch is its own transaction.
func (p *pgTx) commit(ctx context.Context) error {
	if p.failed != nil {
		return p.failed
	}
	stmts := p.queue
	p.queue = nil
	if p.begun {
		stmts = append(stmts, queued{query: "COMMIT"})
	}
	if len(stmts) == 0 {
		return nil
	}
	if err := p.send(ctx, stmts); err != nil {
		p.failed = err
		return err
	}
	p.begun = false
	return nil
}

// close rolls back whatever is open and returns the connection to the
// pool; it may be called more than once.
func (p *pgTx) close() {
	if p.conn == nil {
		return
	}
	defer func() { p.conn = nil }()
	p.cancel()
	if p.begun {
		// A connection that cannot roll back is dropped from the pool.
		if _, err := p.conn.ExecContext(context.WithoutCancel(p.parent), "ROLLBACK"); err != nil {
			_ = p.conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
	_ = p.conn.Close()
}

// errRolledBack is COMMIT's answer in a transaction that had failed: a
// unit went on after one of its statements failed.
var errRolledBack = errors.New("the transaction had failed and was rolled back at commit")

// send runs stmts as one pipelined batch and returns the first failure,
// mapped. PostgreSQL skips the rest of a batch after a failure.
func (p *pgTx) send(ctx context.Context, stmts []queued) error {
	_, err, _ := p.sendAt(ctx, stmts)
	return err
}

// sendAt is send that also says which statement failed because of the
// data it wrote (a constraint violated, a value refused): its index, or
// -1 when the failure is the batch's as a whole (the connection, the
// commit, a deadlock) or nothing failed. raw is the error as the driver
// gave it.
func (p *pgTx) sendAt(ctx context.Context, stmts []queued) (at int, failed, raw error) {
	at = -1
	err := p.conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		b := &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(s.query, s.args...)
		}
		br := c.SendBatch(p.stmtCtx(ctx), b)
		for i, s := range stmts {
			tag, err := br.Exec()
			if err != nil {
				failed, raw = s.mapErr(p.db, err), err
				var pe *pgconn.PgError
				if errors.As(err, &pe) && (strings.HasPrefix(pe.Code, "22") || strings.HasPrefix(pe.Code, "23")) {
					at = i
				}
				break
			}
			if s.query == "COMMIT" && tag.String() == "ROLLBACK" {
				failed, raw = p.db.fault(errRolledBack, "commit"), errRolledBack
				break
			}
		}
		err := br.Close()
		if failed == nil && err != nil {
			failed, raw = p.db.fault(err, "write"), err
		}
		if c.IsClosed() {
			return driver.ErrBadConn
		}
		return nil
	})
	if failed == nil && err != nil {
		failed, raw = p.db.fault(err, "write"), err
	}
	return at, failed, raw
}

// stmtCtx is the context a statement runs under: the caller's, ended too
// when the transaction ends.
func (p *pgTx) stmtCtx(ctx context.Context) context.Context {
	if ctx == p.parent || ctx == p.ctx {
		return p.ctx
	}
	c, cancel := context.WithCancel(ctx)
	context.AfterFunc(p.ctx, cancel)
	return c
}

// The querier methods run a statement now, after what was held back.

func (p *pgTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	res, err := p.conn.ExecContext(p.stmtCtx(ctx), query, args...)
	p.fail(err)
	return res, err
}

func (p *pgTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	rows, err := p.conn.QueryContext(p.stmtCtx(ctx), query, args...)
	p.fail(err)
	return rows, err
}

// fail records a statement's failure as the unit's: PostgreSQL has aborted
// the transaction, and the unit fails with this error whatever it returns
// (Tx.mapped replaces it with its meaning, a field error say).
func (p *pgTx) fail(err error) {
	if err != nil && p.failed == nil {
		p.failed = p.db.fault(err, "write")
	}
}

// QueryRowContext cannot return the error of a held-back statement itself:
// the row it returns then fails with a cancelled context, without running
// anything, and the unit ends with the held-back statement's error (see
// inTxPG).
func (p *pgTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if err := p.flush(ctx); err != nil {
		done, cancel := context.WithCancel(ctx)
		cancel()
		return p.conn.QueryRowContext(done, query, args...)
	}
	return p.conn.QueryRowContext(p.stmtCtx(ctx), query, args...)
}

// inTxPG runs fn in a write transaction on PostgreSQL.
func (db *DB) inTxPG(ctx context.Context, fn func(tx *Tx) error) error {
	p, err := db.beginPG(ctx)
	if err != nil {
		return err
	}
	defer p.close()
	tx := &Tx{conn: conn{db: db, x: p}, pg: p, now: db.Now()}
	err = runUnit(ctx, tx, fn)
	if p.failed != nil {
		// The unit's own error may only be the echo of a held-back
		// statement's failure.
		return p.failed
	}
	if err != nil {
		return err
	}
	tx.flushAudit()
	if !p.begun && len(p.queue) == 0 {
		// Nothing was written: nothing to commit.
		p.close()
		for _, f := range tx.after {
			f()
		}
		return nil
	}
	if !p.begun {
		// Nothing sent yet: the unit is whole in its held-back statements
		// and goes to group commit, which sends it with those of the
		// units that finish meanwhile.
		stmts := p.queue
		p.close()
		return db.pgBatch.submit(&unit{ctx: ctx, stmts: stmts, after: tx.after})
	}
	if err := p.commit(ctx); err != nil {
		return err
	}
	for _, f := range tx.after {
		f()
	}
	return nil
}

// runPGBatch sends the held-back statements of several units as one
// pipelined batch: one implicit transaction, one round trip, one flush to
// disk and one turn at the audit chain's lock for all of them. The units'
// record statements go first and their audit appends last, both in unit
// order, so that a batch, like a single unit, takes the chain's lock after
// every other lock it needs; taking it in the middle could deadlock with
// other writers. When a unit's statement fails on its data (a duplicate
// name, say), that unit alone fails with its own error and the batch is
// sent again without it. When the batch fails as a whole with an error
// worth retrying (a deadlock, a serialization failure), each unit is sent
// on its own; any other failure of the whole batch fails every unit.
//
// A caller who gives up does not abort the others: the batch is cancelled
// (on the server, and truthfully, as for a single unit) only once every
// caller still in it has given up. Until then each waits for the real
// outcome.
func (db *DB) runPGBatch(batch []*unit) {
	live := make([]*unit, 0, len(batch))
	for _, u := range batch {
		if err := u.ctx.Err(); err != nil {
			u.err = err // gave up before it was sent: nothing was done
			continue
		}
		live = append(live, u)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waiting atomic.Int64
	waiting.Store(int64(len(live)))
	gaveUp := func() {
		if waiting.Add(-1) == 0 {
			cancel()
		}
	}
	stops := make(map[*unit]func() bool, len(live))
	for _, u := range live {
		stops[u] = context.AfterFunc(u.ctx, gaveUp)
	}
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	// done answers u, which then no longer counts among those waiting.
	done := func(u *unit, err error) {
		u.err = err
		if err != nil {
			u.after = nil
		}
		if stops[u]() {
			gaveUp()
		}
		delete(stops, u)
	}
	p, err := db.beginPG(ctx)
	if err != nil {
		failAll(live, err)
		return
	}
	defer p.close()
	for len(live) > 0 {
		stmts, owner := batchStatements(live)
		at, err, raw := p.sendAt(ctx, stmts)
		switch {
		case err == nil:
			return
		case at >= 0:
			k := owner[at]
			done(live[k], err)
			live = slices.Delete(live, k, k+1)
			continue
		case len(live) > 1 && retryable(raw):
			for _, u := range live {
				_, err, _ := p.sendAt(ctx, u.stmts)
				done(u, err)
			}
			return
		}
		failAll(live, db.fault(raw, "write"))
		return
	}
}

// batchStatements lays out the units' statements, records first and audit
// appends last, and says which unit owns each.
func batchStatements(units []*unit) (stmts []queued, owner []int) {
	for _, audit := range []bool{false, true} {
		for k, u := range units {
			for _, s := range u.stmts {
				if s.audit == audit {
					stmts, owner = append(stmts, s), append(owner, k)
				}
			}
		}
	}
	return stmts, owner
}

// retryable reports a failure that says nothing about the data: sent again
// alone, the same statements may well succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40P01", "40001", "55P03": // deadlock, serialization failure, lock not available
		return true
	}
	return false
}

// idBlock is how many ids a PostgreSQL instance reserves at a time.
const idBlock = 32

// idBlocks hands out ids reserved from each table's identity sequence, so
// that an INSERT need not return its id and can be held back. Ids stay
// unique across instances, but across instances they no longer follow the
// order of creation, and a block an instance does not use up is skipped.
type idBlocks struct {
	mu   sync.Mutex
	free map[string][]int64
}

func (b *idBlocks) take(table string) (int64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids := b.free[table]
	if len(ids) == 0 {
		return 0, false
	}
	b.free[table] = ids[1:]
	return ids[0], true
}

func (b *idBlocks) add(table string, ids []int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.free == nil {
		b.free = map[string][]int64{}
	}
	b.free[table] = append(b.free[table], ids...)
}

// nextID returns a new id for a row of table. On SQLite it returns nil:
// the INSERT assigns the id itself.
func (tx *Tx) nextID(ctx context.Context, table string) (any, error) {
	if tx.pg == nil {
		return nil, nil
	}
	b := &tx.db.ids
	if id, ok := b.take(table); ok {
		return id, nil
	}
	// Reserved without holding the lock: writers that find the block empty
	// at the same time each reserve one, and all of them are used. nextval
	// is outside transactions, so this needs no BEGIN.
	rows, err := tx.pg.conn.QueryContext(tx.pg.stmtCtx(ctx), "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, idBlock)
	if err != nil {
		return nil, tx.db.fault(err, "reserve ids")
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return nil, tx.db.fault(err, "reserve ids")
	}
	b.add(table, ids[1:])
	return ids[0], nil
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errors.New("no ids reserved")
	}
	return ids, nil
}

// insert adds a row and returns its id. query is an INSERT whose first
// column is id, without a RETURNING clause; args are the values after the
// id. failed maps a constraint violation to the caller's error (nil for
// an unexpected one). On PostgreSQL the id is reserved in advance and the
// INSERT held back until the next batch, so its failure surfaces later,
// from the statement that sends it or from the commit; on SQLite it runs
// at once.
func (tx *Tx) insert(ctx context.Context, table string, failed func(error) error, query string, args ...any) (int64, error) {
	id, err := tx.nextID(ctx, table)
	if err != nil {
		return 0, err
	}
	args = append([]any{id}, args...)
	what := "create " + table
	if tx.pg != nil {
		return id.(int64), tx.write(ctx, what, failed, query, args...)
	}
	res, err := tx.exec(ctx, query, args...)
	if err != nil {
		return 0, tx.mapped(queued{what: what, failed: failed}.mapErr(tx.db, err))
	}
	got, err := res.LastInsertId()
	if err != nil {
		return 0, tx.db.fault(err, what)
	}
	return got, nil
}

// write runs a statement whose result nobody reads; what names it in an
// unexpected error and failed is as for insert. On PostgreSQL it is held
// back until the next batch.
func (tx *Tx) write(ctx context.Context, what string, failed func(error) error, query string, args ...any) error {
	if tx.pg != nil {
		tx.pg.hold(what, query, failed, args...)
		return nil
	}
	if _, err := tx.exec(ctx, query, args...); err != nil {
		return tx.mapped(queued{what: what, failed: failed}.mapErr(tx.db, err))
	}
	return nil
}

// pgAppend is the audit append on PostgreSQL, one statement per entry,
// held back to go with the commit. The database chains the entry: it
// advances the head row (which locks it until commit) and computes the
// hash exactly as audit.Hash does, from the previous hash, the new
// sequence number and the rest of the entry, which the caller encodes.
const pgAppend = `WITH head AS (
	UPDATE audit_head SET seq = seq + 1, prev_hash = hash,
		hash = encode(sha256(convert_to(octet_length(hash) || ':' || hash || length((seq + 1)::text) || ':' || (seq + 1)::text, 'UTF8') || ?::bytea), 'hex')
	WHERE id = 1 RETURNING seq, prev_hash, hash)
INSERT INTO audit_log (seq, at, actor_id, actor_name, via, entity, entity_id, action, diff, prev_hash, hash)
SELECT seq, ?::timestamptz, ?::bigint, ?::text, ?::text, ?::text, ?::bigint, ?::text, ?::text, prev_hash, hash FROM head`

func (p *pgTx) holdAudit(entries []pendingEntry) {
	for _, e := range entries {
		tail := pendingTail(e)
		p.hold("append audit entry", pgAppend, nil, tail, e.at, e.actor.UserID, e.actor.Name, e.actor.Via, e.entity, e.entityID, string(e.action), e.diff)
		p.queue[len(p.queue)-1].audit = true
	}
}
