package sms

import (
	"context"
	"net/url"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// result is an assessment result with what its pages show of it: its
// requirement (whose clause names it), its assessment and whether that
// assessment's framework allows exclusions.
type result struct {
	sms.Result
	req        sms.Requirement
	asm        sms.Assessment
	exclusions bool
}

// maturityLevels name the steps of the maturity scale.
var maturityLevels = []sms.Code{{Code: "0", Label: "0 · Nothing in place"}, {Code: "1", Label: "1 · Ad hoc"}, {Code: "2", Label: "2 · Repeatable"}, {Code: "3", Label: "3 · Defined"}, {Code: "4", Label: "4 · Measured"}, {Code: "5", Label: "5 · Optimised"}}

// resultPages are an assessment's results' pages: each result's record,
// with its requirement's guidance beside it, and its form. Results are
// made and deleted with their assessment, so there is no create or delete.
func resultPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[result, *result] {
	get := func(ctx context.Context, actor access.Actor, id int64) (result, error) {
		r, err := c.GetResult(ctx, actor, id)
		if err != nil {
			return result{}, err
		}
		out := result{Result: r}
		if out.req, err = c.GetRequirement(ctx, actor, r.RequirementID); err != nil {
			return out, err
		}
		if out.asm, err = c.GetAssessment(ctx, actor, r.AssessmentID); err != nil {
			return out, err
		}
		fw, err := c.GetFramework(ctx, actor, out.asm.FrameworkID)
		out.exclusions = fw.AllowsExclusions
		return out, err
	}
	return web.Resource[result, *result]{
		Kind:     sms.ResultKind,
		Subtitle: "Where each requirement stands in each assessment. Open an assessment to work through its results clause by clause.",
		Empty:    ui.Empty{Icon: "shield-check", Title: "No results", Text: "An assessment makes a result for each requirement of its framework."},
		Columns: []web.Column[result]{
			{Column: ui.Column{Label: "Requirement", Key: true}, Ref: sms.RequirementKind.Entity, RefID: func(r result) int64 { return r.RequirementID }},
			{Column: ui.Column{Label: "Assessment"}, Ref: sms.AssessmentKind.Entity, RefID: func(r result) int64 { return r.AssessmentID }},
			{Column: ui.Column{Label: "Status", Sort: "text"}, Value: func(r result) ui.Value { return ui.Value{Badges: []ui.Badge{statusBadge(r.Status)}} }},
			{Column: ui.Column{Label: "Maturity", Numeric: true, Sort: "number"}, Value: func(r result) ui.Value { return ui.Text(strconv.FormatInt(r.Maturity, 10)) }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "status", Label: "Status", Type: "select",
				Options: choices(append([]sms.Code{{Code: "", Label: "Any status"}}, sms.ResultStatuses...), q.Get("status"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]result, string, error) {
			asm, _ := strconv.ParseInt(q.Get("assessment"), 10, 64)
			rs, next, err := c.ListResults(ctx, actor, store.ResultFilter{AssessmentID: asm, Status: q.Get("status"), Cursor: cursor})
			out := make([]result, len(rs))
			for i, r := range rs {
				out[i] = result{Result: r}
			}
			return out, next, err
		},
		Get:  get,
		Name: func(r result) string { return r.req.Label() },
		Crumbs: func(r result) []ui.Crumb {
			return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.AssessmentKind.Plural, Href: "/" + sms.AssessmentKind.Path()},
				{Label: r.asm.Title, Href: assessmentHref(r.AssessmentID)}}
		},
		Badges: func(r result) []ui.Badge { return []ui.Badge{statusBadge(r.Status)} },
		Details: func(ctx context.Context, rq *web.Request, r result) []ui.Item {
			actor := rq.Auth.Actor
			owner := ui.Value{Empty: "No one yet"}
			if r.OwnerID != nil {
				owner = p.Ref(ctx, actor, account.UserKind.Entity, *r.OwnerID)
			}
			items := []ui.Item{
				{Label: "Assessment", Value: p.Ref(ctx, actor, sms.AssessmentKind.Entity, r.AssessmentID)},
				{Label: "Requirement", Value: ui.Linked(r.req.Label(), requirementHref(r.req.ID))},
				{Label: "Status", Value: ui.Value{Badges: []ui.Badge{statusBadge(r.Status)}}},
				{Label: "Maturity", Help: "0: nothing in place; 1: ad hoc; 2: repeatable; 3: defined; 4: measured; 5: optimised.", Value: ui.Text(label(maturityLevels, strconv.FormatInt(r.Maturity, 10)))},
				{Label: "Owner", Value: owner},
			}
			if r.Status == sms.NotApplicable {
				items = append(items, ui.Item{Label: "Justification", Value: ui.Value{Text: r.Justification, Long: true}})
			}
			return append(items, ui.Item{Label: "Notes", Value: ui.Value{Text: r.Notes, Long: true}})
		},
		Related: func(ctx context.Context, rq *web.Request, r result) ([]web.Section, error) {
			return resultSections(ctx, c, rq, r)
		},
		Fields: func(fc web.FormContext, r result) ([]ui.Field, error) {
			var owner int64
			if r.OwnerID != nil {
				owner = *r.OwnerID
			}
			if fc.Posted != nil {
				owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
			}
			owners, err := p.UserPicker(fc, "owner_id", "Owner", owner, access.AssessmentsRead)
			if err != nil {
				return nil, err
			}
			owners.Help = "Who answers for closing the gap."
			if len(owners.Options) == 0 || owners.Options[0].Value != "" {
				owners.Options = append([]ui.Option{{Value: "", Label: "No one yet"}}, owners.Options...)
			} else {
				owners.Options[0].Label = "No one yet"
			}
			statuses := sms.ResultStatuses
			if !r.exclusions {
				statuses = statuses[:3]
			}
			status := or(r.Status, "not_started")
			maturity := strconv.FormatInt(r.Maturity, 10)
			// The requirement in plain terms beside the question it answers.
			fields := []ui.Field{
				{Name: "status", Label: "Status", Type: "radios", Value: status, Options: choices(statuses, status), Autofocus: true, Help: r.req.Plain},
				{Name: "maturity", Label: "Maturity", Type: "select", Value: maturity, Options: choices(maturityLevels, maturity),
					Help: "How well the requirement is met, whatever its status."},
				owners,
			}
			if r.exclusions {
				fields = append(fields, ui.Field{Name: "justification", Label: "Justification", Type: "textarea", Rows: 3, Value: r.Justification,
					Help: "Why the requirement does not apply; only where the framework allows exclusions."})
			}
			return append(fields, ui.Field{Name: "notes", Label: "Notes", Type: "textarea", Rows: 4, Value: r.Notes,
				Help: "What is in place, what is missing, where the evidence is."}), nil
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (result, error) {
			status, notes, why := f.Get("status"), f.Get("notes"), f.Get("justification")
			maturity, err := strconv.ParseInt(f.Get("maturity"), 10, 64)
			if err != nil {
				maturity = -1 // refused, naming the field
			}
			owner, _ := strconv.ParseInt(f.Get("owner_id"), 10, 64)
			up := sms.ResultUpdate{Status: &status, Notes: &notes, Maturity: &maturity, OwnerID: &owner}
			if f.Has("justification") {
				up.Justification = &why
			}
			if _, err := c.UpdateResult(ctx, actor, id, version, up); err != nil {
				return result{}, err
			}
			return get(ctx, actor, id)
		},
	}
}

// resultSections are the requirement's guidance beside its result, and
// the way on to the next requirement of the assessment.
func resultSections(ctx context.Context, c *smsapp.Catalogue, rq *web.Request, r result) ([]web.Section, error) {
	var out []web.Section
	if !r.req.Empty() {
		g := web.Section{Title: "Guidance", Help: "Conform's own words on the requirement, not the standard's text."}
		for _, it := range []struct{ label, text string }{{"In plain terms", r.req.Plain}, {"What an auditor looks for", r.req.Auditor},
			{"Typical evidence", r.req.Evidence}, {"Self-assessment questions", r.req.Questions}} {
			if it.text != "" {
				g.Items = append(g.Items, ui.Item{Label: it.label, Value: ui.Value{Text: it.text, Long: true}})
			}
		}
		out = append(out, g)
	}
	rs, err := c.ResultsOf(ctx, rq.Auth.Actor, r.AssessmentID)
	if err != nil {
		return nil, err
	}
	for i, x := range rs {
		if x.ID != r.ID || i+1 == len(rs) {
			continue
		}
		next := rs[i+1]
		nr, err := c.GetRequirement(ctx, rq.Auth.Actor, next.RequirementID)
		if err != nil {
			return nil, err
		}
		href := resultHref(next.ID)
		if rq.Auth.Actor.Can(sms.ResultKind.Write) && r.asm.State == "open" {
			href += "/edit"
		}
		out = append(out, web.Section{Title: "Next requirement", Actions: []ui.Action{
			{Label: rq.T("Next: %s", nr.Label()), Icon: "chevron-right", Href: href},
			{Label: "Back to the assessment", Icon: "arrow-left", Href: assessmentHref(r.AssessmentID)},
		}})
	}
	return out, nil
}
