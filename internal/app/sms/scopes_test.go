package sms_test

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

// The scope's revisions: one draft at a time, immutable once approved,
// approval supersedes the revision before, only drafts are deleted; the
// services it names cannot be deleted; on both engines.
func TestScopeRevisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		owner, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "owner@example.com", Name: "Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		customer, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Customer", Kind: account.Customer})
		if err != nil {
			t.Fatal(err)
		}
		top := access.Actor{UserID: owner.ID, Name: "top", Role: access.TopManagement, Via: "test"}
		agent := access.Actor{Name: "agent", Role: access.Agent, Via: "test"}
		desk, err := c.CreateService(ctx, manager, sms.ServiceInput{Name: "Service desk", OwnerID: owner.ID, CustomerIDs: []int64{customer.ID}})
		if err != nil {
			t.Fatal(err)
		}
		hosting, err := c.CreateService(ctx, manager, sms.ServiceInput{Name: "Hosting", OwnerID: owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := c.GetService(ctx, agent, desk.ID); err != nil || len(got.CustomerIDs) != 1 || got.CustomerIDs[0] != customer.ID || got.Status != "live" {
			t.Errorf("service read back: %+v %v, want its customer and live", got, err)
		}
		if _, err := c.CreateService(ctx, manager, sms.ServiceInput{Name: "service DESK", OwnerID: owner.ID}); fieldOf(err) != "name" {
			t.Errorf("a second service of the same name: %v, want an error on name", err)
		}
		if _, err := c.CreateService(ctx, manager, sms.ServiceInput{Name: "Ghost", OwnerID: owner.ID, CustomerIDs: []int64{99999}}); fieldOf(err) != "customer_ids" {
			t.Errorf("an unknown customer: %v, want an error on customer_ids", err)
		}
		if _, err := c.CreateService(ctx, agent, sms.ServiceInput{Name: "x", OwnerID: owner.ID}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent creating a service: %v, want forbidden", err)
		}

		// Refused drafts write nothing.
		before, _ := db.CountAudit(ctx)
		for _, bad := range []struct {
			in    sms.ScopeInput
			field string
		}{
			{sms.ScopeInput{ServiceIDs: []int64{desk.ID}}, "statement"},
			{sms.ScopeInput{Statement: "x", Exclusions: []sms.Exclusion{{Subject: "Hosting"}}}, "exclusions[0].justification"},
			{sms.ScopeInput{Statement: "x", Exclusions: []sms.Exclusion{{Subject: "8.2 Service portfolio", Justification: "no"}}}, "exclusions[0].subject"},
			{sms.ScopeInput{Statement: "x", ServiceIDs: []int64{99999}}, "service_ids"},
		} {
			if _, err := c.CreateScope(ctx, manager, bad.in); fieldOf(err) != bad.field {
				t.Errorf("create %+v: %v, want an error on %s", bad.in, err, bad.field)
			}
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused drafts wrote %d audit entries", after-before)
		}
		if ok, err := c.ScopeApproved(ctx, agent); err != nil || ok {
			t.Errorf("approved scope before any: %v %v, want none", ok, err)
		}

		r1, err := c.CreateScope(ctx, manager, sms.ScopeInput{Statement: "The SMS of Example", Exclusions: []sms.Exclusion{{Subject: "Hosting", Justification: "Run by the parent company"}}})
		if err != nil {
			t.Fatal(err)
		}
		if r1.Revision != 1 || r1.State != "draft" || len(r1.Exclusions) != 1 {
			t.Errorf("first draft: %+v, want revision 1, a draft, its exclusion", r1)
		}
		if _, err := c.CreateScope(ctx, manager, sms.ScopeInput{Statement: "Another"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("a second draft: %v, want a conflict", err)
		}
		// Not ready: no service in scope.
		if _, err := c.ApproveScope(ctx, top, r1.ID, 0); fieldOf(err) != "service_ids" {
			t.Errorf("approving a draft with no service: %v, want an error on service_ids", err)
		}
		services := []int64{desk.ID, hosting.ID}
		r1, err = c.UpdateScope(ctx, manager, r1.ID, r1.Version, sms.ScopeUpdate{ServiceIDs: &services})
		if err != nil || len(r1.ServiceIDs) != 2 {
			t.Fatalf("update the draft: %+v %v", r1, err)
		}
		if _, err := c.ApproveScope(ctx, agent, r1.ID, 0); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent approving: %v, want forbidden", err)
		}
		if _, err := c.ApproveScope(ctx, top, r1.ID, r1.Version-1); !errs.Is(err, errs.Stale) {
			t.Errorf("approving a stale read: %v, want stale", err)
		}
		r1, err = c.ApproveScope(ctx, top, r1.ID, r1.Version)
		if err != nil || r1.State != "approved" || r1.ApprovedBy != owner.ID || r1.ApprovedAt == nil {
			t.Fatalf("approve: %+v %v, want approved by top management, with the time", r1, err)
		}
		// Approved: it no longer changes, nor goes.
		stmt := "Changed"
		if _, err := c.UpdateScope(ctx, manager, r1.ID, 0, sms.ScopeUpdate{Statement: &stmt}); !errs.Is(err, errs.Conflict) {
			t.Errorf("changing an approved revision: %v, want a conflict", err)
		}
		if err := c.DeleteScope(ctx, manager, r1.ID, 0); !errs.Is(err, errs.Conflict) {
			t.Errorf("deleting an approved revision: %v, want a conflict", err)
		}
		if _, err := c.ApproveScope(ctx, top, r1.ID, 0); !errs.Is(err, errs.Conflict) {
			t.Errorf("approving again: %v, want a conflict", err)
		}
		if err := c.DeleteService(ctx, manager, hosting.ID, 0); !errs.Is(err, errs.Conflict) {
			t.Errorf("deleting a service the scope names: %v, want a conflict", err)
		}
		if cur, ok, err := c.CurrentScope(ctx, agent); err != nil || !ok || cur.ID != r1.ID {
			t.Errorf("scope in force: %+v %v %v, want revision 1", cur, ok, err)
		}

		// The next revision: approving it supersedes the first.
		r2, err := c.CreateScope(ctx, manager, r1.Input())
		if err != nil || r2.Revision != 2 {
			t.Fatalf("second revision: %+v %v", r2, err)
		}
		retired := "retired"
		if _, err := c.UpdateService(ctx, manager, hosting.ID, 0, sms.ServiceUpdate{Status: &retired}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ApproveScope(ctx, top, r2.ID, 0); fieldOf(err) != "service_ids" {
			t.Errorf("approving a revision naming a retired service: %v, want an error on service_ids", err)
		}
		only := []int64{desk.ID}
		if _, err := c.UpdateScope(ctx, manager, r2.ID, 0, sms.ScopeUpdate{ServiceIDs: &only}); err != nil {
			t.Fatal(err)
		}
		if r2, err = c.ApproveScope(ctx, manager, r2.ID, 0); err != nil {
			t.Fatal(err)
		}
		if old, err := c.GetScope(ctx, agent, r1.ID); err != nil || old.State != "superseded" || len(old.ServiceIDs) != 2 {
			t.Errorf("revision 1 after revision 2's approval: %+v %v, want superseded and whole", old, err)
		}
		if cur, ok, _ := c.CurrentScope(ctx, agent); !ok || cur.ID != r2.ID {
			t.Errorf("scope in force: %+v, want revision 2", cur)
		}
		for _, l := range []struct {
			f    store.ScopeFilter
			want []int64
		}{
			{store.ScopeFilter{}, []int64{r1.ID, r2.ID}},
			{store.ScopeFilter{State: "approved"}, []int64{r2.ID}},
			{store.ScopeFilter{ServiceID: hosting.ID}, []int64{r1.ID}},
		} {
			got, _, err := c.ListScopes(ctx, agent, l.f)
			var ids []int64
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			if err != nil || !equal(ids, l.want) {
				t.Errorf("list %+v: %v %v, want %v", l.f, ids, err, l.want)
			}
		}
		// A draft may go.
		r3, err := c.CreateScope(ctx, manager, r2.Input())
		if err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteScope(ctx, manager, r3.ID, 0); err != nil {
			t.Errorf("deleting a draft: %v", err)
		}
		if _, ok, _ := c.DraftScope(ctx, agent); ok {
			t.Error("a draft is left after its delete")
		}
		// A service no revision names may go.
		lone, err := c.CreateService(ctx, manager, sms.ServiceInput{Name: "Lone", OwnerID: owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteService(ctx, manager, lone.ID, 0); err != nil {
			t.Errorf("deleting a service no scope names: %v", err)
		}
		if res, err := db.VerifyAudit(ctx); err != nil || res.Problem != nil {
			t.Fatalf("verify: %+v, %v", res, err)
		}
	})
}

// Context issues, interested parties and the communication plan: rules
// and filters on both engines.
func TestContextRegisters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		owner, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "owner@example.com", Name: "Owner", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		customer, _ := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Customer", Kind: account.Customer})
		requester, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "req@example.com", Name: "Req", Role: access.Requester, OrgID: customer.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []struct {
			in    sms.ContextIssueInput
			field string
		}{
			{sms.ContextIssueInput{Origin: "external", OwnerID: owner.ID}, "title"},
			{sms.ContextIssueInput{Title: "x", Origin: "outer", OwnerID: owner.ID}, "origin"},
			{sms.ContextIssueInput{Title: "x", Origin: "external", Category: "weather", OwnerID: owner.ID}, "category"},
			{sms.ContextIssueInput{Title: "x", Origin: "external"}, "owner_id"},
			{sms.ContextIssueInput{Title: "x", Origin: "external", OwnerID: requester.ID}, "owner_id"},
		} {
			if _, err := c.CreateContextIssue(ctx, manager, bad.in); fieldOf(err) != bad.field {
				t.Errorf("issue %+v: %v, want an error on %s", bad.in, err, bad.field)
			}
		}
		heat, err := c.CreateContextIssue(ctx, manager, sms.ContextIssueInput{Title: "Heatwaves", Origin: "external", Category: "environmental", Climate: true, OwnerID: owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		staff, err := c.CreateContextIssue(ctx, manager, sms.ContextIssueInput{Title: "Staff turnover", Origin: "internal", OwnerID: owner.ID})
		if err != nil || staff.Category != "other" {
			t.Fatalf("issue with the default category: %+v %v", staff, err)
		}
		for _, l := range []struct {
			f    store.ContextIssueFilter
			want []int64
		}{
			{store.ContextIssueFilter{Climate: true}, []int64{heat.ID}},
			{store.ContextIssueFilter{Origin: "internal"}, []int64{staff.ID}},
			{store.ContextIssueFilter{Query: "HEAT"}, []int64{heat.ID}},
			{store.ContextIssueFilter{}, []int64{heat.ID, staff.ID}},
		} {
			got, _, err := c.ListContextIssues(ctx, manager, l.f)
			var ids []int64
			for _, i := range got {
				ids = append(ids, i.ID)
			}
			if err != nil || !equal(ids, l.want) {
				t.Errorf("issues %+v: %v %v, want %v", l.f, ids, err, l.want)
			}
		}
		if _, _, err := c.ListContextIssues(ctx, requester.Actor("test"), store.ContextIssueFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a requester listing issues: %v, want forbidden", err)
		}
		no := false
		if got, err := c.UpdateContextIssue(ctx, manager, heat.ID, heat.Version, sms.ContextIssueUpdate{Climate: &no}); err != nil || got.Climate {
			t.Errorf("clear the climate flag: %+v %v", got, err)
		}

		if _, err := c.CreateInterestedParty(ctx, manager, sms.InterestedPartyInput{Name: "Regulator", Category: "regulator"}); fieldOf(err) != "requirements" {
			t.Errorf("a party without requirements: %v, want an error on requirements", err)
		}
		p, err := c.CreateInterestedParty(ctx, manager, sms.InterestedPartyInput{Name: "Regulator", Category: "regulator", Requirements: "Reports"})
		if err != nil || p.Relevance != "medium" {
			t.Fatalf("party: %+v %v, want medium relevance by default", p, err)
		}
		if _, err := c.CreateInterestedParty(ctx, manager, sms.InterestedPartyInput{Name: "regulator", Category: "other", Requirements: "x"}); fieldOf(err) != "name" {
			t.Errorf("a second party of the same name: %v, want an error on name", err)
		}

		for _, bad := range []struct {
			in    sms.CommunicationInput
			field string
		}{
			{sms.CommunicationInput{Audience: "All", Frequency: "yearly", Channel: "email", OwnerID: owner.ID}, "subject"},
			{sms.CommunicationInput{Subject: "Policy", Frequency: "yearly", Channel: "email", OwnerID: owner.ID}, "audience"},
			{sms.CommunicationInput{Subject: "Policy", Audience: "All", Frequency: "daily", Channel: "email", OwnerID: owner.ID}, "frequency"},
			{sms.CommunicationInput{Subject: "Policy", Audience: "All", Frequency: "yearly", Channel: "pigeon", OwnerID: owner.ID}, "channel"},
			{sms.CommunicationInput{Subject: "Policy", Audience: "All", Frequency: "yearly", Channel: "email"}, "owner_id"},
		} {
			if _, err := c.CreateCommunication(ctx, manager, bad.in); fieldOf(err) != bad.field {
				t.Errorf("communication %+v: %v, want an error on %s", bad.in, err, bad.field)
			}
		}
		m, err := c.CreateCommunication(ctx, manager, sms.CommunicationInput{Subject: "Policy", Audience: "All staff", Frequency: "yearly", Channel: "intranet", OwnerID: owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, _, err := c.ListCommunications(ctx, manager, store.CommunicationFilter{Query: "staff"}); err != nil || len(got) != 1 || got[0].ID != m.ID {
			t.Errorf("communications to staff: %+v %v", got, err)
		}
	})
}

// fieldOf is the field an invalid-input error names first, "" for any
// other error.
func fieldOf(err error) string {
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 {
		return ""
	}
	return e.Fields[0].Field
}
