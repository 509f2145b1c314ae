package restapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
)

type changePasswordIn struct {
	Body struct {
		CurrentPassword string `json:"current_password" maxLength:"256" writeOnly:"true"`
		NewPassword     string `json:"new_password" maxLength:"256" writeOnly:"true" doc:"At least 10 characters."`
	}
}

// Session is a place where the user is signed in.
type Session struct {
	ID         int64     `json:"id"`
	CreatedAt  time.Time `json:"created_at" doc:"When the user signed in there."`
	LastSeenAt time.Time `json:"last_seen_at" doc:"The last request from it, to the minute or so."`
	ExpiresAt  time.Time `json:"expires_at" doc:"When it ends at the latest."`
	RemoteAddr string    `json:"remote_addr" doc:"The address it signed in from."`
	UserAgent  string    `json:"user_agent" doc:"The browser it signed in with."`
	Version    int64     `json:"version"`
}

func sessionOut(s account.Session) Session {
	return Session{ID: s.ID, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt, RemoteAddr: s.RemoteAddr, UserAgent: s.UserAgent, Version: s.Version}
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
		Summary: "Change one's own password", Description: "Other sessions of the user end. Wrong current passwords are throttled (429 with Retry-After).",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusTooManyRequests}},
		func(ctx context.Context, actor access.Actor, in *changePasswordIn) (*NoContent, error) {
			a, _ := app.AuthFrom(ctx)
			var sid int64
			if a.Session != nil {
				sid = a.Session.ID
			}
			return &NoContent{}, api.app.ChangePassword(ctx, actor, in.Body.CurrentPassword, in.Body.NewPassword, sid)
		})
	Register(api, access.SignedIn, huma.Operation{OperationID: "list-my-sessions", Method: http.MethodGet, Path: "/api/v1/me/sessions", Tags: []string{"Account"},
		Summary: "List where one is signed in", Description: "The caller's own browser sessions that are still open, the most recently used first."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body Page[Session] }, error) {
			ss, err := api.app.ListSessions(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &struct{ Body Page[Session] }{Page[Session]{Items: mapSlice(ss, sessionOut)}}, nil
		})
	Register(api, access.SignedIn, huma.Operation{OperationID: "end-my-session", Method: http.MethodDelete, Path: "/api/v1/me/sessions/{id}", Tags: []string{"Account"},
		Summary: "Sign out of one of one's sessions", Description: "Ends the session on whatever device it is; takes If-Match.", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, actor access.Actor, in *struct {
			IDParam
			IfMatch
		}) (*NoContent, error) {
			_, err := atVersions(in.IfMatch, func(v int64) (struct{}, error) { return struct{}{}, api.app.EndSession(ctx, actor, in.ID, v) })
			return &NoContent{}, err
		})
}
