package assurance

import (
	"context"
	"net/http"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/danielgtaylor/huma/v2"
)

// Meta is the bookkeeping every record answers with.
type Meta struct {
	CreatedAt time.Time `json:"created_at"`
	CreatedBy int64     `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy int64     `json:"updated_by"`
	Version   int64     `json:"version"`
}

// Programme is an audit programme.
type Programme struct {
	ID      int64  `json:"id"`
	Number  string `json:"number" doc:"Human number, AUP-000001."`
	Title   string `json:"title"`
	StartOn string `json:"start_on" doc:"First day, 2006-01-02."`
	EndOn   string `json:"end_on" doc:"Last day, 2006-01-02; usually three years on."`
	OwnerID int64  `json:"owner_id"`
	Notes   string `json:"notes"`
	Meta
}

// ProgrammeDetail is a programme with its audits and the coverage of
// the built-in framework's requirements.
type ProgrammeDetail struct {
	Programme
	Audits    []Audit       `json:"audits"`
	Coverage  []CoverageRow `json:"coverage" doc:"Every requirement of ISO/IEC 20000-1:2018 with the audits of the programme that cover it."`
	Unaudited int           `json:"unaudited" doc:"How many requirements no audit of the programme covers."`
}

// CoverageRow is a requirement and the audits covering it.
type CoverageRow struct {
	RequirementID int64   `json:"requirement_id"`
	Code          string  `json:"code"`
	AuditIDs      []int64 `json:"audit_ids"`
}

// Ref names a record by its kind and id.
type Ref struct {
	Entity string `json:"entity" doc:"The kind of record: evidence, document, incident ..."`
	ID     int64  `json:"id" minimum:"1"`
}

// Audit is an audit.
type Audit struct {
	ID             int64   `json:"id"`
	Number         string  `json:"number" doc:"Human number, AUD-000001."`
	ProgrammeID    *int64  `json:"programme_id"`
	Origin         string  `json:"origin" enum:"internal,external"`
	Type           string  `json:"type" enum:"internal,pre_audit,stage1,stage2,surveillance,recertification,special,follow_up"`
	Title          string  `json:"title"`
	BodyID         *int64  `json:"body_id" doc:"The certification body that runs an external audit; null for an internal audit and for a pre-audit run by a consultant."`
	Consultant     string  `json:"consultant" doc:"Who runs a pre-audit when no certification body does; also the body's name as written before bodies were records, where none of that name was on record."`
	RequirementIDs []int64 `json:"requirement_ids" doc:"Requirements of the built-in framework in scope; each covers those under it."`
	ProcessIDs     []int64 `json:"process_ids"`
	ServiceIDs     []int64 `json:"service_ids"`
	Criteria       string  `json:"criteria"`
	PlannedStart   string  `json:"planned_start"`
	PlannedEnd     string  `json:"planned_end"`
	ActualStart    string  `json:"actual_start"`
	ActualEnd      string  `json:"actual_end"`
	LeadAuditorID  *int64  `json:"lead_auditor_id"`
	TeamIDs        []int64 `json:"team_ids"`
	State          string  `json:"state" enum:"planned,in_progress,completed,report_issued,cancelled"`
	Summary        string  `json:"summary"`
	Conclusion     string  `json:"conclusion"`
	ReportOn       string  `json:"report_on" doc:"The day the report was issued; empty until then."`
	ReportSHA256   string  `json:"report_sha256" doc:"SHA-256 of the report as issued, in hex; empty until then."`
	Meta
}

// AuditDetail is an audit with its checklist and findings.
type AuditDetail struct {
	Audit
	Checklist []ChecklistItem `json:"checklist"`
	Findings  []Finding       `json:"findings"`
}

// ChecklistItem is one line of an audit's checklist.
type ChecklistItem struct {
	ID            int64  `json:"id"`
	Number        string `json:"number" doc:"Human number, ACL-000001."`
	AuditID       int64  `json:"audit_id"`
	RequirementID int64  `json:"requirement_id"`
	Result        string `json:"result" enum:",conforming,minor_nc,major_nc,observation,ofi,not_audited" doc:"Empty while not answered."`
	Notes         string `json:"notes"`
	Sampled       []Ref  `json:"sampled"`
	Meta
}

// Finding is an audit finding.
type Finding struct {
	ID            int64  `json:"id"`
	Number        string `json:"number" doc:"Human number, FND-000001."`
	AuditID       int64  `json:"audit_id"`
	RequirementID int64  `json:"requirement_id"`
	Type          string `json:"type" enum:"major_nc,minor_nc,observation,ofi"`
	Statement     string `json:"statement"`
	Records       []Ref  `json:"records"`
	OwnerID       *int64 `json:"owner_id"`
	ItemID        *int64 `json:"item_id" doc:"The checklist line it was raised from."`
	Meta
}

func meta(m record.Based) Meta {
	b := m.Base()
	return Meta{b.CreatedAt, b.CreatedBy, b.UpdatedAt, b.UpdatedBy, b.Version}
}

func refsOut(rs assurance.Refs) []Ref {
	out := make([]Ref, 0, len(rs))
	for _, r := range rs {
		out = append(out, Ref{r.Entity, r.ID})
	}
	return out
}

func refsIn(rs []Ref) assurance.Refs {
	out := assurance.Refs{}
	for _, r := range rs {
		out = append(out, assurance.Ref{Entity: r.Entity, ID: r.ID})
	}
	return out
}

func programmeOut(p assurance.Programme) Programme {
	return Programme{ID: p.ID, Number: assurance.ProgrammeKind.Number(p.ID), Title: p.Title, StartOn: p.StartOn, EndOn: p.EndOn, OwnerID: p.OwnerID, Notes: p.Notes, Meta: meta(&p)}
}

func auditOut(a assurance.Audit) Audit {
	return Audit{ID: a.ID, Number: assurance.AuditKind.Number(a.ID), ProgrammeID: a.ProgrammeID, Origin: a.Origin, Type: a.Type, Title: a.Title, BodyID: a.BodyID, Consultant: a.Consultant,
		RequirementIDs: a.RequirementIDs, ProcessIDs: a.ProcessIDs, ServiceIDs: a.ServiceIDs, Criteria: a.Criteria, PlannedStart: a.PlannedStart,
		PlannedEnd: a.PlannedEnd, ActualStart: a.ActualStart, ActualEnd: a.ActualEnd, LeadAuditorID: a.LeadAuditorID, TeamIDs: a.TeamIDs, State: a.State,
		Summary: a.Summary, Conclusion: a.Conclusion, ReportOn: a.ReportOn, ReportSHA256: a.ReportSHA256, Meta: meta(&a)}
}

func itemOut(it assurance.ChecklistItem) ChecklistItem {
	return ChecklistItem{ID: it.ID, Number: assurance.ChecklistItemKind.Number(it.ID), AuditID: it.AuditID, RequirementID: it.RequirementID,
		Result: it.Result, Notes: it.Notes, Sampled: refsOut(it.Sampled), Meta: meta(&it)}
}

func findingOut(f assurance.Finding) Finding {
	return Finding{ID: f.ID, Number: assurance.FindingKind.Number(f.ID), AuditID: f.AuditID, RequirementID: f.RequirementID, Type: f.Type,
		Statement: f.Statement, Records: refsOut(f.Records), OwnerID: f.OwnerID, ItemID: f.ItemID, Meta: meta(&f)}
}

type programmeCreateIn struct {
	Body struct {
		Title   string `json:"title" maxLength:"200"`
		StartOn string `json:"start_on" maxLength:"10"`
		EndOn   string `json:"end_on" maxLength:"10"`
		OwnerID int64  `json:"owner_id" minimum:"1"`
		Notes   string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type programmePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title   *string `json:"title,omitempty" maxLength:"200"`
		StartOn *string `json:"start_on,omitempty" maxLength:"10"`
		EndOn   *string `json:"end_on,omitempty" maxLength:"10"`
		OwnerID *int64  `json:"owner_id,omitempty" minimum:"1"`
		Notes   *string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type programmeListIn struct {
	restapi.PageParams
	Q string `query:"q" maxLength:"100" doc:"Part of the title."`
}

type auditBody struct {
	ProgrammeID    *int64   `json:"programme_id,omitempty" minimum:"0" doc:"0 or absent for none."`
	Origin         *string  `json:"origin,omitempty" enum:"internal,external"`
	Type           *string  `json:"type,omitempty" enum:"internal,pre_audit,stage1,stage2,surveillance,recertification,special,follow_up"`
	Title          *string  `json:"title,omitempty" maxLength:"200"`
	BodyID         *int64   `json:"body_id,omitempty" minimum:"0" doc:"The certification body that runs an external audit; 0 for none. Required for stage1, stage2, surveillance, recertification, special and follow_up; refused for an internal audit."`
	Consultant     *string  `json:"consultant,omitempty" maxLength:"200" doc:"Who runs a pre-audit when no certification body does; refused for any other audit."`
	RequirementIDs *[]int64 `json:"requirement_ids,omitempty"`
	ProcessIDs     *[]int64 `json:"process_ids,omitempty"`
	ServiceIDs     *[]int64 `json:"service_ids,omitempty"`
	Criteria       *string  `json:"criteria,omitempty" maxLength:"4000"`
	PlannedStart   *string  `json:"planned_start,omitempty" maxLength:"10"`
	PlannedEnd     *string  `json:"planned_end,omitempty" maxLength:"10"`
	ActualStart    *string  `json:"actual_start,omitempty" maxLength:"10"`
	ActualEnd      *string  `json:"actual_end,omitempty" maxLength:"10"`
	LeadAuditorID  *int64   `json:"lead_auditor_id,omitempty" minimum:"0" doc:"0 for none."`
	TeamIDs        *[]int64 `json:"team_ids,omitempty"`
	State          *string  `json:"state,omitempty" enum:"planned,in_progress,completed,cancelled" doc:"report_issued only by issuing the report."`
	Summary        *string  `json:"summary,omitempty" maxLength:"8000"`
	Conclusion     *string  `json:"conclusion,omitempty" maxLength:"8000"`
}

func (b auditBody) update() assurance.AuditUpdate {
	return assurance.AuditUpdate{ProgrammeID: b.ProgrammeID, Origin: b.Origin, Type: b.Type, Title: b.Title, BodyID: b.BodyID, Consultant: b.Consultant, Criteria: b.Criteria,
		RequirementIDs: b.RequirementIDs, ProcessIDs: b.ProcessIDs, ServiceIDs: b.ServiceIDs, TeamIDs: b.TeamIDs, PlannedStart: b.PlannedStart,
		PlannedEnd: b.PlannedEnd, ActualStart: b.ActualStart, ActualEnd: b.ActualEnd, State: b.State, Summary: b.Summary, Conclusion: b.Conclusion,
		LeadAuditorID: b.LeadAuditorID}
}

type auditCreateIn struct{ Body auditBody }

type auditPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body auditBody
}

type auditListIn struct {
	restapi.PageParams
	Q             string `query:"q" maxLength:"100" doc:"Part of the title."`
	State         string `query:"state" enum:"planned,in_progress,completed,report_issued,cancelled"`
	Type          string `query:"type" enum:"internal,pre_audit,stage1,stage2,surveillance,recertification,special,follow_up"`
	Origin        string `query:"origin" enum:"internal,external"`
	ProgrammeID   int64  `query:"programme_id" minimum:"0" doc:"Only the audits of this programme."`
	BodyID        int64  `query:"body_id" minimum:"0" doc:"Only the audits this certification body runs."`
	RequirementID int64  `query:"requirement_id" minimum:"0" doc:"Only the audits naming this requirement in their scope."`
}

type answerIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		RequirementID int64   `json:"requirement_id" minimum:"1" doc:"The requirement whose line is answered; it must be in the audit's scope."`
		Result        *string `json:"result,omitempty" enum:",conforming,minor_nc,major_nc,observation,ofi,not_audited"`
		Notes         *string `json:"notes,omitempty" maxLength:"4000"`
		Sampled       *[]Ref  `json:"sampled,omitempty" maxItems:"50" doc:"The records looked at; each must exist and be one you can see."`
	}
}

type itemPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Result  *string `json:"result,omitempty" enum:",conforming,minor_nc,major_nc,observation,ofi,not_audited" doc:"Empty for not answered."`
		Notes   *string `json:"notes,omitempty" maxLength:"4000"`
		Sampled *[]Ref  `json:"sampled,omitempty" maxItems:"50" doc:"The records looked at; each must exist and be one you can see."`
	}
}

type findingCreateIn struct {
	Body struct {
		AuditID       int64  `json:"audit_id" minimum:"1"`
		RequirementID int64  `json:"requirement_id" doc:"Required: a requirement in the audit's scope."`
		Type          string `json:"type" enum:"major_nc,minor_nc,observation,ofi"`
		Statement     string `json:"statement" maxLength:"4000"`
		Records       []Ref  `json:"records,omitempty" maxItems:"50"`
		OwnerID       int64  `json:"owner_id,omitempty" minimum:"0" doc:"The auditee who answers for it; 0 or absent for none."`
		ItemID        int64  `json:"item_id,omitempty" minimum:"0" doc:"The checklist line it is raised from."`
	}
}

type findingPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		RequirementID *int64  `json:"requirement_id,omitempty" minimum:"1"`
		Type          *string `json:"type,omitempty" enum:"major_nc,minor_nc,observation,ofi"`
		Statement     *string `json:"statement,omitempty" maxLength:"4000"`
		Records       *[]Ref  `json:"records,omitempty" maxItems:"50"`
		OwnerID       *int64  `json:"owner_id,omitempty" minimum:"0" doc:"0 for none."`
	}
}

type findingListIn struct {
	restapi.PageParams
	Q             string `query:"q" maxLength:"100" doc:"Part of the statement."`
	AuditID       int64  `query:"audit_id" minimum:"0"`
	RequirementID int64  `query:"requirement_id" minimum:"0"`
	Type          string `query:"type" enum:"major_nc,minor_nc,observation,ofi"`
}

type programmeFull struct {
	assurance.Programme
	cov assurance.Coverage
}

type auditFull struct {
	assurance.Audit
	lines    []assurance.ChecklistItem
	findings []assurance.Finding
}

// registerAudits adds the operations of programmes, audits, checklists
// and findings.
func registerAudits(api *restapi.API, c *assuranceapp.Catalogue) {
	pk, ak, fk := assurance.ProgrammeKind, assurance.AuditKind, assurance.FindingKind
	restapi.RegisterList(api, pk, "", func(ctx context.Context, actor access.Actor, in *programmeListIn) ([]assurance.Programme, string, error) {
		return c.ListProgrammes(ctx, actor, store.AuditProgrammeFilter{Query: in.Q, Cursor: in.Cursor, Limit: in.Limit})
	}, programmeOut)
	restapi.RegisterCreate(api, pk, "", func(ctx context.Context, actor access.Actor, in *programmeCreateIn) (assurance.Programme, error) {
		b := in.Body
		return c.CreateProgramme(ctx, actor, assurance.ProgrammeInput{Title: b.Title, StartOn: b.StartOn, EndOn: b.EndOn, OwnerID: b.OwnerID, Notes: b.Notes})
	}, programmeOut)
	restapi.RegisterGet(api, pk, func(ctx context.Context, actor access.Actor, id int64) (programmeFull, error) {
		p, err := c.GetProgramme(ctx, actor, id)
		if err != nil {
			return programmeFull{}, err
		}
		cov, err := c.Coverage(ctx, actor, id)
		return programmeFull{p, cov}, err
	}, func(p programmeFull) ProgrammeDetail {
		out := ProgrammeDetail{Programme: programmeOut(p.Programme), Audits: []Audit{}, Coverage: []CoverageRow{}, Unaudited: p.cov.Unaudited}
		for _, a := range p.cov.Audits {
			out.Audits = append(out.Audits, auditOut(a))
		}
		for _, r := range p.cov.Rows {
			ids := r.AuditIDs
			if ids == nil {
				ids = []int64{}
			}
			out.Coverage = append(out.Coverage, CoverageRow{RequirementID: r.Requirement.ID, Code: r.Requirement.Code, AuditIDs: ids})
		}
		return out
	})
	restapi.RegisterUpdate(api, pk, "", func(ctx context.Context, actor access.Actor, in *programmePatchIn, version int64) (assurance.Programme, error) {
		b := in.Body
		return c.UpdateProgramme(ctx, actor, in.ID, version, assurance.ProgrammeUpdate{Title: b.Title, StartOn: b.StartOn, EndOn: b.EndOn, OwnerID: b.OwnerID, Notes: b.Notes})
	}, programmeOut)
	restapi.RegisterDelete(api, pk, "", "A programme with audits is refused (409).", c.DeleteProgramme)
	api.RegisterHistory(pk)
	restapi.Register(api, ak.Write, huma.Operation{OperationID: "generate-audits", Method: http.MethodPost, Path: restapi.ItemPath(pk) + "/generate",
		Tags: []string{pk.Plural}, Summary: "Plan the audits of a cycle", DefaultStatus: http.StatusCreated,
		Description: "Plans internal audits so that the programme covers every requirement of ISO/IEC 20000-1:2018: each year one audit of clauses 4 to 7, 9 and 10, and clause 8's subclauses spread over the years (over the quarters for a programme of a year or less). What the programme's audits already cover is not planned again, so calling it twice plans nothing the second time. Answers the audits made."},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*struct{ Body restapi.Page[Audit] }, error) {
			made, err := c.GenerateAudits(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			out := make([]Audit, 0, len(made))
			for _, a := range made {
				out = append(out, auditOut(a))
			}
			return &struct{ Body restapi.Page[Audit] }{restapi.Page[Audit]{Items: out}}, nil
		})

	restapi.RegisterList(api, ak, "", func(ctx context.Context, actor access.Actor, in *auditListIn) ([]assurance.Audit, string, error) {
		return c.ListAudits(ctx, actor, store.AuditListFilter{Query: in.Q, State: in.State, Type: in.Type, Origin: in.Origin, ProgrammeID: in.ProgrammeID, BodyID: in.BodyID,
			RequirementID: in.RequirementID, Cursor: in.Cursor, Limit: in.Limit})
	}, auditOut)
	restapi.RegisterCreate(api, ak, "Makes the checklist: a line per requirement in scope and under it. A lead auditor who owns a process in scope or a document of a requirement in scope is refused, naming lead_auditor_id.",
		func(ctx context.Context, actor access.Actor, in *auditCreateIn) (assurance.Audit, error) {
			return c.CreateAudit(ctx, actor, in.Body.update().Apply(assurance.Audit{}))
		}, auditOut)
	restapi.RegisterGet(api, ak, func(ctx context.Context, actor access.Actor, id int64) (auditFull, error) {
		a, err := c.GetAudit(ctx, actor, id)
		if err != nil {
			return auditFull{}, err
		}
		lines, err := c.Checklist(ctx, actor, id)
		if err != nil {
			return auditFull{}, err
		}
		fs, _, err := c.ListFindings(ctx, actor, store.FindingFilter{AuditID: id, Limit: store.MaxLimit})
		return auditFull{a, lines, fs}, err
	}, func(a auditFull) AuditDetail {
		out := AuditDetail{Audit: auditOut(a.Audit), Checklist: []ChecklistItem{}, Findings: []Finding{}}
		for _, l := range a.lines {
			out.Checklist = append(out.Checklist, itemOut(l))
		}
		for _, f := range a.findings {
			out.Findings = append(out.Findings, findingOut(f))
		}
		return out
	})
	restapi.RegisterUpdate(api, ak, "Moves the state (planned, in_progress, completed, cancelled) as the lifecycle allows. An audit whose report is issued is refused, naming the field.",
		func(ctx context.Context, actor access.Actor, in *auditPatchIn, version int64) (assurance.Audit, error) {
			return c.UpdateAudit(ctx, actor, in.ID, version, in.Body.update())
		}, auditOut)
	restapi.RegisterDelete(api, ak, "", "An audit with findings, or whose report is issued, is refused (409).", c.DeleteAudit)
	api.RegisterHistory(ak)
	restapi.RegisterTransition(api, ak, ak.Write, "issue-report", "Issue an audit's report",
		"Freezes the report of a completed audit: it is stored with its SHA-256 (report_sha256) and never changes; nor do the audit and its findings.",
		c.IssueReport, auditOut)
	restapi.Register(api, ak.Write, huma.Operation{OperationID: "answer-checklist", Method: http.MethodPut, Path: restapi.ItemPath(ak) + "/checklist",
		Tags: []string{ak.Plural}, Summary: "Answer a line of an audit's checklist",
		Description: "Records the result, notes and sampled records on the line of the requirement named, leaving out what is not sent. A requirement outside the audit's scope is refused naming requirement_id; an audit not in progress or completed is refused naming audit_id. If-Match takes the line's version."},
		func(ctx context.Context, actor access.Actor, in *answerIn) (*restapi.Tagged[ChecklistItem], error) {
			an := assurance.Answer{RequirementID: in.Body.RequirementID, Result: in.Body.Result, Notes: in.Body.Notes}
			if in.Body.Sampled != nil {
				rs := refsIn(*in.Body.Sampled)
				an.Sampled = &rs
			}
			it, err := restapi.AtVersions(in.IfMatch, func(v int64) (assurance.ChecklistItem, error) { return c.AnswerChecklist(ctx, actor, in.ID, v, an) })
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[ChecklistItem]{ETag: restapi.ETag(it.Version), Body: itemOut(it)}, nil
		})

	ik := assurance.ChecklistItemKind
	restapi.RegisterGet(api, ik, c.GetChecklistItem, itemOut)
	restapi.RegisterUpdate(api, ik, "Answers the line: the result, notes and sampled records, as PUT /api/v1/audits/{id}/checklist does. An audit not in progress or completed is refused naming audit_id.",
		func(ctx context.Context, actor access.Actor, in *itemPatchIn, version int64) (assurance.ChecklistItem, error) {
			an := assurance.Answer{Result: in.Body.Result, Notes: in.Body.Notes}
			if in.Body.Sampled != nil {
				rs := refsIn(*in.Body.Sampled)
				an.Sampled = &rs
			}
			return c.AnswerChecklistItem(ctx, actor, in.ID, version, an)
		}, itemOut)
	api.RegisterHistory(ik)

	restapi.RegisterList(api, fk, "", func(ctx context.Context, actor access.Actor, in *findingListIn) ([]assurance.Finding, string, error) {
		return c.ListFindings(ctx, actor, store.FindingFilter{Query: in.Q, AuditID: in.AuditID, RequirementID: in.RequirementID, Type: in.Type, Cursor: in.Cursor, Limit: in.Limit})
	}, findingOut)
	restapi.RegisterCreate(api, fk, "The audit must be in progress or completed and its report not issued; the requirement, in its scope.",
		func(ctx context.Context, actor access.Actor, in *findingCreateIn) (assurance.Finding, error) {
			b := in.Body
			return c.CreateFinding(ctx, actor, assurance.FindingInput{AuditID: b.AuditID, RequirementID: b.RequirementID, Type: b.Type, Statement: b.Statement,
				Records: refsIn(b.Records), OwnerID: &b.OwnerID, ItemID: &b.ItemID})
		}, findingOut)
	restapi.RegisterGet(api, fk, c.GetFinding, findingOut)
	restapi.RegisterUpdate(api, fk, "A finding of an audit whose report is issued is refused, naming audit_id.",
		func(ctx context.Context, actor access.Actor, in *findingPatchIn, version int64) (assurance.Finding, error) {
			b := in.Body
			up := assurance.FindingUpdate{RequirementID: b.RequirementID, Type: b.Type, Statement: b.Statement, OwnerID: b.OwnerID}
			if b.Records != nil {
				rs := refsIn(*b.Records)
				up.Records = &rs
			}
			return c.UpdateFinding(ctx, actor, in.ID, version, up)
		}, findingOut)
	restapi.RegisterDelete(api, fk, "", "A finding of an audit whose report is issued is refused.", c.DeleteFinding)
	api.RegisterHistory(fk)
}
