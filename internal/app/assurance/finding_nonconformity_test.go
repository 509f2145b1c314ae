package assurance_test

import (
	"context"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// A major or minor finding opens its nonconformity, with the finding as
// its source, the audit's origin, the finding's severity and requirement,
// owned by the auditee it names; an observation opens none.
func TestFindingOpensItsNonconformity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, s, c := withAreas(t, db)
		mgr, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "mgr@example.com", Name: "Manager", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		owner, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "po@example.com", Name: "Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		actor := mgr.Actor("session")
		reqs, _, err := s.ListRequirements(ctx, actor, store.RequirementFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		today := time.Now().UTC().Format(time.DateOnly)
		certa, err := c.CreateCertificationBody(ctx, actor, assurance.BodyInput{Name: "Certa Assurance"})
		if err != nil {
			t.Fatal(err)
		}
		audit := func(origin, typ string) assurance.Audit {
			t.Helper()
			au, err := c.CreateAudit(ctx, actor, assurance.AuditInput{Origin: origin, Type: typ, Title: "Audit of " + reqs[0].Code, BodyID: map[bool]*int64{true: &certa.ID}[origin == "external"],
				RequirementIDs: []int64{reqs[0].ID}, PlannedStart: today, PlannedEnd: today})
			if err != nil {
				t.Fatal(err)
			}
			st := "in_progress"
			if au, err = c.UpdateAudit(ctx, actor, au.ID, 0, assurance.AuditUpdate{State: &st, ActualStart: &today}); err != nil {
				t.Fatal(err)
			}
			return au
		}
		internal := audit("internal", "internal")
		major, err := c.CreateFinding(ctx, actor, assurance.FindingInput{AuditID: internal.ID, RequirementID: reqs[0].ID, Type: "major_nc",
			Statement: "Emergency changes are not reviewed afterwards.\nThree of five sampled had no review.", OwnerID: &owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateFinding(ctx, actor, assurance.FindingInput{AuditID: internal.ID, RequirementID: reqs[0].ID, Type: "observation", Statement: "Change records are long."}); err != nil {
			t.Fatal(err)
		}
		ncs, _, err := c.ListNonconformities(ctx, actor, assuranceapp.NCQuery{NonconformityFilter: store.NonconformityFilter{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ncs) != 1 {
			t.Fatalf("after a major finding and an observation: %d nonconformities, want 1", len(ncs))
		}
		nc := ncs[0]
		want := assurance.FindingKind.Number(major.ID) + ": Emergency changes are not reviewed afterwards."
		if nc.SourceEntity != "finding" || nc.SourceID != major.ID || nc.Origin != "internal_audit" || nc.Severity != "major" ||
			nc.RequirementID != reqs[0].ID || nc.OwnerID != owner.ID || nc.Title != want {
			t.Errorf("the nonconformity opened: %+v; want it from %s, internal, major, owned by the auditee, titled %q", nc, assurance.FindingKind.Number(major.ID), want)
		}
		// A finding of an external audit is an external one.
		external := audit("external", "stage1")
		if _, err := c.CreateFinding(ctx, actor, assurance.FindingInput{AuditID: external.ID, RequirementID: reqs[0].ID, Type: "minor_nc", Statement: "Policy not communicated."}); err != nil {
			t.Fatal(err)
		}
		ext, _, err := c.ListNonconformities(ctx, actor, assuranceapp.NCQuery{NonconformityFilter: store.NonconformityFilter{Origin: "external_audit", Limit: 10}})
		if err != nil || len(ext) != 1 || ext[0].Severity != "minor" || ext[0].OwnerID != mgr.ID {
			t.Errorf("an external finding's nonconformity: %+v %v; want one, minor, owned by whoever recorded it", ext, err)
		}
	})
}
