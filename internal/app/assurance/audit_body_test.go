package assurance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// An external audit names its certification body as a record: the
// body's audits require it, an internal audit refuses it, a body that
// does not exist is refused naming body_id; a body an audit names cannot
// be deleted, and the refusal names the audit; the report names the body.
func TestAuditNamesItsBody(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, s, c := withAreas(t, db)
		mgr, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "mgr@example.com", Name: "Manager", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		actor := mgr.Actor("session")
		reqs, _, err := s.ListRequirements(ctx, actor, store.RequirementFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		certa, err := c.CreateCertificationBody(ctx, actor, assurance.BodyInput{Name: "Certa Assurance"})
		if err != nil {
			t.Fatal(err)
		}
		today := time.Now().UTC().Format(time.DateOnly)
		in := func(origin, typ string, body *int64, consultant string) assurance.AuditInput {
			return assurance.AuditInput{Origin: origin, Type: typ, Title: "Audit " + typ, BodyID: body, Consultant: consultant,
				RequirementIDs: []int64{reqs[0].ID}, PlannedStart: today, PlannedEnd: today}
		}
		refused := func(what string, err error, field, says string) {
			t.Helper()
			e := errs.As(err)
			if e == nil || len(e.Fields) == 0 || e.Fields[0].Field != field || !strings.Contains(e.Error(), says) {
				t.Errorf("%s: %v, want refused naming %s and saying %q", what, err, field, says)
			}
		}
		nobody := int64(987654)
		_, err = c.CreateAudit(ctx, actor, in("external", "stage1", nil, ""))
		refused("stage 1 without a body", err, "body_id", "is required")
		_, err = c.CreateAudit(ctx, actor, in("external", "stage1", &nobody, ""))
		refused("a body that does not exist", err, "body_id", "does not exist")
		_, err = c.CreateAudit(ctx, actor, in("internal", "internal", &certa.ID, ""))
		refused("an internal audit with a body", err, "body_id", "internal audit")
		if n, _, _ := c.ListAudits(ctx, actor, store.AuditListFilter{}); len(n) != 0 {
			t.Errorf("after refusals: %d audits, want none", len(n))
		}

		stage1, err := c.CreateAudit(ctx, actor, in("external", "stage1", &certa.ID, ""))
		if err != nil || stage1.BodyID == nil || *stage1.BodyID != certa.ID {
			t.Fatalf("stage 1 with its body: %+v (%v)", stage1, err)
		}
		pre, err := c.CreateAudit(ctx, actor, in("external", "pre_audit", nil, "Advisors & Co"))
		if err != nil || pre.Consultant != "Advisors & Co" {
			t.Fatalf("pre-audit by a consultant: %+v (%v)", pre, err)
		}
		zero := int64(0)
		_, err = c.UpdateAudit(ctx, actor, stage1.ID, 0, assurance.AuditUpdate{BodyID: &zero})
		refused("taking the body off a stage 1", err, "body_id", "is required")

		err = c.DeleteCertificationBody(ctx, actor, certa.ID, 0)
		if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), assurance.AuditKind.Number(stage1.ID)) {
			t.Errorf("deleting a body an audit names: %v, want a conflict naming %s", err, assurance.AuditKind.Number(stage1.ID))
		}
		if _, err := c.GetCertificationBody(ctx, actor, certa.ID); err != nil {
			t.Errorf("the body after a refused delete: %v", err)
		}
		ar, err := c.Report(ctx, actor, stage1.ID)
		if err != nil || ar.Report.Body != "Certa Assurance" {
			t.Errorf("the report's body %q (%v), want the body's name", ar.Report.Body, err)
		}
	})
}
