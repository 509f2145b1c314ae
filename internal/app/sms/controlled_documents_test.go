package sms_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// refusedOn is the field an Invalid error names, or "".
func refusedOn(err error) string {
	if e := errs.As(err); e != nil && e.Code == errs.Invalid && len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}

// Documents: the version workflow with a quorum and the self-approval
// rule, immutable approved versions, supersession, withdrawal,
// acknowledgements that a new version asks again for, the checklist's
// coverage, and deletion refused while the checklist points to a
// document; on both engines.
func TestDocumentWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		mk := func(email string, role access.Role) account.User {
			u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: email, Name: email, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		manager, boss, owner := mk("manager@example.com", access.SMSManager), mk("boss@example.com", access.TopManagement), mk("owner@example.com", access.ProcessOwner)
		agent, agent2, auditor := mk("agent@example.com", access.Agent), mk("agent2@example.com", access.Agent), mk("auditor@example.com", access.InternalAuditor)
		as := func(u account.User) access.Actor { return u.Actor("test") }

		// Bad documents are refused by field and write nothing.
		before, _ := db.CountAudit(ctx)
		for _, bad := range []struct {
			in    sms.DocumentInput
			field string
		}{
			{sms.DocumentInput{Title: "P", OwnerID: agent.ID}, "owner_id"},
			{sms.DocumentInput{Title: "P", OwnerID: manager.ID, ApproverIDs: []int64{agent.ID}}, "approver_ids"},
			{sms.DocumentInput{Title: "P", OwnerID: manager.ID, ApproverIDs: []int64{boss.ID}, Quorum: 2}, "quorum"},
			{sms.DocumentInput{Title: "P", OwnerID: manager.ID, RequirementIDs: []int64{999999}}, "requirement_ids"},
			{sms.DocumentInput{Title: "P", OwnerID: manager.ID, AudienceTeamIDs: []int64{999999}}, "audience_team_ids"},
		} {
			if _, err := c.CreateDocument(ctx, as(manager), bad.in); refusedOn(err) != bad.field {
				t.Errorf("create %+v: %v, want refused on %s", bad.in, err, bad.field)
			}
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused creates wrote %d audit entries", after-before)
		}
		if _, err := c.CreateDocument(ctx, as(agent), sms.DocumentInput{Title: "P", OwnerID: manager.ID}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent registering a document: %v, want forbidden", err)
		}

		reqs, _, err := c.ListRequirements(ctx, access.CLI, store.RequirementFilter{Query: "policy", Limit: 1})
		if err != nil || len(reqs) != 1 {
			t.Fatalf("a requirement: %v %v", reqs, err)
		}
		doc, err := c.CreateDocument(ctx, as(manager), sms.DocumentInput{Title: "Service management policy", OwnerID: manager.ID, ReviewMonths: 12,
			ApproverIDs: []int64{boss.ID, owner.ID, manager.ID}, Quorum: 2, RequirementIDs: []int64{reqs[0].ID},
			AudienceRoles: "agent", AudienceUserIDs: []int64{auditor.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Status != "draft" || doc.CurrentVersion != 0 || doc.Type != "policy" || len(doc.ApproverIDs) != 3 {
			t.Fatalf("new document %+v", doc)
		}

		// The first version: written by the manager, submitted, approved by
		// two of three, never by its author.
		v1, err := c.CreateDocumentVersion(ctx, as(manager), doc.ID, sms.VersionInput{Content: "# Policy\n\nWe deliver.", ChangeNote: "First issue"})
		if err != nil || v1.Number != 1 || v1.State != "draft" {
			t.Fatalf("first version %+v %v", v1, err)
		}
		if _, err := c.CreateDocumentVersion(ctx, as(manager), doc.ID, sms.VersionInput{Content: "x"}); refusedOn(err) != "document_id" {
			t.Errorf("a second draft beside the first: %v, want refused on document_id", err)
		}
		if _, err := c.CreateDocumentVersion(ctx, as(manager), doc.ID+1000, sms.VersionInput{Content: "x"}); refusedOn(err) != "document_id" {
			t.Errorf("a version of no document: %v, want refused on document_id", err)
		}
		if _, err := c.ApproveDocumentVersion(ctx, as(boss), v1.ID, 0); refusedOn(err) != "state" {
			t.Errorf("approving a draft: %v, want refused on state", err)
		}
		approved := "approved"
		if _, err := c.UpdateDocumentVersion(ctx, as(manager), v1.ID, 0, smsapp.VersionUpdate{State: &approved}); refusedOn(err) != "state" {
			t.Errorf("setting approved by hand: %v, want refused on state", err)
		}
		inReview := "in_review"
		v1, err = c.UpdateDocumentVersion(ctx, as(manager), v1.ID, v1.Version, smsapp.VersionUpdate{State: &inReview})
		if err != nil || v1.State != "in_review" {
			t.Fatalf("submit: %+v %v", v1, err)
		}
		text := "changed in review"
		if _, err := c.UpdateDocumentVersion(ctx, as(manager), v1.ID, 0, smsapp.VersionUpdate{Content: &text}); refusedOn(err) != "content" {
			t.Errorf("changing the text in review: %v, want refused on content", err)
		}
		if _, err := c.ApproveDocumentVersion(ctx, as(manager), v1.ID, 0); refusedOn(err) != "approval_ids" || !strings.Contains(err.Error(), "you wrote this version") {
			t.Errorf("the author approving: %v, want refused as self-approval", err)
		}
		if _, err := c.ApproveDocumentVersion(ctx, as(agent), v1.ID, 0); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent approving: %v, want forbidden", err)
		}
		if _, err := c.ApproveDocumentVersion(ctx, as(mk("boss2@example.com", access.TopManagement)), v1.ID, 0); refusedOn(err) != "approval_ids" {
			t.Errorf("someone not named approving: %v, want refused on approval_ids", err)
		}
		v1, err = c.ApproveDocumentVersion(ctx, as(boss), v1.ID, 0)
		if err != nil || v1.State != "in_review" || !slices.Equal(v1.ApprovalIDs, []int64{boss.ID}) {
			t.Fatalf("first of two approvals: %+v %v", v1, err)
		}
		if _, err := c.ApproveDocumentVersion(ctx, as(boss), v1.ID, 0); refusedOn(err) != "approval_ids" {
			t.Errorf("approving twice: %v, want refused", err)
		}
		if d, _ := c.GetDocument(ctx, as(manager), doc.ID); d.Status != "draft" {
			t.Errorf("one approval of two brought the document to %s", d.Status)
		}
		v1, err = c.ApproveDocumentVersion(ctx, as(owner), v1.ID, 0)
		if err != nil || v1.State != "approved" || v1.ApprovedAt == nil {
			t.Fatalf("second approval: %+v %v", v1, err)
		}
		doc, _ = c.GetDocument(ctx, as(manager), doc.ID)
		if doc.Status != "approved" || doc.CurrentVersion != 1 || doc.ReviewedOn == "" || doc.ReviewDueOn != doc.NextReview() {
			t.Errorf("document after approval: %+v", doc)
		}
		for _, f := range []smsapp.VersionUpdate{{Content: &text}, {ChangeNote: &text}} {
			if _, err := c.UpdateDocumentVersion(ctx, as(manager), v1.ID, 0, f); refusedOn(err) == "" {
				t.Errorf("changing an approved version's text: %v, want refused", err)
			}
		}
		if err := c.DeleteDocumentVersion(ctx, as(manager), v1.ID, 0); !errs.Is(err, errs.Conflict) {
			t.Errorf("deleting an approved version: %v, want conflict", err)
		}

		// Readers: the agents by role and the auditor by name acknowledge.
		comp, err := c.Completion(ctx, as(manager), doc.ID)
		if err != nil || !slices.Equal(comp.Readers, []int64{agent.ID, agent2.ID, auditor.ID}) || len(comp.Acknowledged) != 0 || comp.Version != 1 {
			t.Fatalf("completion %+v %v", comp, err)
		}
		if todo, _ := c.ToAcknowledge(ctx, as(agent), agent.ID); len(todo) != 1 || todo[0].ID != doc.ID {
			t.Errorf("the agent's list to acknowledge: %+v", todo)
		}
		if _, err := c.Acknowledge(ctx, as(agent), doc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Acknowledge(ctx, as(agent), doc.ID); refusedOn(err) != "version_id" {
			t.Errorf("acknowledging twice: %v, want refused on version_id", err)
		}
		if _, err := c.Acknowledge(ctx, as(auditor), doc.ID); err != nil {
			t.Fatal(err)
		}
		if comp, _ = c.Completion(ctx, as(manager), doc.ID); !slices.Equal(comp.Acknowledged, []int64{agent.ID, auditor.ID}) || comp.Percent() != 66 {
			t.Errorf("completion after two: %+v", comp)
		}
		if todo, _ := c.ToAcknowledge(ctx, as(agent), agent.ID); len(todo) != 0 {
			t.Errorf("the agent still has %d to acknowledge", len(todo))
		}

		// Version 2 supersedes version 1 and asks everyone again.
		v2, err := c.CreateDocumentVersion(ctx, as(owner), doc.ID, sms.VersionInput{Content: "# Policy\n\nWe deliver, and improve.", ChangeNote: "Improvement"})
		if err != nil || v2.Number != 2 {
			t.Fatalf("second version %+v %v", v2, err)
		}
		if _, err := c.UpdateDocumentVersion(ctx, as(owner), v2.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
			t.Fatal(err)
		}
		back := "draft"
		if v2, err = c.UpdateDocumentVersion(ctx, as(owner), v2.ID, 0, smsapp.VersionUpdate{State: &back}); err != nil || v2.State != "draft" {
			t.Fatalf("back to draft: %+v %v", v2, err)
		}
		if _, err := c.UpdateDocumentVersion(ctx, as(owner), v2.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
			t.Fatal(err)
		}
		for _, u := range []account.User{boss, manager} {
			if v2, err = c.ApproveDocumentVersion(ctx, as(u), v2.ID, 0); err != nil {
				t.Fatal(err)
			}
		}
		if v1, _ = c.GetDocumentVersion(ctx, as(manager), v1.ID); v1.State != "superseded" || v2.State != "approved" {
			t.Errorf("after version 2: v1 %s, v2 %s; want superseded and approved", v1.State, v2.State)
		}
		if comp, _ = c.Completion(ctx, as(manager), doc.ID); len(comp.Acknowledged) != 0 || comp.Version != 2 {
			t.Errorf("a new version does not ask again: %+v", comp)
		}
		if todo, _ := c.ToAcknowledge(ctx, as(agent), agent.ID); len(todo) != 1 {
			t.Errorf("the agent is not asked to acknowledge version 2: %+v", todo)
		}
		if _, err := c.UpdateDocumentVersion(ctx, as(manager), v1.ID, 0, smsapp.VersionUpdate{State: &inReview}); refusedOn(err) != "state" {
			t.Errorf("reopening a superseded version: %v, want refused on state", err)
		}

		// Self-approval allowed when the document says so.
		allow := true
		if _, err := c.UpdateDocument(ctx, as(manager), doc.ID, 0, sms.DocumentUpdate{SelfApproval: &allow, Quorum: new(int64)}); err != nil {
			t.Fatal(err)
		}
		v3, err := c.CreateDocumentVersion(ctx, as(manager), doc.ID, sms.VersionInput{Content: "# Policy v3"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.UpdateDocumentVersion(ctx, as(manager), v3.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
			t.Fatal(err)
		}
		if v3, err = c.ApproveDocumentVersion(ctx, as(manager), v3.ID, 0); err != nil || v3.State != "approved" {
			t.Errorf("self-approval where allowed, with one approval needed: %+v %v", v3, err)
		}

		// The checklist: mapped and approved counts; deleting is refused
		// while it points to the document; withdrawing leaves it missing.
		cov, err := c.DocumentCoverage(ctx, as(agent))
		if err != nil || cov.Approved != 0 || cov.Total() != len(sms.RequiredItems) {
			t.Fatalf("coverage before mapping %+v %v", cov, err)
		}
		if err := c.MapRequiredDocument(ctx, as(manager), "policy", doc.ID); err != nil {
			t.Fatal(err)
		}
		if err := c.MapRequiredDocument(ctx, as(manager), "nonsense", doc.ID); refusedOn(err) != "item" {
			t.Errorf("mapping an unknown item: %v, want refused on item", err)
		}
		if err := c.MapRequiredDocument(ctx, as(manager), "scope", 99999); refusedOn(err) != "document_id" {
			t.Errorf("mapping to no document: %v, want refused on document_id", err)
		}
		if err := c.MapRequiredDocument(ctx, as(agent), "scope", doc.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent mapping: %v, want forbidden", err)
		}
		if cov, _ = c.DocumentCoverage(ctx, as(agent)); cov.Approved != 1 {
			t.Errorf("coverage after mapping the approved policy: %d", cov.Approved)
		}
		err = c.DeleteDocument(ctx, as(manager), doc.ID, 0)
		if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "checklist") || !strings.Contains(err.Error(), "withdraw") {
			t.Errorf("deleting a mapped document: %v, want a conflict naming the checklist", err)
		}
		withdraw := "withdrawn"
		if _, err := c.UpdateDocumentVersion(ctx, as(manager), v3.ID, 0, smsapp.VersionUpdate{State: &withdraw}); err != nil {
			t.Fatal(err)
		}
		if doc, _ = c.GetDocument(ctx, as(manager), doc.ID); doc.Status != "withdrawn" || doc.CurrentVersion != 0 {
			t.Errorf("after withdrawing the version in force: %+v", doc)
		}
		if cov, _ = c.DocumentCoverage(ctx, as(agent)); cov.Approved != 0 {
			t.Errorf("a withdrawn document still covers its item")
		}
		if _, err := c.Acknowledge(ctx, as(agent), doc.ID); refusedOn(err) != "document_id" {
			t.Errorf("acknowledging a withdrawn document: %v, want refused on document_id", err)
		}

		// Evidence that points to it keeps it too.
		if err := c.MapRequiredDocument(ctx, as(manager), "policy", 0); err != nil {
			t.Fatal(err)
		}
		ev, err := c.CreateEvidence(ctx, as(manager), sms.EvidenceInput{Title: "The policy", RequirementID: reqs[0].ID, OwnerID: manager.ID,
			ReviewBy: "2030-01-31", Kind: sms.EvidenceDocument, RefID: doc.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteDocument(ctx, as(manager), doc.ID, 0); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "evidence") {
			t.Errorf("deleting a document evidence points to: %v, want a conflict naming the evidence", err)
		}
		if err := c.DeleteEvidence(ctx, as(manager), ev.ID, 0); err != nil {
			t.Fatal(err)
		}

		// Unmapped, it can be deleted, with its versions and
		// acknowledgements, each in the audit trail.
		before, _ = db.CountAudit(ctx)
		if err := c.DeleteDocument(ctx, as(manager), doc.ID, 0); err != nil {
			t.Fatal(err)
		}
		if after, _ := db.CountAudit(ctx); after-before != 1+3+2 {
			t.Errorf("deleting wrote %d audit entries, want 6 (document, three versions, two acknowledgements)", after-before)
		}
		if _, err := c.GetDocumentVersion(ctx, as(manager), v1.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("a version of a deleted document: %v, want not found", err)
		}
	})
}

// Documents are listed by type, status, owner, requirement and overdue
// review; on both engines.
func TestDocumentLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "m@example.com", Name: "M", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		m := u.Actor("test")
		reqs, _, _ := c.ListRequirements(ctx, access.CLI, store.RequirementFilter{Limit: 2})
		p, _ := c.CreateDocument(ctx, m, sms.DocumentInput{Title: "Policy", OwnerID: u.ID, RequirementIDs: []int64{reqs[0].ID}})
		q, err := c.CreateDocument(ctx, m, sms.DocumentInput{Title: "Incident procedure", Type: "procedure", OwnerID: u.ID, ReviewMonths: 6,
			ApproverIDs: []int64{u.ID}, SelfApproval: true})
		if err != nil {
			t.Fatal(err)
		}
		// In force, and last reviewed long ago.
		v, err := c.CreateDocumentVersion(ctx, m, q.ID, sms.VersionInput{Content: "# Steps"})
		if err != nil {
			t.Fatal(err)
		}
		inReview, long := "in_review", "2020-01-01"
		if _, err := c.UpdateDocumentVersion(ctx, m, v.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ApproveDocumentVersion(ctx, m, v.ID, 0); err != nil {
			t.Fatal(err)
		}
		if q, err = c.UpdateDocument(ctx, m, q.ID, 0, sms.DocumentUpdate{ReviewedOn: &long}); err != nil || q.ReviewDueOn != "2020-07-01" {
			t.Fatalf("reviewed long ago: %+v %v", q, err)
		}
		for _, l := range []struct {
			name string
			f    store.DocumentFilter
			want []int64
		}{
			{"procedures", store.DocumentFilter{Type: "procedure"}, []int64{q.ID}},
			{"drafts", store.DocumentFilter{Status: "draft"}, []int64{p.ID}},
			{"by requirement", store.DocumentFilter{RequirementID: reqs[0].ID}, []int64{p.ID}},
			{"by title", store.DocumentFilter{Query: "INCIDENT"}, []int64{q.ID}},
			{"review overdue", store.DocumentFilter{ReviewBefore: "2026-01-01"}, []int64{q.ID}},
			{"owner", store.DocumentFilter{OwnerID: u.ID}, []int64{p.ID, q.ID}},
		} {
			ds, _, err := c.ListDocuments(ctx, m, l.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, d := range ds {
				got = append(got, d.ID)
			}
			if !slices.Equal(got, l.want) {
				t.Errorf("%s: %v, want %v", l.name, got, l.want)
			}
		}
	})
}

// A version's content may be an uploaded file instead of text: kept with
// the version, refused by the file field when of a type Conform does not
// keep, and fixed once the version leaves draft; on both engines.
func TestDocumentVersionFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "m@example.com", Name: "M", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		m := u.Actor("test")
		d, err := c.CreateDocument(ctx, m, sms.DocumentInput{Title: "Continuity plan", Type: "plan", OwnerID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		pdf := files.Upload{Field: "file", Name: "plan.pdf", Data: []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")}
		if _, err := c.CreateDocumentVersion(ctx, m, d.ID, sms.VersionInput{}); refusedOn(err) != "content" {
			t.Errorf("neither text nor file: %v, want refused on content", err)
		}
		if _, err := c.CreateDocumentVersion(ctx, m, d.ID, sms.VersionInput{}, files.Upload{Field: "file", Name: "page.html", Data: []byte("<html><script>x</script>")}); refusedOn(err) != "file" {
			t.Errorf("an HTML file: %v, want refused on file", err)
		}
		v, err := c.CreateDocumentVersion(ctx, m, d.ID, sms.VersionInput{ChangeNote: "Signed copy"}, pdf)
		if err != nil || !v.HasFile() || v.File.Name != "plan.pdf" || v.File.Type != "application/pdf" || v.Content != "" {
			t.Fatalf("a version from a file: %+v %v", v, err)
		}
		f, data, err := c.VersionFile(ctx, m, v.ID)
		if err != nil || string(data) != string(pdf.Data) || f.Hash != v.File.Hash {
			t.Errorf("the version's file: %+v %q %v", f, data, err)
		}
		inReview := "in_review"
		if _, err := c.UpdateDocumentVersion(ctx, m, v.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
			t.Fatal(err)
		}
		other := files.Upload{Field: "file", Name: "plan-v2.pdf", Data: []byte("%PDF-1.4\n2 0 obj <<>> endobj\n%%EOF\n")}
		if _, err := c.UpdateDocumentVersion(ctx, m, v.ID, 0, smsapp.VersionUpdate{File: &other}); refusedOn(err) != "file" {
			t.Errorf("replacing the file in review: %v, want refused on file", err)
		}
		if got, _ := c.GetDocumentVersion(ctx, m, v.ID); got.File != v.File {
			t.Errorf("the refused change kept %+v, want %+v", got.File, v.File)
		}
	})
}
