package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
)

// See checks that a record of entity exists and that the actor may see
// it, through its kind's Seer: for a reference to a record of a kind
// chosen at run time (an action's source). A kind not declared is
// not-found.
func (a *App) See(ctx context.Context, actor access.Actor, entity string, id int64) error {
	see := a.see[entity]
	if see == nil {
		return errs.E(errs.NotFound, "%s %d not found", entity, id)
	}
	return see(ctx, actor, id)
}

// SeeRecord checks that the actor may see the record entity id, of any
// kind: for a record that refers to another by entity and id. An entity
// that is no kind is refused naming entityField, a record that does not
// exist or that the actor may not see naming idField.
func (a *App) SeeRecord(ctx context.Context, actor access.Actor, entity string, id int64, entityField, idField string) error {
	see, ok := a.see[entity]
	if !ok {
		return errs.Field(entityField, "is not a kind of record")
	}
	err := see(ctx, actor, id)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return errs.Field(idField, "names no record you can see")
	}
	return err
}

// Searchable reports whether records of the kind can be found by name
// (by the jump box and the record pickers).
func (a *App) Searchable(entity string) bool { return a.finders[entity] != nil }
