package sms

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Objectives and their values are read by all staff; the SMS managers and
// process owners change them.
var (
	objectives      = app.Scope[sms.Objective]{Kind: sms.ObjectiveKind}
	objectiveValues = app.Scope[sms.ObjectiveValue]{Kind: sms.ObjectiveValueKind}
)

// ListObjectives lists objectives.
func (c *Catalogue) ListObjectives(ctx context.Context, actor access.Actor, f store.ObjectiveFilter) ([]sms.Objective, string, error) {
	if err := objectives.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListObjectives(ctx, f)
}

// GetObjective reads one objective.
func (c *Catalogue) GetObjective(ctx context.Context, actor access.Actor, id int64) (sms.Objective, error) {
	return objectives.Get(ctx, actor, id, c.db.GetObjective)
}

// LatestValues reads the latest value of each objective named that has
// one, for flagging those that miss their target.
func (c *Catalogue) LatestValues(ctx context.Context, actor access.Actor, ids []int64) (map[int64]sms.ObjectiveValue, error) {
	if err := objectiveValues.MayRead(actor, "list"); err != nil {
		return nil, err
	}
	return c.db.LatestValues(ctx, ids)
}

// ValuesOf reads every value of an objective, oldest first.
func (c *Catalogue) ValuesOf(ctx context.Context, actor access.Actor, objectiveID int64) ([]sms.ObjectiveValue, error) {
	if _, err := c.GetObjective(ctx, actor, objectiveID); err != nil {
		return nil, err
	}
	if err := objectiveValues.MayRead(actor, "list"); err != nil {
		return nil, err
	}
	return c.db.ValuesOf(ctx, objectiveID)
}

// CreateObjective adds an objective.
func (c *Catalogue) CreateObjective(ctx context.Context, actor access.Actor, in sms.ObjectiveInput) (sms.Objective, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, objectives.Kind.Write, "create objectives", in.Validate, func(tx *store.Tx) (sms.Objective, error) {
		var o sms.Objective
		if err := c.checkPerson(ctx, "owner_id", in.OwnerID, access.ObjectivesRead, "objectives"); err != nil {
			return o, err
		}
		in.Set(&o)
		return o, tx.CreateObjective(ctx, actor, &o)
	})
}

// UpdateObjective changes an objective read at version (0: any).
func (c *Catalogue) UpdateObjective(ctx context.Context, actor access.Actor, id, version int64, up sms.ObjectiveUpdate) (sms.Objective, error) {
	return app.Change(ctx, c.app, actor, objectives.Kind.Write, "change objectives", nil, func(tx *store.Tx) (sms.Objective, error) {
		return tx.UpdateObjective(ctx, actor, id, version, objectives.GuardChange(actor, id, func(o *sms.Objective) error {
			in := up.Apply(*o)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if in.OwnerID != o.OwnerID {
				if err := c.checkPerson(ctx, "owner_id", in.OwnerID, access.ObjectivesRead, "objectives"); err != nil {
					return err
				}
			}
			in.Set(o)
			return nil
		}))
	})
}

// DeleteObjective removes an objective read at version (0: any) with its
// values, each audited. An objective a process names as a KPI stays:
// the refusal names the processes.
func (c *Catalogue) DeleteObjective(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, objectives.Kind.Write, "delete objectives", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteObjective(ctx, actor, id, version, objectives.Guard(actor, id, func(sms.Objective) error {
			if err := refusedWhileNamed(ctx, tx, "process_kpis", "objective_id", id, "a KPI"); err != nil {
				return err
			}
			vs, err := tx.ValuesOf(ctx, id)
			if err != nil {
				return err
			}
			for _, v := range vs {
				if err := tx.DeleteObjectiveValue(ctx, actor, v.ID, 0, nil); err != nil {
					return err
				}
			}
			return nil
		}))
	}))
	return err
}

// refusedWhileNamed refuses to delete a record that processes name in
// one of their lists (as "a KPI", "an interface"), naming them.
func refusedWhileNamed(ctx context.Context, tx *store.Tx, table, column string, id int64, as string) error {
	ids, err := tx.ProcessesReferring(ctx, table, column, id)
	if err != nil || len(ids) == 0 {
		return err
	}
	return errs.E(errs.Conflict, "it is %s of %s: take it off there first", as, numbers(sms.ProcessKind, ids))
}

// numbers writes records' human numbers as a list.
func numbers(k record.Kind, ids []int64) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = k.Number(id)
	}
	return strings.Join(out, ", ")
}

// ListObjectiveValues lists values.
func (c *Catalogue) ListObjectiveValues(ctx context.Context, actor access.Actor, f store.ObjectiveValueFilter) ([]sms.ObjectiveValue, string, error) {
	if err := objectiveValues.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListObjectiveValues(ctx, f)
}

// GetObjectiveValue reads one value.
func (c *Catalogue) GetObjectiveValue(ctx context.Context, actor access.Actor, id int64) (sms.ObjectiveValue, error) {
	return objectiveValues.Get(ctx, actor, id, c.db.GetObjectiveValue)
}

// today is the day it is now, in UTC, as values are dated.
func (c *Catalogue) today() string { return time.Now().UTC().Format(time.DateOnly) }

// RecordValue records a value measured for an objective; a second value
// for the same day is refused (change the first).
func (c *Catalogue) RecordValue(ctx context.Context, actor access.Actor, in sms.ValueInput) (sms.ObjectiveValue, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, objectiveValues.Kind.Write, "record objective values", func() error { return in.Validate(c.today()) },
		func(tx *store.Tx) (sms.ObjectiveValue, error) {
			var v sms.ObjectiveValue
			if _, err := c.db.GetObjective(ctx, in.ObjectiveID); errs.Is(err, errs.NotFound) {
				return v, errs.Field("objective_id", "names no objective")
			} else if err != nil {
				return v, err
			}
			in.Set(&v)
			return v, tx.CreateObjectiveValue(ctx, actor, &v)
		})
}

// UpdateObjectiveValue changes a value read at version (0: any).
func (c *Catalogue) UpdateObjectiveValue(ctx context.Context, actor access.Actor, id, version int64, up sms.ValueUpdate) (sms.ObjectiveValue, error) {
	return app.Change(ctx, c.app, actor, objectiveValues.Kind.Write, "change objective values", nil, func(tx *store.Tx) (sms.ObjectiveValue, error) {
		return tx.UpdateObjectiveValue(ctx, actor, id, version, objectiveValues.GuardChange(actor, id, func(v *sms.ObjectiveValue) error {
			in := up.Apply(*v)
			in.Normalize()
			if err := in.Validate(c.today()); err != nil {
				return err
			}
			in.Set(v)
			return nil
		}))
	})
}

// DeleteObjectiveValue removes a value read at version (0: any).
func (c *Catalogue) DeleteObjectiveValue(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, objectiveValues.Kind.Write, "delete objective values", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteObjectiveValue(ctx, actor, id, version, objectiveValues.Guard(actor, id, nil))
	}))
	return err
}

// checkPerson refuses a user who does not exist, is deactivated, or whose
// role cannot see what they would be named for, naming the field.
func (c *Catalogue) checkPerson(ctx context.Context, field string, id int64, perm access.Permission, what string) error {
	u, err := c.app.GetUser(ctx, access.CLI, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field(field, fmt.Sprintf("names user %d, who does not exist", id))
	case err != nil:
		return err
	case !u.Active:
		return errs.Field(field, fmt.Sprintf("names %s, who is deactivated", u.Name))
	case !u.Actor("").Can(perm):
		return errs.Field(field, fmt.Sprintf("names %s, whose role cannot see %s; choose one of the provider's staff", u.Name, what))
	}
	return nil
}
