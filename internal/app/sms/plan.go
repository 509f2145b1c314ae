package sms

import (
	"context"
	"sync"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// planning keeps two plans of one instance from being made at once, so a
// double click makes the actions once; the check in the transaction keeps
// a plan made later from repeating them.
var planning sync.Mutex

// PlanFromGaps makes the implementation plan from an assessment: one
// action for each requirement not yet implemented (not started or
// partly), as a gap linked to the requirement, owned by whoever answers
// for the result or else by the caller, with a higher priority for what
// is not started. A requirement that already has a gap action gets none,
// so making the plan again adds only new gaps. It returns the actions
// made, all in one transaction.
func (c *Catalogue) PlanFromGaps(ctx context.Context, actor access.Actor, assessmentID int64) ([]sms.Action, error) {
	rs, err := c.ResultsOf(ctx, actor, assessmentID)
	if err != nil {
		return nil, err
	}
	var gaps []sms.Result
	var ids []int64
	for _, r := range rs {
		if r.Status == "not_started" || r.Status == "partial" {
			gaps, ids = append(gaps, r), append(ids, r.RequirementID)
		}
	}
	reqs, _, err := c.ListRequirements(ctx, actor, store.RequirementFilter{IDs: ids, Limit: len(ids) + 1})
	if err != nil {
		return nil, err
	}
	titles := map[int64]string{}
	for _, r := range reqs {
		titles[r.ID] = r.Label()
	}
	planning.Lock()
	defer planning.Unlock()
	return app.Change(ctx, c.app, actor, actions.Kind.Write, "create actions", nil, func(tx *store.Tx) ([]sms.Action, error) {
		planned, err := tx.GapActionRequirements(ctx)
		if err != nil {
			return nil, err
		}
		var made []sms.Action
		for _, r := range gaps {
			if planned[r.RequirementID] {
				continue
			}
			in := sms.ActionInput{Title: "Close the gap: " + titles[r.RequirementID], OwnerID: actor.UserID, Source: "gap", SourceID: r.RequirementID, Priority: "medium"}
			if r.OwnerID != nil {
				in.OwnerID = *r.OwnerID
			}
			if r.Status == "not_started" {
				in.Priority = "high"
			}
			in.Normalize()
			if err := in.Validate(); err != nil {
				return nil, err
			}
			var a sms.Action
			in.Set(&a)
			if err := tx.CreateAction(ctx, actor, &a); err != nil {
				return nil, err
			}
			made = append(made, a)
		}
		return made, nil
	})
}
