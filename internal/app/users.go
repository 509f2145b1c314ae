package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// ListUsers lists the users the actor may see: requesters see their own
// organisation's users only.
func (a *App) ListUsers(ctx context.Context, actor access.Actor, f store.UserFilter) ([]account.User, string, error) {
	if err := users.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	if only := users.Narrow(actor); only != 0 {
		if f.OrgID != 0 && f.OrgID != only {
			// Asked for another organisation's users: none the actor may
			// see, not their own organisation's in their place.
			return nil, "", nil
		}
		f.OrgID = only
	}
	return a.db.ListUsers(ctx, f)
}

// GetUser reads one user the actor may see. Everyone may read themselves.
func (a *App) GetUser(ctx context.Context, actor access.Actor, id int64) (account.User, error) {
	if id == actor.UserID {
		return a.db.GetUser(ctx, id)
	}
	return users.Get(ctx, actor, id, a.db.GetUser)
}

func (a *App) hash(pw string) (string, error) {
	if a.cfg.PasswordHasher != nil {
		return a.cfg.PasswordHasher(pw)
	}
	return account.HashPassword(pw)
}

// CreateUser adds a user. Without an organisation the user joins the
// provider. Without a password the user cannot sign in until one is set.
func (a *App) CreateUser(ctx context.Context, actor access.Actor, in account.UserInput) (account.User, error) {
	if err := users.MayWrite(actor, "create"); err != nil {
		return account.User{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return account.User{}, err
	}
	if in.OrgID == 0 {
		p, err := a.db.ProviderOrganisation(ctx)
		if err != nil {
			return account.User{}, errs.Field("organisation_id", "is required until a provider organisation exists")
		}
		in.OrgID = p.ID
	}
	if err := a.checkRoleFitsOrg(ctx, in.Role, in.OrgID); err != nil {
		return account.User{}, err
	}
	hash := ""
	if in.Password != "" {
		var err error
		if hash, err = a.hash(in.Password); err != nil {
			return account.User{}, err
		}
	}
	var u account.User
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.CreateUser(ctx, actor, in, hash)
		return err
	})
	return u, err
}

// checkRoleFitsOrg keeps staff roles inside the provider: a customer's
// people must never see other customers' records.
func (a *App) checkRoleFitsOrg(ctx context.Context, role access.Role, orgID int64) error {
	o, err := a.db.GetOrganisation(ctx, orgID)
	if errs.Is(err, errs.NotFound) {
		return errs.Field("organisation_id", "names no organisation")
	}
	if err != nil {
		return err
	}
	if o.Kind == account.Customer && role.Staff() {
		return errs.Field("role", "must be requester or external_auditor for a user of a customer organisation")
	}
	return nil
}

// UpdateUser changes a user read at version (0: any). The last active
// administrator can be neither demoted nor deactivated; a deactivated user
// is signed out everywhere.
func (a *App) UpdateUser(ctx context.Context, actor access.Actor, id, version int64, up account.UserUpdate) (account.User, error) {
	up.Normalize()
	return Change(ctx, a, actor, users.Kind.Write, "change users", up.Validate, func(tx *store.Tx) (account.User, error) {
		before, after, err := tx.UpdateUser(ctx, actor, id, version, users.GuardChange(actor, id, func(u *account.User) error {
			next := up.Apply(*u)
			if up.Role != nil || up.OrgID != nil {
				if err := a.checkRoleFitsOrg(ctx, next.Role, next.OrgID); err != nil {
					return err
				}
			}
			if u.Role == access.Admin && u.Active && (next.Role != access.Admin || !next.Active) {
				if err := lastAdminGuard(ctx, tx); err != nil {
					return err
				}
			}
			*u = next
			return nil
		}))
		if err != nil {
			return before, err
		}
		if before.Active && !after.Active {
			if _, err := endSessions(ctx, tx, actor, id, 0); err != nil {
				return before, err
			}
		}
		// The user's cached tokens carry the old role and state.
		tx.AfterCommit(func() { a.tokens.forget(id, 0) })
		return after, nil
	})
}

func lastAdminGuard(ctx context.Context, tx *store.Tx) error {
	n, err := tx.CountActiveAdmins(ctx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return errs.E(errs.Conflict, "this is the last active administrator; make another user an administrator first")
	}
	return nil
}

// DeleteUser removes a user read at version (0: any) with their API
// tokens, sessions and team memberships, each change with its own audit
// entry; their history stays in the audit trail.
func (a *App) DeleteUser(ctx context.Context, actor access.Actor, id, version int64) error {
	if err := users.MayWrite(actor, "delete"); err != nil {
		return err
	}
	if id == actor.UserID {
		return errs.E(errs.Conflict, "you cannot delete your own account")
	}
	return a.db.InTx(ctx, func(tx *store.Tx) error {
		// The version is checked before the user's records go with them.
		u, err := tx.GetUserAt(ctx, id, version)
		if err != nil {
			return err
		}
		if err := users.Sees(actor, id, u); err != nil {
			return err
		}
		own, err := tx.RecordsOf(ctx, id)
		if err != nil {
			return err
		}
		for _, t := range own.Tokens {
			if err := tx.DeleteToken(ctx, actor, t, 0); err != nil {
				return err
			}
		}
		for _, s := range own.Sessions {
			if err := tx.DeleteSession(ctx, actor, s, 0, nil); err != nil {
				return err
			}
		}
		for _, n := range own.Notifications {
			if err := tx.DeleteNotification(ctx, actor, n, 0, nil); err != nil {
				return err
			}
		}
		if err := tx.RemoveSecondFactor(ctx, actor, id); err != nil {
			return err
		}
		for _, t := range own.Teams {
			leave := func(team *account.Team) error {
				team.MemberIDs = slices.DeleteFunc(team.MemberIDs, func(m int64) bool { return m == id })
				return nil
			}
			if _, err := tx.UpdateTeam(ctx, actor, t, 0, leave); err != nil {
				return err
			}
		}
		err = tx.DeleteUser(ctx, actor, id, version, users.Guard(actor, id, func(u account.User) error {
			if u.Role == access.Admin && u.Active {
				return lastAdminGuard(ctx, tx)
			}
			return nil
		}))
		if err != nil {
			return err
		}
		tx.AfterCommit(func() { a.tokens.forget(id, 0) })
		return nil
	})
}

// endSessions signs a user out everywhere but keep (0: everywhere), each
// session's end with its audit entry, and says how many ended.
func endSessions(ctx context.Context, tx *store.Tx, actor access.Actor, userID, keep int64) (int, error) {
	own, err := tx.RecordsOf(ctx, userID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range own.Sessions {
		if s == keep {
			continue
		}
		if err := tx.DeleteSession(ctx, actor, s, 0, nil); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ChangePassword lets a signed-in user replace their own password; other
// sessions of theirs end, the current one (sessionID) stays. Checks of the
// current password are throttled per account as sign-ins are (with a count
// of their own), so a borrowed session cannot be used to guess it.
func (a *App) ChangePassword(ctx context.Context, actor access.Actor, current, next string, sessionID int64) error {
	if actor.UserID == 0 {
		return errs.E(errs.Unauthenticated, "sign in first")
	}
	u, err := a.db.GetUser(ctx, actor.UserID)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("passwd:%d", u.ID)
	if err := a.countAttempt(ctx, key, freeFailures, a.db.Now(), "too many wrong current passwords"); err != nil {
		return err
	}
	var c errs.Checker
	if ok, _ := a.verifyPassword(u.PasswordHash, current); !ok {
		c.Add("current_password", "is not your current password")
	} else if err := a.db.ClearLoginFailures(ctx, key); err != nil {
		return err
	}
	if err := account.CheckPassword(next, u.Name, u.Email); err != nil {
		c.Add("new_password", err.Error())
	} else if next == current {
		c.Add("new_password", "must differ from the current password")
	}
	if err := c.Err(); err != nil {
		return err
	}
	return a.setPassword(ctx, actor, u.ID, next, sessionID)
}

// SetPassword lets an administrator set another user's password (or the
// command line set any); the user's sessions end.
func (a *App) SetPassword(ctx context.Context, actor access.Actor, userID int64, pw string) error {
	if err := Require(actor, users.Kind.Write, "set other users' passwords"); err != nil {
		return err
	}
	u, err := a.db.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	if err := account.CheckPassword(pw, u.Name, u.Email); err != nil {
		return errs.Field("password", err.Error())
	}
	return a.setPassword(ctx, actor, userID, pw, 0)
}

func (a *App) setPassword(ctx context.Context, actor access.Actor, userID int64, pw string, keepSession int64) error {
	hash, err := a.hash(pw)
	if err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(ctx, actor, userID, 0, hash); err != nil {
			return err
		}
		_, err := endSessions(ctx, tx, actor, userID, keepSession)
		return err
	})
}
