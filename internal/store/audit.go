package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
)

type pendingEntry struct {
	at       time.Time
	actor    access.Actor
	entity   string
	entityID int64
	action   audit.Action
	diff     string
}

// Record adds an audit entry for a change made in this transaction; before
// and after are the record's states (nil on create and delete). secret
// names fields whose values are replaced by "[redacted]".
func (tx *Tx) Record(actor access.Actor, entity string, id int64, action audit.Action, before, after any, secret ...string) error {
	changes, err := audit.Diff(before, after)
	if err != nil {
		return err
	}
	return tx.RecordChanges(actor, entity, id, action, changes, secret...)
}

// RecordChanges adds an audit entry with changes computed by the caller.
func (tx *Tx) RecordChanges(actor access.Actor, entity string, id int64, action audit.Action, changes []audit.Change, secret ...string) error {
	for i := range changes {
		for _, s := range secret {
			if changes[i].Field == s {
				if string(changes[i].Before) != "null" {
					changes[i].Before = audit.Redacted
				}
				if string(changes[i].After) != "null" {
					changes[i].After = audit.Redacted
				}
			}
		}
	}
	tx.pending = append(tx.pending, pendingEntry{tx.now, actor, entity, id, action, audit.EncodeChanges(changes)})
	return nil
}

// flushAudit hands the pending entries to the PostgreSQL transaction,
// which chains them in the database as it commits (pgtx.go). SQLite
// chains a whole batch's entries at once instead (batch.go).
func (tx *Tx) flushAudit() {
	tx.pg.holdAudit(tx.pending)
	tx.pending = nil
}

// appendAudit chains entries onto the trail on SQLite: one lock of the
// head for all of them, however many units they come from.
func (c conn) appendAudit(ctx context.Context, entries []pendingEntry) error {
	n := int64(len(entries))
	if n == 0 {
		return nil
	}
	var last int64
	var prev string
	if err := c.queryRow(ctx, "UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash", n).Scan(&last, &prev); err != nil {
		return c.db.fault(err, "lock audit chain")
	}
	seq := last - n + 1
	var before string
	for _, p := range entries {
		e := audit.Entry{
			Seq: seq, At: p.at, ActorID: p.actor.UserID, ActorName: p.actor.Name, Via: p.actor.Via,
			Entity: p.entity, EntityID: p.entityID, Action: p.action, Diff: p.diff, PrevHash: prev,
		}
		e.Hash = audit.Hash(prev, e)
		if _, err := c.exec(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor_name, via, entity, entity_id, action, diff, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Seq, e.At, e.ActorID, e.ActorName, e.Via, e.Entity, e.EntityID, string(e.Action), e.Diff, e.PrevHash, e.Hash); err != nil {
			return c.db.fault(err, "append audit entry")
		}
		before, prev = prev, e.Hash
		seq++
	}
	if _, err := c.exec(ctx, "UPDATE audit_head SET hash = ?, prev_hash = ? WHERE id = 1", prev, before); err != nil {
		return c.db.fault(err, "advance audit chain")
	}
	return nil
}

// AuditFilter narrows a listing of the trail. Entries come newest first.
type AuditFilter struct {
	Entity    string
	NotEntity string // leave out this kind (the sign-ins and sign-outs, say)
	EntityID  int64
	ActorID   int64
	Action    audit.Action
	From, To  *time.Time
	Cursor    string
	Limit     int
}

const auditColumns = "seq, at, actor_id, actor_name, via, entity, entity_id, action, diff, prev_hash, hash"

func scanEntry(sc interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var action string
	if err := sc.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Via, &e.Entity, &e.EntityID, &action, &e.Diff, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	e.At = e.At.UTC()
	e.Action = audit.Action(action)
	return e, nil
}

// ListAudit returns a page of entries, newest first, and the cursor of the
// next page ("" at the end).
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, string, error) {
	limit := clampLimit(f.Limit)
	var where []string
	var args []any
	if f.Cursor != "" {
		before, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "seq < ?"), append(args, before)
	}
	if f.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, f.Entity)
	}
	if f.NotEntity != "" {
		where, args = append(where, "entity <> ?"), append(args, f.NotEntity)
	}
	if f.EntityID != 0 {
		where, args = append(where, "entity_id = ?"), append(args, f.EntityID)
	}
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, string(f.Action))
	}
	if f.From != nil {
		where, args = append(where, "at >= ?"), append(args, f.From.UTC())
	}
	if f.To != nil {
		where, args = append(where, "at < ?"), append(args, f.To.UTC())
	}
	q := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY seq DESC LIMIT %d", limit+1)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, "", db.fault(err, "list audit trail")
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, "", db.fault(err, "read audit entry")
		}
		if e.Changes, err = audit.DecodeChanges(e.Diff); err != nil {
			return nil, "", err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", db.fault(err, "list audit trail")
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = encodeCursor(out[len(out)-1].Seq)
	}
	return out, next, nil
}

// GetAuditEntry reads one entry by its sequence number.
func (db *DB) GetAuditEntry(ctx context.Context, seq int64) (audit.Entry, error) {
	e, err := scanEntry(db.reader().queryRow(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE seq = ?", seq))
	if err != nil {
		return e, notFound(err, "audit entry", seq)
	}
	if e.Changes, err = audit.DecodeChanges(e.Diff); err != nil {
		return e, err
	}
	return e, nil
}

// EachAuditEntry calls fn with every entry of the trail, oldest first, a
// page at a time.
func (db *DB) EachAuditEntry(ctx context.Context, fn func(audit.Entry) error) error {
	after := int64(0)
	for {
		rows, err := db.reader().query(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000", after)
		if err != nil {
			return db.fault(err, "read audit trail")
		}
		var page []audit.Entry
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				rows.Close()
				return db.fault(err, "read audit entry")
			}
			page = append(page, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.fault(err, "read audit trail")
		}
		for _, e := range page {
			var err error
			if e.Changes, err = audit.DecodeChanges(e.Diff); err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
			after = e.Seq
		}
		if len(page) < 1000 {
			return nil
		}
	}
}

// VerifyResult is the outcome of walking the whole chain.
type VerifyResult struct {
	Entries int64
	HeadSeq int64
	Problem *audit.Problem
}

// VerifyAudit walks the chain from the first entry and reports the first
// entry that was altered or removed. It reads a consistent snapshot on
// PostgreSQL and on SQLite (one read transaction).
func (db *DB) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	var res VerifyResult
	sqlTx, err := db.r.BeginTx(ctx, &readOnlySnapshot)
	if err != nil {
		return res, db.fault(err, "begin verify")
	}
	defer sqlTx.Rollback() //nolint:errcheck // read-only
	c := conn{db: db, x: sqlTx}
	var headHash string
	if err := c.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&res.HeadSeq, &headHash); err != nil {
		return res, db.fault(err, "read audit head")
	}
	v := audit.NewVerifier()
	const batch = 5000
	after := int64(0)
	for {
		rows, err := c.query(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", after, batch)
		if err != nil {
			return res, db.fault(err, "read audit trail")
		}
		n := 0
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				rows.Close()
				return res, db.fault(err, "read audit entry")
			}
			n++
			after = e.Seq
			if p := v.Next(e); p != nil {
				rows.Close()
				res.Entries = v.Count()
				res.Problem = p
				return res, nil
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return res, db.fault(err, "read audit trail")
		}
		if n < batch {
			break
		}
	}
	res.Entries = v.Count()
	res.Problem = v.Finish(res.HeadSeq, headHash)
	return res, nil
}

// CountAudit returns the number of entries in the trail.
func (db *DB) CountAudit(ctx context.Context) (int64, error) {
	var n int64
	err := db.reader().queryRow(ctx, "SELECT seq FROM audit_head WHERE id = 1").Scan(&n)
	if err != nil {
		return 0, db.fault(err, "count audit trail")
	}
	return n, nil
}

// pendingTail is the part of an entry's hash input that does not depend on
// its place in the chain.
func pendingTail(p pendingEntry) []byte {
	return audit.HashTail(audit.Entry{At: p.at, ActorID: p.actor.UserID, ActorName: p.actor.Name, Via: p.actor.Via,
		Entity: p.entity, EntityID: p.entityID, Action: p.action, Diff: p.diff})
}
