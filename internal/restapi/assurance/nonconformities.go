package assurance

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/store"
)

// Nonconformity is a requirement not met and what is done about it.
type Nonconformity struct {
	ID                 int64     `json:"id"`
	Number             string    `json:"number" doc:"Human number, NC-000001."`
	Title              string    `json:"title"`
	Description        string    `json:"description"`
	Severity           string    `json:"severity" enum:"major,minor"`
	Origin             string    `json:"origin" enum:"internal_audit,external_audit,complaint,monitoring,management_review,incident,other"`
	SourceEntity       string    `json:"source_entity" doc:"The kind of the record it comes from (an audit finding, a complaint); empty for none."`
	SourceID           int64     `json:"source_id" doc:"That record's id; 0 for none."`
	RequirementID      int64     `json:"requirement_id" doc:"The requirement of the built-in framework that is not met."`
	OwnerID            int64     `json:"owner_id"`
	RaisedOn           string    `json:"raised_on" doc:"2006-01-02"`
	State              string    `json:"state" enum:"open,corrected,analysed,verified,closed" doc:"open: raised; corrected: correction recorded, root cause next; analysed: root cause recorded, corrective actions and verification next; verified: effective, to close; closed."`
	RecurrenceOf       int64     `json:"recurrence_of" doc:"The earlier nonconformity against the same requirement, raised in the 12 months before, that this one repeats; 0 for none."`
	Correction         string    `json:"correction"`
	CorrectedBy        *int64    `json:"corrected_by"`
	CorrectedOn        string    `json:"corrected_on"`
	CauseMethod        string    `json:"cause_method"`
	Whys               []string  `json:"whys"`
	CauseCategory      string    `json:"cause_category"`
	CauseSummary       string    `json:"cause_summary"`
	AnalysedOn         string    `json:"analysed_on"`
	VerifiedBy         *int64    `json:"verified_by"`
	VerifiedOn         string    `json:"verified_on"`
	VerificationResult string    `json:"verification_result" doc:"effective or not_effective, empty before any: the latest verification's result; not_effective sent it back to root cause analysis."`
	VerificationNote   string    `json:"verification_note"`
	Evidence           []Ref     `json:"evidence" doc:"The records that show the corrective actions worked."`
	ClosedOn           string    `json:"closed_on"`
	NextDeadline       string    `json:"next_deadline" doc:"What is due next: plan (correction and root cause) or close; empty once closed."`
	NextDue            string    `json:"next_due" doc:"The day it is due, by the deadlines in force (2006-01-02); empty once closed."`
	Overdue            bool      `json:"overdue" doc:"Past its next deadline."`
	CreatedAt          time.Time `json:"created_at"`
	CreatedBy          int64     `json:"created_by"`
	UpdatedAt          time.Time `json:"updated_at"`
	UpdatedBy          int64     `json:"updated_by"`
	Version            int64     `json:"version"`
}

// ncOut writes nonconformities with their next deadline by d.
func ncOut(d assurance.NCDeadlines) func(assurance.Nonconformity) Nonconformity {
	today := time.Now().UTC().Format(time.DateOnly)
	return func(n assurance.Nonconformity) Nonconformity {
		dl := d.Next(n)
		whys := n.Whys
		if whys == nil {
			whys = []string{}
		}
		return Nonconformity{ID: n.ID, Number: assurance.NonconformityKind.Number(n.ID), Title: n.Title, Description: n.Description, Severity: n.Severity,
			Origin: n.Origin, SourceEntity: n.SourceEntity, SourceID: n.SourceID, RequirementID: n.RequirementID, OwnerID: n.OwnerID, RaisedOn: n.RaisedOn,
			State: n.State, RecurrenceOf: n.RecurrenceOf, Correction: n.Correction, CorrectedBy: n.CorrectedBy, CorrectedOn: n.CorrectedOn,
			CauseMethod: n.CauseMethod, Whys: whys, CauseCategory: n.CauseCategory, CauseSummary: n.CauseSummary, AnalysedOn: n.AnalysedOn,
			VerifiedBy: n.VerifiedBy, VerifiedOn: n.VerifiedOn, VerificationResult: n.VerificationResult, VerificationNote: n.VerificationNote,
			Evidence: refsOut(n.Evidence), ClosedOn: n.ClosedOn, NextDeadline: dl.What, NextDue: dl.On, Overdue: d.Overdue(n, today),
			CreatedAt: n.CreatedAt, CreatedBy: n.CreatedBy, UpdatedAt: n.UpdatedAt, UpdatedBy: n.UpdatedBy, Version: n.Version}
	}
}

type ncCreateIn struct {
	Body struct {
		Title         string `json:"title" maxLength:"200"`
		Description   string `json:"description,omitempty" maxLength:"4000"`
		Severity      string `json:"severity" enum:"major,minor"`
		Origin        string `json:"origin,omitempty" enum:"internal_audit,external_audit,complaint,monitoring,management_review,incident,other" doc:"other when left out."`
		SourceEntity  string `json:"source_entity,omitempty" maxLength:"60" doc:"The kind of the record it comes from; the record must be one you may see."`
		SourceID      int64  `json:"source_id,omitempty" minimum:"0"`
		RequirementID int64  `json:"requirement_id" minimum:"1" doc:"A requirement of the built-in framework."`
		OwnerID       int64  `json:"owner_id" minimum:"1"`
		RaisedOn      string `json:"raised_on" maxLength:"10" doc:"2006-01-02, not in the future."`
	}
}

type ncPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title         *string `json:"title,omitempty" maxLength:"200"`
		Description   *string `json:"description,omitempty" maxLength:"4000"`
		Severity      *string `json:"severity,omitempty" enum:"major,minor"`
		Origin        *string `json:"origin,omitempty" enum:"internal_audit,external_audit,complaint,monitoring,management_review,incident,other"`
		SourceEntity  *string `json:"source_entity,omitempty" maxLength:"60" doc:"Empty for none (with source_id 0)."`
		SourceID      *int64  `json:"source_id,omitempty" minimum:"0"`
		RequirementID *int64  `json:"requirement_id,omitempty" minimum:"1"`
		OwnerID       *int64  `json:"owner_id,omitempty" minimum:"1"`
		RaisedOn      *string `json:"raised_on,omitempty" maxLength:"10" doc:"2006-01-02; not after a step already recorded."`
	}
}

type ncListIn struct {
	restapi.PageParams
	Q             string `query:"q" maxLength:"100" doc:"Part of the title."`
	State         string `query:"state" enum:"open,corrected,analysed,verified,closed"`
	Severity      string `query:"severity" enum:"major,minor"`
	Origin        string `query:"origin" enum:"internal_audit,external_audit,complaint,monitoring,management_review,incident,other"`
	RequirementID int64  `query:"requirement_id" minimum:"0"`
	OwnerID       int64  `query:"owner_id" minimum:"0"`
	Overdue       bool   `query:"overdue" doc:"Only those past their next deadline."`
	Recurring     bool   `query:"recurring" doc:"Only those repeating an earlier one against the same requirement."`
}

type ncStepIn[B any] struct {
	restapi.IDParam
	restapi.IfMatch
	Body B
}

type correctionBody struct {
	Correction  string `json:"correction" maxLength:"4000" doc:"What was done at once to contain it."`
	CorrectedBy int64  `json:"corrected_by" minimum:"1"`
	CorrectedOn string `json:"corrected_on" maxLength:"10" doc:"2006-01-02; not before it was raised, not in the future."`
}

type analysisBody struct {
	CauseMethod   string   `json:"cause_method,omitempty" enum:"five_whys,category" doc:"five_whys when left out."`
	Whys          []string `json:"whys,omitempty" maxItems:"5" doc:"With five_whys: the answers, each the cause of the one before; at least one."`
	CauseCategory string   `json:"cause_category,omitempty" enum:"people,process,technology,supplier,information,other" doc:"With category: required."`
	CauseSummary  string   `json:"cause_summary" maxLength:"4000" doc:"The root cause in a sentence; required."`
	AnalysedOn    string   `json:"analysed_on" maxLength:"10" doc:"2006-01-02; not before the correction."`
}

type verificationBody struct {
	Result     string `json:"verification_result" enum:"effective,not_effective" doc:"effective only once every corrective action is done or cancelled and at least one done; not_effective sends it back to root cause analysis."`
	VerifiedBy int64  `json:"verified_by" minimum:"1"`
	VerifiedOn string `json:"verified_on" maxLength:"10" doc:"2006-01-02; not before the analysis."`
	Note       string `json:"verification_note,omitempty" maxLength:"4000"`
	Evidence   []Ref  `json:"evidence,omitempty" maxItems:"20" doc:"Records you may see that show it worked."`
}

type closeBody struct {
	ClosedOn string `json:"closed_on,omitempty" maxLength:"10" doc:"2006-01-02; today when left out; not before the verification."`
}

// NCDeadlines are the deadlines, in days after a nonconformity is raised.
type NCDeadlines struct {
	ID                 int64     `json:"id"`
	ExternalMajorPlan  int64     `json:"external_major_plan" doc:"External audit finding, major: plan (correction and root cause) within this many days."`
	ExternalMajorClose int64     `json:"external_major_close" doc:"External audit finding, major: closed within this many days."`
	ExternalMinorPlan  int64     `json:"external_minor_plan"`
	ExternalMinorClose int64     `json:"external_minor_close"`
	InternalMajorPlan  int64     `json:"internal_major_plan" doc:"Every other origin, major: plan within this many days."`
	InternalMajorClose int64     `json:"internal_major_close"`
	InternalMinorPlan  int64     `json:"internal_minor_plan"`
	InternalMinorClose int64     `json:"internal_minor_close"`
	UpdatedAt          time.Time `json:"updated_at"`
	UpdatedBy          int64     `json:"updated_by"`
	Version            int64     `json:"version"`
}

type deadlinesPutIn struct {
	restapi.IfMatch
	Body struct {
		ExternalMajorPlan  int64 `json:"external_major_plan" minimum:"1" maximum:"730"`
		ExternalMajorClose int64 `json:"external_major_close" minimum:"1" maximum:"730"`
		ExternalMinorPlan  int64 `json:"external_minor_plan" minimum:"1" maximum:"730"`
		ExternalMinorClose int64 `json:"external_minor_close" minimum:"1" maximum:"730"`
		InternalMajorPlan  int64 `json:"internal_major_plan" minimum:"1" maximum:"730"`
		InternalMajorClose int64 `json:"internal_major_close" minimum:"1" maximum:"730"`
		InternalMinorPlan  int64 `json:"internal_minor_plan" minimum:"1" maximum:"730"`
		InternalMinorClose int64 `json:"internal_minor_close" minimum:"1" maximum:"730"`
	}
}

func deadlinesOut(d assurance.NCDeadlines) NCDeadlines {
	return NCDeadlines{ID: d.ID, ExternalMajorPlan: d.ExternalMajorPlan, ExternalMajorClose: d.ExternalMajorClose, ExternalMinorPlan: d.ExternalMinorPlan,
		ExternalMinorClose: d.ExternalMinorClose, InternalMajorPlan: d.InternalMajorPlan, InternalMajorClose: d.InternalMajorClose,
		InternalMinorPlan: d.InternalMinorPlan, InternalMinorClose: d.InternalMinorClose, UpdatedAt: d.UpdatedAt, UpdatedBy: d.UpdatedBy, Version: d.Version}
}

// dated is a nonconformity with how to write it on the deadlines in force.
type dated struct {
	assurance.Nonconformity
	write func(assurance.Nonconformity) Nonconformity
}

func (d dated) json() Nonconformity { return d.write(d.Nonconformity) }

// registerNonconformities adds the nonconformities' operations: the
// standard ones, a POST for each step of the workflow, and the deadlines.
func registerNonconformities(api *restapi.API, c *assuranceapp.Catalogue) {
	k := assurance.NonconformityKind
	write := func(ctx context.Context, actor access.Actor) func(assurance.Nonconformity) Nonconformity {
		d, err := c.NCDeadlines(ctx, actor)
		if err != nil {
			d = assurance.DefaultNCDeadlines()
		}
		return ncOut(d)
	}
	restapi.RegisterList(api, k, "Nonconformities in id order, each with its next deadline on the deadlines in force.",
		func(ctx context.Context, actor access.Actor, in *ncListIn) ([]Nonconformity, string, error) {
			ns, next, err := c.ListNonconformities(ctx, actor, assuranceapp.NCQuery{Overdue: in.Overdue, NonconformityFilter: store.NonconformityFilter{
				Query: in.Q, State: in.State, Severity: in.Severity, Origin: in.Origin, RequirementID: in.RequirementID, OwnerID: in.OwnerID,
				Recurring: in.Recurring, Cursor: in.Cursor, Limit: in.Limit}})
			out := make([]Nonconformity, len(ns))
			w := write(ctx, actor)
			for i, n := range ns {
				out[i] = w(n)
			}
			return out, next, err
		}, func(n Nonconformity) Nonconformity { return n })
	restapi.RegisterCreate(api, k, "Raises a nonconformity in state open. One against a requirement that had another raised in the 12 months before is marked as recurring (recurrence_of).",
		func(ctx context.Context, actor access.Actor, in *ncCreateIn) (dated, error) {
			b := in.Body
			n, err := c.CreateNonconformity(ctx, actor, assurance.NonconformityInput{Title: b.Title, Description: b.Description, Severity: b.Severity,
				Origin: b.Origin, SourceEntity: b.SourceEntity, SourceID: b.SourceID, RequirementID: b.RequirementID, OwnerID: b.OwnerID, RaisedOn: b.RaisedOn})
			return dated{n, write(ctx, actor)}, err
		}, dated.json)
	restapi.RegisterGet(api, k, func(ctx context.Context, actor access.Actor, id int64) (dated, error) {
		n, err := c.GetNonconformity(ctx, actor, id)
		return dated{n, write(ctx, actor)}, err
	}, dated.json)
	restapi.RegisterUpdate(api, k, "Changes its own fields until it is closed; each step of the workflow has an operation of its own.",
		func(ctx context.Context, actor access.Actor, in *ncPatchIn, version int64) (dated, error) {
			b := in.Body
			n, err := c.UpdateNonconformity(ctx, actor, in.ID, version, assurance.NonconformityUpdate{Title: b.Title, Description: b.Description,
				Severity: b.Severity, Origin: b.Origin, SourceEntity: b.SourceEntity, RaisedOn: b.RaisedOn, SourceID: b.SourceID,
				RequirementID: b.RequirementID, OwnerID: b.OwnerID})
			return dated{n, write(ctx, actor)}, err
		}, dated.json)
	restapi.RegisterDelete(api, k, "", "Only while it is open with no corrective action (409 otherwise): one worked on stays on record.", c.DeleteNonconformity)
	api.RegisterHistory(k)

	step := func(verb, summary, description string) huma.Operation {
		return huma.Operation{OperationID: verb + "-" + k.Entity, Method: http.MethodPost, Path: restapi.ItemPath(k) + "/" + verb,
			Tags: []string{k.Plural}, Summary: summary, Description: description}
	}
	tagged := func(ctx context.Context, actor access.Actor, m restapi.IfMatch, do func(v int64) (assurance.Nonconformity, error)) (*restapi.Tagged[Nonconformity], error) {
		n, err := restapi.AtVersions(m, do)
		if err != nil {
			return nil, err
		}
		return &restapi.Tagged[Nonconformity]{ETag: restapi.ETag(n.Version), Body: write(ctx, actor)(n)}, nil
	}
	restapi.Register(api, k.Write, step("correction", "Record a nonconformity's correction",
		"What was done at once. From open (it becomes corrected), or again while corrected to revise it; 409 from another state."),
		func(ctx context.Context, actor access.Actor, in *ncStepIn[correctionBody]) (*restapi.Tagged[Nonconformity], error) {
			return tagged(ctx, actor, in.IfMatch, func(v int64) (assurance.Nonconformity, error) {
				return c.RecordCorrection(ctx, actor, in.ID, v, assurance.CorrectionInput{Correction: in.Body.Correction, CorrectedBy: in.Body.CorrectedBy, CorrectedOn: in.Body.CorrectedOn})
			})
		})
	restapi.Register(api, k.Write, step("analysis", "Record a nonconformity's root cause analysis",
		"Five whys or a cause category, with the root cause in a sentence. From corrected (it becomes analysed), or again while analysed; 409 from another state."),
		func(ctx context.Context, actor access.Actor, in *ncStepIn[analysisBody]) (*restapi.Tagged[Nonconformity], error) {
			b := in.Body
			return tagged(ctx, actor, in.IfMatch, func(v int64) (assurance.Nonconformity, error) {
				return c.RecordAnalysis(ctx, actor, in.ID, v, assurance.AnalysisInput{Method: b.CauseMethod, Whys: b.Whys, Category: b.CauseCategory, Summary: b.CauseSummary, AnalysedOn: b.AnalysedOn})
			})
		})
	restapi.Register(api, k.Write, step("verification", "Record the verification of a nonconformity's corrective actions",
		"While analysed. effective (it becomes verified) only once its corrective actions are finished; not_effective sends it back to root cause analysis (corrected)."),
		func(ctx context.Context, actor access.Actor, in *ncStepIn[verificationBody]) (*restapi.Tagged[Nonconformity], error) {
			b := in.Body
			return tagged(ctx, actor, in.IfMatch, func(v int64) (assurance.Nonconformity, error) {
				return c.RecordVerification(ctx, actor, in.ID, v, assurance.VerificationInput{Result: b.Result, VerifiedBy: b.VerifiedBy, VerifiedOn: b.VerifiedOn, Note: b.Note, Evidence: refsIn(b.Evidence)})
			})
		})
	restapi.Register(api, k.Write, step("close", "Close a nonconformity",
		"Refused (409) until the correction and root cause are recorded, every corrective action is done or cancelled with at least one done, and effectiveness is verified as effective; the refusal names all that is missing."),
		func(ctx context.Context, actor access.Actor, in *ncStepIn[closeBody]) (*restapi.Tagged[Nonconformity], error) {
			return tagged(ctx, actor, in.IfMatch, func(v int64) (assurance.Nonconformity, error) {
				return c.CloseNonconformity(ctx, actor, in.ID, v, in.Body.ClosedOn)
			})
		})

	dk := assurance.NCDeadlinesKind
	restapi.Register(api, dk.Read, huma.Operation{OperationID: "get-nc-deadlines", Method: http.MethodGet, Path: restapi.KindPath(dk),
		Tags: []string{k.Plural}, Summary: "Read the nonconformity deadlines",
		Description: "How many days after it is raised a nonconformity's plan and its closing are due, for external audit findings and for every other origin, by severity."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*restapi.Tagged[NCDeadlines], error) {
			d, err := c.NCDeadlines(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[NCDeadlines]{ETag: restapi.ETag(d.Version), Body: deadlinesOut(d)}, nil
		})
	restapi.Register(api, dk.Write, huma.Operation{OperationID: "update-nc-deadlines", Method: http.MethodPut, Path: restapi.KindPath(dk),
		Tags: []string{k.Plural}, Summary: "Change the nonconformity deadlines",
		Description: "Replaces the eight figures; a closing deadline may not be shorter than its plan's."},
		func(ctx context.Context, actor access.Actor, in *deadlinesPutIn) (*restapi.Tagged[NCDeadlines], error) {
			b := in.Body
			d, err := restapi.AtVersions(in.IfMatch, func(v int64) (assurance.NCDeadlines, error) {
				return c.UpdateNCDeadlines(ctx, actor, v, assurance.NCDeadlinesInput{ExternalMajorPlan: b.ExternalMajorPlan, ExternalMajorClose: b.ExternalMajorClose,
					ExternalMinorPlan: b.ExternalMinorPlan, ExternalMinorClose: b.ExternalMinorClose, InternalMajorPlan: b.InternalMajorPlan,
					InternalMajorClose: b.InternalMajorClose, InternalMinorPlan: b.InternalMinorPlan, InternalMinorClose: b.InternalMinorClose})
			})
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[NCDeadlines]{ETag: restapi.ETag(d.Version), Body: deadlinesOut(d)}, nil
		})
	api.RegisterHistory(dk)
}
