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
	"slices"
	"sync"
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
		poll: 2 * time.Second, lease: DefaultLease}
}

// DefaultLease is how long a claimed job is held without renewal: a job
// whose worker died is taken back within it. A running job renews its
// lease every third of it, so a long job never runs twice.
const DefaultLease = 30 * time.Second

// SetLease changes the lease (tests use short ones).
func (r *Runner) SetLease(d time.Duration) { r.lease = d }

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
	r.catchUp(ctx)
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

// catchUp queues once each periodic job whose last slot passed while no
// instance was running (its latest run is older than the slot before the
// current one). Its key is that slot's, so instances starting together
// queue it once.
func (r *Runner) catchUp(ctx context.Context) {
	now := r.db.Now()
	for _, p := range r.periodic {
		prev := now.Truncate(p.Every).Add(-p.Every)
		last, ok, err := r.db.LastJobAt(ctx, p.Kind)
		if err != nil {
			r.log.Error("catch up periodic job", "kind", p.Kind, "err", err)
			continue
		}
		if !ok || !last.Before(prev) {
			continue // never ran here, or ran on time
		}
		if _, err := r.db.EnqueueJob(ctx, p.Kind, "", fmt.Sprintf("%s@%d", p.Kind, prev.Unix()), prev); err != nil && ctx.Err() == nil {
			r.log.Error("catch up periodic job", "kind", p.Kind, "err", err)
		}
	}
}

// RunOne claims and runs one due job of a kind it has a handler for; it
// reports whether there was one.
func (r *Runner) RunOne(ctx context.Context) (bool, error) {
	kinds := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	j, ok, err := r.db.ClaimJob(ctx, r.worker, r.lease, kinds)
	if err != nil || !ok {
		return false, err
	}
	h := r.handlers[j.Kind]
	start := time.Now()
	stop := r.keepLease(ctx, j.ID)
	jobErr := safeRun(ctx, h, j.Payload)
	stop()
	if jobErr != nil {
		r.log.Warn("job failed", "id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", jobErr)
	} else {
		r.log.Debug("job done", "id", j.ID, "kind", j.Kind, "duration", time.Since(start))
	}
	backoff := time.Duration(1<<min(j.Attempts, 10)) * 10 * time.Second
	return true, r.db.FinishJob(ctx, j, r.worker, jobErr, backoff)
}

// keepLease renews a running job's lease every third of it until stop is
// called; stop waits for the renewing goroutine to end.
func (r *Runner) keepLease(ctx context.Context, id int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(r.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if ok, err := r.db.RenewJob(ctx, id, r.worker, r.lease); err != nil || !ok {
					r.log.Warn("renew job lease", "id", id, "err", err, "still ours", ok)
				}
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

func safeRun(ctx context.Context, h Handler, payload string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job panicked: %v", p)
		}
	}()
	return h(ctx, payload)
}
