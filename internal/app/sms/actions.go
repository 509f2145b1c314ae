package sms

import (
	"context"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// actions are read by all staff; those who do the work change them.
var actions = app.Scope[sms.Action]{Kind: sms.ActionKind}

// ListActions lists actions.
func (c *Catalogue) ListActions(ctx context.Context, actor access.Actor, f store.ActionFilter) ([]sms.Action, string, error) {
	if err := actions.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListActions(ctx, f)
}

// GetAction reads one action.
func (c *Catalogue) GetAction(ctx context.Context, actor access.Actor, id int64) (sms.Action, error) {
	return actions.Get(ctx, actor, id, c.db.GetAction)
}

// CreateAction adds an action.
func (c *Catalogue) CreateAction(ctx context.Context, actor access.Actor, in sms.ActionInput) (sms.Action, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, actions.Kind.Write, "create actions", in.Validate, func(tx *store.Tx) (sms.Action, error) {
		var a sms.Action
		if err := c.checkRefs(ctx, actor, in); err != nil {
			return a, err
		}
		if err := checkDependencies(ctx, tx, 0, in.DependsOn); err != nil {
			return a, err
		}
		in.Set(&a)
		return a, tx.CreateAction(ctx, actor, &a)
	})
}

// UpdateAction changes an action read at version (0: any).
func (c *Catalogue) UpdateAction(ctx context.Context, actor access.Actor, id, version int64, up sms.ActionUpdate) (sms.Action, error) {
	return app.Change(ctx, c.app, actor, actions.Kind.Write, "change actions", nil, func(tx *store.Tx) (sms.Action, error) {
		return tx.UpdateAction(ctx, actor, id, version, actions.GuardChange(actor, id, func(a *sms.Action) error {
			in := up.Apply(*a)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if err := c.checkRefs(ctx, actor, in); err != nil {
				return err
			}
			if err := checkDependencies(ctx, tx, id, in.DependsOn); err != nil {
				return err
			}
			in.Set(a)
			return nil
		}))
	})
}

// DeleteAction removes an action read at version (0: any). An action
// others wait for is not deleted: they are named, so that their
// dependencies are changed first (or the action cancelled instead).
func (c *Catalogue) DeleteAction(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, actions.Kind.Write, "delete actions", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteAction(ctx, actor, id, version, actions.Guard(actor, id, func(sms.Action) error {
			waiting, err := tx.ActionsWaitingFor(ctx, id)
			if err != nil || len(waiting) == 0 {
				return err
			}
			nums := make([]string, len(waiting))
			for i, w := range waiting {
				nums[i] = sms.ActionKind.Number(w)
			}
			return errs.E(errs.Conflict, "%s cannot be deleted while %s wait for it: take it out of their dependencies first, or cancel it instead",
				sms.ActionKind.Number(id), strings.Join(nums, ", "))
		}))
	}))
	return err
}

// checkDependencies refuses dependencies of action id (0: a new one) on
// itself or that would close a cycle, read in the transaction; one that
// does not exist is refused by the table's link.
func checkDependencies(ctx context.Context, tx *store.Tx, id int64, deps []int64) error {
	if len(deps) == 0 || id == 0 {
		return nil
	}
	graph, err := tx.ActionDependencies(ctx)
	if err != nil {
		return err
	}
	return sms.CheckDependencies(id, deps, graph)
}

// Dependencies reads the actions a waits for and those waiting for it,
// as the reader may see them, for its page.
func (c *Catalogue) Dependencies(ctx context.Context, actor access.Actor, a sms.Action) (waitsFor, blocks []sms.Action, err error) {
	if len(a.DependsOn) > 0 {
		if waitsFor, _, err = c.ListActions(ctx, actor, store.ActionFilter{IDs: a.DependsOn, Limit: store.MaxLimit}); err != nil {
			return nil, nil, err
		}
	}
	blocks, _, err = c.ListActions(ctx, actor, store.ActionFilter{Blocks: a.ID, Limit: store.MaxLimit})
	return waitsFor, blocks, err
}

// checkRefs refuses an owner who cannot act on actions and a source
// record that does not exist or that the actor may not see (of the kind
// sms.ActionSources names for the source), naming the field.
func (c *Catalogue) checkRefs(ctx context.Context, actor access.Actor, in sms.ActionInput) error {
	owner, err := c.app.GetUser(ctx, access.CLI, in.OwnerID)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field("owner_id", "names no user")
	case err != nil:
		return err
	case !owner.Active:
		return errs.Field("owner_id", "names a deactivated user")
	case !owner.Actor("").Can(access.ActionsRead):
		return errs.Field("owner_id", "names a user whose role cannot see actions; choose one of the provider's staff")
	}
	if src, _ := sms.SourceOf(in.Source); src.Entity != "" {
		if err := c.app.See(ctx, actor, src.Entity, in.SourceID); errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
			return errs.Field("source_id", "names no record of the source's kind")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// ActionsFrom lists the actions a record asked for: those whose source's
// kind is entity and whose source record is id (a risk's treatment
// actions), for the record's page.
func (c *Catalogue) ActionsFrom(ctx context.Context, actor access.Actor, entity string, id int64) ([]sms.Action, error) {
	src, ok := sms.SourceFor(entity)
	if !ok {
		return nil, nil
	}
	as, _, err := c.ListActions(ctx, actor, store.ActionFilter{Source: src.Code, SourceID: id, Limit: store.MaxLimit})
	return as, err
}

// Today is the day, in UTC, days from today (-1: yesterday), by the
// store's clock, as actions write their days.
func (c *Catalogue) Today(days int) string {
	return c.db.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly)
}
