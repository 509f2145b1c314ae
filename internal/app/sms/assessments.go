package sms

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Assessments and their results are read by all staff; the assessors
// (access.AssessmentsWrite) change them.
var (
	assessments = app.Scope[sms.Assessment]{Kind: sms.AssessmentKind}
	results     = app.Scope[sms.Result]{Kind: sms.ResultKind}
)

// ListAssessments lists assessments.
func (c *Catalogue) ListAssessments(ctx context.Context, actor access.Actor, f store.AssessmentFilter) ([]sms.Assessment, string, error) {
	if err := assessments.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListAssessments(ctx, f)
}

// GetAssessment reads one assessment.
func (c *Catalogue) GetAssessment(ctx context.Context, actor access.Actor, id int64) (sms.Assessment, error) {
	return assessments.Get(ctx, actor, id, c.db.GetAssessment)
}

// CreateAssessment starts an assessment over a framework, with a result
// "not started" for each of the framework's requirements, all in one
// transaction, each audited.
func (c *Catalogue) CreateAssessment(ctx context.Context, actor access.Actor, in sms.AssessmentInput) (sms.Assessment, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, assessments.Kind.Write, "create assessments", in.Validate, func(tx *store.Tx) (sms.Assessment, error) {
		var a sms.Assessment
		if _, err := c.db.GetFramework(ctx, in.FrameworkID); errs.Is(err, errs.NotFound) {
			return a, errs.Field("framework_id", "names no framework")
		} else if err != nil {
			return a, err
		}
		reqs, err := tx.RequirementTree(ctx, in.FrameworkID)
		if err != nil {
			return a, err
		}
		if len(reqs) == 0 {
			return a, errs.Field("framework_id", "names a framework with no requirements to assess")
		}
		in.Set(&a)
		if err := tx.CreateAssessment(ctx, actor, &a); err != nil {
			return a, err
		}
		for _, r := range reqs {
			res := sms.Result{AssessmentID: a.ID, RequirementID: r.ID, Status: "not_started"}
			if err := tx.CreateResult(ctx, actor, &res); err != nil {
				return a, err
			}
		}
		return a, nil
	})
}

// UpdateAssessment changes an assessment read at version (0: any).
func (c *Catalogue) UpdateAssessment(ctx context.Context, actor access.Actor, id, version int64, up sms.AssessmentUpdate) (sms.Assessment, error) {
	return app.Change(ctx, c.app, actor, assessments.Kind.Write, "change assessments", nil, func(tx *store.Tx) (sms.Assessment, error) {
		return tx.UpdateAssessment(ctx, actor, id, version, assessments.GuardChange(actor, id, func(a *sms.Assessment) error {
			in := up.Apply(*a)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			in.Set(a)
			return nil
		}))
	})
}

// DeleteAssessment removes an assessment read at version (0: any) with
// its results, each audited.
func (c *Catalogue) DeleteAssessment(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, assessments.Kind.Write, "delete assessments", nil, app.NoResult(func(tx *store.Tx) error {
		rs, err := tx.ResultsOf(ctx, id)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if err := tx.DeleteResult(ctx, actor, r.ID, 0); err != nil {
				return err
			}
		}
		return tx.DeleteAssessment(ctx, actor, id, version, assessments.Guard(actor, id, nil))
	}))
	return err
}

// ListResults lists results.
func (c *Catalogue) ListResults(ctx context.Context, actor access.Actor, f store.ResultFilter) ([]sms.Result, string, error) {
	if err := results.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListResults(ctx, f)
}

// ResultsOf reads every result of an assessment, in its framework's
// order.
func (c *Catalogue) ResultsOf(ctx context.Context, actor access.Actor, assessmentID int64) ([]sms.Result, error) {
	if _, err := c.GetAssessment(ctx, actor, assessmentID); err != nil {
		return nil, err
	}
	if err := results.MayRead(actor, "list"); err != nil {
		return nil, err
	}
	return c.db.ResultsOf(ctx, assessmentID)
}

// GetResult reads one result.
func (c *Catalogue) GetResult(ctx context.Context, actor access.Actor, id int64) (sms.Result, error) {
	return results.Get(ctx, actor, id, c.db.GetResult)
}

// UpdateResult changes one result read at version (0: any). Not
// applicable is refused unless the framework allows exclusions, and then
// needs a justification; the results of a closed assessment stay as they
// were.
func (c *Catalogue) UpdateResult(ctx context.Context, actor access.Actor, id, version int64, up sms.ResultUpdate) (sms.Result, error) {
	return app.Change(ctx, c.app, actor, results.Kind.Write, "change assessment results", nil, func(tx *store.Tx) (sms.Result, error) {
		return tx.UpdateResult(ctx, actor, id, version, results.GuardChange(actor, id, func(r *sms.Result) error {
			a, err := c.db.GetAssessment(ctx, r.AssessmentID)
			if err != nil {
				return err
			}
			if a.State == "closed" {
				return errs.E(errs.Conflict, "%s is closed: reopen it to change its results", sms.AssessmentKind.Number(a.ID))
			}
			fw, err := c.db.GetFramework(ctx, a.FrameworkID)
			if err != nil {
				return err
			}
			if err := up.Apply(r, fw.AllowsExclusions); err != nil {
				return err
			}
			if len(up.Answers) > 0 {
				req, err := c.db.GetRequirement(ctx, r.RequirementID)
				if err != nil {
					return err
				}
				if err := r.SetAnswers(req.QuestionList(), up.Answers); err != nil {
					return err
				}
			}
			if r.OwnerID != nil {
				return c.checkAssessor(ctx, "owner_id", *r.OwnerID)
			}
			return nil
		}))
	})
}

// checkAssessor refuses, on field, a user who is missing, deactivated or
// whose role cannot see assessments.
func (c *Catalogue) checkAssessor(ctx context.Context, field string, id int64) error {
	u, err := c.app.GetUser(ctx, access.CLI, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field(field, "names no user")
	case err != nil:
		return err
	case !u.Active:
		return errs.Field(field, "names a deactivated user")
	case !u.Actor("").Can(access.AssessmentsRead):
		return errs.Field(field, "names a user whose role cannot see assessments; choose one of the provider's staff")
	}
	return nil
}
