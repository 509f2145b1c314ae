package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// SetPreferences changes the signed-in user's own preferences (colour
// scheme, language, time zone), read at version (0: any). Nobody sets
// another user's: they are the user's own choice.
func (a *App) SetPreferences(ctx context.Context, actor access.Actor, version int64, up account.PreferencesUpdate) (account.User, error) {
	if actor.UserID == 0 {
		return account.User{}, errs.E(errs.Unauthenticated, "sign in first")
	}
	up.Normalize()
	return Change(ctx, a, actor, access.SignedIn, "change your preferences", up.Validate, func(tx *store.Tx) (account.User, error) {
		_, after, err := tx.UpdateUser(ctx, actor, actor.UserID, version, func(u *account.User) error {
			u.Preferences = up.Apply(u.Preferences)
			return nil
		})
		return after, err
	})
}
