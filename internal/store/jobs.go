package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// Job is one unit of background work.
type Job struct {
	ID          int64
	Kind        string
	Payload     string
	Attempts    int
	MaxAttempts int
	RunAt       time.Time
}

// EnqueueJob queues work to run at runAt. A non-empty uniqueKey makes the
// call a no-op when a job with that key was queued before (scheduling a
// periodic job from several instances queues it once); it reports whether
// a job was queued.
func (db *DB) EnqueueJob(ctx context.Context, kind, payload, uniqueKey string, runAt time.Time) (bool, error) {
	var key any
	if uniqueKey != "" {
		key = uniqueKey
	}
	if payload == "" {
		payload = "{}"
	}
	res, err := db.writer().exec(ctx, `INSERT INTO jobs (kind, payload, unique_key, state, run_at, created_at)
		VALUES (?, ?, ?, 'available', ?, ?) ON CONFLICT (unique_key) DO NOTHING`, kind, payload, key, runAt.UTC(), db.Now())
	if err != nil {
		return false, db.fault(err, "enqueue job")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClaimJob takes the next due job for worker, holding it for lease. A job
// whose worker died is claimed again once its lease has run out. It returns
// false when nothing is due.
//
// Only jobs of the given kinds are claimed: an instance leaves alone the
// kinds it does not know (a newer version's, during a rolling upgrade).
func (db *DB) ClaimJob(ctx context.Context, worker string, lease time.Duration, kinds []string) (Job, bool, error) {
	now := db.Now()
	var j Job
	if len(kinds) == 0 {
		return j, false, nil
	}
	args := []any{worker, now.Add(lease), now, now}
	for _, k := range kinds {
		args = append(args, k)
	}
	err := db.writer().queryRow(ctx, `UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1
		WHERE id = (SELECT id FROM jobs
			WHERE ((state = 'available' AND run_at <= ?) OR (state = 'running' AND locked_until < ?))
				AND kind IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ")+`)
			ORDER BY run_at, id LIMIT 1`+db.d.skipLocked+`)
		RETURNING id, kind, payload, attempts, max_attempts, run_at`,
		args...).Scan(&j.ID, &j.Kind, &j.Payload, &j.Attempts, &j.MaxAttempts, &j.RunAt)
	if errors.Is(err, sql.ErrNoRows) {
		return j, false, nil
	}
	if err != nil {
		return j, false, db.fault(err, "claim job")
	}
	return j, true, nil
}

// RenewJob extends the lease of a job worker is still running, so that no
// other worker takes it while it runs; it reports false when the job is no
// longer the worker's.
func (db *DB) RenewJob(ctx context.Context, id int64, worker string, lease time.Duration) (bool, error) {
	res, err := db.writer().exec(ctx, "UPDATE jobs SET locked_until = ? WHERE id = ? AND locked_by = ? AND state = 'running'", db.Now().Add(lease), id, worker)
	if err != nil {
		return false, db.fault(err, "renew job")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// LastJobAt returns when the latest job of kind was due, if there was one.
func (db *DB) LastJobAt(ctx context.Context, kind string) (time.Time, bool, error) {
	// Not max(run_at): SQLite would hand back text, not a time.
	var at time.Time
	err := db.reader().queryRow(ctx, "SELECT run_at FROM jobs WHERE kind = ? ORDER BY run_at DESC LIMIT 1", kind).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, db.fault(err, "last job")
	}
	return at.UTC(), true, nil
}

// FinishJob marks a claimed job done, or on failure schedules a retry
// (after retryIn) until its attempts run out.
func (db *DB) FinishJob(ctx context.Context, j Job, worker string, jobErr error, retryIn time.Duration) error {
	now := db.Now()
	var err error
	switch {
	case jobErr == nil:
		_, err = db.writer().exec(ctx, "UPDATE jobs SET state = 'done', finished_at = ?, locked_until = NULL WHERE id = ? AND locked_by = ?", now, j.ID, worker)
	case j.Attempts >= j.MaxAttempts:
		_, err = db.writer().exec(ctx, "UPDATE jobs SET state = 'failed', finished_at = ?, last_error = ?, locked_until = NULL WHERE id = ? AND locked_by = ?", now, jobErr.Error(), j.ID, worker)
	default:
		_, err = db.writer().exec(ctx, "UPDATE jobs SET state = 'available', run_at = ?, last_error = ?, locked_until = NULL WHERE id = ? AND locked_by = ?", now.Add(retryIn), jobErr.Error(), j.ID, worker)
	}
	if err != nil {
		return db.fault(err, "finish job")
	}
	return nil
}

// JobCounts returns the number of jobs in each state.
func (db *DB) JobCounts(ctx context.Context) (map[string]int64, error) {
	rows, err := db.reader().query(ctx, "SELECT state, count(*) FROM jobs GROUP BY state")
	if err != nil {
		return nil, db.fault(err, "count jobs")
	}
	defer rows.Close()
	out := map[string]int64{"available": 0, "running": 0, "done": 0, "failed": 0}
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, db.fault(err, "count jobs")
		}
		out[s] = n
	}
	return out, rows.Err()
}

// PurgeJobs deletes finished jobs older than before.
func (db *DB) PurgeJobs(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.writer().exec(ctx, "DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < ?", before.UTC())
	if err != nil {
		return 0, db.fault(err, "purge jobs")
	}
	return res.RowsAffected()
}
