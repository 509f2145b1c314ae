package sms

import (
	"context"
	"net/url"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// helpOf is a field's help as its kind declares it.
func helpOf(k record.Kind, field string) string {
	f, _ := k.Field(field)
	return f.Help
}

// ownerField is a form's owner picker: the record's owner, the caller on
// a new record, what was posted when the form comes back.
func ownerField(p *web.Pages, fc web.FormContext, label, help string, owner int64, perm access.Permission) (ui.Field, error) {
	if fc.Creating && owner == 0 {
		owner = fc.Actor.UserID
	}
	if fc.Posted != nil {
		owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
	}
	f, err := p.UserPicker(fc, "owner_id", label, owner, perm)
	f.Help, f.Required = help, true
	return f, err
}

func formID(f url.Values, name string) int64 {
	id, _ := strconv.ParseInt(f.Get(name), 10, 64)
	return id
}

// contextIssuePages are the internal and external issues' pages.
func contextIssuePages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.ContextIssue, *sms.ContextIssue] {
	k := sms.ContextIssueKind
	return web.Resource[sms.ContextIssue, *sms.ContextIssue]{
		Kind:     k,
		Subtitle: "The issues inside and outside the organisation that help or hinder the SMS in delivering its services and meeting its objectives (clause 4.1). Record whether climate change is one of them: Amendment 1:2024 asks every organisation to decide.",
		Empty: ui.Empty{Icon: "alert-circle", Title: "No context issues yet",
			Text: "Add the internal and external issues that bear on your services: markets, laws, technology, people, and whether climate change is relevant."},
		Columns: []web.Column[sms.ContextIssue]{
			{Column: ui.Column{Label: "Title", Key: true, Sort: "text"}, Value: func(i sms.ContextIssue) ui.Value { return ui.Text(i.Title) }},
			{Column: ui.Column{Label: "Origin", Sort: "text"}, Value: func(i sms.ContextIssue) ui.Value { return enumValue(sms.IssueOrigins, i.Origin) }},
			{Column: ui.Column{Label: "Category", Sort: "text"}, Value: func(i sms.ContextIssue) ui.Value { return enumValue(sms.IssueCategories, i.Category) }},
			{Column: ui.Column{Label: "Climate change", Sort: "text"}, Value: climateValue},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(i sms.ContextIssue) int64 { return i.OwnerID }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "origin", Label: "Origin", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Internal and external"}}, sms.IssueOrigins...), q.Get("origin"))},
				{Name: "category", Label: "Category", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any category"}}, sms.IssueCategories...), q.Get("category"))},
				{Name: "climate", Label: "Climate change", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Any issue"}, {Code: "1", Label: "Concerns climate change"}}, q.Get("climate"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.ContextIssue, string, error) {
			return c.ListContextIssues(ctx, actor, store.ContextIssueFilter{Query: q.Get("q"), Origin: q.Get("origin"), Category: q.Get("category"),
				Climate: q.Get("climate") != "", Cursor: cursor})
		},
		Get:  c.GetContextIssue,
		Name: func(i sms.ContextIssue) string { return i.Title },
		Badges: func(i sms.ContextIssue) []ui.Badge {
			b := []ui.Badge{{Text: label(sms.IssueOrigins, i.Origin), Tone: ui.Neutral}}
			if i.Climate {
				b = append(b, climateBadge)
			}
			return b
		},
		Details: func(ctx context.Context, rq *web.Request, i sms.ContextIssue) []ui.Item {
			return []ui.Item{
				{Label: "Origin", Help: helpOf(k, "origin"), Value: enumValue(sms.IssueOrigins, i.Origin)},
				{Label: "Category", Value: enumValue(sms.IssueCategories, i.Category)},
				{Label: "Climate change", Help: helpOf(k, "climate"), Value: climateValue(i)},
				{Label: "Owner", Help: helpOf(k, "owner_id"), Value: p.Ref(ctx, rq.Auth.Actor, account.UserKind.Entity, i.OwnerID)},
				{Label: "Description", Value: longOr(i.Description, "None")},
				{Label: "Effect on the SMS", Help: helpOf(k, "effect"), Value: longOr(i.Effect, "Not described yet")},
				{Label: "Response", Help: helpOf(k, "response"), Value: longOr(i.Response, "None decided yet")},
			}
		},
		Fields: func(fc web.FormContext, i sms.ContextIssue) ([]ui.Field, error) {
			owner, err := ownerField(p, fc, "Owner", helpOf(k, "owner_id"), i.OwnerID, k.Read)
			if err != nil {
				return nil, err
			}
			origin, category := or(i.Origin, "external"), or(i.Category, "other")
			return []ui.Field{
				{Name: "title", Label: "Title", Value: i.Title, Required: true},
				{Name: "origin", Label: "Origin", Type: "radios", Value: origin, Options: choices(sms.IssueOrigins, origin), Help: helpOf(k, "origin")},
				{Name: "category", Label: "Category", Type: "select", Value: category, Options: choices(sms.IssueCategories, category)},
				{Name: "climate", Label: "This issue concerns climate change", Type: "checkbox", Checked: i.Climate, Help: helpOf(k, "climate")},
				owner,
				{Name: "description", Label: "Description", Type: "textarea", Rows: 3, Value: i.Description},
				{Name: "effect", Label: "Effect on the SMS", Type: "textarea", Rows: 3, Value: i.Effect, Help: helpOf(k, "effect")},
				{Name: "response", Label: "Response", Type: "textarea", Rows: 3, Value: i.Response, Help: helpOf(k, "response")},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.ContextIssue, error) {
			return c.CreateContextIssue(ctx, actor, issueInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.ContextIssue, error) {
			in := issueInput(f)
			return c.UpdateContextIssue(ctx, actor, id, version, sms.ContextIssueUpdate{Title: &in.Title, Origin: &in.Origin, Category: &in.Category,
				Climate: &in.Climate, Description: &in.Description, Effect: &in.Effect, Response: &in.Response, OwnerID: &in.OwnerID})
		},
		Delete: c.DeleteContextIssue,
	}
}

func issueInput(f url.Values) sms.ContextIssueInput {
	return sms.ContextIssueInput{Title: f.Get("title"), Origin: f.Get("origin"), Category: f.Get("category"), Climate: f.Get("climate") != "",
		Description: f.Get("description"), Effect: f.Get("effect"), Response: f.Get("response"), OwnerID: formID(f, "owner_id")}
}

var climateBadge = ui.Badge{Text: "Climate change", Tone: ui.Warning}

func climateValue(i sms.ContextIssue) ui.Value {
	if i.Climate {
		return ui.Value{Badges: []ui.Badge{climateBadge}}
	}
	return ui.Value{Empty: "No"}
}

// interestedPartyPages are the interested parties' pages.
func interestedPartyPages(c *smsapp.Catalogue) web.Resource[sms.InterestedParty, *sms.InterestedParty] {
	k := sms.InterestedPartyKind
	return web.Resource[sms.InterestedParty, *sms.InterestedParty]{
		Kind:     k,
		Subtitle: "The people and organisations with a stake in the SMS and its services, what each requires of it, and how the SMS answers (clause 4.2).",
		Empty: ui.Empty{Icon: "users-group", Title: "No interested parties yet",
			Text: "Add your customers, users, staff, suppliers, owners and regulators, with what each requires of the SMS."},
		Columns: []web.Column[sms.InterestedParty]{
			{Column: ui.Column{Label: "Name", Key: true, Sort: "text"}, Value: func(ip sms.InterestedParty) ui.Value { return ui.Text(ip.Name) }},
			{Column: ui.Column{Label: "Category", Sort: "text"}, Value: func(ip sms.InterestedParty) ui.Value { return enumValue(sms.PartyCategories, ip.Category) }},
			{Column: ui.Column{Label: "Relevance", Sort: "text"}, Value: func(ip sms.InterestedParty) ui.Value {
				return ui.Value{Badges: []ui.Badge{relevanceBadge(ip.Relevance)}}
			}},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "category", Label: "Category", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any category"}}, sms.PartyCategories...), q.Get("category"))},
				{Name: "relevance", Label: "Relevance", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any relevance"}}, sms.Relevances...), q.Get("relevance"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.InterestedParty, string, error) {
			return c.ListInterestedParties(ctx, actor, store.InterestedPartyFilter{Query: q.Get("q"), Category: q.Get("category"), Relevance: q.Get("relevance"), Cursor: cursor})
		},
		Get:    c.GetInterestedParty,
		Name:   func(ip sms.InterestedParty) string { return ip.Name },
		Badges: func(ip sms.InterestedParty) []ui.Badge { return []ui.Badge{relevanceBadge(ip.Relevance)} },
		Details: func(ctx context.Context, rq *web.Request, ip sms.InterestedParty) []ui.Item {
			return []ui.Item{
				{Label: "Category", Value: enumValue(sms.PartyCategories, ip.Category)},
				{Label: "Relevance", Help: helpOf(k, "relevance"), Value: ui.Value{Badges: []ui.Badge{relevanceBadge(ip.Relevance)}}},
				{Label: "Requirements", Help: helpOf(k, "requirements"), Value: longOr(ip.Requirements, "None recorded")},
				{Label: "How the SMS meets them", Value: longOr(ip.Response, "Not described yet")},
			}
		},
		Fields: func(fc web.FormContext, ip sms.InterestedParty) ([]ui.Field, error) {
			category, relevance := or(ip.Category, "customer"), or(ip.Relevance, "medium")
			return []ui.Field{
				{Name: "name", Label: "Name", Value: ip.Name, Required: true},
				{Name: "category", Label: "Category", Type: "select", Value: category, Options: choices(sms.PartyCategories, category)},
				{Name: "relevance", Label: "Relevance", Type: "radios", Value: relevance, Options: choices(sms.Relevances, relevance), Help: helpOf(k, "relevance")},
				{Name: "requirements", Label: "Requirements", Type: "textarea", Rows: 4, Value: ip.Requirements, Required: true, Help: helpOf(k, "requirements")},
				{Name: "response", Label: "How the SMS meets them", Type: "textarea", Rows: 3, Value: ip.Response},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.InterestedParty, error) {
			return c.CreateInterestedParty(ctx, actor, partyInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.InterestedParty, error) {
			in := partyInput(f)
			return c.UpdateInterestedParty(ctx, actor, id, version, sms.InterestedPartyUpdate{Name: &in.Name, Category: &in.Category, Relevance: &in.Relevance,
				Requirements: &in.Requirements, Response: &in.Response})
		},
		Delete: c.DeleteInterestedParty,
	}
}

func partyInput(f url.Values) sms.InterestedPartyInput {
	return sms.InterestedPartyInput{Name: f.Get("name"), Category: f.Get("category"), Relevance: f.Get("relevance"), Requirements: f.Get("requirements"), Response: f.Get("response")}
}

func relevanceBadge(r string) ui.Badge {
	tone := map[string]ui.Tone{"high": ui.Warning, "medium": ui.Info, "low": ui.Neutral}[r]
	return ui.Badge{Text: label(sms.Relevances, r), Tone: tone}
}

// communicationPages are the communication plan's pages.
func communicationPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Communication, *sms.Communication] {
	k := sms.CommunicationKind
	return web.Resource[sms.Communication, *sms.Communication]{
		Kind:     k,
		Subtitle: "The communication plan (clause 7.4): what the SMS communicates, to whom, when, how and by whom.",
		Empty: ui.Empty{Icon: "inbox", Title: "No communications planned yet",
			Text: "Plan how the policy, service reports, changes and audit results reach the people who need them."},
		Columns: []web.Column[sms.Communication]{
			{Column: ui.Column{Label: "What", Key: true, Sort: "text"}, Value: func(m sms.Communication) ui.Value { return ui.Text(m.Subject) }},
			{Column: ui.Column{Label: "To whom", Sort: "text"}, Value: func(m sms.Communication) ui.Value { return ui.Text(m.Audience) }},
			{Column: ui.Column{Label: "When", Sort: "text"}, Value: whenValue},
			{Column: ui.Column{Label: "How", Sort: "text"}, Value: func(m sms.Communication) ui.Value { return enumValue(sms.Channels, m.Channel) }},
			{Column: ui.Column{Label: "By whom", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(m sms.Communication) int64 { return m.OwnerID }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "frequency", Label: "How often", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any frequency"}}, sms.Frequencies...), q.Get("frequency"))},
				{Name: "channel", Label: "How", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any channel"}}, sms.Channels...), q.Get("channel"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Communication, string, error) {
			return c.ListCommunications(ctx, actor, store.CommunicationFilter{Query: q.Get("q"), Frequency: q.Get("frequency"), Channel: q.Get("channel"), Cursor: cursor})
		},
		Get:  c.GetCommunication,
		Name: func(m sms.Communication) string { return m.Subject },
		Details: func(ctx context.Context, rq *web.Request, m sms.Communication) []ui.Item {
			return []ui.Item{
				{Label: "To whom", Value: ui.Text(m.Audience)},
				{Label: "How often", Value: enumValue(sms.Frequencies, m.Frequency)},
				{Label: "When", Help: helpOf(k, "timing"), Value: ui.Value{Text: m.Timing, Empty: "No more precise time"}},
				{Label: "How", Value: enumValue(sms.Channels, m.Channel)},
				{Label: "By whom", Value: p.Ref(ctx, rq.Auth.Actor, account.UserKind.Entity, m.OwnerID)},
				{Label: "Notes", Value: longOr(m.Notes, "None")},
			}
		},
		Fields: func(fc web.FormContext, m sms.Communication) ([]ui.Field, error) {
			owner, err := ownerField(p, fc, "By whom", "Who makes the communication, or sees that it is made.", m.OwnerID, k.Read)
			if err != nil {
				return nil, err
			}
			freq, channel := or(m.Frequency, "monthly"), or(m.Channel, "email")
			return []ui.Field{
				{Name: "subject", Label: "What", Value: m.Subject, Required: true, Help: helpOf(k, "subject")},
				{Name: "audience", Label: "To whom", Value: m.Audience, Required: true, Help: "The people or parties it is for: all staff, customers' service managers, top management."},
				{Name: "frequency", Label: "How often", Type: "select", Value: freq, Options: choices(sms.Frequencies, freq)},
				{Name: "timing", Label: "When", Value: m.Timing, Help: helpOf(k, "timing")},
				{Name: "channel", Label: "How", Type: "select", Value: channel, Options: choices(sms.Channels, channel)},
				owner,
				{Name: "notes", Label: "Notes", Type: "textarea", Rows: 3, Value: m.Notes},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Communication, error) {
			return c.CreateCommunication(ctx, actor, communicationInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Communication, error) {
			in := communicationInput(f)
			return c.UpdateCommunication(ctx, actor, id, version, sms.CommunicationUpdate{Subject: &in.Subject, Audience: &in.Audience, Frequency: &in.Frequency,
				Timing: &in.Timing, Channel: &in.Channel, OwnerID: &in.OwnerID, Notes: &in.Notes})
		},
		Delete: c.DeleteCommunication,
	}
}

func communicationInput(f url.Values) sms.CommunicationInput {
	return sms.CommunicationInput{Subject: f.Get("subject"), Audience: f.Get("audience"), Frequency: f.Get("frequency"), Timing: f.Get("timing"),
		Channel: f.Get("channel"), OwnerID: formID(f, "owner_id"), Notes: f.Get("notes")}
}

// whenValue is how often, and more precisely when under it.
func whenValue(m sms.Communication) ui.Value {
	v := enumValue(sms.Frequencies, m.Frequency)
	v.Note = m.Timing
	return v
}

// enumValue shows a code by its label, as a quiet badge, which the
// reader reads in their language.
func enumValue(codes []sms.Code, code string) ui.Value {
	return ui.Badged(label(codes, code), ui.Neutral)
}
