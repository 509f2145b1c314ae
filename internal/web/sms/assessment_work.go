package sms

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// WorkPage is the questionnaire: one requirement of an assessment at a
// time, its questions with the guidance beside them, each change saved
// as it is made.
type WorkPage struct {
	web.Base
	AsmHref, Action, ResultHref, ReqHref string
	ResultID, Version                    int64
	Code, ReqTitle                       string
	// Pos is the requirement's place in the framework, from 1, of Total.
	Pos, Total int
	// Answered counts the requirements worked (sms.Result.Answered).
	Answered  int
	ReadOnly  bool
	Questions []WorkQuestion
	Statuses  []WorkChoice
	Maturity  []WorkChoice
	Notes     string
	// Exclusions: the framework allows "not applicable", which needs a
	// justification.
	Exclusions    bool
	Justification string
	Guidance      []ui.Item
	Prev, Next    *WorkLink
	Scores        []ui.Item
	Heat          ui.Heatmap
	// Saved or Error is said after a change.
	Saved  time.Time
	Error  string
	Fields web.FieldErrors
}

// WorkQuestion is one self-assessment question with its answer.
type WorkQuestion struct {
	N       int
	Text    string
	Replies []WorkChoice
	Note    string
}

// WorkChoice is one radio button; Key, when set, is its shortcut.
type WorkChoice struct {
	Value, Label, Key string
	Checked           bool
}

// WorkLink leads to another requirement of the questionnaire.
type WorkLink struct {
	Href, Code, Title string
}

func workHref(asm int64, code string) string {
	return fmt.Sprintf("/assessments/%d/work?clause=%s", asm, url.QueryEscape(code))
}

// percent is a readiness in words.
func percent(t sms.Readiness) string { return fmt.Sprintf("%d %%", t.Percent()) }

// assessmentActions are the readiness card's actions: work through the
// questionnaire (or read it), compare, download.
func assessmentActions(rq *web.Request, a sms.Assessment) []ui.Action {
	here := assessmentHref(a.ID)
	work := ui.Action{Label: "Read it requirement by requirement", Icon: "list-details", Href: here + "/work"}
	if rq.Auth.Actor.Can(sms.ResultKind.Write) && a.State == "open" {
		work = ui.Action{Label: "Work through it", Icon: "list-details", Style: ui.Primary, Href: here + "/work"}
	}
	return []ui.Action{work,
		{Label: "Compare", Icon: "copy", Href: here + "/compare", Name: rq.T("Compare %s with another assessment", a.Title)},
		{Label: "XLSX", Icon: "arrow-down", Href: here + "/export.xlsx", Name: rq.T("XLSX: download %s as a spreadsheet", a.Title)},
		{Label: "PDF", Icon: "arrow-down", Href: here + "/export.pdf", Name: rq.T("PDF: download %s as a report", a.Title)},
	}
}

// heatmap is the clause tree of an assessment coloured by status: every
// top-level clause, or only the one holding the requirement current (0:
// all, none marked).
func heatmap(rq *web.Request, rp smsapp.Report, current int64) ui.Heatmap {
	h := ui.Heatmap{Caption: "Requirements by clause and status"}
	top := ""
	if current != 0 {
		top = sms.TopClause(rp.Requirements[current].Code)
	}
	rows := map[string]int{}
	for _, cl := range rp.Scores.Clauses {
		if top != "" && cl.Requirement.Code != top {
			continue
		}
		rows[cl.Requirement.Code] = len(h.Rows)
		h.Rows = append(h.Rows, ui.HeatRow{Label: cl.Requirement.Label(), Href: requirementHref(cl.Requirement.ID), Figure: percent(cl.Readiness)})
	}
	counts := map[string]int{}
	for _, r := range rp.Results {
		q := rp.Requirements[r.RequirementID]
		i, ok := rows[sms.TopClause(q.Code)]
		if !ok {
			continue
		}
		counts[r.Status]++
		b := statusBadge(r.Status)
		h.Rows[i].Cells = append(h.Rows[i].Cells, ui.HeatCell{Code: q.Code, Title: q.Title + " · " + rq.L.Lookup(b.Text), Status: shortStatus(r.Status),
			Tone: b.Tone, Href: workHref(rp.Assessment.ID, q.Code), Current: q.ID == current})
	}
	for _, st := range sms.ResultStatuses {
		if n := counts[st.Code]; n > 0 || st.Code != sms.NotApplicable {
			b := statusBadge(st.Code)
			b.Text = rq.T("%s: %d", rq.L.Lookup(st.Label), n)
			h.Legend = append(h.Legend, b)
		}
	}
	return h
}

// shortStatus names a status in a heatmap's tile.
func shortStatus(status string) string {
	return map[string]string{"not_started": "Not started", "partial": "Partly", "implemented": "Implemented", sms.NotApplicable: "N/A"}[status]
}

// statusKeys are the keys that set a status on the questionnaire.
var statusKeys = map[string]string{"not_started": "1", "partial": "2", "implemented": "3", sms.NotApplicable: "4"}

// workPage shows the questionnaire at the requirement ?clause= names, or
// at the first one not yet answered.
func (pg *pages) work(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	page, err := pg.workPage(r.Context(), rq, id, r.URL.Query().Get("clause"), 0)
	if err != nil {
		return err
	}
	return pg.p.Render(w, r, http.StatusOK, "sms/assessment_work", page)
}

// workPage builds the questionnaire at the requirement with code, or at
// the result with id resultID, or at the first not yet answered.
func (pg *pages) workPage(ctx context.Context, rq *web.Request, asmID int64, code string, resultID int64) (WorkPage, error) {
	actor := rq.Auth.Actor
	rp, err := pg.c.Outline(ctx, actor, asmID)
	if err != nil {
		return WorkPage{}, err
	}
	if len(rp.Results) == 0 {
		return WorkPage{}, errs.E(errs.NotFound, "%s has no requirements to assess", sms.AssessmentKind.Number(asmID))
	}
	at, answered := -1, 0
	for i, res := range rp.Results {
		q := rp.Requirements[res.RequirementID]
		done := res.Answered(q.QuestionList())
		if done {
			answered++
		}
		switch {
		case code != "" && q.Code == code, resultID != 0 && res.ID == resultID:
			at = i
		case code == "" && resultID == 0 && at < 0 && !done:
			at = i
		}
	}
	if at < 0 {
		if code != "" || resultID != 0 {
			return WorkPage{}, errs.E(errs.NotFound, "%s has no requirement %q", sms.AssessmentKind.Number(asmID), code)
		}
		at = 0
	}
	res := rp.Results[at]
	// The requirement in hand with the whole of its guidance.
	q, err := pg.c.GetRequirement(ctx, actor, res.RequirementID)
	if err != nil {
		return WorkPage{}, err
	}
	a := rp.Assessment
	page := WorkPage{Base: rq.Base, AsmHref: assessmentHref(a.ID), Action: assessmentHref(a.ID) + "/work", ResultHref: resultHref(res.ID),
		ReqHref: requirementHref(q.ID), ResultID: res.ID, Version: res.Version, Code: q.Code, ReqTitle: q.Title, Pos: at + 1, Total: len(rp.Results),
		Answered: answered, ReadOnly: !actor.Can(sms.ResultKind.Write) || a.State != "open", Notes: res.Notes,
		Exclusions: rp.Framework.AllowsExclusions, Justification: res.Justification}
	page.Title = q.Label()
	page.Subtitle = rq.T("Requirement %d of %d in %s", at+1, len(rp.Results), a.Title)
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.AssessmentKind.Plural, Href: "/" + sms.AssessmentKind.Path()}, {Label: a.Title, Href: page.AsmHref}}
	page.TitleBadges = []ui.Badge{statusBadge(res.Status)}
	for i, text := range q.QuestionList() {
		ans := res.Answers.For(i+1, text)
		wq := WorkQuestion{N: i + 1, Text: text, Note: ans.Note}
		for _, rep := range append([]sms.Code{{Code: "", Label: "Not answered"}}, sms.Replies...) {
			wq.Replies = append(wq.Replies, WorkChoice{Value: rep.Code, Label: rep.Label, Checked: ans.Reply == rep.Code})
		}
		page.Questions = append(page.Questions, wq)
	}
	statuses := sms.ResultStatuses
	if !page.Exclusions {
		statuses = statuses[:3]
	}
	for _, st := range statuses {
		page.Statuses = append(page.Statuses, WorkChoice{Value: st.Code, Label: st.Label, Key: statusKeys[st.Code], Checked: res.Status == st.Code})
	}
	for _, m := range maturityLevels {
		page.Maturity = append(page.Maturity, WorkChoice{Value: m.Code, Label: m.Label, Checked: m.Code == strconv.FormatInt(res.Maturity, 10)})
	}
	for _, it := range []struct{ label, text string }{{"In plain terms", q.Plain}, {"What an auditor looks for", q.Auditor}, {"Typical evidence", q.Evidence}} {
		if it.text != "" {
			page.Guidance = append(page.Guidance, ui.Item{Label: it.label, Value: ui.Value{Text: it.text, Long: true}})
		}
	}
	link := func(i int) *WorkLink {
		if i < 0 || i >= len(rp.Results) {
			return nil
		}
		n := rp.Requirements[rp.Results[i].RequirementID]
		return &WorkLink{Href: workHref(a.ID, n.Code), Code: n.Code, Title: n.Title}
	}
	page.Prev, page.Next = link(at-1), link(at+1)
	top := q
	for top.ParentID != nil {
		top = rp.Requirements[*top.ParentID]
	}
	own := rp.Scores.ByRequirement[q.ID]
	page.Scores = []ui.Item{{Label: "This requirement", Help: "Its own status and those of the requirements under it.", Value: scoreValue(rq, own, "Readiness of this requirement")}}
	if top.ID != q.ID {
		page.Scores = append(page.Scores, ui.Item{Label: rq.T("Clause %s", top.Code), Value: scoreValue(rq, rp.Scores.ByRequirement[top.ID], "Readiness of the clause")})
	}
	page.Scores = append(page.Scores, ui.Item{Label: "Overall", Help: readinessFormula, Value: scoreValue(rq, rp.Scores.Overall, "Overall readiness")})
	page.Heat = heatmap(rq, rp, q.ID)
	return page, nil
}

// scoreValue is a readiness figure with its bar.
func scoreValue(rq *web.Request, t sms.Readiness, label string) ui.Value {
	return ui.Value{Text: percent(t), Note: rq.T("%d of %d applicable requirements implemented, %d partly.", t.Implemented, t.Applicable(), t.Partial),
		Progress: &ui.Progress{Value: t.Percent(), Max: 100, Label: label}}
}

// saveWork saves the questionnaire's form: with htmx, on each change,
// answering with what changed on the page; without, on Save (and on to
// the next requirement with "Save and next").
func (pg *pages) saveWork(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	f := r.PostForm
	resID, _ := strconv.ParseInt(f.Get("result"), 10, 64)
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	res, err := pg.c.GetResult(ctx, actor, resID)
	if err != nil {
		return err
	}
	if res.AssessmentID != id {
		return errs.E(errs.NotFound, "%s is not a result of %s", sms.ResultKind.Number(resID), sms.AssessmentKind.Number(id))
	}
	up := sms.ResultUpdate{}
	if f.Has("status") {
		s := f.Get("status")
		up.Status = &s
	}
	if f.Has("maturity") {
		m, err := strconv.ParseInt(f.Get("maturity"), 10, 64)
		if err != nil {
			m = -1 // refused, naming the field
		}
		up.Maturity = &m
	}
	if f.Has("notes") {
		n := f.Get("notes")
		up.Notes = &n
	}
	if f.Has("justification") {
		j := f.Get("justification")
		up.Justification = &j
	}
	for n := 1; n <= 100; n++ {
		rk, nk := fmt.Sprintf("reply-%d", n), fmt.Sprintf("note-%d", n)
		if !f.Has(rk) && !f.Has(nk) {
			continue
		}
		ch := sms.AnswerChange{N: n}
		if f.Has(rk) {
			v := f.Get(rk)
			ch.Reply = &v
		}
		if f.Has(nk) {
			v := f.Get(nk)
			ch.Note = &v
		}
		up.Answers = append(up.Answers, ch)
	}
	_, saveErr := pg.c.UpdateResult(ctx, actor, resID, version, up)
	again := func(status int, msg string, fields web.FieldErrors) error {
		page, err := pg.workPage(ctx, rq, id, "", resID)
		if err != nil {
			return err
		}
		if saveErr == nil {
			page.Saved = time.Now()
		} else {
			page.Error, page.Fields = msg, fields
			if e := errs.As(saveErr); e != nil {
				for _, fe := range e.Fields {
					page.Error += " " + fe.Reason
				}
			}
			// The form shows what was posted, not what is stored.
			page.Notes, page.Justification = f.Get("notes"), f.Get("justification")
		}
		if r.Header.Get("HX-Request") == "true" {
			status = http.StatusOK // htmx puts only a 2xx answer in place
		}
		return pg.p.Render(w, r, status, "sms/assessment_work", page)
	}
	if r.Header.Get("HX-Request") == "true" && saveErr == nil {
		return again(http.StatusOK, "", nil)
	}
	req, err := pg.c.GetRequirement(ctx, actor, res.RequirementID)
	if err != nil {
		return err
	}
	next := workHref(id, req.Code) + "&done=saved"
	if saveErr == nil && r.PostFormValue("go") == "next" {
		if page, err := pg.workPage(ctx, rq, id, req.Code, 0); err == nil && page.Next != nil {
			next = page.Next.Href + "&done=saved"
		}
	}
	return web.FormDone(w, r, saveErr, next, again)
}

// assessmentWorkRoutes adds the questionnaire, the comparison and the
// downloads of an assessment.
func assessmentWorkRoutes(pg *pages, mux guard.Registrar) {
	k, rk := sms.AssessmentKind, sms.ResultKind
	pg.p.Handle(mux, "GET /"+k.Path()+"/{id}/work", k.Read, pg.work)
	pg.p.Handle(mux, "POST /"+k.Path()+"/{id}/work", rk.Write, pg.saveWork)
	pg.p.Handle(mux, "GET /"+k.Path()+"/{id}/compare", k.Read, pg.compare)
	pg.p.Handle(mux, "GET /"+k.Path()+"/{id}/export.xlsx", k.Read, pg.download("xlsx"))
	pg.p.Handle(mux, "GET /"+k.Path()+"/{id}/export.pdf", k.Read, pg.download("pdf"))
}

// download answers an assessment as a file: "xlsx" or "pdf".
func (pg *pages) download(format string) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		rp, err := pg.c.Report(r.Context(), rq.Auth.Actor, id)
		if err != nil {
			return err
		}
		var out []byte
		switch format {
		case "xlsx":
			out, err = reports.XLSX(rp)
		default:
			out, err = reports.PDF(rp, time.Now())
		}
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", reports.ContentType(format))
		w.Header().Set("Content-Disposition", `attachment; filename="`+reports.FileName(rp.Assessment, format)+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		_, err = w.Write(out)
		return err
	}
}
