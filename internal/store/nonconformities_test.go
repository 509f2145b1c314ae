package store_test

import (
	"context"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Nonconformities on both engines: the whys and the evidence kept as
// JSON; the filters, overdue by the deadlines' cut-off days included; the
// earlier nonconformity that makes one recurring; the corrective actions
// read in the transaction; the deadlines' one row.
func TestNonconformityTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, actor := context.Background(), access.System
		org := mustOrg(t, db, "Provider", account.Provider)
		olu := mustUser(t, db, "olu@example.com", org.ID)
		mk := func(title, severity, origin, raised, state string, req int64) assurance.Nonconformity {
			t.Helper()
			n := assurance.Nonconformity{Title: title, Severity: severity, Origin: origin, RequirementID: req, OwnerID: olu.ID, RaisedOn: raised,
				State: state, Whys: []string{"one", "two"}, Evidence: []assurance.Ref{{Entity: "evidence", ID: 3}}}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateNonconformity(ctx, actor, &n) }); err != nil {
				t.Fatalf("create %s: %v", title, err)
			}
			return n
		}
		first := mk("Backups not checked", "major", "external_audit", "2026-01-10", "analysed", 7)
		mk("No review minutes", "minor", "internal_audit", "2026-05-01", "open", 8)
		mk("Old", "minor", "complaint", "2024-01-01", "closed", 7)

		got, err := db.GetNonconformity(ctx, first.ID)
		if err != nil || len(got.Whys) != 2 || got.Whys[1] != "two" || len(got.Evidence) != 1 || got.Evidence[0].Entity != "evidence" || got.CorrectedBy != nil {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		// On 2026-06-15 with the default deadlines: the external major
		// (close within 90 days of 2026-01-10) is overdue, the internal
		// minor (plan within 60 days of 2026-05-01) not yet.
		d := assurance.DefaultNCDeadlines()
		var overdue []store.NCOverdue
		for _, r := range d.Rules() {
			overdue = append(overdue, store.NCOverdue{External: r.External, Severity: r.Severity,
				PlanBefore: assurance.AddDays("2026-06-15", -r.Plan), CloseBefore: assurance.AddDays("2026-06-15", -r.Close)})
		}
		for name, c := range map[string]struct {
			f    store.NonconformityFilter
			want int
		}{
			"all":         {store.NonconformityFilter{}, 3},
			"not closed":  {store.NonconformityFilter{Open: true}, 2},
			"major":       {store.NonconformityFilter{Severity: "major"}, 1},
			"external":    {store.NonconformityFilter{Origin: "external_audit"}, 1},
			"requirement": {store.NonconformityFilter{RequirementID: 7}, 2},
			"owner":       {store.NonconformityFilter{OwnerID: olu.ID, Query: "REVIEW"}, 1},
			"overdue":     {store.NonconformityFilter{Overdue: overdue}, 1},
			"recurring":   {store.NonconformityFilter{Recurring: true}, 0},
		} {
			ns, _, err := db.ListNonconformities(ctx, c.f)
			if err != nil || len(ns) != c.want {
				t.Errorf("%s: %d nonconformities (%v), want %d", name, len(ns), err, c.want)
			}
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			earlier, err := tx.EarlierNonconformity(ctx, 7, assurance.RecurrenceSince("2026-09-01"), "2026-09-01", 0)
			if err != nil || earlier != first.ID {
				t.Errorf("earlier: got %d (%v), want %d", earlier, err, first.ID)
			}
			if none, err := tx.EarlierNonconformity(ctx, 7, assurance.RecurrenceSince("2027-03-01"), "2027-03-01", 0); err != nil || none != 0 {
				t.Errorf("more than a year later: got %d (%v), want none", none, err)
			}
			a := sms.Action{Title: "Check the backups", OwnerID: olu.ID, State: "open", Priority: "medium", Source: "nonconformity", SourceID: first.ID, DependsOn: []int64{}}
			if err := tx.CreateAction(ctx, actor, &a); err != nil {
				return err
			}
			as, err := tx.ActionsFromSource(ctx, "nonconformity", first.ID)
			if err != nil || len(as) != 1 || as[0].ID != a.ID {
				t.Errorf("corrective actions: %+v (%v)", as, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A user who does not exist is refused as bad input (SQLite does
		// not say which of the user columns; the use cases check them
		// first, naming the field).
		bad := int64(987654)
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateNonconformity(ctx, actor, first.ID, 0, func(n *assurance.Nonconformity) error { n.VerifiedBy = &bad; return nil })
			return err
		})
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown verifier: got %v, want invalid input", err)
		}
		if _, err := db.NCDeadlines(ctx); !errs.Is(err, errs.NotFound) {
			t.Fatalf("deadlines before written: %v", err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateNCDeadlines(ctx, actor, &d) }); err != nil {
			t.Fatal(err)
		}
		if got, err := db.NCDeadlines(ctx); err != nil || got.Rules()[0] != d.Rules()[0] || got.InternalMinorClose != 120 {
			t.Errorf("deadlines: %+v, %v", got, err)
		}
	})
}
