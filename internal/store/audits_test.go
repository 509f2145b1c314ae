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

// Audits on both engines: the scope and team in link tables, a nullable
// programme and lead; the filters by state, type, origin, programme and
// requirement; a checklist line per requirement once; sampled records and
// a finding's records kept as JSON; a reference that names nothing
// refused on its field.
func TestAuditTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, actor := context.Background(), access.System
		org := mustOrg(t, db, "Provider", account.Provider)
		drew := mustUser(t, db, "drew@example.com", org.ID)
		var reqs []sms.Requirement
		in := func(fn func(tx *store.Tx) error) error { return db.InTx(ctx, fn) }
		if err := in(func(tx *store.Tx) error {
			fw := sms.Framework{Code: "audited", Name: "Audited"}
			if err := tx.CreateFramework(ctx, actor, &fw); err != nil {
				return err
			}
			for i, code := range []string{"4", "5"} {
				r := sms.Requirement{FrameworkID: fw.ID, Code: code, Title: "Clause " + code, Position: int64(i)}
				if err := tx.CreateRequirement(ctx, actor, &r); err != nil {
					return err
				}
				reqs = append(reqs, r)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		prog := assurance.Programme{Title: "Cycle", StartOn: "2027-01-01", EndOn: "2029-12-31", OwnerID: drew.ID}
		if err := in(func(tx *store.Tx) error { return tx.CreateAuditProgramme(ctx, actor, &prog) }); err != nil {
			t.Fatal(err)
		}
		mk := func(a assurance.Audit) assurance.Audit {
			t.Helper()
			a.Criteria, a.PlannedStart, a.PlannedEnd = "the standard", "2027-02-01", "2027-02-02"
			for _, p := range []*[]int64{&a.ProcessIDs, &a.ServiceIDs, &a.TeamIDs} {
				if *p == nil {
					*p = []int64{}
				}
			}
			if err := in(func(tx *store.Tx) error { return tx.CreateAudit(ctx, actor, &a) }); err != nil {
				t.Fatalf("create %s: %v", a.Title, err)
			}
			return a
		}
		internal := mk(assurance.Audit{ProgrammeID: &prog.ID, Origin: "internal", Type: "internal", Title: "Year one", State: "in_progress",
			RequirementIDs: []int64{reqs[0].ID, reqs[1].ID}, LeadAuditorID: &drew.ID, TeamIDs: []int64{drew.ID}})
		mk(assurance.Audit{Origin: "external", Type: "stage1", Title: "Stage 1", Body: "Certa", State: "planned", RequirementIDs: []int64{reqs[1].ID}})

		got, err := db.GetAudit(ctx, internal.ID)
		if err != nil || len(got.RequirementIDs) != 2 || got.ProgrammeID == nil || *got.LeadAuditorID != drew.ID || len(got.TeamIDs) != 1 {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		for name, c := range map[string]struct {
			f    store.AuditListFilter
			want int
		}{
			"all":         {store.AuditListFilter{}, 2},
			"state":       {store.AuditListFilter{State: "planned"}, 1},
			"type":        {store.AuditListFilter{Type: "stage1"}, 1},
			"origin":      {store.AuditListFilter{Origin: "internal"}, 1},
			"programme":   {store.AuditListFilter{ProgrammeID: prog.ID}, 1},
			"requirement": {store.AuditListFilter{RequirementID: reqs[0].ID}, 1},
			"title":       {store.AuditListFilter{Query: "STAGE"}, 1},
		} {
			as, _, err := db.ListAudits(ctx, c.f)
			if err != nil || len(as) != c.want {
				t.Errorf("%s: %d audits (%v), want %d", name, len(as), err, c.want)
			}
		}
		bad := assurance.Audit{Origin: "internal", Type: "internal", Title: "Bad", State: "planned", RequirementIDs: []int64{999999},
			ProcessIDs: []int64{}, ServiceIDs: []int64{}, TeamIDs: []int64{}, PlannedStart: "2027-01-01", PlannedEnd: "2027-01-01"}
		err = in(func(tx *store.Tx) error { return tx.CreateAudit(ctx, actor, &bad) })
		if e := errs.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Field != "requirement_ids" {
			t.Errorf("a requirement that does not exist: %v, want refused naming requirement_ids", err)
		}

		line := assurance.ChecklistItem{AuditID: internal.ID, RequirementID: reqs[0].ID, Result: "major_nc",
			Sampled: assurance.Refs{{Entity: "evidence", ID: 3}}}
		if err := in(func(tx *store.Tx) error { return tx.CreateChecklistItem(ctx, actor, &line) }); err != nil {
			t.Fatal(err)
		}
		twice := assurance.ChecklistItem{AuditID: internal.ID, RequirementID: reqs[0].ID, Sampled: assurance.Refs{}}
		err = in(func(tx *store.Tx) error { return tx.CreateChecklistItem(ctx, actor, &twice) })
		if e := errs.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Field != "requirement_id" {
			t.Errorf("a second line for a requirement: %v, want refused naming requirement_id", err)
		}
		back, err := db.GetChecklistItem(ctx, line.ID)
		if err != nil || len(back.Sampled) != 1 || back.Sampled[0].Entity != "evidence" || back.Sampled[0].ID != 3 {
			t.Errorf("line read back: %+v, %v", back, err)
		}
		f := assurance.Finding{AuditID: internal.ID, RequirementID: reqs[0].ID, Type: "major_nc", Statement: "SLAs expired",
			Records: assurance.Refs{{Entity: "document", ID: 2}}, ItemID: &line.ID}
		if err := in(func(tx *store.Tx) error { return tx.CreateFinding(ctx, actor, &f) }); err != nil {
			t.Fatal(err)
		}
		fs, _, err := db.ListFindings(ctx, store.FindingFilter{AuditID: internal.ID, Type: "major_nc", RequirementID: reqs[0].ID, Query: "sla"})
		if err != nil || len(fs) != 1 || fs[0].OwnerID != nil || len(fs[0].Records) != 1 || *fs[0].ItemID != line.ID {
			t.Errorf("findings: %+v (%v), want the one with its record", fs, err)
		}
	})
}
