package assurance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

func programmeHref(id int64) string { return fmt.Sprintf("/%s/%d", assurance.ProgrammeKind.Path(), id) }
func auditHref(id int64) string     { return fmt.Sprintf("/%s/%d", assurance.AuditKind.Path(), id) }
func findingHref(id int64) string   { return fmt.Sprintf("/%s/%d", assurance.FindingKind.Path(), id) }

// programmePages are the audit programmes' pages: a programme's page
// lists its audits, says how many requirements they leave unaudited and
// offers to plan the cycle.
func programmePages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.Programme, *assurance.Programme] {
	return web.Resource[assurance.Programme, *assurance.Programme]{
		Kind:     assurance.ProgrammeKind,
		Subtitle: "The internal audits planned over a period, usually the three years of the certification cycle, so that every requirement is audited.",
		Empty: ui.Empty{Icon: "calendar", Title: "No audit programme yet",
			Text: "Make the programme for the certification cycle, then let Conform plan its audits so that every clause is covered."},
		Columns: []web.Column[assurance.Programme]{
			{Column: ui.Column{Label: "Programme", Key: true, Sort: "text"}, Value: func(pr assurance.Programme) ui.Value { return ui.Text(pr.Title) }},
			{Column: ui.Column{Label: "From", Sort: "time"}, Value: func(pr assurance.Programme) ui.Value { return dayValue(pr.StartOn) }},
			{Column: ui.Column{Label: "Until", Sort: "time"}, Value: func(pr assurance.Programme) ui.Value { return dayValue(pr.EndOn) }},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(pr assurance.Programme) int64 { return pr.OwnerID }},
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.Programme, string, error) {
			return c.ListProgrammes(ctx, actor, store.AuditProgrammeFilter{Query: q.Get("q"), Cursor: cursor})
		},
		Get:  c.GetProgramme,
		Name: func(pr assurance.Programme) string { return pr.Title },
		Details: func(ctx context.Context, rq *web.Request, pr assurance.Programme) []ui.Item {
			return []ui.Item{
				{Label: "Period", Value: ui.Text(span(rq, pr.StartOn, pr.EndOn))},
				{Label: "Owner", Value: p.Ref(ctx, rq.Auth.Actor, account.UserKind.Entity, pr.OwnerID)},
				{Label: "Notes", Value: ui.Value{Text: pr.Notes, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, pr assurance.Programme) ([]web.Section, error) {
			cov, err := c.Coverage(ctx, rq.Auth.Actor, pr.ID)
			if err != nil {
				return nil, err
			}
			here := programmeHref(pr.ID)
			cover := web.Section{Title: "Coverage", Help: "Which requirements of ISO/IEC 20000-1:2018 the programme's audits cover; cancelled audits cover nothing.",
				Items:   []ui.Item{{Label: "Requirements unaudited", Value: unauditedValue(rq, cov)}},
				Actions: []ui.Action{{Label: "Coverage matrix", Icon: "table", Href: here + "/coverage"}}}
			if rq.Auth.Actor.Can(assurance.AuditKind.Write) {
				cover.Actions = append(cover.Actions, ui.Action{Label: "Plan the cycle's audits", Icon: "calendar", Style: ui.Primary, Post: here + "/generate", CSRF: rq.Base.CSRF})
			}
			return []web.Section{cover, auditsSection(rq, cov.Audits, "No audits planned yet", "Plan the cycle's audits, or add an audit and choose this programme.")}, nil
		},
		Fields: func(fc web.FormContext, pr assurance.Programme) ([]ui.Field, error) {
			owner := pr.OwnerID
			if fc.Creating && owner == 0 {
				owner = fc.Actor.UserID
			}
			if fc.Posted != nil {
				owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
			}
			owners, err := p.UserPicker(fc, "owner_id", "Owner", owner, access.AuditsRead)
			if err != nil {
				return nil, err
			}
			owners.Required = true
			return []ui.Field{
				{Name: "title", Label: "Title", Value: pr.Title, Required: true, Placeholder: "Internal audit programme 2027–2029"},
				{Name: "start_on", Label: "Starts on", Type: "date", Value: pr.StartOn, Required: true},
				{Name: "end_on", Label: "Ends on", Type: "date", Value: pr.EndOn, Required: true, Help: "Usually three years after the start: the certification cycle."},
				owners,
				{Name: "notes", Label: "Notes", Type: "textarea", Rows: 3, Value: pr.Notes},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.Programme, error) {
			return c.CreateProgramme(ctx, actor, programmeInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.Programme, error) {
			in := programmeInput(f)
			return c.UpdateProgramme(ctx, actor, id, version, assurance.ProgrammeUpdate{Title: &in.Title, StartOn: &in.StartOn, EndOn: &in.EndOn, OwnerID: &in.OwnerID, Notes: &in.Notes})
		},
		Delete: c.DeleteProgramme,
		DeleteText: func(assurance.Programme) string {
			return "A programme with audits cannot be deleted: delete its audits first."
		},
	}
}

func programmeInput(f url.Values) assurance.ProgrammeInput {
	owner, _ := strconv.ParseInt(f.Get("owner_id"), 10, 64)
	return assurance.ProgrammeInput{Title: f.Get("title"), StartOn: f.Get("start_on"), EndOn: f.Get("end_on"), OwnerID: owner, Notes: f.Get("notes")}
}

// unauditedValue says how many requirements no audit covers.
func unauditedValue(rq *web.Request, cov assurance.Coverage) ui.Value {
	if cov.Unaudited == 0 {
		return ui.Value{Text: "0", Badges: []ui.Badge{{Text: "Every requirement is audited", Tone: ui.Success}}}
	}
	return ui.Value{Text: strconv.Itoa(cov.Unaudited), Note: rq.T("of %d requirements", len(cov.Rows)), Badges: []ui.Badge{{Text: "Requirements left unaudited", Tone: ui.Warning}}}
}

// auditsSection is a table of audits.
func auditsSection(rq *web.Request, as []assurance.Audit, title, text string) web.Section {
	t := &ui.Table{Caption: "Audits", Columns: []ui.Column{{Label: "Audit", Key: true, Sort: "text"}, {Label: "Type"}, {Label: "Planned", Sort: "time"}, {Label: "State"}},
		Empty: ui.Empty{Icon: "checklist", Title: title, Text: text}}
	for _, a := range as {
		t.Rows = append(t.Rows, ui.Row{Href: auditHref(a.ID), Cells: []ui.Value{ui.Linked(a.Title, auditHref(a.ID)),
			ui.Text(rq.L.Lookup(assurance.LabelOf(assurance.AuditTypes, a.Type))), dayValue(a.PlannedStart), {Badges: []ui.Badge{auditStateBadge(a.State)}}}})
	}
	return web.Section{Title: "Audits", Table: t}
}

// CoveragePage is the coverage matrix: requirements down, audits across.
type CoveragePage struct {
	web.Base
	Unaudited ui.Value
	Audits    []CoverageAudit
	Rows      []CoverageLine
	Back      string
}

// CoverageAudit is a column of the matrix.
type CoverageAudit struct {
	Href, Number, Title, Planned string
}

// CoverageLine is a requirement with a mark per audit.
type CoverageLine struct {
	Code, Title, Href string
	Depth             int
	Marks             []bool
	Unaudited         bool
	Badge             ui.Badge
}

// coverage shows the programme's coverage matrix.
func (pg *pages) coverage(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	pr, err := pg.c.GetProgramme(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	cov, err := pg.c.Coverage(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	page := CoveragePage{Base: rq.Base, Unaudited: unauditedValue(rq, cov), Back: programmeHref(id)}
	page.Title = rq.T("Coverage of %s", pr.Title)
	page.Subtitle = "Each requirement of ISO/IEC 20000-1:2018 against the programme's audits: a mark where an audit covers it. A requirement no audit covers is flagged."
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.ProgrammeKind.Plural, Href: "/" + assurance.ProgrammeKind.Path()}, {Label: pr.Title, Href: page.Back}}
	col := map[int64]int{}
	for i, a := range cov.Audits {
		col[a.ID] = i
		page.Audits = append(page.Audits, CoverageAudit{Href: auditHref(a.ID), Number: assurance.AuditKind.Number(a.ID), Title: a.Title, Planned: rq.Day(a.PlannedStart)})
	}
	for _, row := range cov.Rows {
		l := CoverageLine{Code: row.Requirement.Code, Title: row.Requirement.Title, Href: fmt.Sprintf("/requirements/%d", row.Requirement.ID),
			Marks: make([]bool, len(cov.Audits)), Unaudited: len(row.AuditIDs) == 0}
		for _, ch := range row.Requirement.Code {
			if ch == '.' {
				l.Depth++
			}
		}
		for _, aid := range row.AuditIDs {
			l.Marks[col[aid]] = true
		}
		l.Badge = ui.Badge{Text: "Audited", Tone: ui.Success}
		if l.Unaudited {
			l.Badge = ui.Badge{Text: "Unaudited", Tone: ui.Warning}
		}
		page.Rows = append(page.Rows, l)
	}
	return pg.p.Render(w, r, http.StatusOK, "assurance/audit_coverage", page)
}

// generate plans the cycle's audits of a programme.
func (pg *pages) generate(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if _, err := pg.c.GenerateAudits(r.Context(), rq.Auth.Actor, id); err != nil {
		return err
	}
	http.Redirect(w, r, programmeHref(id)+"?done=saved", http.StatusSeeOther)
	return nil
}
