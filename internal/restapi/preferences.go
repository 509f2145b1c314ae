package restapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
)

// Preferences are the signed-in user's choices for how pages are shown.
type Preferences struct {
	Theme    string `json:"theme" enum:"system,light,dark" doc:"Colour scheme; system follows the operating system."`
	Language string `json:"language" doc:"Language tag of the pages, such as en; empty takes the browser's."`
	TimeZone string `json:"time_zone" doc:"IANA time zone such as Europe/Berlin; empty takes the installation's."`
}

type preferencesIn struct {
	IfMatch
	Body struct {
		Theme    *string `json:"theme,omitempty" enum:"system,light,dark" doc:"Colour scheme; system follows the operating system."`
		Language *string `json:"language,omitempty" maxLength:"20" doc:"Language tag, such as en; empty for the browser's."`
		TimeZone *string `json:"time_zone,omitempty" maxLength:"64" doc:"IANA time zone, such as Europe/Berlin; empty for the installation's."`
	}
}

func preferencesOut(p account.Preferences) Preferences {
	if p.Theme == "" {
		p.Theme = "system" // never chosen: the operating system's, as for "system"
	}
	return Preferences{Theme: p.Theme, Language: p.Language, TimeZone: p.TimeZone}
}

func (api *API) registerPreferences() {
	Register(api, access.SignedIn, huma.Operation{OperationID: "get-my-preferences", Method: http.MethodGet, Path: "/api/v1/me/preferences", Tags: []string{"Account"},
		Summary: "Read one's own preferences", Description: "The ETag is the user record's version."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*Tagged[Preferences], error) {
			u, err := api.app.GetUser(ctx, actor, actor.UserID)
			if err != nil {
				return nil, err
			}
			return &Tagged[Preferences]{ETag: etag(u.Version), Body: preferencesOut(u.Preferences)}, nil
		})
	Register(api, access.SignedIn, huma.Operation{OperationID: "change-my-preferences", Method: http.MethodPatch, Path: "/api/v1/me/preferences", Tags: []string{"Account"},
		Summary: "Change one's own preferences", Description: "Send only what changes; takes If-Match with the user record's version. The change is in the user's history."},
		func(ctx context.Context, actor access.Actor, in *preferencesIn) (*Tagged[Preferences], error) {
			u, err := atVersions(in.IfMatch, func(v int64) (account.User, error) {
				return api.app.SetPreferences(ctx, actor, v, account.PreferencesUpdate{Theme: in.Body.Theme, Language: in.Body.Language, TimeZone: in.Body.TimeZone})
			})
			if err != nil {
				return nil, err
			}
			return &Tagged[Preferences]{ETag: etag(u.Version), Body: preferencesOut(u.Preferences)}, nil
		})
}
