package restapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/store"
)

// SecurityEvent is a failed or throttled sign-in, a refusal or the use of
// an API token.
type SecurityEvent struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Kind       string    `json:"kind" enum:"signin_failed,signin_throttled,permission_denied,token_used"`
	UserID     int64     `json:"user_id" doc:"The user concerned; 0 when none is known (a sign-in with an unknown email)."`
	UserName   string    `json:"user_name" doc:"The user's name; empty once the user is deleted."`
	Email      string    `json:"email" doc:"The email typed at a sign-in; empty for other kinds."`
	TokenID    int64     `json:"token_id" doc:"The API token used; 0 for none."`
	RemoteAddr string    `json:"remote_addr" doc:"The client's address."`
	Detail     string    `json:"detail" doc:"The route refused or used (METHOD /pattern), or why a sign-in was throttled."`
}

func securityEventOut(e audit.SecurityEvent) SecurityEvent {
	return SecurityEvent{ID: e.ID, At: e.At, Kind: string(e.Kind), UserID: e.UserID, UserName: e.UserName, Email: e.Email,
		TokenID: e.TokenID, RemoteAddr: e.RemoteAddr, Detail: e.Detail}
}

type securityEventsIn struct {
	PageParams
	Kind   string    `query:"kind" enum:"signin_failed,signin_throttled,permission_denied,token_used," doc:"Only events of this kind."`
	UserID int64     `query:"user_id" minimum:"0" doc:"Only events concerning this user."`
	From   time.Time `query:"from" doc:"Events at or after this time (RFC 3339)."`
	To     time.Time `query:"to" doc:"Events before this time (RFC 3339)."`
}

func (api *API) registerSecurityEvents() {
	Register(api, access.AuditRead, huma.Operation{OperationID: "list-security-events", Method: http.MethodGet, Path: "/api/v1/security-events", Tags: []string{"Audit trail"},
		Summary: "Browse security events",
		Description: "Failed and throttled sign-ins, refused requests (403) and API token use (at most once per token every few minutes), newest first. " +
			"They are kept apart from the audit trail (not hash-chained) and only for the installation's retention (90 days by default)."},
		func(ctx context.Context, actor access.Actor, in *securityEventsIn) (*ListOutput[SecurityEvent], error) {
			f := store.SecurityEventFilter{Kind: audit.SecurityKind(in.Kind), UserID: in.UserID, Cursor: in.Cursor, Limit: in.Limit}
			if !in.From.IsZero() {
				f.From = &in.From
			}
			if !in.To.IsZero() {
				f.To = &in.To
			}
			es, next, err := api.app.ListSecurityEvents(ctx, actor, f)
			if err != nil {
				return nil, err
			}
			return listOutput("/api/v1/security-events", mapSlice(es, securityEventOut), next), nil
		})
}
