package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/conform-itsm/conform/internal/audit"
)

// AddCheckpoint keeps a copy of a signed checkpoint, so that every
// instance can show the latest. The copy in the database proves nothing
// by itself: the checkpoint log outside the database does.
func (db *DB) AddCheckpoint(ctx context.Context, c audit.Checkpoint) error {
	if _, err := db.writer().exec(ctx, "INSERT INTO audit_checkpoints (seq, hash, at, public_key, signature) VALUES (?, ?, ?, ?, ?)",
		c.Seq, c.Hash, c.At.UTC(), c.Key, c.Signature); err != nil {
		return db.fault(err, "store audit checkpoint")
	}
	return nil
}

// LatestCheckpoint returns the newest checkpoint kept, and false if there
// is none.
func (db *DB) LatestCheckpoint(ctx context.Context) (audit.Checkpoint, bool, error) {
	var c audit.Checkpoint
	err := db.reader().queryRow(ctx, "SELECT seq, hash, at, public_key, signature FROM audit_checkpoints ORDER BY id DESC LIMIT 1").
		Scan(&c.Seq, &c.Hash, &c.At, &c.Key, &c.Signature)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, db.fault(err, "read latest audit checkpoint")
	}
	c.At = c.At.UTC()
	return c, true, nil
}

// AuditHashes returns the hash of each of the entries seqs that the trail
// holds (an entry it does not hold is absent from the map), and the
// newest sequence number it holds.
func (db *DB) AuditHashes(ctx context.Context, seqs []int64) (map[int64]string, int64, error) {
	sqlTx, err := db.r.BeginTx(ctx, &readOnlySnapshot)
	if err != nil {
		return nil, 0, db.fault(err, "begin reading audit hashes")
	}
	defer sqlTx.Rollback() //nolint:errcheck // read-only
	c := conn{db: db, x: sqlTx}
	var last int64
	if err := c.queryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM audit_log").Scan(&last); err != nil {
		return nil, 0, db.fault(err, "read audit trail end")
	}
	out := make(map[int64]string, len(seqs))
	const chunk = 500
	for start := 0; start < len(seqs); start += chunk {
		var w whereBuilder
		w.in("seq", seqs[start:min(start+chunk, len(seqs))])
		rows, err := c.query(ctx, "SELECT seq, hash FROM audit_log"+w.sql(), w.args...)
		if err != nil {
			return nil, 0, db.fault(err, "read audit hashes")
		}
		for rows.Next() {
			var seq int64
			var hash string
			if err := rows.Scan(&seq, &hash); err != nil {
				rows.Close()
				return nil, 0, db.fault(err, "read audit hash")
			}
			out[seq] = hash
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, db.fault(err, "read audit hashes")
		}
	}
	return out, last, nil
}
