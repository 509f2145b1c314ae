// Package sms is the management system's part of the JSON API: the
// requirements catalogue (frameworks, requirements with their guidance
// and cross-references) and loading frameworks.
package sms

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Framework is a standard the SMS answers to.
type Framework struct {
	ID               int64     `json:"id"`
	Number           string    `json:"number" doc:"Human number, FRM-000001."`
	Code             string    `json:"code" doc:"Stable identifier; loading a file with the same code updates this framework."`
	Name             string    `json:"name"`
	Publisher        string    `json:"publisher"`
	Description      string    `json:"description"`
	AllowsExclusions bool      `json:"allows_exclusions" doc:"Whether requirements may be declared not applicable. ISO/IEC 20000-1 allows none."`
	ExclusionsNote   string    `json:"exclusions_note"`
	BuiltIn          bool      `json:"built_in" doc:"Shipped with Conform."`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int64     `json:"version"`
}

func frameworkOut(f sms.Framework) Framework {
	return Framework{ID: f.ID, Number: sms.FrameworkKind.Number(f.ID), Code: f.Code, Name: f.Name, Publisher: f.Publisher, Description: f.Description,
		AllowsExclusions: f.AllowsExclusions, ExclusionsNote: f.ExclusionsNote, BuiltIn: f.BuiltIn(),
		CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt, Version: f.Version}
}

// Guidance is Conform's guidance on a requirement, in its own words.
type Guidance struct {
	Plain     string   `json:"plain" doc:"What the requirement asks of the organisation, in plain terms."`
	Auditor   string   `json:"auditor" doc:"What a certification auditor looks for."`
	Evidence  string   `json:"evidence" doc:"Evidence that typically shows the requirement is met."`
	Questions []string `json:"questions" doc:"Self-assessment questions."`
}

// Requirement is one clause of a framework.
type Requirement struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number" doc:"Human number, REQ-000123."`
	FrameworkID int64     `json:"framework_id"`
	ParentID    *int64    `json:"parent_id" doc:"The requirement this one is part of; null at the top of the framework."`
	Code        string    `json:"code" doc:"The clause number, 8.6.1."`
	Title       string    `json:"title"`
	Position    int64     `json:"position" doc:"Order in the framework, parents before their children."`
	Guidance    Guidance  `json:"guidance"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int64     `json:"version"`
}

func requirementOut(r sms.Requirement) Requirement {
	qs := r.QuestionList()
	if qs == nil {
		qs = []string{}
	}
	return Requirement{ID: r.ID, Number: sms.RequirementKind.Number(r.ID), FrameworkID: r.FrameworkID, ParentID: r.ParentID, Code: r.Code, Title: r.Title,
		Position: r.Position, Guidance: Guidance{Plain: r.Plain, Auditor: r.Auditor, Evidence: r.Evidence, Questions: qs},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

// CrossReference joins a requirement to one of another framework.
type CrossReference struct {
	ID            int64  `json:"id"`
	Direction     string `json:"direction" enum:"from,to" doc:"from: this requirement maps to the other; to: the other maps to this one."`
	Relation      string `json:"relation" enum:"equivalent,partial,related"`
	Note          string `json:"note"`
	RequirementID int64  `json:"requirement_id" doc:"The requirement at the other end."`
	Code          string `json:"code"`
	Title         string `json:"title"`
	FrameworkID   int64  `json:"framework_id"`
	Framework     string `json:"framework" doc:"The other framework's code."`
}

// RequirementDetail is a requirement with its cross-references.
type RequirementDetail struct {
	Requirement
	CrossReferences []CrossReference `json:"cross_references"`
}

type frameworkListIn struct {
	restapi.PageParams
	Q string `query:"q" maxLength:"100" doc:"Part of the name or code."`
}

type requirementListIn struct {
	restapi.PageParams
	FrameworkID int64  `query:"framework_id" minimum:"0" doc:"Only this framework's requirements."`
	ParentID    int64  `query:"parent_id" minimum:"0" doc:"Only the requirements directly under this one."`
	TopLevel    bool   `query:"top_level" doc:"Only the requirements at the top of their framework (clauses 4 to 10)."`
	Q           string `query:"q" maxLength:"100" doc:"Part of the clause number or title."`
}

type importIn struct {
	Body struct {
		Document string `json:"document" minLength:"1" maxLength:"4194304" doc:"The framework file, YAML or JSON, as described in docs/frameworks.md."`
	}
}

// Loaded says what loading a framework did.
type Loaded struct {
	Framework    Framework `json:"framework"`
	New          bool      `json:"new" doc:"The framework was not loaded before."`
	Requirements Counts    `json:"requirements"`
	Mappings     Counts    `json:"cross_references"`
}

// Counts are the records a load added, changed, removed and kept.
type Counts struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Removed   int `json:"removed"`
	Unchanged int `json:"unchanged"`
}

func countsOut(c smsapp.Counts) Counts {
	return Counts{Added: c.Added, Changed: c.Changed, Removed: c.Removed, Unchanged: c.Unchanged}
}

// withRefs is a requirement read with its cross-references.
type withRefs struct {
	sms.Requirement
	refs []smsapp.CrossReference
}

type exportOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// Area registers the management system's operations.
func Area(c *smsapp.Catalogue) restapi.Area {
	return func(api *restapi.API) {
		fk, rk := sms.FrameworkKind, sms.RequirementKind
		restapi.RegisterList(api, fk, "", func(ctx context.Context, actor access.Actor, in *frameworkListIn) ([]sms.Framework, string, error) {
			return c.ListFrameworks(ctx, actor, store.FrameworkFilter{Query: in.Q, Cursor: in.Cursor, Limit: in.Limit})
		}, frameworkOut)
		restapi.RegisterGet(api, fk, c.GetFramework, frameworkOut)
		api.RegisterHistory(fk)
		restapi.Register(api, fk.Write, huma.Operation{OperationID: "import-framework", Method: http.MethodPost, Path: restapi.KindPath(fk) + "/import",
			Tags: []string{fk.Plural}, Summary: "Load a framework",
			Description:  "Loads a framework file (YAML or JSON). A framework with the same code is updated in place: requirements and cross-references are matched by their codes and keep their ids. All or nothing; each mistake is named with its line and field.",
			MaxBodyBytes: sms.MaxDocumentBytes + 64<<10},
			func(ctx context.Context, actor access.Actor, in *importIn) (*struct{ Body Loaded }, error) {
				l, err := c.Import(ctx, actor, []byte(in.Body.Document))
				if err != nil {
					return nil, documentErr(err)
				}
				return &struct{ Body Loaded }{Loaded{Framework: frameworkOut(l.Framework), New: l.New, Requirements: countsOut(l.Requirements), Mappings: countsOut(l.Mappings)}}, nil
			})
		restapi.Register(api, fk.Read, huma.Operation{OperationID: "export-framework", Method: http.MethodGet, Path: restapi.ItemPath(fk) + "/export",
			Tags: []string{fk.Plural}, Summary: "Export a framework as a file",
			Description: "The framework file (YAML) with its requirements, guidance and cross-references; loading it again changes nothing."},
			func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*exportOut, error) {
				d, err := c.Export(ctx, actor, in.ID)
				if err != nil {
					return nil, err
				}
				out, err := sms.Encode(d)
				if err != nil {
					return nil, err
				}
				return &exportOut{ContentType: "application/yaml", ContentDisposition: `attachment; filename="` + d.Code + `.yaml"`, Body: out}, nil
			})

		restapi.RegisterList(api, rk, "Requirements in id order; a framework's tree order is their position.",
			func(ctx context.Context, actor access.Actor, in *requirementListIn) ([]sms.Requirement, string, error) {
				return c.ListRequirements(ctx, actor, store.RequirementFilter{FrameworkID: in.FrameworkID, ParentID: in.ParentID, TopLevel: in.TopLevel,
					Query: in.Q, Cursor: in.Cursor, Limit: in.Limit})
			}, requirementOut)
		restapi.RegisterGet(api, rk, func(ctx context.Context, actor access.Actor, id int64) (withRefs, error) {
			r, err := c.GetRequirement(ctx, actor, id)
			if err != nil {
				return withRefs{}, err
			}
			xs, err := c.CrossReferences(ctx, actor, id)
			return withRefs{Requirement: r, refs: xs}, err
		}, func(w withRefs) RequirementDetail {
			out := RequirementDetail{Requirement: requirementOut(w.Requirement), CrossReferences: []CrossReference{}}
			for _, x := range w.refs {
				dir := "to"
				if x.Outgoing {
					dir = "from"
				}
				out.CrossReferences = append(out.CrossReferences, CrossReference{ID: x.ID, Direction: dir, Relation: string(x.Relation), Note: x.Note,
					RequirementID: x.Other.ID, Code: x.Other.Code, Title: x.Other.Title, FrameworkID: x.OtherFramework.ID, Framework: x.OtherFramework.Code})
			}
			return out
		})
		api.RegisterHistory(rk)
		registerActions(api, c)
		registerRisks(api, c)
		registerAssessments(api, c)
		registerTraining(api, c)
		registerEvidence(api, c)
		registerJourney(api, c)
		registerDocuments(api, c)
		registerServices(api, c)
		registerScopes(api, c)
		registerContext(api, c)
		registerProcesses(api, c)
	}
}

// documentErr places a framework file's mistakes on the body's document
// field, each reason naming the field and line in the file.
func documentErr(err error) error {
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid {
		return err
	}
	out := &errs.Error{Code: errs.Invalid, Message: e.Message}
	for _, f := range e.Fields {
		reason := f.Reason
		if f.Field != "document" {
			reason = f.Field + " " + f.Reason
		}
		out.Fields = append(out.Fields, errs.FieldError{Field: "document", Reason: reason})
	}
	return out
}
