package sms

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Assessment is a dated gap analysis over a framework.
type Assessment struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number" doc:"Human number, ASM-000001."`
	FrameworkID int64     `json:"framework_id"`
	Title       string    `json:"title"`
	StartedOn   string    `json:"started_on" doc:"The day it started (2006-01-02)."`
	State       string    `json:"state" enum:"open,closed" doc:"A closed assessment's results no longer change."`
	Notes       string    `json:"notes"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

func assessmentOut(a sms.Assessment) Assessment {
	return Assessment{ID: a.ID, Number: sms.AssessmentKind.Number(a.ID), FrameworkID: a.FrameworkID, Title: a.Title, StartedOn: a.StartedOn,
		State: a.State, Notes: a.Notes, CreatedAt: a.CreatedAt, CreatedBy: a.CreatedBy, UpdatedAt: a.UpdatedAt, UpdatedBy: a.UpdatedBy, Version: a.Version}
}

// Readiness counts an assessment's results by status.
type Readiness struct {
	Percent       int `json:"percent" doc:"(implemented + ½ × partial) ÷ applicable requirements, in whole percent rounded down, an implemented requirement whose evidence has all expired counting as partial; 0 when none applies."`
	Implemented   int `json:"implemented"`
	Partial       int `json:"partial"`
	NotStarted    int `json:"not_started"`
	NotApplicable int `json:"not_applicable"`
	Expired       int `json:"expired" doc:"Of the implemented requirements, those whose evidence has all expired: each counts as partial in percent."`
}

// AssessmentDetail is an assessment with its readiness.
type AssessmentDetail struct {
	Assessment
	Readiness Readiness `json:"readiness"`
}

type withResults struct {
	sms.Assessment
	readiness sms.Readiness
}

// Result is where one requirement stands in one assessment.
type Result struct {
	ID            int64     `json:"id"`
	Number        string    `json:"number" doc:"Human number, RES-000001."`
	AssessmentID  int64     `json:"assessment_id"`
	RequirementID int64     `json:"requirement_id"`
	Status        string    `json:"status" enum:"not_started,partial,implemented,not_applicable"`
	Maturity      int64     `json:"maturity" minimum:"0" maximum:"5"`
	OwnerID       *int64    `json:"owner_id" doc:"Who answers for it; null for no one yet."`
	Justification string    `json:"justification" doc:"Why the requirement does not apply; set only when not applicable."`
	Notes         string    `json:"notes"`
	Answers       []Answer  `json:"answers" doc:"The replies given to the requirement's self-assessment questions, by question number; a question not answered is not listed."`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	UpdatedBy     int64     `json:"updated_by"`
	Version       int64     `json:"version"`
}

func resultOut(r sms.Result) Result {
	return Result{ID: r.ID, Number: sms.ResultKind.Number(r.ID), AssessmentID: r.AssessmentID, RequirementID: r.RequirementID, Status: r.Status,
		Maturity: r.Maturity, OwnerID: r.OwnerID, Justification: r.Justification, Notes: r.Notes, Answers: answersOut(r.Answers),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy, Version: r.Version}
}

type assessmentCreateIn struct {
	Body struct {
		FrameworkID int64  `json:"framework_id" minimum:"1"`
		Title       string `json:"title" maxLength:"200"`
		StartedOn   string `json:"started_on" maxLength:"10" doc:"2006-01-02"`
		State       string `json:"state,omitempty" enum:"open,closed" doc:"open when left out."`
		Notes       string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type assessmentPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title     *string `json:"title,omitempty" maxLength:"200"`
		StartedOn *string `json:"started_on,omitempty" maxLength:"10" doc:"2006-01-02"`
		State     *string `json:"state,omitempty" enum:"open,closed"`
		Notes     *string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type assessmentListIn struct {
	restapi.PageParams
	Q           string `query:"q" maxLength:"100" doc:"Part of the title."`
	FrameworkID int64  `query:"framework_id" minimum:"0" doc:"Only assessments over this framework."`
	State       string `query:"state" enum:"open,closed"`
}

type resultPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Status        *string       `json:"status,omitempty" enum:"not_started,partial,implemented,not_applicable" doc:"not_applicable only where the framework allows exclusions, with a justification."`
		Maturity      *int64        `json:"maturity,omitempty" minimum:"0" maximum:"5"`
		OwnerID       *int64        `json:"owner_id,omitempty" minimum:"0" doc:"0 takes the owner away."`
		Justification *string       `json:"justification,omitempty" maxLength:"4000"`
		Notes         *string       `json:"notes,omitempty" maxLength:"4000"`
		Answers       []AnswerPatch `json:"answers,omitempty" maxItems:"20" doc:"Replies to the requirement's questions, each by its number; the others stay as they are."`
	}
}

type resultListIn struct {
	restapi.PageParams
	AssessmentID  int64  `query:"assessment_id" minimum:"0" doc:"Only this assessment's results."`
	RequirementID int64  `query:"requirement_id" minimum:"0" doc:"Only the results for this requirement, in every assessment."`
	Status        string `query:"status" enum:"not_started,partial,implemented,not_applicable"`
	OwnerID       int64  `query:"owner_id" minimum:"0" doc:"Only the results this user owns."`
}

// registerAssessments adds the assessments' and their results' operations.
func registerAssessments(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.AssessmentKind
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *assessmentListIn) ([]sms.Assessment, string, error) {
		return c.ListAssessments(ctx, actor, store.AssessmentFilter{Query: in.Q, FrameworkID: in.FrameworkID, State: in.State, Cursor: in.Cursor, Limit: in.Limit})
	}, assessmentOut)
	restapi.RegisterCreate(api, k, "Makes a result, not started, for each of the framework's requirements.",
		func(ctx context.Context, actor access.Actor, in *assessmentCreateIn) (sms.Assessment, error) {
			b := in.Body
			return c.CreateAssessment(ctx, actor, sms.AssessmentInput{FrameworkID: b.FrameworkID, Title: b.Title, StartedOn: b.StartedOn, State: b.State, Notes: b.Notes})
		}, assessmentOut)
	restapi.RegisterGet(api, k, func(ctx context.Context, actor access.Actor, id int64) (withResults, error) {
		a, err := c.GetAssessment(ctx, actor, id)
		if err != nil {
			return withResults{}, err
		}
		rd, err := c.Readiness(ctx, actor, id)
		return withResults{Assessment: a, readiness: rd}, err
	}, func(w withResults) AssessmentDetail {
		t := w.readiness
		return AssessmentDetail{Assessment: assessmentOut(w.Assessment), Readiness: Readiness{Percent: t.Percent(), Implemented: t.Implemented,
			Partial: t.Partial, NotStarted: t.NotStarted, NotApplicable: t.NotApplicable, Expired: t.Expired}}
	})
	restapi.RegisterUpdate(api, k, "The framework never changes.", func(ctx context.Context, actor access.Actor, in *assessmentPatchIn, version int64) (sms.Assessment, error) {
		b := in.Body
		return c.UpdateAssessment(ctx, actor, in.ID, version, sms.AssessmentUpdate{Title: b.Title, StartedOn: b.StartedOn, State: b.State, Notes: b.Notes})
	}, assessmentOut)
	restapi.RegisterDelete(api, k, "", "Deletes its results with it.", c.DeleteAssessment)
	api.RegisterHistory(k)

	rk := sms.ResultKind
	restapi.RegisterList(api, rk, "Results are made with their assessment, one per requirement, and go with it.",
		func(ctx context.Context, actor access.Actor, in *resultListIn) ([]sms.Result, string, error) {
			return c.ListResults(ctx, actor, store.ResultFilter{AssessmentID: in.AssessmentID, RequirementID: in.RequirementID, Status: in.Status,
				OwnerID: in.OwnerID, Cursor: in.Cursor, Limit: in.Limit})
		}, resultOut)
	restapi.RegisterGet(api, rk, c.GetResult, resultOut)
	restapi.RegisterUpdate(api, rk, "A closed assessment's results are refused (409).",
		func(ctx context.Context, actor access.Actor, in *resultPatchIn, version int64) (sms.Result, error) {
			b := in.Body
			return c.UpdateResult(ctx, actor, in.ID, version, sms.ResultUpdate{Status: b.Status, Maturity: b.Maturity, OwnerID: b.OwnerID,
				Justification: b.Justification, Notes: b.Notes, Answers: answerChanges(b.Answers)})
		}, resultOut)
	api.RegisterHistory(rk)
	registerAssessmentWork(api, c)
}
