package assurance

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/store"
)

// CalendarToken is one of the caller's calendar addresses (never its
// secret, which is answered once, on creation).
type CalendarToken struct {
	ID         int64      `json:"id"`
	Prefix     string     `json:"prefix" doc:"The secret's first characters."`
	LastUsedAt *time.Time `json:"last_used_at" doc:"When a calendar last read it; null for never."`
	Uses       int64      `json:"uses" doc:"How many times a calendar read it."`
	RevokedAt  *time.Time `json:"revoked_at" doc:"When it was revoked; null while in force."`
	CreatedAt  time.Time  `json:"created_at"`
	Version    int64      `json:"version"`
}

// NewCalendarToken is a new calendar address with its secret, shown
// this once.
type NewCalendarToken struct {
	CalendarToken
	Secret string `json:"secret" doc:"The secret; shown only now."`
	Path   string `json:"path" doc:"The feed's path on this server, /calendar/<secret>.ics, for a calendar application to subscribe to."`
}

type newToken struct {
	assurance.CalendarToken
	secret string
}

func calendarTokenOut(t assurance.CalendarToken) CalendarToken {
	return CalendarToken{ID: t.ID, Prefix: t.Prefix, LastUsedAt: t.LastUsedAt, Uses: t.Uses, RevokedAt: t.RevokedAt, CreatedAt: t.CreatedAt, Version: t.Version}
}

type calendarListIn struct {
	restapi.PageParams
	Revoked bool `query:"revoked" doc:"Include revoked addresses."`
}

func registerCalendar(api *restapi.API, c *assuranceapp.Catalogue) {
	k := assurance.CalendarTokenKind
	restapi.RegisterList(api, k, "One's own calendar addresses.", func(ctx context.Context, actor access.Actor, in *calendarListIn) ([]assurance.CalendarToken, string, error) {
		return c.ListCalendarTokens(ctx, actor, store.CalendarTokenFilter{IncludeRevoked: in.Revoked, Cursor: in.Cursor, Limit: in.Limit})
	}, calendarTokenOut)
	restapi.RegisterCreate(api, k, "Makes a new secret address for one's calendar feed (actions due, the certification cycle, documents to review); the one in force is revoked. The secret is answered only now.",
		func(ctx context.Context, actor access.Actor, _ *struct{}) (newToken, error) {
			t, secret, err := c.CreateCalendarToken(ctx, actor)
			return newToken{t, secret}, err
		}, func(t newToken) NewCalendarToken {
			return NewCalendarToken{CalendarToken: calendarTokenOut(t.CalendarToken), Secret: t.secret, Path: "/calendar/" + t.secret + ".ics"}
		})
	restapi.RegisterGet(api, k, c.GetCalendarToken, calendarTokenOut)
	restapi.RegisterDelete(api, k, "revoke", "The address stops answering at once; the record stays, marked revoked.",
		func(ctx context.Context, actor access.Actor, id, version int64) error {
			_, err := c.RevokeCalendarToken(ctx, actor, id, version)
			return err
		})
	api.RegisterHistory(k)
}
