package web

import (
	"net/http"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store"
)

// HomePage greets the user and, while the installation is new, says what to
// set up next.
type HomePage struct {
	Base
	Steps     []Step
	StepsDone int
	Cards     []Card
	// Sections are the areas' cards for the reader (see Area.Home).
	Sections []Section
}

// Step is one thing to set up, done or not.
type Step struct {
	Label string
	Href  string
	Done  bool
	Help  string
}

// Card links to an area the user may use.
type Card struct {
	Title, Href, Text, Icon string
}

func (p *Pages) home(w http.ResponseWriter, r *http.Request, rq *Request) error {
	ctx, actor := r.Context(), rq.Auth.Actor
	page := HomePage{Base: rq.Base}
	page.Title = rq.T("Welcome, %s", actor.Name)
	page.Subtitle = rq.T("You are signed in as %s. Press / to jump to any record by name.", rq.L.Lookup(actor.Role.Label()))
	if actor.Can(access.UsersWrite) {
		orgs, _, err := p.app.ListOrganisations(ctx, actor, store.OrganisationFilter{Kind: "customer", Limit: 1})
		if err != nil {
			return err
		}
		users, _, err := p.app.ListUsers(ctx, actor, store.UserFilter{Limit: 2})
		if err != nil {
			return err
		}
		teams, _, err := p.app.ListTeams(ctx, actor, store.TeamFilter{Limit: 1})
		if err != nil {
			return err
		}
		tokens, _, err := p.app.ListTokens(ctx, actor, store.TokenFilter{Limit: 1})
		if err != nil {
			return err
		}
		page.Steps = []Step{
			{Label: "Add the customers you serve", Href: "/organisations/new", Done: len(orgs) > 0, Help: "Each customer organisation gets its own requesters, who see only their organisation's records."},
			{Label: "Invite your colleagues", Href: "/users/new", Done: len(users) > 1, Help: "Give each person the role that matches what they do in the service management system."},
			{Label: "Form teams", Href: "/teams/new", Done: len(teams) > 0, Help: "Teams are the groups that work queues and own processes, such as the service desk."},
			{Label: "Create an API token for automation", Href: "/tokens", Done: len(tokens) > 0, Help: "Scripts and integrations use tokens; each acts with its user's role."},
		}
	}
	for _, s := range page.Steps {
		if s.Done {
			page.StepsDone++
		}
	}
	for _, n := range p.nav {
		if n.summary != "" && actor.Can(n.perm) {
			page.Cards = append(page.Cards, Card{Title: n.label, Href: n.href, Text: n.summary, Icon: n.icon})
		}
	}
	for _, a := range p.areas {
		if a.Home == nil {
			continue
		}
		ss, err := a.Home(ctx, rq)
		if err != nil {
			return err
		}
		page.Sections = append(page.Sections, ss...)
	}
	return p.Render(w, r, http.StatusOK, "home", page)
}
