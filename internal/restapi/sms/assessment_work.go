package sms

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
)

// Answer is the reply to one of a requirement's self-assessment
// questions.
type Answer struct {
	N        int    `json:"n" minimum:"1" doc:"The question's number in the requirement's list, from 1."`
	Question string `json:"question" doc:"The question as it was asked."`
	Reply    string `json:"reply" enum:"yes,partly,no,"`
	Note     string `json:"note"`
}

func answersOut(as sms.Answers) []Answer {
	out := make([]Answer, 0, len(as))
	for _, a := range as {
		out = append(out, Answer{N: a.N, Question: a.Question, Reply: a.Reply, Note: a.Note})
	}
	return out
}

// AnswerPatch changes the answer to one question.
type AnswerPatch struct {
	N     int     `json:"n" minimum:"1" maximum:"100" doc:"The question's number in the requirement's list, from 1."`
	Reply *string `json:"reply,omitempty" enum:"yes,partly,no," doc:"Empty takes the reply away."`
	Note  *string `json:"note,omitempty" maxLength:"2000"`
}

func answerChanges(ps []AnswerPatch) []sms.AnswerChange {
	out := make([]sms.AnswerChange, 0, len(ps))
	for _, p := range ps {
		out = append(out, sms.AnswerChange{N: p.N, Reply: p.Reply, Note: p.Note})
	}
	return out
}

type answerPutIn struct {
	restapi.IDParam
	restapi.IfMatch
	N    int `path:"n" minimum:"1" maximum:"100" doc:"The question's number in the requirement's list, from 1."`
	Body struct {
		Reply string `json:"reply" enum:"yes,partly,no," doc:"Empty takes the reply away."`
		Note  string `json:"note,omitempty" maxLength:"2000"`
	}
}

// Score is a readiness figure and the counts behind it.
type Score struct {
	Percent       int `json:"percent" doc:"(implemented + ½ × partial) ÷ applicable requirements, in whole percent rounded down; 0 when none applies."`
	Implemented   int `json:"implemented"`
	Partial       int `json:"partial"`
	NotStarted    int `json:"not_started"`
	NotApplicable int `json:"not_applicable"`
}

func scoreOut(t sms.Readiness) Score {
	return Score{Percent: t.Percent(), Implemented: t.Implemented, Partial: t.Partial, NotStarted: t.NotStarted, NotApplicable: t.NotApplicable}
}

// RequirementScore is one requirement's place in an assessment: its own
// status and the readiness of it and everything under it.
type RequirementScore struct {
	RequirementID int64  `json:"requirement_id"`
	ResultID      int64  `json:"result_id" doc:"Its result in the assessment; 0 when it has none."`
	Code          string `json:"code"`
	Title         string `json:"title"`
	Depth         int    `json:"depth" doc:"0 for a top-level clause, 1 for a clause under it, and so on."`
	Status        string `json:"status" enum:"not_started,partial,implemented,not_applicable,"`
	Maturity      int64  `json:"maturity"`
	Answered      int    `json:"answered" doc:"How many of its questions have a reply."`
	Questions     int    `json:"questions" doc:"How many self-assessment questions it has."`
	Readiness     Score  `json:"readiness" doc:"Over the requirement and every requirement under it."`
}

// ReadinessReport is an assessment's readiness at every level; its
// requirements, in the framework's order, are the heatmap of the clause
// tree.
type ReadinessReport struct {
	AssessmentID int64              `json:"assessment_id"`
	Overall      Score              `json:"overall"`
	Clauses      []RequirementScore `json:"clauses" doc:"The top-level clauses."`
	Requirements []RequirementScore `json:"requirements" doc:"Every requirement, in the framework's order."`
}

func requirementScore(rp smsapp.Report, q sms.Requirement, byReq map[int64]sms.Result) RequirementScore {
	r := byReq[q.ID]
	qs := q.QuestionList()
	return RequirementScore{RequirementID: q.ID, ResultID: r.ID, Code: q.Code, Title: q.Title, Depth: q.Depth(), Status: r.Status, Maturity: r.Maturity,
		Answered: r.Answers.Replied(qs), Questions: len(qs), Readiness: scoreOut(rp.Scores.ByRequirement[q.ID])}
}

func readinessOut(rp smsapp.Report) ReadinessReport {
	byReq := make(map[int64]sms.Result, len(rp.Results))
	for _, r := range rp.Results {
		byReq[r.RequirementID] = r
	}
	out := ReadinessReport{AssessmentID: rp.Assessment.ID, Overall: scoreOut(rp.Scores.Overall), Clauses: []RequirementScore{}, Requirements: []RequirementScore{}}
	for _, q := range rp.Tree {
		s := requirementScore(rp, q, byReq)
		if q.ParentID == nil {
			out.Clauses = append(out.Clauses, s)
		}
		out.Requirements = append(out.Requirements, s)
	}
	return out
}

// Movements counts requirements by how they moved between two
// assessments.
type Movements struct {
	Progress   int `json:"progress"`
	Regression int `json:"regression"`
	Same       int `json:"same"`
	Changed    int `json:"changed" doc:"Into or out of not applicable."`
	New        int `json:"new" doc:"Requirements the earlier assessment did not cover."`
}

func movementsOut(m sms.MovementCounts) Movements {
	return Movements{Progress: m.Progress, Regression: m.Regression, Same: m.Same, Changed: m.Changed, New: m.New}
}

// ClauseMovement is a top-level clause in both assessments.
type ClauseMovement struct {
	RequirementID int64     `json:"requirement_id"`
	Code          string    `json:"code"`
	Title         string    `json:"title"`
	Before        Score     `json:"before"`
	After         Score     `json:"after"`
	Delta         int       `json:"delta" doc:"After's readiness less before's, in percentage points."`
	Movements     Movements `json:"movements"`
}

// RequirementMovement is one requirement in both assessments.
type RequirementMovement struct {
	RequirementID  int64  `json:"requirement_id"`
	Code           string `json:"code"`
	Title          string `json:"title"`
	BeforeStatus   string `json:"before_status" enum:"not_started,partial,implemented,not_applicable," doc:"Empty when the earlier assessment did not cover it."`
	BeforeMaturity int64  `json:"before_maturity"`
	AfterStatus    string `json:"after_status" enum:"not_started,partial,implemented,not_applicable"`
	AfterMaturity  int64  `json:"after_maturity"`
	Movement       string `json:"movement" enum:"progress,regression,same,changed,new"`
}

// ComparisonOut is two assessments of one framework side by side.
type ComparisonOut struct {
	BeforeID     int64                 `json:"before_id" doc:"The earlier assessment (by the day it started)."`
	AfterID      int64                 `json:"after_id" doc:"The later assessment."`
	Before       Score                 `json:"before"`
	After        Score                 `json:"after"`
	Movements    Movements             `json:"movements"`
	Clauses      []ClauseMovement      `json:"clauses"`
	Requirements []RequirementMovement `json:"requirements"`
}

func comparisonOut(c smsapp.Compared) ComparisonOut {
	out := ComparisonOut{BeforeID: c.Before.ID, AfterID: c.After.ID, Before: scoreOut(c.Comparison.Before), After: scoreOut(c.Comparison.After),
		Movements: movementsOut(c.Counts), Clauses: []ClauseMovement{}, Requirements: []RequirementMovement{}}
	for _, cl := range c.Clauses {
		out.Clauses = append(out.Clauses, ClauseMovement{RequirementID: cl.Requirement.ID, Code: cl.Requirement.Code, Title: cl.Requirement.Title,
			Before: scoreOut(cl.Before), After: scoreOut(cl.After), Delta: cl.Delta(), Movements: movementsOut(cl.Counts)})
	}
	for _, r := range c.Requirements {
		out.Requirements = append(out.Requirements, RequirementMovement{RequirementID: r.Requirement.ID, Code: r.Requirement.Code, Title: r.Requirement.Title,
			BeforeStatus: r.Before.Status, BeforeMaturity: r.Before.Maturity, AfterStatus: r.After.Status, AfterMaturity: r.After.Maturity, Movement: string(r.Movement)})
	}
	return out
}

type compareIn struct {
	restapi.IDParam
	With int64 `query:"with" required:"true" minimum:"1" doc:"The assessment to compare with, of the same framework; which of the two is earlier is by the day each started."`
}

// registerAssessmentWork adds the operations that work an assessment:
// answering a question, its readiness at every level, comparing two.
func registerAssessmentWork(api *restapi.API, c *smsapp.Catalogue) {
	k, rk := sms.AssessmentKind, sms.ResultKind
	restapi.Register(api, rk.Write, huma.Operation{OperationID: "answer-assessment-result", Method: http.MethodPut, Path: restapi.ItemPath(rk) + "/answers/{n}",
		Tags: []string{rk.Plural}, Summary: "Answer a self-assessment question",
		Description: "Sets the reply (yes, partly, no; empty takes it away) and note for question n of the result's requirement, leaving the other answers as they are; audited like any change. A question the requirement does not have is refused (422, naming answers); a closed assessment's result is refused (409)."},
		func(ctx context.Context, actor access.Actor, in *answerPutIn) (*restapi.Tagged[Result], error) {
			r, err := restapi.AtVersions(in.IfMatch, func(v int64) (sms.Result, error) {
				return c.UpdateResult(ctx, actor, in.ID, v, sms.ResultUpdate{Answers: []sms.AnswerChange{{N: in.N, Reply: &in.Body.Reply, Note: &in.Body.Note}}})
			})
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[Result]{ETag: restapi.ETag(r.Version), Body: resultOut(r)}, nil
		})
	restapi.Register(api, k.Read, huma.Operation{OperationID: "assessment-readiness", Method: http.MethodGet, Path: restapi.ItemPath(k) + "/readiness",
		Tags: []string{k.Plural}, Summary: "An assessment's readiness at every level",
		Description: "Overall, per top-level clause and per requirement (each over itself and the requirements under it), with each requirement's status: the heatmap of the clause tree. The formula is in docs/assessments.md."},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*struct{ Body ReadinessReport }, error) {
			rp, err := c.Report(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body ReadinessReport }{readinessOut(rp)}, nil
		})
	restapi.Register(api, k.Read, huma.Operation{OperationID: "compare-assessments", Method: http.MethodGet, Path: restapi.ItemPath(k) + "/compare",
		Tags: []string{k.Plural}, Summary: "Compare two assessments",
		Description: "Sets two assessments of one framework side by side: overall, per top-level clause and per requirement, each requirement's movement (progress, regression, same, changed, new) and their counts."},
		func(ctx context.Context, actor access.Actor, in *compareIn) (*struct{ Body ComparisonOut }, error) {
			cmp, err := c.Compare(ctx, actor, in.ID, in.With)
			if err != nil {
				return nil, err
			}
			return &struct{ Body ComparisonOut }{comparisonOut(cmp)}, nil
		})
	registerAssessmentExport(api, c)
}

type exportIn struct {
	restapi.IDParam
	Format string `query:"format" required:"true" enum:"xlsx,pdf" doc:"xlsx: a workbook (summary, heatmap, results, answers); pdf: a report."`
}

// registerAssessmentExport adds the download of an assessment as a file.
func registerAssessmentExport(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.AssessmentKind
	restapi.Register(api, k.Read, huma.Operation{OperationID: "export-assessment", Method: http.MethodGet, Path: restapi.ItemPath(k) + "/export",
		Tags: []string{k.Plural}, Summary: "Download an assessment as a file",
		Description: "The assessment as XLSX or PDF, as the page's downloads give it: its readiness overall, per clause and per requirement, the heatmap of its clause tree and every result with its answers. Offered as an attachment with a file name.",
		Responses: map[string]*huma.Response{"200": {Description: "The file.", Content: map[string]*huma.MediaType{
			reports.ContentType("xlsx"): {}, reports.ContentType("pdf"): {}}}}},
		func(ctx context.Context, actor access.Actor, in *exportIn) (*exportOut, error) {
			rp, err := c.Report(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			var out []byte
			if in.Format == "xlsx" {
				out, err = reports.XLSX(rp)
			} else {
				out, err = reports.PDF(rp, time.Now())
			}
			if err != nil {
				return nil, err
			}
			return &exportOut{ContentType: reports.ContentType(in.Format), ContentDisposition: `attachment; filename="` + reports.FileName(rp.Assessment, in.Format) + `"`, Body: out}, nil
		})
}
