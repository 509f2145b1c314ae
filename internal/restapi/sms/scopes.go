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

// Exclusion is something left out of the scope and why.
type Exclusion struct {
	Subject       string `json:"subject" maxLength:"200" doc:"The service, location or part of the organisation left out; never a clause of the standard."`
	Justification string `json:"justification" maxLength:"2000" doc:"Why it is left out; required."`
}

// Scope is one revision of the scope statement.
type Scope struct {
	ID         int64       `json:"id"`
	Revision   int64       `json:"revision" doc:"The revision's number, from 1."`
	State      string      `json:"state" enum:"draft,approved,superseded" doc:"Only a draft changes; approving one supersedes the revision approved before."`
	Statement  string      `json:"statement"`
	ServiceIDs []int64     `json:"service_ids" doc:"The services in scope."`
	Locations  string      `json:"locations" doc:"One per line."`
	Units      string      `json:"units" doc:"The organisational units, one per line."`
	Interfaces string      `json:"interfaces" doc:"The interfaces with other parties, one per line."`
	Exclusions []Exclusion `json:"exclusions"`
	ApprovedBy int64       `json:"approved_by" doc:"Who approved it; 0 for a draft."`
	ApprovedAt *time.Time  `json:"approved_at" doc:"When it was approved; null for a draft."`
	CreatedAt  time.Time   `json:"created_at"`
	CreatedBy  int64       `json:"created_by"`
	UpdatedAt  time.Time   `json:"updated_at"`
	UpdatedBy  int64       `json:"updated_by"`
	Version    int64       `json:"version"`
}

func scopeOut(s sms.Scope) Scope {
	ex := make([]Exclusion, len(s.Exclusions))
	for i, e := range s.Exclusions {
		ex[i] = Exclusion(e)
	}
	return Scope{ID: s.ID, Revision: s.Revision, State: s.State, Statement: s.Statement, ServiceIDs: s.ServiceIDs, Locations: s.Locations,
		Units: s.Units, Interfaces: s.Interfaces, Exclusions: ex, ApprovedBy: s.ApprovedBy, ApprovedAt: s.ApprovedAt,
		CreatedAt: s.CreatedAt, CreatedBy: s.CreatedBy, UpdatedAt: s.UpdatedAt, UpdatedBy: s.UpdatedBy, Version: s.Version}
}

func exclusionsIn(in []Exclusion) []sms.Exclusion {
	out := make([]sms.Exclusion, len(in))
	for i, e := range in {
		out[i] = sms.Exclusion(e)
	}
	return out
}

type scopeCreateIn struct {
	Body struct {
		Statement  string      `json:"statement" maxLength:"4000"`
		ServiceIDs []int64     `json:"service_ids,omitempty" maxItems:"1000"`
		Locations  string      `json:"locations,omitempty" maxLength:"4000"`
		Units      string      `json:"units,omitempty" maxLength:"4000"`
		Interfaces string      `json:"interfaces,omitempty" maxLength:"4000"`
		Exclusions []Exclusion `json:"exclusions,omitempty" maxItems:"50"`
	}
}

type scopePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Statement  *string      `json:"statement,omitempty" maxLength:"4000"`
		ServiceIDs *[]int64     `json:"service_ids,omitempty" maxItems:"1000" doc:"The whole list: it replaces the one stored."`
		Locations  *string      `json:"locations,omitempty" maxLength:"4000"`
		Units      *string      `json:"units,omitempty" maxLength:"4000"`
		Interfaces *string      `json:"interfaces,omitempty" maxLength:"4000"`
		Exclusions *[]Exclusion `json:"exclusions,omitempty" maxItems:"50" doc:"The whole list: it replaces the one stored."`
	}
}

type scopeListIn struct {
	restapi.PageParams
	Q         string `query:"q" maxLength:"100" doc:"Part of the statement."`
	State     string `query:"state" enum:"draft,approved,superseded" doc:"Only revisions in this state: approved gives the scope in force."`
	ServiceID int64  `query:"service_id" minimum:"0" doc:"Only revisions that name this service."`
}

// registerScopes adds the scope's operations.
func registerScopes(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.ScopeKind
	restapi.RegisterList(api, k, "Revisions in order; state=approved gives the scope in force.", func(ctx context.Context, actor access.Actor, in *scopeListIn) ([]sms.Scope, string, error) {
		return c.ListScopes(ctx, actor, store.ScopeFilter{Query: in.Q, State: in.State, ServiceID: in.ServiceID, Cursor: in.Cursor, Limit: in.Limit})
	}, scopeOut)
	restapi.RegisterCreate(api, k, "Starts the next revision as a draft; refused (409) while another draft exists. Every exclusion needs a justification, and may not name a clause of the standard: "+sms.NoClauseExclusions,
		func(ctx context.Context, actor access.Actor, in *scopeCreateIn) (sms.Scope, error) {
			b := in.Body
			return c.CreateScope(ctx, actor, sms.ScopeInput{Statement: b.Statement, ServiceIDs: b.ServiceIDs, Locations: b.Locations, Units: b.Units,
				Interfaces: b.Interfaces, Exclusions: exclusionsIn(b.Exclusions)})
		}, scopeOut)
	restapi.RegisterGet(api, k, c.GetScope, scopeOut)
	restapi.RegisterUpdate(api, k, "Only a draft changes (409 otherwise).", func(ctx context.Context, actor access.Actor, in *scopePatchIn, version int64) (sms.Scope, error) {
		b := in.Body
		up := sms.ScopeUpdate{Statement: b.Statement, ServiceIDs: b.ServiceIDs, Locations: b.Locations, Units: b.Units, Interfaces: b.Interfaces}
		if b.Exclusions != nil {
			ex := exclusionsIn(*b.Exclusions)
			up.Exclusions = &ex
		}
		return c.UpdateScope(ctx, actor, in.ID, version, up)
	}, scopeOut)
	restapi.RegisterDelete(api, k, "", "Only a draft can be deleted; approved and superseded revisions stay (409).", c.DeleteScope)
	api.RegisterHistory(k)
	restapi.RegisterTransition(api, k, access.ScopesApprove, "approve", "Approve a draft revision of the scope",
		"The draft becomes the scope in force and no longer changes; the revision approved before is superseded. Refused (409) for a revision that is not a draft, and (422) for one with no statement, no service in scope, or a retired service.",
		c.ApproveScope, scopeOut)
}
