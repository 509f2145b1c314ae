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

// Token is an API token; its secret is only ever shown at creation.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" doc:"The first characters of the secret, to recognise it."`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty" doc:"Updated at most once a minute."`
	RevokedAt  *time.Time `json:"revoked_at,omitempty" doc:"Revoking a token revokes those made through it."`
	ParentID   *int64     `json:"parent_id,omitempty" doc:"The token this one was made through; it may not outlive it."`
	CreatedBy  int64      `json:"created_by" doc:"Who made the token: its user, or an administrator who made it for them (0: the command line)."`
}

func tokenOut(t account.Token) Token {
	return Token{ID: t.ID, UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt,
		RevokedAt: t.RevokedAt, ParentID: t.ParentID, CreatedBy: t.CreatedBy}
}

// NewToken is a token with its secret.
type NewToken struct {
	Token
	Secret string `json:"secret" doc:"Shown this once; store it now. Send it as Authorization: Bearer <secret>."`
}

type tokenCreateIn struct {
	Body struct {
		Name      string     `json:"name" maxLength:"200" doc:"What the token is for, e.g. ci or monitoring."`
		UserID    int64      `json:"user_id,omitempty" minimum:"0" doc:"Whose token; defaults to the caller. Only administrators create tokens for others."`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When the token stops working; never, if absent."`
	}
}

type tokenListIn struct {
	PageParams
	UserID         int64 `query:"user_id" minimum:"0" doc:"Whose tokens; defaults to the caller's own (administrators: everyone's)."`
	IncludeRevoked bool  `query:"include_revoked" doc:"Also list revoked tokens."`
}

func (api *API) registerTokens() {
	k := account.TokenKind
	RegisterList(api, k, "One's own tokens; administrators see everyone's.",
		func(ctx context.Context, actor access.Actor, in *tokenListIn) ([]account.Token, string, error) {
			return api.app.ListTokens(ctx, actor, store.TokenFilter{UserID: in.UserID, IncludeRevoked: in.IncludeRevoked, Cursor: in.Cursor, Limit: in.Limit})
		}, tokenOut)
	// Creating answers with the secret, shown this once.
	Register(api, k.Write, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: KindPath(k), Tags: []string{k.Plural},
		Summary: "Create " + one(k), Description: "The response holds the secret, which is never shown again. The token acts with its user's role.",
		DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor access.Actor, in *tokenCreateIn) (*Created[NewToken], error) {
			t, secret, err := api.app.CreateToken(ctx, actor, account.TokenInput{UserID: in.Body.UserID, Name: in.Body.Name, ExpiresAt: in.Body.ExpiresAt})
			if err != nil {
				return nil, err
			}
			return &Created[NewToken]{ETag: etag(t.Version), Location: fmt.Sprintf("%s/%d", KindPath(k), t.ID), Body: NewToken{Token: tokenOut(t), Secret: secret}}, nil
		})
	RegisterGet(api, k, api.app.GetToken, tokenOut)
	RegisterDelete(api, k, "revoke", "The token stops working at once; the record stays, marked revoked.",
		func(ctx context.Context, actor access.Actor, id, version int64) error {
			_, err := api.app.RevokeToken(ctx, actor, id, version)
			return err
		})
	api.RegisterHistory(k)
}
