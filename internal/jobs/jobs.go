// Package jobs runs background work durably from the jobs table: a job is
// claimed with a lease, so it survives restarts and, with several
// instances on PostgreSQL, runs once. Periodic jobs are queued once per
// time slot under a unique key, whichever instance gets there first.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/conform-itsm/conform/internal/store"
)

// Handler does one job's work.
type Handler func(ctx context.Context, payload string) error

// Periodic is a job queued every Every.
type Periodic struct {
	Kind  string
	Every time.Duration
}

// Runner claims and runs jobs until its context ends.
type Runner struct {
	db       *store.DB
	log      *slog.Logger
	handlers map[string]Handler
	periodic []Periodic
	worker   string
	poll     time.Duration
	lease    time.Duration
}

// New makes a runner; register handlers before Run.
func New(db *store.DB, log *slog.Logger) *Runner {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &Runner{db: db, log: log, handlers: map[string]Handler{}, worker: fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b)),
		poll: 2 * time.Second, lease: 5 * time.Minute}
}

// Handle registers the handler of a kind of job.
func (r *Runner) Handle(kind string, h Handler) { r.handlers[kind] = h }

// Every queues kind every d.
func (r *Runner) Every(kind string, d time.Duration) {
	r.periodic = append(r.periodic, Periodic{kind, d})
}

// Run works until ctx ends; a job in progress is finished first.
func (r *Runner) Run(ctx context.Context) error {
	r.log.Info("background jobs started", "worker", r.worker)
	defer r.log.Info("background jobs stopped")
	t := time.NewTicker(r.poll)
	defer t.Stop()
	for {
		r.schedule(ctx)
		for ctx.Err() == nil {
			ran, err := r.RunOne(context.WithoutCancel(ctx))
			if err != nil {
				r.log.Error("claim job", "err", err)
				break
			}
			if !ran {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (r *Runner) schedule(ctx context.Context) {
	now := r.db.Now()
	for _, p := range r.periodic {
		slot := now.Truncate(p.Every)
		key := fmt.Sprintf("%s@%d", p.Kind, slot.Unix())
		if _, err := r.db.EnqueueJob(ctx, p.Kind, "", key, slot); err != nil && ctx.Err() == nil {
			r.log.Error("schedule periodic job", "kind", p.Kind, "err", err)
		}
	}
}

// RunOne claims and runs one due job; it reports whether there was one.
func (r *Runner) RunOne(ctx context.Context) (bool, error) {
	j, ok, err := r.db.ClaimJob(ctx, r.worker, r.lease)
	if err != nil || !ok {
		return false, err
	}
	h, known := r.handlers[j.Kind]
	var jobErr error
	start := time.Now()
	if !known {
		jobErr = fmt.Errorf("no handler for job kind %q", j.Kind)
	} else {
		jobErr = safeRun(ctx, h, j.Payload)
	}
	if jobErr != nil {
		r.log.Warn("job failed", "id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", jobErr)
	} else {
		r.log.Debug("job done", "id", j.ID, "kind", j.Kind, "duration", time.Since(start))
	}
	backoff := time.Duration(1<<min(j.Attempts, 10)) * 10 * time.Second
	return true, r.db.FinishJob(ctx, j, r.worker, jobErr, backoff)
}

func safeRun(ctx context.Context, h Handler, payload string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job panicked: %v", p)
		}
	}()
	return h(ctx, payload)
}
