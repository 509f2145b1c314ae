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
// requirement and certification body; a checklist line per requirement
// once; sampled records and a finding's records kept as JSON; a reference
// that names nothing refused on its field; migration 36 turning an
// audit's body written as text into its body on record.
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
		certa := assurance.CertificationBody{Name: "Certa Assurance", Covers20000: "yes"}
		if err := in(func(tx *store.Tx) error { return tx.CreateCertificationBody(ctx, actor, &certa) }); err != nil {
			t.Fatal(err)
		}
		stage1 := mk(assurance.Audit{Origin: "external", Type: "stage1", Title: "Stage 1", BodyID: &certa.ID, State: "planned", RequirementIDs: []int64{reqs[1].ID}})
		if got, err := db.GetAudit(ctx, stage1.ID); err != nil || got.BodyID == nil || *got.BodyID != certa.ID {
			t.Errorf("stage 1 read back: %+v (%v), want its body", got, err)
		}
		if err := in(func(tx *store.Tx) error { return tx.DeleteCertificationBody(ctx, actor, certa.ID, 0, nil) }); err == nil {
			t.Errorf("deleting a body an audit names: no error, want refused")
		}
		var named []int64
		if err := in(func(tx *store.Tx) (err error) { named, err = tx.AuditsOfBody(ctx, certa.ID); return err }); err != nil || len(named) != 1 || named[0] != stage1.ID {
			t.Errorf("audits of the body: %v (%v), want the stage 1", named, err)
		}

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
			"body":        {store.AuditListFilter{BodyID: certa.ID}, 1},
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

		nobody := int64(999999)
		bad = assurance.Audit{Origin: "external", Type: "stage2", Title: "Bad", State: "planned", BodyID: &nobody, RequirementIDs: []int64{reqs[0].ID},
			ProcessIDs: []int64{}, ServiceIDs: []int64{}, TeamIDs: []int64{}, PlannedStart: "2027-01-01", PlannedEnd: "2027-01-01"}
		err = in(func(tx *store.Tx) error { return tx.CreateAudit(ctx, actor, &bad) })
		if !errs.Is(err, errs.Invalid) { // SQLite does not say which key; the use case names body_id first
			t.Errorf("a body that does not exist: %v, want refused", err)
		}

		// Migration 36: a body written as text that matches a body on
		// record (whatever its case and spaces) becomes that body; one that
		// matches none stays as text, and an internal audit is left alone.
		matched := mk(assurance.Audit{Origin: "external", Type: "stage2", Title: "Stage 2", Consultant: " certa ASSURANCE ", State: "planned", RequirementIDs: []int64{reqs[1].ID}})
		unknown := mk(assurance.Audit{Origin: "external", Type: "pre_audit", Title: "Pre-audit", Consultant: "Advisors & Co", State: "planned", RequirementIDs: []int64{reqs[1].ID}})
		stmts := db.MigrationForTest(36, "UPDATE")
		if len(stmts) != 2 {
			t.Fatalf("migration 36 has %d UPDATE statements, want 2", len(stmts))
		}
		if err := in(func(tx *store.Tx) error {
			for _, s := range stmts {
				if err := tx.ExecForTest(ctx, s); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.GetAudit(ctx, matched.ID); err != nil || got.BodyID == nil || *got.BodyID != certa.ID || got.Consultant != "" {
			t.Errorf("matched audit after migration: body %v, consultant %q (%v), want the body and no text", got.BodyID, got.Consultant, err)
		}
		if got, err := db.GetAudit(ctx, unknown.ID); err != nil || got.BodyID != nil || got.Consultant != "Advisors & Co" {
			t.Errorf("unmatched audit after migration: body %v, consultant %q (%v), want no body and the text kept", got.BodyID, got.Consultant, err)
		}
		if got, err := db.GetAudit(ctx, internal.ID); err != nil || got.BodyID != nil {
			t.Errorf("internal audit after migration: body %v (%v), want none", got.BodyID, err)
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
		fs, _, err := db.ListFindings(ctx, store.FindingFilter{AuditID: internal.ID, Type: "major_nc", RequirementID: reqs[0].ID, Query: "sla", ItemID: line.ID})
		if err != nil || len(fs) != 1 || fs[0].OwnerID != nil || len(fs[0].Records) != 1 || *fs[0].ItemID != line.ID {
			t.Errorf("findings: %+v (%v), want the one with its record", fs, err)
		}
	})
}
