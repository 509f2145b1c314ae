package assurance

import (
	"context"
	"fmt"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Reviews are read by all staff; top management and the SMS managers
// plan, prepare and hold them.
var reviews = app.Scope[assurance.ManagementReview]{Kind: assurance.ManagementReviewKind}

// ListManagementReviews lists reviews.
func (c *Catalogue) ListManagementReviews(ctx context.Context, actor access.Actor, f store.ManagementReviewFilter) ([]assurance.ManagementReview, string, error) {
	if err := reviews.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListManagementReviews(ctx, f)
}

// GetManagementReview reads one review.
func (c *Catalogue) GetManagementReview(ctx context.Context, actor access.Actor, id int64) (assurance.ManagementReview, error) {
	return reviews.Get(ctx, actor, id, c.db.GetManagementReview)
}

// CreateManagementReview plans a review.
func (c *Catalogue) CreateManagementReview(ctx context.Context, actor access.Actor, in assurance.ReviewInput) (assurance.ManagementReview, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, reviews.Kind.Write, "plan management reviews", func() error {
		if in.HeldOn != "" {
			return errs.Field("held_on", "is set by holding the review, once it is prepared")
		}
		return in.Validate()
	}, func(tx *store.Tx) (assurance.ManagementReview, error) {
		r := assurance.ManagementReview{State: "planned"}
		if err := c.checkPeople(ctx, in, assurance.ManagementReview{}); err != nil {
			return r, err
		}
		in.Set(&r)
		return r, tx.CreateManagementReview(ctx, actor, &r)
	})
}

// UpdateManagementReview changes a review read at version (0: any): its
// plan before it is held; its minutes and decisions until they are
// approved. The input pack is never written here.
func (c *Catalogue) UpdateManagementReview(ctx context.Context, actor access.Actor, id, version int64, up assurance.ReviewUpdate) (assurance.ManagementReview, error) {
	return app.Change(ctx, c.app, actor, reviews.Kind.Write, "change management reviews", nil, func(tx *store.Tx) (assurance.ManagementReview, error) {
		return tx.UpdateManagementReview(ctx, actor, id, version, reviews.GuardChange(actor, id, func(r *assurance.ManagementReview) error {
			in, err := up.Apply(*r)
			if err != nil {
				return err
			}
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if err := c.checkPeople(ctx, in, *r); err != nil {
				return err
			}
			in.Set(r)
			return nil
		}))
	})
}

// DeleteManagementReview removes a review read at version (0: any) that
// was never held: a held review is a record the SMS keeps (cancel a
// planned one instead of deleting it, to keep that it was planned).
func (c *Catalogue) DeleteManagementReview(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, reviews.Kind.Write, "delete management reviews", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteManagementReview(ctx, actor, id, version, reviews.Guard(actor, id, func(r assurance.ManagementReview) error {
			if r.Frozen() {
				return errs.E(errs.Conflict, "%s was held: its record, input pack and minutes are kept", reviews.Kind.Number(id))
			}
			return nil
		}))
	}))
	return err
}

// PrepareManagementReview assembles the review's input pack from the
// live records, as the actor may read them, and stores it; a prepared
// review may be prepared again to bring its pack up to date, until it is
// held.
func (c *Catalogue) PrepareManagementReview(ctx context.Context, actor access.Actor, id, version int64) (assurance.ManagementReview, error) {
	if err := app.Require(actor, reviews.Kind.Write, "prepare management reviews"); err != nil {
		return assurance.ManagementReview{}, err
	}
	r, err := c.GetManagementReview(ctx, actor, id)
	if err != nil {
		return r, err
	}
	if err := r.CanPrepare(); err != nil {
		return r, err
	}
	pack, err := c.AssemblePack(ctx, actor, r)
	if err != nil {
		return r, err
	}
	text, err := pack.Encode()
	if err != nil {
		return r, err
	}
	return app.Change(ctx, c.app, actor, reviews.Kind.Write, "prepare management reviews", nil, func(tx *store.Tx) (assurance.ManagementReview, error) {
		return tx.UpdateManagementReview(ctx, actor, id, version, reviews.GuardChange(actor, id, func(r *assurance.ManagementReview) error {
			if err := r.CanPrepare(); err != nil {
				return err
			}
			r.Pack, r.PreparedOn, r.State = text, pack.AssembledOn, "prepared"
			return nil
		}))
	})
}

// HoldManagementReview records that a prepared review was held on the
// day given ("" for today): its input pack is frozen as it stands, and
// its SHA-256 kept beside it. The pack is never assembled again.
func (c *Catalogue) HoldManagementReview(ctx context.Context, actor access.Actor, id, version int64, heldOn string) (assurance.ManagementReview, error) {
	today := c.sms.Today(0)
	if heldOn == "" {
		heldOn = today
	}
	return app.Change(ctx, c.app, actor, reviews.Kind.Write, "hold management reviews", nil, func(tx *store.Tx) (assurance.ManagementReview, error) {
		return tx.UpdateManagementReview(ctx, actor, id, version, reviews.GuardChange(actor, id, func(r *assurance.ManagementReview) error {
			if err := r.CanHold(heldOn, today); err != nil {
				return err
			}
			r.HeldOn, r.State, r.PackHash = heldOn, "held", assurance.HashPack(r.Pack)
			return nil
		}))
	})
}

// ApproveReviewMinutes records that the actor approved a held review's
// minutes today; the review then no longer changes.
func (c *Catalogue) ApproveReviewMinutes(ctx context.Context, actor access.Actor, id, version int64) (assurance.ManagementReview, error) {
	today := c.sms.Today(0)
	return app.Change(ctx, c.app, actor, reviews.Kind.Write, "approve management review minutes", nil, func(tx *store.Tx) (assurance.ManagementReview, error) {
		return tx.UpdateManagementReview(ctx, actor, id, version, reviews.GuardChange(actor, id, func(r *assurance.ManagementReview) error {
			if err := r.CanApprove(); err != nil {
				return err
			}
			r.State, r.ApprovedBy, r.ApprovedOn = "approved", actor.UserID, today
			return nil
		}))
	})
}

// CancelManagementReview cancels a review not yet held.
func (c *Catalogue) CancelManagementReview(ctx context.Context, actor access.Actor, id, version int64) (assurance.ManagementReview, error) {
	return app.Change(ctx, c.app, actor, reviews.Kind.Write, "cancel management reviews", nil, func(tx *store.Tx) (assurance.ManagementReview, error) {
		return tx.UpdateManagementReview(ctx, actor, id, version, reviews.GuardChange(actor, id, func(r *assurance.ManagementReview) error {
			if err := r.CanCancel(); err != nil {
				return err
			}
			r.State = "cancelled"
			return nil
		}))
	})
}

// LastHeldReview is the review held most recently (on the latest day),
// except the one named by except (0: none); ok is false before the first.
func (c *Catalogue) LastHeldReview(ctx context.Context, actor access.Actor, except int64) (assurance.ManagementReview, bool, error) {
	var last assurance.ManagementReview
	found := false
	for _, state := range []string{"held", "approved"} {
		rs, _, err := c.ListManagementReviews(ctx, actor, store.ManagementReviewFilter{State: state, Limit: store.MaxLimit})
		if err != nil {
			return last, false, err
		}
		for _, r := range rs {
			if r.ID != except && (!found || r.HeldOn > last.HeldOn) {
				last, found = r, true
			}
		}
	}
	return last, found, nil
}

// NextReviewDay suggests the day of the next review: the last held
// review's day plus its interval; "" before the first review is held.
func (c *Catalogue) NextReviewDay(ctx context.Context, actor access.Actor) (string, assurance.ManagementReview, error) {
	last, ok, err := c.LastHeldReview(ctx, actor, 0)
	if err != nil || !ok {
		return "", last, err
	}
	return last.NextDue(), last, nil
}

// checkPeople refuses a chair who is not top management or an SMS
// manager, or is deactivated, and an attendee who is deactivated,
// naming the field; people already on the review stay acceptable.
func (c *Catalogue) checkPeople(ctx context.Context, in assurance.ReviewInput, was assurance.ManagementReview) error {
	if in.ChairID != was.ChairID {
		u, err := c.app.GetUser(ctx, access.CLI, in.ChairID)
		switch {
		case errs.Is(err, errs.NotFound):
			return errs.Field("chair_id", fmt.Sprintf("names user %d, who does not exist", in.ChairID))
		case err != nil:
			return err
		case !u.Active:
			return errs.Field("chair_id", fmt.Sprintf("names %s, who is deactivated", u.Name))
		case u.Role != access.TopManagement && u.Role != access.SMSManager:
			return errs.Field("chair_id", fmt.Sprintf("names %s, who is neither top management nor an SMS manager", u.Name))
		}
	}
	for _, id := range in.AttendeeIDs {
		if slices.Contains(was.AttendeeIDs, id) {
			continue
		}
		u, err := c.app.GetUser(ctx, access.CLI, id)
		switch {
		case errs.Is(err, errs.NotFound):
			return errs.Field("attendee_ids", fmt.Sprintf("names user %d, who does not exist", id))
		case err != nil:
			return err
		case !u.Active:
			return errs.Field("attendee_ids", fmt.Sprintf("names %s, who is deactivated", u.Name))
		}
	}
	return nil
}

// reviewParts adds the reviews' and the improvements' Seers, Namers and
// Finders to the area.
func (c *Catalogue) reviewParts(ar *app.Area) {
	rk, ik := assurance.ManagementReviewKind, assurance.ImprovementKind
	ar.See[rk.Entity] = app.Seeing(c.GetManagementReview)
	ar.See[ik.Entity] = app.Seeing(c.GetImprovement)
	ar.Names[rk.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		rs, _, err := c.ListManagementReviews(ctx, actor, store.ManagementReviewFilter{IDs: ids, Limit: store.MaxLimit})
		for _, r := range rs {
			names[r.ID] = r.Title
		}
		return names, err
	}
	ar.Names[ik.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		is, _, err := c.ListImprovements(ctx, actor, store.ImprovementFilter{IDs: ids, Limit: store.MaxLimit})
		for _, i := range is {
			names[i.ID] = i.Title
		}
		return names, err
	}
	ar.Find[rk.Entity] = func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
		rs, _, err := c.ListManagementReviews(ctx, actor, store.ManagementReviewFilter{Query: q, Limit: limit})
		var out []app.Found
		for _, r := range rs {
			out = append(out, app.Found{Entity: rk.Entity, ID: r.ID, Name: r.Title, Detail: rk.Number(r.ID)})
		}
		return out, err
	}
	ar.Find[ik.Entity] = func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
		is, _, err := c.ListImprovements(ctx, actor, store.ImprovementFilter{Query: q, Limit: limit})
		var out []app.Found
		for _, i := range is {
			out = append(out, app.Found{Entity: ik.Entity, ID: i.ID, Name: i.Title, Detail: ik.Number(i.ID)})
		}
		return out, err
	}
}

// ReviewActions lists the actions a review ("review") or an improvement
// ("improvement") asked for.
func (c *Catalogue) ReviewActions(ctx context.Context, actor access.Actor, source string, id int64) ([]sms.Action, string, error) {
	return c.sms.ListActions(ctx, actor, store.ActionFilter{Source: source, SourceID: id, Limit: store.MaxLimit})
}

// ReviewToday is the day it is, in UTC, as reviews are dated.
func (c *Catalogue) ReviewToday() string { return c.sms.Today(0) }
