package restapi

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// Team is a group of users that work together.
type Team struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	MemberIDs   []int64   `json:"member_ids" nullable:"false" doc:"Ids of the users in the team; empty when it has none."`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

func teamOut(t account.Team) Team {
	members := t.MemberIDs
	if members == nil {
		members = []int64{}
	}
	return Team{ID: t.ID, Name: t.Name, Description: t.Description, MemberIDs: members, CreatedAt: t.CreatedAt, CreatedBy: t.CreatedBy,
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
	k := account.TeamKind
	RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *teamListIn) ([]account.Team, string, error) {
		return api.app.ListTeams(ctx, actor, store.TeamFilter{MemberID: in.MemberID, Query: in.Q, Cursor: in.Cursor, Limit: in.Limit})
	}, teamOut)
	RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *teamCreateIn) (account.Team, error) {
		return api.app.CreateTeam(ctx, actor, account.TeamInput{Name: in.Body.Name, Description: in.Body.Description, MemberIDs: in.Body.MemberIDs})
	}, teamOut)
	RegisterGet(api, k, api.app.GetTeam, teamOut)
	RegisterUpdate(api, k, "member_ids replaces the whole membership.",
		func(ctx context.Context, actor access.Actor, in *teamPatchIn, version int64) (account.Team, error) {
			return api.app.UpdateTeam(ctx, actor, in.ID, version, account.TeamUpdate{Name: in.Body.Name, Description: in.Body.Description, MemberIDs: in.Body.MemberIDs})
		}, teamOut)
	RegisterDelete(api, k, "", "", api.app.DeleteTeam)
	api.RegisterHistory(k)
}
