package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
)

// MFA is a user's second factor: a TOTP secret, offered or enabled.
type MFA struct {
	UserID       int64
	Secret       string
	Enabled      bool
	LastStep     int64 // the newest time step a code was accepted for
	EnabledAt    *time.Time
	RecoveryLeft int // unused recovery codes
}

// GetMFA reads a user's second factor; NotFound when they have none, not
// even offered.
func (db *DB) GetMFA(ctx context.Context, userID int64) (MFA, error) {
	m := MFA{UserID: userID}
	var enabledAt sql.NullTime
	err := db.reader().queryRow(ctx, "SELECT secret, enabled, last_step, enabled_at FROM user_mfa WHERE user_id = ?", userID).
		Scan(&m.Secret, &m.Enabled, &m.LastStep, &enabledAt)
	if err != nil {
		return m, notFound(err, "second factor of user", userID)
	}
	if enabledAt.Valid {
		t := enabledAt.Time.UTC()
		m.EnabledAt = &t
	}
	if err := db.reader().queryRow(ctx, "SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&m.RecoveryLeft); err != nil {
		return m, db.fault(err, "count recovery codes")
	}
	return m, nil
}

// OfferMFA stores secret as the one a user is setting up, replacing one
// offered before; it leaves an enabled second factor alone and reports
// whether it stored the secret.
func (db *DB) OfferMFA(ctx context.Context, userID int64, secret string, at time.Time) (bool, error) {
	res, err := db.writer().exec(ctx, `INSERT INTO user_mfa (user_id, secret, enabled, last_step, created_at) VALUES (?, ?, ?, 0, ?)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0
		WHERE user_mfa.enabled = ?`, userID, secret, false, at.UTC(), false)
	if err != nil {
		return false, db.fault(err, "offer second factor")
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func jsonValue(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// EnableMFA switches a user's second factor on with secret, the time step
// of the code that confirmed it already used, and replaces their recovery
// codes with codeHashes. The audit entry (on the user) says two-factor
// sign-in went on, never the secret or the codes.
func (tx *Tx) EnableMFA(ctx context.Context, actor access.Actor, userID int64, secret string, step int64, codeHashes []string) error {
	res, err := tx.exec(ctx, `INSERT INTO user_mfa (user_id, secret, enabled, last_step, created_at, enabled_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, enabled = excluded.enabled, last_step = excluded.last_step, enabled_at = excluded.enabled_at
		WHERE user_mfa.enabled = ?`, userID, secret, true, step, tx.now, tx.now, false)
	if err != nil {
		return tx.db.fault(err, "enable second factor")
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errs.E(errs.Conflict, "two-factor sign-in is already on")
	}
	if err := tx.putRecoveryCodes(ctx, userID, codeHashes); err != nil {
		return err
	}
	return tx.RecordChanges(actor, "user", userID, audit.Update, []audit.Change{
		{Field: "two_factor", Before: jsonValue(false), After: jsonValue(true)},
		{Field: "recovery_codes", Before: jsonValue(nil), After: audit.Redacted},
	})
}

// DisableMFA switches a user's second factor off and drops their recovery
// codes, with its audit entry; NotFound if it was not on.
func (tx *Tx) DisableMFA(ctx context.Context, actor access.Actor, userID int64) error {
	res, err := tx.exec(ctx, "DELETE FROM user_mfa WHERE user_id = ? AND enabled = ?", userID, true)
	if err != nil {
		return tx.db.fault(err, "disable second factor")
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errs.E(errs.NotFound, "two-factor sign-in is not on")
	}
	if _, err := tx.exec(ctx, "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userID); err != nil {
		return tx.db.fault(err, "drop recovery codes")
	}
	return tx.RecordChanges(actor, "user", userID, audit.Update, []audit.Change{
		{Field: "two_factor", Before: jsonValue(true), After: jsonValue(false)},
		{Field: "recovery_codes", Before: audit.Redacted, After: jsonValue(nil)},
	})
}

// RemoveSecondFactor drops whatever second factor a user has (on, or
// only offered), their recovery codes and their sign-ins waiting for a
// second step, before the user is deleted; the audit entry on the user
// says what went, so no row leaves with its user unrecorded. Nothing is
// recorded for a user who had none.
func (tx *Tx) RemoveSecondFactor(ctx context.Context, actor access.Actor, userID int64) error {
	var enabled bool
	err := tx.queryRow(ctx, "SELECT enabled FROM user_mfa WHERE user_id = ?", userID).Scan(&enabled)
	had := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return tx.db.fault(err, "read second factor")
	}
	var codes, pending int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ?", userID).Scan(&codes); err != nil {
		return tx.db.fault(err, "count recovery codes")
	}
	if err := tx.queryRow(ctx, "SELECT count(*) FROM pending_signins WHERE user_id = ?", userID).Scan(&pending); err != nil {
		return tx.db.fault(err, "count pending sign-ins")
	}
	if !had && codes == 0 && pending == 0 {
		return nil
	}
	for _, q := range []string{"DELETE FROM pending_signins WHERE user_id = ?", "DELETE FROM mfa_recovery_codes WHERE user_id = ?", "DELETE FROM user_mfa WHERE user_id = ?"} {
		if _, err := tx.exec(ctx, q, userID); err != nil {
			return tx.db.fault(err, "remove second factor")
		}
	}
	var changes []audit.Change
	if had {
		before := "offered"
		if enabled {
			before = "on"
		}
		changes = append(changes, audit.Change{Field: "two_factor", Before: jsonValue(before), After: jsonValue(nil)})
	}
	if codes > 0 {
		changes = append(changes, audit.Change{Field: "recovery_codes", Before: audit.Redacted, After: jsonValue(nil)})
	}
	if pending > 0 {
		changes = append(changes, audit.Change{Field: "pending_sign_ins", Before: jsonValue(pending), After: jsonValue(0)})
	}
	return tx.RecordChanges(actor, "user", userID, audit.Update, changes)
}

// ReplaceRecoveryCodes gives a user with an enabled second factor new
// recovery codes; the old ones stop working. The audit entry says they
// were replaced, never what they are.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, actor access.Actor, userID int64, codeHashes []string) error {
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM user_mfa WHERE user_id = ? AND enabled = ?", userID, true).Scan(&n); err != nil {
		return tx.db.fault(err, "read second factor")
	}
	if n != 1 {
		return errs.E(errs.NotFound, "two-factor sign-in is not on")
	}
	if err := tx.putRecoveryCodes(ctx, userID, codeHashes); err != nil {
		return err
	}
	return tx.RecordChanges(actor, "user", userID, audit.Update, []audit.Change{
		{Field: "recovery_codes", Before: audit.Redacted, After: audit.Redacted},
	})
}

func (tx *Tx) putRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	if _, err := tx.exec(ctx, "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userID); err != nil {
		return tx.db.fault(err, "drop recovery codes")
	}
	for _, h := range hashes {
		if _, err := tx.exec(ctx, "INSERT INTO mfa_recovery_codes (user_id, hash) VALUES (?, ?)", userID, h); err != nil {
			return tx.db.fault(err, "store recovery code")
		}
	}
	return nil
}

// UseTOTPStep marks the time step step as used by an enabled second
// factor and reports whether it was still free: a step at or before the
// newest one used is refused, so a code never works twice, even with
// sign-ins racing on several instances.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := db.writer().exec(ctx, "UPDATE user_mfa SET last_step = ? WHERE user_id = ? AND enabled = ? AND last_step < ?", step, userID, true, step)
	if err != nil {
		return false, db.fault(err, "use one-time code")
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode spends the recovery code with hash and reports whether
// it was an unused one of the user's.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error) {
	res, err := db.writer().exec(ctx, "UPDATE mfa_recovery_codes SET used_at = ? WHERE user_id = ? AND hash = ? AND used_at IS NULL", at.UTC(), userID, hash)
	if err != nil {
		return false, db.fault(err, "use recovery code")
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// PendingSignIn is a sign-in whose password was right, waiting for its
// second factor, or for one to be set up (SetupSecret set).
type PendingSignIn struct {
	Hash        string
	UserID      int64
	CSRF        string
	SetupSecret string
	Next        string
	RemoteAddr  string
	UserAgent   string
	ExpiresAt   time.Time
}

// CreatePendingSignIn stores p, and drops the pending sign-ins that have
// expired by now.
func (db *DB) CreatePendingSignIn(ctx context.Context, p PendingSignIn, now time.Time) error {
	if _, err := db.writer().exec(ctx, "DELETE FROM pending_signins WHERE expires_at < ?", now.UTC()); err != nil {
		return db.fault(err, "drop expired sign-ins")
	}
	if _, err := db.writer().exec(ctx, `INSERT INTO pending_signins (hash, user_id, csrf, setup_secret, next, remote_addr, user_agent, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.Hash, p.UserID, p.CSRF, p.SetupSecret, p.Next, p.RemoteAddr, p.UserAgent, p.ExpiresAt.UTC()); err != nil {
		return db.fault(err, "store pending sign-in")
	}
	return nil
}

// PendingSignInByHash finds a pending sign-in that has not expired at
// now; NotFound otherwise.
func (db *DB) PendingSignInByHash(ctx context.Context, hash string, now time.Time) (PendingSignIn, error) {
	p := PendingSignIn{Hash: hash}
	err := db.reader().queryRow(ctx, `SELECT user_id, csrf, setup_secret, next, remote_addr, user_agent, expires_at
		FROM pending_signins WHERE hash = ? AND expires_at > ?`, hash, now.UTC()).
		Scan(&p.UserID, &p.CSRF, &p.SetupSecret, &p.Next, &p.RemoteAddr, &p.UserAgent, &p.ExpiresAt)
	if err != nil {
		return p, notFound(err, "pending sign-in", "")
	}
	p.ExpiresAt = p.ExpiresAt.UTC()
	return p, nil
}

// DeletePendingSignIn ends a pending sign-in and reports whether it was
// still there: of two requests finishing one, only one gets true.
func (db *DB) DeletePendingSignIn(ctx context.Context, hash string) (bool, error) {
	res, err := db.writer().exec(ctx, "DELETE FROM pending_signins WHERE hash = ?", hash)
	if err != nil {
		return false, db.fault(err, "end pending sign-in")
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SettingValue reads the installation setting under key; ok is false
// when it was never set.
func (db *DB) SettingValue(ctx context.Context, key string) (value string, ok bool, err error) {
	err = db.reader().queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, db.fault(err, "read setting")
	}
	return value, true, nil
}

// PutSetting stores an installation setting, with an audit entry (as
// entity "setting", keyed 0) from before to after.
func (tx *Tx) PutSetting(ctx context.Context, actor access.Actor, key, before, after string) error {
	if _, err := tx.exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, after); err != nil {
		return tx.db.fault(err, "store setting")
	}
	return tx.RecordChanges(actor, "setting", 0, audit.Update, []audit.Change{{Field: key, Before: jsonValue(before), After: jsonValue(after)}})
}
