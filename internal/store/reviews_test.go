package store_test

import (
	"context"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Reviews and improvements on both engines: the attendees in their link
// table, the decisions and the pack kept as text byte for byte (so the
// hash still matches once read back), a measure left unset read as NULL,
// the filters, and an attendee or submitter who does not exist refused
// on the field.
func TestReviewTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, actor := context.Background(), access.System
		org := mustOrg(t, db, "Provider", account.Provider)
		ada := mustUser(t, db, "ada@example.com", org.ID)
		bob := mustUser(t, db, "bob@example.com", org.ID)
		pack, _ := assurance.ReviewPack{AssembledOn: "2027-02-01", Sections: []assurance.PackSection{{Input: "a", Key: "earlier_actions", Title: "Ä and ≥", Empty: "None."}}}.Encode()
		r := assurance.ManagementReview{Title: "First half", PlannedOn: "2027-02-10", HeldOn: "2027-02-10", ChairID: ada.ID, AttendeeIDs: []int64{ada.ID, bob.ID},
			IntervalMonths: 6, State: "held", PreparedOn: "2027-02-01", Pack: pack, PackHash: assurance.HashPack(pack), Decisions: []string{"Hire a second analyst"}}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateManagementReview(ctx, actor, &r) }); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetManagementReview(ctx, r.ID)
		if err != nil || len(got.AttendeeIDs) != 2 || got.Decisions[0] != "Hire a second analyst" || assurance.HashPack(got.Pack) != r.PackHash {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		bad := assurance.ManagementReview{Title: "x", PlannedOn: "2027-08-01", ChairID: ada.ID, AttendeeIDs: []int64{999999}, IntervalMonths: 6, State: "planned", Decisions: []string{}}
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateManagementReview(ctx, actor, &bad) })
		if e := errs.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Field != "attendee_ids" {
			t.Errorf("an attendee who does not exist: %v", err)
		}
		for name, c := range map[string]struct {
			f    store.ManagementReviewFilter
			want int
		}{"held": {store.ManagementReviewFilter{State: "held"}, 1}, "planned": {store.ManagementReviewFilter{State: "planned"}, 0},
			"chair": {store.ManagementReviewFilter{ChairID: ada.ID, Query: "HALF"}, 1}, "from": {store.ManagementReviewFilter{From: "2027-03-01"}, 0}} {
			rs, _, err := db.ListManagementReviews(ctx, c.f)
			if err != nil || len(rs) != c.want {
				t.Errorf("%s: %d reviews (%v), want %d", name, len(rs), err, c.want)
			}
		}

		before := 12.5
		i := assurance.Improvement{Title: "Self-service resets", Source: "complaint", SubmittedBy: bob.ID, SubmittedOn: "2027-01-05", State: "submitted", Unit: "%", Before: &before}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateImprovement(ctx, actor, &i) }); err != nil {
			t.Fatal(err)
		}
		gi, err := db.GetImprovement(ctx, i.ID)
		if err != nil || gi.Before == nil || *gi.Before != 12.5 || gi.After != nil {
			t.Fatalf("read back: %+v, %v", gi, err)
		}
		for name, c := range map[string]struct {
			f    store.ImprovementFilter
			want int
		}{"open": {store.ImprovementFilter{Open: true}, 1}, "complaint": {store.ImprovementFilter{Source: "complaint"}, 1}, "approved": {store.ImprovementFilter{State: "approved"}, 0}} {
			is, _, err := db.ListImprovements(ctx, c.f)
			if err != nil || len(is) != c.want {
				t.Errorf("%s: %d improvements (%v), want %d", name, len(is), err, c.want)
			}
		}
		nobody := assurance.Improvement{Title: "x", Source: "other", SubmittedBy: 999999, SubmittedOn: "2027-01-05", State: "submitted"}
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateImprovement(ctx, actor, &nobody) })
		if e := errs.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Field != "submitted_by" {
			t.Errorf("a submitter who does not exist: %v", err)
		}
	})
}
