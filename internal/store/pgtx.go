package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL a round trip to the server costs more than the work of a
// small write, so a write transaction sends as little, as late, as it can.
// pgTx holds back BEGIN and the statements whose results nobody reads (the
// INSERT of a new record, the audit entries) and sends them together. A
// unit that only creates records and audit entries costs one round trip:
// its statements go out as one pipelined batch, which PostgreSQL runs as
// one implicit transaction and commits at the batch's end. The first
// statement whose result is read (a SELECT, an UPDATE whose row count is
// checked) sends BEGIN and everything held back first, so it sees them;
// from there on statements run one by one, and the held-back rest goes out
// with COMMIT.
type pgTx struct {
	db     *DB
	conn   *sql.Conn
	begun  bool
	queue  []queued
	failed error // a held-back statement failed: the unit fails with this
}

// queued is a statement held back until the next batch.
type queued struct {
	query string // rebound
	args  []any
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
	return db.fault(err, "write")
}

func (db *DB) beginPG(ctx context.Context) (*pgTx, error) {
	c, err := db.w.Conn(ctx)
	if err != nil {
		return nil, db.fault(err, "connect")
	}
	return &pgTx{db: db, conn: c}, nil
}

// hold queues a statement for the next batch.
func (p *pgTx) hold(query string, failed func(error) error, args ...any) {
	p.queue = append(p.queue, queued{query: p.db.q(query), args: args, failed: failed})
}

// begin opens the transaction, sending what was held back with it.
func (p *pgTx) begin(ctx context.Context) error {
	if p.failed != nil || p.begun {
		return p.failed
	}
	p.begun = true
	stmts := append([]queued{{query: "BEGIN"}}, p.queue...)
	p.queue = nil
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

// close rolls back whatever is open and returns the connection to the pool.
func (p *pgTx) close() {
	if p.begun {
		// A connection that cannot roll back is dropped from the pool.
		if _, err := p.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			_ = p.conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
	_ = p.conn.Close()
}

// send runs stmts as one pipelined batch and returns the first failure,
// mapped. PostgreSQL skips the rest of a batch after a failure.
func (p *pgTx) send(ctx context.Context, stmts []queued) error {
	var failed error
	err := p.conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		b := &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(s.query, s.args...)
		}
		br := c.SendBatch(ctx, b)
		for _, s := range stmts {
			if _, err := br.Exec(); err != nil {
				failed = s.mapErr(p.db, err)
				break
			}
		}
		err := br.Close()
		if failed == nil && err != nil {
			failed = p.db.fault(err, "write")
		}
		if c.IsClosed() {
			return driver.ErrBadConn
		}
		return nil
	})
	if failed == nil && err != nil {
		failed = p.db.fault(err, "write")
	}
	return failed
}

// The querier methods run a statement now, after opening the transaction.

func (p *pgTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.begin(ctx); err != nil {
		return nil, err
	}
	return p.conn.ExecContext(ctx, query, args...)
}

func (p *pgTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.begin(ctx); err != nil {
		return nil, err
	}
	return p.conn.QueryContext(ctx, query, args...)
}

// QueryRowContext cannot return the error of a held-back statement itself;
// the statement then runs in the failed transaction and fails too, and the
// unit ends with the held-back statement's error (see inTxPG).
func (p *pgTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	_ = p.begin(ctx)
	return p.conn.QueryRowContext(ctx, query, args...)
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
	if err := p.commit(ctx); err != nil {
		return err
	}
	for _, f := range tx.after {
		f()
	}
	return nil
}

// idBlock is how many ids a PostgreSQL instance reserves at a time.
const idBlock = 32

// idBlocks hands out ids reserved from each table's identity sequence, so
// that an INSERT need not return its id and can be held back. Ids stay
// unique across instances; a block an instance does not use up is skipped.
type idBlocks struct {
	mu   sync.Mutex
	free map[string][]int64
}

// nextID returns a new id for a row of table. On SQLite it returns nil:
// the INSERT assigns the id itself.
func (tx *Tx) nextID(ctx context.Context, table string) (any, error) {
	if tx.pg == nil {
		return nil, nil
	}
	b := &tx.db.ids
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.free == nil {
		b.free = map[string][]int64{}
	}
	if len(b.free[table]) == 0 {
		// nextval is outside transactions: reserving needs no BEGIN.
		rows, err := tx.pg.conn.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, idBlock)
		if err != nil {
			return nil, tx.db.fault(err, "reserve ids")
		}
		ids, err := scanIDs(rows)
		if err != nil {
			return nil, tx.db.fault(err, "reserve ids")
		}
		b.free[table] = ids
	}
	id := b.free[table][0]
	b.free[table] = b.free[table][1:]
	return id, nil
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
	if tx.pg != nil {
		return id.(int64), tx.write(ctx, failed, query, args...)
	}
	var got int64
	if err := tx.queryRow(ctx, query+" RETURNING id", args...).Scan(&got); err != nil {
		return 0, queued{failed: failed}.mapErr(tx.db, err)
	}
	return got, nil
}

// write runs a statement whose result nobody reads; failed is as for
// insert. On PostgreSQL it is held back until the next batch.
func (tx *Tx) write(ctx context.Context, failed func(error) error, query string, args ...any) error {
	if tx.pg != nil {
		tx.pg.hold(query, failed, args...)
		return nil
	}
	if _, err := tx.exec(ctx, query, args...); err != nil {
		return queued{failed: failed}.mapErr(tx.db, err)
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
		p.hold(pgAppend, nil, tail, e.at, e.actor.UserID, e.actor.Name, e.actor.Via, e.entity, e.entityID, string(e.action), e.diff)
	}
}
