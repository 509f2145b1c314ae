package app

import (
	"context"
	"fmt"
	"time"

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
	in.ParentID = nil
	if actor.TokenID != 0 {
		// A token making a token: the new one may not outlive it.
		parent, err := a.db.GetToken(ctx, actor.TokenID)
		if err != nil {
			return account.Token{}, "", err
		}
		if parent.ExpiresAt != nil {
			if in.ExpiresAt == nil {
				in.ExpiresAt = parent.ExpiresAt
			} else if in.ExpiresAt.After(*parent.ExpiresAt) {
				return account.Token{}, "", errs.Field("expires_at", fmt.Sprintf("must not be after %s, when the token making it expires", parent.ExpiresAt.UTC().Format(time.RFC3339)))
			}
		}
		in.ParentID = &parent.ID
	}
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
	if outranks(u.Role, actor.Role) {
		// A token acts with its user's role: nobody makes one that can
		// do more than they can.
		return account.Token{}, "", errs.Field("user_id", "names a user whose role may do more than yours")
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

// RevokeToken stops a token read at version (0: any) from working, and the
// tokens made through it, each with its audit entry.
func (a *App) RevokeToken(ctx context.Context, actor access.Actor, id, version int64) (account.Token, error) {
	if err := tokens.MayWrite(actor, "revoke"); err != nil {
		return account.Token{}, err
	}
	var t account.Token
	var revoked []int64
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.RevokeToken(ctx, actor, id, version, tokens.Guard(actor, id, func(t account.Token) error {
			if t.RevokedAt != nil {
				return errs.E(errs.Conflict, "token %d is already revoked", id)
			}
			return nil
		}))
		if err != nil {
			return err
		}
		revoked = []int64{id}
		// Those it made, and those they made, to the end of the line.
		for next := []int64{id}; len(next) > 0; {
			parent := next[0]
			next = next[1:]
			children, err := tx.TokensMadeBy(ctx, parent)
			if err != nil {
				return err
			}
			for _, c := range children {
				if _, err := tx.RevokeToken(ctx, actor, c, 0, func(account.Token) error { return nil }); err != nil {
					return err
				}
				revoked = append(revoked, c)
				next = append(next, c)
			}
		}
		return nil
	})
	if err == nil {
		for _, r := range revoked {
			a.tokens.forget(0, r)
		}
	}
	return t, err
}

// outranks reports whether role has a permission that actor's role lacks.
func outranks(role, actor access.Role) bool {
	for _, p := range access.Permissions() {
		if role.Grants(p) && !actor.Grants(p) {
			return true
		}
	}
	return false
}
