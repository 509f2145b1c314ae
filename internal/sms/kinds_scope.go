package sms

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// ServiceKind declares services.
var ServiceKind = record.Kind{
	Entity: "service", Prefix: "SVC", Label: "Service", Plural: "Services", Area: Area,
	Read: access.ServicesRead, Write: access.ServicesWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "name", Label: "Name"},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "The one person who answers for the service end to end."},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "status", Label: "Status", Display: record.Enum, Values: Labels(ServiceStatuses),
			Help: "Planned: being designed or not yet delivered; live: delivered to customers; retired: no longer delivered."},
		{Name: "customer_ids", Label: "Customers", Display: record.RefList, Ref: "organisation", Help: "The organisations the service is delivered to."},
	},
	Nav: &record.Nav{Order: 30, Icon: "device-desktop", Summary: "The services the provider delivers, their owners and customers: what the scope names."},
}

// ScopeKind declares the scope statement's revisions.
var ScopeKind = record.Kind{
	Entity: "scope", Prefix: "SCP", Label: "Scope statement", Plural: "Scope statements", Segment: "scopes", Area: Area,
	Read: access.ScopesRead, Write: access.ScopesWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "revision", Label: "Revision"},
		{Name: "state", Label: "State", Display: record.Enum, Values: Labels(ScopeStates),
			Help: "A draft may change; approving it supersedes the revision approved before, and neither changes again."},
		{Name: "statement", Label: "Statement", Display: record.LongText,
			Help: "The scope in a sentence or two, as the certificate will state it: the SMS of whom, for which services, to which customers, from where."},
		{Name: "service_ids", Label: "Services in scope", Display: record.RefList, Ref: "service"},
		{Name: "locations", Label: "Locations", Display: record.LongText, Help: "The sites the services in scope are delivered from, one per line."},
		{Name: "units", Label: "Organisational units", Display: record.LongText, Help: "The teams and departments that take part in the SMS, one per line."},
		{Name: "interfaces", Label: "Interfaces with other parties", Display: record.LongText,
			Help: "Where the SMS meets other parties that take part in delivering the services (suppliers, a parent company, customers' own IT), and what each does, one per line."},
		{Name: "exclusions", Label: "Exclusions", Display: record.LongText,
			Help: "Services, locations or parts of the organisation left out of the scope, each with its justification. " + NoClauseExclusions},
		{Name: "approved_by", Label: "Approved by", Display: record.Ref, Ref: "user"},
		{Name: "approved_at", Label: "Approved at", Display: record.Time},
	},
	Nav: &record.Nav{Order: 25, Icon: "file-text", Summary: "What the SMS covers: services, locations, units, interfaces and exclusions, approved revision by revision."},
}

// ContextIssueKind declares internal and external issues.
var ContextIssueKind = record.Kind{
	Entity: "context_issue", Prefix: "CTX", Label: "Context issue", Plural: "Context issues", Area: Area,
	Read: access.ContextRead, Write: access.ContextWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "origin", Label: "Origin", Display: record.Enum, Values: Labels(IssueOrigins),
			Help: "Internal: from within the organisation (its people, structure, technology); external: from outside (markets, law, society, the climate)."},
		{Name: "category", Label: "Category", Display: record.Enum, Values: Labels(IssueCategories)},
		{Name: "climate", Label: "Climate change", Display: record.Flag,
			Help: "Whether the issue concerns climate change. Amendment 1:2024 to ISO/IEC 20000-1 asks the organisation to decide whether climate change is a relevant issue; record that decision here, even when the answer is that it matters little."},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "effect", Label: "Effect on the SMS", Display: record.LongText, Help: "How the issue helps or hinders the SMS in delivering its services and meeting its objectives."},
		{Name: "response", Label: "Response", Display: record.LongText, Help: "What the SMS does about it: a risk or opportunity, an action, a process, or nothing yet and why."},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "Who follows the issue and brings changes in it to the management review."},
	},
	Nav: &record.Nav{Order: 32, Icon: "alert-circle", Summary: "The internal and external issues that bear on the SMS, climate change among them."},
}

// InterestedPartyKind declares interested parties.
var InterestedPartyKind = record.Kind{
	Entity: "interested_party", Prefix: "IPT", Label: "Interested party", Plural: "Interested parties", Area: Area,
	Read: access.ContextRead, Write: access.ContextWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "name", Label: "Name"},
		{Name: "category", Label: "Category", Display: record.Enum, Values: Labels(PartyCategories)},
		{Name: "relevance", Label: "Relevance", Display: record.Enum, Values: Labels(Relevances),
			Help: "How much the party's requirements bear on the SMS and its services."},
		{Name: "requirements", Label: "Requirements", Display: record.LongText,
			Help: "What the party needs or expects of the SMS and its services: contracts, service levels, laws, reporting; requirements on climate change too, where the party has them."},
		{Name: "response", Label: "How the SMS meets them", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 34, Icon: "users-group", Summary: "Who has a stake in the SMS, what they require of it, and how it answers."},
}

// CommunicationKind declares the communication plan's lines.
var CommunicationKind = record.Kind{
	Entity: "communication", Prefix: "COM", Label: "Communication", Plural: "Communications", Area: Area,
	Read: access.ContextRead, Write: access.ContextWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "subject", Label: "What", Help: "What is communicated: the policy, service reports, planned changes, audit results."},
		{Name: "audience", Label: "To whom"},
		{Name: "frequency", Label: "How often", Display: record.Enum, Values: Labels(Frequencies)},
		{Name: "timing", Label: "When", Help: "More precisely when, if it matters: the first week of each quarter, within an hour of a major incident."},
		{Name: "channel", Label: "How", Display: record.Enum, Values: Labels(Channels)},
		{Name: "owner_id", Label: "By whom", Display: record.Ref, Ref: "user"},
		{Name: "notes", Label: "Notes", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 36, Icon: "inbox", Summary: "The communication plan: what is communicated, to whom, when, how and by whom."},
}
