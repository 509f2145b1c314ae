package web

import (
	"fmt"
	"net/http"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/store"
)

// TeamsPage lists teams.
type TeamsPage struct {
	Base
	Teams    []account.Team
	Q        string
	Next     string
	CanWrite bool
}

func (p *Pages) teamsList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	ts, next, err := p.app.ListTeams(r.Context(), rq.auth.Actor, store.TeamFilter{Query: q.Get("q"), Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	page := TeamsPage{Base: rq.base, Teams: ts, Q: q.Get("q"), Next: next, CanWrite: rq.auth.Actor.Can(access.TeamsWrite)}
	page.Title = "Teams"
	return p.render(w, r, http.StatusOK, "teams", page)
}

// TeamPage shows one team.
type TeamPage struct {
	Base
	T        account.Team
	Members  []account.User
	History  []audit.Entry
	CanWrite bool
	Error    string
}

func (p *Pages) teamShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	return p.renderTeam(w, r, rq, http.StatusOK, "")
}

func (p *Pages) renderTeam(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.auth.Actor
	t, err := p.app.GetTeam(ctx, actor, id)
	if err != nil {
		return err
	}
	page := TeamPage{Base: rq.base, T: t, CanWrite: actor.Can(access.TeamsWrite), Error: msg}
	page.Title = t.Name
	if len(t.MemberIDs) > 0 {
		if page.Members, _, err = p.app.ListUsers(ctx, actor, store.UserFilter{TeamID: t.ID, Limit: store.MaxLimit}); err != nil {
			return err
		}
	}
	if page.History, err = p.recordHistory(ctx, actor, "team", t.ID); err != nil {
		return err
	}
	return p.render(w, r, status, "team", page)
}

// TeamForm creates or edits a team.
type TeamForm struct {
	Base
	ID          int64
	Version     int64
	Name        string
	Description string
	MemberIDs   []int64
	Users       []account.User
	Error       string
	Fields      FieldErrors
	Creating    bool
}

// renderTeamForm shows the form to create or edit a team, with the users
// to choose members from.
func (p *Pages) renderTeamForm(w http.ResponseWriter, r *http.Request, rq *request, status int, f TeamForm) error {
	users, _, err := p.app.ListUsers(r.Context(), rq.auth.Actor, store.UserFilter{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	f.Base, f.Users = rq.base, users
	if f.Fields == nil {
		f.Fields = FieldErrors{}
	}
	if f.Creating {
		f.Title = "New team"
	} else {
		f.Title = "Edit " + f.Name
	}
	return p.render(w, r, status, "team_form", f)
}

func (p *Pages) teamNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	return p.renderTeamForm(w, r, rq, http.StatusOK, TeamForm{Creating: true})
}

func (p *Pages) teamCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	in := account.TeamInput{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), MemberIDs: splitIDs(r.PostForm["member_ids"])}
	t, err := p.app.CreateTeam(r.Context(), rq.auth.Actor, in)
	return formDone(w, r, err, fmt.Sprintf("/teams/%d?done=created", t.ID), func(status int, msg string, fields FieldErrors) error {
		return p.renderTeamForm(w, r, rq, status, TeamForm{Creating: true, Name: in.Name, Description: in.Description, MemberIDs: in.MemberIDs, Error: msg, Fields: fields})
	})
}

func (p *Pages) teamEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := p.app.GetTeam(r.Context(), rq.auth.Actor, id)
	if err != nil {
		return err
	}
	return p.renderTeamForm(w, r, rq, http.StatusOK, TeamForm{ID: t.ID, Version: t.Version, Name: t.Name, Description: t.Description, MemberIDs: t.MemberIDs})
}

func (p *Pages) teamUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, desc, members := r.PostFormValue("name"), r.PostFormValue("description"), splitIDs(r.PostForm["member_ids"])
	if members == nil {
		members = []int64{}
	}
	_, err = p.app.UpdateTeam(r.Context(), rq.auth.Actor, id, formInt(r, "version"), account.TeamUpdate{Name: &name, Description: &desc, MemberIDs: &members})
	return formDone(w, r, err, fmt.Sprintf("/teams/%d?done=saved", id), func(status int, msg string, fields FieldErrors) error {
		return p.renderTeamForm(w, r, rq, status, TeamForm{ID: id, Version: formInt(r, "version"), Name: name, Description: desc, MemberIDs: members, Error: msg, Fields: fields})
	})
}

func (p *Pages) teamDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = p.app.DeleteTeam(r.Context(), rq.auth.Actor, id, formInt(r, "version"))
	return formDone(w, r, err, "/teams?done=deleted", func(status int, msg string, _ FieldErrors) error {
		return p.renderTeam(w, r, rq, status, msg)
	})
}
