package assurance

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// ReportPage is an audit's report: the draft until issued, then the
// frozen report with its SHA-256.
type ReportPage struct {
	web.Base
	Report         assurance.Report
	Items          []ui.Item
	Results        []ui.Item
	Issued, Intact bool
	SHA256, PDF    string
	Issue          *ui.Action
	IssuedBadge    ui.Badge
	DraftBadge     ui.Badge
}

// report shows an audit's report.
func (pg *pages) report(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ar, err := pg.c.Report(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	a, rp := ar.Audit, ar.Report
	rp.IssuedOn = rq.Day(rp.IssuedOn) // the page's copy, in the reader's language; the stored report stays as issued
	page := ReportPage{Base: rq.Base, Report: rp, Issued: ar.Issued, Intact: ar.Intact, SHA256: a.ReportSHA256, PDF: auditHref(id) + "/report.pdf",
		IssuedBadge: ui.Badge{Text: "Issued", Tone: ui.Success}, DraftBadge: ui.Badge{Text: "Draft", Tone: ui.Neutral}}
	page.Title = rq.T("Report of %s", a.Title)
	page.Subtitle = "A draft until the audit is completed and its report issued; once issued it never changes, and its SHA-256 shows it."
	if ar.Issued {
		page.Subtitle = "Issued: this report never changes. Its SHA-256, computed again from what is stored, shows it is the report as issued."
	}
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.AuditKind.Plural, Href: "/" + assurance.AuditKind.Path()}, {Label: a.Title, Href: auditHref(id)}}
	page.TitleBadges = []ui.Badge{auditStateBadge(a.State)}
	kind := rp.Origin + " · " + rp.Type
	if rp.Body != "" {
		kind += " · " + rp.Body
	}
	page.Items = []ui.Item{
		{Label: "Audit", Value: ui.Linked(rp.Number, auditHref(id))},
		{Label: "Type", Value: ui.Text(kind)},
		{Label: "Programme", Value: ui.Value{Text: rp.Programme, Empty: "None"}},
		{Label: "Planned", Value: ui.Text(rq.Days(rp.Planned))},
		{Label: "Held", Value: ui.Value{Text: rq.Days(rp.Held), Empty: "Not yet"}},
		{Label: "Scope", Value: ui.Value{Text: strings.Join(rp.Scope, "\n"), Long: true, Empty: "None"}},
		{Label: "Processes in scope", Value: ui.Value{Text: strings.Join(rp.Processes, ", "), Empty: "None"}},
		{Label: "Services in scope", Value: ui.Value{Text: strings.Join(rp.Services, ", "), Empty: "None"}},
		{Label: "Criteria", Value: ui.Value{Text: rp.Criteria, Long: true}},
		{Label: "Lead auditor", Value: ui.Value{Text: rp.Lead, Empty: "Not named"}},
		{Label: "Audit team", Value: ui.Value{Text: strings.Join(rp.Team, ", "), Empty: "None"}},
	}
	for _, c := range append([]assurance.Code{{Code: "not_answered", Label: "Not answered"}}, assurance.Results...) {
		if n := rp.Results[c.Code]; n > 0 {
			page.Results = append(page.Results, ui.Item{Label: c.Label, Value: ui.Text(strconv.Itoa(n))})
		}
	}
	if !ar.Issued && a.State == "completed" && rq.Auth.Actor.Can(assurance.AuditKind.Write) {
		page.Issue = &ui.Action{Label: "Issue the report", Icon: "lock", Style: ui.Primary, Post: auditHref(id) + "/issue", CSRF: rq.Base.CSRF,
			Hidden:  []ui.Hidden{{Name: "version", Value: strconv.FormatInt(a.Version, 10)}},
			Confirm: &ui.Confirm{Title: "Issue the report?", Text: "The report is frozen with its SHA-256: it never changes again, nor do the audit and its findings.", Button: "Issue the report"}}
	}
	return pg.p.Render(w, r, http.StatusOK, "assurance/audit_report", page)
}

// reportPDF answers an audit's report as a PDF.
func (pg *pages) reportPDF(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ar, err := pg.c.Report(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	out, err := reports.AuditPDF(ar.Report, ar.Audit.ReportSHA256, time.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ar.Report.Number+`-report.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	_, err = w.Write(out)
	return err
}

// issue issues an audit's report.
func (pg *pages) issue(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if _, err := pg.c.IssueReport(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version")); err != nil {
		return err
	}
	http.Redirect(w, r, auditHref(id)+"/report?done=saved", http.StatusSeeOther)
	return nil
}
