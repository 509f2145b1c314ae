package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The tests in this file are about PostgreSQL's write path (pgtx.go):
// writes held back and sent with the commit, and group commit of the units
// that were whole in what they held back.

// lockChain takes the audit chain head's lock from a session of its own,
// as a writer on another instance would hold it, until the returned
// function is called.
func lockChain(t *testing.T, db *store.DB) (release func()) {
	t.Helper()
	ctx := context.Background()
	pool, _ := db.Pools()
	locker, err := pool.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"BEGIN", "UPDATE audit_head SET seq = seq WHERE id = 1"} {
		if _, err := locker.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := locker.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Error(err)
			}
			locker.Close()
		})
	}
	t.Cleanup(release)
	return release
}

func createOrg(ctx context.Context, db *store.DB, name string) (int64, error) {
	var id int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: name, Kind: account.Customer})
		id = o.ID
		return err
	})
	return id, err
}

// TestCancelWhileWaitingForTheChain cancels a write while its commit waits
// for the audit chain's lock, held by another session: PostgreSQL must not
// commit a write whose caller was told it failed.
func TestCancelWhileWaitingForTheChain(t *testing.T) {
	db := storetest.Open(t, storetest.Postgres)
	ctx := context.Background()
	release := lockChain(t, db)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	id, err := createOrg(short, db, "Waiting")
	release()
	if err == nil {
		t.Fatal("the write should have timed out waiting for the chain")
	}
	// Give a write that was wrongly left running time to commit.
	time.Sleep(300 * time.Millisecond)
	if _, getErr := db.GetOrganisation(ctx, id); getErr == nil {
		t.Errorf("InTx said %v, but the organisation was committed", err)
	}
	mustOrg(t, db, "After", account.Customer)
	if res, err := db.VerifyAudit(ctx); err != nil || res.Problem != nil || res.Entries != 1 {
		t.Fatalf("verify: %+v, %v; want one entry and no problem", res, err)
	}
}

// TestGroupedCreatesKeepTheirOwnOutcome holds the audit chain's lock while
// creates pile up on PostgreSQL, so that they are sent together (group
// commit of units whose statements were all held back), some of them
// failing on a duplicate name: each must get its own outcome.
func TestGroupedCreatesKeepTheirOwnOutcome(t *testing.T) {
	db := storetest.Open(t, storetest.Postgres)
	ctx := context.Background()
	mustOrg(t, db, "Taken", account.Customer)
	release := lockChain(t, db)
	batches0, units0 := db.WriteBatches()
	const n = 20
	errsOut := make([]error, n)
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			name := fmt.Sprintf("Org %02d", i)
			if i%5 == 0 {
				name = "taken"
			}
			ids[i], errsOut[i] = createOrg(ctx, db, name)
		})
	}
	time.Sleep(500 * time.Millisecond) // the first batch waits for the lock; the rest queue
	release()
	wg.Wait()
	ok := 0
	for i := range n {
		_, getErr := db.GetOrganisation(ctx, ids[i])
		if i%5 == 0 {
			if e := errs.As(errsOut[i]); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "name" || getErr == nil {
				t.Errorf("unit %d (a duplicate): got %v and read-back %v, want an invalid name and nothing stored", i, errsOut[i], getErr)
			}
			continue
		}
		if errsOut[i] != nil || getErr != nil {
			t.Errorf("unit %d: got %v and read-back %v, want it stored", i, errsOut[i], getErr)
		}
		ok++
	}
	batches, units := db.WriteBatches()
	if units-units0 != n || batches-batches0 >= n {
		t.Errorf("%d units in %d batches, want %d units grouped into fewer batches", units-units0, batches-batches0, n)
	}
	res, err := db.VerifyAudit(ctx)
	if err != nil || res.Problem != nil || res.Entries != int64(ok+1) {
		t.Fatalf("verify: %+v, %v; want %d entries and no problem", res, err, ok+1)
	}
}

// TestGroupTakesTheChainLockLast: a batch of grouped creates must take the
// chain's lock after every other lock it needs, as a single unit does.
// Here a delete that is not grouped holds the row lock of an organisation
// and will want the chain's lock at its commit, while a batch holds a
// create elsewhere and then a user in that organisation (whose foreign-key
// check waits for the row lock). Taking the chain's lock in the middle of
// the batch would deadlock, and PostgreSQL would fail an innocent create.
func TestGroupTakesTheChainLockLast(t *testing.T) {
	db := storetest.Open(t, storetest.Postgres)
	ctx := context.Background()
	doomed := mustOrg(t, db, "Doomed", account.Customer)

	deleted, finish := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	var errDelete, errFirst, errInnocent, errUser error
	wg.Go(func() {
		errDelete = db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.DeleteOrganisation(ctx, admin, doomed.ID, 0, nil); err != nil {
				return err
			}
			close(deleted)
			<-finish
			return nil
		})
	})
	<-deleted
	release := lockChain(t, db)
	wg.Go(func() { _, errFirst = createOrg(ctx, db, "First") }) // its batch waits for the chain's lock
	time.Sleep(100 * time.Millisecond)
	wg.Go(func() { _, errInnocent = createOrg(ctx, db, "Innocent") }) // these two queue behind it, as one batch
	time.Sleep(50 * time.Millisecond)
	wg.Go(func() {
		errUser = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.CreateUser(ctx, admin, account.UserInput{Email: "x@example.com", Name: "X", Role: access.Agent, OrgID: doomed.ID}, "")
			return err
		})
	})
	time.Sleep(100 * time.Millisecond)
	release()
	time.Sleep(300 * time.Millisecond) // the second batch now waits for the organisation's row
	close(finish)
	wg.Wait()
	if errDelete != nil || errFirst != nil || errInnocent != nil {
		t.Errorf("delete: %v; first create: %v; innocent create: %v; want all to succeed", errDelete, errFirst, errInnocent)
	}
	if e := errs.As(errUser); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "organisation_id" {
		t.Errorf("user in the deleted organisation: got %v, want an invalid organisation_id", errUser)
	}
	if res, err := db.VerifyAudit(ctx); err != nil || res.Problem != nil {
		t.Fatalf("verify: %+v, %v", res, err)
	}
}

// TestTwoInstancesRacingForNames has two instances, each grouping its
// creates, race to create the same names: every name is created exactly
// once, every other attempt is told the name is taken, and nothing else
// fails (no deadlock between the instances' batches).
func TestTwoInstancesRacingForNames(t *testing.T) {
	ctx := context.Background()
	dbs := openInstances(t, storetest.Postgres, 2)
	const names, rounds = 4, 40
	var ok, taken atomic.Int64
	var wg sync.WaitGroup
	for i, db := range dbs {
		for w := range 8 {
			wg.Go(func() {
				for n := range rounds {
					_, err := createOrg(ctx, db, fmt.Sprintf("Race %d-%d", n, w%names))
					switch {
					case err == nil:
						ok.Add(1)
					case errs.CodeOf(err) == errs.Invalid:
						taken.Add(1)
					default:
						t.Errorf("instance %d: %v", i, err)
					}
				}
			})
		}
	}
	wg.Wait()
	if ok.Load() != names*rounds || ok.Load()+taken.Load() != 2*8*rounds {
		t.Errorf("%d created and %d told the name is taken; want %d and %d", ok.Load(), taken.Load(), names*rounds, 2*8*rounds-names*rounds)
	}
	if res, err := dbs[0].VerifyAudit(ctx); err != nil || res.Problem != nil || res.Entries != names*rounds {
		t.Fatalf("verify: %+v, %v; want %d entries", res, err, names*rounds)
	}
}

// TestQueuedUnitKeepsItsDeadline: a unit waiting in the group-commit queue
// behind a batch that cannot commit gives up at its own deadline, and
// nothing of it is written.
func TestQueuedUnitKeepsItsDeadline(t *testing.T) {
	db := storetest.Open(t, storetest.Postgres)
	ctx := context.Background()
	release := lockChain(t, db)
	var wg sync.WaitGroup
	var errLeader error
	wg.Go(func() { _, errLeader = createOrg(ctx, db, "Leader") }) // waits for the chain's lock
	time.Sleep(300 * time.Millisecond)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	time.AfterFunc(1700*time.Millisecond, release) // were the unit to wait for the batch
	start := time.Now()
	id, err := createOrg(short, db, "Impatient")
	took := time.Since(start)
	wg.Wait()
	if err == nil || took > 900*time.Millisecond {
		t.Errorf("queued unit with a 200 ms deadline: %v after %v, want its deadline's error at once", err, took)
	}
	if _, getErr := db.GetOrganisation(ctx, id); getErr == nil {
		t.Error("the unit that gave up was written")
	}
	if errLeader != nil {
		t.Errorf("the leader: %v", errLeader)
	}
}
