package restapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
)

type changePasswordIn struct {
	Body struct {
		CurrentPassword string `json:"current_password" maxLength:"256" writeOnly:"true"`
		NewPassword     string `json:"new_password" maxLength:"256" writeOnly:"true" doc:"At least 10 characters."`
	}
}

func (api *API) registerMe() {
	Register(api, access.SignedIn, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/api/v1/me", Tags: []string{"Account"},
		Summary: "Read the signed-in user"},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*Tagged[User], error) {
			u, err := api.app.GetUser(ctx, actor, actor.UserID)
			if err != nil {
				return nil, err
			}
			return &Tagged[User]{ETag: etag(u.Version), Body: userOut(u)}, nil
		})
	Register(api, access.SignedIn, huma.Operation{OperationID: "change-my-password", Method: http.MethodPut, Path: "/api/v1/me/password", Tags: []string{"Account"},
		Summary: "Change one's own password", Description: "Other sessions of the user end.", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, actor access.Actor, in *changePasswordIn) (*NoContent, error) {
			a, _ := app.AuthFrom(ctx)
			var sid int64
			if a.Session != nil {
				sid = a.Session.ID
			}
			return &NoContent{}, api.app.ChangePassword(ctx, actor, in.Body.CurrentPassword, in.Body.NewPassword, sid)
		})
}
