package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// UsersPage lists users.
type UsersPage struct {
	Base
	Users    []account.User
	Orgs     map[int64]string
	Q        string
	Role     string
	Next     string
	CanWrite bool
	Roles    []access.Role
}

// orgNames names the organisations of the users listed, in one lookup.
func (p *Pages) orgNames(r *http.Request, actor access.Actor, us []account.User) (map[int64]string, error) {
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.OrgID
	}
	return p.app.Names(r.Context(), actor, account.OrganisationKind.Entity, ids)
}

// orgChoicesShown is how many organisations the user form offers at once;
// more are found by searching.
const orgChoicesShown = 50

// orgChoices are the organisations the user form offers: those matching
// q, and always the one chosen, so that saving never moves a user to an
// organisation the form did not show. more says that others match too.
func (p *Pages) orgChoices(r *http.Request, actor access.Actor, q string, chosen int64) (orgs []account.Organisation, more bool, err error) {
	orgs, next, err := p.app.ListOrganisations(r.Context(), actor, store.OrganisationFilter{Query: q, Limit: orgChoicesShown})
	if err != nil {
		return nil, false, err
	}
	if chosen != 0 && !slices.ContainsFunc(orgs, func(o account.Organisation) bool { return o.ID == chosen }) {
		if o, err := p.app.GetOrganisation(r.Context(), actor, chosen); err == nil {
			orgs = append([]account.Organisation{o}, orgs...)
		}
	}
	return orgs, next != "", nil
}

func (p *Pages) usersList(w http.ResponseWriter, r *http.Request, rq *Request) error {
	q := r.URL.Query()
	actor := rq.Auth.Actor
	us, next, err := p.app.ListUsers(r.Context(), actor, store.UserFilter{Query: q.Get("q"), Role: access.Role(q.Get("role")), Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	names, err := p.orgNames(r, actor, us)
	if err != nil {
		return err
	}
	page := UsersPage{Base: rq.Base, Users: us, Orgs: names, Q: q.Get("q"), Role: q.Get("role"), Next: next,
		CanWrite: actor.Can(access.UsersWrite), Roles: access.Roles}
	page.Title = "Users"
	return p.Render(w, r, http.StatusOK, "users", page)
}

// UserPage shows one user with their teams and history.
type UserPage struct {
	Base
	U        account.User
	OrgName  string
	Teams    []account.Team
	History  []HistoryEntry
	CanWrite bool
	Error    string
	Fields   FieldErrors
}

func (p *Pages) userShow(w http.ResponseWriter, r *http.Request, rq *Request) error {
	return p.renderUser(w, r, rq, http.StatusOK, "", nil)
}

func (p *Pages) renderUser(w http.ResponseWriter, r *http.Request, rq *Request, status int, msg string, fields FieldErrors) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	u, err := p.app.GetUser(ctx, actor, id)
	if err != nil {
		return err
	}
	if fields == nil {
		fields = FieldErrors{}
	}
	page := UserPage{Base: rq.Base, U: u, CanWrite: actor.Can(access.UsersWrite), Error: msg, Fields: fields}
	page.Title = u.Name
	if o, err := p.app.GetOrganisation(ctx, actor, u.OrgID); err == nil {
		page.OrgName = o.Name
	}
	if actor.Can(access.TeamsRead) {
		if page.Teams, _, err = p.app.ListTeams(ctx, actor, store.TeamFilter{MemberID: u.ID}); err != nil {
			return err
		}
	}
	if page.History, err = p.RecordHistory(ctx, actor, "user", u.ID); err != nil {
		return err
	}
	return p.Render(w, r, status, "user", page)
}

// UserForm creates or edits a user.
type UserForm struct {
	Base
	ID       int64
	Version  int64
	Email    string
	Name     string
	Role     string
	OrgID    int64
	Active   bool
	Orgs     []account.Organisation
	OrgQ     string // the search for an organisation
	MoreOrgs bool   // more organisations match than are offered
	Roles    []access.Role
	Error    string
	Fields   FieldErrors
	Creating bool
}

// renderUserForm shows the form to create or edit a user, with the
// organisations and roles to choose from.
func (p *Pages) renderUserForm(w http.ResponseWriter, r *http.Request, rq *Request, status int, f UserForm) error {
	if f.OrgQ == "" {
		f.OrgQ = r.FormValue("org_q")
	}
	orgs, more, err := p.orgChoices(r, rq.Auth.Actor, f.OrgQ, f.OrgID)
	if err != nil {
		return err
	}
	f.Base, f.Orgs, f.MoreOrgs, f.Roles = rq.Base, orgs, more, access.Roles
	if f.Fields == nil {
		f.Fields = FieldErrors{}
	}
	if f.Creating {
		f.Title = "New user"
	} else {
		f.Title = "Edit " + f.Name
	}
	return p.Render(w, r, status, "user_form", f)
}

func (p *Pages) userNew(w http.ResponseWriter, r *http.Request, rq *Request) error {
	return p.renderUserForm(w, r, rq, http.StatusOK, UserForm{Creating: true, Role: string(access.Agent), Active: true})
}

func (p *Pages) userCreate(w http.ResponseWriter, r *http.Request, rq *Request) error {
	in := account.UserInput{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: access.Role(r.PostFormValue("role")),
		OrgID: FormInt(r, "organisation_id"), Password: r.PostFormValue("password")}
	if r.PostFormValue("_action") == "find-organisation" {
		// Without JavaScript: show the form again with the organisations found, saving nothing.
		return p.renderUserForm(w, r, rq, http.StatusOK, UserForm{Creating: true, Email: in.Email, Name: in.Name, Role: string(in.Role), OrgID: in.OrgID, Active: true})
	}
	u, err := p.app.CreateUser(r.Context(), rq.Auth.Actor, in)
	return FormDone(w, r, err, fmt.Sprintf("/users/%d?done=created", u.ID), func(status int, msg string, fields FieldErrors) error {
		return p.renderUserForm(w, r, rq, status, UserForm{Creating: true, Email: in.Email, Name: in.Name, Role: string(in.Role), OrgID: in.OrgID, Active: true, Error: msg, Fields: fields})
	})
}

func (p *Pages) userEdit(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	u, err := p.app.GetUser(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	return p.renderUserForm(w, r, rq, http.StatusOK, UserForm{ID: u.ID, Version: u.Version, Email: u.Email, Name: u.Name, Role: string(u.Role), OrgID: u.OrgID, Active: u.Active})
}

func (p *Pages) userUpdate(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	email, name, role := r.PostFormValue("email"), r.PostFormValue("name"), access.Role(r.PostFormValue("role"))
	org, active := FormInt(r, "organisation_id"), r.PostFormValue("active") == "on"
	if r.PostFormValue("_action") == "find-organisation" {
		return p.renderUserForm(w, r, rq, http.StatusOK, UserForm{ID: id, Version: FormInt(r, "version"), Email: email, Name: name, Role: string(role), OrgID: org, Active: active})
	}
	up := account.UserUpdate{Email: &email, Name: &name, Role: &role, OrgID: &org, Active: &active}
	_, err = p.app.UpdateUser(r.Context(), rq.Auth.Actor, id, FormInt(r, "version"), up)
	return FormDone(w, r, err, fmt.Sprintf("/users/%d?done=saved", id), func(status int, msg string, fields FieldErrors) error {
		return p.renderUserForm(w, r, rq, status, UserForm{ID: id, Version: FormInt(r, "version"), Email: email, Name: name, Role: string(role), OrgID: org, Active: active, Error: msg, Fields: fields})
	})
}

func (p *Pages) userSetPassword(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	err = p.app.SetPassword(r.Context(), rq.Auth.Actor, id, r.PostFormValue("password"))
	return FormDone(w, r, err, fmt.Sprintf("/users/%d?done=saved", id), func(status int, msg string, fields FieldErrors) error {
		return p.renderUser(w, r, rq, status, msg, fields)
	})
}

func (p *Pages) userDelete(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	err = p.app.DeleteUser(r.Context(), rq.Auth.Actor, id, FormInt(r, "version"))
	return FormDone(w, r, err, "/users?done=deleted", func(status int, msg string, _ FieldErrors) error {
		return p.renderUser(w, r, rq, status, msg, nil)
	})
}

// userOrgOptions answers the organisation search of the user form (htmx):
// the organisations matching org_q, and the one chosen.
func (p *Pages) userOrgOptions(w http.ResponseWriter, r *http.Request, rq *Request) error {
	f := UserForm{OrgID: FormInt(r, "organisation_id"), OrgQ: r.FormValue("org_q")}
	return p.renderUserForm(w, r, rq, http.StatusOK, f)
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
