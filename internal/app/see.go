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
