package restapi

import (
	"context"
	"fmt"
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
			return &Created[Team]{ETag: etag(t.Version), Location: fmt.Sprintf("/api/v1/teams/%d", t.ID), Body: teamOut(t)}, nil
		})
	register(api, access.TeamsRead, huma.Operation{OperationID: "get-team", Method: http.MethodGet, Path: "/api/v1/teams/{id}", Tags: []string{"Teams"},
		Summary: "Read a team"},
		func(ctx context.Context, actor access.Actor, in *IDParam) (*Tagged[Team], error) {
			t, err := api.app.GetTeam(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[Team]{ETag: etag(t.Version), Body: teamOut(t)}, nil
		})
	register(api, access.TeamsWrite, huma.Operation{OperationID: "update-team", Method: http.MethodPatch, Path: "/api/v1/teams/{id}", Tags: []string{"Teams"},
		Summary: "Change a team", Description: "Send only the fields to change."},
		func(ctx context.Context, actor access.Actor, in *teamPatchIn) (*Tagged[Team], error) {
			v, err := in.version()
			if err != nil {
				return nil, err
			}
			t, err := api.app.UpdateTeam(ctx, actor, in.ID, v, account.TeamUpdate{Name: in.Body.Name, Description: in.Body.Description, MemberIDs: in.Body.MemberIDs})
			if err != nil {
				return nil, err
			}
			return &Tagged[Team]{ETag: etag(t.Version), Body: teamOut(t)}, nil
		})
	register(api, access.TeamsWrite, huma.Operation{OperationID: "delete-team", Method: http.MethodDelete, Path: "/api/v1/teams/{id}", Tags: []string{"Teams"},
		Summary: "Delete a team", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, actor access.Actor, in *struct {
			IDParam
			IfMatch
		}) (*NoContent, error) {
			v, err := in.version()
			if err != nil {
				return nil, err
			}
			return &NoContent{}, api.app.DeleteTeam(ctx, actor, in.ID, v)
		})
	api.registerHistory("teams", "team", access.TeamsRead)
}
