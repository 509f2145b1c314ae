package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Setting returns the value stored under key, storing generate()'s result first
// if there is none. Concurrent first starts agree on one value.
func (db *DB) Setting(ctx context.Context, key string, generate func() (string, error)) (string, error) {
	var v string
	err := db.reader().queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err == nil {
		return v, nil
	}
	nv, err := generate()
	if err != nil {
		return "", err
	}
	if _, err := db.writer().exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, nv); err != nil {
		return "", db.fault(err, "store setting")
	}
	if err := db.writer().queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v); err != nil {
		return "", db.fault(err, "read setting")
	}
	return v, nil
}

// LoginFailures returns the counted attempts under key (an account or an
// address) and when the last was counted; none gives 0 and the zero time.
func (db *DB) LoginFailures(ctx context.Context, key string) (int64, time.Time, error) {
	var n int64
	var at time.Time
	err := db.reader().queryRow(ctx, "SELECT failures, last_at FROM login_failures WHERE key = ?", key).Scan(&n, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, db.fault(err, "read failed sign-ins")
	}
	return n, at.UTC(), nil
}

// CountLoginAttempt counts one more attempt under key, at, if the count is
// still seen (as LoginFailures returned it), and reports whether it did.
// The check and the count are one statement, so of attempts racing on one
// count (in any number of instances) exactly one is counted; the others
// read again.
func (db *DB) CountLoginAttempt(ctx context.Context, key string, seen int64, at time.Time) (bool, error) {
	var n int64
	err := db.writer().queryRow(ctx, `INSERT INTO login_failures (key, failures, last_at) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, last_at = excluded.last_at
		WHERE login_failures.failures = ?
		RETURNING failures`, key, at.UTC(), seen).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, db.fault(err, "count sign-in attempt")
	}
	return true, nil
}

// UncountLoginAttempt takes back one attempt counted under key, for one
// that turned out not to be a failure.
func (db *DB) UncountLoginAttempt(ctx context.Context, key string) error {
	if _, err := db.writer().exec(ctx, "UPDATE login_failures SET failures = failures - 1 WHERE key = ? AND failures > 0", key); err != nil {
		return db.fault(err, "uncount sign-in attempt")
	}
	return nil
}

// ClearLoginFailures forgets the failures of the given keys.
func (db *DB) ClearLoginFailures(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if _, err := db.writer().exec(ctx, "DELETE FROM login_failures WHERE key = ?", k); err != nil {
			return db.fault(err, "clear failed sign-ins")
		}
	}
	return nil
}

// ForgetLoginFailures removes failure counts older than before.
func (db *DB) ForgetLoginFailures(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.writer().exec(ctx, "DELETE FROM login_failures WHERE last_at < ?", before.UTC())
	if err != nil {
		return 0, db.fault(err, "forget failed sign-ins")
	}
	return res.RowsAffected()
}
