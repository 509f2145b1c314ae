package assurance

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Improvements are read and raised by all staff; top management and the
// SMS managers decide on them.
var improvements = app.Scope[assurance.Improvement]{Kind: assurance.ImprovementKind}

// ListImprovements lists improvements.
func (c *Catalogue) ListImprovements(ctx context.Context, actor access.Actor, f store.ImprovementFilter) ([]assurance.Improvement, string, error) {
	if err := improvements.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListImprovements(ctx, f)
}

// GetImprovement reads one improvement.
func (c *Catalogue) GetImprovement(ctx context.Context, actor access.Actor, id int64) (assurance.Improvement, error) {
	return improvements.Get(ctx, actor, id, c.db.GetImprovement)
}

// CreateImprovement submits an opportunity; by the actor today unless the
// input says otherwise.
func (c *Catalogue) CreateImprovement(ctx context.Context, actor access.Actor, in assurance.ImprovementInput) (assurance.Improvement, error) {
	if in.SubmittedBy == 0 {
		in.SubmittedBy = actor.UserID
	}
	if in.SubmittedOn == "" {
		in.SubmittedOn = c.sms.Today(0)
	}
	in.Normalize()
	return app.Change(ctx, c.app, actor, improvements.Kind.Write, "submit improvements", func() error { return in.Validate(c.sms.Today(0)) },
		func(tx *store.Tx) (assurance.Improvement, error) {
			i := assurance.Improvement{State: "submitted"}
			if err := c.checkImprovementRefs(ctx, actor, in, i); err != nil {
				return i, err
			}
			in.Set(&i)
			return i, tx.CreateImprovement(ctx, actor, &i)
		})
}

// UpdateImprovement changes an improvement read at version (0: any); the
// evaluation is fixed once the decision is taken on it.
func (c *Catalogue) UpdateImprovement(ctx context.Context, actor access.Actor, id, version int64, up assurance.ImprovementUpdate) (assurance.Improvement, error) {
	return app.Change(ctx, c.app, actor, improvements.Kind.Write, "change improvements", nil, func(tx *store.Tx) (assurance.Improvement, error) {
		return tx.UpdateImprovement(ctx, actor, id, version, improvements.GuardChange(actor, id, func(i *assurance.Improvement) error {
			in, err := up.Apply(*i)
			if err != nil {
				return err
			}
			in.Normalize()
			if err := in.Validate(c.sms.Today(0)); err != nil {
				return err
			}
			if err := c.checkImprovementRefs(ctx, actor, in, *i); err != nil {
				return err
			}
			in.Set(i)
			return nil
		}))
	})
}

// DeleteImprovement removes an improvement read at version (0: any) that
// no decision was taken on yet.
func (c *Catalogue) DeleteImprovement(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, improvements.Kind.Write, "delete improvements", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteImprovement(ctx, actor, id, version, improvements.Guard(actor, id, func(i assurance.Improvement) error {
			if i.State != "submitted" && i.State != "evaluated" {
				return errs.E(errs.Conflict, "%s is %s: a decision was taken on it, so it stays on the register", improvements.Kind.Number(id), i.State)
			}
			return nil
		}))
	}))
	return err
}

// ImprovementSteps are the steps of an improvement's lifecycle the pages
// and the API offer, each with the permission it takes.
var ImprovementSteps = []struct {
	Verb, To string
	Perm     access.Permission
}{
	{"evaluate", "evaluated", access.ImprovementsWrite},
	{"approve", "approved", access.ImprovementsDecide},
	{"reject", "rejected", access.ImprovementsDecide},
	{"start", "in_progress", access.ImprovementsWrite},
	{"implement", "implemented", access.ImprovementsWrite},
	{"confirm", "confirmed", access.ImprovementsDecide},
}

// MoveImprovement takes a step of an improvement's lifecycle (to:
// evaluated, approved, rejected, in_progress, implemented, confirmed).
// Approving or rejecting records the actor and today as the decision.
func (c *Catalogue) MoveImprovement(ctx context.Context, actor access.Actor, id, version int64, to string) (assurance.Improvement, error) {
	perm := access.ImprovementsWrite
	for _, s := range ImprovementSteps {
		if s.To == to {
			perm = s.Perm
		}
	}
	today := c.sms.Today(0)
	return app.Change(ctx, c.app, actor, perm, "move improvements to "+to, nil, func(tx *store.Tx) (assurance.Improvement, error) {
		return tx.UpdateImprovement(ctx, actor, id, version, improvements.GuardChange(actor, id, func(i *assurance.Improvement) error {
			if err := i.CanMove(to); err != nil {
				return err
			}
			if to == "approved" || to == "rejected" {
				if err := i.CheckDecisionDay(today); err != nil {
					return err
				}
				i.ApprovedBy, i.ApprovedOn = actor.UserID, today
			}
			i.State = to
			return nil
		}))
	})
}

// checkImprovementRefs refuses a submitter who does not exist and a
// source record the actor may not see, naming the field.
func (c *Catalogue) checkImprovementRefs(ctx context.Context, actor access.Actor, in assurance.ImprovementInput, was assurance.Improvement) error {
	if in.SubmittedBy != was.SubmittedBy {
		u, err := c.app.GetUser(ctx, access.CLI, in.SubmittedBy)
		switch {
		case errs.Is(err, errs.NotFound):
			return errs.Field("submitted_by", fmt.Sprintf("names user %d, who does not exist", in.SubmittedBy))
		case err != nil:
			return err
		case !u.Active:
			return errs.Field("submitted_by", fmt.Sprintf("names %s, who is deactivated", u.Name))
		}
	}
	if in.SourceRef != 0 && (in.SourceRef != was.SourceRef || in.SourceEntity != was.SourceEntity) {
		return c.app.SeeRecord(ctx, actor, in.SourceEntity, in.SourceRef, "source_entity", "source_ref")
	}
	return nil
}
