package sms

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// MatrixPage is the competence matrix: people (or roles) against
// competences, gaps said in words.
type MatrixPage struct {
	web.Base
	Filter   ui.Filter
	Sections []web.Section
}

// coverageFormula says how training coverage is counted, on the page as
// in docs/training.md.
const coverageFormula = "Training coverage = required competences held ÷ required competences, counting each person once for each competence required of them. A competence is held through a completed course whose certificate has not expired, or a direct assessment, at the level required or above."

// matrix answers GET /competences/matrix: the whole matrix by person
// (view=people, the default) or by role (view=roles), or one person's
// competences (person=ID); gaps=1 keeps only people with gaps.
func matrix(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		ctx, actor, q := r.Context(), rq.Auth.Actor, r.URL.Query()
		m, err := c.Matrix(ctx, actor, todayUTC())
		if err != nil {
			return err
		}
		page := MatrixPage{Base: rq.Base}
		page.Title = "Competence matrix"
		page.Subtitle = "Who must hold which competence (clause 7.2), and who does: held through a completed course whose certificate has not expired, or a direct assessment. Every gap is named."
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.CompetenceKind.Plural, Href: "/" + sms.CompetenceKind.Path()}}
		if actor.Can(sms.AppraisalKind.Write) {
			page.Actions = []ui.Action{{Label: "Record a direct assessment", Icon: "plus", Href: "/" + sms.AppraisalKind.Path() + "/new"}}
		}
		view := q.Get("view")
		page.Filter = ui.Filter{Action: matrixHref, Target: "matrix", Fields: []ui.Field{
			{Name: "view", Label: "Show", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "By person"}, {Code: "roles", Label: "By role"}}, view)},
			{Name: "gaps", Label: "People", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Everyone"}, {Code: "1", Label: "Only those with gaps"}}, q.Get("gaps"))},
		}}
		expired, _, err := c.ListCompletions(ctx, actor, store.CompletionFilter{ExpiredBefore: todayUTC(), Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		page.Sections = []web.Section{coverageSection(rq, m.Coverage(), len(expired))}
		if id, err := strconv.ParseInt(q.Get("person"), 10, 64); err == nil && id > 0 {
			i := slices.IndexFunc(m.People, func(x sms.Person) bool { return x.ID == id })
			if i < 0 {
				return errs.E(errs.NotFound, "no such person among the active staff")
			}
			page.Title = m.People[i].Name
			page.Crumbs = append(page.Crumbs, ui.Crumb{Label: "Competence matrix", Href: matrixHref})
			page.Subtitle = rq.T("%s's competences: what the role and teams require, what is held, and every gap.", m.People[i].Name)
			page.Sections = []web.Section{coverageSection(rq, m.PersonCoverage(i), -1), personSection(rq, m, i)}
			page.Filter = ui.Filter{}
			return p.Render(w, r, http.StatusOK, "sms/training_matrix", page)
		}
		if view == "roles" {
			page.Sections = append(page.Sections, rolesSection(rq, m))
		} else {
			aw, err := c.Awareness(ctx, actor)
			if err != nil {
				return err
			}
			page.Sections = append(page.Sections, peopleSection(rq, m, aw, q.Get("gaps") != ""))
		}
		return p.Render(w, r, http.StatusOK, "sms/training_matrix", page)
	}
}

// coverageSection is the coverage figure with its bar; expired < 0 leaves
// out the count of expired certificates.
func coverageSection(rq *web.Request, cov sms.Coverage, expired int) web.Section {
	s := web.Section{Title: "Training coverage", Help: coverageFormula, Items: []ui.Item{
		{Label: "Training coverage", Value: ui.Value{Text: fmt.Sprintf("%d %%", cov.Percent()),
			Note:     rq.T("%d of %d required competences held.", cov.Held, cov.Required),
			Progress: &ui.Progress{Value: cov.Percent(), Max: 100, Label: "Training coverage"}}},
		{Label: "Gaps", Value: ui.Text(strconv.Itoa(cov.Gaps()))},
	}}
	if expired >= 0 {
		v := ui.Linked(strconv.Itoa(expired), "/"+sms.CompletionKind.Path()+"?certificate=expired")
		if expired == 0 {
			v = ui.Text("0")
		}
		s.Items = append(s.Items, ui.Item{Label: "Expired certificates", Value: v})
	}
	return s
}

// peopleSection is everyone (or those with gaps) against every
// competence.
func peopleSection(rq *web.Request, m sms.Matrix, aw smsapp.Awareness, onlyGaps bool) web.Section {
	t := &ui.Table{ID: "matrix-people", Caption: "Competence matrix by person",
		Columns: []ui.Column{{Label: "Person", Key: true, Sort: "text"}},
		Empty:   ui.Empty{Icon: "user-circle", Title: "No competences yet", Text: "Add the competences your services need and say who must hold them."}}
	for _, c := range m.Competences {
		t.Columns = append(t.Columns, ui.Column{Label: c.Name})
	}
	t.Columns = append(t.Columns, ui.Column{Label: "Coverage", Numeric: true, Sort: "number"}, ui.Column{Label: "Awareness"})
	if len(m.Competences) > 0 {
		for i, p := range m.People {
			cov := m.PersonCoverage(i)
			if onlyGaps && cov.Gaps() == 0 {
				continue
			}
			href := matrixHref + "?person=" + strconv.FormatInt(p.ID, 10)
			name := ui.Linked(p.Name, href)
			name.Note = p.Role.Label()
			row := ui.Row{Href: href, Cells: []ui.Value{name}}
			for _, cell := range m.Cells[i] {
				row.Cells = append(row.Cells, cellValue(rq, cell, false))
			}
			row.Cells = append(row.Cells, coverageValue(rq, cov), awarenessValue(rq, aw, p.ID))
			t.Rows = append(t.Rows, row)
		}
		t.Filtered = onlyGaps
	}
	return web.Section{Title: "By person", Table: t}
}

// awarenessValue says whether a person acknowledged the policy and
// objectives in force they are asked to read (clause 7.3).
func awarenessValue(rq *web.Request, aw smsapp.Awareness, person int64) ui.Value {
	a, asked := aw.People[person]
	switch {
	case len(aw.Documents) == 0:
		return ui.Value{Empty: "Policy not approved yet"}
	case !asked:
		return ui.Value{Empty: "Not asked to read them"}
	case a.Done():
		return ui.Value{Badges: []ui.Badge{{Text: "Acknowledged", Tone: ui.Success}}}
	}
	v := ui.Value{Badges: []ui.Badge{{Text: "To acknowledge", Tone: ui.Warning}}}
	v.Note = rq.T("%d of %d acknowledged", a.Acknowledged, a.Asked)
	return v
}

func coverageValue(rq *web.Request, cov sms.Coverage) ui.Value {
	if cov.Required == 0 {
		return ui.Value{Empty: "Nothing required"}
	}
	v := ui.Text(fmt.Sprintf("%d %%", cov.Percent()))
	if cov.Gaps() > 0 {
		v.Note = rq.T("%d gaps", cov.Gaps())
	}
	return v
}

// rolesSection is each role against every competence: how many of the
// role's people hold what is required of them.
func rolesSection(rq *web.Request, m sms.Matrix) web.Section {
	t := &ui.Table{ID: "matrix-roles", Caption: "Competence matrix by role",
		Columns: []ui.Column{{Label: "Role", Key: true}},
		Empty:   ui.Empty{Icon: "user-circle", Title: "No competences yet", Text: "Add the competences your services need and say who must hold them."}}
	for _, c := range m.Competences {
		t.Columns = append(t.Columns, ui.Column{Label: c.Name})
	}
	if len(m.Competences) > 0 {
		for _, role := range sms.TrainingRoles() {
			n := 0
			for _, p := range m.People {
				if p.Role == role {
					n++
				}
			}
			row := ui.Row{Cells: []ui.Value{{Text: rq.L.Lookup(role.Label()), Note: rq.T("%d people", n)}}}
			for j, c := range m.Competences {
				row.Cells = append(row.Cells, roleCell(rq, m.RoleCoverage(role, j), slices.Contains(c.RoleList(), role)))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return web.Section{Title: "By role", Help: "For the people in each role, how many hold each competence required of them, by their role or one of their teams.", Table: t}
}

func roleCell(rq *web.Request, cov sms.Coverage, ofRole bool) ui.Value {
	if cov.Required == 0 {
		if ofRole {
			return ui.Value{Empty: "Required", Note: "Nobody in the role"}
		}
		return ui.Value{Empty: "Not required"}
	}
	v := ui.Value{Note: rq.T("%d of %d hold it", cov.Held, cov.Required)}
	if cov.Gaps() == 0 {
		v.Badges = []ui.Badge{{Text: "All hold it", Tone: ui.Success}}
	} else {
		v.Badges = []ui.Badge{{Text: rq.T("Gaps: %d", cov.Gaps()), Tone: ui.Danger}}
	}
	return v
}

// personSection is one person's competences: each required or held, how
// it is held, and the way to close a gap.
func personSection(rq *web.Request, m sms.Matrix, i int) web.Section {
	p := m.People[i]
	t := &ui.Table{ID: "matrix-person", Caption: "Competences",
		Columns: []ui.Column{{Label: "Competence", Key: true}, {Label: "Standing"}, {Label: "Held through"}},
		Empty:   ui.Empty{Icon: "user-circle", Title: "Nothing required or held", Text: "No competence is required of this person's role or teams, and none is held."}}
	for j, c := range m.Competences {
		cell := m.Cells[i][j]
		if cell.Need == 0 && cell.Level == 0 {
			continue
		}
		through := ui.Value{Empty: "Nothing yet"}
		switch cell.Through {
		case "course":
			through = ui.Linked(rq.T("Course completion %s", sms.CompletionKind.Number(cell.SourceID)), completionHref(cell.SourceID))
		case "appraisal":
			through = ui.Linked(rq.T("Direct assessment %s", sms.AppraisalKind.Number(cell.SourceID)), fmt.Sprintf("/%s/%d", sms.AppraisalKind.Path(), cell.SourceID))
		}
		if cell.Gap() && rq.Auth.Actor.Can(sms.CompletionKind.Write) {
			through.Actions = []ui.Action{{Label: "Find a course", Href: "/" + sms.CourseKind.Path() + "?competence_id=" + strconv.FormatInt(c.ID, 10),
				Name: rq.T("Find a course for %s", c.Name)}}
		}
		t.Rows = append(t.Rows, ui.Row{Href: competenceHref(c.ID), Cells: []ui.Value{ui.Linked(c.Name, competenceHref(c.ID)), cellValue(rq, cell, true), through}})
	}
	return web.Section{Title: "Competences", Help: rq.T("Required of %s by their role or teams.", rq.L.Lookup(p.Role.Label())), Table: t}
}

// registerTraining adds the training pages: competences, courses, their
// sessions and completions, direct assessments and the matrix.
func registerTraining(p *web.Pages, c *smsapp.Catalogue, mux guard.Registrar) {
	p.Handle(mux, "GET "+matrixHref, sms.CompetenceKind.Read, matrix(p, c))
	competencePages(p, c).Register(p, mux)
	coursePages(p, c).Register(p, mux)
	sessionPages(p, c).Register(p, mux)
	completionPages(p, c).Register(p, mux)
	p.Handle(mux, "GET /"+sms.CompletionKind.Path()+"/{id}/certificate", sms.CompletionKind.Read, certificate(c))
	appraisalPages(p, c).Register(p, mux)
}
