package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var admin = access.Actor{UserID: 0, Name: "tester", Role: access.Admin, Via: "test"}

func mustOrg(t *testing.T, db *store.DB, name string, kind account.OrgKind) account.Organisation {
	t.Helper()
	var o account.Organisation
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		o, err = tx.CreateOrganisation(context.Background(), admin, account.OrganisationInput{Name: name, Kind: kind})
		return err
	})
	if err != nil {
		t.Fatalf("create organisation %q: %v", name, err)
	}
	return o
}

func mustUser(t *testing.T, db *store.DB, email string, orgID int64) account.User {
	t.Helper()
	var u account.User
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		u, err = tx.CreateUser(context.Background(), admin, account.UserInput{Email: email, Name: "User " + email, Role: access.Agent, OrgID: orgID}, "")
		return err
	})
	if err != nil {
		t.Fatalf("create user %q: %v", email, err)
	}
	return u
}

// allKinds are the job kinds the store tests queue.
var allKinds = []string{"test", "periodic", "flaky", "slow", "work"}

// apply turns an update into the change the store applies.
func apply[T any, U interface{ Apply(T) T }](up U) func(*T) error {
	return func(v *T) error {
		*v = up.Apply(*v)
		return nil
	}
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

func TestOrganisationLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := mustOrg(t, db, "Provider Ltd", account.Provider)
		c := mustOrg(t, db, "Customer A", account.Customer)

		got, err := db.GetOrganisation(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("read back differs (-created +read):\n%s", diff)
		}

		// A second provider and a duplicate name are refused, naming the field.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "Other", Kind: account.Provider})
			return err
		})
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Fields[0].Field != "kind" {
			t.Errorf("second provider: got %v, want invalid kind", err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "customer a", Kind: account.Customer})
			return err
		})
		if e := errs.As(err); e == nil || e.Fields[0].Field != "name" {
			t.Errorf("duplicate name: got %v, want invalid name", err)
		}

		name := "Customer Alpha"
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateOrganisation(ctx, admin, c.ID, c.Version, apply(account.OrganisationUpdate{Name: &name}))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The same stale version again is refused.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateOrganisation(ctx, admin, c.ID, c.Version, apply(account.OrganisationUpdate{Name: &name}))
			return err
		})
		wantCode(t, err, errs.Stale)

		// A delete the use case's check refuses deletes nothing; a
		// customer that users still belong to cannot be deleted either.
		refuse := func(account.Organisation) error { return errs.E(errs.Conflict, "refused") }
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteOrganisation(ctx, admin, p.ID, 0, refuse) })
		wantCode(t, err, errs.Conflict)
		if _, err := db.GetOrganisation(ctx, p.ID); err != nil {
			t.Fatalf("the refused delete deleted: %v", err)
		}
		u := mustUser(t, db, "a@example.com", c.ID)
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteOrganisation(ctx, admin, c.ID, 0, nil) })
		wantCode(t, err, errs.Conflict)
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteUser(ctx, admin, u.ID, 0, nil) }); err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteOrganisation(ctx, admin, c.ID, 0, nil) }); err != nil {
			t.Fatal(err)
		}
		_, err = db.GetOrganisation(ctx, c.ID)
		wantCode(t, err, errs.NotFound)

		// Every change is in the trail for that record, newest first.
		entries, _, err := db.ListAudit(ctx, store.AuditFilter{Entity: "organisation", EntityID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []audit.Action
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if diff := cmp.Diff([]audit.Action{audit.Delete, audit.Update, audit.Create}, actions); diff != "" {
			t.Errorf("history actions (-want +got):\n%s", diff)
		}
		upd := entries[1]
		if len(upd.Changes) != 1 || upd.Changes[0].Field != "name" || string(upd.Changes[0].Before) != `"Customer A"` || string(upd.Changes[0].After) != `"Customer Alpha"` {
			t.Errorf("update diff = %+v, want name Customer A -> Customer Alpha", upd.Changes)
		}
	})
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before, _ := db.CountAudit(ctx)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "Ghost", Kind: account.Customer}); err != nil {
				return err
			}
			return errors.New("later step failed")
		})
		if err == nil {
			t.Fatal("want the transaction's error")
		}
		after, _ := db.CountAudit(ctx)
		orgs, _, _ := db.ListOrganisations(ctx, store.OrganisationFilter{})
		if len(orgs) != 0 || after != before {
			t.Errorf("after a failed transaction: %d organisations and %d new audit entries, want none", len(orgs), after-before)
		}
	})
}

func TestUsersAndTeams(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := mustOrg(t, db, "Provider", account.Provider)
		a := mustUser(t, db, "a@example.com", p.ID)
		b := mustUser(t, db, "b@example.com", p.ID)

		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.CreateUser(ctx, admin, account.UserInput{Email: "a@example.com", Name: "Again", Role: access.Agent, OrgID: p.ID}, "")
			return err
		})
		if e := errs.As(err); e == nil || e.Fields[0].Field != "email" {
			t.Errorf("duplicate email: got %v, want invalid email", err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.CreateUser(ctx, admin, account.UserInput{Email: "c@example.com", Name: "C", Role: access.Agent, OrgID: 999}, "")
			return err
		})
		if e := errs.As(err); e == nil || e.Fields[0].Field != "organisation_id" {
			t.Errorf("unknown organisation: got %v, want invalid organisation_id", err)
		}

		var team account.Team
		err = db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			team, err = tx.CreateTeam(ctx, admin, account.TeamInput{Name: "Service desk", MemberIDs: []int64{b.ID, a.ID}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.GetTeam(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{a.ID, b.ID}, got.MemberIDs); diff != "" {
			t.Errorf("members (-want +got):\n%s", diff)
		}
		only := []int64{b.ID, 4242}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateTeam(ctx, admin, team.ID, got.Version, apply(account.TeamUpdate{MemberIDs: &only}))
			return err
		})
		if e := errs.As(err); e == nil || e.Fields[0].Field != "member_ids" {
			t.Errorf("unknown member: got %v, want invalid member_ids", err)
		}
		only = []int64{b.ID}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateTeam(ctx, admin, team.ID, got.Version, apply(account.TeamUpdate{MemberIDs: &only}))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		members, _, err := db.ListUsers(ctx, store.UserFilter{TeamID: team.ID})
		if err != nil || len(members) != 1 || members[0].ID != b.ID {
			t.Errorf("team members after update = %v (%v), want only %d", members, err, b.ID)
		}
		teams, _, _ := db.ListTeams(ctx, store.TeamFilter{MemberID: a.ID})
		if len(teams) != 0 {
			t.Errorf("a's teams = %v, want none", teams)
		}
	})
}

func TestCursorPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 7 {
			mustOrg(t, db, fmt.Sprintf("Org %d", i), account.Customer)
		}
		var names []string
		cursor := ""
		pages := 0
		for {
			orgs, next, err := db.ListOrganisations(ctx, store.OrganisationFilter{Cursor: cursor, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, o := range orgs {
				names = append(names, o.Name)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if pages != 3 || len(names) != 7 || names[0] != "Org 0" || names[6] != "Org 6" {
			t.Errorf("paged %d pages: %v; want 3 pages with Org 0..Org 6", pages, names)
		}
		_, _, err := db.ListOrganisations(ctx, store.OrganisationFilter{Cursor: "not-a-cursor"})
		if e := errs.As(err); e == nil || e.Fields[0].Field != "cursor" {
			t.Errorf("bad cursor: got %v, want invalid cursor", err)
		}
	})
}

func TestConcurrentUpdatesOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := mustOrg(t, db, "Contested", account.Customer)
		var wg sync.WaitGroup
		results := make([]error, 8)
		for i := range results {
			wg.Go(func() {
				name := fmt.Sprintf("Name %d", i)
				results[i] = db.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.UpdateOrganisation(ctx, admin, o.ID, o.Version, apply(account.OrganisationUpdate{Name: &name}))
					return err
				})
			})
		}
		wg.Wait()
		wins := 0
		for _, err := range results {
			switch errs.CodeOf(err) {
			case "":
				wins++
			case errs.Stale:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if wins != 1 {
			t.Errorf("%d updates won, want exactly 1", wins)
		}
	})
}

func TestAuditChainConcurrentWritersAndTamper(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := range 15 {
					mustOrg(t, db, fmt.Sprintf("W%d-%d", w, i), account.Customer)
				}
			})
		}
		wg.Wait()
		res, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Problem != nil || res.Entries != 60 {
			t.Fatalf("verify after concurrent writes: %d entries, problem %v; want 60 and none", res.Entries, res.Problem)
		}

		w, _ := db.Pools()
		// Alter an entry's content: that entry is named.
		if _, err := w.ExecContext(ctx, rebind(db, "UPDATE audit_log SET actor_name = ? WHERE seq = ?"), "mallory", 17); err != nil {
			t.Fatal(err)
		}
		res, _ = db.VerifyAudit(ctx)
		if res.Problem == nil || res.Problem.Seq != 17 {
			t.Errorf("altered entry 17: problem %v, want entry 17", res.Problem)
		}
		if _, err := w.ExecContext(ctx, rebind(db, "UPDATE audit_log SET actor_name = ? WHERE seq = ?"), "tester", 17); err != nil {
			t.Fatal(err)
		}
		// Remove an entry in the middle: the gap is named.
		if _, err := w.ExecContext(ctx, rebind(db, "DELETE FROM audit_log WHERE seq = ?"), 30); err != nil {
			t.Fatal(err)
		}
		res, _ = db.VerifyAudit(ctx)
		if res.Problem == nil || res.Problem.Seq != 30 {
			t.Errorf("removed entry 30: problem %v, want entry 30", res.Problem)
		}
	})
}

func TestAuditChainTruncatedTail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 5 {
			mustOrg(t, db, fmt.Sprintf("O%d", i), account.Customer)
		}
		w, _ := db.Pools()
		if _, err := w.ExecContext(ctx, "DELETE FROM audit_log WHERE seq = 5"); err != nil {
			t.Fatal(err)
		}
		res, _ := db.VerifyAudit(ctx)
		if res.Problem == nil || res.Problem.Seq != 5 {
			t.Errorf("removed newest entry: problem %v, want entry 5", res.Problem)
		}
	})
}

func rebind(db *store.DB, q string) string {
	if db.Engine() != "postgres" {
		return q
	}
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

func TestJobsClaimedOnceAndRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := db.Now()
		for i := range 20 {
			if _, err := db.EnqueueJob(ctx, "test", fmt.Sprintf(`{"n":%d}`, i), "", now.Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		queued, err := db.EnqueueJob(ctx, "periodic", "", "periodic:slot1", now)
		if err != nil || !queued {
			t.Fatalf("first periodic enqueue: %v %v", queued, err)
		}
		queued, err = db.EnqueueJob(ctx, "periodic", "", "periodic:slot1", now)
		if err != nil || queued {
			t.Fatalf("second periodic enqueue for the same slot: queued=%v err=%v, want not queued", queued, err)
		}

		workers := map[string]*store.DB{}
		for w := range 4 {
			workers[fmt.Sprintf("w%d", w)] = db
		}
		checkEachJobOnce(t, drainJobs(t, workers), 21)

		// A failing job is retried later, then given up after its attempts.
		if _, err := db.EnqueueJob(ctx, "flaky", "", "", now.Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		j, ok, err := db.ClaimJob(ctx, "w", time.Minute, allKinds)
		if err != nil || !ok {
			t.Fatalf("claim flaky: %v %v", ok, err)
		}
		if err := db.FinishJob(ctx, j, "w", errors.New("boom"), time.Hour); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.ClaimJob(ctx, "w", time.Minute, allKinds); ok {
			t.Error("a job to retry in an hour was claimed at once")
		}
		counts, _ := db.JobCounts(ctx)
		if counts["available"] != 1 || counts["done"] != 21 {
			t.Errorf("job counts = %v, want 1 available and 21 done", counts)
		}
	})
}

// drainJobs runs workers (name → database) at once until no job is due and
// returns how many times each job ran.
func drainJobs(t *testing.T, workers map[string]*store.DB) map[int64]int {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	runs := map[int64]int{}
	var wg sync.WaitGroup
	for worker, db := range workers {
		wg.Go(func() {
			for {
				j, ok, err := db.ClaimJob(ctx, worker, time.Minute, allKinds)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				runs[j.ID]++
				mu.Unlock()
				if err := db.FinishJob(ctx, j, worker, nil, 0); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	return runs
}

func checkEachJobOnce(t *testing.T, runs map[int64]int, want int) {
	t.Helper()
	if len(runs) != want {
		t.Errorf("%d distinct jobs ran, want %d", len(runs), want)
	}
	for id, n := range runs {
		if n != 1 {
			t.Errorf("job %d ran %d times, want once", id, n)
		}
	}
}

func TestExpiredLeaseIsReclaimed(t *testing.T) {
	clock := storetest.NewClock()
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			db := storetest.Open(t, e, func(c *store.Config) { c.Now = clock.Now })
			ctx := context.Background()
			if _, err := db.EnqueueJob(ctx, "slow", "", "", clock.Now()); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := db.ClaimJob(ctx, "dead-worker", time.Minute, allKinds); !ok {
				t.Fatal("no job claimed")
			}
			if _, ok, _ := db.ClaimJob(ctx, "other", time.Minute, allKinds); ok {
				t.Fatal("a leased job was claimed twice")
			}
			clock.Advance(2 * time.Minute)
			j, ok, err := db.ClaimJob(ctx, "other", time.Minute, allKinds)
			if err != nil || !ok || j.Attempts != 2 {
				t.Fatalf("after the lease ran out: ok=%v attempts=%d err=%v, want reclaimed on attempt 2", ok, j.Attempts, err)
			}
		})
	}
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %d (%v), want 0", len(applied), err)
		}
		ms, err := db.Migrations(context.Background())
		if err != nil || len(ms) == 0 || ms[0].AppliedAt == nil {
			t.Fatalf("migration status = %+v (%v), want all applied", ms, err)
		}
	})
}

// TestHeldBackWrites covers the writes PostgreSQL holds back until a later
// statement or the commit sends them (pgtx.go); SQLite runs them at once,
// and both must behave the same.
func TestHeldBackWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		taken := mustOrg(t, db, "Taken", account.Customer)
		before, _ := db.CountAudit(ctx)

		// A read in the same transaction sees a held-back insert.
		var read account.Organisation
		err := db.InTx(ctx, func(tx *store.Tx) error {
			o, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "Fresh", Kind: account.Customer})
			if err != nil {
				return err
			}
			read, err = tx.GetOrganisation(ctx, o.ID)
			return err
		})
		if err != nil || read.Name != "Fresh" {
			t.Fatalf("read back in the transaction: %+v, %v", read, err)
		}
		// So does a read after a create that follows another read.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.GetOrganisation(ctx, taken.ID); err != nil {
				return err
			}
			o, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "Second", Kind: account.Customer})
			if err != nil {
				return err
			}
			read, err = tx.GetOrganisation(ctx, o.ID)
			return err
		})
		if err != nil || read.Name != "Second" {
			t.Fatalf("read back after a read and a create: %+v, %v", read, err)
		}
		before++

		// A held-back insert that fails fails the unit with its own error,
		// whether the commit sends it or a later read does, and nothing of
		// the unit stays.
		for _, readAfter := range []bool{false, true} {
			err = db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "Kept?", Kind: account.Customer}); err != nil {
					return err
				}
				if _, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "taken", Kind: account.Customer}); err != nil {
					return err
				}
				if readAfter {
					_, err := tx.GetOrganisation(ctx, taken.ID)
					return err
				}
				return nil
			})
			if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "name" {
				t.Errorf("duplicate name (read after: %v): got %v, want an invalid name", readAfter, err)
			}
		}
		orgs, _, _ := db.ListOrganisations(ctx, store.OrganisationFilter{})
		after, _ := db.CountAudit(ctx)
		if len(orgs) != 3 || after != before+1 {
			t.Errorf("after the failed units: %d organisations and %d new audit entries, want 3 and 2", len(orgs), after-before+1)
		}
		res, err := db.VerifyAudit(ctx)
		if err != nil || res.Problem != nil {
			t.Fatalf("verify: %+v, %v", res, err)
		}
	})
}

// TestCancelledWriteTellsTheTruth cancels a write's context inside the
// transaction: whatever InTx answers must be what happened, and the
// database must stay usable.
func TestCancelledWriteTellsTheTruth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for i := range 5 {
			ctx, cancel := context.WithCancel(context.Background())
			name := fmt.Sprintf("Cancelled %d", i)
			var id int64
			err := db.InTx(ctx, func(tx *store.Tx) error {
				o, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: name, Kind: account.Customer})
				id = o.ID
				if i%2 == 1 {
					_, _ = tx.GetOrganisation(ctx, o.ID) // sends what was held back
				}
				cancel()
				return err
			})
			_, getErr := db.GetOrganisation(context.Background(), id)
			if (err == nil) != (getErr == nil) {
				t.Errorf("run %d: InTx said %v, but reading the organisation back gave %v", i, err, getErr)
			}
		}
		mustOrg(t, db, "After the cancelled ones", account.Customer)
		res, err := db.VerifyAudit(context.Background())
		if err != nil || res.Problem != nil {
			t.Fatalf("verify: %+v, %v", res, err)
		}
	})
}

// TestSwallowedFailureIsNotSuccess runs a unit that ignores a failed
// statement and returns nil. On both engines the whole unit then fails
// with that statement's error (PostgreSQL rolls the transaction back,
// SQLite's batch rolls the unit back to its savepoint), nothing of it
// stays and its after-commit hook does not run.
func TestSwallowedFailureIsNotSuccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := mustOrg(t, db, "A", account.Customer)
		mustOrg(t, db, "B", account.Customer)
		u := mustUser(t, db, "u@example.com", a.ID)
		now := db.Now()
		s := account.Session{UserID: u.ID, Hash: "session-hash", CSRF: "c", LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		committed := false
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.CreateSession(ctx, admin, s); err != nil {
				return err
			}
			name := "b"
			_, _ = tx.UpdateOrganisation(ctx, admin, a.ID, 0, apply(account.OrganisationUpdate{Name: &name})) // a duplicate: fails
			tx.AfterCommit(func() { committed = true })
			return nil
		})
		if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "name" {
			t.Errorf("InTx: got %v, want the duplicate name's error", err)
		}
		if _, getErr := db.SessionByHash(ctx, "session-hash"); getErr == nil || committed {
			t.Errorf("the failed unit's session was stored (%v) or its after-commit hook ran (%v)", getErr == nil, committed)
		}
	})
}
