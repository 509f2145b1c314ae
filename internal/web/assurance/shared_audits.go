package assurance

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/markdown"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// The pages an external auditor reads an audit shared with them by:
// read-only, each recorded as viewed by the use case that reads it.

// sharedPath is where the audits shared with external auditors are read.
const sharedPath = "/shared/audits"

func sharedHref(auditID int64) string { return fmt.Sprintf("%s/%d", sharedPath, auditID) }

// SharedAuditPage is a page of an audit shared with an external auditor.
type SharedAuditPage struct {
	web.Base
	Sections []web.Section
}

// sharedPage declares the shared pages' template.
var sharedPage = web.Page{Name: "shared_audit", Uses: []string{"section"}}

// registerShared adds the shared audits' pages, for external auditors
// alone.
func registerShared(pg *pages, mux guard.Registrar) {
	perm := access.AuditsShared
	pg.p.Handle(mux, "GET "+sharedPath+"/{id}", perm, pg.sharedAudit)
	pg.p.Handle(mux, "GET "+sharedPath+"/{id}/evidence/{evidence}", perm, pg.sharedEvidence)
	pg.p.Handle(mux, "GET "+sharedPath+"/{id}/evidence/{evidence}/file", perm, pg.sharedEvidenceFile)
	pg.p.Handle(mux, "GET "+sharedPath+"/{id}/documents/{document}", perm, pg.sharedDocument)
	pg.p.Handle(mux, "GET "+sharedPath+"/{id}/documents/{document}/file", perm, pg.sharedDocumentFile)
	pg.p.Handle(mux, "GET "+sharedPath+"/{id}/evidence-pack.zip", perm, pg.sharedEvidencePack)
}

// viewing puts where the request's views come from into its context.
func viewing(r *http.Request) context.Context {
	return assuranceapp.WithViewing(r.Context(), assuranceapp.Viewing{Path: r.URL.Path, RemoteAddr: web.ClientAddr(r.Context())})
}

// sharedIDs reads the audit's id and the id named by the path's second
// wildcard.
func sharedIDs(r *http.Request, name string) (int64, int64, error) {
	audit, err := web.PathID(r)
	if err != nil {
		return 0, 0, err
	}
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, errs.E(errs.NotFound, "no such record: %q", r.PathValue(name))
	}
	return audit, id, nil
}

func (pg *pages) sharedAudit(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	v, err := pg.c.SharedAuditView(viewing(r), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	a := v.Audit
	names := func(ids []int64, m map[int64]string) ui.Value {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			out = append(out, m[id])
		}
		return ui.Value{Text: strings.Join(out, ", "), Empty: "None"}
	}
	code := map[int64]string{}
	var clauses []string
	for _, r := range v.Requirements {
		code[r.ID] = r.Code
	}
	for _, id := range a.RequirementIDs {
		clauses = append(clauses, code[id])
	}
	lead := ui.Value{Empty: "Not named"}
	if a.LeadAuditorID != nil {
		lead = ui.Text(v.People[*a.LeadAuditorID])
	}
	about := web.Section{Title: "The audit", Items: []ui.Item{
		{Label: "Type", Value: ui.Text(assurance.LabelOf(assurance.AuditTypes, a.Type))},
		{Label: "State", Value: ui.Value{Badges: []ui.Badge{auditStateBadge(a.State)}}},
		{Label: "Certification body", Value: ui.Value{Text: v.Body, Empty: "None: an internal audit"}},
		{Label: "Requirements in scope", Help: "The clauses audited; each covers the clauses under it.", Value: ui.Text(strings.Join(clauses, ", "))},
		{Label: "Processes in scope", Value: names(a.ProcessIDs, v.Processes)},
		{Label: "Services in scope", Value: names(a.ServiceIDs, v.Services)},
		{Label: "Criteria", Value: ui.Value{Text: a.Criteria, Long: true}},
		{Label: "Planned", Value: ui.Text(span(rq, a.PlannedStart, a.PlannedEnd))},
		{Label: "Held", Value: ui.Value{Text: span(rq, a.ActualStart, a.ActualEnd), Empty: "Not yet"}},
		{Label: "Lead auditor", Value: lead},
		{Label: "Audit team", Value: names(a.TeamIDs, v.People)},
		{Label: "Your access expires on", Value: dayValue(v.Access.ExpiresOn)},
	}}
	reqName := map[int64]string{}
	for _, r := range v.Requirements {
		reqName[r.ID] = r.Code + " " + r.Title
	}
	lines := &ui.Table{Caption: "Checklist", Columns: []ui.Column{{Label: "Requirement", Key: true}, {Label: "Result", Sort: "text"}, {Label: "Notes"}},
		Empty: ui.Empty{Icon: "checklist", Title: "No checklist lines", Text: "The audit's scope names no requirement yet."}}
	for _, l := range v.Checklist {
		res := ui.Value{Empty: "Not yet answered"}
		if l.Result != "" {
			res = ui.Text(assurance.LabelOf(assurance.Results, l.Result))
		}
		lines.Rows = append(lines.Rows, ui.Row{Cells: []ui.Value{ui.Text(reqName[l.RequirementID]), res, {Text: l.Notes, Long: true}}})
	}
	finds := &ui.Table{Caption: "Findings", Columns: []ui.Column{{Label: "Finding", Key: true}, {Label: "Clause", Sort: "text"}, {Label: "Type", Sort: "text"}, {Label: "Auditee"}},
		Empty: ui.Empty{Icon: "flag", Title: "No findings yet", Text: "The audit has recorded no findings."}}
	for _, f := range v.Findings {
		owner := ui.Value{}
		if f.OwnerID != nil {
			owner = ui.Text(v.People[*f.OwnerID])
		}
		finds.Rows = append(finds.Rows, ui.Row{Cells: []ui.Value{{Text: assurance.FindingKind.Number(f.ID) + " " + f.Statement, Long: true}, ui.Text(code[f.RequirementID]),
			{Badges: []ui.Badge{findingBadge(f.Type)}}, owner}})
	}
	ev := &ui.Table{Caption: "Evidence", Columns: []ui.Column{{Label: "Evidence", Key: true}, {Label: "Requirement", Sort: "text"}, {Label: "Kind", Sort: "text"}, {Label: "Review by", Sort: "time"}},
		Empty: ui.Empty{Icon: "file-certificate", Title: "No evidence in scope", Text: "No evidence is recorded for the requirements in the audit's scope."}}
	for _, e := range v.Evidence {
		href := fmt.Sprintf("%s/evidence/%d", sharedHref(a.ID), e.ID)
		ev.Rows = append(ev.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(sms.EvidenceKind.Number(e.ID)+" "+e.Title, href), ui.Text(reqName[e.RequirementID]),
			ui.Text(sms.Labels(sms.EvidenceKinds)[e.Kind]), dayValue(e.ReviewBy)}})
	}
	// The pack first: the whole of what follows, in one file.
	about.Actions = []ui.Action{{Label: "Download the evidence pack", Icon: "download", Href: sharedHref(a.ID) + "/evidence-pack.zip", Name: rq.T("Download the evidence pack of %s", a.Title)}}
	page := SharedAuditPage{Base: rq.Base, Sections: []web.Section{about,
		{Title: "Checklist", Table: lines}, {Title: "Findings", Table: finds},
		{Title: "Evidence", Help: "The evidence of the requirements in the audit's scope, and the controlled documents it names.", Table: ev}}}
	page.Title = assurance.AuditKind.Number(a.ID) + " " + a.Title
	page.Subtitle = rq.T("Shared with you read-only until %s. Every page you open here is recorded for the organisation.", rq.Day(v.Access.ExpiresOn))
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}}
	return pg.p.Render(w, r, http.StatusOK, "assurance/shared_audit", page)
}

func (pg *pages) sharedEvidence(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	auditID, id, err := sharedIDs(r, "evidence")
	if err != nil {
		return err
	}
	e, err := pg.c.SharedEvidence(viewing(r), rq.Auth.Actor, auditID, id)
	if err != nil {
		return err
	}
	base := sharedHref(auditID)
	items := []ui.Item{
		{Label: "Kind", Value: ui.Text(sms.Labels(sms.EvidenceKinds)[e.Kind])},
		{Label: "Review by", Value: dayValue(e.ReviewBy)},
		{Label: "Notes", Value: ui.Value{Text: e.Notes, Long: true}},
	}
	var acts []ui.Action
	switch e.Kind {
	case sms.EvidenceFile:
		if e.FileHash != "" {
			items = append(items, ui.Item{Label: "File", Value: ui.Text(e.FileName)})
			acts = append(acts, ui.Action{Label: "Download the file", Icon: "download", Href: fmt.Sprintf("%s/evidence/%d/file", base, e.ID)})
		}
	case sms.EvidenceDocument:
		href := fmt.Sprintf("%s/documents/%d", base, e.RefID)
		items = append(items, ui.Item{Label: "Document", Value: ui.Linked(sms.DocumentKind.Number(e.RefID), href)})
	case sms.EvidenceURL:
		items = append(items, ui.Item{Label: "Web address", Value: ui.Value{Text: e.URL, Code: true}})
	case sms.EvidenceRecord:
		items = append(items, ui.Item{Label: "Record", Help: "A record in Conform: ask the organisation to show it to you.", Value: ui.Text(fmt.Sprintf("%s %d", e.RefEntity, e.RefID))})
	}
	page := SharedAuditPage{Base: rq.Base, Sections: []web.Section{{Title: "Evidence", Items: items, Actions: acts}}}
	page.Title = sms.EvidenceKind.Number(e.ID) + " " + e.Title
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.AuditKind.Number(auditID), Href: base}}
	return pg.p.Render(w, r, http.StatusOK, "assurance/shared_audit", page)
}

func (pg *pages) sharedEvidenceFile(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	auditID, id, err := sharedIDs(r, "evidence")
	if err != nil {
		return err
	}
	f, data, err := pg.c.SharedEvidenceFile(viewing(r), rq.Auth.Actor, auditID, id)
	if err != nil {
		return err
	}
	web.ServeFile(w, r, f, data)
	return nil
}

func (pg *pages) sharedDocument(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	auditID, id, err := sharedIDs(r, "document")
	if err != nil {
		return err
	}
	d, err := pg.c.SharedDocument(viewing(r), rq.Auth.Actor, auditID, id)
	if err != nil {
		return err
	}
	base := sharedHref(auditID)
	items := []ui.Item{
		{Label: "Type", Value: ui.Text(sms.Labels(sms.DocumentTypes)[d.Document.Type])},
		{Label: "Summary", Value: ui.Value{Text: d.Document.Summary, Long: true}},
		{Label: "Last reviewed", Value: dayValue(d.Document.ReviewedOn)},
	}
	sections := []web.Section{{Title: "Document", Items: items}}
	if d.Version.ID == 0 {
		sections = append(sections, web.Section{Title: "Version in force", Empty: &ui.Empty{Icon: "file-off", Title: "No version in force", Text: "No version of this document is approved yet."}})
	} else {
		s := web.Section{Title: rq.T("Version %d, in force", d.Version.Number), Items: []ui.Item{{Label: "Change", Value: ui.Text(d.Version.ChangeNote)}}}
		if d.Version.ApprovedAt != nil {
			s.Items = append(s.Items, ui.Item{Label: "Approved", Value: ui.Value{Time: *d.Version.ApprovedAt}})
		}
		if d.Version.HasFile() {
			s.Actions = []ui.Action{{Label: "Download the file", Icon: "download", Href: fmt.Sprintf("%s/documents/%d/file", base, id)}}
		}
		if d.Version.Content != "" {
			html, err := markdown.HTML(d.Version.Content)
			if err != nil {
				return err
			}
			s.HTML = html
		}
		sections = append(sections, s)
	}
	page := SharedAuditPage{Base: rq.Base, Sections: sections}
	page.Title = sms.DocumentKind.Number(id) + " " + d.Document.Title
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.AuditKind.Number(auditID), Href: base}}
	return pg.p.Render(w, r, http.StatusOK, "assurance/shared_audit", page)
}

func (pg *pages) sharedDocumentFile(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	auditID, id, err := sharedIDs(r, "document")
	if err != nil {
		return err
	}
	f, data, err := pg.c.SharedDocumentFile(viewing(r), rq.Auth.Actor, auditID, id)
	if err != nil {
		return err
	}
	web.ServeFile(w, r, f, data)
	return nil
}

// sharedHome is the external auditor's home page card: the audits
// shared with them today and until when.
func sharedHome(c *assuranceapp.Catalogue) func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
	return func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
		if rq.Auth.Actor.Role != access.ExternalAuditor {
			return nil, nil
		}
		shared, err := c.SharedAudits(ctx, rq.Auth.Actor)
		if err != nil {
			return nil, err
		}
		t := &ui.Table{Caption: "Audits shared with you", Columns: []ui.Column{{Label: "Audit", Key: true}, {Label: "Type", Sort: "text"}, {Label: "Planned"}, {Label: "Access expires on", Sort: "time"}},
			Empty: ui.Empty{Icon: "lock", Title: "No audit is shared with you",
				Text: "The organisation's SMS manager or internal auditor gives you access to an audit until a day agreed with you: ask them."}}
		for _, s := range shared {
			href := sharedHref(s.Audit.ID)
			t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(assurance.AuditKind.Number(s.Audit.ID)+" "+s.Audit.Title, href),
				ui.Text(assurance.LabelOf(assurance.AuditTypes, s.Audit.Type)), ui.Text(span(rq, s.Audit.PlannedStart, s.Audit.PlannedEnd)), dayValue(s.Access.ExpiresOn)}})
		}
		return []web.Section{{Title: "Audits shared with you", Help: "Read-only, until each access expires. Every page you open is recorded for the organisation.", Table: t}}, nil
	}
}
