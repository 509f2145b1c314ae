package sms_test

import (
	"context"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Actions: made, changed and deleted with their rules checked, listed by
// owner, state and due day, on both engines.
func TestActions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		mk := func(email string, role access.Role, org int64) account.User {
			u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: email, Name: email, Role: role, OrgID: org})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		customer, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Customer", Kind: account.Customer})
		if err != nil {
			t.Fatal(err)
		}
		agent, owner := mk("agent@example.com", access.Agent, 0), mk("owner@example.com", access.ProcessOwner, 0)
		requester := mk("req@example.com", access.Requester, customer.ID)
		auditor := mk("auditor@example.com", access.InternalAuditor, 0)
		reqs, _, err := c.ListRequirements(ctx, access.CLI, store.RequirementFilter{Query: "incident", Limit: 1})
		if err != nil || len(reqs) != 1 {
			t.Fatalf("a requirement to point at: %v %v", reqs, err)
		}
		today := time.Now().UTC()
		day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }

		// Refusals name the field and write nothing.
		before, _ := db.CountAudit(ctx)
		for _, bad := range []struct {
			in    sms.ActionInput
			field string
		}{
			{sms.ActionInput{OwnerID: agent.ID}, "title"},
			{sms.ActionInput{Title: "x"}, "owner_id"},
			{sms.ActionInput{Title: "x", OwnerID: requester.ID}, "owner_id"},
			{sms.ActionInput{Title: "x", OwnerID: 99999}, "owner_id"},
			{sms.ActionInput{Title: "x", OwnerID: agent.ID, DueOn: "31/12/2026"}, "due_on"},
			{sms.ActionInput{Title: "x", OwnerID: agent.ID, State: "finished"}, "state"},
			{sms.ActionInput{Title: "x", OwnerID: agent.ID, Source: "gap"}, "source_id"},
			{sms.ActionInput{Title: "x", OwnerID: agent.ID, Source: "gap", SourceID: 99999}, "source_id"},
			{sms.ActionInput{Title: "x", OwnerID: agent.ID, Source: "plan", SourceID: reqs[0].ID}, "source_id"},
			{sms.ActionInput{Title: "x", OwnerID: agent.ID, Source: "audit"}, "source"},
		} {
			_, err := c.CreateAction(ctx, manager, bad.in)
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != bad.field {
				t.Errorf("create %+v: %v, want a field error on %s", bad.in, err, bad.field)
			}
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused creates wrote %d audit entries", after-before)
		}
		// Who may write: doers yes, an auditor no.
		if _, err := c.CreateAction(ctx, auditor.Actor("test"), sms.ActionInput{Title: "x", OwnerID: agent.ID}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an internal auditor creating an action: %v, want forbidden", err)
		}

		overdue, err := c.CreateAction(ctx, agent.Actor("test"), sms.ActionInput{Title: "Write the incident procedure", OwnerID: agent.ID, DueOn: day(-3),
			Source: "gap", SourceID: reqs[0].ID, Priority: "high"})
		if err != nil {
			t.Fatal(err)
		}
		soon, err := c.CreateAction(ctx, manager, sms.ActionInput{Title: "Train the desk", OwnerID: owner.ID, DueOn: day(5)})
		if err != nil {
			t.Fatal(err)
		}
		later, err := c.CreateAction(ctx, manager, sms.ActionInput{Title: "Review the catalogue", OwnerID: agent.ID, DueOn: day(40), State: "in_progress"})
		if err != nil {
			t.Fatal(err)
		}
		if overdue.State != "open" || soon.Priority != "medium" || soon.Source != "plan" {
			t.Errorf("defaults: %+v %+v, want open, medium, plan", overdue, soon)
		}
		ids := func(f store.ActionFilter) []int64 {
			t.Helper()
			as, _, err := c.ListActions(ctx, manager, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, x := range as {
				out = append(out, x.ID)
			}
			return out
		}
		for _, l := range []struct {
			name string
			f    store.ActionFilter
			want []int64
		}{
			{"overdue", store.ActionFilter{Open: true, DueUntil: day(-1)}, []int64{overdue.ID}},
			{"due within a week", store.ActionFilter{Open: true, DueUntil: day(7)}, []int64{overdue.ID, soon.ID}},
			{"the agent's", store.ActionFilter{OwnerID: agent.ID}, []int64{overdue.ID, later.ID}},
			{"in progress", store.ActionFilter{State: "in_progress"}, []int64{later.ID}},
			{"for the requirement", store.ActionFilter{Source: "gap", SourceID: reqs[0].ID}, []int64{overdue.ID}},
			{"by title", store.ActionFilter{Query: "TRAIN"}, []int64{soon.ID}},
		} {
			if got := ids(l.f); !equal(got, l.want) {
				t.Errorf("%s: %v, want %v", l.name, got, l.want)
			}
		}

		// A stale change is refused; a good one applies; done leaves the open lists.
		done := "done"
		if _, err := c.UpdateAction(ctx, manager, overdue.ID, overdue.Version+1, sms.ActionUpdate{State: &done}); !errs.Is(err, errs.Stale) {
			t.Errorf("stale update: %v, want stale", err)
		}
		bad := "later"
		if _, err := c.UpdateAction(ctx, manager, overdue.ID, overdue.Version, sms.ActionUpdate{State: &bad}); errs.As(err) == nil || errs.As(err).Code != errs.Invalid {
			t.Errorf("update to an unknown state: %v, want invalid", err)
		}
		got, err := c.UpdateAction(ctx, manager, overdue.ID, overdue.Version, sms.ActionUpdate{State: &done})
		if err != nil || got.State != "done" || got.Version != overdue.Version+1 {
			t.Fatalf("mark done: %+v %v", got, err)
		}
		if got := ids(store.ActionFilter{Open: true, DueUntil: day(-1)}); len(got) != 0 {
			t.Errorf("overdue after it is done: %v, want none", got)
		}
		if err := c.DeleteAction(ctx, manager, soon.ID, soon.Version+5); !errs.Is(err, errs.Stale) {
			t.Errorf("stale delete: %v, want stale", err)
		}
		if err := c.DeleteAction(ctx, manager, soon.ID, soon.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetAction(ctx, manager, soon.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("deleted action: %v, want not found", err)
		}
		// A requester sees no actions at all.
		if _, _, err := c.ListActions(ctx, requester.Actor("test"), store.ActionFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a requester listing actions: %v, want forbidden", err)
		}
	})
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// newArea starts the App with the management system area on db, with a
// provider organisation for users to belong to.
func newArea(t *testing.T, db *store.DB) (*app.App, *smsapp.Catalogue) {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, db, nil, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := smsapp.New(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Provider", Kind: account.Provider}); err != nil {
		t.Fatal(err)
	}
	return a, c
}
