package app

import (
	"context"
	"fmt"
	"slices"
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

// Scope applies a kind's declared permissions and scope to its records.
// Owner returns the organisation (record.Organisation) or user
// (record.Owner) a record belongs to; it is nil for an unscoped kind.
type Scope[T any] struct {
	Kind  record.Kind
	Owner func(T) int64
}

func (s Scope[T]) hidden(id int64) error {
	return errs.E(errs.NotFound, "%s %d not found", s.Kind.Entity, id)
}

// MayRead refuses an actor without the kind's read permission.
func (s Scope[T]) MayRead(actor access.Actor, doing string) error {
	if actor.Can(s.Kind.Read) {
		return nil // the common case builds no message
	}
	return Require(actor, s.Kind.Read, doing+" "+strings.ToLower(s.Kind.Plural))
}

// MayWrite refuses an actor without the kind's write permission.
func (s Scope[T]) MayWrite(actor access.Actor, doing string) error {
	if actor.Can(s.Kind.Write) {
		return nil
	}
	return Require(actor, s.Kind.Write, doing+" "+strings.ToLower(s.Kind.Plural))
}

// Sees reports whether the actor's scope takes in rec. A record outside
// it is "not found", so that its existence is not given away.
func (s Scope[T]) Sees(actor access.Actor, id int64, rec T) error {
	switch s.Kind.Scope {
	case record.Organisation:
		if actor.Scoped() && s.Owner(rec) != actor.OrgID {
			return s.hidden(id)
		}
	case record.Owner:
		if s.Owner(rec) != actor.UserID && !actor.Can(s.Kind.Manage) {
			return s.hidden(id)
		}
	}
	return nil
}

// Narrow returns the organisation or user a listing must be narrowed to
// for this actor, or 0 for none.
func (s Scope[T]) Narrow(actor access.Actor) int64 {
	switch s.Kind.Scope {
	case record.Organisation:
		if actor.Scoped() {
			return actor.OrgID
		}
	case record.Owner:
		if !actor.Can(s.Kind.Manage) {
			return actor.UserID
		}
	}
	return 0
}

// Get reads a record the actor may see.
func (s Scope[T]) Get(ctx context.Context, actor access.Actor, id int64, read func(context.Context, int64) (T, error)) (T, error) {
	var zero T
	if err := s.MayRead(actor, "view"); err != nil {
		return zero, err
	}
	rec, err := read(ctx, id)
	if err != nil {
		return zero, err
	}
	if err := s.Sees(actor, id, rec); err != nil {
		return zero, err
	}
	return rec, nil
}

// Guard wraps a change or a delete check so that it first refuses a
// record outside the actor's scope.
func (s Scope[T]) Guard(actor access.Actor, id int64, rule func(T) error) func(T) error {
	return func(rec T) error {
		if err := s.Sees(actor, id, rec); err != nil {
			return err
		}
		if rule != nil {
			return rule(rec)
		}
		return nil
	}
}

// GuardChange is Guard for an update's change.
func (s Scope[T]) GuardChange(actor access.Actor, id int64, change func(*T) error) func(*T) error {
	return func(rec *T) error {
		if err := s.Sees(actor, id, *rec); err != nil {
			return err
		}
		return change(rec)
	}
}

// Apply turns a kind's update (a struct of optional fields) into the
// change a store table applies.
func Apply[T any, U interface{ Apply(T) T }](up U) func(*T) error {
	return func(v *T) error {
		*v = up.Apply(*v)
		return nil
	}
}

// The platform's kinds and how each scopes its records.
var (
	users         = Scope[account.User]{Kind: account.UserKind, Owner: func(u account.User) int64 { return u.OrgID }}
	teams         = Scope[account.Team]{Kind: account.TeamKind}
	organisations = Scope[account.Organisation]{Kind: account.OrganisationKind, Owner: func(o account.Organisation) int64 { return o.ID }}
	tokens        = Scope[account.Token]{Kind: account.TokenKind, Owner: func(t account.Token) int64 { return t.UserID }}
	sessions      = Scope[account.Session]{Kind: account.SessionKind, Owner: func(s account.Session) int64 { return s.UserID }}
)

// Seer checks that an actor may see one record of a kind (which need not
// exist any more, for those who read the whole trail).
type Seer func(ctx context.Context, actor access.Actor, id int64) error

// Area is a part of the product with kinds of record of its own: the
// platform's accounts, and from the management system on, an area per
// package (internal/app/<area>).
type Area struct {
	Name  string
	Kinds []record.Kind
	// See tells, for each of Kinds by entity, whether an actor may see one
	// of its records; it decides who may read a record's history.
	See map[string]Seer
	// Names finds records' names, for the kinds that have them, so that
	// references to them read as names.
	Names map[string]Namer
	// Find searches records by name, for the kinds the jump box finds.
	Find map[string]Finder
	// Remind holds the area's reminders by name: what they find due is
	// sent as notifications (SendReminders).
	Remind map[string]Reminder
}

// AddArea adds an area's kinds to the App, before the transports are
// mounted. A kind declared twice, badly or without a Seer is refused.
func (a *App) AddArea(area Area) error {
	var kinds []record.Kind
	for _, ar := range append(slices.Clone(a.areas), area) {
		kinds = append(kinds, ar.Kinds...)
	}
	reg, err := record.NewRegistry(kinds...)
	if err != nil {
		return fmt.Errorf("area %s: %w", area.Name, err)
	}
	for _, k := range area.Kinds {
		if area.See[k.Entity] == nil {
			return fmt.Errorf("area %s: kind %s has no Seer saying who may see its records", area.Name, k.Entity)
		}
	}
	for name := range area.Remind {
		if a.reminders[name] != nil {
			return fmt.Errorf("area %s: reminder %s is declared twice", area.Name, name)
		}
	}
	a.areas, a.kinds = append(a.areas, area), reg
	for e, s := range area.See {
		a.see[e] = s
	}
	for e, n := range area.Names {
		a.names[e] = n
	}
	for e, f := range area.Find {
		a.finders[e] = f
	}
	for name, r := range area.Remind {
		a.reminders[name] = r
	}
	return nil
}

// platform is the Administration area: the account kinds.
func (a *App) platform() Area {
	return Area{Name: record.Administration.Name, Kinds: account.Kinds(), Names: a.platformNames(), Find: a.platformFinders(), See: map[string]Seer{
		account.UserKind.Entity:         Seeing(a.GetUser),
		account.TeamKind.Entity:         Seeing(a.GetTeam),
		account.OrganisationKind.Entity: Seeing(a.GetOrganisation),
		account.TokenKind.Entity:        Seeing(a.GetToken),
		account.SessionKind.Entity:      Seeing(a.GetSession),
		account.NotificationKind.Entity: Seeing(a.GetNotification),
	}}
}

// Seeing makes a kind's Seer from its Get use case, which applies the
// kind's permission and scope.
func Seeing[T any](get func(context.Context, access.Actor, int64) (T, error)) Seer {
	return func(ctx context.Context, actor access.Actor, id int64) error {
		_, err := get(ctx, actor, id)
		return err
	}
}

// EveryPage reads a listing to its end, page after page, from the cursor
// each page hands on: for the use cases that need every record (the
// reminders, a feed, a matrix), never for a page shown to a reader.
func EveryPage[T any](list func(cursor string) ([]T, string, error)) ([]T, error) {
	var out []T
	cursor := ""
	for {
		page, next, err := list(cursor)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}
