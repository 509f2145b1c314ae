package store_test

import (
	"context"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The register on both engines: a risk's services in their link table;
// an owner or requirement that does not exist refused on its field; the
// filters (rating inherent or residual, score range, overdue review); the
// matrix's counts; the risks a shorter scale would leave without a level;
// the scales' one row kept as JSON.
func TestRiskTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, actor := context.Background(), access.System
		org := mustOrg(t, db, "Provider", account.Provider)
		riley := mustUser(t, db, "riley@example.com", org.ID)
		mk := func(title string, l, i, rl, ri int64, review, state string, services ...int64) sms.Risk {
			t.Helper()
			r := sms.Risk{Title: title, Category: "supplier", Kind: "risk", OwnerID: riley.ID, Likelihood: l, Impact: i,
				ResidualLikelihood: rl, ResidualImpact: ri, Treatment: "mitigate", ReviewOn: review, State: state,
				ServiceIDs: append([]int64{}, services...), RequirementIDs: []int64{}}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateRisk(ctx, actor, &r) }); err != nil {
				t.Fatalf("create %s: %v", title, err)
			}
			return r
		}
		colo := mk("Colocation fails", 3, 5, 2, 4, "2026-01-01", "open", 7, 9)
		mk("Bandwidth at peak", 4, 4, 3, 3, "2030-01-01", "open")
		mk("Old tool", 3, 5, 1, 1, "2020-01-01", "closed")

		got, err := db.GetRisk(ctx, colo.ID)
		if err != nil || len(got.ServiceIDs) != 2 || got.ServiceIDs[0] != 7 || got.AcceptedBy != nil {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		for name, c := range map[string]struct {
			f    store.RiskFilter
			want int
		}{
			"all":               {store.RiskFilter{}, 3},
			"open":              {store.RiskFilter{State: "open"}, 2},
			"inherent cell 3x5": {store.RiskFilter{Likelihood: 3, Impact: 5}, 2},
			"residual cell 2x4": {store.RiskFilter{Residual: true, Likelihood: 2, Impact: 4}, 1},
			"scores 15 to 16":   {store.RiskFilter{ScoreMin: 15, ScoreMax: 16}, 3},
			"residual 9 and up": {store.RiskFilter{Residual: true, ScoreMin: 9}, 1},
			"overdue review":    {store.RiskFilter{ReviewBefore: "2026-06-01"}, 1},
			"naming service 9":  {store.RiskFilter{ServiceID: 9}, 1},
			"owner":             {store.RiskFilter{OwnerID: riley.ID, Query: "BAND"}, 1},
		} {
			rs, _, err := db.ListRisks(ctx, c.f)
			if err != nil || len(rs) != c.want {
				t.Errorf("%s: %d risks (%v), want %d", name, len(rs), err, c.want)
			}
		}
		cells, err := db.RiskCells(ctx, store.RiskFilter{State: "open"})
		if err != nil || len(cells) != 2 || cells[0] != (store.RiskCell{Likelihood: 3, Impact: 5, Count: 1}) || cells[1] != (store.RiskCell{Likelihood: 4, Impact: 4, Count: 1}) {
			t.Errorf("cells: %+v, %v", cells, err)
		}

		err = db.InTx(ctx, func(tx *store.Tx) error {
			if n, err := tx.CountRisksAbove(ctx, "impact", 4); err != nil || n != 2 {
				t.Errorf("rated above impact 4: %d (%v), want 2", n, err)
			}
			if n, err := tx.CountRisksAbove(ctx, "likelihood", 3); err != nil || n != 1 {
				t.Errorf("rated above likelihood 3: %d (%v), want 1", n, err)
			}
			if ids, err := tx.RisksNamingService(ctx, 7); err != nil || len(ids) != 1 || ids[0] != colo.ID {
				t.Errorf("naming service 7: %v, %v", ids, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		for field, r := range map[string]sms.Risk{
			"owner_id":        {Title: "x", Category: "other", OwnerID: 987654, Likelihood: 1, Impact: 1, ResidualLikelihood: 1, ResidualImpact: 1},
			"requirement_ids": {Title: "x", Category: "other", OwnerID: riley.ID, Likelihood: 1, Impact: 1, ResidualLikelihood: 1, ResidualImpact: 1, RequirementIDs: []int64{987654}},
		} {
			err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateRisk(ctx, actor, &r) })
			if e := errs.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Field != field {
				t.Errorf("bad %s: %v, want a refusal on it", field, err)
			}
		}

		if _, err := db.RiskScales(ctx); !errs.Is(err, errs.NotFound) {
			t.Errorf("scales before any: %v, want not found", err)
		}
		s := sms.DefaultRiskScales()
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreateRiskScales(ctx, actor, &s); err != nil {
				return err
			}
			_, err := tx.UpdateRiskScales(ctx, actor, s.ID, s.Version, func(s *sms.RiskScales) error {
				s.Impact = s.Impact[:4]
				s.Impact[0].Label = "Hardly noticed"
				s.CriticalFrom = 16
				return nil
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got2, err := db.RiskScales(ctx)
		if err != nil || len(got2.Impact) != 4 || got2.Impact[0].Label != "Hardly noticed" || len(got2.Likelihood) != 5 || got2.CriticalFrom != 16 || got2.Version != 2 {
			t.Errorf("scales read back: %+v, %v", got2, err)
		}
	})
}
