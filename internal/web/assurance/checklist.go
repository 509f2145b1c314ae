package assurance

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// ChecklistPage is an audit's checklist: a card per requirement in
// scope, its guidance beside the auditor's answer, each answer saved as
// it is given.
type ChecklistPage struct {
	web.Base
	AuditHref, Action string
	ReadOnly          bool
	Answered, Total   int
	Lines             []ChecklistLine
}

// ChecklistLine is one requirement's line.
type ChecklistLine struct {
	ID, Version, RequirementID int64
	Number, Code, ReqTitle     string
	// Href is the line's own page; ReqHref the requirement's.
	Href, ReqHref  string
	Results        []ResultChoice
	Notes, Sampled string
	Guidance       []ui.Item
	Questions      []string
	// Finding leads to a new finding raised from this line, for a result
	// that calls for one.
	Finding  string
	ReadOnly bool
	Saved    time.Time
	Error    string
}

// ResultChoice is one radio button of a line's result.
type ResultChoice struct {
	Value, Label, ID string
	Checked          bool
}

func checklistHref(auditID int64) string { return fmt.Sprintf("%s/checklist", auditHref(auditID)) }

// checklistPage builds the checklist of an audit.
func (pg *pages) checklistPage(ctx context.Context, rq *web.Request, auditID int64) (ChecklistPage, error) {
	actor := rq.Auth.Actor
	a, err := pg.c.GetAudit(ctx, actor, auditID)
	if err != nil {
		return ChecklistPage{}, err
	}
	lines, err := pg.c.Checklist(ctx, actor, auditID)
	if err != nil {
		return ChecklistPage{}, err
	}
	reqs, err := pg.c.Requirements(ctx, actor)
	if err != nil {
		return ChecklistPage{}, err
	}
	page := ChecklistPage{Base: rq.Base, AuditHref: auditHref(a.ID), Action: checklistHref(a.ID), Total: len(lines),
		ReadOnly: !actor.Can(assurance.ChecklistItemKind.Write) || !a.Working() || a.Issued()}
	page.Title = rq.T("Checklist of %s", a.Title)
	page.Subtitle = "One line per requirement in scope, with our guidance beside it. Record what you found and what you sampled; each answer is saved as you give it."
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.AuditKind.Plural, Href: "/" + assurance.AuditKind.Path()}, {Label: a.Title, Href: page.AuditHref}}
	page.TitleBadges = []ui.Badge{auditStateBadge(a.State)}
	for _, l := range lines {
		if l.Result != "" {
			page.Answered++
		}
		i := -1
		for j, r := range reqs {
			if r.ID == l.RequirementID {
				i = j
			}
		}
		if i < 0 {
			continue
		}
		page.Lines = append(page.Lines, pg.line(rq, a, l, reqs[i].Code, reqs[i].Title, reqs[i].Guidance.Auditor, reqs[i].Guidance.Evidence, reqs[i].QuestionList(), page.ReadOnly))
	}
	return page, nil
}

// line is one checklist line as the page shows it.
func (pg *pages) line(rq *web.Request, a assurance.Audit, l assurance.ChecklistItem, code, title, auditor, evidence string, questions []string, readOnly bool) ChecklistLine {
	cl := ChecklistLine{ID: l.ID, Version: l.Version, RequirementID: l.RequirementID, Number: assurance.ChecklistItemKind.Number(l.ID), Code: code, ReqTitle: title,
		Href: lineHref(l.ID), ReqHref: fmt.Sprintf("/requirements/%d", l.RequirementID), Notes: l.Notes, Sampled: l.Sampled.String(), Questions: questions, ReadOnly: readOnly}
	for _, r := range append([]assurance.Code{{Code: "", Label: "Not answered"}}, assurance.Results...) {
		cl.Results = append(cl.Results, ResultChoice{Value: r.Code, Label: r.Label, ID: fmt.Sprintf("result-%d-%s", l.ID, or(r.Code, "none")), Checked: l.Result == r.Code})
	}
	for _, g := range []struct{ label, text string }{{"What an auditor looks for", auditor}, {"Typical evidence", evidence}} {
		if g.text != "" {
			cl.Guidance = append(cl.Guidance, ui.Item{Label: g.label, Value: ui.Value{Text: g.text, Long: true}})
		}
	}
	if t := assurance.FindingTypeFor(l.Result); t != "" && !readOnly {
		cl.Finding = fmt.Sprintf("/%s/new?audit_id=%d&requirement_id=%d&item_id=%d&type=%s", assurance.FindingKind.Path(), a.ID, l.RequirementID, l.ID, t)
	}
	return cl
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checklist shows an audit's checklist.
func (pg *pages) checklist(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	page, err := pg.checklistPage(r.Context(), rq, id)
	if err != nil {
		return err
	}
	return pg.p.Render(w, r, http.StatusOK, "assurance/audit_checklist", page)
}

// saveLine saves one line's answer: with htmx on each change, answering
// with the line as it now is; without, on Save, back to the checklist at
// the line.
func (pg *pages) saveLine(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx, actor, f := r.Context(), rq.Auth.Actor, r.PostForm
	req, _ := strconv.ParseInt(f.Get("requirement_id"), 10, 64)
	an, saveErr := answerOf(f)
	an.RequirementID = req
	var it assurance.ChecklistItem
	if saveErr == nil {
		it, saveErr = pg.c.AnswerChecklist(ctx, actor, id, web.FormInt(r, "version"), an)
	}
	if r.Header.Get("HX-Request") != "true" {
		if saveErr != nil && !errs.Is(saveErr, errs.Invalid) {
			return saveErr
		}
		page, err := pg.checklistPage(ctx, rq, id)
		if err != nil {
			return err
		}
		status := http.StatusOK
		for i := range page.Lines {
			if page.Lines[i].RequirementID == req {
				if saveErr != nil {
					page.Lines[i].Error, status = problem(saveErr), http.StatusUnprocessableEntity
				} else {
					page.Lines[i].Saved = time.Now()
				}
			}
		}
		return pg.p.Render(w, r, status, "assurance/audit_checklist", page)
	}
	page, err := pg.checklistPage(ctx, rq, id)
	if err != nil {
		return err
	}
	for _, l := range page.Lines {
		if l.RequirementID != req {
			continue
		}
		if saveErr != nil {
			l.Error = problem(saveErr)
			l.Notes, l.Sampled = f.Get("notes"), f.Get("sampled")
		} else {
			l.Saved = time.Now()
			_ = it
		}
		return pg.p.RenderFragment(w, r, http.StatusOK, "assurance/audit_checklist", l)
	}
	return errs.E(errs.NotFound, "%s has no line for requirement %d", assurance.AuditKind.Number(id), req)
}

// problem is what went wrong, with the fields' reasons.
func problem(err error) string {
	e := errs.As(err)
	if e == nil {
		return err.Error()
	}
	msg := e.Message
	for _, fe := range e.Fields {
		msg += " " + fe.Reason
	}
	return msg
}
