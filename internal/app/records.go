package app

import (
	"context"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// The rules every kind shares are written once, here, and read from the
// kind's declaration: the read and write permissions, and the scope that
// keeps a requester to their own organisation's records (or a user to
// their own tokens). A use case adds only its kind's own rules.

// scope is how a kind's records are told apart for scope: the
// organisation (record.Organisation) or user (record.Owner) a record
// belongs to.
type scope[T any] struct {
	kind  record.Kind
	owner func(T) int64 // nil for an unscoped kind
}

func (s scope[T]) hidden(id int64) error {
	return errs.E(errs.NotFound, "%s %d not found", s.kind.Entity, id)
}

// mayRead refuses an actor without the kind's read permission.
func (s scope[T]) mayRead(actor access.Actor, doing string) error {
	return require(actor, s.kind.Read, doing+" "+strings.ToLower(s.kind.Plural))
}

// mayWrite refuses an actor without the kind's write permission.
func (s scope[T]) mayWrite(actor access.Actor, doing string) error {
	return require(actor, s.kind.Write, doing+" "+strings.ToLower(s.kind.Plural))
}

// sees reports whether the actor's scope takes in rec. A record outside
// it is "not found", so that its existence is not given away.
func (s scope[T]) sees(actor access.Actor, id int64, rec T) error {
	switch s.kind.Scope {
	case record.Organisation:
		if actor.Scoped() && s.owner(rec) != actor.OrgID {
			return s.hidden(id)
		}
	case record.Owner:
		if s.owner(rec) != actor.UserID && !actor.Can(s.kind.Manage) {
			return s.hidden(id)
		}
	}
	return nil
}

// narrow returns the organisation or user a listing must be narrowed to
// for this actor, or 0 for none.
func (s scope[T]) narrow(actor access.Actor) int64 {
	switch s.kind.Scope {
	case record.Organisation:
		if actor.Scoped() {
			return actor.OrgID
		}
	case record.Owner:
		if !actor.Can(s.kind.Manage) {
			return actor.UserID
		}
	}
	return 0
}

// get reads a record the actor may see.
func (s scope[T]) get(ctx context.Context, actor access.Actor, id int64, read func(context.Context, int64) (T, error)) (T, error) {
	var zero T
	if err := s.mayRead(actor, "view"); err != nil {
		return zero, err
	}
	rec, err := read(ctx, id)
	if err != nil {
		return zero, err
	}
	if err := s.sees(actor, id, rec); err != nil {
		return zero, err
	}
	return rec, nil
}

// guard wraps a change or a delete check so that it first refuses a
// record outside the actor's scope.
func (s scope[T]) guard(actor access.Actor, id int64, rule func(T) error) func(T) error {
	return func(rec T) error {
		if err := s.sees(actor, id, rec); err != nil {
			return err
		}
		if rule != nil {
			return rule(rec)
		}
		return nil
	}
}

// guardChange is guard for an update's change.
func (s scope[T]) guardChange(actor access.Actor, id int64, change func(*T) error) func(*T) error {
	return func(rec *T) error {
		if err := s.sees(actor, id, *rec); err != nil {
			return err
		}
		return change(rec)
	}
}

// apply turns a kind's update (a struct of optional fields) into the
// change a store table applies.
func apply[T any, U interface{ Apply(T) T }](up U) func(*T) error {
	return func(v *T) error {
		*v = up.Apply(*v)
		return nil
	}
}

// The platform's kinds and how each scopes its records.
var (
	users         = scope[account.User]{kind: account.UserKind, owner: func(u account.User) int64 { return u.OrgID }}
	teams         = scope[account.Team]{kind: account.TeamKind}
	organisations = scope[account.Organisation]{kind: account.OrganisationKind, owner: func(o account.Organisation) int64 { return o.ID }}
	tokens        = scope[account.Token]{kind: account.TokenKind, owner: func(t account.Token) int64 { return t.UserID }}
	sessions      = scope[account.Session]{kind: account.SessionKind, owner: func(s account.Session) int64 { return s.UserID }}
)

// seer checks that an actor may see one record of a kind (which need not
// exist any more, for those who read the whole trail).
type seer func(ctx context.Context, actor access.Actor, id int64) error

// seers is, for every declared kind, how to tell whether an actor may see
// one of its records; App.New refuses to start if a kind has none.
func (a *App) seers() map[string]seer {
	see := func(get func(ctx context.Context, actor access.Actor, id int64) error) seer { return get }
	return map[string]seer{
		account.UserKind.Entity: see(func(ctx context.Context, actor access.Actor, id int64) error {
			_, err := a.GetUser(ctx, actor, id)
			return err
		}),
		account.TeamKind.Entity: see(func(ctx context.Context, actor access.Actor, id int64) error {
			_, err := a.GetTeam(ctx, actor, id)
			return err
		}),
		account.OrganisationKind.Entity: see(func(ctx context.Context, actor access.Actor, id int64) error {
			_, err := a.GetOrganisation(ctx, actor, id)
			return err
		}),
		account.TokenKind.Entity: see(func(ctx context.Context, actor access.Actor, id int64) error {
			_, err := a.GetToken(ctx, actor, id)
			return err
		}),
		account.SessionKind.Entity: see(func(ctx context.Context, actor access.Actor, id int64) error {
			_, err := a.GetSession(ctx, actor, id)
			return err
		}),
	}
}
