package assurance

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

func improvementHref(id int64) string {
	return fmt.Sprintf("/%s/%d", assurance.ImprovementKind.Path(), id)
}

func improvementBadge(state string) ui.Badge {
	tone := map[string]ui.Tone{"submitted": ui.Neutral, "evaluated": ui.Info, "approved": ui.Info, "rejected": ui.Neutral, "in_progress": ui.Warning,
		"implemented": ui.Success, "confirmed": ui.Success}[state]
	return ui.Badge{Text: codeLabel(assurance.ImprovementStates, state), Tone: tone}
}

// priorityValue is the priority with its band, or that it is not
// evaluated yet.
func priorityValue(i assurance.Improvement) ui.Value {
	if !i.Evaluated() {
		return ui.Value{Empty: "Not evaluated"}
	}
	tone := map[string]ui.Tone{"high": ui.Danger, "medium": ui.Warning, "low": ui.Neutral}[i.PriorityBand()]
	return ui.Value{Text: strconv.FormatInt(i.Priority(), 10), Badges: []ui.Badge{{Text: map[string]string{"high": "High", "medium": "Medium", "low": "Low"}[i.PriorityBand()], Tone: tone}}}
}

// measureText is a measure with its unit, or "" for none taken.
func measureText(v *float64, unit string) string {
	if v == nil {
		return ""
	}
	return strings.TrimSpace(sms.FormatNumber(*v) + " " + unit)
}

// registerImprovements adds the register's pages and its lifecycle's
// steps.
func registerImprovements(p *web.Pages, c *assuranceapp.Catalogue, mux guard.Registrar) {
	k := assurance.ImprovementKind
	improvementPages(p, c).Register(p, mux)
	for _, s := range assuranceapp.ImprovementSteps {
		p.Handle(mux, "POST /"+k.Path()+"/{id}/"+s.Verb, s.Perm, func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
			id, err := web.PathID(r)
			if err != nil {
				return err
			}
			if _, err := c.MoveImprovement(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version"), s.To); err != nil {
				return err
			}
			http.Redirect(w, r, improvementHref(id)+"?done="+s.Verb, http.StatusSeeOther)
			return nil
		})
	}
}

var stepLabels = map[string]string{"evaluate": "Mark as evaluated", "approve": "Approve", "reject": "Reject", "start": "Start the work",
	"implement": "Mark as implemented", "confirm": "Confirm the benefit"}

// improvementPages are the register's pages.
func improvementPages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.Improvement, *assurance.Improvement] {
	k := assurance.ImprovementKind
	return web.Resource[assurance.Improvement, *assurance.Improvement]{
		Kind:     k,
		Subtitle: "Opportunities to improve the SMS and the services: each evaluated against the criteria, decided on, carried out and its benefit measured. Priority = 2 × benefit + 2 × alignment + (6 − effort) + (6 − risk), from 6 to 30: high from 22, medium from 14, low below.",
		Empty: ui.Empty{Icon: "chart-line", Title: "No improvement opportunities yet",
			Text: "Record an opportunity: from an audit, a review, a complaint, monitoring or a suggestion by anyone on the staff."},
		Columns: []web.Column[assurance.Improvement]{
			{Column: ui.Column{Label: "Opportunity", Key: true, Sort: "text"}, Value: func(i assurance.Improvement) ui.Value { return ui.Text(i.Title) }},
			{Column: ui.Column{Label: "Source", Sort: "text"}, Value: func(i assurance.Improvement) ui.Value {
				return ui.Text(codeLabel(assurance.ImprovementSources, i.Source))
			}},
			{Column: ui.Column{Label: "Submitted on", Sort: "time"}, Value: func(i assurance.Improvement) ui.Value { return reviewDay(i.SubmittedOn) }},
			{Column: ui.Column{Label: "Priority", Numeric: true, Sort: "number"}, Value: priorityValue},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(i assurance.Improvement) ui.Value { return ui.Value{Badges: []ui.Badge{improvementBadge(i.State)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "state", Label: "State", Type: "select", Options: codeChoices(append([]sms.Code{{Code: "", Label: "Any state"}}, assurance.ImprovementStates...), q.Get("state"))},
				{Name: "source", Label: "Source", Type: "select", Options: codeChoices(append([]sms.Code{{Code: "", Label: "Any source"}}, assurance.ImprovementSources...), q.Get("source"))},
				{Name: "open", Label: "Open", Type: "select", Options: codeChoices([]sms.Code{{Code: "", Label: "Open or closed"}, {Code: "1", Label: "Open only"}}, q.Get("open"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.Improvement, string, error) {
			return c.ListImprovements(ctx, actor, store.ImprovementFilter{Query: q.Get("q"), State: q.Get("state"), Source: q.Get("source"), Open: q.Get("open") != "", Cursor: cursor})
		},
		Get:       c.GetImprovement,
		Name:      func(i assurance.Improvement) string { return i.Title },
		Badges:    func(i assurance.Improvement) []ui.Badge { return []ui.Badge{improvementBadge(i.State)} },
		MayDelete: func(i assurance.Improvement) bool { return i.State == "submitted" || i.State == "evaluated" },
		Details: func(ctx context.Context, rq *web.Request, i assurance.Improvement) []ui.Item {
			actor := rq.Auth.Actor
			src := ui.Text(rq.L.Lookup(codeLabel(assurance.ImprovementSources, i.Source)))
			if i.SourceRef != 0 {
				ref := p.Ref(ctx, actor, i.SourceEntity, i.SourceRef)
				src.Links, src.Note = []ui.Link{{Text: ref.Text, Href: ref.Href}}, ""
			}
			decided := ui.Value{Empty: "No decision yet"}
			if i.ApprovedOn != "" {
				decided = ui.Value{Text: rq.Day(i.ApprovedOn), Note: rq.T("by %s", p.Ref(ctx, actor, account.UserKind.Entity, i.ApprovedBy).Text)}
			}
			score := func(v int64) ui.Value {
				if v == 0 {
					return ui.Value{Empty: "Not scored"}
				}
				return ui.Text(rq.T("%d of 5", v))
			}
			return []ui.Item{
				{Label: "Description", Value: ui.Value{Text: i.Description, Long: true}},
				{Label: "Source", Value: src},
				{Label: "Submitted", Value: ui.Value{Text: rq.Day(i.SubmittedOn), Note: rq.T("by %s", p.Ref(ctx, actor, account.UserKind.Entity, i.SubmittedBy).Text)}},
				{Label: "Benefit", Help: "How much it would bring, from 1 (little) to 5 (much).", Value: score(i.Benefit)},
				{Label: "Effort", Help: "How much work it takes, from 1 (little) to 5 (much).", Value: score(i.Effort)},
				{Label: "Risk", Help: "How much could go wrong in making it, from 1 (little) to 5 (much).", Value: score(i.Risk)},
				{Label: "Alignment with objectives", Help: "How directly it serves the SMS's objectives, from 1 (hardly) to 5 (directly).", Value: score(i.Alignment)},
				{Label: "Priority", Help: assurance.PriorityFormula, Value: priorityValue(i)},
				{Label: "Decision", Value: decided},
				{Label: "Expected benefit", Value: ui.Value{Text: i.ExpectedBenefit, Long: true}},
				{Label: "Measure before", Value: ui.Value{Text: measureText(i.Before, i.Unit), Empty: "Not taken"}},
				{Label: "Measure after", Value: ui.Value{Text: measureText(i.After, i.Unit), Empty: "Not taken"}},
				{Label: "Realised benefit", Value: ui.Value{Text: i.RealisedBenefit, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, i assurance.Improvement) ([]web.Section, error) {
			actor := rq.Auth.Actor
			var out []web.Section
			next := i.NextStates()
			if len(next) > 0 {
				sec := web.Section{Title: "Next step", Help: "Submitted → evaluated (all four criteria scored) → approved or rejected → in progress → implemented → benefit confirmed (realised benefit and the measure after recorded)."}
				for _, s := range assuranceapp.ImprovementSteps {
					for _, to := range next {
						if s.To == to && actor.Can(s.Perm) {
							style := ui.Secondary
							if len(sec.Actions) == 0 {
								style = ui.Primary
							}
							sec.Actions = append(sec.Actions, ui.Action{Label: stepLabels[s.Verb], Style: style, Post: improvementHref(i.ID) + "/" + s.Verb, CSRF: rq.Base.CSRF,
								Hidden: []ui.Hidden{{Name: "version", Value: strconv.FormatInt(i.Version, 10)}}})
						}
					}
				}
				out = append(out, sec)
			}
			if actor.Can(sms.ActionKind.Read) {
				as, _, err := c.ReviewActions(ctx, actor, "improvement", i.ID)
				if err != nil {
					return nil, err
				}
				out = append(out, actionsSection(rq, "Implementation actions", "The actions that carry out the improvement.", "improvement", i.ID, as,
					"No implementation actions yet", "Once the opportunity is approved, add the actions that carry it out."))
			}
			return out, nil
		},
		Fields: func(fc web.FormContext, i assurance.Improvement) ([]ui.Field, error) {
			source := i.Source
			if source == "" {
				source = "suggestion"
			}
			score := func(name, lbl, help string, v int64) ui.Field {
				opts := []ui.Option{{Value: "0", Label: "Not scored", Selected: v == 0}}
				for n := int64(1); n <= 5; n++ {
					opts = append(opts, ui.Option{Value: strconv.FormatInt(n, 10), Label: strconv.FormatInt(n, 10), Selected: v == n})
				}
				return ui.Field{Name: name, Label: lbl, Type: "select", Options: opts, Help: help}
			}
			fields := []ui.Field{
				{Name: "title", Label: "Opportunity", Value: i.Title, Required: true, Help: "What could be better, in one line."},
				{Name: "description", Label: "Description", Type: "textarea", Rows: 3, Value: i.Description},
				{Name: "source", Label: "Source", Type: "select", Options: codeChoices(assurance.ImprovementSources, source)},
				{Name: "submitted_on", Label: "Submitted on", Type: "date", Value: i.SubmittedOn, Help: "Today when left empty."},
				score("benefit", "Benefit", "How much it would bring, from 1 (little) to 5 (much).", i.Benefit),
				score("effort", "Effort", "How much work it takes, from 1 (little) to 5 (much).", i.Effort),
				score("risk", "Risk", "How much could go wrong in making it, from 1 (little) to 5 (much).", i.Risk),
				score("alignment", "Alignment with objectives", "How directly it serves the SMS's objectives, from 1 (hardly) to 5 (directly).", i.Alignment),
				{Name: "expected_benefit", Label: "Expected benefit", Type: "textarea", Rows: 2, Value: i.ExpectedBenefit},
				{Name: "unit", Label: "Unit of the measure", Value: i.Unit, Placeholder: "%", Help: "What the benefit is measured in, before and after."},
				{Name: "before", Label: "Measure before", Value: measureText(i.Before, ""), Help: "The figure before the improvement, in the unit above."},
				{Name: "after", Label: "Measure after", Value: measureText(i.After, ""), Help: "The figure once it is implemented."},
				{Name: "realised_benefit", Label: "Realised benefit", Type: "textarea", Rows: 2, Value: i.RealisedBenefit},
			}
			return fields, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.Improvement, error) {
			return c.CreateImprovement(ctx, actor, improvementInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.Improvement, error) {
			in := improvementInput(f)
			return c.UpdateImprovement(ctx, actor, id, version, assurance.ImprovementUpdate{Title: &in.Title, Description: &in.Description, Source: &in.Source,
				SubmittedOn: &in.SubmittedOn, Benefit: &in.Benefit, Effort: &in.Effort, Risk: &in.Risk, Alignment: &in.Alignment, ExpectedBenefit: &in.ExpectedBenefit,
				RealisedBenefit: &in.RealisedBenefit, Unit: &in.Unit, Before: &in.Before, After: &in.After})
		},
		Delete: c.DeleteImprovement,
	}
}

// optionalNumber reads a typed number: nil for none, NaN (refused
// naming the field) for anything else.
func optionalNumber(s string) *float64 {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	v, ok := sms.ParseNumber(s)
	if !ok {
		v = math.NaN()
	}
	return &v
}

// improvementInput reads an improvement's form.
func improvementInput(f url.Values) assurance.ImprovementInput {
	n := func(name string) int64 {
		v, err := strconv.ParseInt(f.Get(name), 10, 64)
		if err != nil && f.Get(name) != "" {
			return -1 // refused naming the field
		}
		return v
	}
	return assurance.ImprovementInput{Title: f.Get("title"), Description: f.Get("description"), Source: f.Get("source"), SubmittedOn: f.Get("submitted_on"),
		Benefit: n("benefit"), Effort: n("effort"), Risk: n("risk"), Alignment: n("alignment"), ExpectedBenefit: f.Get("expected_benefit"),
		RealisedBenefit: f.Get("realised_benefit"), Unit: f.Get("unit"), Before: optionalNumber(f.Get("before")), After: optionalNumber(f.Get("after"))}
}
