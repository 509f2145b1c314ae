package web

import (
	"fmt"
	"net/http"
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

func (p *Pages) orgNames(r *http.Request, actor access.Actor) (map[int64]string, []account.Organisation, error) {
	orgs, _, err := p.app.ListOrganisations(r.Context(), actor, store.OrganisationFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, nil, err
	}
	m := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		m[o.ID] = o.Name
	}
	return m, orgs, nil
}

func (p *Pages) usersList(w http.ResponseWriter, r *http.Request, rq *Request) error {
	q := r.URL.Query()
	actor := rq.Auth.Actor
	us, next, err := p.app.ListUsers(r.Context(), actor, store.UserFilter{Query: q.Get("q"), Role: access.Role(q.Get("role")), Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	names, _, err := p.orgNames(r, actor)
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
	Roles    []access.Role
	Error    string
	Fields   FieldErrors
	Creating bool
}

// renderUserForm shows the form to create or edit a user, with the
// organisations and roles to choose from.
func (p *Pages) renderUserForm(w http.ResponseWriter, r *http.Request, rq *Request, status int, f UserForm) error {
	_, orgs, err := p.orgNames(r, rq.Auth.Actor)
	if err != nil {
		return err
	}
	f.Base, f.Orgs, f.Roles = rq.Base, orgs, access.Roles
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
