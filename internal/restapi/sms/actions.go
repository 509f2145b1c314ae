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

// Action is one thing the management system must do.
type Action struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	OwnerID     int64     `json:"owner_id" doc:"The user who sees that it gets done."`
	StartOn     string    `json:"start_on" doc:"The day work starts (2006-01-02); empty for not planned."`
	DueOn       string    `json:"due_on" doc:"The day it is due (2006-01-02); empty for none."`
	Progress    int64     `json:"progress" doc:"How much is done, in per cent; 100 when done."`
	DependsOn   []int64   `json:"depends_on" doc:"The ids of the actions it waits for."`
	State       string    `json:"state" enum:"open,in_progress,done,cancelled"`
	Priority    string    `json:"priority" enum:"low,medium,high"`
	Source      Source    `json:"source" doc:"What asked for it."`
	SourceID    int64     `json:"source_id" doc:"The record the source names: a gap's requirement, a treated risk; 0 for a source that names none."`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

// Source is an action's source, one of sms.ActionSources: the API's
// enumeration follows that table.
type Source string

// Schema declares the sources as an enumeration.
func (Source) Schema(huma.Registry) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString}
	for _, src := range sms.ActionSources {
		s.Enum = append(s.Enum, src.Code)
	}
	return s
}

func actionOut(a sms.Action) Action {
	return Action{ID: a.ID, Title: a.Title, Description: a.Description, OwnerID: a.OwnerID, StartOn: a.StartOn, DueOn: a.DueOn, Progress: a.Progress, DependsOn: a.DependsOn, State: a.State, Priority: a.Priority,
		Source: Source(a.Source), SourceID: a.SourceID, CreatedAt: a.CreatedAt, CreatedBy: a.CreatedBy, UpdatedAt: a.UpdatedAt, UpdatedBy: a.UpdatedBy, Version: a.Version}
}

type actionCreateIn struct {
	Body struct {
		Title       string  `json:"title" maxLength:"200"`
		Description string  `json:"description,omitempty" maxLength:"4000"`
		OwnerID     int64   `json:"owner_id" minimum:"1"`
		StartOn     string  `json:"start_on,omitempty" maxLength:"10" doc:"2006-01-02; the due day may not be before it."`
		DueOn       string  `json:"due_on,omitempty" maxLength:"10" doc:"2006-01-02"`
		Progress    int64   `json:"progress,omitempty" minimum:"0" maximum:"100" doc:"Per cent done; 100 only with state done, which sets it."`
		DependsOn   []int64 `json:"depends_on,omitempty" maxItems:"100" doc:"The ids of the actions it waits for; none may close a cycle."`
		State       string  `json:"state,omitempty" enum:"open,in_progress,done,cancelled" doc:"open when left out."`
		Priority    string  `json:"priority,omitempty" enum:"low,medium,high" doc:"medium when left out."`
		Source      Source  `json:"source,omitempty" doc:"plan when left out."`
		SourceID    int64   `json:"source_id,omitempty" minimum:"0" doc:"The record the source names (a gap's requirement, a treated risk); required for such a source, left out for another."`
	}
}

type actionPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title       *string  `json:"title,omitempty" maxLength:"200"`
		Description *string  `json:"description,omitempty" maxLength:"4000"`
		OwnerID     *int64   `json:"owner_id,omitempty" minimum:"1"`
		StartOn     *string  `json:"start_on,omitempty" maxLength:"10" doc:"2006-01-02; empty for none."`
		DueOn       *string  `json:"due_on,omitempty" maxLength:"10" doc:"2006-01-02; empty for none."`
		Progress    *int64   `json:"progress,omitempty" minimum:"0" maximum:"100" doc:"Per cent done; 100 only with state done. Reopening a done action without it sets 0."`
		DependsOn   *[]int64 `json:"depends_on,omitempty" maxItems:"100" doc:"The ids of the actions it waits for, all of them (replaces the list); none may close a cycle."`
		State       *string  `json:"state,omitempty" enum:"open,in_progress,done,cancelled"`
		Priority    *string  `json:"priority,omitempty" enum:"low,medium,high"`
		Source      *Source  `json:"source,omitempty"`
		SourceID    *int64   `json:"source_id,omitempty" minimum:"0"`
	}
}

type actionListIn struct {
	restapi.PageParams
	Q        string `query:"q" maxLength:"100" doc:"Part of the title."`
	OwnerID  int64  `query:"owner_id" minimum:"0" doc:"Only this user's actions."`
	State    string `query:"state" enum:"open,in_progress,done,cancelled" doc:"Only actions in this state."`
	Open     bool   `query:"open" doc:"Only actions neither done nor cancelled."`
	DueUntil string `query:"due_until" maxLength:"10" doc:"Only actions due on or before this day (2006-01-02); with open=true, the overdue ones."`
	Source   Source `query:"source"`
	SourceID int64  `query:"source_id" minimum:"0" doc:"Only actions for this record of the source's kind (a requirement's gap, a risk)."`
	Overdue  bool   `query:"overdue" doc:"Only open actions past their due day."`
	Blocks   int64  `query:"blocks" minimum:"0" doc:"Only the actions that wait for this one."`
}

// registerActions adds the actions' operations.
func registerActions(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.ActionKind
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *actionListIn) ([]sms.Action, string, error) {
		f := store.ActionFilter{Query: in.Q, OwnerID: in.OwnerID, State: in.State, Open: in.Open, DueUntil: in.DueUntil,
			Source: string(in.Source), SourceID: in.SourceID, Blocks: in.Blocks, Cursor: in.Cursor, Limit: in.Limit}
		if in.Overdue {
			yesterday := c.Today(-1)
			f.Open = true
			if f.DueUntil == "" || f.DueUntil > yesterday {
				f.DueUntil = yesterday
			}
		}
		return c.ListActions(ctx, actor, f)
	}, actionOut)
	restapi.RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *actionCreateIn) (sms.Action, error) {
		b := in.Body
		return c.CreateAction(ctx, actor, sms.ActionInput{Title: b.Title, Description: b.Description, OwnerID: b.OwnerID, DueOn: b.DueOn,
			State: b.State, Priority: b.Priority, Source: string(b.Source), SourceID: b.SourceID, StartOn: b.StartOn, Progress: b.Progress, DependsOn: b.DependsOn})
	}, actionOut)
	restapi.RegisterGet(api, k, c.GetAction, actionOut)
	restapi.RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *actionPatchIn, version int64) (sms.Action, error) {
		b := in.Body
		return c.UpdateAction(ctx, actor, in.ID, version, sms.ActionUpdate{Title: b.Title, Description: b.Description, OwnerID: b.OwnerID, DueOn: b.DueOn,
			State: b.State, Priority: b.Priority, Source: (*string)(b.Source), SourceID: b.SourceID, StartOn: b.StartOn, Progress: b.Progress, DependsOn: b.DependsOn})
	}, actionOut)
	restapi.RegisterDelete(api, k, "", "", c.DeleteAction)
	api.RegisterHistory(k)
	restapi.Register(api, k.Write, huma.Operation{OperationID: "plan-from-gaps", Method: http.MethodPost, Path: restapi.ItemPath(sms.AssessmentKind) + "/plan",
		Tags: []string{k.Plural}, Summary: "Make the plan from an assessment's gaps", DefaultStatus: http.StatusCreated,
		Description: "Creates one action for each requirement of the assessment not yet implemented (not started or partly), as a gap linked to the requirement, owned by the result's owner or else the caller. A requirement that already has a gap action gets none, so calling it again adds only new gaps. Answers the actions made (none when every gap has one)."},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*struct{ Body restapi.Page[Action] }, error) {
			made, err := c.PlanFromGaps(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			out := make([]Action, 0, len(made))
			for _, a := range made {
				out = append(out, actionOut(a))
			}
			return &struct{ Body restapi.Page[Action] }{restapi.Page[Action]{Items: out}}, nil
		})
}
