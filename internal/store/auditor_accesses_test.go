package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// External auditors' accesses and their views on both engines: the
// access read back with its revocation, the live filter, an audit that
// does not exist refused on its field, an audit an access names kept,
// and the views newest first, a page at a time, with the viewer's name.
func TestAuditorAccessTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, actor := context.Background(), access.System
		in := func(fn func(tx *store.Tx) error) error { return db.InTx(ctx, fn) }
		org := mustOrg(t, db, "Certa", account.Customer)
		quinn := mustUser(t, db, "quinn@certa.example", org.ID)
		a := assurance.Audit{Origin: "external", Type: "stage1", Title: "Stage 1", Consultant: "Certa", State: "planned", Criteria: "the standard",
			PlannedStart: "2027-02-01", PlannedEnd: "2027-02-02", RequirementIDs: []int64{}, ProcessIDs: []int64{}, ServiceIDs: []int64{}, TeamIDs: []int64{}}
		if err := in(func(tx *store.Tx) error { return tx.CreateAudit(ctx, actor, &a) }); err != nil {
			t.Fatal(err)
		}
		live := assurance.AuditorAccess{AuditID: a.ID, UserID: quinn.ID, ExpiresOn: "2027-03-01", Note: "Stage 1 on site"}
		old := assurance.AuditorAccess{AuditID: a.ID, UserID: quinn.ID, ExpiresOn: "2027-01-31"}
		for _, g := range []*assurance.AuditorAccess{&live, &old} {
			if err := in(func(tx *store.Tx) error { return tx.CreateAuditorAccess(ctx, actor, g) }); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.GetAuditorAccess(ctx, live.ID)
		if err != nil || got.ExpiresOn != "2027-03-01" || got.Note != "Stage 1 on site" || got.RevokedAt != nil {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		bad := assurance.AuditorAccess{AuditID: 987654, UserID: quinn.ID, ExpiresOn: "2027-03-01"}
		err = in(func(tx *store.Tx) error { return tx.CreateAuditorAccess(ctx, actor, &bad) })
		if e := errs.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Field != "audit_id" {
			t.Errorf("an audit that does not exist: %v", err)
		}
		for name, c := range map[string]struct {
			f    store.AuditorAccessFilter
			want int
		}{"audit": {store.AuditorAccessFilter{AuditID: a.ID}, 2}, "user": {store.AuditorAccessFilter{UserID: quinn.ID}, 2},
			"live": {store.AuditorAccessFilter{UserID: quinn.ID, LiveOn: "2027-02-01"}, 1}, "other audit": {store.AuditorAccessFilter{AuditID: a.ID + 1}, 0}} {
			gs, _, err := db.ListAuditorAccesses(ctx, c.f)
			if err != nil || len(gs) != c.want {
				t.Errorf("%s: %d accesses (%v), want %d", name, len(gs), err, c.want)
			}
		}
		if _, err := in2(ctx, db, func(tx *store.Tx) (assurance.AuditorAccess, error) {
			return tx.UpdateAuditorAccess(ctx, actor, live.ID, 0, func(g *assurance.AuditorAccess) error {
				now := time.Date(2027, 2, 3, 10, 0, 0, 0, time.UTC)
				g.RevokedAt = &now
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
		if gs, _, err := db.ListAuditorAccesses(ctx, store.AuditorAccessFilter{LiveOn: "2027-01-01"}); err != nil || len(gs) != 1 || gs[0].ID != old.ID {
			t.Errorf("live once one is revoked: %+v, %v", gs, err)
		}
		if got, _ := db.GetAuditorAccess(ctx, live.ID); got.RevokedAt == nil || !got.RevokedAt.Equal(time.Date(2027, 2, 3, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("revoked at %v", got.RevokedAt)
		}
		err = in(func(tx *store.Tx) error { return tx.DeleteAudit(ctx, actor, a.ID, 0, nil) })
		if err == nil {
			t.Error("an audit an access names was deleted")
		}

		at := time.Date(2027, 2, 2, 9, 0, 0, 0, time.UTC)
		for i, what := range []string{"AUD-000001", "EVD-000002", "EVD-000002 file a.pdf"} {
			if err := db.AddAuditorView(ctx, assurance.AuditorView{AccessID: live.ID, AuditID: a.ID, UserID: quinn.ID, At: at.Add(time.Duration(i) * time.Minute),
				Path: "/shared/audits/1", What: what, RemoteAddr: "192.0.2.7"}); err != nil {
				t.Fatal(err)
			}
		}
		vs, next, err := db.ListAuditorViews(ctx, store.AuditorViewFilter{AccessID: live.ID, Limit: 2})
		if err != nil || len(vs) != 2 || next == "" || vs[0].What != "EVD-000002 file a.pdf" || vs[0].UserName != quinn.Name || vs[0].RemoteAddr != "192.0.2.7" ||
			!vs[0].At.Equal(at.Add(2*time.Minute)) {
			t.Fatalf("first page: %+v, %q, %v", vs, next, err)
		}
		rest, next, err := db.ListAuditorViews(ctx, store.AuditorViewFilter{AccessID: live.ID, Cursor: next})
		if err != nil || len(rest) != 1 || next != "" || rest[0].What != "AUD-000001" {
			t.Errorf("second page: %+v, %q, %v", rest, next, err)
		}
		if vs, _, _ := db.ListAuditorViews(ctx, store.AuditorViewFilter{AccessID: old.ID}); len(vs) != 0 {
			t.Errorf("views of another access: %+v", vs)
		}
		var used, unused bool
		if err := in(func(tx *store.Tx) error {
			var err error
			if used, err = tx.AccessViewed(ctx, live.ID); err != nil {
				return err
			}
			unused, err = tx.AccessViewed(ctx, old.ID)
			return err
		}); err != nil || !used || unused {
			t.Errorf("viewed: %v and %v (%v), want true and false", used, unused, err)
		}
	})
}

// in2 runs a unit of work that answers with a value.
func in2[T any](ctx context.Context, db *store.DB, fn func(tx *store.Tx) (T, error)) (T, error) {
	var out T
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}
