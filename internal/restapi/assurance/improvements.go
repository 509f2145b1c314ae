package assurance

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Improvement is an opportunity on the continual improvement register,
// with its priority and its implementation actions.
type Improvement struct {
	ID              int64          `json:"id"`
	Number          string         `json:"number" doc:"Human number, IMP-000001."`
	Title           string         `json:"title" doc:"The opportunity."`
	Description     string         `json:"description"`
	Source          string         `json:"source" enum:"audit,review,complaint,suggestion,monitoring,other"`
	SourceEntity    string         `json:"source_entity" doc:"The kind of record it came from (management_review, risk ...); empty for none."`
	SourceRef       int64          `json:"source_ref" doc:"The id of that record; 0 for none."`
	SubmittedBy     int64          `json:"submitted_by"`
	SubmittedOn     string         `json:"submitted_on"`
	Benefit         int64          `json:"benefit" doc:"1 to 5; 0 before the evaluation."`
	Effort          int64          `json:"effort" doc:"1 to 5; 0 before the evaluation."`
	Risk            int64          `json:"risk" doc:"1 to 5; 0 before the evaluation."`
	Alignment       int64          `json:"alignment" doc:"Alignment with the objectives, 1 to 5; 0 before the evaluation."`
	Priority        int64          `json:"priority" doc:"2 × benefit + 2 × alignment + (6 − effort) + (6 − risk), 6 to 30; 0 before the evaluation."`
	PriorityBand    string         `json:"priority_band" enum:"high,medium,low," doc:"high from 22, medium from 14, low below; empty before the evaluation."`
	State           string         `json:"state" enum:"submitted,evaluated,approved,rejected,in_progress,implemented,confirmed"`
	ApprovedBy      int64          `json:"approved_by" doc:"Who approved or rejected it; 0 before."`
	ApprovedOn      string         `json:"approved_on"`
	ExpectedBenefit string         `json:"expected_benefit"`
	RealisedBenefit string         `json:"realised_benefit"`
	Unit            string         `json:"unit" doc:"The unit of the measure taken before and after."`
	Before          *float64       `json:"before" doc:"The measure before; null until taken."`
	After           *float64       `json:"after" doc:"The measure after; null until taken."`
	Actions         []ReviewAction `json:"actions" doc:"The implementation actions (actions whose source is this improvement)."`
	CreatedAt       time.Time      `json:"created_at"`
	CreatedBy       int64          `json:"created_by"`
	UpdatedAt       time.Time      `json:"updated_at"`
	UpdatedBy       int64          `json:"updated_by"`
	Version         int64          `json:"version"`
}

func improvementOut(w improvementWith) Improvement {
	i := w.Improvement
	return Improvement{ID: i.ID, Number: assurance.ImprovementKind.Number(i.ID), Title: i.Title, Description: i.Description, Source: i.Source,
		SourceEntity: i.SourceEntity, SourceRef: i.SourceRef, SubmittedBy: i.SubmittedBy, SubmittedOn: i.SubmittedOn, Benefit: i.Benefit, Effort: i.Effort,
		Risk: i.Risk, Alignment: i.Alignment, Priority: i.Priority(), PriorityBand: i.PriorityBand(), State: i.State, ApprovedBy: i.ApprovedBy, ApprovedOn: i.ApprovedOn,
		ExpectedBenefit: i.ExpectedBenefit, RealisedBenefit: i.RealisedBenefit, Unit: i.Unit, Before: i.Before, After: i.After, Actions: actionsOut(w.actions),
		CreatedAt: i.CreatedAt, CreatedBy: i.CreatedBy, UpdatedAt: i.UpdatedAt, UpdatedBy: i.UpdatedBy, Version: i.Version}
}

type improvementFields struct {
	Title           string   `json:"title" maxLength:"200"`
	Description     string   `json:"description,omitempty" maxLength:"4000"`
	Source          string   `json:"source,omitempty" enum:"audit,review,complaint,suggestion,monitoring,other" doc:"suggestion when left out."`
	SourceEntity    string   `json:"source_entity,omitempty" maxLength:"50"`
	SourceRef       int64    `json:"source_ref,omitempty" minimum:"0"`
	SubmittedBy     int64    `json:"submitted_by,omitempty" minimum:"0" doc:"The caller when left out."`
	SubmittedOn     string   `json:"submitted_on,omitempty" maxLength:"10" doc:"Today when left out."`
	Benefit         int64    `json:"benefit,omitempty" doc:"1 to 5."`
	Effort          int64    `json:"effort,omitempty" doc:"1 to 5."`
	Risk            int64    `json:"risk,omitempty" doc:"1 to 5."`
	Alignment       int64    `json:"alignment,omitempty" doc:"1 to 5."`
	ExpectedBenefit string   `json:"expected_benefit,omitempty" maxLength:"4000"`
	RealisedBenefit string   `json:"realised_benefit,omitempty" maxLength:"4000"`
	Unit            string   `json:"unit,omitempty" maxLength:"30"`
	Before          *float64 `json:"before,omitempty"`
	After           *float64 `json:"after,omitempty"`
}

type improvementCreateIn struct {
	Body improvementFields
}

type improvementPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title           *string  `json:"title,omitempty" maxLength:"200"`
		Description     *string  `json:"description,omitempty" maxLength:"4000"`
		Source          *string  `json:"source,omitempty" enum:"audit,review,complaint,suggestion,monitoring,other"`
		SourceEntity    *string  `json:"source_entity,omitempty" maxLength:"50"`
		SourceRef       *int64   `json:"source_ref,omitempty" minimum:"0"`
		SubmittedBy     *int64   `json:"submitted_by,omitempty" minimum:"1"`
		SubmittedOn     *string  `json:"submitted_on,omitempty" maxLength:"10"`
		Benefit         *int64   `json:"benefit,omitempty" doc:"1 to 5; fixed once a decision is taken."`
		Effort          *int64   `json:"effort,omitempty" doc:"1 to 5; fixed once a decision is taken."`
		Risk            *int64   `json:"risk,omitempty" doc:"1 to 5; fixed once a decision is taken."`
		Alignment       *int64   `json:"alignment,omitempty" doc:"1 to 5; fixed once a decision is taken."`
		ExpectedBenefit *string  `json:"expected_benefit,omitempty" maxLength:"4000"`
		RealisedBenefit *string  `json:"realised_benefit,omitempty" maxLength:"4000"`
		Unit            *string  `json:"unit,omitempty" maxLength:"30"`
		Before          *float64 `json:"before,omitempty"`
		After           *float64 `json:"after,omitempty"`
	}
}

type improvementListIn struct {
	restapi.PageParams
	Q      string `query:"q" maxLength:"100" doc:"Part of the opportunity."`
	State  string `query:"state" enum:"submitted,evaluated,approved,rejected,in_progress,implemented,confirmed"`
	Source string `query:"source" enum:"audit,review,complaint,suggestion,monitoring,other"`
	Open   bool   `query:"open" doc:"Only those not rejected and not yet confirmed."`
}

func ptr[T any](p *T) **T {
	if p == nil {
		return nil
	}
	return &p
}

// registerImprovements adds the improvement register's operations.
func registerImprovements(api *restapi.API, c *assuranceapp.Catalogue) {
	k := assurance.ImprovementKind
	actions := func(ctx context.Context, actor access.Actor, i assurance.Improvement, err error) (improvementWith, error) {
		w := improvementWith{Improvement: i}
		if err != nil || !actor.Can(sms.ActionKind.Read) {
			return w, err
		}
		w.actions, _, err = c.ReviewActions(ctx, actor, "improvement", i.ID)
		return w, err
	}
	restapi.RegisterList(api, k, "Opportunities in id order, each with its priority and implementation actions.",
		func(ctx context.Context, actor access.Actor, in *improvementListIn) ([]improvementWith, string, error) {
			is, next, err := c.ListImprovements(ctx, actor, store.ImprovementFilter{Query: in.Q, State: in.State, Source: in.Source, Open: in.Open, Cursor: in.Cursor, Limit: in.Limit})
			out := make([]improvementWith, 0, len(is))
			for _, i := range is {
				if err != nil {
					break
				}
				var w improvementWith
				w, err = actions(ctx, actor, i, nil)
				out = append(out, w)
			}
			return out, next, err
		}, improvementOut)
	restapi.RegisterCreate(api, k, "Submits an opportunity; a criterion out of 1 to 5 is refused naming it.", func(ctx context.Context, actor access.Actor, in *improvementCreateIn) (improvementWith, error) {
		b := in.Body
		i, err := c.CreateImprovement(ctx, actor, assurance.ImprovementInput{Title: b.Title, Description: b.Description, Source: b.Source, SourceEntity: b.SourceEntity,
			SourceRef: b.SourceRef, SubmittedBy: b.SubmittedBy, SubmittedOn: b.SubmittedOn, Benefit: b.Benefit, Effort: b.Effort, Risk: b.Risk, Alignment: b.Alignment,
			ExpectedBenefit: b.ExpectedBenefit, RealisedBenefit: b.RealisedBenefit, Unit: b.Unit, Before: b.Before, After: b.After})
		return improvementWith{Improvement: i}, err
	}, improvementOut)
	restapi.RegisterGet(api, k, func(ctx context.Context, actor access.Actor, id int64) (improvementWith, error) {
		i, err := c.GetImprovement(ctx, actor, id)
		return actions(ctx, actor, i, err)
	}, improvementOut)
	restapi.RegisterUpdate(api, k, "The evaluation is fixed once the opportunity is approved or rejected (422 naming the criterion).",
		func(ctx context.Context, actor access.Actor, in *improvementPatchIn, version int64) (improvementWith, error) {
			b := in.Body
			i, err := c.UpdateImprovement(ctx, actor, in.ID, version, assurance.ImprovementUpdate{Title: b.Title, Description: b.Description, Source: b.Source,
				SourceEntity: b.SourceEntity, SourceRef: b.SourceRef, SubmittedBy: b.SubmittedBy, SubmittedOn: b.SubmittedOn, Benefit: b.Benefit, Effort: b.Effort,
				Risk: b.Risk, Alignment: b.Alignment, ExpectedBenefit: b.ExpectedBenefit, RealisedBenefit: b.RealisedBenefit, Unit: b.Unit,
				Before: ptr(b.Before), After: ptr(b.After)})
			return actions(ctx, actor, i, err)
		}, improvementOut)
	restapi.RegisterDelete(api, k, "", "Only before a decision is taken on it (409 otherwise).", c.DeleteImprovement)
	api.RegisterHistory(k)
	for _, s := range assuranceapp.ImprovementSteps {
		restapi.RegisterTransition(api, k, s.Perm, s.Verb, "Move an improvement to "+s.To,
			"Refused (422 on state) when the lifecycle does not allow it: submitted → evaluated (all four criteria scored) → approved or rejected → in_progress → implemented → confirmed (realised benefit and the measure after required).",
			func(ctx context.Context, actor access.Actor, id, version int64) (improvementWith, error) {
				i, err := c.MoveImprovement(ctx, actor, id, version, s.To)
				return actions(ctx, actor, i, err)
			}, improvementOut)
	}
}
