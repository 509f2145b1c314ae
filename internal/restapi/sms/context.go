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

// ContextIssue is an internal or external issue bearing on the SMS.
type ContextIssue struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Origin      string    `json:"origin" enum:"internal,external"`
	Category    string    `json:"category" enum:"political,economic,social,technological,legal,environmental,organisational,other"`
	Climate     bool      `json:"climate" doc:"Whether the issue concerns climate change (ISO/IEC 20000-1 Amendment 1:2024)."`
	Description string    `json:"description"`
	Effect      string    `json:"effect" doc:"How it bears on the SMS and its services."`
	Response    string    `json:"response" doc:"What the SMS does about it."`
	OwnerID     int64     `json:"owner_id"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

func issueOut(i sms.ContextIssue) ContextIssue {
	return ContextIssue{ID: i.ID, Title: i.Title, Origin: i.Origin, Category: i.Category, Climate: i.Climate, Description: i.Description, Effect: i.Effect,
		Response: i.Response, OwnerID: i.OwnerID, CreatedAt: i.CreatedAt, CreatedBy: i.CreatedBy, UpdatedAt: i.UpdatedAt, UpdatedBy: i.UpdatedBy, Version: i.Version}
}

type issueCreateIn struct {
	Body struct {
		Title       string `json:"title" maxLength:"200"`
		Origin      string `json:"origin" enum:"internal,external"`
		Category    string `json:"category,omitempty" enum:"political,economic,social,technological,legal,environmental,organisational,other" doc:"other when left out."`
		Climate     bool   `json:"climate,omitempty"`
		Description string `json:"description,omitempty" maxLength:"4000"`
		Effect      string `json:"effect,omitempty" maxLength:"4000"`
		Response    string `json:"response,omitempty" maxLength:"4000"`
		OwnerID     int64  `json:"owner_id" minimum:"1"`
	}
}

type issuePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title       *string `json:"title,omitempty" maxLength:"200"`
		Origin      *string `json:"origin,omitempty" enum:"internal,external"`
		Category    *string `json:"category,omitempty" enum:"political,economic,social,technological,legal,environmental,organisational,other"`
		Climate     *bool   `json:"climate,omitempty"`
		Description *string `json:"description,omitempty" maxLength:"4000"`
		Effect      *string `json:"effect,omitempty" maxLength:"4000"`
		Response    *string `json:"response,omitempty" maxLength:"4000"`
		OwnerID     *int64  `json:"owner_id,omitempty" minimum:"1"`
	}
}

type issueListIn struct {
	restapi.PageParams
	Q        string `query:"q" maxLength:"100" doc:"Part of the title."`
	Origin   string `query:"origin" enum:"internal,external"`
	Category string `query:"category" enum:"political,economic,social,technological,legal,environmental,organisational,other"`
	Climate  bool   `query:"climate" doc:"Only issues that concern climate change."`
	OwnerID  int64  `query:"owner_id" minimum:"0"`
}

// InterestedParty is a party with a stake in the SMS.
type InterestedParty struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Category     string    `json:"category" enum:"customer,user,staff,management,supplier,partner,regulator,community,other"`
	Relevance    string    `json:"relevance" enum:"high,medium,low"`
	Requirements string    `json:"requirements" doc:"What the party needs or expects of the SMS and its services."`
	Response     string    `json:"response" doc:"How the SMS meets them."`
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    int64     `json:"created_by"`
	UpdatedAt    time.Time `json:"updated_at"`
	UpdatedBy    int64     `json:"updated_by"`
	Version      int64     `json:"version"`
}

func partyOut(p sms.InterestedParty) InterestedParty {
	return InterestedParty{ID: p.ID, Name: p.Name, Category: p.Category, Relevance: p.Relevance, Requirements: p.Requirements, Response: p.Response,
		CreatedAt: p.CreatedAt, CreatedBy: p.CreatedBy, UpdatedAt: p.UpdatedAt, UpdatedBy: p.UpdatedBy, Version: p.Version}
}

type partyCreateIn struct {
	Body struct {
		Name         string `json:"name" maxLength:"200"`
		Category     string `json:"category" enum:"customer,user,staff,management,supplier,partner,regulator,community,other"`
		Relevance    string `json:"relevance,omitempty" enum:"high,medium,low" doc:"medium when left out."`
		Requirements string `json:"requirements" maxLength:"4000"`
		Response     string `json:"response,omitempty" maxLength:"4000"`
	}
}

type partyPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Name         *string `json:"name,omitempty" maxLength:"200"`
		Category     *string `json:"category,omitempty" enum:"customer,user,staff,management,supplier,partner,regulator,community,other"`
		Relevance    *string `json:"relevance,omitempty" enum:"high,medium,low"`
		Requirements *string `json:"requirements,omitempty" maxLength:"4000"`
		Response     *string `json:"response,omitempty" maxLength:"4000"`
	}
}

type partyListIn struct {
	restapi.PageParams
	Q         string `query:"q" maxLength:"100" doc:"Part of the name."`
	Category  string `query:"category" enum:"customer,user,staff,management,supplier,partner,regulator,community,other"`
	Relevance string `query:"relevance" enum:"high,medium,low"`
}

// Communication is one line of the communication plan.
type Communication struct {
	ID        int64     `json:"id"`
	Subject   string    `json:"subject" doc:"What is communicated."`
	Audience  string    `json:"audience" doc:"To whom."`
	Frequency string    `json:"frequency" enum:"event,weekly,monthly,quarterly,yearly,once" doc:"How often; event: when it happens."`
	Timing    string    `json:"timing" doc:"When, more precisely."`
	Channel   string    `json:"channel" enum:"meeting,email,report,intranet,portal,training,other" doc:"How."`
	OwnerID   int64     `json:"owner_id" doc:"By whom."`
	Notes     string    `json:"notes"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy int64     `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy int64     `json:"updated_by"`
	Version   int64     `json:"version"`
}

func communicationOut(m sms.Communication) Communication {
	return Communication{ID: m.ID, Subject: m.Subject, Audience: m.Audience, Frequency: m.Frequency, Timing: m.Timing, Channel: m.Channel, OwnerID: m.OwnerID,
		Notes: m.Notes, CreatedAt: m.CreatedAt, CreatedBy: m.CreatedBy, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy, Version: m.Version}
}

type communicationCreateIn struct {
	Body struct {
		Subject   string `json:"subject" maxLength:"200"`
		Audience  string `json:"audience" maxLength:"200"`
		Frequency string `json:"frequency" enum:"event,weekly,monthly,quarterly,yearly,once"`
		Timing    string `json:"timing,omitempty" maxLength:"200"`
		Channel   string `json:"channel" enum:"meeting,email,report,intranet,portal,training,other"`
		OwnerID   int64  `json:"owner_id" minimum:"1"`
		Notes     string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type communicationPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Subject   *string `json:"subject,omitempty" maxLength:"200"`
		Audience  *string `json:"audience,omitempty" maxLength:"200"`
		Frequency *string `json:"frequency,omitempty" enum:"event,weekly,monthly,quarterly,yearly,once"`
		Timing    *string `json:"timing,omitempty" maxLength:"200"`
		Channel   *string `json:"channel,omitempty" enum:"meeting,email,report,intranet,portal,training,other"`
		OwnerID   *int64  `json:"owner_id,omitempty" minimum:"1"`
		Notes     *string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type communicationListIn struct {
	restapi.PageParams
	Q         string `query:"q" maxLength:"100" doc:"Part of what is communicated or of the audience."`
	Frequency string `query:"frequency" enum:"event,weekly,monthly,quarterly,yearly,once"`
	Channel   string `query:"channel" enum:"meeting,email,report,intranet,portal,training,other"`
	OwnerID   int64  `query:"owner_id" minimum:"0"`
}

// registerContext adds the context issues', interested parties' and
// communication plan's operations.
func registerContext(api *restapi.API, c *smsapp.Catalogue) {
	ik, pk, mk := sms.ContextIssueKind, sms.InterestedPartyKind, sms.CommunicationKind
	restapi.RegisterList(api, ik, "", func(ctx context.Context, actor access.Actor, in *issueListIn) ([]sms.ContextIssue, string, error) {
		return c.ListContextIssues(ctx, actor, store.ContextIssueFilter{Query: in.Q, Origin: in.Origin, Category: in.Category, Climate: in.Climate,
			OwnerID: in.OwnerID, Cursor: in.Cursor, Limit: in.Limit})
	}, issueOut)
	restapi.RegisterCreate(api, ik, "", func(ctx context.Context, actor access.Actor, in *issueCreateIn) (sms.ContextIssue, error) {
		b := in.Body
		return c.CreateContextIssue(ctx, actor, sms.ContextIssueInput{Title: b.Title, Origin: b.Origin, Category: b.Category, Climate: b.Climate,
			Description: b.Description, Effect: b.Effect, Response: b.Response, OwnerID: b.OwnerID})
	}, issueOut)
	restapi.RegisterGet(api, ik, c.GetContextIssue, issueOut)
	restapi.RegisterUpdate(api, ik, "", func(ctx context.Context, actor access.Actor, in *issuePatchIn, version int64) (sms.ContextIssue, error) {
		b := in.Body
		return c.UpdateContextIssue(ctx, actor, in.ID, version, sms.ContextIssueUpdate{Title: b.Title, Origin: b.Origin, Category: b.Category, Climate: b.Climate,
			Description: b.Description, Effect: b.Effect, Response: b.Response, OwnerID: b.OwnerID})
	}, issueOut)
	restapi.RegisterDelete(api, ik, "", "", c.DeleteContextIssue)
	api.RegisterHistory(ik)

	restapi.RegisterList(api, pk, "", func(ctx context.Context, actor access.Actor, in *partyListIn) ([]sms.InterestedParty, string, error) {
		return c.ListInterestedParties(ctx, actor, store.InterestedPartyFilter{Query: in.Q, Category: in.Category, Relevance: in.Relevance, Cursor: in.Cursor, Limit: in.Limit})
	}, partyOut)
	restapi.RegisterCreate(api, pk, "", func(ctx context.Context, actor access.Actor, in *partyCreateIn) (sms.InterestedParty, error) {
		b := in.Body
		return c.CreateInterestedParty(ctx, actor, sms.InterestedPartyInput{Name: b.Name, Category: b.Category, Relevance: b.Relevance, Requirements: b.Requirements, Response: b.Response})
	}, partyOut)
	restapi.RegisterGet(api, pk, c.GetInterestedParty, partyOut)
	restapi.RegisterUpdate(api, pk, "", func(ctx context.Context, actor access.Actor, in *partyPatchIn, version int64) (sms.InterestedParty, error) {
		b := in.Body
		return c.UpdateInterestedParty(ctx, actor, in.ID, version, sms.InterestedPartyUpdate{Name: b.Name, Category: b.Category, Relevance: b.Relevance,
			Requirements: b.Requirements, Response: b.Response})
	}, partyOut)
	restapi.RegisterDelete(api, pk, "", "", c.DeleteInterestedParty)
	api.RegisterHistory(pk)

	restapi.RegisterList(api, mk, "", func(ctx context.Context, actor access.Actor, in *communicationListIn) ([]sms.Communication, string, error) {
		return c.ListCommunications(ctx, actor, store.CommunicationFilter{Query: in.Q, Frequency: in.Frequency, Channel: in.Channel, OwnerID: in.OwnerID,
			Cursor: in.Cursor, Limit: in.Limit})
	}, communicationOut)
	restapi.RegisterCreate(api, mk, "", func(ctx context.Context, actor access.Actor, in *communicationCreateIn) (sms.Communication, error) {
		b := in.Body
		return c.CreateCommunication(ctx, actor, sms.CommunicationInput{Subject: b.Subject, Audience: b.Audience, Frequency: b.Frequency, Timing: b.Timing,
			Channel: b.Channel, OwnerID: b.OwnerID, Notes: b.Notes})
	}, communicationOut)
	restapi.RegisterGet(api, mk, c.GetCommunication, communicationOut)
	restapi.RegisterUpdate(api, mk, "", func(ctx context.Context, actor access.Actor, in *communicationPatchIn, version int64) (sms.Communication, error) {
		b := in.Body
		return c.UpdateCommunication(ctx, actor, in.ID, version, sms.CommunicationUpdate{Subject: b.Subject, Audience: b.Audience, Frequency: b.Frequency,
			Timing: b.Timing, Channel: b.Channel, OwnerID: b.OwnerID, Notes: b.Notes})
	}, communicationOut)
	restapi.RegisterDelete(api, mk, "", "", c.DeleteCommunication)
	api.RegisterHistory(mk)
}
