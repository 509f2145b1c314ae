package sms

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// readinessFormula says how readiness is counted, on the page as in
// docs/assessments.md.
const readinessFormula = "Readiness = (implemented + ½ × partly implemented) ÷ applicable requirements. Not applicable requirements do not count. An implemented requirement whose evidence has all expired counts as partly implemented."

// assessmentPages are the assessments' pages, on the shared Resource. An
// assessment's page shows its readiness and its results clause by clause,
// each leading to its requirement and to its own form.
func assessmentPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Assessment, *sms.Assessment] {
	return web.Resource[sms.Assessment, *sms.Assessment]{
		Kind:     sms.AssessmentKind,
		Subtitle: "Gap analyses: where the management system stands against each requirement of a framework, on a given day.",
		Empty: ui.Empty{Icon: "shield-check", Title: "No assessments yet",
			Text: "Start a gap analysis against ISO/IEC 20000-1 to see where you stand, requirement by requirement."},
		Columns: []web.Column[sms.Assessment]{
			{Column: ui.Column{Label: "Title", Key: true, Sort: "text"}, Value: func(a sms.Assessment) ui.Value { return ui.Text(a.Title) }},
			{Column: ui.Column{Label: "Framework", Sort: "text"}, Ref: sms.FrameworkKind.Entity, RefID: func(a sms.Assessment) int64 { return a.FrameworkID }},
			{Column: ui.Column{Label: "Started on", Sort: "time"}, Value: func(a sms.Assessment) ui.Value { return dayValue(a.StartedOn) }},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(a sms.Assessment) ui.Value { return ui.Value{Badges: []ui.Badge{assessmentBadge(a.State)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "state", Label: "State", Type: "select",
				Options: choices(append([]sms.Code{{Code: "", Label: "Any state"}}, sms.AssessmentStates...), q.Get("state"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Assessment, string, error) {
			return c.ListAssessments(ctx, actor, store.AssessmentFilter{Query: q.Get("q"), State: q.Get("state"), Cursor: cursor})
		},
		Get:    c.GetAssessment,
		Name:   func(a sms.Assessment) string { return a.Title },
		Badges: func(a sms.Assessment) []ui.Badge { return []ui.Badge{assessmentBadge(a.State)} },
		Details: func(ctx context.Context, rq *web.Request, a sms.Assessment) []ui.Item {
			return []ui.Item{
				{Label: "Framework", Value: p.Ref(ctx, rq.Auth.Actor, sms.FrameworkKind.Entity, a.FrameworkID)},
				{Label: "Started on", Value: dayValue(a.StartedOn)},
				{Label: "Notes", Value: ui.Value{Text: a.Notes, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, a sms.Assessment) ([]web.Section, error) {
			return assessmentSections(ctx, p, c, rq, a)
		},
		Fields: func(fc web.FormContext, a sms.Assessment) ([]ui.Field, error) {
			state := or(a.State, "open")
			started := a.StartedOn
			if fc.Creating && started == "" {
				started = time.Now().UTC().Format(time.DateOnly)
			}
			var fields []ui.Field
			if fc.Creating {
				fws, _, err := c.ListFrameworks(fc.Ctx, fc.Actor, store.FrameworkFilter{Limit: store.MaxLimit})
				if err != nil {
					return nil, err
				}
				chosen := a.FrameworkID
				if chosen == 0 {
					for _, f := range fws {
						if f.BuiltIn() {
							chosen = f.ID
						}
					}
				}
				opts := make([]ui.Option, 0, len(fws))
				for _, f := range fws {
					opts = append(opts, ui.Option{Value: strconv.FormatInt(f.ID, 10), Label: f.Name, Selected: f.ID == chosen})
				}
				fields = append(fields, ui.Field{Name: "framework_id", Label: "Framework", Type: "select", Options: opts, Required: true,
					Help: "Every requirement of the framework gets a result, not started, to work through. The framework cannot be changed later."})
			}
			return append(fields,
				ui.Field{Name: "title", Label: "Title", Value: a.Title, Required: true, Placeholder: "Gap analysis, spring 2027"},
				ui.Field{Name: "started_on", Label: "Started on", Type: "date", Value: started, Required: true},
				ui.Field{Name: "state", Label: "State", Type: "select", Value: state, Options: choices(sms.AssessmentStates, state),
					Help: "Close the assessment when it is done: its results then stay as a record of that day."},
				ui.Field{Name: "notes", Label: "Notes", Type: "textarea", Rows: 4, Value: a.Notes},
			), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Assessment, error) {
			fw, _ := strconv.ParseInt(f.Get("framework_id"), 10, 64)
			return c.CreateAssessment(ctx, actor, sms.AssessmentInput{FrameworkID: fw, Title: f.Get("title"), StartedOn: f.Get("started_on"),
				State: f.Get("state"), Notes: f.Get("notes")})
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Assessment, error) {
			title, started, state, notes := f.Get("title"), f.Get("started_on"), f.Get("state"), f.Get("notes")
			return c.UpdateAssessment(ctx, actor, id, version, sms.AssessmentUpdate{Title: &title, StartedOn: &started, State: &state, Notes: &notes})
		},
		More: func(rq *web.Request, a sms.Assessment) []ui.Action {
			if !rq.Auth.Actor.Can(sms.ActionKind.Write) {
				return nil
			}
			return []ui.Action{{Label: "Make the plan from the gaps", Icon: "list-details", Post: "/assessments/" + strconv.FormatInt(a.ID, 10) + "/plan", CSRF: rq.Base.CSRF}}
		},
		Delete: c.DeleteAssessment,
		DeleteText: func(sms.Assessment) string {
			return "Its results go with it; the history of both stays in the audit trail. Closing it instead keeps it on record."
		},
	}
}

// assessmentSections are an assessment's readiness, the heatmap of its
// clause tree and its results, a card per top-level clause.
func assessmentSections(ctx context.Context, p *web.Pages, c *smsapp.Catalogue, rq *web.Request, a sms.Assessment) ([]web.Section, error) {
	actor := rq.Auth.Actor
	rp, err := c.Report(ctx, actor, a.ID)
	if err != nil {
		return nil, err
	}
	total := rp.Scores.Overall
	notStarted := ui.Text(strconv.Itoa(total.NotStarted))
	if total.NotApplicable > 0 {
		notStarted.Note = rq.T("%d not applicable", total.NotApplicable)
	}
	out := []web.Section{{Title: "Readiness", Help: readinessFormula, Actions: assessmentActions(rq, a), Items: []ui.Item{
		{Label: "Readiness", Value: readinessValue(rq, total)},
		{Label: "Implemented", Value: ui.Value{Text: strconv.Itoa(total.Implemented), Note: rq.T("and %d partly", total.Partial)}},
		{Label: "Not started", Value: notStarted},
	}}}
	heat := heatmap(rq, rp, 0)
	out = append(out, web.Section{Title: "Heatmap", Help: "Every requirement by clause, coloured and named by its status; each leads to it in the questionnaire.",
		Heatmap: &heat})
	mayWrite := actor.Can(sms.ResultKind.Write) && a.State == "open"
	var (
		sec *web.Section
		top string
	)
	flush := func() {
		if sec != nil {
			out = append(out, *sec)
		}
	}
	for _, r := range rp.Results {
		req := rp.Requirements[r.RequirementID]
		clause := sms.TopClause(req.Code)
		if sec == nil || clause != top {
			flush()
			top = clause
			title := req.Label()
			if req.Code != clause {
				title = clause
			}
			var tally sms.Readiness
			for _, cl := range rp.Scores.Clauses {
				if cl.Requirement.Code == clause {
					tally = cl.Readiness
				}
			}
			sec = &web.Section{Title: title, Table: &ui.Table{Caption: title,
				Columns: []ui.Column{{Label: "Clause", Key: true}, {Label: "Requirement"}, {Label: "Status"}, {Label: "Maturity", Numeric: true},
					{Label: "Readiness", Numeric: true}, {Label: "Owner"}}},
				Help: rq.T("Readiness %d%%: %d implemented, %d partly, %d not started.", tally.Percent(), tally.Implemented, tally.Partial, tally.NotStarted)}
			if rp.Evidence != nil {
				sec.Table.Columns = append(sec.Table.Columns, ui.Column{Label: "Evidence"})
			}
			if mayWrite {
				sec.Table.Columns = append(sec.Table.Columns, ui.Column{Label: "Assess"})
			}
		}
		href := resultHref(r.ID)
		owner := ui.Value{Empty: "No one yet"}
		if r.OwnerID != nil {
			owner = ui.Linked(rp.Owners[*r.OwnerID], "/users/"+strconv.FormatInt(*r.OwnerID, 10))
		}
		row := ui.Row{Href: href, Cells: []ui.Value{
			ui.Linked(req.Code, requirementHref(req.ID)),
			ui.Linked(req.Title, href),
			{Badges: []ui.Badge{statusBadge(r.Status)}},
			ui.Text(strconv.FormatInt(r.Maturity, 10)),
			ui.Text(percent(rp.Scores.ByRequirement[req.ID])),
			owner,
		}}
		if rp.Evidence != nil {
			row.Cells = append(row.Cells, evidenceCell(rq, rp.Evidence[r.RequirementID], rp.Today))
		}
		if mayWrite {
			row.Cells = append(row.Cells, ui.Value{Actions: []ui.Action{{Label: "Assess", Icon: "pencil", Href: workHref(a.ID, req.Code),
				Name: rq.T("Assess %s", req.Label())}}})
		}
		sec.Table.Rows = append(sec.Table.Rows, row)
	}
	flush()
	return out, nil
}

// readinessValue is the readiness figure in words, with its bar.
func readinessValue(rq *web.Request, t sms.Readiness) ui.Value {
	return ui.Value{Text: fmt.Sprintf("%d %%", t.Percent()),
		Note:     rq.T("%d of %d applicable requirements implemented, %d partly.", t.Implemented, t.Applicable(), t.Partial),
		Progress: &ui.Progress{Value: t.Percent(), Max: 100, Label: "Readiness"}}
}

func resultHref(id int64) string     { return fmt.Sprintf("/%s/%d", sms.ResultKind.Path(), id) }
func assessmentHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.AssessmentKind.Path(), id) }

// dayValue shows a day in the reader's format.
func dayValue(day string) ui.Value {
	if d, err := time.Parse(time.DateOnly, day); err == nil {
		return ui.Value{Day: d}
	}
	return ui.Text(day)
}

func assessmentBadge(state string) ui.Badge {
	tone := map[string]ui.Tone{"open": ui.Info, "closed": ui.Neutral}[state]
	return ui.Badge{Text: label(sms.AssessmentStates, state), Tone: tone}
}

func statusBadge(status string) ui.Badge {
	tone := map[string]ui.Tone{"not_started": ui.Warning, "partial": ui.Info, "implemented": ui.Success, sms.NotApplicable: ui.Neutral}[status]
	return ui.Badge{Text: label(sms.ResultStatuses, status), Tone: tone}
}
