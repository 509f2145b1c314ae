package store

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
)

// SessionUser is a session together with its user.
type SessionUser struct {
	Session account.Session
	User    account.User
}

// CreateSession stores a new signed-in session (by the hash of its cookie).
func (tx *Tx) CreateSession(ctx context.Context, s account.Session, hash, remoteAddr, userAgent string) (account.Session, error) {
	var err error
	s.ID, err = tx.insert(ctx, "sessions", nil, `INSERT INTO sessions (id, hash, user_id, csrf, created_at, last_seen_at, expires_at, remote_addr, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		hash, s.UserID, s.CSRF, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, remoteAddr, userAgent)
	return s, err
}

// SessionByHash finds a session and its user.
func (db *DB) SessionByHash(ctx context.Context, hash string) (SessionUser, error) {
	var su SessionUser
	var role string
	s := &su.Session
	u := &su.User
	err := db.reader().queryRow(ctx, `SELECT s.id, s.user_id, s.csrf, s.created_at, s.last_seen_at, s.expires_at,
			u.email, u.name, u.role, u.org_id, u.active, u.version
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?`, hash).Scan(
		&s.ID, &s.UserID, &s.CSRF, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt,
		&u.Email, &u.Name, &role, &u.OrgID, &u.Active, &u.Version)
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

// DeleteSession ends a session.
func (tx *Tx) DeleteSession(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE id = ?", id); err != nil {
		return tx.db.fault(err, "delete session")
	}
	return nil
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
