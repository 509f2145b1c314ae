package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// SQLite has one writer at a time, and a transaction's fixed costs (begin,
// commit, writing the touched pages to the WAL) dwarf those of a small
// change. The batcher is group commit: write transactions that arrive
// while another is running are queued, and the next one to run takes the
// whole queue into one SQLite transaction, each unit inside its own
// savepoint. A unit that fails is rolled back to its savepoint alone; the
// others commit together, and no unit is acknowledged before that commit.
//
// There is no background goroutine: the first caller that finds nobody
// writing becomes the leader, runs the queue, and hands leadership to the
// first unit that queued meanwhile.
type batcher struct {
	run     func(batch []*unit) // runs a batch and sets each unit's result
	mu      sync.Mutex
	queue   []*unit
	leading bool
	batches atomic.Int64 // transactions run
	units   atomic.Int64 // units they held
}

type unit struct {
	ctx   context.Context
	fn    func(tx *Tx) error // SQLite: the work, run in the batch
	stmts []queued           // PostgreSQL: the work, done but for sending
	err   error
	after []func()
	done  chan bool // true: you lead the next batch; false: your result is set
}

// maxBatch bounds how many units share one transaction.
const maxBatch = 64

func (b *batcher) do(ctx context.Context, fn func(tx *Tx) error) error {
	return b.submit(&unit{ctx: ctx, fn: fn})
}

// submit queues u and returns its result once its batch has committed.
func (b *batcher) submit(u *unit) error {
	u.done = make(chan bool, 1)
	b.mu.Lock()
	b.queue = append(b.queue, u)
	lead := !b.leading
	b.leading = true
	b.mu.Unlock()
	if !lead {
		select {
		case lead = <-u.done:
		case <-u.ctx.Done():
			if b.withdraw(u) {
				return u.ctx.Err() // gave up while queued: nothing was done
			}
			lead = <-u.done
		}
	}
	if lead {
		b.lead()
	}
	if u.err != nil {
		return u.err
	}
	for _, f := range u.after {
		f()
	}
	return nil
}

// withdraw takes u out of the queue if it is still only queued, passing
// on the lead if it had just been handed it, and reports whether it did.
// A unit already taken into a batch must wait for that batch's outcome.
func (b *batcher) withdraw(u *unit) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	i := slices.Index(b.queue, u)
	if i < 0 {
		return false
	}
	b.queue = slices.Delete(b.queue, i, i+1)
	select {
	case <-u.done: // the lead, handed to u while it gave up
		if len(b.queue) > 0 {
			b.queue[0].done <- true
		} else {
			b.leading = false
		}
	default:
	}
	return true
}

// lead runs one batch from the head of the queue (which holds the
// caller's own unit), then hands over to the next waiting unit, if any.
func (b *batcher) lead() {
	b.mu.Lock()
	n := min(len(b.queue), maxBatch)
	batch := b.queue[:n:n]
	b.queue = b.queue[n:]
	b.mu.Unlock()

	func() {
		// A panic must not leave the batcher with a leader that is gone.
		defer func() {
			if p := recover(); p != nil {
				failAll(batch, fmt.Errorf("write batch panicked: %v", p))
			}
		}()
		b.run(batch)
	}()
	b.batches.Add(1)
	b.units.Add(int64(len(batch)))

	b.mu.Lock()
	if len(b.queue) > 0 {
		b.queue[0].done <- true
	} else {
		b.leading = false
	}
	b.mu.Unlock()
	// The leader's own unit is batch[0]; it reads its result on return.
	for _, u := range batch[1:] {
		u.done <- false
	}
}

// WriteBatches reports how many grouped write transactions ran and how
// many units of work they held (equal when nothing was grouped). On
// PostgreSQL only the units that were sent whole at commit are grouped.
func (db *DB) WriteBatches() (batches, units int64) {
	b := db.batch
	if b == nil {
		b = db.pgBatch
	}
	return b.batches.Load(), b.units.Load()
}

// runBatch runs the units in one transaction and sets each unit's result.
func (db *DB) runBatch(batch []*unit) {
	ctx := context.Background() // one caller giving up must not abort the others
	defer func() {
		if db.wstmts.pending() {
			db.wstmts.prepareWanted(ctx)
		}
	}()
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		for _, u := range batch {
			u.err = db.fault(err, "begin transaction")
		}
		return
	}
	c := conn{db: db, x: sqlTx, tx: sqlTx, stmts: db.wstmts}
	single := len(batch) == 1
	// The audit entries of the units that succeed are chained once, at the
	// end, rather than each unit locking and moving the chain head.
	var entries []pendingEntry
	for _, u := range batch {
		if err := u.ctx.Err(); err != nil {
			u.err = err // gave up before it started: nothing was done
			continue
		}
		if !single {
			if _, err := c.exec(ctx, "SAVEPOINT unit"); err != nil {
				u.err = db.fault(err, "savepoint")
				continue
			}
		}
		uc := c
		uc.unit = &unitState{ctx: ctx}
		tx := &Tx{conn: uc, now: db.Now()}
		u.err = runUnit(context.WithoutCancel(u.ctx), tx, u.fn)
		if u.err == nil && uc.unit.failed != nil {
			u.err = uc.unit.failed // the unit swallowed a failed statement
		}
		u.after = tx.after
		if u.err == nil {
			entries = append(entries, tx.pending...)
		}
		if single {
			break
		}
		if u.err != nil {
			if _, err := c.exec(ctx, "ROLLBACK TO unit"); err != nil {
				// The transaction cannot be trusted any more: nothing commits.
				failAll(batch, db.fault(err, "roll back to savepoint"))
				_ = sqlTx.Rollback()
				return
			}
		}
		if _, err := c.exec(ctx, "RELEASE unit"); err != nil {
			failAll(batch, db.fault(err, "release savepoint"))
			_ = sqlTx.Rollback()
			return
		}
	}
	if single && batch[0].err != nil {
		_ = sqlTx.Rollback()
		return
	}
	if err := c.appendAudit(ctx, entries); err != nil {
		failAll(batch, err)
		_ = sqlTx.Rollback()
		return
	}
	if err := sqlTx.Commit(); err != nil {
		failAll(batch, db.fault(err, "commit"))
	}
}

// runUnit runs one unit's work, turning a panic into an error so that a
// batch survives it.
func runUnit(ctx context.Context, tx *Tx, fn func(tx *Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write transaction panicked: %v", p)
		}
	}()
	return fn(tx)
}

func failAll(batch []*unit, err error) {
	for _, u := range batch {
		if u.err == nil {
			u.err = err
		}
		u.after = nil
	}
}
