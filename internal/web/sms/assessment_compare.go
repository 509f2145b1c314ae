package sms

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// ComparePage sets two assessments of one framework side by side.
type ComparePage struct {
	web.Base
	Action  string
	Choices []ui.Option // the other assessments of the framework
	Show    []ui.Option // all requirements, or those that moved
	// Compared is false when there is nothing to compare with.
	Compared bool
	Empty    ui.Empty
	Summary  []ui.Item
	Counts   []ui.Badge
	Clauses  ui.Table
	Rows     ui.Table
}

// movementBadge names how a requirement moved, in words and tone.
func movementBadge(m sms.Movement) ui.Badge {
	tone := map[sms.Movement]ui.Tone{sms.Progress: ui.Success, sms.Regression: ui.Danger, sms.Changed: ui.Info, sms.New: ui.Accent}[m]
	return ui.Badge{Text: label(sms.Movements, string(m)), Tone: tone}
}

// points is a change in percentage points, signed.
func points(rq *web.Request, d int) string {
	switch {
	case d > 0:
		return rq.T("+%d points", d)
	case d < 0:
		return rq.T("−%d points", -d)
	}
	return rq.T("no change")
}

// compare shows assessment id beside the one ?with= names, or beside the
// latest other assessment of its framework that started before it.
func (pg *pages) compare(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	a, err := pg.c.GetAssessment(ctx, actor, id)
	if err != nil {
		return err
	}
	others, _, err := pg.c.ListAssessments(ctx, actor, store.AssessmentFilter{FrameworkID: a.FrameworkID, Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	with, _ := strconv.ParseInt(r.URL.Query().Get("with"), 10, 64)
	if with == 0 {
		var best sms.Assessment
		for _, o := range others {
			if o.ID != id && o.StartedOn <= a.StartedOn && (best.ID == 0 || o.StartedOn > best.StartedOn) {
				best = o
			}
		}
		if best.ID == 0 {
			for _, o := range others {
				if o.ID != id {
					best = o
				}
			}
		}
		with = best.ID
	}
	here := assessmentHref(id)
	page := ComparePage{Base: rq.Base, Action: here + "/compare"}
	page.Title = rq.T("Compare %s", a.Title)
	page.Subtitle = "Two assessments of one framework side by side: what moved forward and what slipped back, requirement by requirement and clause by clause."
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.AssessmentKind.Plural, Href: "/" + sms.AssessmentKind.Path()}, {Label: a.Title, Href: here}}
	for _, o := range others {
		if o.ID != id {
			page.Choices = append(page.Choices, ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: fmt.Sprintf("%s (%s)", o.Title, o.StartedOn), Selected: o.ID == with})
		}
	}
	changesOnly := r.URL.Query().Get("show") != "all"
	page.Show = []ui.Option{{Value: "changes", Label: "Only what moved", Selected: changesOnly}, {Value: "all", Label: "Every requirement", Selected: !changesOnly}}
	if with == 0 {
		page.Empty = ui.Empty{Icon: "copy", Title: "Nothing to compare with",
			Text: "This is the only assessment of its framework. Start another one later, or close this one and start the next: then compare them here."}
		return pg.p.Render(w, r, http.StatusOK, "sms/assessment_compare", page)
	}
	c, err := pg.c.Compare(ctx, actor, id, with)
	if err != nil {
		return err
	}
	page.Compared = true
	d := c.Comparison.After.Percent() - c.Comparison.Before.Percent()
	page.Summary = []ui.Item{
		{Label: "Earlier", Value: ui.Value{Text: c.Before.Title, Href: assessmentHref(c.Before.ID), Note: rq.T("Started %s: readiness %d %%", c.Before.StartedOn, c.Comparison.Before.Percent())}},
		{Label: "Later", Value: ui.Value{Text: c.After.Title, Href: assessmentHref(c.After.ID), Note: rq.T("Started %s: readiness %d %%", c.After.StartedOn, c.Comparison.After.Percent())}},
		{Label: "Readiness", Help: readinessFormula, Value: ui.Value{Text: fmt.Sprintf("%d %% → %d %%", c.Comparison.Before.Percent(), c.Comparison.After.Percent()), Note: points(rq, d),
			Progress: &ui.Progress{Value: c.Comparison.After.Percent(), Max: 100, Label: "Readiness of the later assessment"}}},
	}
	n := c.Counts
	for _, m := range []struct {
		mv sms.Movement
		n  int
	}{{sms.Progress, n.Progress}, {sms.Regression, n.Regression}, {sms.Same, n.Same}, {sms.Changed, n.Changed}, {sms.New, n.New}} {
		if m.n > 0 || m.mv == sms.Progress || m.mv == sms.Regression {
			b := movementBadge(m.mv)
			b.Text = rq.T("%s: %d", rq.L.Lookup(b.Text), m.n)
			page.Counts = append(page.Counts, b)
		}
	}
	page.Clauses = ui.Table{Caption: "Readiness by clause, earlier and later",
		Columns: []ui.Column{{Label: "Clause", Key: true}, {Label: "Earlier", Numeric: true}, {Label: "Later", Numeric: true}, {Label: "Change"},
			{Label: "Progress", Numeric: true}, {Label: "Regressions", Numeric: true}}}
	for _, cl := range c.Clauses {
		change := ui.Text(points(rq, cl.Delta()))
		if cl.Delta() < 0 {
			change = ui.Value{Badges: []ui.Badge{{Text: points(rq, cl.Delta()), Tone: ui.Danger}}}
		} else if cl.Delta() > 0 {
			change = ui.Value{Badges: []ui.Badge{{Text: points(rq, cl.Delta()), Tone: ui.Success}}}
		}
		page.Clauses.Rows = append(page.Clauses.Rows, ui.Row{Cells: []ui.Value{
			ui.Linked(cl.Requirement.Label(), requirementHref(cl.Requirement.ID)),
			ui.Text(percent(cl.Before)), ui.Text(percent(cl.After)), change,
			ui.Text(strconv.Itoa(cl.Counts.Progress)), ui.Text(strconv.Itoa(cl.Counts.Regression)),
		}})
	}
	page.Rows = ui.Table{Caption: "Requirements, earlier and later",
		Columns:  []ui.Column{{Label: "Clause", Key: true}, {Label: "Requirement"}, {Label: "Earlier"}, {Label: "Later"}, {Label: "Movement", Sort: "text"}},
		Filtered: changesOnly,
		Empty:    ui.Empty{Icon: "check", Title: "Nothing moved", Text: "Every requirement stands as it did: show every requirement to see them all."}}
	for _, rc := range c.Requirements {
		if changesOnly && rc.Movement == sms.Same {
			continue
		}
		before := ui.Value{Empty: "Not assessed then"}
		if rc.Movement != sms.New {
			before = ui.Value{Badges: []ui.Badge{statusBadge(rc.Before.Status)}, Note: rq.T("Maturity %d", rc.Before.Maturity)}
		}
		page.Rows.Rows = append(page.Rows.Rows, ui.Row{Href: workHref(c.After.ID, rc.Requirement.Code), Cells: []ui.Value{
			ui.Linked(rc.Requirement.Code, requirementHref(rc.Requirement.ID)),
			ui.Text(rc.Requirement.Title),
			before,
			{Badges: []ui.Badge{statusBadge(rc.After.Status)}, Note: rq.T("Maturity %d", rc.After.Maturity)},
			{Badges: []ui.Badge{movementBadge(rc.Movement)}},
		}})
	}
	return pg.p.Render(w, r, http.StatusOK, "sms/assessment_compare", page)
}
