package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// HasMFA reports whether a user has two-factor sign-in on, for those who
// may change users.
func (a *App) HasMFA(ctx context.Context, actor access.Actor, userID int64) (bool, error) {
	if err := Require(actor, users.Kind.Write, "see other users' second factor"); err != nil {
		return false, err
	}
	if _, err := a.GetUser(ctx, actor, userID); err != nil {
		return false, err
	}
	m, err := a.db.GetMFA(ctx, userID)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	return err == nil && m.Enabled, err
}

// ResetMFA lets an administrator switch another user's second factor
// off, for someone who lost both their phone and their recovery codes:
// their recovery codes go, their sessions end, and if their role must use
// a second factor they set a new one up at their next sign-in. The audit
// trail records who reset it. Nobody resets their own: they switch it off
// on their account page, with a code.
func (a *App) ResetMFA(ctx context.Context, actor access.Actor, userID int64) error {
	if err := Require(actor, users.Kind.Write, "reset other users' second factor"); err != nil {
		return err
	}
	if userID == actor.UserID {
		return errs.E(errs.Conflict, "you cannot reset your own second factor; switch it off on your account page")
	}
	if _, err := a.GetUser(ctx, actor, userID); err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DisableMFA(ctx, actor, userID); errs.Is(err, errs.NotFound) {
			return errs.E(errs.Conflict, "this user has no second factor to reset")
		} else if err != nil {
			return err
		}
		_, err := endSessions(ctx, tx, actor, userID, 0)
		return err
	})
}
