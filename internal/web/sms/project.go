package sms

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

func memberHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.ProjectMemberKind.Path(), id) }
func raciHref(id int64) string   { return fmt.Sprintf("/%s/%d", sms.RaciKind.Path(), id) }

// member is a team member with their name.
type member struct {
	sms.ProjectMember
	name string
}

// roleBadge shows a project role; the project manager stands out.
func roleBadge(role string) ui.Badge {
	tone := ui.Neutral
	if role == sms.ProjectManager {
		tone = ui.Accent
	}
	return ui.Badge{Text: label(sms.ProjectRoles, role), Tone: tone}
}

const roleHelp = "Their role in the implementation project. The team has exactly one project manager: the first member must be it, and “Make project manager” hands the role over."

// memberPages are the implementation team's pages.
func memberPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[member, *member] {
	named := func(ctx context.Context, actor access.Actor, ms []sms.ProjectMember) ([]member, error) {
		ids := make([]int64, len(ms))
		for i, m := range ms {
			ids[i] = m.UserID
		}
		names, err := p.App().Names(ctx, actor, account.UserKind.Entity, ids)
		out := make([]member, len(ms))
		for i, m := range ms {
			out[i] = member{ProjectMember: m, name: cmp.Or(names[m.UserID], fmt.Sprintf("User %d", m.UserID))}
		}
		return out, err
	}
	return web.Resource[member, *member]{
		Kind:     sms.ProjectMemberKind,
		Subtitle: "The people implementing the SMS, each with a project role; exactly one of them is the project manager.",
		Empty: ui.Empty{Icon: "users-group", Title: "No team yet",
			Text: "Add the project manager first: the team always has exactly one. Then add the SMS manager, the process owners and the others."},
		Columns: []web.Column[member]{
			{Column: ui.Column{Label: "Person", Key: true, Sort: "text"}, Value: func(m member) ui.Value { return ui.Text(m.name) }},
			{Column: ui.Column{Label: "Project role", Sort: "text"}, Value: func(m member) ui.Value { return ui.Value{Badges: []ui.Badge{roleBadge(m.Role)}} }},
			{Column: ui.Column{Label: "Responsibilities"}, Value: func(m member) ui.Value { return ui.Text(m.Responsibilities) }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "role", Label: "Project role", Type: "select",
				Options: choices(append([]sms.Code{{Code: "", Label: "Any role"}}, sms.ProjectRoles...), q.Get("role"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]member, string, error) {
			ms, next, err := c.ListProjectMembers(ctx, actor, store.ProjectMemberFilter{Role: q.Get("role"), Cursor: cursor})
			if err != nil {
				return nil, "", err
			}
			out, err := named(ctx, actor, ms)
			if q := strings.ToLower(q.Get("q")); q != "" {
				out = slices.DeleteFunc(out, func(m member) bool { return !strings.Contains(strings.ToLower(m.name), q) })
			}
			return out, next, err
		},
		ListActions: []ui.Action{{Label: "RACI matrix", Icon: "users", Href: "/" + sms.RaciKind.Path() + "/matrix"}},
		Get: func(ctx context.Context, actor access.Actor, id int64) (member, error) {
			m, err := c.GetProjectMember(ctx, actor, id)
			if err != nil {
				return member{}, err
			}
			out, err := named(ctx, actor, []sms.ProjectMember{m})
			return out[0], err
		},
		Name:   func(m member) string { return m.name },
		Badges: func(m member) []ui.Badge { return []ui.Badge{roleBadge(m.Role)} },
		Details: func(ctx context.Context, rq *web.Request, m member) []ui.Item {
			return []ui.Item{
				{Label: "Person", Value: ui.Linked(m.name, fmt.Sprintf("/%s/%d", account.UserKind.Path(), m.UserID))},
				{Label: "Project role", Help: roleHelp, Value: ui.Value{Badges: []ui.Badge{roleBadge(m.Role)}}},
				{Label: "Responsibilities", Value: ui.Value{Text: m.Responsibilities, Long: true}},
			}
		},
		More: func(rq *web.Request, m member) []ui.Action {
			if m.Role == sms.ProjectManager {
				return nil
			}
			return []ui.Action{{Label: "Make project manager", Icon: "user-circle", Post: memberHref(m.ID) + "/designate", CSRF: rq.Base.CSRF}}
		},
		Fields: func(fc web.FormContext, m member) ([]ui.Field, error) {
			user := m.UserID
			if fc.Posted != nil {
				user, _ = strconv.ParseInt(fc.Posted.Get("user_id"), 10, 64)
			}
			people, err := p.UserPicker(fc, "user_id", "Person", user, access.ProjectRead)
			if err != nil {
				return nil, err
			}
			people.Required = true
			role := or(m.Role, "member")
			if fc.Creating && m.Role == "" {
				if pms, _, err := c.ListProjectMembers(fc.Ctx, fc.Actor, store.ProjectMemberFilter{Role: sms.ProjectManager, Limit: 1}); err == nil && len(pms) == 0 {
					role = sms.ProjectManager
				}
			}
			return []ui.Field{
				people,
				{Name: "role", Label: "Project role", Type: "select", Value: role, Options: choices(sms.ProjectRoles, role), Help: roleHelp},
				{Name: "responsibilities", Label: "Responsibilities", Type: "textarea", Rows: 3, Value: m.Responsibilities},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (member, error) {
			user, _ := strconv.ParseInt(f.Get("user_id"), 10, 64)
			m, err := c.AddProjectMember(ctx, actor, sms.MemberInput{UserID: user, Role: f.Get("role"), Responsibilities: f.Get("responsibilities")})
			return member{ProjectMember: m}, err
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (member, error) {
			user, _ := strconv.ParseInt(f.Get("user_id"), 10, 64)
			role, resp := f.Get("role"), f.Get("responsibilities")
			m, err := c.UpdateProjectMember(ctx, actor, id, version, sms.MemberUpdate{UserID: &user, Role: &role, Responsibilities: &resp})
			return member{ProjectMember: m}, err
		},
		Delete: c.RemoveProjectMember,
		DeleteText: func(member) string {
			return "They leave the team; their RACI letters stay until changed. The project manager can only leave last, or after handing the role over."
		},
	}
}

// designate answers "Make project manager".
func designate(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		_, err = c.DesignateProjectManager(r.Context(), rq.Auth.Actor, id)
		return web.FormDone(w, r, err, memberHref(id)+"?done=saved", func(status int, msg string, _ web.FieldErrors) error {
			http.Redirect(w, r, memberHref(id), http.StatusSeeOther)
			return nil
		})
	}
}

// raci is a RACI row with the name of what it is for.
type raci struct {
	sms.Raci
	subject, subjectHref string
	names                map[int64]string // the people's, on a list
}

// subjects names the clauses and processes RACI rows are for.
func subjects(ctx context.Context, p *web.Pages, actor access.Actor, rs []sms.Raci) ([]raci, error) {
	var procs, reqs []int64
	for _, r := range rs {
		if r.ProcessID != nil {
			procs = append(procs, *r.ProcessID)
		}
		if r.RequirementID != nil {
			reqs = append(reqs, *r.RequirementID)
		}
	}
	pn, err := p.App().Names(ctx, actor, sms.ProcessKind.Entity, procs)
	if err != nil {
		return nil, err
	}
	rn, err := p.App().Names(ctx, actor, sms.RequirementKind.Entity, reqs)
	if err != nil {
		return nil, err
	}
	out := make([]raci, len(rs))
	for i, r := range rs {
		out[i] = raci{Raci: r}
		if r.ProcessID != nil {
			out[i].subject, out[i].subjectHref = pn[*r.ProcessID], processHref(*r.ProcessID)
		} else if r.RequirementID != nil {
			out[i].subject, out[i].subjectHref = rn[*r.RequirementID], requirementHref(*r.RequirementID)
		}
	}
	return out, nil
}

// raciItems are a row's four letters, each with the people holding it.
func raciItems(ctx context.Context, p *web.Pages, actor access.Actor, r sms.Raci) ([]ui.Item, error) {
	items := []ui.Item{{Label: "Accountable", Help: "The one person who answers for the outcome and signs it off.",
		Value: p.Ref(ctx, actor, account.UserKind.Entity, r.AccountableID)}}
	for _, l := range []struct {
		label, help string
		ids         []int64
	}{
		{"Responsible", "Those who do the work.", r.ResponsibleIDs},
		{"Consulted", "Those asked for their view before decisions: two-way.", r.ConsultedIDs},
		{"Informed", "Those told of progress and decisions: one-way.", r.InformedIDs},
	} {
		v, err := links(ctx, p, actor, account.UserKind, l.ids)
		if err != nil {
			return nil, err
		}
		items = append(items, ui.Item{Label: l.label, Help: l.help, Value: v})
	}
	return items, nil
}

// namesValue lists people by name.
func namesValue(names map[int64]string, ids []int64) ui.Value {
	var out []string
	for _, id := range ids {
		out = append(out, names[id])
	}
	slices.Sort(out)
	return ui.Value{Text: strings.Join(out, ", "), Empty: "No one"}
}

// raciPages are the RACI's rows, with the matrix and its export.
func raciPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[raci, *raci] {
	return web.Resource[raci, *raci]{
		Kind:     sms.RaciKind,
		Subtitle: "For each clause or process: who is responsible, the one person accountable, who is consulted and who is informed.",
		Empty: ui.Empty{Icon: "users", Title: "No RACI rows yet",
			Text: "Add a row for each process, or for each clause you implement, saying who does the work and the one person who answers for it."},
		Columns: []web.Column[raci]{
			{Column: ui.Column{Label: "Clause or process", Key: true, Sort: "text"}, Value: func(r raci) ui.Value { return ui.Text(r.subject) }},
			{Column: ui.Column{Label: "Accountable", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(r raci) int64 { return r.AccountableID }},
			{Column: ui.Column{Label: "Responsible"}, Value: func(r raci) ui.Value { return namesValue(r.names, r.ResponsibleIDs) }},
			{Column: ui.Column{Label: "Consulted"}, Value: func(r raci) ui.Value { return namesValue(r.names, r.ConsultedIDs) }},
			{Column: ui.Column{Label: "Informed"}, Value: func(r raci) ui.Value { return namesValue(r.names, r.InformedIDs) }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "subject", Label: "For", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Clauses and processes"},
				{Code: "process", Label: "Processes"}, {Code: "clause", Label: "Clauses"}}, q.Get("subject"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]raci, string, error) {
			rs, next, err := c.ListRacis(ctx, actor, store.RaciFilter{Subject: q.Get("subject"), Cursor: cursor})
			if err != nil {
				return nil, "", err
			}
			var ids []int64
			for _, r := range rs {
				ids = append(ids, r.People()...)
			}
			names, err := p.App().Names(ctx, actor, account.UserKind.Entity, ids)
			if err != nil {
				return nil, "", err
			}
			out, err := subjects(ctx, p, actor, rs)
			for i := range out {
				out[i].names = names
			}
			if q := strings.ToLower(q.Get("q")); q != "" {
				out = slices.DeleteFunc(out, func(r raci) bool { return !strings.Contains(strings.ToLower(r.subject), q) })
			}
			return out, next, err
		},
		ListActions: []ui.Action{{Label: "Matrix", Icon: "users", Href: "/" + sms.RaciKind.Path() + "/matrix"}},
		Get: func(ctx context.Context, actor access.Actor, id int64) (raci, error) {
			r, err := c.GetRaci(ctx, actor, id)
			if err != nil {
				return raci{}, err
			}
			out, err := subjects(ctx, p, actor, []sms.Raci{r})
			if err != nil {
				return raci{}, err
			}
			return out[0], nil
		},
		Name: func(r raci) string { return "RACI · " + r.subject },
		Details: func(ctx context.Context, rq *web.Request, r raci) []ui.Item {
			what := "Process"
			if r.RequirementID != nil {
				what = "Clause"
			}
			items := []ui.Item{{Label: what, Value: ui.Linked(r.subject, r.subjectHref)}}
			more, err := raciItems(ctx, p, rq.Auth.Actor, r.Raci)
			if err != nil {
				more = []ui.Item{{Label: "Accountable", Value: ui.Value{Empty: "Could not be read"}}}
			}
			return append(append(items, more...), ui.Item{Label: "Notes", Value: ui.Value{Text: r.Notes, Long: true}})
		},
		Fields: func(fc web.FormContext, r raci) ([]ui.Field, error) {
			return raciFields(p, c, fc, r)
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (raci, error) {
			in := raciInput(f)
			r, err := c.CreateRaci(ctx, actor, in)
			return raci{Raci: r}, err
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (raci, error) {
			in := raciInput(f)
			r, err := c.UpdateRaci(ctx, actor, id, version, sms.RaciUpdate{AccountableID: &in.AccountableID, ResponsibleIDs: &in.ResponsibleIDs,
				ConsultedIDs: &in.ConsultedIDs, InformedIDs: &in.InformedIDs, Notes: &in.Notes})
			return raci{Raci: r}, err
		},
		Delete: c.DeleteRaci,
	}
}

// raciInput reads a RACI row's form.
func raciInput(f url.Values) sms.RaciInput {
	acc, _ := strconv.ParseInt(f.Get("accountable_id"), 10, 64)
	proc, _ := strconv.ParseInt(f.Get("process_id"), 10, 64)
	req, _ := strconv.ParseInt(f.Get("requirement_id"), 10, 64)
	return sms.RaciInput{ProcessID: &proc, RequirementID: &req, AccountableID: acc, ResponsibleIDs: ids(f, "responsible_ids"),
		ConsultedIDs: ids(f, "consulted_ids"), InformedIDs: ids(f, "informed_ids"), Notes: f.Get("notes")}
}

// raciFields are a RACI row's form: the people offered are the team and
// whoever the row names already.
func raciFields(p *web.Pages, c *smsapp.Catalogue, fc web.FormContext, r raci) ([]ui.Field, error) {
	ms, _, err := c.ListProjectMembers(fc.Ctx, fc.Actor, store.ProjectMemberFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var who []int64
	for _, m := range ms {
		who = append(who, m.UserID)
	}
	who = append(who, r.People()...)
	names, err := p.App().Names(fc.Ctx, fc.Actor, account.UserKind.Entity, who)
	if err != nil {
		return nil, err
	}
	type person struct {
		id   int64
		name string
	}
	var everyone []person
	for id, n := range names {
		if id != 0 {
			everyone = append(everyone, person{id, n})
		}
	}
	slices.SortFunc(everyone, func(a, b person) int { return cmp.Compare(a.name, b.name) })
	boxes := func(chosen []int64) []ui.Option {
		var out []ui.Option
		for _, p := range everyone {
			out = append(out, ui.Option{Value: strconv.FormatInt(p.id, 10), Label: p.name, Selected: slices.Contains(chosen, p.id)})
		}
		return out
	}
	accountable := []ui.Option{{Value: "", Label: "Choose the accountable person", Selected: r.AccountableID == 0}}
	for _, p := range everyone {
		accountable = append(accountable, ui.Option{Value: strconv.FormatInt(p.id, 10), Label: p.name, Selected: p.id == r.AccountableID})
	}
	var fields []ui.Field
	if fc.Creating {
		proc, _ := strconv.ParseInt(fc.Query.Get("process"), 10, 64)
		procs, err := c.AllProcesses(fc.Ctx, fc.Actor)
		if err != nil {
			return nil, err
		}
		popts := []ui.Option{{Value: "", Label: "Not a process: a clause", Selected: proc == 0}}
		for _, pr := range procs {
			popts = append(popts, ui.Option{Value: strconv.FormatInt(pr.ID, 10), Label: pr.Name, Selected: pr.ID == proc})
		}
		ropts := []ui.Option{{Value: "", Label: "Not a clause: a process"}}
		fw, _, err := c.ListFrameworks(fc.Ctx, fc.Actor, store.FrameworkFilter{Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, f := range fw {
			if !f.BuiltIn() {
				continue
			}
			tree, err := c.Tree(fc.Ctx, fc.Actor, f.ID)
			if err != nil {
				return nil, err
			}
			for _, q := range tree {
				ropts = append(ropts, ui.Option{Value: strconv.FormatInt(q.ID, 10), Label: q.Label()})
			}
		}
		fields = append(fields,
			ui.Field{Name: "process_id", Label: "Process", Type: "select", Options: popts, Help: "The process the row is for; or choose a clause below."},
			ui.Field{Name: "requirement_id", Label: "Clause", Type: "select", Options: ropts, Help: "The clause the row is for, when it is not a process's."})
	}
	help := "Add people to the implementation team to choose them here."
	if len(everyone) > 0 {
		help = "The people offered are the implementation team's."
	}
	return append(fields,
		ui.Field{Name: "accountable_id", Label: "Accountable", Type: "select", Options: accountable, Required: true,
			Help: "The one person who answers for the outcome and signs it off. " + help},
		ui.Field{Name: "responsible_ids", Label: "Responsible", Type: "checkboxes", Options: boxes(r.ResponsibleIDs), Help: "Those who do the work; may include the accountable person."},
		ui.Field{Name: "consulted_ids", Label: "Consulted", Type: "checkboxes", Options: boxes(r.ConsultedIDs), Help: "Those asked for their view before decisions: two-way."},
		ui.Field{Name: "informed_ids", Label: "Informed", Type: "checkboxes", Options: boxes(r.InformedIDs), Help: "Those told of progress and decisions: one-way."},
		ui.Field{Name: "notes", Label: "Notes", Type: "textarea", Rows: 2, Value: r.Notes},
	), nil
}

// raciTable is the RACI matrix: a row per clause or process, a column
// per person, each cell their letter.
type raciTable struct {
	people []int64
	names  map[int64]string
	rows   []raci
}

// readMatrix reads every row, processes first in map order, then the
// clauses in the framework's order.
func readMatrix(ctx context.Context, p *web.Pages, c *smsapp.Catalogue, actor access.Actor) (raciTable, error) {
	rs, err := c.AllRacis(ctx, actor)
	if err != nil {
		return raciTable{}, err
	}
	rows, err := subjects(ctx, p, actor, rs)
	if err != nil {
		return raciTable{}, err
	}
	procs, err := c.AllProcesses(ctx, actor)
	if err != nil {
		return raciTable{}, err
	}
	pos := map[int64]int64{}
	for _, pr := range procs {
		pos[pr.ID] = pr.Position
	}
	slices.SortStableFunc(rows, func(a, b raci) int {
		switch {
		case a.ProcessID != nil && b.ProcessID != nil:
			return cmp.Or(cmp.Compare(pos[*a.ProcessID], pos[*b.ProcessID]), cmp.Compare(a.subject, b.subject))
		case a.ProcessID != nil:
			return -1
		case b.ProcessID != nil:
			return 1
		}
		return cmp.Compare(a.subject, b.subject)
	})
	m := raciTable{rows: rows}
	ms, _, err := c.ListProjectMembers(ctx, actor, store.ProjectMemberFilter{Limit: store.MaxLimit})
	if err != nil {
		return m, err
	}
	order := map[int64]int{}
	for _, mb := range ms {
		order[mb.UserID] = slices.IndexFunc(sms.ProjectRoles, func(c sms.Code) bool { return c.Code == mb.Role })
		m.people = append(m.people, mb.UserID)
	}
	for _, r := range rows {
		m.people = append(m.people, r.People()...)
	}
	slices.Sort(m.people)
	m.people = slices.Compact(m.people)
	if m.names, err = p.App().Names(ctx, actor, account.UserKind.Entity, m.people); err != nil {
		return m, err
	}
	slices.SortStableFunc(m.people, func(a, b int64) int {
		oa, ina := order[a]
		ob, inb := order[b]
		switch {
		case ina && !inb:
			return -1
		case inb && !ina:
			return 1
		}
		return cmp.Or(cmp.Compare(oa, ob), cmp.Compare(m.names[a], m.names[b]))
	})
	return m, nil
}

// RaciMatrixPage is the RACI matrix.
type RaciMatrixPage struct {
	web.Base
	Table  ui.Table
	Legend []ui.Item
}

// raciMatrix shows the matrix; each row leads to its RACI row.
func raciMatrix(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		actor := rq.Auth.Actor
		m, err := readMatrix(r.Context(), p, c, actor)
		if err != nil {
			return err
		}
		page := RaciMatrixPage{Base: rq.Base}
		page.Title = "RACI matrix"
		page.Subtitle = "Who is responsible (R), accountable (A), consulted (C) and informed (I) for each process and clause. Each row has exactly one A."
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.RaciKind.Plural, Href: "/" + sms.RaciKind.Path()}}
		page.Actions = []ui.Action{{Label: "Download CSV", Icon: "arrow-down", Href: "/" + sms.RaciKind.Path() + "/matrix.csv"}}
		if actor.Can(sms.RaciKind.Write) {
			page.Actions = append([]ui.Action{{Label: "New responsibility assignment", Icon: "plus", Style: ui.Primary, Href: "/" + sms.RaciKind.Path() + "/new"}}, page.Actions...)
		}
		page.Legend = []ui.Item{
			{Label: "R · Responsible", Value: ui.Text(rq.L.Lookup("Does the work."))},
			{Label: "A · Accountable", Value: ui.Text(rq.L.Lookup("Answers for the outcome and signs it off: exactly one per row."))},
			{Label: "C · Consulted", Value: ui.Text(rq.L.Lookup("Asked for their view before decisions."))},
			{Label: "I · Informed", Value: ui.Text(rq.L.Lookup("Told of progress and decisions."))},
		}
		t := ui.Table{Caption: "RACI matrix", Columns: []ui.Column{{Label: "Clause or process", Key: true}},
			Empty: ui.Empty{Icon: "users", Title: "No RACI rows yet", Text: "Add a row for each process, or for each clause you implement."}}
		if actor.Can(sms.RaciKind.Write) {
			t.Empty.Action = &ui.Action{Label: "New responsibility assignment", Icon: "plus", Style: ui.Primary, Href: "/" + sms.RaciKind.Path() + "/new"}
		}
		for _, id := range m.people {
			t.Columns = append(t.Columns, ui.Column{Label: m.names[id]})
		}
		for _, row := range m.rows {
			href := raciHref(row.ID)
			cells := []ui.Value{ui.Linked(row.subject, href)}
			for _, id := range m.people {
				cells = append(cells, ui.Value{Text: row.Letter(id), Empty: "·"})
			}
			t.Rows = append(t.Rows, ui.Row{Href: href, Cells: cells})
		}
		page.Table = t
		return p.Render(w, r, http.StatusOK, "sms/raci_matrix", page)
	}
}

// raciCSV writes the matrix as CSV: a row per clause or process, a
// column per person.
func raciCSV(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		m, err := readMatrix(r.Context(), p, c, rq.Auth.Actor)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="raci-matrix.csv"`)
		cw := csv.NewWriter(w)
		head := []string{"Number", "For", "Clause or process"}
		for _, id := range m.people {
			head = append(head, cell(m.names[id]))
		}
		if err := cw.Write(head); err != nil {
			return err
		}
		for _, row := range m.rows {
			what := "process"
			if row.RequirementID != nil {
				what = "clause"
			}
			rec := []string{sms.RaciKind.Number(row.ID), what, cell(row.subject)}
			for _, id := range m.people {
				rec = append(rec, row.Letter(id))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
}

// cell keeps a spreadsheet from reading a name as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
