package restapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// Team is a group of users that work together.
type Team struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	MemberIDs   []int64   `json:"member_ids"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

func teamOut(t account.Team) Team {
	return Team{ID: t.ID, Name: t.Name, Description: t.Description, MemberIDs: t.MemberIDs, CreatedAt: t.CreatedAt, CreatedBy: t.CreatedBy,
		UpdatedAt: t.UpdatedAt, UpdatedBy: t.UpdatedBy, Version: t.Version}
}

type teamCreateIn struct {
	Body struct {
		Name        string  `json:"name" maxLength:"200"`
		Description string  `json:"description,omitempty" maxLength:"4000"`
		MemberIDs   []int64 `json:"member_ids,omitempty" maxItems:"1000" doc:"Ids of the users in the team."`
	}
}

type teamPatchIn struct {
	IDParam
	IfMatch
	Body struct {
		Name        *string  `json:"name,omitempty" maxLength:"200"`
		Description *string  `json:"description,omitempty" maxLength:"4000"`
		MemberIDs   *[]int64 `json:"member_ids,omitempty" maxItems:"1000" doc:"Replaces the whole membership."`
	}
}

type teamListIn struct {
	PageParams
	MemberID int64  `query:"member_id" minimum:"0" doc:"Only teams this user belongs to."`
	Q        string `query:"q" maxLength:"100" doc:"Part of the name."`
}

var teamsCollection = collection{name: "teams", entity: "team", tag: "Teams", one: "a team"}

func (api *API) registerTeams() {
	register(api, access.TeamsRead, huma.Operation{OperationID: "list-teams", Method: http.MethodGet, Path: "/api/v1/teams", Tags: []string{"Teams"},
		Summary: "List teams"},
		func(ctx context.Context, actor access.Actor, in *teamListIn) (*ListOutput[Team], error) {
			ts, next, err := api.app.ListTeams(ctx, actor, store.TeamFilter{MemberID: in.MemberID, Query: in.Q, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return listOutput("/api/v1/teams", mapSlice(ts, teamOut), next), nil
		})
	register(api, access.TeamsWrite, huma.Operation{OperationID: "create-team", Method: http.MethodPost, Path: "/api/v1/teams", Tags: []string{"Teams"},
		Summary: "Create a team", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor access.Actor, in *teamCreateIn) (*Created[Team], error) {
			t, err := api.app.CreateTeam(ctx, actor, account.TeamInput{Name: in.Body.Name, Description: in.Body.Description, MemberIDs: in.Body.MemberIDs})
			if err != nil {
				return nil, err
			}
			return created(teamsCollection, t.ID, t.Version, teamOut(t)), nil
		})
	registerGet(api, teamsCollection, access.TeamsRead, api.app.GetTeam, teamOut, func(v account.Team) int64 { return v.Version })
	registerUpdate(api, teamsCollection, access.TeamsWrite, "member_ids replaces the whole membership.",
		func(ctx context.Context, actor access.Actor, in *teamPatchIn, version int64) (account.Team, error) {
			return api.app.UpdateTeam(ctx, actor, in.ID, version, account.TeamUpdate{Name: in.Body.Name, Description: in.Body.Description, MemberIDs: in.Body.MemberIDs})
		}, teamOut, func(v account.Team) int64 { return v.Version })
	registerDelete(api, teamsCollection, access.TeamsWrite, "", api.app.DeleteTeam)
	api.registerHistory(teamsCollection, access.TeamsRead)
}
