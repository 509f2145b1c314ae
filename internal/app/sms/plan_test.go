package sms_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The plan from an assessment's gaps: an action per requirement not yet
// implemented, linked to it, owned by the result's owner or the caller;
// made again, it adds only the new gaps, never the same one twice.
func TestPlanFromGaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		mgr, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "mgr@example.com", Name: "Manager", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		owner, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "owner@example.com", Name: "Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		actor := mgr.Actor("test")
		fws, _, err := c.ListFrameworks(ctx, actor, store.FrameworkFilter{})
		if err != nil || len(fws) == 0 {
			t.Fatalf("frameworks: %v %v", fws, err)
		}
		asm, err := c.CreateAssessment(ctx, actor, sms.AssessmentInput{FrameworkID: fws[0].ID, Title: "Gap analysis", StartedOn: time.Now().UTC().Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := c.ResultsOf(ctx, actor, asm.ID)
		if err != nil || len(rs) < 3 {
			t.Fatalf("results: %d %v", len(rs), err)
		}
		set := func(r sms.Result, status string, ownerID *int64) {
			t.Helper()
			if _, err := c.UpdateResult(ctx, actor, r.ID, 0, sms.ResultUpdate{Status: &status, OwnerID: ownerID}); err != nil {
				t.Fatal(err)
			}
		}
		// Every result but three implemented; one partial with an owner.
		for _, r := range rs[3:] {
			set(r, "implemented", nil)
		}
		set(rs[1], "partial", &owner.ID)

		made, err := c.PlanFromGaps(ctx, actor, asm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(made) != 3 {
			t.Fatalf("first plan: %d actions, want 3 (two not started, one partial)", len(made))
		}
		for _, m := range made {
			if m.Source != "gap" || m.SourceID == 0 || !strings.HasPrefix(m.Title, "Close the gap: ") || m.State != "open" {
				t.Errorf("planned action %+v: want an open gap action linked to its requirement", m)
			}
			switch m.SourceID {
			case rs[1].RequirementID:
				if m.OwnerID != owner.ID || m.Priority != "medium" {
					t.Errorf("the partial result's action: owner %d priority %s, want the result's owner and medium", m.OwnerID, m.Priority)
				}
			default:
				if m.OwnerID != mgr.ID || m.Priority != "high" {
					t.Errorf("a not-started result's action: owner %d priority %s, want the caller and high", m.OwnerID, m.Priority)
				}
			}
		}
		before, _ := db.CountAudit(ctx)
		again, err := c.PlanFromGaps(ctx, actor, asm.ID)
		if err != nil || len(again) != 0 {
			t.Fatalf("plan again: %d actions, %v; want none, the gaps have actions", len(again), err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("making the plan again wrote %d audit entries", after-before)
		}
		// A gap that opens later gets its action; the others do not repeat.
		set(rs[5], "partial", nil)
		if later, err := c.PlanFromGaps(ctx, actor, asm.ID); err != nil || len(later) != 1 || later[0].SourceID != rs[5].RequirementID {
			t.Errorf("plan after a new gap: %+v %v, want the one new action", later, err)
		}
		// Only those who may create actions make a plan.
		auditor, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "aud@example.com", Name: "Auditor", Role: access.InternalAuditor})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.PlanFromGaps(ctx, auditor.Actor("test"), asm.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an internal auditor making the plan: %v, want forbidden", err)
		}
	})
}
