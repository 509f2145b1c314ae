package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestSeveralInstancesShareOneDatabase opens the same database twice, as
// two conform processes would (two servers on PostgreSQL; a server and a
// CLI command on SQLite), and writes and claims jobs from both at once.
func TestSeveralInstancesShareOneDatabase(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dbs := openInstances(t, e, 2)
			var wg sync.WaitGroup
			for i, db := range dbs {
				for w := range 3 {
					wg.Go(func() {
						for n := range 10 {
							mustOrg(t, db, fmt.Sprintf("I%d-W%d-%d", i, w, n), account.Customer)
						}
					})
				}
			}
			wg.Wait()
			res, err := dbs[1].VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Problem != nil || res.Entries != 60 {
				t.Fatalf("chain after two instances wrote: %d entries, problem %v; want 60 and none", res.Entries, res.Problem)
			}

			for i := range 30 {
				if _, err := dbs[i%2].EnqueueJob(ctx, "work", "", "", dbs[0].Now().Add(-time.Second)); err != nil {
					t.Fatal(err)
				}
			}
			workers := map[string]*store.DB{}
			for i, db := range dbs {
				for w := range 2 {
					workers[fmt.Sprintf("instance%d-%d", i, w)] = db
				}
			}
			checkEachJobOnce(t, drainJobs(t, workers), 30)
		})
	}
}

// openInstances opens one database n times, as n conform processes would.
func openInstances(t *testing.T, e storetest.Engine, n int) []*store.DB {
	t.Helper()
	ctx := context.Background()
	cfg := storetest.Config(t, e)
	var dbs []*store.DB
	for range n {
		db, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	return dbs
}
