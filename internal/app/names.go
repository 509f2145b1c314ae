package app

import (
	"context"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Names returns the names of those records of entity among ids that the
// actor may see, so that references (a team's members, a user's
// organisation) can be shown by name. Records outside the actor's sight
// and ids of deleted records are left out, not an error; so is every
// record of a kind whose read permission the actor lacks, and of a kind
// whose records have no name (sessions).
func (a *App) Names(ctx context.Context, actor access.Actor, entity string, ids []int64) (map[int64]string, error) {
	k, ok := a.kinds.Get(entity)
	if !ok {
		return nil, errs.Field("entity", "is not a kind of record")
	}
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id <= 0 })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	names := make(map[int64]string, len(ids))
	if len(ids) == 0 || !actor.Can(k.Read) {
		return names, nil
	}
	if name := a.names[entity]; name != nil {
		return name(ctx, actor, ids, names)
	}
	return names, nil
}

// Namer puts into names the names of those records among ids (sorted, no
// duplicates) that the actor may see.
type Namer func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error)

// platformNames names the platform's records; sessions have no name.
func (a *App) platformNames() map[string]Namer {
	return map[string]Namer{
		account.UserKind.Entity: func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
			// One query per page of ids; ListUsers applies organisation scope.
			for chunk := range slices.Chunk(ids, store.MaxLimit) {
				us, _, err := a.ListUsers(ctx, actor, store.UserFilter{IDs: chunk, Limit: len(chunk)})
				if err != nil {
					return nil, err
				}
				for _, u := range us {
					names[u.ID] = u.Name
				}
			}
			return names, nil
		},
		account.TeamKind.Entity:         naming(a.GetTeam, func(t account.Team) string { return t.Name }),
		account.OrganisationKind.Entity: naming(a.GetOrganisation, func(o account.Organisation) string { return o.Name }),
		account.TokenKind.Entity:        naming(a.GetToken, func(t account.Token) string { return t.Name }),
	}
}

// naming makes a Namer that reads records one by one with get.
func naming[T any](get func(context.Context, access.Actor, int64) (T, error), name func(T) string) Namer {
	return func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		return NameEach(ctx, actor, ids, names, get, name)
	}
}

// NameEach reads records one by one, for kinds whose references are few
// (a user's organisation); those the actor may not see, or that are gone,
// are skipped.
func NameEach[T any](ctx context.Context, actor access.Actor, ids []int64, names map[int64]string,
	get func(context.Context, access.Actor, int64) (T, error), name func(T) string) (map[int64]string, error) {
	for _, id := range ids {
		rec, err := get(ctx, actor, id)
		switch {
		case errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden):
			continue
		case err != nil:
			return nil, err
		}
		names[id] = name(rec)
	}
	return names, nil
}
