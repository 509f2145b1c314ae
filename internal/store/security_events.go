package store

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/audit"
)

// AddSecurityEvents writes events in one transaction. They are not record
// changes: no audit entry, no version.
func (db *DB) AddSecurityEvents(ctx context.Context, events []audit.SecurityEvent) error {
	if len(events) == 0 {
		return nil
	}
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return db.fault(err, "begin writing security events")
	}
	defer sqlTx.Rollback() //nolint:errcheck // after Commit, a no-op
	c := conn{db: db, x: sqlTx, tx: sqlTx}
	for _, e := range events {
		if _, err := c.exec(ctx, "INSERT INTO security_events (at, kind, user_id, email, token_id, remote_addr, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
			e.At.UTC(), string(e.Kind), e.UserID, e.Email, e.TokenID, e.RemoteAddr, e.Detail); err != nil {
			return db.fault(err, "write security event")
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return db.fault(err, "commit security events")
	}
	return nil
}

// SecurityEventFilter narrows a listing of security events. Events come
// newest first.
type SecurityEventFilter struct {
	Kind     audit.SecurityKind
	UserID   int64
	From, To *time.Time
	Cursor   string
	Limit    int
}

// ListSecurityEvents returns a page of events, newest first, with the
// name of each event's user, and the cursor of the next page ("" at the
// end).
func (db *DB) ListSecurityEvents(ctx context.Context, f SecurityEventFilter) ([]audit.SecurityEvent, string, error) {
	limit := clampLimit(f.Limit)
	var w whereBuilder
	if f.Cursor != "" {
		before, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		w.add("e.id < ?", before)
	}
	if f.Kind != "" {
		w.add("e.kind = ?", string(f.Kind))
	}
	if f.UserID != 0 {
		w.add("e.user_id = ?", f.UserID)
	}
	if f.From != nil {
		w.add("e.at >= ?", f.From.UTC())
	}
	if f.To != nil {
		w.add("e.at < ?", f.To.UTC())
	}
	q := "SELECT e.id, e.at, e.kind, e.user_id, COALESCE(u.name, ''), e.email, e.token_id, e.remote_addr, e.detail" +
		" FROM security_events e LEFT JOIN users u ON u.id = e.user_id AND e.user_id <> 0" + w.sql() +
		fmt.Sprintf(" ORDER BY e.id DESC LIMIT %d", limit+1)
	rows, err := db.reader().query(ctx, q, w.args...)
	if err != nil {
		return nil, "", db.fault(err, "list security events")
	}
	return collectPage(rows, limit, scanSecurityEvent, func(e audit.SecurityEvent) int64 { return e.ID })
}

func scanSecurityEvent(sc interface{ Scan(...any) error }) (audit.SecurityEvent, error) {
	var e audit.SecurityEvent
	var kind string
	if err := sc.Scan(&e.ID, &e.At, &kind, &e.UserID, &e.UserName, &e.Email, &e.TokenID, &e.RemoteAddr, &e.Detail); err != nil {
		return e, err
	}
	e.At, e.Kind = e.At.UTC(), audit.SecurityKind(kind)
	return e, nil
}

// PurgeSecurityEvents removes the events older than before and says how
// many it removed.
func (db *DB) PurgeSecurityEvents(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.writer().exec(ctx, "DELETE FROM security_events WHERE at < ?", before.UTC())
	if err != nil {
		return 0, db.fault(err, "purge security events")
	}
	return res.RowsAffected()
}
