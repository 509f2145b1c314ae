package web

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
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web/i18n"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// userPages are the users' pages, on the shared Resource; setting a
// password, deactivating and the organisation search have routes of
// their own (routes.go).
func (p *Pages) userPages() Resource[account.User, *account.User] {
	a := p.app
	return Resource[account.User, *account.User]{
		Kind:     account.UserKind,
		Subtitle: "People who sign in. A user's role decides what they may see and do; users of a customer organisation see only its records.",
		Empty: ui.Empty{Icon: "users", Title: "No users yet",
			Text: "Give each person the role that matches their part in the service management system."},
		Columns: []Column[account.User]{
			{Column: ui.Column{Label: "Name", Key: true, Sort: "text"}, Value: func(u account.User) ui.Value { return ui.Text(u.Name) }},
			{Column: ui.Column{Label: "Email", Sort: "text"}, Value: func(u account.User) ui.Value { return ui.Text(u.Email) }},
			{Column: ui.Column{Label: "Role", Sort: "text"}, Value: func(u account.User) ui.Value { return ui.Value{Badges: []ui.Badge{roleBadge(u.Role)}} }},
			{Column: ui.Column{Label: "Organisation", Sort: "text"}, Ref: account.OrganisationKind.Entity, RefID: func(u account.User) int64 { return u.OrgID }},
			{Column: ui.Column{Label: "Status", Sort: "text"}, Value: func(u account.User) ui.Value { return ui.Value{Badges: []ui.Badge{activeBadge(u.Active)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			roles := []struct{ Code, Label string }{{"", "Any role"}}
			for _, r := range access.Roles {
				roles = append(roles, struct{ Code, Label string }{string(r), r.Label()})
			}
			return []ui.Field{{Name: "role", Label: "Role", Type: "select", Value: q.Get("role"), Options: Options(roles, q.Get("role"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]account.User, string, error) {
			return a.ListUsers(ctx, actor, store.UserFilter{Query: q.Get("q"), Role: access.Role(q.Get("role")), Cursor: cursor})
		},
		Get:    a.GetUser,
		Name:   func(u account.User) string { return u.Name },
		Badges: func(u account.User) []ui.Badge { return []ui.Badge{roleBadge(u.Role), activeBadge(u.Active)} },
		Details: func(ctx context.Context, rq *Request, u account.User) []ui.Item {
			pw := ui.Text(rq.T("Set"))
			if !u.PasswordSet {
				pw = ui.Value{Text: rq.T("Not set"), Note: "This user cannot sign in until a password is set."}
			}
			status := ui.Value{Badges: []ui.Badge{activeBadge(u.Active)}}
			if !u.Active {
				status.Note = "Cannot sign in; their tokens do not work."
			}
			return []ui.Item{
				{Label: "Email", Value: ui.Text(u.Email)},
				{Label: "Role", Help: u.Role.Description(), Value: ui.Value{Badges: []ui.Badge{roleBadge(u.Role)}}},
				{Label: "Organisation", Value: p.Ref(ctx, rq.Auth.Actor, account.OrganisationKind.Entity, u.OrgID)},
				{Label: "Status", Value: status},
				{Label: "Password", Value: pw},
			}
		},
		Related: func(ctx context.Context, rq *Request, u account.User) ([]Section, error) {
			var out []Section
			if rq.Auth.Actor.Can(access.TeamsRead) {
				ts, _, err := a.ListTeams(ctx, rq.Auth.Actor, store.TeamFilter{MemberID: u.ID})
				if err != nil {
					return nil, err
				}
				s := Section{Title: "Teams", Table: &ui.Table{Caption: rq.T("Teams of %s", u.Name), Columns: []ui.Column{{Label: "Team", Key: true}, {Label: "Description"}},
					Empty: ui.Empty{Icon: "users-group", Title: "In no team", Text: "Add this user to a team from the team's page."}}}
				for _, t := range ts {
					href := fmt.Sprintf("/teams/%d", t.ID)
					s.Table.Rows = append(s.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(t.Name, href), ui.Text(t.Description)}})
				}
				out = append(out, s)
			}
			if rq.Auth.Actor.Can(access.UsersWrite) {
				out = append(out, Section{Title: "Set password", Form: setPasswordForm(rq, u.ID, "")})
			}
			return out, nil
		},
		Fields: func(fc FormContext, u account.User) ([]ui.Field, error) {
			role, org := string(u.Role), u.OrgID
			if fc.Creating && role == "" {
				role = string(access.Agent)
			}
			if fc.Posted != nil {
				org, _ = strconv.ParseInt(fc.Posted.Get("organisation_id"), 10, 64)
			}
			orgs, err := p.orgField(fc.Ctx, fc.L, fc.Actor, fc.Posted.Get("org_q"), org)
			if err != nil {
				return nil, err
			}
			var roles []ui.Option
			for _, r := range access.Roles {
				roles = append(roles, ui.Option{Value: string(r), Label: fc.L.T("%s: %s", fc.L.Lookup(r.Label()), fc.L.Lookup(r.Description())), Selected: string(r) == role})
			}
			fs := []ui.Field{
				{Name: "name", Label: "Name", Value: u.Name, Required: true, Autocomplete: "off"},
				{Name: "email", Label: "Email", Type: "email", Value: u.Email, Required: true, Autocomplete: "off"},
				{Name: "role", Label: "Role", Type: "select", Value: role, Options: roles,
					Help: "The role decides what the user may see and do. Users of customer organisations are requesters or external auditors."},
				orgs,
			}
			if fc.Creating {
				return append(fs, ui.Field{Name: "password", Label: "Password (optional)", Type: "password", Autocomplete: "new-password",
					Help: "At least 10 characters and hard to guess. Leave it empty to set it later; until then the user cannot sign in."}), nil
			}
			return append(fs, ui.Field{Name: "active", Label: "Active", Type: "checkbox", Value: "on", Checked: u.Active,
				Help: "A deactivated user cannot sign in and their tokens stop working; their records and history stay."}), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (account.User, error) {
			org, _ := strconv.ParseInt(f.Get("organisation_id"), 10, 64)
			return a.CreateUser(ctx, actor, account.UserInput{Email: f.Get("email"), Name: f.Get("name"), Role: access.Role(f.Get("role")), OrgID: org, Password: f.Get("password")})
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (account.User, error) {
			email, name, role := f.Get("email"), f.Get("name"), access.Role(f.Get("role"))
			org, _ := strconv.ParseInt(f.Get("organisation_id"), 10, 64)
			active := f.Get("active") == "on"
			return a.UpdateUser(ctx, actor, id, version, account.UserUpdate{Email: &email, Name: &name, Role: &role, OrgID: &org, Active: &active})
		},
		Delete:    a.DeleteUser,
		MayDelete: func(u account.User) bool { return true },
		DeleteText: func(u account.User) string {
			return "The user is removed with their API tokens, sessions and team memberships; their history stays in the audit trail. Deactivating is usually better: it keeps the account for the record."
		},
		More: func(rq *Request, u account.User) []ui.Action {
			var more []ui.Action
			if on, err := a.HasMFA(context.Background(), rq.Auth.Actor, u.ID); err == nil && on && u.ID != rq.Auth.Actor.UserID {
				more = append(more, ui.Action{Label: "Reset two-factor sign-in", Icon: "shield-lock", Style: ui.Destructive, Post: fmt.Sprintf("/users/%d/mfa-reset", u.ID), CSRF: rq.Base.CSRF,
					Confirm: &ui.Confirm{Title: rq.T("Reset %s's two-factor sign-in?", u.Name), Text: "For someone who lost both their phone and their recovery codes: their second factor and recovery codes go and they are signed out everywhere. If their role must use a second factor, they set a new one up when they next sign in.", Button: "Reset two-factor sign-in"}})
			}
			return append(more, p.activeAction(rq, u)...)
		},
	}
}

// activeAction is the user page's deactivate or activate action.
func (p *Pages) activeAction(rq *Request, u account.User) []ui.Action {
	version := []ui.Hidden{{Name: "version", Value: fmt.Sprint(u.Version)}}
	if u.Active {
		return []ui.Action{{Label: "Deactivate", Icon: "lock", Style: ui.Destructive, Post: fmt.Sprintf("/users/%d/deactivate", u.ID), CSRF: rq.Base.CSRF, Hidden: version,
			Confirm: &ui.Confirm{Title: rq.T("Deactivate %s?", u.Name), Text: "They are signed out everywhere, cannot sign in, and their API tokens stop working until the account is activated again.", Button: "Deactivate"}}}
	}
	return []ui.Action{{Label: "Activate", Icon: "check", Post: fmt.Sprintf("/users/%d/activate", u.ID), CSRF: rq.Base.CSRF, Hidden: version}}
}

// userMFAReset switches a user's second factor off, for an administrator.
func (p *Pages) userMFAReset(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	err = p.app.ResetMFA(r.Context(), rq.Auth.Actor, id)
	return FormDone(w, r, err, fmt.Sprintf("/users/%d?done=mfa-reset", id), func(status int, msg string, _ FieldErrors) error {
		return p.userPages().renderRecord(p, w, r, rq, status, msg)
	})
}

// Ref shows a record referred to by its name, linked to its page; nothing
// when the actor may not see it.
func (p *Pages) Ref(ctx context.Context, actor access.Actor, entity string, id int64) ui.Value {
	m, err := p.app.Names(ctx, actor, entity, []int64{id})
	if err != nil || m[id] == "" {
		return ui.Value{}
	}
	return ui.Linked(m[id], p.recordHref(entity, id))
}

// activeBadge tells active accounts from deactivated ones.
func activeBadge(active bool) ui.Badge {
	if active {
		return ui.Badge{Text: "Active", Tone: ui.Success}
	}
	return ui.Badge{Text: "Deactivated", Tone: ui.Danger}
}

// setPasswordForm is the administrator's form to set a user's password.
func setPasswordForm(rq *Request, id int64, msg string) *ui.Form {
	return &ui.Form{ID: "password-form", Action: fmt.Sprintf("/users/%d/password", id), CSRF: rq.Base.CSRF, Message: msg, Submit: "Set password",
		Fields: []ui.Field{{Name: "password", Label: "New password", Type: "password", Autocomplete: "new-password", Required: true,
			Help: "At least 10 characters and hard to guess. The user's open sessions end."}}}
}

// orgChoicesShown is how many organisations the user form offers at once;
// more are found by searching.
const orgChoicesShown = 50

// orgField is the user form's organisation picker: the organisations
// matching q, and always the one chosen, so that saving never moves a user
// to an organisation the form did not show.
func (p *Pages) orgField(ctx context.Context, loc *i18n.Locale, actor access.Actor, q string, chosen int64) (ui.Field, error) {
	orgs, next, err := p.app.ListOrganisations(ctx, actor, store.OrganisationFilter{Query: q, Limit: orgChoicesShown})
	if err != nil {
		return ui.Field{}, err
	}
	if chosen != 0 && !slices.ContainsFunc(orgs, func(o account.Organisation) bool { return o.ID == chosen }) {
		if o, err := p.app.GetOrganisation(ctx, actor, chosen); err == nil {
			orgs = append([]account.Organisation{o}, orgs...)
		}
	}
	f := ui.Field{Name: "organisation_id", Label: "Organisation", Type: "picker",
		Picker: &ui.Picker{Query: "org_q", Value: q, URL: "/users/organisation-options", Label: "Find an organisation", More: next != ""},
		Help:   "Type part of an organisation's name to narrow the list."}
	for _, o := range orgs {
		f.Options = append(f.Options, ui.Option{Value: fmt.Sprint(o.ID), Label: loc.T("%s (%s)", o.Name, loc.Lookup(orgBadge(o.Kind).Text)), Selected: o.ID == chosen})
	}
	return f, nil
}

// userOrgOptions answers the organisation search of the user form (htmx):
// the organisations matching org_q, and the one chosen.
func (p *Pages) userOrgOptions(w http.ResponseWriter, r *http.Request, rq *Request) error {
	f, err := p.orgField(r.Context(), rq.L, rq.Auth.Actor, r.FormValue("org_q"), FormInt(r, "organisation_id"))
	if err != nil {
		return err
	}
	return p.RenderFragment(w, r, http.StatusOK, "choices", ui.Choices{Options: f.Options, Query: f.Picker.Value, More: f.Picker.More})
}

func (p *Pages) userSetPassword(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	err = p.app.SetPassword(r.Context(), rq.Auth.Actor, id, r.PostFormValue("password"))
	return FormDone(w, r, err, fmt.Sprintf("/users/%d?done=password-set", id), func(status int, msg string, fields FieldErrors) error {
		return p.userPages().renderRecordWith(p, w, r, rq, status, "", func(ss []Section) {
			for i := range ss {
				if ss[i].Form != nil && ss[i].Form.ID == "password-form" {
					ss[i].Form.SetErrors(fields)
				}
			}
		})
	})
}

// userActive activates or deactivates a user, read at the posted version.
func (p *Pages) userActive(active bool) PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *Request) error {
		id, err := PathID(r)
		if err != nil {
			return err
		}
		_, err = p.app.UpdateUser(r.Context(), rq.Auth.Actor, id, FormInt(r, "version"), account.UserUpdate{Active: &active})
		return FormDone(w, r, err, fmt.Sprintf("/users/%d?done=saved", id), func(status int, msg string, _ FieldErrors) error {
			return p.userPages().renderRecord(p, w, r, rq, status, msg)
		})
	}
}

func splitIDs(vals []string) []int64 {
	var out []int64
	for _, v := range vals {
		var n int64
		if _, err := fmt.Sscan(strings.TrimSpace(v), &n); err == nil {
			out = append(out, n)
		}
	}
	return out
}
