package assurance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// dayValue shows a day in the reader's format.
func dayValue(day string) ui.Value {
	if d, err := time.Parse(time.DateOnly, day); err == nil {
		return ui.Value{Day: d}
	}
	return ui.Value{Text: day, Empty: "Not yet"}
}

func choices(codes []assurance.Code, selected string) []ui.Option {
	out := make([]ui.Option, len(codes))
	for i, c := range codes {
		out[i] = ui.Option{Value: c.Code, Label: c.Label, Selected: c.Code == selected}
	}
	return out
}

func auditStateBadge(state string) ui.Badge {
	tone := map[string]ui.Tone{"planned": ui.Neutral, "in_progress": ui.Info, "completed": ui.Success, "report_issued": ui.Success, "cancelled": ui.Danger}[state]
	return ui.Badge{Text: assurance.LabelOf(assurance.AuditStates, state), Tone: tone}
}

func findingBadge(t string) ui.Badge {
	tone := map[string]ui.Tone{"major_nc": ui.Danger, "minor_nc": ui.Warning, "observation": ui.Info, "ofi": ui.Neutral}[t]
	return ui.Badge{Text: assurance.LabelOf(assurance.FindingTypes, t), Tone: tone}
}

// ids reads a form's list of ids, leaving out what is not one.
func ids(f url.Values, name string) []int64 {
	var out []int64
	for _, v := range f[name] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// clauseIDs reads clause numbers ("4, 8.5.1") as requirements of the
// built-in framework, refusing one that is not, naming field.
func clauseIDs(reqs []sms.Requirement, field, s string) ([]int64, error) {
	var out []int64
	for _, code := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		i := slices.IndexFunc(reqs, func(r sms.Requirement) bool { return r.Code == code })
		if i < 0 {
			return nil, errs.Field(field, fmt.Sprintf("%q is not a clause of ISO/IEC 20000-1:2018; write clause numbers such as 4 or 8.5.1", code))
		}
		out = append(out, reqs[i].ID)
	}
	return out, nil
}

// clauseCodes writes requirements as their clause numbers.
func clauseCodes(reqs []sms.Requirement, ids []int64) string {
	var out []string
	for _, r := range reqs {
		if slices.Contains(ids, r.ID) {
			out = append(out, r.Code)
		}
	}
	return strings.Join(out, ", ")
}

// auditPages are the audits' pages: an audit's page warns of auditors
// who own something in scope, leads to its checklist and report, lists
// its findings and moves it through its lifecycle.
func auditPages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.Audit, *assurance.Audit] {
	return web.Resource[assurance.Audit, *assurance.Audit]{
		Kind:     assurance.AuditKind,
		Subtitle: "Internal audits and the certification body's audits: their scope, team, checklist, findings and report.",
		Empty: ui.Empty{Icon: "checklist", Title: "No audits yet",
			Text: "Plan an internal audit, or let an audit programme plan the cycle's audits so that every clause is covered."},
		Columns: []web.Column[assurance.Audit]{
			{Column: ui.Column{Label: "Audit", Key: true, Sort: "text"}, Value: func(a assurance.Audit) ui.Value { return ui.Text(a.Title) }},
			{Column: ui.Column{Label: "Type", Sort: "text"}, Value: func(a assurance.Audit) ui.Value { return ui.Text(assurance.LabelOf(assurance.AuditTypes, a.Type)) }},
			{Column: ui.Column{Label: "Planned", Sort: "time"}, Value: func(a assurance.Audit) ui.Value { return dayValue(a.PlannedStart) }},
			{Column: ui.Column{Label: "Lead auditor", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(a assurance.Audit) int64 { return deref(a.LeadAuditorID) }},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(a assurance.Audit) ui.Value { return ui.Value{Badges: []ui.Badge{auditStateBadge(a.State)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "state", Label: "State", Type: "select", Options: choices(append([]assurance.Code{{Code: "", Label: "Any state"}}, assurance.AuditStates...), q.Get("state"))},
				{Name: "origin", Label: "Origin", Type: "select", Options: choices(append([]assurance.Code{{Code: "", Label: "Internal and external"}}, assurance.Origins...), q.Get("origin"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.Audit, string, error) {
			prog, _ := strconv.ParseInt(q.Get("programme_id"), 10, 64)
			return c.ListAudits(ctx, actor, store.AuditListFilter{Query: q.Get("q"), State: q.Get("state"), Origin: q.Get("origin"), ProgrammeID: prog, Cursor: cursor})
		},
		Get:     c.GetAudit,
		Name:    func(a assurance.Audit) string { return a.Title },
		Badges:  func(a assurance.Audit) []ui.Badge { return []ui.Badge{auditStateBadge(a.State)} },
		MayEdit: func(a assurance.Audit) bool { return !a.Issued() },
		MayDelete: func(a assurance.Audit) bool {
			return !a.Issued()
		},
		Details: func(ctx context.Context, rq *web.Request, a assurance.Audit) []ui.Item {
			actor := rq.Auth.Actor
			reqs, _ := c.Requirements(ctx, actor)
			scope := ui.Value{Empty: "No requirement"}
			for _, r := range reqs {
				if slices.Contains(a.RequirementIDs, r.ID) {
					scope.Links = append(scope.Links, ui.Link{Text: r.Code + " " + r.Title, Href: fmt.Sprintf("/requirements/%d", r.ID)})
				}
			}
			items := []ui.Item{
				{Label: "Type", Value: ui.Text(rq.L.Lookup(assurance.LabelOf(assurance.Origins, a.Origin)) + " · " + rq.L.Lookup(assurance.LabelOf(assurance.AuditTypes, a.Type)))},
			}
			if a.ProgrammeID != nil {
				items = append(items, ui.Item{Label: "Programme", Value: p.Ref(ctx, actor, assurance.ProgrammeKind.Entity, *a.ProgrammeID)})
			}
			if a.BodyID != nil {
				items = append(items, ui.Item{Label: "Certification body", Value: p.Ref(ctx, actor, assurance.CertificationBodyKind.Entity, *a.BodyID)})
			}
			if a.Consultant != "" {
				items = append(items, ui.Item{Label: "Consultant", Help: "Who runs a pre-audit when it is not a certification body.", Value: ui.Text(a.Consultant)})
			}
			items = append(items,
				ui.Item{Label: "Requirements in scope", Help: "Each covers the clauses under it.", Value: scope},
				ui.Item{Label: "Processes in scope", Value: refs(ctx, p, actor, sms.ProcessKind.Entity, a.ProcessIDs)},
				ui.Item{Label: "Services in scope", Value: refs(ctx, p, actor, sms.ServiceKind.Entity, a.ServiceIDs)},
				ui.Item{Label: "Criteria", Value: ui.Value{Text: a.Criteria, Long: true}},
				ui.Item{Label: "Planned", Value: ui.Text(span(rq, a.PlannedStart, a.PlannedEnd))},
				ui.Item{Label: "Held", Value: ui.Value{Text: span(rq, a.ActualStart, a.ActualEnd), Empty: "Not yet"}},
				ui.Item{Label: "Lead auditor", Help: "May not own a process or a document in the audit's scope.", Value: refOr(ctx, p, actor, a.LeadAuditorID)},
				ui.Item{Label: "Audit team", Value: refs(ctx, p, actor, account.UserKind.Entity, a.TeamIDs)},
			)
			if a.Issued() {
				items = append(items, ui.Item{Label: "Report SHA-256", Help: "The hash of the report as issued: the same report always gives the same hash.", Value: ui.Value{Text: a.ReportSHA256, Code: true}})
			}
			return items
		},
		Related: func(ctx context.Context, rq *web.Request, a assurance.Audit) ([]web.Section, error) {
			return auditSections(ctx, p, c, rq, a)
		},
		Fields: func(fc web.FormContext, a assurance.Audit) ([]ui.Field, error) { return auditFields(fc, p, c, a) },
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.Audit, error) {
			up, err := auditUpdate(ctx, c, actor, f)
			if err != nil {
				return assurance.Audit{}, err
			}
			return c.CreateAudit(ctx, actor, up.Apply(assurance.Audit{}))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.Audit, error) {
			up, err := auditUpdate(ctx, c, actor, f)
			if err != nil {
				return assurance.Audit{}, err
			}
			return c.UpdateAudit(ctx, actor, id, version, up)
		},
		Delete: c.DeleteAudit,
		DeleteText: func(assurance.Audit) string {
			return "Its checklist goes with it. An audit with findings, or whose report is issued, cannot be deleted."
		},
	}
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// span writes the days from and to in the reader's language, one day
// once.
func span(rq *web.Request, from, to string) string {
	switch {
	case from == "":
		return ""
	case to == "" || to == from:
		return rq.Day(from)
	}
	return rq.Day(from) + " – " + rq.Day(to)
}

func refOr(ctx context.Context, p *web.Pages, actor access.Actor, id *int64) ui.Value {
	if id == nil {
		return ui.Value{Empty: "Not named"}
	}
	return p.Ref(ctx, actor, account.UserKind.Entity, *id)
}

// refs names and links records.
func refs(ctx context.Context, p *web.Pages, actor access.Actor, entity string, ids []int64) ui.Value {
	v := ui.Value{Empty: "None"}
	for _, id := range ids {
		r := p.Ref(ctx, actor, entity, id)
		if r.Text != "" {
			v.Links = append(v.Links, ui.Link{Text: r.Text, Href: r.Href})
		}
	}
	return v
}

// auditUpdate reads an audit's form.
func auditUpdate(ctx context.Context, c *assuranceapp.Catalogue, actor access.Actor, f url.Values) (assurance.AuditUpdate, error) {
	reqs, err := c.Requirements(ctx, actor)
	if err != nil {
		return assurance.AuditUpdate{}, err
	}
	scope, err := clauseIDs(reqs, "requirement_ids", f.Get("requirement_ids"))
	if err != nil {
		return assurance.AuditUpdate{}, err
	}
	prog, _ := strconv.ParseInt(f.Get("programme_id"), 10, 64)
	lead, _ := strconv.ParseInt(f.Get("lead_auditor_id"), 10, 64)
	body, _ := strconv.ParseInt(f.Get("body_id"), 10, 64)
	procs, svcs, team := ids(f, "process_ids"), ids(f, "service_ids"), ids(f, "team_ids")
	str := func(name string) *string { v := f.Get(name); return &v }
	up := assurance.AuditUpdate{ProgrammeID: &prog, Origin: str("origin"), Type: str("type"), Title: str("title"), BodyID: &body, Consultant: str("consultant"), Criteria: str("criteria"),
		RequirementIDs: &scope, ProcessIDs: &procs, ServiceIDs: &svcs, TeamIDs: &team, PlannedStart: str("planned_start"), PlannedEnd: str("planned_end"),
		ActualStart: str("actual_start"), ActualEnd: str("actual_end"), LeadAuditorID: &lead, Summary: str("summary"), Conclusion: str("conclusion")}
	if f.Has("state") {
		up.State = str("state")
	}
	return up, nil
}

// auditFields are an audit's form fields.
func auditFields(fc web.FormContext, p *web.Pages, c *assuranceapp.Catalogue, a assurance.Audit) ([]ui.Field, error) {
	ctx, actor := fc.Ctx, fc.Actor
	if fc.Creating && a.Origin == "" {
		a.Origin, a.Type, a.State = "internal", "internal", "planned"
		a.Criteria = "ISO/IEC 20000-1:2018 and the SMS's own policies, processes and procedures"
		if v, err := strconv.ParseInt(fc.Query.Get("programme_id"), 10, 64); err == nil {
			a.ProgrammeID = &v
		}
	}
	reqs, err := c.Requirements(ctx, actor)
	if err != nil {
		return nil, err
	}
	scope := clauseCodes(reqs, a.RequirementIDs)
	lead := deref(a.LeadAuditorID)
	if fc.Posted != nil {
		f := fc.Posted
		scope, a.Origin, a.Type, a.Title, a.Consultant, a.Criteria = f.Get("requirement_ids"), f.Get("origin"), f.Get("type"), f.Get("title"), f.Get("consultant"), f.Get("criteria")
		a.PlannedStart, a.PlannedEnd, a.ActualStart, a.ActualEnd = f.Get("planned_start"), f.Get("planned_end"), f.Get("actual_start"), f.Get("actual_end")
		a.ProcessIDs, a.ServiceIDs, a.TeamIDs = ids(f, "process_ids"), ids(f, "service_ids"), ids(f, "team_ids")
		a.Summary, a.Conclusion = f.Get("summary"), f.Get("conclusion")
		lead, _ = strconv.ParseInt(f.Get("lead_auditor_id"), 10, 64)
		prog, _ := strconv.ParseInt(f.Get("programme_id"), 10, 64)
		a.ProgrammeID = &prog
		if f.Has("state") {
			a.State = f.Get("state")
		}
	}
	progs, _, err := c.ListProgrammes(ctx, actor, store.AuditProgrammeFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	progOpts := []ui.Option{{Value: "", Label: "None", Selected: deref(a.ProgrammeID) == 0}}
	for _, pr := range progs {
		progOpts = append(progOpts, ui.Option{Value: strconv.FormatInt(pr.ID, 10), Label: pr.Title, Selected: pr.ID == deref(a.ProgrammeID)})
	}
	ps, _, err := c.SMS().ListProcesses(ctx, actor, store.ProcessFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var procOpts []ui.Option
	for _, pr := range ps {
		procOpts = append(procOpts, ui.Option{Value: strconv.FormatInt(pr.ID, 10), Label: pr.Name, Selected: slices.Contains(a.ProcessIDs, pr.ID)})
	}
	ss, _, err := c.SMS().ListServices(ctx, actor, store.ServiceFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var svcOpts []ui.Option
	for _, s := range ss {
		svcOpts = append(svcOpts, ui.Option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name, Selected: slices.Contains(a.ServiceIDs, s.ID)})
	}
	bodyField, err := bodyChoice(fc, c, deref(a.BodyID), "None: an internal audit, or a pre-audit by a consultant",
		"Required for the certification body's audits (stage 1 and 2, surveillance, recertification, special, follow-up); left empty for an internal audit. A body marked to verify has had its accreditation checked more than a year ago or never.")
	if err != nil {
		return nil, err
	}
	leadField, err := p.UserPicker(fc, "lead_auditor_id", "Lead auditor", lead, access.AuditsWrite)
	if err != nil {
		return nil, err
	}
	leadField.Help = "May not own a process in scope, or a document of a requirement in scope: an auditor does not audit their own work."
	team, err := p.UserPicker(fc, "team_ids", "Audit team", 0, access.AuditsWrite)
	if err != nil {
		return nil, err
	}
	var teamOpts []ui.Option
	for _, o := range team.Options {
		if o.Value == "" {
			continue
		}
		id, _ := strconv.ParseInt(o.Value, 10, 64)
		teamOpts = append(teamOpts, ui.Option{Value: o.Value, Label: o.Label, Selected: slices.Contains(a.TeamIDs, id)})
	}
	fields := []ui.Field{
		{Name: "title", Label: "Title", Value: a.Title, Required: true, Placeholder: "Internal audit of change and release management"},
		{Name: "programme_id", Label: "Programme", Type: "select", Options: progOpts},
		{Name: "origin", Label: "Origin", Type: "radios", Value: a.Origin, Options: choices(assurance.Origins, a.Origin), Help: "Internal: run by the organisation. External: by the certification body."},
		{Name: "type", Label: "Type", Type: "select", Value: a.Type, Options: choices(assurance.AuditTypes, a.Type), Help: "An internal audit is of type internal; the certification body's audits have theirs."},
		bodyField,
		{Name: "consultant", Label: "Consultant", Value: a.Consultant, Help: "Who runs a pre-audit when it is not a certification body."},
		{Name: "requirement_ids", Label: "Requirements in scope", Value: scope, Placeholder: "4, 5, 8.5",
			Help: "Clause numbers of ISO/IEC 20000-1:2018, separated by commas; each covers the clauses under it. The checklist has a line for each."},
		{Name: "process_ids", Label: "Processes in scope", Type: "checkboxes", Options: procOpts},
		{Name: "service_ids", Label: "Services in scope", Type: "checkboxes", Options: svcOpts},
		{Name: "criteria", Label: "Criteria", Type: "textarea", Rows: 2, Value: a.Criteria, Help: "What the audit judges against: the standard, policies, procedures, contracts."},
		{Name: "planned_start", Label: "Planned start", Type: "date", Value: a.PlannedStart, Required: true},
		{Name: "planned_end", Label: "Planned end", Type: "date", Value: a.PlannedEnd, Required: true},
		{Name: "actual_start", Label: "Held from", Type: "date", Value: a.ActualStart, Help: "Filled in when the audit starts."},
		{Name: "actual_end", Label: "Held until", Type: "date", Value: a.ActualEnd, Help: "Filled in when the audit is completed."},
		leadField,
		{Name: "team_ids", Label: "Audit team", Type: "checkboxes", Options: teamOpts},
	}
	if !fc.Creating {
		fields = append(fields,
			ui.Field{Name: "state", Label: "State", Type: "select", Value: a.State, Options: choices(slices.DeleteFunc(slices.Clone(assurance.AuditStates), func(c assurance.Code) bool {
				return c.Code == "report_issued"
			}), a.State)},
			ui.Field{Name: "summary", Label: "Summary", Type: "textarea", Rows: 4, Value: a.Summary, Help: "The report's summary: how the audit went and what it found overall."},
			ui.Field{Name: "conclusion", Label: "Conclusion", Type: "textarea", Rows: 3, Value: a.Conclusion, Help: "The report's conclusion: whether the SMS conforms and is effective in the scope audited."})
	}
	return fields, nil
}

// auditSections are an audit's independence warnings, its lifecycle,
// checklist, findings and report.
func auditSections(ctx context.Context, p *web.Pages, c *assuranceapp.Catalogue, rq *web.Request, a assurance.Audit) ([]web.Section, error) {
	actor := rq.Auth.Actor
	here := auditHref(a.ID)
	var out []web.Section
	conflicts, err := c.Conflicts(ctx, actor, a)
	if err != nil {
		return nil, err
	}
	if len(conflicts) > 0 {
		s := web.Section{Title: "Independence", Help: "An auditor should not audit their own work. These auditors own something in the audit's scope; the lead auditor may not."}
		for _, id := range a.Auditors() {
			if what := conflicts[id]; len(what) > 0 {
				s.Items = append(s.Items, ui.Item{Label: p.Ref(ctx, actor, account.UserKind.Entity, id).Text,
					Value: ui.Value{Text: strings.Join(what, ", "), Badges: []ui.Badge{{Text: "Owns something in scope", Tone: ui.Warning}}}})
			}
		}
		out = append(out, s)
	}
	lines, err := c.Checklist(ctx, actor, a.ID)
	if err != nil {
		return nil, err
	}
	answered := 0
	for _, l := range lines {
		if l.Result != "" {
			answered++
		}
	}
	work := web.Section{Title: "Checklist", Items: []ui.Item{{Label: "Lines answered", Value: ui.Value{Text: rq.T("%d of %d", answered, len(lines)),
		Progress: &ui.Progress{Value: answered, Max: max(len(lines), 1), Label: "Lines answered"}}}}}
	write := actor.Can(assurance.AuditKind.Write)
	if write && a.Working() {
		work.Actions = append(work.Actions, ui.Action{Label: "Work the checklist", Icon: "checklist", Style: ui.Primary, Href: here + "/checklist"})
	} else {
		work.Actions = append(work.Actions, ui.Action{Label: "Read the checklist", Icon: "checklist", Href: here + "/checklist"})
	}
	if write {
		move := func(label, icon, state string, style ui.Style) ui.Action {
			return ui.Action{Label: label, Icon: icon, Style: style, Post: here + "/state", CSRF: rq.Base.CSRF,
				Hidden: []ui.Hidden{{Name: "state", Value: state}, {Name: "version", Value: strconv.FormatInt(a.Version, 10)}}}
		}
		switch a.State {
		case "planned":
			work.Actions = append(work.Actions, move("Start the audit", "clock", "in_progress", ui.Secondary))
		case "in_progress":
			work.Actions = append(work.Actions, move("Complete the audit", "circle-check", "completed", ui.Secondary))
		}
	}
	out = append(out, work)
	fs, _, err := c.ListFindings(ctx, actor, store.FindingFilter{AuditID: a.ID, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	out = append(out, findingsSection(ctx, c, rq, a, fs))
	rep := web.Section{Title: "Report", Actions: []ui.Action{{Label: "The report", Icon: "file-text", Href: here + "/report"},
		{Label: "PDF", Icon: "file-type-pdf", Href: here + "/report.pdf", Name: rq.T("PDF: download the report of %s", a.Title)}}}
	if a.Issued() {
		rep.Items = []ui.Item{{Label: "Issued on", Value: dayValue(a.ReportOn)}, {Label: "SHA-256", Value: ui.Value{Text: a.ReportSHA256, Code: true}}}
	} else {
		rep.Items = []ui.Item{{Label: "State", Value: ui.Value{Text: "Draft: issued once the audit is completed"}}}
	}
	out = append(out, rep)
	if s, ok := evidencePackSection(rq, a); ok {
		out = append(out, s)
	}
	if s, ok, err := accessSection(ctx, p, c, rq, a); err != nil {
		return nil, err
	} else if ok {
		out = append(out, s)
	}
	return out, nil
}

// findingsSection is a table of an audit's findings, with the action to
// record one.
func findingsSection(ctx context.Context, c *assuranceapp.Catalogue, rq *web.Request, a assurance.Audit, fs []assurance.Finding) web.Section {
	reqs, _ := c.Requirements(ctx, rq.Auth.Actor)
	code := map[int64]string{}
	for _, r := range reqs {
		code[r.ID] = r.Code
	}
	t := &ui.Table{Caption: "Findings", Columns: []ui.Column{{Label: "Finding", Key: true}, {Label: "Clause", Sort: "text"}, {Label: "Type", Sort: "text"}},
		Empty: ui.Empty{Icon: "flag", Title: "No findings yet", Text: "Record findings from the checklist's lines, or here."}}
	for _, f := range fs {
		t.Rows = append(t.Rows, ui.Row{Href: findingHref(f.ID), Cells: []ui.Value{ui.Linked(assurance.FindingKind.Number(f.ID)+" "+firstLine(f.Statement), findingHref(f.ID)),
			ui.Text(code[f.RequirementID]), {Badges: []ui.Badge{findingBadge(f.Type)}}}})
	}
	s := web.Section{Title: "Findings", Table: t}
	if rq.Auth.Actor.Can(assurance.FindingKind.Write) && a.Working() {
		s.Actions = []ui.Action{{Label: "Record a finding", Icon: "plus", Href: fmt.Sprintf("/%s/new?audit_id=%d", assurance.FindingKind.Path(), a.ID)}}
	}
	return s
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 90 {
		return string(r[:89]) + "…"
	}
	return s
}

// moveAudit moves an audit's state (start, complete).
func (pg *pages) moveAudit(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	st := r.PostFormValue("state")
	if _, err := pg.c.UpdateAudit(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version"), assurance.AuditUpdate{State: &st}); err != nil {
		return err
	}
	http.Redirect(w, r, auditHref(id)+"?done=saved", http.StatusSeeOther)
	return nil
}

// registerAudits adds the pages of programmes, audits, checklists,
// reports and findings.
func registerAudits(pg *pages, mux guard.Registrar) {
	p, c := pg.p, pg.c
	pk, ak := assurance.ProgrammeKind, assurance.AuditKind
	programmePages(p, c).Register(p, mux)
	p.Handle(mux, "GET /"+pk.Path()+"/{id}/coverage", pk.Read, pg.coverage)
	p.Handle(mux, "POST /"+pk.Path()+"/{id}/generate", ak.Write, pg.generate)
	auditPages(p, c).Register(p, mux)
	p.Handle(mux, "POST /"+ak.Path()+"/{id}/state", ak.Write, pg.moveAudit)
	p.Handle(mux, "GET /"+ak.Path()+"/{id}/checklist", ak.Read, pg.checklist)
	p.Handle(mux, "POST /"+ak.Path()+"/{id}/checklist", assurance.ChecklistItemKind.Write, pg.saveLine)
	p.Handle(mux, "GET /"+assurance.ChecklistItemKind.Path()+"/{id}", assurance.ChecklistItemKind.Read, pg.checklistLine)
	p.Handle(mux, "POST /"+assurance.ChecklistItemKind.Path()+"/{id}", assurance.ChecklistItemKind.Write, pg.answerLine)
	p.Handle(mux, "GET /"+ak.Path()+"/{id}/report", ak.Read, pg.report)
	p.Handle(mux, "GET /"+ak.Path()+"/{id}/report.pdf", ak.Read, pg.reportPDF)
	p.Handle(mux, "GET /"+ak.Path()+"/{id}/evidence-pack.zip", ak.Read, pg.evidencePack)
	p.Handle(mux, "POST /"+ak.Path()+"/{id}/issue", ak.Write, pg.issue)
	findingPages(p, c).Register(p, mux)
	xk := assurance.AuditorAccessKind
	accessPages(p, c).Register(p, mux)
	p.Handle(mux, "POST /"+xk.Path()+"/{id}/revoke", xk.Write, pg.revokeAccess)
	p.Handle(mux, "GET /"+xk.Path()+"/{id}/views", xk.Read, pg.accessViews)
	registerShared(pg, mux)
}
