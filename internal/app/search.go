package app

import (
	"context"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Found is a record found by name, for the jump box.
type Found struct {
	Entity string
	ID     int64
	Name   string
	Detail string // a second line: an email, a kind
}

// Finder finds the records of one kind whose name holds q that the actor
// may see, at most limit of them.
type Finder func(ctx context.Context, actor access.Actor, q string, limit int) ([]Found, error)

// Search finds records of every kind that can be searched by name, in the
// order the kinds are declared, at most perKind of each; kinds the actor
// may not read are left out.
func (a *App) Search(ctx context.Context, actor access.Actor, q string, perKind int) ([]Found, error) {
	if len([]rune(q)) > 100 {
		return nil, errs.Field("q", "must be at most 100 characters")
	}
	if q == "" {
		return nil, nil
	}
	var out []Found
	for _, k := range a.kinds.All() {
		find := a.finders[k.Entity]
		if find == nil || !actor.Can(k.Read) {
			continue
		}
		found, err := find(ctx, actor, q, perKind)
		if errs.Is(err, errs.Forbidden) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// platformFinders search users, teams and organisations by name.
func (a *App) platformFinders() map[string]Finder {
	return map[string]Finder{
		account.UserKind.Entity: func(ctx context.Context, actor access.Actor, q string, limit int) ([]Found, error) {
			us, _, err := a.ListUsers(ctx, actor, store.UserFilter{Query: q, Limit: limit})
			return mapFound(us, func(u account.User) Found {
				return Found{Entity: account.UserKind.Entity, ID: u.ID, Name: u.Name, Detail: u.Email}
			}), err
		},
		account.TeamKind.Entity: func(ctx context.Context, actor access.Actor, q string, limit int) ([]Found, error) {
			ts, _, err := a.ListTeams(ctx, actor, store.TeamFilter{Query: q, Limit: limit})
			return mapFound(ts, func(t account.Team) Found {
				return Found{Entity: account.TeamKind.Entity, ID: t.ID, Name: t.Name, Detail: account.TeamKind.Number(t.ID)}
			}), err
		},
		account.OrganisationKind.Entity: func(ctx context.Context, actor access.Actor, q string, limit int) ([]Found, error) {
			os, _, err := a.ListOrganisations(ctx, actor, store.OrganisationFilter{Query: q, Limit: limit})
			return mapFound(os, func(o account.Organisation) Found {
				return Found{Entity: account.OrganisationKind.Entity, ID: o.ID, Name: o.Name, Detail: string(o.Kind)}
			}), err
		},
	}
}

func mapFound[T any](in []T, f func(T) Found) []Found {
	out := make([]Found, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return slices.Clip(out)
}

// SearchKind finds the records of one kind by name that the actor may
// see, for a picker: at most limit, the first ones when q is empty.
func (a *App) SearchKind(ctx context.Context, actor access.Actor, entity, q string, limit int) ([]Found, error) {
	k, ok := a.kinds.Get(entity)
	find := a.finders[entity]
	if !ok || find == nil {
		return nil, errs.Field("entity", "is not a kind of record that can be searched")
	}
	if len([]rune(q)) > 100 {
		return nil, errs.Field("q", "must be at most 100 characters")
	}
	if err := Require(actor, k.Read, "read "+k.Plural); err != nil {
		return nil, err
	}
	return find(ctx, actor, q, limit)
}
