package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// ListTokens lists one user's tokens (0: the actor's own). Only those who
// manage tokens see other users' tokens.
func (a *App) ListTokens(ctx context.Context, actor access.Actor, f store.TokenFilter) ([]account.Token, string, error) {
	own := tokens.Narrow(actor)
	if f.UserID == 0 {
		f.UserID = own
	}
	if own != 0 && f.UserID != own {
		if err := Require(actor, tokens.Kind.Manage, "see other users' API tokens"); err != nil {
			return nil, "", err
		}
	}
	return a.db.ListTokens(ctx, f)
}

// GetToken reads one token the actor may see.
func (a *App) GetToken(ctx context.Context, actor access.Actor, id int64) (account.Token, error) {
	return tokens.Get(ctx, actor, id, a.db.GetToken)
}

// CreateToken makes a new API token and returns it with its secret, which
// is shown this once. in.UserID 0 means the actor.
func (a *App) CreateToken(ctx context.Context, actor access.Actor, in account.TokenInput) (account.Token, string, error) {
	if in.UserID == 0 {
		in.UserID = actor.UserID
	}
	if in.UserID != actor.UserID {
		if err := Require(actor, tokens.Kind.Manage, "create API tokens for other users"); err != nil {
			return account.Token{}, "", err
		}
	}
	if in.UserID == 0 {
		return account.Token{}, "", errs.Field("user_id", "is required")
	}
	in.Normalize()
	if err := in.Validate(a.db.Now()); err != nil {
		return account.Token{}, "", err
	}
	u, err := a.db.GetUser(ctx, in.UserID)
	if errs.Is(err, errs.NotFound) {
		return account.Token{}, "", errs.Field("user_id", "names no user")
	} else if err != nil {
		return account.Token{}, "", err
	}
	if !u.Active {
		return account.Token{}, "", errs.Field("user_id", "names a deactivated user")
	}
	raw, err := randomToken()
	if err != nil {
		return account.Token{}, "", err
	}
	secret := TokenPrefix + raw
	var t account.Token
	err = a.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.CreateToken(ctx, actor, in, secret[:len(TokenPrefix)+8], a.tokenHash(secret))
		return err
	})
	return t, secret, err
}

// RevokeToken stops a token read at version (0: any) from working.
func (a *App) RevokeToken(ctx context.Context, actor access.Actor, id, version int64) (account.Token, error) {
	if err := tokens.MayWrite(actor, "revoke"); err != nil {
		return account.Token{}, err
	}
	var t account.Token
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.RevokeToken(ctx, actor, id, version, tokens.Guard(actor, id, func(t account.Token) error {
			if t.RevokedAt != nil {
				return errs.E(errs.Conflict, "token %d is already revoked", id)
			}
			return nil
		}))
		return err
	})
	if err == nil {
		a.tokens.forget(0, id)
	}
	return t, err
}
