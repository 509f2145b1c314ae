package assurance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// LinePage is one line of an audit's checklist on a page of its own, so
// that an auditor on a phone or a tablet works one requirement at a
// time: the requirement with our guidance, the answer, the findings
// raised from the line, and the way to the lines before and after it
// and to the next one not yet answered.
type LinePage struct {
	web.Base
	Line ChecklistLine
	// Action is where the answer is posted; ChecklistHref the whole
	// checklist at this line.
	Action, ChecklistHref  string
	Position, Total        int
	Answered               int
	Prev, Next, Unanswered string
	Findings               web.Section
}

func lineHref(id int64) string {
	return fmt.Sprintf("/%s/%d", assurance.ChecklistItemKind.Path(), id)
}

// linePage builds the page of checklist line id; posted, when set, is
// the answer that could not be saved, shown as given.
func (pg *pages) linePage(ctx context.Context, rq *web.Request, id int64, posted url.Values, saveErr error) (LinePage, error) {
	actor := rq.Auth.Actor
	it, err := pg.c.GetChecklistItem(ctx, actor, id)
	if err != nil {
		return LinePage{}, err
	}
	a, err := pg.c.GetAudit(ctx, actor, it.AuditID)
	if err != nil {
		return LinePage{}, err
	}
	lines, err := pg.c.Checklist(ctx, actor, a.ID)
	if err != nil {
		return LinePage{}, err
	}
	reqs, err := pg.c.Requirements(ctx, actor)
	if err != nil {
		return LinePage{}, err
	}
	i := slices.IndexFunc(lines, func(l assurance.ChecklistItem) bool { return l.ID == id })
	if i < 0 {
		return LinePage{}, errs.E(errs.NotFound, "%s is not in the checklist of %s", assurance.ChecklistItemKind.Number(id), assurance.AuditKind.Number(a.ID))
	}
	it = lines[i]
	r := slices.IndexFunc(reqs, func(r sms.Requirement) bool { return r.ID == it.RequirementID })
	if r < 0 {
		return LinePage{}, errs.E(errs.NotFound, "the requirement of %s is not in the framework", assurance.ChecklistItemKind.Number(id))
	}
	req := reqs[r]
	readOnly := !actor.Can(assurance.ChecklistItemKind.Write) || !a.Working() || a.Issued()
	page := LinePage{Base: rq.Base, Action: lineHref(id), ChecklistHref: fmt.Sprintf("%s#line-%d", checklistHref(a.ID), id),
		Position: i + 1, Total: len(lines)}
	page.Line = pg.line(rq, a, it, req.Code, req.Title, req.Guidance.Auditor, req.Guidance.Evidence, req.QuestionList(), readOnly)
	if posted != nil {
		page.Line.Notes, page.Line.Sampled = posted.Get("notes"), posted.Get("sampled")
		for j := range page.Line.Results {
			page.Line.Results[j].Checked = page.Line.Results[j].Value == posted.Get("result")
		}
	}
	if saveErr != nil {
		page.Line.Error = problem(saveErr)
	}
	for _, l := range lines {
		if l.Result != "" {
			page.Answered++
		}
	}
	if i > 0 {
		page.Prev = lineHref(lines[i-1].ID)
	}
	if i < len(lines)-1 {
		page.Next = lineHref(lines[i+1].ID)
	}
	page.Unanswered = nextUnanswered(lines, i)
	page.Title = req.Code + " " + req.Title
	page.Subtitle = "One line of the checklist: what the requirement asks, our guidance, and your answer. Save, then go on to the next line."
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.AuditKind.Plural, Href: "/" + assurance.AuditKind.Path()},
		{Label: a.Title, Href: auditHref(a.ID)}, {Label: "Checklist", Href: checklistHref(a.ID)}}
	page.TitleBadges = []ui.Badge{auditStateBadge(a.State)}
	fs, _, err := pg.c.ListFindings(ctx, actor, store.FindingFilter{AuditID: a.ID, ItemID: id, Limit: store.MaxLimit})
	if err != nil {
		return LinePage{}, err
	}
	t := &ui.Table{Caption: "Findings raised from this line", Columns: []ui.Column{{Label: "Finding", Key: true}, {Label: "Type", Sort: "text"}},
		Empty: ui.Empty{Icon: "flag", Title: "No findings from this line", Text: "A result that calls for one offers to raise a finding."}}
	for _, f := range fs {
		t.Rows = append(t.Rows, ui.Row{Href: findingHref(f.ID), Cells: []ui.Value{ui.Linked(assurance.FindingKind.Number(f.ID)+" "+firstLine(f.Statement), findingHref(f.ID)),
			{Badges: []ui.Badge{findingBadge(f.Type)}}}})
	}
	page.Findings = web.Section{Title: "Findings", Table: t}
	if page.Line.Finding != "" {
		page.Findings.Actions = []ui.Action{{Label: "Raise a finding", Icon: "flag", Href: page.Line.Finding}}
	}
	return page, nil
}

// nextUnanswered is the first line not yet answered after line i, going
// round to the start; "" when every other line is answered.
func nextUnanswered(lines []assurance.ChecklistItem, i int) string {
	for k := 1; k < len(lines); k++ {
		if l := lines[(i+k)%len(lines)]; l.Result == "" {
			return lineHref(l.ID)
		}
	}
	return ""
}

// checklistLine shows one checklist line on its own page.
func (pg *pages) checklistLine(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	page, err := pg.linePage(r.Context(), rq, id, nil, nil)
	if err != nil {
		return err
	}
	return pg.p.Render(w, r, http.StatusOK, "assurance/audit_line", page)
}

// answerLine saves the answer given on a line's page, then shows the
// line again, saved, or goes on to the next line not yet answered
// ("then" is "next"); an answer refused shows the page again with the
// reason and what was given.
func (pg *pages) answerLine(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx, f := r.Context(), r.PostForm
	an, err := answerOf(f)
	if err == nil {
		_, err = pg.c.AnswerChecklistItem(ctx, rq.Auth.Actor, id, web.FormInt(r, "version"), an)
	}
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			return err
		}
		page, perr := pg.linePage(ctx, rq, id, f, err)
		if perr != nil {
			return perr
		}
		return pg.p.Render(w, r, http.StatusUnprocessableEntity, "assurance/audit_line", page)
	}
	to := lineHref(id)
	if f.Get("then") == "next" {
		page, err := pg.linePage(ctx, rq, id, nil, nil)
		if err != nil {
			return err
		}
		if page.Unanswered != "" {
			to = page.Unanswered
		}
	}
	http.Redirect(w, r, to+"?done=saved", http.StatusSeeOther)
	return nil
}

// answerOf reads a checklist answer from a form, leaving out the fields
// it does not carry.
func answerOf(f url.Values) (assurance.Answer, error) {
	var an assurance.Answer
	if f.Has("result") {
		v := f.Get("result")
		an.Result = &v
	}
	if f.Has("notes") {
		v := f.Get("notes")
		an.Notes = &v
	}
	if f.Has("sampled") {
		rs, err := assurance.ParseRefs("sampled", f.Get("sampled"))
		if err != nil {
			return an, err
		}
		an.Sampled = &rs
	}
	return an, nil
}
