package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/jobs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestRunnersShareWorkAndRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ran, flaky, panicked atomic.Int64
		mk := func() *jobs.Runner {
			r := jobs.New(db, quiet)
			r.Handle("count", func(context.Context, string) error { ran.Add(1); return nil })
			r.Handle("flaky", func(context.Context, string) error {
				if flaky.Add(1) == 1 {
					return errors.New("first attempt fails")
				}
				return nil
			})
			r.Handle("panics", func(context.Context, string) error { panicked.Add(1); panic("boom") })
			r.Every("count", time.Hour)
			return r
		}
		a, b := mk(), mk()
		for range 10 {
			if _, err := db.EnqueueJob(ctx, "count", "", "", db.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.EnqueueJob(ctx, "flaky", "", "", db.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EnqueueJob(ctx, "panics", "", "", db.Now()); err != nil {
			t.Fatal(err)
		}
		// Two instances start together: the periodic job is queued once.
		for _, r := range []*jobs.Runner{a, b} {
			rctx, cancel := context.WithCancel(ctx)
			done := make(chan error)
			go func() { done <- r.Run(rctx) }()
			deadline := time.Now().Add(10 * time.Second)
			// Wait for every queued job to have had its first run.
			for (ran.Load() < 11 || flaky.Load() < 1 || panicked.Load() < 1) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		if got := ran.Load(); got != 11 {
			t.Errorf("count jobs ran %d times, want 11 (10 queued + 1 periodic)", got)
		}
		if panicked.Load() != 1 {
			t.Errorf("panicking job ran %d times before its backoff, want 1", panicked.Load())
		}
		if flaky.Load() != 1 {
			t.Errorf("flaky job ran %d times before its backoff, want 1", flaky.Load())
		}
		counts, _ := db.JobCounts(ctx)
		if counts["available"] != 2 || counts["done"] != 11 {
			t.Errorf("job states = %v, want the failed ones waiting to retry and 11 done", counts)
		}
	})
}
