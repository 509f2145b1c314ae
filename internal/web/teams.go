package web

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// teamPages are the teams' list, page and delete, on the shared
// Resource; the form, with its member search, has handlers of its own.
func (p *Pages) teamPages() Resource[account.Team, *account.Team] {
	a := p.app
	return Resource[account.Team, *account.Team]{
		Kind:     account.TeamKind,
		Subtitle: "Teams are the groups that work a queue or own a process, such as the service desk or change management.",
		Empty: ui.Empty{Icon: "users-group", Title: "No teams yet",
			Text: "Create a team for each group that works a queue or owns a process, such as the service desk."},
		Columns: []Column[account.Team]{
			{Column: ui.Column{Label: "Name", Key: true, Sort: "text"}, Value: func(t account.Team) ui.Value { return ui.Text(t.Name) }},
			{Column: ui.Column{Label: "Description"}, Value: func(t account.Team) ui.Value { return ui.Text(t.Description) }},
			{Column: ui.Column{Label: "Members", Sort: "number", Numeric: true}, Value: func(t account.Team) ui.Value { return ui.Text(fmt.Sprint(len(t.MemberIDs))) }},
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]account.Team, string, error) {
			return a.ListTeams(ctx, actor, store.TeamFilter{Query: q.Get("q"), Cursor: cursor})
		},
		Get:  a.GetTeam,
		Name: func(t account.Team) string { return t.Name },
		Details: func(_ context.Context, _ *Request, t account.Team) []ui.Item {
			return []ui.Item{{Label: "Description", Value: ui.Value{Text: t.Description, Long: true}}}
		},
		Related: func(ctx context.Context, rq *Request, t account.Team) ([]Section, error) {
			s := Section{Title: "Members", Table: &ui.Table{ID: "members", Caption: rq.T("Members of %s", t.Name),
				Columns: []ui.Column{{Label: "Name", Key: true, Sort: "text"}, {Label: "Email"}, {Label: "Role"}, {Label: "Status"}},
				Empty:   ui.Empty{Icon: "users", Title: "No members yet", Text: "Add the people who work in this team."}}}
			if rq.Auth.Actor.Can(access.TeamsWrite) {
				s.Table.Empty.Action = &ui.Action{Label: "Add members", Icon: "plus", Href: fmt.Sprintf("/teams/%d/edit", t.ID)}
			}
			if len(t.MemberIDs) > 0 {
				members, err := p.teamMembers(ctx, rq.Auth.Actor, t.ID)
				if err != nil {
					return nil, err
				}
				for _, u := range members {
					href := fmt.Sprintf("/users/%d", u.ID)
					s.Table.Rows = append(s.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(u.Name, href), ui.Text(u.Email),
						{Badges: []ui.Badge{roleBadge(u.Role)}}, {Badges: []ui.Badge{activeBadge(u.Active)}}}})
				}
			}
			return []Section{s}, nil
		},
		Delete: a.DeleteTeam,
		DeleteText: func(account.Team) string {
			return "The team's members keep their accounts; the team's history stays in the audit trail."
		},
	}
}

// TeamForm creates or edits a team. Members are not chosen from a list of
// every user but found with a search, so the form works for any number of
// users; every user the form lists is posted back in listed_member_ids,
// and saving changes only what the form listed.
type TeamForm struct {
	Base
	ID          int64
	Version     int64
	Name        string
	Description string
	// Members lists the team's members, ticked, and the users ticked on
	// the form; a member left unticked leaves the team on saving.
	Members []MemberChoice
	// MemberQ searches users to add; Matches are those found that
	// Members does not list yet.
	MemberQ     string
	Matches     []account.User
	MoreMatches bool // more users match than are shown
	AllListed   bool // users match, but Members lists them all
	Error       string
	Fields      FieldErrors
	Creating    bool
}

// MemberChoice is a user listed on the team form as a member.
type MemberChoice struct {
	account.User
	Ticked bool
}

// memberSearchLimit caps the users a member search shows.
const memberSearchLimit = 20

// maxMembers is the most members a team may have (account checks it).
const maxMembers = 1000

// renderTeamForm shows the form to create or edit a team.
func (p *Pages) renderTeamForm(w http.ResponseWriter, r *http.Request, rq *Request, status int, f TeamForm) error {
	f.Base = rq.Base
	if f.Fields == nil {
		f.Fields = FieldErrors{}
	}
	f.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: "Teams", Href: "/teams"}}
	if f.Creating {
		f.Title = "New team"
	} else {
		f.Title = rq.T("Edit %s", f.Name)
		f.Crumbs = append(f.Crumbs, ui.Crumb{Label: f.Name, Href: fmt.Sprintf("/teams/%d", f.ID)})
	}
	return p.Render(w, r, status, "team_form", f)
}

// teamMembers reads every member of a team the actor may see, a page at a
// time.
func (p *Pages) teamMembers(ctx context.Context, actor access.Actor, teamID int64) ([]account.User, error) {
	var all []account.User
	cursor := ""
	for {
		us, next, err := p.app.ListUsers(ctx, actor, store.UserFilter{TeamID: teamID, Cursor: cursor, Limit: store.MaxLimit})
		if err != nil {
			return nil, fmt.Errorf("list members of team %d: %w", teamID, err)
		}
		all = append(all, us...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}

// postedTeamForm rebuilds the team form from a submission: as members
// those ticked, and the team's members that were listed but unticked
// (still unticked, so that saving removes them); as matches the users
// found by member_q. Ids that name no user are left out here; saving them
// is refused by the use case.
func (p *Pages) postedTeamForm(ctx context.Context, actor access.Actor, r *http.Request, teamID int64) (TeamForm, error) {
	f := TeamForm{ID: teamID, Creating: teamID == 0, Version: FormInt(r, "version"),
		Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		MemberQ: strings.TrimSpace(r.PostFormValue("member_q"))}
	ticked := idSet(splitIDs(r.PostForm["member_ids"]))
	listed := idSet(splitIDs(r.PostForm["listed_member_ids"]))
	known := map[int64]account.User{}
	if teamID != 0 {
		current, err := p.teamMembers(ctx, actor, teamID)
		if err != nil {
			return f, err
		}
		for _, u := range current {
			known[u.ID] = u
			if listed[u.ID] && !ticked[u.ID] {
				f.Members = append(f.Members, MemberChoice{User: u})
			}
		}
	}
	ids := sortedIDs(ticked)
	if len(ids) > maxMembers {
		ids = ids[:maxMembers] // more than a team may hold, and each is a look-up
	}
	for _, id := range ids {
		u, ok := known[id]
		if !ok {
			var err error
			if u, err = p.app.GetUser(ctx, actor, id); errs.Is(err, errs.NotFound) {
				continue
			} else if err != nil {
				return f, err
			}
		}
		f.Members = append(f.Members, MemberChoice{User: u, Ticked: true})
	}
	sortMembers(f.Members)
	return f, p.findMembers(ctx, actor, &f)
}

// findMembers fills in the users matching the form's member search that
// it does not list as members yet.
func (p *Pages) findMembers(ctx context.Context, actor access.Actor, f *TeamForm) error {
	if f.MemberQ == "" {
		return nil
	}
	found, next, err := p.app.ListUsers(ctx, actor, store.UserFilter{Query: f.MemberQ, Limit: memberSearchLimit})
	if err != nil {
		return err
	}
	for _, u := range found {
		if !slices.ContainsFunc(f.Members, func(m MemberChoice) bool { return m.ID == u.ID }) {
			f.Matches = append(f.Matches, u)
		}
	}
	f.MoreMatches = next != ""
	f.AllListed = len(found) > 0 && len(f.Matches) == 0
	return nil
}

// sortMembers orders members by name, so that a user found and ticked
// takes its place among the others.
func sortMembers(ms []MemberChoice) {
	slices.SortStableFunc(ms, func(a, b MemberChoice) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

func idSet(ids []int64) map[int64]bool {
	s := make(map[int64]bool, len(ids))
	for _, id := range ids {
		s[id] = true
	}
	return s
}

func sortedIDs(s map[int64]bool) []int64 {
	ids := slices.Collect(maps.Keys(s))
	slices.Sort(ids)
	return ids
}

// keptMembers is the membership a saved team form asks for: the members
// now, less those the form listed but left unticked, plus those ticked.
// Members the form did not list (added by someone else since it was
// loaded, say) stay.
func keptMembers(current, listed, ticked []int64) []int64 {
	shown, keep := idSet(listed), idSet(ticked)
	out := make([]int64, 0, len(current)+len(ticked))
	for _, id := range current {
		if !shown[id] && !keep[id] {
			out = append(out, id)
		}
	}
	return append(out, ticked...)
}

// searching reports whether the form was posted to search for members
// (the search button, for browsers without JavaScript) rather than saved.
func searching(r *http.Request) bool { return r.PostFormValue("_action") == "search" }

func (p *Pages) teamNew(w http.ResponseWriter, r *http.Request, rq *Request) error {
	return p.renderTeamForm(w, r, rq, http.StatusOK, TeamForm{Creating: true})
}

// teamRenderPosted shows the team form again as it was posted.
func (p *Pages) teamRenderPosted(w http.ResponseWriter, r *http.Request, rq *Request, teamID int64, status int, msg string, fields FieldErrors) error {
	f, err := p.postedTeamForm(r.Context(), rq.Auth.Actor, r, teamID)
	if err != nil {
		return err
	}
	f.Error, f.Fields = msg, fields
	return p.renderTeamForm(w, r, rq, status, f)
}

func (p *Pages) teamCreate(w http.ResponseWriter, r *http.Request, rq *Request) error {
	if searching(r) {
		return p.teamRenderPosted(w, r, rq, 0, http.StatusOK, "", nil)
	}
	in := account.TeamInput{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), MemberIDs: splitIDs(r.PostForm["member_ids"])}
	t, err := p.app.CreateTeam(r.Context(), rq.Auth.Actor, in)
	return FormDone(w, r, err, fmt.Sprintf("/teams/%d?done=created", t.ID), func(status int, msg string, fields FieldErrors) error {
		return p.teamRenderPosted(w, r, rq, 0, status, msg, fields)
	})
}

func (p *Pages) teamEdit(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	t, err := p.app.GetTeam(ctx, actor, id)
	if err != nil {
		return err
	}
	members, err := p.teamMembers(ctx, actor, id)
	if err != nil {
		return err
	}
	f := TeamForm{ID: t.ID, Version: t.Version, Name: t.Name, Description: t.Description}
	for _, u := range members {
		f.Members = append(f.Members, MemberChoice{User: u, Ticked: true})
	}
	sortMembers(f.Members)
	return p.renderTeamForm(w, r, rq, http.StatusOK, f)
}

func (p *Pages) teamUpdate(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	t, err := p.app.GetTeam(ctx, actor, id)
	if err != nil {
		return err
	}
	if searching(r) {
		return p.teamRenderPosted(w, r, rq, id, http.StatusOK, "", nil)
	}
	name, desc, members := r.PostFormValue("name"), r.PostFormValue("description"), keptMembers(t.MemberIDs, splitIDs(r.PostForm["listed_member_ids"]), splitIDs(r.PostForm["member_ids"]))
	_, err = p.app.UpdateTeam(ctx, actor, id, FormInt(r, "version"), account.TeamUpdate{Name: &name, Description: &desc, MemberIDs: &members})
	return FormDone(w, r, err, fmt.Sprintf("/teams/%d?done=saved", id), func(status int, msg string, fields FieldErrors) error {
		return p.teamRenderPosted(w, r, rq, id, status, msg, fields)
	})
}

// teamMemberPicker answers the member search of the team form (htmx): the
// members and matching users, rebuilt from the posted form.
func (p *Pages) teamMemberPicker(w http.ResponseWriter, r *http.Request, rq *Request) error {
	return p.teamRenderPosted(w, r, rq, max(FormInt(r, "team_id"), 0), http.StatusOK, "", nil)
}
