package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The tests in this file hold the write path to its contract: every
// write that commits has its audit entry, deletes check the version, and
// one caller giving up never touches another's write.

// orphans counts organisations without a create entry in the audit trail.
func orphans(t *testing.T, db *store.DB) int {
	t.Helper()
	pool, _ := db.Pools()
	var n int
	err := pool.QueryRowContext(context.Background(), `SELECT count(*) FROM organisations o WHERE NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.entity = 'organisation' AND a.entity_id = o.id AND a.action = 'create')`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mustVerify(t *testing.T, db *store.DB) {
	t.Helper()
	res, err := db.VerifyAudit(context.Background())
	if err != nil || res.Problem != nil {
		t.Fatalf("verify: %+v, %v", res, err)
	}
}

// holdWriter keeps SQLite's writer busy until release is called, so that
// the units that arrive meanwhile queue and then share one batch.
func holdWriter(t *testing.T, db *store.DB) (release func()) {
	t.Helper()
	held, free := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.InTx(context.Background(), func(*store.Tx) error {
			close(held)
			<-free
			return nil
		})
	}()
	<-held
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(free)
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

// TestCallerGivingUpCannotAbortItsBatch: on SQLite, a caller who gives up
// while its unit's long write runs used to interrupt the statement, which
// made SQLite roll back the whole batch: an innocent unit in the same
// batch failed, and a unit that swallowed the error went on writing
// outside any transaction, committing a row without its audit entry.
func TestCallerGivingUpCannotAbortItsBatch(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	ctx := context.Background()
	release := holdWriter(t, db)

	impatient, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var errCareless, errInnocent error
	var careless, innocent int64
	wg.Go(func() {
		errCareless = db.InTx(impatient, func(tx *store.Tx) error {
			time.AfterFunc(20*time.Millisecond, cancel) // the caller gives up mid-statement
			_ = tx.ExecForTest(impatient, `INSERT INTO settings (key, value)
				WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT 'filler-' || i, 'x' FROM n`)
			// A careless unit swallows the error and writes on.
			o, err := tx.CreateOrganisation(context.WithoutCancel(impatient), admin, account.OrganisationInput{Name: "Careless", Kind: account.Customer})
			careless = o.ID
			return err
		})
	})
	time.Sleep(100 * time.Millisecond) // queued first
	wg.Go(func() { innocent, errInnocent = createOrg(ctx, db, "Innocent") })
	time.Sleep(100 * time.Millisecond)
	release()
	wg.Wait()

	if errInnocent != nil {
		t.Errorf("the innocent unit in the same batch: %v, want it committed", errInnocent)
	}
	if _, err := db.GetOrganisation(ctx, innocent); errInnocent == nil && err != nil {
		t.Errorf("the innocent unit was told it committed, but: %v", err)
	}
	_, getErr := db.GetOrganisation(ctx, careless)
	if (errCareless == nil) != (getErr == nil) {
		t.Errorf("the careless unit was told %v, but reading its organisation back gave %v", errCareless, getErr)
	}
	if n := orphans(t, db); n != 0 {
		t.Errorf("%d organisation(s) committed without an audit entry", n)
	}
	mustVerify(t, db)
}

// TestSwallowedFailureFailsTheUnit: a unit whose statement failed cannot
// go on writing and fails with that statement's error even if it returns
// nil, with the same error on both engines; Sync lets a unit learn of a
// held-back write's failure at once.
func TestSwallowedFailureFailsTheUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustOrg(t, db, "Taken", account.Customer)
		before, _ := db.CountAudit(ctx)
		var seen, later error
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "taken", Kind: account.Customer})
			if err == nil {
				err = tx.Sync(ctx) // PostgreSQL held the insert back
			}
			seen = err
			_, later = tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "Later", Kind: account.Customer})
			return nil // swallowed
		})
		for what, e := range map[string]error{"the failed create": seen, "a later write": later, "InTx": err} {
			if fe := errs.As(e); fe == nil || len(fe.Fields) != 1 || fe.Fields[0].Field != "name" {
				t.Errorf("%s: got %v, want the duplicate name's error", what, e)
			}
		}
		orgs, _, _ := db.ListOrganisations(ctx, store.OrganisationFilter{})
		after, _ := db.CountAudit(ctx)
		if len(orgs) != 1 || after != before {
			t.Errorf("after the failed unit: %d organisations and %d new audit entries, want 1 and 0", len(orgs), after-before)
		}
	})
}

// TestCancellingCallersLeaveNoRowWithoutEntry runs many concurrent writers
// that give up at random points, some with two statements: every caller is
// told the truth and no row is committed without its audit entry.
func TestCancellingCallersLeaveNoRowWithoutEntry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		const n = 150
		type result struct {
			id  int64
			err error
		}
		results := make([]result, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(bg, time.Duration(rand.IntN(4000))*time.Microsecond)
				defer cancel()
				results[i].err = db.InTx(ctx, func(tx *store.Tx) error {
					o, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: fmt.Sprintf("Caller %03d", i), Kind: account.Customer})
					if err != nil {
						return err
					}
					results[i].id = o.ID
					if i%2 == 0 {
						desc := "second write"
						_, err = tx.UpdateOrganisation(ctx, admin, o.ID, 0, apply(account.OrganisationUpdate{Description: &desc}))
					}
					return err
				})
			})
		}
		wg.Wait()
		committed := 0
		for i, r := range results {
			stored := false
			if r.id != 0 {
				_, err := db.GetOrganisation(bg, r.id)
				stored = err == nil
			}
			if (r.err == nil) != stored {
				t.Errorf("caller %d was told %v, but the organisation is stored: %v", i, r.err, stored)
			}
			if stored {
				committed++
			}
		}
		if n := orphans(t, db); n != 0 {
			t.Errorf("%d organisation(s) committed without an audit entry", n)
		}
		mustVerify(t, db)
		t.Logf("%d of %d callers committed", committed, n)
	})
}

// TestConcurrentDeletesOneWins: two deletes of one record, both having
// read it, race; exactly one wins and the trail has one delete entry.
func TestConcurrentDeletesOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const rounds = 10
		for round := range rounds {
			o := mustOrg(t, db, fmt.Sprintf("Doomed %d", round), account.Customer)
			var arrived atomic.Int32
			// Both have read the record before either deletes (on SQLite,
			// whose writers take turns, the second reads after the first).
			bothRead := func(account.Organisation) error {
				arrived.Add(1)
				for deadline := time.Now().Add(300 * time.Millisecond); arrived.Load() < 2 && time.Now().Before(deadline); {
					time.Sleep(time.Millisecond)
				}
				return nil
			}
			var wg sync.WaitGroup
			results := make([]error, 2)
			for i := range results {
				wg.Go(func() {
					results[i] = db.InTx(ctx, func(tx *store.Tx) error {
						return tx.DeleteOrganisation(ctx, admin, o.ID, o.Version, bothRead)
					})
				})
			}
			wg.Wait()
			wins := 0
			for _, err := range results {
				switch errs.CodeOf(err) {
				case "":
					wins++
				case errs.Stale, errs.NotFound:
				default:
					t.Errorf("round %d: the losing delete got %v, want stale or not found", round, err)
				}
			}
			if wins != 1 {
				t.Errorf("round %d: %d deletes won (%v), want exactly one", round, wins, results)
			}
			entries, _, err := db.ListAudit(ctx, store.AuditFilter{Entity: "organisation", EntityID: o.ID, Action: audit.Delete})
			if err != nil || len(entries) != 1 {
				t.Errorf("round %d: %d delete entries (%v), want one", round, len(entries), err)
			}
		}
		mustVerify(t, db)
	})
}

// TestDeleteChecksTheVersion: a delete or a revocation based on a stale
// read is refused and changes nothing.
func TestDeleteChecksTheVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := mustOrg(t, db, "Versioned", account.Customer)
		desc := "moved on"
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateOrganisation(ctx, admin, o.ID, 0, apply(account.OrganisationUpdate{Description: &desc}))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		err := db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteOrganisation(ctx, admin, o.ID, o.Version, nil) })
		wantCode(t, err, errs.Stale)
		if _, err := db.GetOrganisation(ctx, o.ID); err != nil {
			t.Fatalf("a stale delete deleted: %v", err)
		}
		u := mustUser(t, db, "owner@example.com", o.ID)
		var tok account.Token
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			tok, err = tx.CreateToken(ctx, admin, account.TokenInput{UserID: u.ID, Name: "ci"}, "cfm_abcd", "hash-1")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		revoke := func(version int64) error {
			return db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.RevokeToken(ctx, admin, tok.ID, version, func(account.Token) error { return nil })
				return err
			})
		}
		wantCode(t, revoke(tok.Version+1), errs.Stale)
		if err := revoke(tok.Version); err != nil {
			t.Fatalf("revoke at the version read: %v", err)
		}
		got, _ := db.GetToken(ctx, tok.ID)
		if got.RevokedAt == nil || got.Version != tok.Version+1 || got.UpdatedBy != admin.UserID {
			t.Errorf("revoked token: %+v, want revoked at version %d", got, tok.Version+1)
		}
		mustVerify(t, db)
	})
}

// TestSavepointFailureFailsTheBatch: when a unit's savepoint cannot be
// released or rolled back to, the batch's transaction cannot be trusted:
// every unit in it fails and nothing of it commits.
func TestSavepointFailureFailsTheBatch(t *testing.T) {
	for _, returnErr := range []bool{false, true} {
		t.Run(fmt.Sprintf("unit fails: %v", returnErr), func(t *testing.T) {
			db := storetest.Open(t, storetest.SQLite)
			ctx := context.Background()
			release := holdWriter(t, db)
			var wg sync.WaitGroup
			var errBreaker, errOther error
			var other int64
			wg.Go(func() {
				errBreaker = db.InTx(ctx, func(tx *store.Tx) error {
					if _, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: "Breaker", Kind: account.Customer}); err != nil {
						return err
					}
					if err := tx.ExecForTest(ctx, "RELEASE unit"); err != nil { // gone from under the batch
						return err
					}
					if returnErr {
						return errs.E(errs.Conflict, "the unit fails, so the batch rolls back to its savepoint")
					}
					return nil
				})
			})
			time.Sleep(50 * time.Millisecond)
			wg.Go(func() { other, errOther = createOrg(ctx, db, "Other") })
			time.Sleep(50 * time.Millisecond)
			release()
			wg.Wait()
			if errBreaker == nil || errOther == nil {
				t.Errorf("breaker: %v; other: %v; want both to fail", errBreaker, errOther)
			}
			orgs, _, _ := db.ListOrganisations(ctx, store.OrganisationFilter{})
			if len(orgs) != 0 {
				t.Errorf("%d organisations committed (other: %d), want none", len(orgs), other)
			}
			mustOrg(t, db, "Afterwards", account.Customer)
			mustVerify(t, db)
		})
	}
}

// TestGroupRetriesAfterDeadlock: when a grouped batch fails as a whole
// with an error worth retrying (a deadlock), each unit is sent on its own
// and, the conflict gone, succeeds.
func TestGroupRetriesAfterDeadlock(t *testing.T) {
	db := storetest.Open(t, storetest.Postgres)
	ctx := context.Background()
	pool, _ := db.Pools()
	if _, err := pool.ExecContext(ctx, "CREATE SEQUENCE flaky"); err != nil {
		t.Fatal(err)
	}
	deadlockOnce := `DO $$ BEGIN IF nextval('flaky') = 1 THEN RAISE EXCEPTION 'simulated deadlock' USING ERRCODE = '40P01'; END IF; END $$`
	results := db.SendGroupForTest(ctx, [][]string{
		{"INSERT INTO settings (key, value) VALUES ('unit-1', 'x')"},
		{"INSERT INTO settings (key, value) VALUES ('unit-2', 'x')", deadlockOnce},
		{"INSERT INTO settings (key, value) VALUES ('unit-3', 'x')"},
	})
	for i, err := range results {
		if err != nil {
			t.Errorf("unit %d: %v, want it committed on the retry", i+1, err)
		}
	}
	var n int
	if err := pool.QueryRowContext(ctx, "SELECT count(*) FROM settings WHERE key LIKE 'unit-%'").Scan(&n); err != nil || n != 3 {
		t.Errorf("%d units' rows stored (%v), want 3", n, err)
	}
	// A batch that fails as a whole for good fails every unit.
	results = db.SendGroupForTest(ctx, [][]string{
		{"INSERT INTO settings (key, value) VALUES ('unit-4', 'x')"},
		{`DO $$ BEGIN RAISE EXCEPTION 'always' USING ERRCODE = '40P01'; END $$`},
	})
	if results[0] != nil || results[1] == nil {
		t.Errorf("a unit that always deadlocks: got %v, want the other unit committed and it failed", results)
	}
	var stored sql.NullString
	_ = pool.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = 'unit-4'").Scan(&stored)
	if (results[0] == nil) != stored.Valid {
		t.Errorf("unit 4 told %v but stored: %v", results[0], stored.Valid)
	}
}

// TestUpdateThatChangesNothing: an update that leaves every field as it was
// writes nothing: no new version, no audit entry.
func TestUpdateThatChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := mustOrg(t, db, "Same", account.Customer)
		before, _ := db.CountAudit(ctx)
		name := "Same"
		var got account.Organisation
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			got, err = tx.UpdateOrganisation(ctx, admin, o.ID, o.Version, apply(account.OrganisationUpdate{Name: &name}))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		after, _ := db.CountAudit(ctx)
		read, _ := db.GetOrganisation(ctx, o.ID)
		if got.Version != o.Version || read.Version != o.Version || after != before {
			t.Errorf("an update changing nothing: version %d (read %d), %d audit entries added; want version %d and none", got.Version, read.Version, after-before, o.Version)
		}
		// A team whose members are given again in another order is unchanged too.
		u1, u2 := mustUser(t, db, "one@example.com", o.ID), mustUser(t, db, "two@example.com", o.ID)
		var team account.Team
		_ = db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			team, err = tx.CreateTeam(ctx, admin, account.TeamInput{Name: "Pair", MemberIDs: []int64{u1.ID, u2.ID}})
			return err
		})
		before, _ = db.CountAudit(ctx)
		reordered := []int64{u2.ID, u1.ID}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateTeam(ctx, admin, team.ID, team.Version, apply(account.TeamUpdate{MemberIDs: &reordered}))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		after, _ = db.CountAudit(ctx)
		if read, _ := db.GetTeam(ctx, team.ID); read.Version != team.Version || after != before {
			t.Errorf("members given again in another order: version %d, %d entries; want %d and none", read.Version, after-before, team.Version)
		}
	})
}

// TestDatabaseFilesOwnerOnly: the SQLite database and its WAL files are
// readable by their owner alone, even one made by an older version.
func TestDatabaseFilesOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if err := os.WriteFile(filepath.Join(dir, "conform.db"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	mustOrg(t, db, "Written", account.Customer)
	for _, name := range []string{"conform.db", "conform.db-wal", "conform.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group or others", name, perm)
		}
	}
}

// TestStaleSaysWhoAndWhen: a write based on an older read is refused with
// who changed the record since, and when.
func TestStaleSaysWhoAndWhen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := mustOrg(t, db, "Watched", account.Customer)
		u := mustUser(t, db, "casey@example.com", o.ID)
		casey := access.Actor{UserID: u.ID, Name: u.Name, Role: access.Admin, Via: "test"}
		desc := "changed by Casey"
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateOrganisation(ctx, casey, o.ID, o.Version, apply(account.OrganisationUpdate{Description: &desc}))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateOrganisation(ctx, admin, o.ID, o.Version, apply(account.OrganisationUpdate{Description: &desc}))
			return err
		})
		wantCode(t, err, errs.Stale)
		if msg := err.Error(); !strings.Contains(msg, "This organisation was changed by "+u.Name+" at ") || !strings.Contains(msg, "since you opened it") {
			t.Errorf("stale update: %q, want who changed it and when", msg)
		}
	})
}
