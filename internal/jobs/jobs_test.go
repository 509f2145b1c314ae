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

// TestLongJobKeepsItsLease: a job running longer than its lease renews it,
// so another worker never takes it and it runs once.
func TestLongJobKeepsItsLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var runs atomic.Int64
		started, release := make(chan struct{}), make(chan struct{})
		slow := jobs.New(db, quiet)
		slow.SetLease(300 * time.Millisecond)
		slow.Handle("long", func(context.Context, string) error {
			if runs.Add(1) == 1 {
				close(started)
			}
			<-release
			return nil
		})
		other := jobs.New(db, quiet)
		other.SetLease(300 * time.Millisecond)
		other.Handle("long", func(context.Context, string) error { runs.Add(1); return nil })
		if _, err := db.EnqueueJob(ctx, "long", "", "", db.Now()); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := slow.RunOne(ctx)
			done <- err
		}()
		<-started
		// Three leases later the job still runs; the other worker finds nothing.
		for range 9 {
			time.Sleep(100 * time.Millisecond)
			if ran, err := other.RunOne(ctx); err != nil || ran {
				t.Fatalf("another worker took the running job: ran %v, %v", ran, err)
			}
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if runs.Load() != 1 {
			t.Errorf("the long job ran %d times, want once", runs.Load())
		}
	})
}

// TestUnknownKindsLeftAlone: a worker claims only the kinds it handles, so
// a newer version's jobs wait for an instance that knows them.
func TestUnknownKindsLeftAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		old := jobs.New(db, quiet)
		old.Handle("known", func(context.Context, string) error { return nil })
		if _, err := db.EnqueueJob(ctx, "from-a-newer-version", "", "", db.Now()); err != nil {
			t.Fatal(err)
		}
		if ran, err := old.RunOne(ctx); err != nil || ran {
			t.Fatalf("a worker took a job kind it does not know: ran %v, %v", ran, err)
		}
		counts, _ := db.JobCounts(ctx)
		if counts["available"] != 1 || counts["failed"] != 0 {
			t.Errorf("job states %v, want the unknown job still available and untouched", counts)
		}
		newer := jobs.New(db, quiet)
		newer.Handle("from-a-newer-version", func(context.Context, string) error { return nil })
		if ran, err := newer.RunOne(ctx); err != nil || !ran {
			t.Errorf("the instance that knows the kind: ran %v, %v; want it run", ran, err)
		}
	})
}

// TestMissedPeriodicJobRunsOnStart: a periodic job whose slot passed while
// no instance ran is run once when one starts, however many slots passed.
func TestMissedPeriodicJobRunsOnStart(t *testing.T) {
	clock := storetest.NewClock()
	db := storetest.Open(t, storetest.SQLite, func(c *store.Config) { c.Now = clock.Now })
	ctx := context.Background()
	var runs atomic.Int64
	start := func(want int64) {
		t.Helper()
		r := jobs.New(db, quiet)
		r.Handle("tidy", func(context.Context, string) error { runs.Add(1); return nil })
		r.Every("tidy", time.Hour)
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() { done <- r.Run(rctx) }()
		// Wait for the runs expected, then a little more for any that should not come.
		deadline := time.Now().Add(5 * time.Second)
		for runs.Load() < want && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	start(1) // the current slot
	if runs.Load() != 1 {
		t.Fatalf("first start: %d runs, want 1", runs.Load())
	}
	clock.Advance(5 * time.Hour) // every instance down for five slots
	start(3)
	if got := runs.Load(); got != 3 {
		t.Errorf("after five missed slots: %d runs in all, want 3 (the first, one catch-up, the current slot)", got)
	}
	start(3) // a restart within the slot queues nothing new
	if got := runs.Load(); got != 3 {
		t.Errorf("after a restart within the slot: %d runs, want still 3", got)
	}
}
