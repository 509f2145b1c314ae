package web

import (
	"fmt"
	"net/http"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// OrgsPage lists organisations.
type OrgsPage struct {
	Base
	Orgs     []account.Organisation
	Q        string
	Next     string
	CanWrite bool
}

func (p *Pages) orgsList(w http.ResponseWriter, r *http.Request, rq *Request) error {
	q := r.URL.Query()
	os, next, err := p.app.ListOrganisations(r.Context(), rq.Auth.Actor, store.OrganisationFilter{Query: q.Get("q"), Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	page := OrgsPage{Base: rq.Base, Orgs: os, Q: q.Get("q"), Next: next, CanWrite: rq.Auth.Actor.Can(access.OrgsWrite)}
	page.Title = "Organisations"
	return p.Render(w, r, http.StatusOK, "organisations", page)
}

// OrgPage shows one organisation with its users.
type OrgPage struct {
	Base
	O        account.Organisation
	Users    []account.User
	History  []HistoryEntry
	CanWrite bool
	Error    string
}

func (p *Pages) orgShow(w http.ResponseWriter, r *http.Request, rq *Request) error {
	return p.renderOrg(w, r, rq, http.StatusOK, "")
}

func (p *Pages) renderOrg(w http.ResponseWriter, r *http.Request, rq *Request, status int, msg string) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	o, err := p.app.GetOrganisation(ctx, actor, id)
	if err != nil {
		return err
	}
	page := OrgPage{Base: rq.Base, O: o, CanWrite: actor.Can(access.OrgsWrite), Error: msg}
	page.Title = o.Name
	if page.Users, _, err = p.app.ListUsers(ctx, actor, store.UserFilter{OrgID: o.ID, Limit: store.MaxLimit}); err != nil {
		return err
	}
	if page.History, err = p.RecordHistory(ctx, actor, "organisation", o.ID); err != nil {
		return err
	}
	return p.Render(w, r, status, "organisation", page)
}

// OrgForm creates or edits an organisation.
type OrgForm struct {
	Base
	ID          int64
	Version     int64
	Name        string
	Kind        string
	Description string
	Error       string
	Fields      FieldErrors
	Creating    bool
}

func (p *Pages) orgNew(w http.ResponseWriter, r *http.Request, rq *Request) error {
	f := OrgForm{Base: rq.Base, Creating: true, Kind: "customer", Fields: FieldErrors{}}
	f.Title = "New organisation"
	return p.Render(w, r, http.StatusOK, "organisation_form", f)
}

func (p *Pages) orgCreate(w http.ResponseWriter, r *http.Request, rq *Request) error {
	in := account.OrganisationInput{Name: r.PostFormValue("name"), Kind: account.OrgKind(r.PostFormValue("kind")), Description: r.PostFormValue("description")}
	o, err := p.app.CreateOrganisation(r.Context(), rq.Auth.Actor, in)
	return FormDone(w, r, err, fmt.Sprintf("/organisations/%d?done=created", o.ID), func(status int, msg string, fields FieldErrors) error {
		f := OrgForm{Base: rq.Base, Creating: true, Name: in.Name, Kind: string(in.Kind), Description: in.Description, Error: msg, Fields: fields}
		f.Title = "New organisation"
		return p.Render(w, r, status, "organisation_form", f)
	})
}

func (p *Pages) orgEdit(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	o, err := p.app.GetOrganisation(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	f := OrgForm{Base: rq.Base, ID: o.ID, Version: o.Version, Name: o.Name, Kind: string(o.Kind), Description: o.Description, Fields: FieldErrors{}}
	f.Title = "Edit " + o.Name
	return p.Render(w, r, http.StatusOK, "organisation_form", f)
}

func (p *Pages) orgUpdate(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	name, desc := r.PostFormValue("name"), r.PostFormValue("description")
	_, err = p.app.UpdateOrganisation(r.Context(), rq.Auth.Actor, id, FormInt(r, "version"), account.OrganisationUpdate{Name: &name, Description: &desc})
	return FormDone(w, r, err, fmt.Sprintf("/organisations/%d?done=saved", id), func(status int, msg string, fields FieldErrors) error {
		f := OrgForm{Base: rq.Base, ID: id, Version: FormInt(r, "version"), Name: name, Kind: r.PostFormValue("kind"), Description: desc, Error: msg, Fields: fields}
		f.Title = "Edit organisation"
		return p.Render(w, r, status, "organisation_form", f)
	})
}

func (p *Pages) orgDelete(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	err = p.app.DeleteOrganisation(r.Context(), rq.Auth.Actor, id, FormInt(r, "version"))
	return FormDone(w, r, err, "/organisations?done=deleted", func(status int, msg string, _ FieldErrors) error {
		return p.renderOrg(w, r, rq, status, msg)
	})
}
