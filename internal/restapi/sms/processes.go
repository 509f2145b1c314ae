package sms

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Process is one of the SMS's processes.
type Process struct {
	ID             int64     `json:"id"`
	Number         string    `json:"number" doc:"Human number, PRC-000001."`
	Code           string    `json:"code" doc:"The built-in process it is (incident, change ...); empty for the organisation's own."`
	Name           string    `json:"name"`
	Area           string    `json:"area" enum:"portfolio,relationship,supply_demand,design_transition,resolution,assurance,sms"`
	Position       int64     `json:"position" doc:"Its place within its area on the process map."`
	OwnerID        *int64    `json:"owner_id" doc:"The process owner; null for none yet."`
	Purpose        string    `json:"purpose"`
	Scope          string    `json:"scope"`
	Inputs         string    `json:"inputs"`
	Outputs        string    `json:"outputs"`
	Maturity       int64     `json:"maturity" minimum:"0" maximum:"5" doc:"0 nothing in place, 1 ad hoc, 2 repeatable, 3 defined, 4 measured, 5 optimised."`
	Documentation  string    `json:"documentation" enum:"outline,described" doc:"described once purpose, scope, inputs and outputs are all written."`
	InterfaceIDs   []int64   `json:"interface_ids" doc:"The processes it hands work to or takes work from."`
	KPIIDs         []int64   `json:"kpi_ids" doc:"The objectives that measure it."`
	RequirementIDs []int64   `json:"requirement_ids" doc:"The requirements it answers."`
	CreatedAt      time.Time `json:"created_at"`
	CreatedBy      int64     `json:"created_by"`
	UpdatedAt      time.Time `json:"updated_at"`
	UpdatedBy      int64     `json:"updated_by"`
	Version        int64     `json:"version"`
}

func processOut(p sms.Process) Process {
	return Process{ID: p.ID, Number: sms.ProcessKind.Number(p.ID), Code: p.Code, Name: p.Name, Area: p.Area, Position: p.Position, OwnerID: p.OwnerID,
		Purpose: p.Purpose, Scope: p.Scope, Inputs: p.Inputs, Outputs: p.Outputs, Maturity: p.Maturity, Documentation: p.DocStatus(),
		InterfaceIDs: p.InterfaceIDs, KPIIDs: p.KPIIDs, RequirementIDs: p.RequirementIDs,
		CreatedAt: p.CreatedAt, CreatedBy: p.CreatedBy, UpdatedAt: p.UpdatedAt, UpdatedBy: p.UpdatedBy, Version: p.Version}
}

type processCreateIn struct {
	Body struct {
		Name           string  `json:"name" maxLength:"120"`
		Area           string  `json:"area" enum:"portfolio,relationship,supply_demand,design_transition,resolution,assurance,sms"`
		OwnerID        int64   `json:"owner_id,omitempty" minimum:"0" doc:"The process owner; 0 or left out for none yet."`
		Purpose        string  `json:"purpose,omitempty" maxLength:"4000"`
		Scope          string  `json:"scope,omitempty" maxLength:"4000"`
		Inputs         string  `json:"inputs,omitempty" maxLength:"4000"`
		Outputs        string  `json:"outputs,omitempty" maxLength:"4000"`
		Maturity       int64   `json:"maturity,omitempty" minimum:"0" maximum:"5"`
		InterfaceIDs   []int64 `json:"interface_ids,omitempty" maxItems:"100"`
		KPIIDs         []int64 `json:"kpi_ids,omitempty" maxItems:"100"`
		RequirementIDs []int64 `json:"requirement_ids,omitempty" maxItems:"100"`
	}
}

type processPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Name           *string  `json:"name,omitempty" maxLength:"120"`
		Area           *string  `json:"area,omitempty" enum:"portfolio,relationship,supply_demand,design_transition,resolution,assurance,sms"`
		OwnerID        *int64   `json:"owner_id,omitempty" minimum:"0" doc:"0 takes the owner away."`
		Purpose        *string  `json:"purpose,omitempty" maxLength:"4000"`
		Scope          *string  `json:"scope,omitempty" maxLength:"4000"`
		Inputs         *string  `json:"inputs,omitempty" maxLength:"4000"`
		Outputs        *string  `json:"outputs,omitempty" maxLength:"4000"`
		Maturity       *int64   `json:"maturity,omitempty" minimum:"0" maximum:"5"`
		InterfaceIDs   *[]int64 `json:"interface_ids,omitempty" maxItems:"100" doc:"The whole list: it replaces the one there."`
		KPIIDs         *[]int64 `json:"kpi_ids,omitempty" maxItems:"100" doc:"The whole list: it replaces the one there."`
		RequirementIDs *[]int64 `json:"requirement_ids,omitempty" maxItems:"100" doc:"The whole list: it replaces the one there."`
	}
}

type processListIn struct {
	restapi.PageParams
	Q             string `query:"q" maxLength:"100" doc:"Part of the name."`
	Area          string `query:"area" enum:"portfolio,relationship,supply_demand,design_transition,resolution,assurance,sms"`
	OwnerID       int64  `query:"owner_id" minimum:"0" doc:"Only the processes this user owns."`
	KPI           int64  `query:"kpi_id" minimum:"0" doc:"Only the processes this objective measures."`
	RequirementID int64  `query:"requirement_id" minimum:"0" doc:"Only the processes answering this requirement."`
}

// ProjectMember is a member of the implementation project's team.
type ProjectMember struct {
	ID               int64     `json:"id"`
	Number           string    `json:"number" doc:"Human number, PTM-000001."`
	UserID           int64     `json:"user_id"`
	Role             string    `json:"role" enum:"project_manager,sponsor,sms_manager,process_owner,member" doc:"The team has exactly one project_manager."`
	Responsibilities string    `json:"responsibilities"`
	CreatedAt        time.Time `json:"created_at"`
	CreatedBy        int64     `json:"created_by"`
	UpdatedAt        time.Time `json:"updated_at"`
	UpdatedBy        int64     `json:"updated_by"`
	Version          int64     `json:"version"`
}

func memberOut(m sms.ProjectMember) ProjectMember {
	return ProjectMember{ID: m.ID, Number: sms.ProjectMemberKind.Number(m.ID), UserID: m.UserID, Role: m.Role, Responsibilities: m.Responsibilities,
		CreatedAt: m.CreatedAt, CreatedBy: m.CreatedBy, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy, Version: m.Version}
}

type memberCreateIn struct {
	Body struct {
		UserID           int64  `json:"user_id" minimum:"1"`
		Role             string `json:"role,omitempty" enum:"project_manager,sponsor,sms_manager,process_owner,member" doc:"member when left out; the first member must be the project_manager."`
		Responsibilities string `json:"responsibilities,omitempty" maxLength:"2000"`
	}
}

type memberPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		UserID           *int64  `json:"user_id,omitempty" minimum:"1"`
		Role             *string `json:"role,omitempty" enum:"project_manager,sponsor,sms_manager,process_owner,member" doc:"The project manager's role is handed over with designate, never taken away alone."`
		Responsibilities *string `json:"responsibilities,omitempty" maxLength:"2000"`
	}
}

type memberListIn struct {
	restapi.PageParams
	UserID int64  `query:"user_id" minimum:"0"`
	Role   string `query:"role" enum:"project_manager,sponsor,sms_manager,process_owner,member"`
}

// Raci is one row of the RACI matrix.
type Raci struct {
	ID             int64     `json:"id"`
	Number         string    `json:"number" doc:"Human number, RACI-000001."`
	RequirementID  *int64    `json:"requirement_id" doc:"The clause the row is for; null for a process's row."`
	ProcessID      *int64    `json:"process_id" doc:"The process the row is for; null for a clause's row."`
	AccountableID  int64     `json:"accountable_id" doc:"The one person accountable."`
	ResponsibleIDs []int64   `json:"responsible_ids"`
	ConsultedIDs   []int64   `json:"consulted_ids"`
	InformedIDs    []int64   `json:"informed_ids"`
	Notes          string    `json:"notes"`
	CreatedAt      time.Time `json:"created_at"`
	CreatedBy      int64     `json:"created_by"`
	UpdatedAt      time.Time `json:"updated_at"`
	UpdatedBy      int64     `json:"updated_by"`
	Version        int64     `json:"version"`
}

func raciOut(r sms.Raci) Raci {
	return Raci{ID: r.ID, Number: sms.RaciKind.Number(r.ID), RequirementID: r.RequirementID, ProcessID: r.ProcessID, AccountableID: r.AccountableID,
		ResponsibleIDs: r.ResponsibleIDs, ConsultedIDs: r.ConsultedIDs, InformedIDs: r.InformedIDs, Notes: r.Notes,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy, Version: r.Version}
}

type raciCreateIn struct {
	Body struct {
		RequirementID  int64   `json:"requirement_id,omitempty" minimum:"0" doc:"The clause; set this or process_id."`
		ProcessID      int64   `json:"process_id,omitempty" minimum:"0" doc:"The process; set this or requirement_id."`
		AccountableID  int64   `json:"accountable_id" minimum:"1" doc:"Exactly one person is accountable."`
		ResponsibleIDs []int64 `json:"responsible_ids,omitempty" maxItems:"100" doc:"May include the accountable person."`
		ConsultedIDs   []int64 `json:"consulted_ids,omitempty" maxItems:"100"`
		InformedIDs    []int64 `json:"informed_ids,omitempty" maxItems:"100"`
		Notes          string  `json:"notes,omitempty" maxLength:"2000"`
	}
}

type raciPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		AccountableID  *int64   `json:"accountable_id,omitempty" minimum:"1"`
		ResponsibleIDs *[]int64 `json:"responsible_ids,omitempty" maxItems:"100"`
		ConsultedIDs   *[]int64 `json:"consulted_ids,omitempty" maxItems:"100"`
		InformedIDs    *[]int64 `json:"informed_ids,omitempty" maxItems:"100"`
		Notes          *string  `json:"notes,omitempty" maxLength:"2000"`
	}
}

type raciListIn struct {
	restapi.PageParams
	ProcessID     int64  `query:"process_id" minimum:"0"`
	RequirementID int64  `query:"requirement_id" minimum:"0"`
	Subject       string `query:"subject" enum:"process,clause" doc:"Only the rows of processes, or of clauses."`
	UserID        int64  `query:"user_id" minimum:"0" doc:"Only the rows naming this user, with any letter."`
}

func optional(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// registerProcesses adds the operations of the process register, the
// implementation team and the RACI.
func registerProcesses(api *restapi.API, c *smsapp.Catalogue) {
	registerObjectives(api, c)
	k := sms.ProcessKind
	restapi.RegisterList(api, k, "Processes in id order; the built-in register comes first, in map order.",
		func(ctx context.Context, actor access.Actor, in *processListIn) ([]sms.Process, string, error) {
			return c.ListProcesses(ctx, actor, store.ProcessFilter{Query: in.Q, Area: in.Area, OwnerID: in.OwnerID, KPI: in.KPI, RequirementID: in.RequirementID,
				Cursor: in.Cursor, Limit: in.Limit})
		}, processOut)
	restapi.RegisterCreate(api, k, "Adds one of the organisation's own processes.", func(ctx context.Context, actor access.Actor, in *processCreateIn) (sms.Process, error) {
		b := in.Body
		return c.CreateProcess(ctx, actor, sms.ProcessInput{Name: b.Name, Area: b.Area, OwnerID: optional(b.OwnerID), Purpose: b.Purpose, Scope: b.Scope,
			Inputs: b.Inputs, Outputs: b.Outputs, Maturity: b.Maturity, InterfaceIDs: b.InterfaceIDs, KPIIDs: b.KPIIDs, RequirementIDs: b.RequirementIDs})
	}, processOut)
	restapi.RegisterGet(api, k, c.GetProcess, processOut)
	restapi.RegisterUpdate(api, k, "A list sent replaces the one there.", func(ctx context.Context, actor access.Actor, in *processPatchIn, version int64) (sms.Process, error) {
		b := in.Body
		return c.UpdateProcess(ctx, actor, in.ID, version, sms.ProcessUpdate{Name: b.Name, Area: b.Area, OwnerID: b.OwnerID, Purpose: b.Purpose, Scope: b.Scope,
			Inputs: b.Inputs, Outputs: b.Outputs, Maturity: b.Maturity, InterfaceIDs: b.InterfaceIDs, KPIIDs: b.KPIIDs, RequirementIDs: b.RequirementIDs})
	}, processOut)
	restapi.RegisterDelete(api, k, "", "A process another names as an interface, or with a RACI row, is refused (409), naming them.", c.DeleteProcess)
	api.RegisterHistory(k)

	mk := sms.ProjectMemberKind
	restapi.RegisterList(api, mk, "", func(ctx context.Context, actor access.Actor, in *memberListIn) ([]sms.ProjectMember, string, error) {
		return c.ListProjectMembers(ctx, actor, store.ProjectMemberFilter{UserID: in.UserID, Role: in.Role, Cursor: in.Cursor, Limit: in.Limit})
	}, memberOut)
	restapi.RegisterCreate(api, mk, "The team has exactly one project manager: the first member must be it, and a second is refused on role.",
		func(ctx context.Context, actor access.Actor, in *memberCreateIn) (sms.ProjectMember, error) {
			b := in.Body
			return c.AddProjectMember(ctx, actor, sms.MemberInput{UserID: b.UserID, Role: b.Role, Responsibilities: b.Responsibilities})
		}, memberOut)
	restapi.RegisterGet(api, mk, c.GetProjectMember, memberOut)
	restapi.RegisterUpdate(api, mk, "Making someone project manager while another is, or the project manager a member, is refused on role: use designate.",
		func(ctx context.Context, actor access.Actor, in *memberPatchIn, version int64) (sms.ProjectMember, error) {
			b := in.Body
			return c.UpdateProjectMember(ctx, actor, in.ID, version, sms.MemberUpdate{UserID: b.UserID, Role: b.Role, Responsibilities: b.Responsibilities})
		}, memberOut)
	restapi.RegisterDelete(api, mk, "remove", "The project manager is refused (409) while others are on the team.", c.RemoveProjectMember)
	api.RegisterHistory(mk)
	restapi.Register(api, mk.Write, huma.Operation{OperationID: "designate-project-manager", Method: http.MethodPost, Path: restapi.ItemPath(mk) + "/designate",
		Tags: []string{mk.Plural}, Summary: "Make a member the project manager",
		Description: "The member becomes the project manager and the one before a member, in one change; the team keeps exactly one."},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*struct{ Body ProjectMember }, error) {
			m, err := c.DesignateProjectManager(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body ProjectMember }{memberOut(m)}, nil
		})

	rk := sms.RaciKind
	restapi.RegisterList(api, rk, "", func(ctx context.Context, actor access.Actor, in *raciListIn) ([]sms.Raci, string, error) {
		return c.ListRacis(ctx, actor, store.RaciFilter{ProcessID: in.ProcessID, RequirementID: in.RequirementID, Subject: in.Subject, UserID: in.UserID,
			Cursor: in.Cursor, Limit: in.Limit})
	}, raciOut)
	restapi.RegisterCreate(api, rk, "One row per clause or process, with exactly one accountable person; nobody has two letters, but the accountable person may also be responsible.",
		func(ctx context.Context, actor access.Actor, in *raciCreateIn) (sms.Raci, error) {
			b := in.Body
			return c.CreateRaci(ctx, actor, sms.RaciInput{RequirementID: optional(b.RequirementID), ProcessID: optional(b.ProcessID), AccountableID: b.AccountableID,
				ResponsibleIDs: b.ResponsibleIDs, ConsultedIDs: b.ConsultedIDs, InformedIDs: b.InformedIDs, Notes: b.Notes})
		}, raciOut)
	restapi.RegisterGet(api, rk, c.GetRaci, raciOut)
	restapi.RegisterUpdate(api, rk, "Its clause or process never changes; a list sent replaces the one there.",
		func(ctx context.Context, actor access.Actor, in *raciPatchIn, version int64) (sms.Raci, error) {
			b := in.Body
			return c.UpdateRaci(ctx, actor, in.ID, version, sms.RaciUpdate{AccountableID: b.AccountableID, ResponsibleIDs: b.ResponsibleIDs,
				ConsultedIDs: b.ConsultedIDs, InformedIDs: b.InformedIDs, Notes: b.Notes})
		}, raciOut)
	restapi.RegisterDelete(api, rk, "", "", c.DeleteRaci)
	api.RegisterHistory(rk)
}
