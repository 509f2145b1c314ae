package assurance

import (
	"context"
	"fmt"
	"net/http"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// dashboardLink puts top management's dashboard first in the area.
var dashboardLink = web.Link{Label: "Dashboard", Href: assuranceapp.DashboardPath, Icon: "chart-line", Perm: access.FrameworksRead, Area: assurance.Area, Order: 1,
	Summary: "The SMS and its certification at a glance: readiness and its trend, nonconformities, overdue actions, audit coverage, documents to review, training and the next certification event."}

// DashboardPage is the dashboard: its parts as sections.
type DashboardPage struct {
	web.Base
	Sections []web.Section
}

func (pg *pages) dashboard(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	d, err := pg.c.Dashboard(r.Context(), rq.Auth.Actor)
	if err != nil {
		return err
	}
	page := DashboardPage{Base: rq.Base, Sections: []web.Section{glance(rq, d), trendSection(rq, d), ncAgeSection(rq, d)}}
	page.Title, page.Crumbs = "Dashboard", []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Subtitle = "Where the SMS and its certification stand today, for top management: every figure is read from the records and leads to them."
	page.Actions = []ui.Action{{Label: "Stage 1 readiness", Icon: "clipboard-check", Href: assuranceapp.ReadinessPath}}
	return pg.p.Render(w, r, http.StatusOK, "assurance/dashboard", page)
}

// glance is the dashboard's figures, each linked to its records.
func glance(rq *web.Request, d assurance.Dashboard) web.Section {
	linked := func(text, href, note string) ui.Value {
		v := ui.Linked(text, href)
		v.Note = note
		return v
	}
	readiness := ui.Value{Empty: "No gap analysis yet"}
	if d.Assessed {
		readiness = linked(rq.T("%d %%", d.Readiness), d.AssessHref, rq.T("In the latest gap analysis"))
	}
	major, minor := d.NCs["major"], d.NCs["minor"]
	ncs := linked(rq.T("%d open", major.Total()+minor.Total()), d.NCHref+"?state=open", rq.T("%d major, %d minor", major.Total(), minor.Total()))
	actions := linked(rq.T("%d overdue", d.OverdueActions), "/"+sms.ActionKind.Path()+"?due=overdue", rq.T("of %d open actions", d.OpenActions))
	coverage := ui.Value{Empty: "No audit programme yet"}
	if d.ProgrammeID != 0 {
		pct := 0
		if d.Requirements > 0 {
			pct = d.Audited * 100 / d.Requirements
		}
		coverage = linked(rq.T("%d %%", pct), fmt.Sprintf("/%s/%d/coverage", assurance.ProgrammeKind.Path(), d.ProgrammeID),
			rq.T("%d of %d requirements in %s", d.Audited, d.Requirements, d.ProgrammeTitle))
	}
	docs := linked(rq.T("%d overdue", d.DocumentsOverdue), "/"+sms.DocumentKind.Path()+"?review=overdue", rq.T("%d more due within %d days", d.DocumentsDueSoon, assurance.DocumentsDueDays))
	training := ui.Value{Empty: "No competences required yet"}
	if d.TrainingOf > 0 {
		training = linked(rq.T("%d %%", d.TrainingHeld*100/d.TrainingOf), "/competences/matrix", rq.T("%d of %d required competences held", d.TrainingHeld, d.TrainingOf))
	}
	next := ui.Value{Empty: "Nothing planned yet"}
	if d.Next.Day != "" {
		when := rq.T("in %d days", d.Next.Days)
		if d.Next.Days < 0 {
			when = rq.T("%d days overdue", -d.Next.Days)
		}
		next = linked(rq.L.Lookup(d.Next.What), d.Next.Href, rq.Day(d.Next.Day)+" · "+when)
		if d.Next.Days < 0 {
			next.Badges = []ui.Badge{{Text: "Overdue", Tone: ui.Danger}}
		}
	}
	return web.Section{Title: "At a glance", Items: []ui.Item{
		{Label: "Readiness", Help: "The latest gap analysis's overall readiness, by the formula of the assessments.", Value: readiness},
		{Label: "Nonconformities", Value: ncs},
		{Label: "Actions", Value: actions},
		{Label: "Audit programme coverage", Help: "Requirements the audit programme's audits cover, of all of ISO/IEC 20000-1.", Value: coverage},
		{Label: "Documents due for review", Value: docs},
		{Label: "Training coverage", Value: training},
		{Label: "Next certification event", Value: next},
	}}
}

// trendSection is readiness over the latest assessments, as a chart and
// the same figures as a table.
func trendSection(rq *web.Request, d assurance.Dashboard) web.Section {
	s := web.Section{Title: "Readiness trend", Help: "The overall readiness of each of the latest gap analyses, by the day it started; the dashed line is the 80 % the stage 1 check asks of every clause."}
	if len(d.Trend) == 0 {
		s.Empty = &ui.Empty{Icon: "chart-line", Title: "No gap analysis yet", Text: "Start a gap analysis of ISO/IEC 20000-1; each one you run adds a point to this trend.",
			Action: &ui.Action{Label: "Start a gap analysis", Icon: "plus", Href: "/" + sms.AssessmentKind.Path() + "/new"}}
		return s
	}
	ch := ui.Chart{Title: rq.T("Readiness trend"), Target: assurance.ClauseThreshold, HasTarget: true, TargetLabel: rq.T("Stage 1 threshold %d %%", assurance.ClauseThreshold)}
	t := &ui.Table{Caption: "Readiness of the latest gap analyses", Columns: []ui.Column{{Label: "Gap analysis", Key: true}, {Label: "Started on", Sort: "time"}, {Label: "Readiness", Numeric: true, Sort: "number"}}}
	for _, p := range d.Trend {
		ch.Points = append(ch.Points, ui.ChartPoint{Label: rq.Day(p.Day), Value: float64(p.Percent), Text: rq.T("%d %%", p.Percent), Miss: p.Percent < assurance.ClauseThreshold})
		href := fmt.Sprintf("/%s/%d", sms.AssessmentKind.Path(), p.AssessmentID)
		t.Rows = append([]ui.Row{{Href: href, Cells: []ui.Value{ui.Linked(p.Title, href), dayValue(p.Day), ui.Text(rq.T("%d %%", p.Percent))}}}, t.Rows...)
	}
	first, last := d.Trend[0], d.Trend[len(d.Trend)-1]
	ch.Summary = rq.T("Gap analyses: %d, from %s at %d %% to %s at %d %%.", len(d.Trend), rq.Day(first.Day), first.Percent, rq.Day(last.Day), last.Percent)
	s.Chart, s.Table = &ch, t
	return s
}

// ncAgeSection is the open nonconformities by severity and how long they
// have been open.
func ncAgeSection(rq *web.Request, d assurance.Dashboard) web.Section {
	t := &ui.Table{Caption: "Open nonconformities by severity and age",
		Columns: []ui.Column{{Label: "Severity", Key: true}, {Label: "Under 30 days", Numeric: true}, {Label: "30 to 90 days", Numeric: true}, {Label: "Over 90 days", Numeric: true}, {Label: "Open", Numeric: true}},
		Empty:   ui.Empty{Icon: "circle-check", Title: "No open nonconformities", Text: "Nonconformities raised from audits, complaints or monitoring show here until they are closed."}}
	for _, sev := range []struct{ code, label string }{{"major", "Major"}, {"minor", "Minor"}} {
		b := d.NCs[sev.code]
		if b.Total() == 0 {
			continue
		}
		href := d.NCHref + "?state=open&severity=" + sev.code
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(rq.L.Lookup(sev.label), href),
			ui.Text(fmt.Sprint(b.Under30)), ui.Text(fmt.Sprint(b.Under90)), ui.Text(fmt.Sprint(b.Older)), ui.Text(fmt.Sprint(b.Total()))}})
	}
	return web.Section{Title: "Open nonconformities", Help: "By severity and by how long since each was raised; a major still open holds certification back.", Table: t}
}

// dashboardHome is the dashboard's figures first on top management's home
// page, with the way to the whole of it.
func dashboardHome(c *assuranceapp.Catalogue) func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
	return func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
		if rq.Auth.Actor.Role != access.TopManagement {
			return nil, nil
		}
		d, err := c.Dashboard(ctx, rq.Auth.Actor)
		if err != nil {
			return nil, err
		}
		s := glance(rq, d)
		s.Title, s.Help = "Dashboard", "Where the SMS and its certification stand today."
		s.Actions = []ui.Action{{Label: "Open the dashboard", Icon: "chart-line", Href: assuranceapp.DashboardPath}}
		return []web.Section{s}, nil
	}
}
