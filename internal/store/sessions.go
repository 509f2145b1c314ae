package store

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
)

// Sessions is the sessions table: signed-in browsers, by the hash of
// their cookie's secret.
var Sessions = NewTable(TableDef[account.Session]{
	Name: "sessions", Entity: account.SessionKind.Entity,
	Columns: []Column[account.Session]{
		Col("hash", func(s *account.Session) any { return &s.Hash }),
		Col("user_id", func(s *account.Session) any { return &s.UserID }),
		Col("csrf", func(s *account.Session) any { return &s.CSRF }),
		Col("last_seen_at", func(s *account.Session) any { return &s.LastSeenAt }),
		Col("expires_at", func(s *account.Session) any { return &s.ExpiresAt }),
		Col("remote_addr", func(s *account.Session) any { return &s.RemoteAddr }),
		Col("user_agent", func(s *account.Session) any { return &s.UserAgent }),
	},
	Unique:      []Unique{{Index: "sessions_hash", Column: "hash", Field: "session", Reason: "clashes with another session; sign in again"}},
	ForeignKeys: []ForeignKey{{Column: "user_id", Field: "user_id", Reason: "names no user"}},
})

// SessionUser is a session together with its user.
type SessionUser struct {
	Session account.Session
	User    account.User
}

// CreateSession stores a new signed-in session made by actor (the user
// signing in), with its audit entry.
func (tx *Tx) CreateSession(ctx context.Context, actor access.Actor, s account.Session) (account.Session, error) {
	return s, Sessions.Insert(ctx, tx, actor, &s)
}

// ListSessions returns a user's sessions that have not expired at now,
// the most recently used first.
func (db *DB) ListSessions(ctx context.Context, userID int64, now time.Time) ([]account.Session, error) {
	rows, err := db.reader().query(ctx, "SELECT "+Sessions.Columns()+" FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC, id DESC LIMIT 100", userID, now.UTC())
	if err != nil {
		return nil, db.fault(err, "list sessions")
	}
	out, _, err := collectPage(rows, 100, Sessions.Scan, func(s account.Session) int64 { return s.ID })
	return out, err
}

// GetSession reads one session.
func (db *DB) GetSession(ctx context.Context, id int64) (account.Session, error) {
	return Sessions.Get(ctx, db.reader(), id)
}

// SessionByHash finds a session and its user.
func (db *DB) SessionByHash(ctx context.Context, hash string) (SessionUser, error) {
	var su SessionUser
	var role string
	s := &su.Session
	u := &su.User
	err := db.reader().queryRow(ctx, `SELECT s.id, s.user_id, s.csrf, s.created_at, s.last_seen_at, s.expires_at, s.version,
			u.email, u.name, u.role, u.org_id, u.active, u.version, u.theme, u.language, u.time_zone
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?`, hash).Scan(
		&s.ID, &s.UserID, &s.CSRF, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.Version,
		&u.Email, &u.Name, &role, &u.OrgID, &u.Active, &u.Version, &u.Theme, &u.Language, &u.TimeZone)
	if err != nil {
		return su, notFound(err, "session", "")
	}
	u.ID, u.Role = s.UserID, access.Role(role)
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	return su, nil
}

// TouchSession moves a session's idle clock on.
func (db *DB) TouchSession(ctx context.Context, id int64, at time.Time) error {
	if _, err := db.writer().exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", at.UTC(), id); err != nil {
		return db.fault(err, "touch session")
	}
	return nil
}

// DeleteSession ends a session read at version (0: any), once check (the
// use case's rules) allows it, with its audit entry.
func (tx *Tx) DeleteSession(ctx context.Context, actor access.Actor, id, version int64, check func(account.Session) error) error {
	_, err := Sessions.Delete(ctx, tx, actor, id, version, check)
	return err
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle
// longer than idle, and returns how many.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	res, err := db.writer().exec(ctx, "DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?", now.UTC(), now.Add(-idle).UTC())
	if err != nil {
		return 0, db.fault(err, "delete expired sessions")
	}
	return res.RowsAffected()
}
