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

// User is a person who signs in to Conform.
type User struct {
	ID             int64     `json:"id"`
	Email          string    `json:"email"`
	Name           string    `json:"name"`
	Role           string    `json:"role" enum:"admin,sms_manager,process_owner,agent,internal_auditor,top_management,requester,external_auditor"`
	OrganisationID int64     `json:"organisation_id"`
	Active         bool      `json:"active" doc:"Deactivated users cannot sign in and their tokens stop working."`
	PasswordSet    bool      `json:"password_set" doc:"False until a password is set; such a user can use API tokens only."`
	CreatedAt      time.Time `json:"created_at"`
	CreatedBy      int64     `json:"created_by"`
	UpdatedAt      time.Time `json:"updated_at"`
	UpdatedBy      int64     `json:"updated_by"`
	Version        int64     `json:"version"`
}

func userOut(u account.User) User {
	return User{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), OrganisationID: u.OrgID, Active: u.Active,
		PasswordSet: u.PasswordSet, CreatedAt: u.CreatedAt, CreatedBy: u.CreatedBy, UpdatedAt: u.UpdatedAt, UpdatedBy: u.UpdatedBy, Version: u.Version}
}

type userCreateIn struct {
	Body struct {
		Email          string `json:"email" maxLength:"254" doc:"Sign-in address; unique."`
		Name           string `json:"name" maxLength:"200"`
		Role           string `json:"role" enum:"admin,sms_manager,process_owner,agent,internal_auditor,top_management,requester,external_auditor"`
		OrganisationID int64  `json:"organisation_id,omitempty" minimum:"0" doc:"Defaults to the provider organisation. Users of customer organisations must be requesters or external auditors."`
		Password       string `json:"password,omitempty" maxLength:"256" writeOnly:"true" doc:"At least 10 characters. Optional: without one the user cannot sign in until it is set."`
	}
}

type userPatchIn struct {
	IDParam
	IfMatch
	Body struct {
		Email          *string `json:"email,omitempty" maxLength:"254"`
		Name           *string `json:"name,omitempty" maxLength:"200"`
		Role           *string `json:"role,omitempty" enum:"admin,sms_manager,process_owner,agent,internal_auditor,top_management,requester,external_auditor"`
		OrganisationID *int64  `json:"organisation_id,omitempty" minimum:"1"`
		Active         *bool   `json:"active,omitempty"`
	}
}

type userListIn struct {
	PageParams
	OrganisationID int64  `query:"organisation_id" minimum:"0" doc:"Only users of this organisation."`
	Role           string `query:"role" enum:"admin,sms_manager,process_owner,agent,internal_auditor,top_management,requester,external_auditor," doc:"Only users with this role."`
	TeamID         int64  `query:"team_id" minimum:"0" doc:"Only members of this team."`
	Q              string `query:"q" maxLength:"100" doc:"Part of the name or email."`
}

type passwordIn struct {
	IDParam
	Body struct {
		Password string `json:"password" maxLength:"256" writeOnly:"true" doc:"The new password, at least 10 characters."`
	}
}

func (api *API) registerUsers() {
	k := account.UserKind
	RegisterList(api, k, "Requesters see only their own organisation's users.",
		func(ctx context.Context, actor access.Actor, in *userListIn) ([]account.User, string, error) {
			return api.app.ListUsers(ctx, actor, store.UserFilter{OrgID: in.OrganisationID, Role: access.Role(in.Role), TeamID: in.TeamID,
				Query: in.Q, Cursor: in.Cursor, Limit: in.Limit})
		}, userOut)
	RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *userCreateIn) (account.User, error) {
		return api.app.CreateUser(ctx, actor, account.UserInput{Email: in.Body.Email, Name: in.Body.Name, Role: access.Role(in.Body.Role),
			OrgID: in.Body.OrganisationID, Password: in.Body.Password})
	}, userOut)
	RegisterGet(api, k, api.app.GetUser, userOut)
	RegisterUpdate(api, k, "The last active administrator cannot be demoted or deactivated.",
		func(ctx context.Context, actor access.Actor, in *userPatchIn, version int64) (account.User, error) {
			up := account.UserUpdate{Email: in.Body.Email, Name: in.Body.Name, OrgID: in.Body.OrganisationID, Active: in.Body.Active}
			if in.Body.Role != nil {
				r := access.Role(*in.Body.Role)
				up.Role = &r
			}
			return api.app.UpdateUser(ctx, actor, in.ID, version, up)
		}, userOut)
	RegisterDelete(api, k, "", "Removes the user with their tokens, sessions and team memberships; their history stays in the audit trail. Prefer deactivation.", api.app.DeleteUser)
	Register(api, k.Write, huma.Operation{OperationID: "set-user-password", Method: http.MethodPut, Path: ItemPath(k) + "/password", Tags: []string{k.Plural},
		Summary: "Set a user's password", Description: "The user's sessions end.", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, actor access.Actor, in *passwordIn) (*NoContent, error) {
			return &NoContent{}, api.app.SetPassword(ctx, actor, in.ID, in.Body.Password)
		})
	Register(api, k.Write, huma.Operation{OperationID: "reset-user-two-factor", Method: http.MethodDelete, Path: ItemPath(k) + "/two-factor", Tags: []string{k.Plural},
		Summary:       "Reset a user's two-factor sign-in",
		Description:   "For someone who lost both their phone and their recovery codes: their second factor and recovery codes go and their sessions end; if their role must use a second factor, they set a new one up at their next sign-in. 409 when they have none, or for one's own.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict}},
		func(ctx context.Context, actor access.Actor, in *IDParam) (*NoContent, error) {
			return &NoContent{}, api.app.ResetMFA(ctx, actor, in.ID)
		})
	api.RegisterHistory(k)
}

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
