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

// accessViewsShown is how many of an access's latest views its page shows.
const accessViewsShown = 10

func accessHref(id int64) string {
	return fmt.Sprintf("/%s/%d", assurance.AuditorAccessKind.Path(), id)
}

func accessBadge(g assurance.AuditorAccess, today string) ui.Badge {
	st := g.Status(today)
	tone := map[string]ui.Tone{"live": ui.Success, "expired": ui.Neutral, "revoked": ui.Danger}[st]
	return ui.Badge{Text: assurance.LabelOf(assurance.AccessStatuses, st), Tone: tone}
}

// accessPages are the external auditors' accesses' pages, reached from
// their audit's page.
func accessPages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.AuditorAccess, *assurance.AuditorAccess] {
	k := assurance.AuditorAccessKind
	return web.Resource[assurance.AuditorAccess, *assurance.AuditorAccess]{
		Kind:     k,
		Subtitle: "Which external auditors may read which audit, and until when. Each reads only the audit's scope, checklist, findings and evidence, and every page they open is recorded.",
		Empty: ui.Empty{Icon: "lock-open", Title: "No external auditor has access",
			Text: "Give the certification body's auditor access from the audit's page."},
		Columns: []web.Column[assurance.AuditorAccess]{
			{Column: ui.Column{Label: "Audit", Key: true, Sort: "text"}, Ref: assurance.AuditKind.Entity, RefID: func(g assurance.AuditorAccess) int64 { return g.AuditID }},
			{Column: ui.Column{Label: "External auditor", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(g assurance.AuditorAccess) int64 { return g.UserID }},
			{Column: ui.Column{Label: "Expires on", Sort: "time"}, Value: func(g assurance.AuditorAccess) ui.Value { return dayValue(g.ExpiresOn) }},
			{Column: ui.Column{Label: "Status", Sort: "text"}, Value: func(g assurance.AuditorAccess) ui.Value {
				return ui.Value{Badges: []ui.Badge{accessBadge(g, c.Today())}}
			}},
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.AuditorAccess, string, error) {
			audit, _ := strconv.ParseInt(q.Get("audit_id"), 10, 64)
			return c.ListAuditorAccesses(ctx, actor, store.AuditorAccessFilter{AuditID: audit, Cursor: cursor})
		},
		Get:    c.GetAuditorAccess,
		Name:   func(g assurance.AuditorAccess) string { return k.Number(g.ID) },
		Badges: func(g assurance.AuditorAccess) []ui.Badge { return []ui.Badge{accessBadge(g, c.Today())} },
		Crumbs: func(g assurance.AuditorAccess) []ui.Crumb {
			return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.AuditKind.Plural, Href: "/" + assurance.AuditKind.Path()},
				{Label: assurance.AuditKind.Number(g.AuditID), Href: auditHref(g.AuditID)}}
		},
		Details: func(ctx context.Context, rq *web.Request, g assurance.AuditorAccess) []ui.Item {
			actor := rq.Auth.Actor
			revoked := ui.Value{Empty: "No"}
			if g.RevokedAt != nil {
				revoked = ui.Value{Time: *g.RevokedAt}
			}
			return []ui.Item{
				{Label: "Audit", Value: p.Ref(ctx, actor, assurance.AuditKind.Entity, g.AuditID)},
				{Label: "External auditor", Value: p.Ref(ctx, actor, account.UserKind.Entity, g.UserID)},
				{Label: "Expires on", Help: "The last day the auditor may read the audit.", Value: dayValue(g.ExpiresOn)},
				{Label: "Revoked", Value: revoked},
				{Label: "Note", Value: ui.Value{Text: g.Note, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, g assurance.AuditorAccess) ([]web.Section, error) {
			vs, next, err := c.ListAuditorViews(ctx, rq.Auth.Actor, g.ID, "", accessViewsShown)
			if err != nil {
				return nil, err
			}
			s := web.Section{Title: "Pages viewed", Help: "Every page and file the auditor opened through this access, the latest first.", Table: viewsTable(vs)}
			if next != "" {
				s.Actions = []ui.Action{{Label: "Every page viewed", Icon: "list", Href: accessHref(g.ID) + "/views"}}
			}
			return []web.Section{s}, nil
		},
		More: func(rq *web.Request, g assurance.AuditorAccess) []ui.Action {
			if g.RevokedAt != nil || !rq.Auth.Actor.Can(k.Write) {
				return nil
			}
			return []ui.Action{{Label: "Revoke", Icon: "lock", Style: ui.Destructive, Post: accessHref(g.ID) + "/revoke", CSRF: rq.Base.CSRF,
				Hidden:  []ui.Hidden{{Name: "version", Value: strconv.FormatInt(g.Version, 10)}},
				Confirm: &ui.Confirm{Title: "Revoke this access?", Text: "The auditor is refused from their next page on. What they viewed stays on record.", Button: "Revoke"}}}
		},
		MayEdit: func(g assurance.AuditorAccess) bool { return g.RevokedAt == nil },
		Fields: func(fc web.FormContext, g assurance.AuditorAccess) ([]ui.Field, error) {
			if fc.Creating {
				g.AuditID, _ = strconv.ParseInt(fc.Query.Get("audit_id"), 10, 64)
				g.ExpiresOn = defaultExpiry(c.Today())
			}
			if fp := fc.Posted; fp != nil {
				g.AuditID, _ = strconv.ParseInt(fp.Get("audit_id"), 10, 64)
				g.UserID, _ = strconv.ParseInt(fp.Get("user_id"), 10, 64)
				g.ExpiresOn, g.Note = fp.Get("expires_on"), fp.Get("note")
			}
			var fields []ui.Field
			if fc.Creating {
				as, _, err := c.ListAudits(fc.Ctx, fc.Actor, store.AuditListFilter{Limit: store.MaxLimit})
				if err != nil {
					return nil, err
				}
				auditOpts := []ui.Option{{Value: "", Label: "Choose an audit", Selected: g.AuditID == 0}}
				for _, a := range as {
					auditOpts = append(auditOpts, ui.Option{Value: strconv.FormatInt(a.ID, 10), Label: assurance.AuditKind.Number(a.ID) + " " + a.Title, Selected: a.ID == g.AuditID})
				}
				active := true
				us, _, err := p.App().ListUsers(fc.Ctx, fc.Actor, store.UserFilter{Role: access.ExternalAuditor, Active: &active, Limit: store.MaxLimit})
				if err != nil {
					return nil, err
				}
				userOpts := []ui.Option{{Value: "", Label: "Choose an external auditor", Selected: g.UserID == 0}}
				for _, u := range us {
					userOpts = append(userOpts, ui.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " · " + u.Email, Selected: u.ID == g.UserID})
				}
				fields = append(fields,
					ui.Field{Name: "audit_id", Label: "Audit", Type: "select", Options: auditOpts, Required: true},
					ui.Field{Name: "user_id", Label: "External auditor", Type: "select", Options: userOpts, Required: true,
						Help: "Users whose role is external auditor. An administrator adds the certification body's auditor as one."})
			}
			return append(fields,
				ui.Field{Name: "expires_on", Label: "Expires on", Type: "date", Value: g.ExpiresOn, Required: true,
					Help: "The last day the auditor may read the audit: today at the earliest, a year ahead at the latest."},
				ui.Field{Name: "note", Label: "Note", Type: "textarea", Rows: 3, Value: g.Note, Help: "Why, or what was agreed with the certification body."},
			), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.AuditorAccess, error) {
			audit, _ := strconv.ParseInt(f.Get("audit_id"), 10, 64)
			user, _ := strconv.ParseInt(f.Get("user_id"), 10, 64)
			return c.CreateAuditorAccess(ctx, actor, assurance.AccessInput{AuditID: audit, UserID: user, ExpiresOn: f.Get("expires_on"), Note: f.Get("note")})
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.AuditorAccess, error) {
			exp, note := f.Get("expires_on"), f.Get("note")
			return c.UpdateAuditorAccess(ctx, actor, id, version, assurance.AccessUpdate{ExpiresOn: &exp, Note: &note})
		},
		Delete: c.DeleteAuditorAccess,
		DeleteText: func(assurance.AuditorAccess) string {
			return "Only an access never used can be deleted: one the auditor used stays on record with what they viewed, so revoke it instead."
		},
	}
}

// defaultExpiry is the expiry a new access proposes: a month ahead.
func defaultExpiry(today string) string {
	if d, err := assurance.ParseDay(today); err == nil {
		return d.AddDate(0, 1, 0).Format("2006-01-02")
	}
	return today
}

// viewsTable lists views, the latest first.
func viewsTable(vs []assurance.AuditorView) *ui.Table {
	t := &ui.Table{Caption: "Pages viewed", Columns: []ui.Column{{Label: "When", Key: true, Sort: "time"}, {Label: "What", Sort: "text"}, {Label: "Page"}, {Label: "By"}, {Label: "From"}},
		Empty: ui.Empty{Icon: "eye-off", Title: "Nothing viewed yet", Text: "The auditor has not opened the audit through this access."}}
	for _, v := range vs {
		t.Rows = append(t.Rows, ui.Row{Cells: []ui.Value{{Time: v.At}, ui.Text(v.What), {Text: v.Path, Code: true}, ui.Text(v.UserName), {Text: v.RemoteAddr, Code: v.RemoteAddr != ""}}})
	}
	return t
}

// accessViews is the page of every view through an access, a page at a
// time.
func (pg *pages) accessViews(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	g, err := pg.c.GetAuditorAccess(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	cursor := r.URL.Query().Get("cursor")
	vs, next, err := pg.c.ListAuditorViews(r.Context(), rq.Auth.Actor, id, cursor, 0)
	if err != nil {
		return err
	}
	t := viewsTable(vs)
	if next != "" {
		t.Pager.Next = accessHref(id) + "/views?cursor=" + url.QueryEscape(next)
	}
	if cursor != "" {
		t.Pager.First = accessHref(id) + "/views"
	}
	page := CertificationSectionsPage{Base: rq.Base, Sections: []web.Section{{Title: "Pages viewed", Table: t}}}
	page.Title = rq.T("Pages viewed through %s", assurance.AuditorAccessKind.Number(id))
	page.Subtitle = "Every page and file the external auditor opened through this access, the latest first."
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.AuditKind.Number(g.AuditID), Href: auditHref(g.AuditID)},
		{Label: assurance.AuditorAccessKind.Number(id), Href: accessHref(id)}}
	return pg.p.Render(w, r, http.StatusOK, "assurance/certification_sections", page)
}

// revokeAccess answers "Revoke" on an access's page.
func (pg *pages) revokeAccess(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if _, err := pg.c.RevokeAuditorAccess(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version")); err != nil {
		return err
	}
	http.Redirect(w, r, accessHref(id)+"?done=saved", http.StatusSeeOther)
	return nil
}

// accessSection is an audit's "External auditor access" section: its
// accesses and the button that gives one, for those who keep them.
func accessSection(ctx context.Context, p *web.Pages, c *assuranceapp.Catalogue, rq *web.Request, a assurance.Audit) (web.Section, bool, error) {
	actor := rq.Auth.Actor
	k := assurance.AuditorAccessKind
	if !actor.Can(k.Read) {
		return web.Section{}, false, nil
	}
	gs, _, err := c.ListAuditorAccesses(ctx, actor, store.AuditorAccessFilter{AuditID: a.ID, Limit: store.MaxLimit})
	if err != nil {
		return web.Section{}, false, err
	}
	today := c.Today()
	t := &ui.Table{Caption: "External auditor access", Columns: []ui.Column{{Label: "Access", Key: true}, {Label: "External auditor", Sort: "text"}, {Label: "Expires on", Sort: "time"}, {Label: "Status", Sort: "text"}},
		Empty: ui.Empty{Icon: "lock-open", Title: "No external auditor has access", Text: "Give the certification body's auditor read-only access to this audit's scope and evidence until a day you choose."}}
	for _, g := range gs {
		t.Rows = append(t.Rows, ui.Row{Href: accessHref(g.ID), Cells: []ui.Value{ui.Linked(k.Number(g.ID), accessHref(g.ID)),
			p.Ref(ctx, actor, account.UserKind.Entity, g.UserID), dayValue(g.ExpiresOn), {Badges: []ui.Badge{accessBadge(g, today)}}}})
	}
	s := web.Section{Title: "External auditor access", Help: "External auditors read this audit's scope, checklist, findings, the evidence of the requirements in scope and the documents it names, read-only, until their access expires. Every page they open is recorded.", Table: t}
	if actor.Can(k.Write) {
		s.Actions = []ui.Action{{Label: "Give an external auditor access", Icon: "plus", Href: fmt.Sprintf("/%s/new?audit_id=%d", k.Path(), a.ID)}}
	}
	return s, true, nil
}
