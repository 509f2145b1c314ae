package sms

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// spareExclusions are the empty rows a scope's form offers for new
// exclusions.
const spareExclusions = 2

func scopeHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.ScopeKind.Path(), id) }

// scopePages are the scope statement's pages: its revisions, the one in
// force above them, and approving a draft.
func scopePages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Scope, *sms.Scope] {
	k := sms.ScopeKind
	help := func(field string) string { f, _ := k.Field(field); return f.Help }
	return web.Resource[sms.Scope, *sms.Scope]{
		Kind:     k,
		Subtitle: "What the SMS covers: the services, where they are delivered from, by whom, where it meets other parties, and what is left out. Each revision is written as a draft and approved; an approved revision no longer changes.",
		Empty: ui.Empty{Icon: "file-text", Title: "No scope written yet",
			Text: "Write the first revision of the scope: name the services the SMS covers, then have it approved."},
		Columns: []web.Column[sms.Scope]{
			{Column: ui.Column{Label: "Revision", Key: true, Sort: "number"}, Value: func(s sms.Scope) ui.Value { return ui.Text(strconv.FormatInt(s.Revision, 10)) }},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(s sms.Scope) ui.Value { return ui.Value{Badges: scopeBadges(s)} }},
			{Column: ui.Column{Label: "Services", Numeric: true, Sort: "number"}, Value: func(s sms.Scope) ui.Value { return ui.Text(strconv.Itoa(len(s.ServiceIDs))) }},
			{Column: ui.Column{Label: "Exclusions", Numeric: true, Sort: "number"}, Value: func(s sms.Scope) ui.Value { return ui.Text(strconv.Itoa(len(s.Exclusions))) }},
			{Column: ui.Column{Label: "Approved by", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(s sms.Scope) int64 { return s.ApprovedBy }},
			{Column: ui.Column{Label: "Approved at", Sort: "time"}, Value: approvedAt},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "state", Label: "State", Type: "select",
				Options: choices(append([]sms.Code{{Code: "", Label: "Any state"}}, sms.ScopeStates...), q.Get("state"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Scope, string, error) {
			return c.ListScopes(ctx, actor, store.ScopeFilter{Query: q.Get("q"), State: q.Get("state"), Cursor: cursor})
		},
		Lead: func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
			return scopeInForce(ctx, p, c, rq)
		},
		Get:       c.GetScope,
		Name:      sms.Scope.Title,
		Title:     func(rq *web.Request, s sms.Scope) string { return rq.T("Scope, revision %d", s.Revision) },
		Badges:    scopeBadges,
		MayEdit:   sms.Scope.Editable,
		MayDelete: sms.Scope.Editable,
		DeleteText: func(sms.Scope) string {
			return "The draft is thrown away; its history stays in the audit trail. The revision in force is not touched."
		},
		Details: func(ctx context.Context, rq *web.Request, s sms.Scope) []ui.Item {
			return scopeItems(ctx, p, rq, s, help)
		},
		Related: func(ctx context.Context, rq *web.Request, s sms.Scope) ([]web.Section, error) {
			return scopeRelated(ctx, c, rq, s)
		},
		More: func(rq *web.Request, s sms.Scope) []ui.Action {
			if s.Editable() {
				return nil
			}
			return []ui.Action{{Label: "Start the next revision", Icon: "copy", Href: "/" + k.Path() + "/new"}}
		},
		Fields: func(fc web.FormContext, s sms.Scope) ([]ui.Field, error) {
			if !fc.Creating && !s.Editable() {
				return nil, errs.E(errs.Conflict, "revision %d is %s and no longer changes: start a new revision to change the scope", s.Revision, s.State)
			}
			if fc.Creating && fc.Posted == nil {
				// The next revision starts from the one in force.
				cur, ok, err := c.CurrentScope(fc.Ctx, fc.Actor)
				if err != nil {
					return nil, err
				}
				if ok {
					s = cur
				}
			}
			return scopeFields(fc, c, s, help)
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Scope, error) {
			return c.CreateScope(ctx, actor, scopeInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Scope, error) {
			in := scopeInput(f)
			return c.UpdateScope(ctx, actor, id, version, sms.ScopeUpdate{Statement: &in.Statement, Locations: &in.Locations, Units: &in.Units,
				Interfaces: &in.Interfaces, ServiceIDs: &in.ServiceIDs, Exclusions: &in.Exclusions})
		},
		Delete: c.DeleteScope,
	}
}

// scopeBadges are a revision's state, and "In force" for the approved one.
func scopeBadges(s sms.Scope) []ui.Badge {
	switch s.State {
	case "draft":
		return []ui.Badge{{Text: "Draft", Tone: ui.Info}}
	case "approved":
		return []ui.Badge{{Text: "Approved", Tone: ui.Success}, {Text: "In force", Tone: ui.Accent}}
	}
	return []ui.Badge{{Text: label(sms.ScopeStates, s.State), Tone: ui.Neutral}}
}

func approvedAt(s sms.Scope) ui.Value {
	if s.ApprovedAt == nil {
		return ui.Value{Empty: "Not approved"}
	}
	return ui.At(*s.ApprovedAt)
}

// exclusionsValue shows exclusions, each with its justification.
func exclusionsValue(ex []sms.Exclusion) ui.Value {
	if len(ex) == 0 {
		return ui.Value{Empty: "None"}
	}
	lines := make([]string, len(ex))
	for i, e := range ex {
		lines[i] = e.Subject + " — " + e.Justification
	}
	return ui.Value{Text: strings.Join(lines, "\n"), Long: true}
}

func longOr(s, none string) ui.Value {
	if s == "" {
		return ui.Value{Empty: none}
	}
	return ui.Value{Text: s, Long: true}
}

// scopeItems are what a revision says, each field with its help.
func scopeItems(ctx context.Context, p *web.Pages, rq *web.Request, s sms.Scope, help func(string) string) []ui.Item {
	items := []ui.Item{
		{Label: "Statement", Help: help("statement"), Value: longOr(s.Statement, "Not written yet")},
		{Label: "Services in scope", Value: refKindList(ctx, p, rq.Auth.Actor, sms.ServiceKind, s.ServiceIDs, "None named yet")},
		{Label: "Locations", Help: help("locations"), Value: longOr(s.Locations, "None named")},
		{Label: "Organisational units", Help: help("units"), Value: longOr(s.Units, "None named")},
		{Label: "Interfaces with other parties", Help: help("interfaces"), Value: longOr(s.Interfaces, "None named")},
		{Label: "Exclusions", Help: help("exclusions"), Value: exclusionsValue(s.Exclusions)},
	}
	if s.ApprovedAt != nil {
		items = append(items, ui.Item{Label: "Approved by", Value: p.Ref(ctx, rq.Auth.Actor, account.UserKind.Entity, s.ApprovedBy)},
			ui.Item{Label: "Approved at", Value: approvedAt(s)})
	}
	return items
}

// scopeInForce is the card above the revisions: the approved scope, whole,
// or what to do when there is none.
func scopeInForce(ctx context.Context, p *web.Pages, c *smsapp.Catalogue, rq *web.Request) ([]web.Section, error) {
	actor := rq.Auth.Actor
	cur, ok, err := c.CurrentScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	draft, hasDraft, err := c.DraftScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	sec := web.Section{Title: "Scope in force"}
	switch {
	case hasDraft && actor.Can(sms.ScopeKind.Read):
		sec.Actions = append(sec.Actions, ui.Action{Label: rq.T("Draft: revision %d", draft.Revision), Icon: "pencil", Href: scopeHref(draft.ID)})
	case ok && actor.Can(sms.ScopeKind.Write):
		sec.Actions = append(sec.Actions, ui.Action{Label: "Start the next revision", Icon: "copy", Href: "/" + sms.ScopeKind.Path() + "/new"})
	}
	if !ok {
		sec.Empty = &ui.Empty{Icon: "file-text", Title: "No approved scope yet",
			Text: "Until a revision of the scope is approved, the SMS has no agreed boundary: write a draft naming the services it covers, and have it approved."}
		return []web.Section{sec}, nil
	}
	sec.Help = rq.T("Revision %d, approved: what the SMS covers today.", cur.Revision)
	sec.Items = scopeItems(ctx, p, rq, cur, func(string) string { return "" })
	sec.Actions = append([]ui.Action{{Label: "Open this revision", Href: scopeHref(cur.ID)}}, sec.Actions...)
	return []web.Section{sec}, nil
}

// scopeRelated is a draft's approval card, or for a superseded revision
// where the scope in force is.
func scopeRelated(ctx context.Context, c *smsapp.Catalogue, rq *web.Request, s sms.Scope) ([]web.Section, error) {
	actor := rq.Auth.Actor
	switch s.State {
	case "draft":
		sec := web.Section{Title: "Approval",
			Help: "Approving makes this revision the scope in force: it no longer changes, and the revision approved before it is superseded."}
		ready := s.ReadyToApprove()
		if e := errs.As(ready); e != nil {
			for _, f := range e.Fields {
				fd, _ := sms.ScopeKind.Field(f.Field)
				sec.Items = append(sec.Items, ui.Item{Label: fd.Label, Value: ui.Badged(f.Reason, ui.Warning)})
			}
		}
		switch {
		case ready != nil:
		case actor.Can(access.ScopesApprove):
			label := rq.T("Approve revision %d", s.Revision)
			sec.Actions = []ui.Action{{Label: label, Icon: "check", Style: ui.Primary, Post: scopeHref(s.ID) + "/approve", CSRF: rq.Base.CSRF,
				Hidden: []ui.Hidden{{Name: "version", Value: strconv.FormatInt(s.Version, 10)}},
				Confirm: &ui.Confirm{Title: rq.T("Approve revision %d of the scope?", s.Revision),
					Text: "It becomes the scope in force and can no longer change; the revision in force now is superseded.", Button: label}}}
		default:
			sec.Items = append(sec.Items, ui.Item{Label: "Ready", Value: ui.Text(rq.L.Lookup("Ready for approval by an SMS manager or top management."))})
		}
		return []web.Section{sec}, nil
	case "superseded":
		cur, ok, err := c.CurrentScope(ctx, actor)
		if err != nil || !ok {
			return nil, err
		}
		return []web.Section{{Title: "Superseded", Help: "This revision is kept as the record of what the SMS covered until it was replaced.",
			Actions: []ui.Action{{Label: rq.T("Open the scope in force (revision %d)", cur.Revision), Href: scopeHref(cur.ID)}}}}, nil
	}
	return nil, nil
}

// scopeFields are a revision's form: the statement, the services to tick,
// the lists, and a row per exclusion with spare rows for new ones.
func scopeFields(fc web.FormContext, c *smsapp.Catalogue, s sms.Scope, help func(string) string) ([]ui.Field, error) {
	svcs, _, err := c.ListServices(fc.Ctx, fc.Actor, store.ServiceFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var opts []ui.Option
	for _, v := range svcs {
		chosen := slices.Contains(s.ServiceIDs, v.ID)
		if v.Status == "retired" && !chosen {
			continue
		}
		label := v.Name
		if v.Status != "live" {
			label += " (" + fc.L.Lookup(serviceBadge(v.Status).Text) + ")"
		}
		opts = append(opts, ui.Option{Value: strconv.FormatInt(v.ID, 10), Label: label, Selected: chosen})
	}
	fields := []ui.Field{
		{Name: "statement", Label: "Statement", Type: "textarea", Rows: 4, Value: s.Statement, Required: true, Help: help("statement")},
		{Name: "service_ids", Label: "Services in scope", Type: "checkboxes", Options: opts,
			Help: "Tick each service the SMS covers. Add services first on the services page."},
		{Name: "locations", Label: "Locations", Type: "textarea", Rows: 4, Value: s.Locations, Help: help("locations")},
		{Name: "units", Label: "Organisational units", Type: "textarea", Rows: 5, Value: s.Units, Help: help("units")},
		{Name: "interfaces", Label: "Interfaces with other parties", Type: "textarea", Rows: 5, Value: s.Interfaces, Help: help("interfaces")},
	}
	rows := len(s.Exclusions) + spareExclusions
	if fc.Posted != nil {
		rows = max(rows, postedRows(fc.Posted))
	}
	rows = min(rows, sms.MaxExclusions)
	for i := range rows {
		var e sms.Exclusion
		if i < len(s.Exclusions) {
			e = s.Exclusions[i]
		}
		subject := ui.Field{Name: fmt.Sprintf("exclusions[%d].subject", i), Label: fc.L.T("Exclusion %d", i+1), Value: e.Subject}
		if i == 0 {
			subject.Help = "A service, location or part of the organisation left out of the scope. " + sms.NoClauseExclusions
		}
		fields = append(fields, subject, ui.Field{Name: fmt.Sprintf("exclusions[%d].justification", i), Label: fc.L.T("Justification of exclusion %d", i+1),
			Type: "textarea", Rows: 2, Value: e.Justification, Help: justificationHelp(i)})
	}
	return fields, nil
}

func justificationHelp(i int) string {
	if i == 0 {
		return "Why it is left out: required for every exclusion."
	}
	return ""
}

// postedRows counts the exclusion rows a posted form held.
func postedRows(f url.Values) int {
	n := 0
	for n < sms.MaxExclusions {
		if _, ok := f[fmt.Sprintf("exclusions[%d].subject", n)]; !ok {
			break
		}
		n++
	}
	return n
}

// scopeInput reads a revision's form: the exclusion rows up to the last
// one filled in (the spare rows left empty are not exclusions).
func scopeInput(f url.Values) sms.ScopeInput {
	in := sms.ScopeInput{Statement: f.Get("statement"), Locations: f.Get("locations"), Units: f.Get("units"), Interfaces: f.Get("interfaces"),
		ServiceIDs: idList(f["service_ids"])}
	for i := range postedRows(f) {
		in.Exclusions = append(in.Exclusions, sms.Exclusion{Subject: f.Get(fmt.Sprintf("exclusions[%d].subject", i)),
			Justification: f.Get(fmt.Sprintf("exclusions[%d].justification", i))})
	}
	for len(in.Exclusions) > 0 {
		last := in.Exclusions[len(in.Exclusions)-1]
		if strings.TrimSpace(last.Subject) != "" || strings.TrimSpace(last.Justification) != "" {
			break
		}
		in.Exclusions = in.Exclusions[:len(in.Exclusions)-1]
	}
	return in
}

// approveScope answers a draft's "Approve": the revision's page, now in
// force, or the reason it was refused.
func approveScope(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		_, err = c.ApproveScope(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version"))
		if err != nil {
			return err
		}
		http.Redirect(w, r, scopeHref(id)+"?done=approved", http.StatusSeeOther)
		return nil
	}
}
