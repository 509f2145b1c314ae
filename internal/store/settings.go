package store

import (
	"context"
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

// LoginFailures returns the failure count and time of the last failure for
// the worst of the given keys (an account and an address).
func (db *DB) LoginFailures(ctx context.Context, keys ...string) (int64, time.Time, error) {
	var worst int64
	var at time.Time
	for _, k := range keys {
		var n int64
		var t time.Time
		err := db.reader().queryRow(ctx, "SELECT failures, last_at FROM login_failures WHERE key = ?", k).Scan(&n, &t)
		if err != nil {
			continue
		}
		if n > worst {
			worst, at = n, t.UTC()
		}
	}
	return worst, at, nil
}

// AddLoginFailure counts one more failed sign-in for each key.
func (db *DB) AddLoginFailure(ctx context.Context, at time.Time, keys ...string) error {
	for _, k := range keys {
		_, err := db.writer().exec(ctx, `INSERT INTO login_failures (key, failures, last_at) VALUES (?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, last_at = excluded.last_at`, k, at.UTC())
		if err != nil {
			return db.fault(err, "count failed sign-in")
		}
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
