package account

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// The platform's kinds of record, declared once (see package record).

// UserKind declares users.
var UserKind = record.Kind{
	Entity: "user", Prefix: "USR", Label: "User", Plural: "Users", Area: record.Administration,
	Read: access.UsersRead, Write: access.UsersWrite, History: access.HistoryRead,
	Scope: record.Organisation,
	Fields: []record.Field{
		{Name: "email", Label: "Email"},
		{Name: "name", Label: "Name"},
		{Name: "role", Label: "Role", Display: record.Enum, Values: roleLabels(),
			Help: "What the person does in the service management system; it decides what they may see and do."},
		{Name: "organisation_id", Label: "Organisation", Display: record.Ref, Ref: "organisation"},
		{Name: "active", Label: "Active", Display: record.Flag},
		{Name: "password_set", Label: "Password set", Display: record.Flag},
		{Name: "password", Label: "Password", Display: record.Secret},
		{Name: "theme", Label: "Colour scheme", Display: record.Enum, Values: themeLabels()},
		{Name: "language", Label: "Language", Display: record.Enum, Values: languageLabels()},
		{Name: "time_zone", Label: "Time zone"},
	},
	Nav: &record.Nav{Order: 10, Icon: "users", Summary: "People who sign in, their roles and organisations."},
}

// TeamKind declares teams.
var TeamKind = record.Kind{
	Entity: "team", Prefix: "TEAM", Label: "Team", Plural: "Teams", Area: record.Administration,
	Read: access.TeamsRead, Write: access.TeamsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "name", Label: "Name"},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "member_ids", Label: "Members", Display: record.RefList, Ref: "user"},
	},
	Nav: &record.Nav{Order: 20, Icon: "users-group", Summary: "Groups of users that work together."},
}

// OrganisationKind declares organisations: the provider and its customers.
var OrganisationKind = record.Kind{
	Entity: "organisation", Prefix: "ORG", Label: "Organisation", Plural: "Organisations", Area: record.Administration,
	Read: access.OrgsRead, Write: access.OrgsWrite, History: access.HistoryRead,
	Scope: record.Organisation,
	Fields: []record.Field{
		{Name: "name", Label: "Name"},
		{Name: "kind", Label: "Kind", Display: record.Enum, Values: map[string]string{string(Provider): "Provider", string(Customer): "Customer"}},
		{Name: "description", Label: "Description", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 30, Icon: "building", Summary: "The provider and the customers it serves."},
}

// TokenKind declares API tokens. Everyone manages their own; holders of
// tokens.manage manage everyone's.
var TokenKind = record.Kind{
	Entity: "token", Prefix: "TOK", Label: "API token", Plural: "API tokens", Segment: "tokens", Area: record.Administration,
	Read: access.SignedIn, Write: access.SignedIn, Manage: access.TokensManage, History: access.SignedIn,
	Scope: record.Owner,
	Fields: []record.Field{
		{Name: "user_id", Label: "User", Display: record.Ref, Ref: "user"},
		{Name: "name", Label: "Name"},
		{Name: "prefix", Label: "Prefix"},
		{Name: "expires_at", Label: "Expires", Display: record.Time},
		{Name: "last_used_at", Label: "Last used", Display: record.Time},
		{Name: "revoked_at", Label: "Revoked", Display: record.Time},
	},
	Nav: &record.Nav{Order: 40, Icon: "key", Summary: "Tokens for scripts and integrations."},
}

// NotificationKind declares notifications: everyone reads and marks
// their own; nobody reads another's.
var NotificationKind = record.Kind{
	Entity: "notification", Prefix: "NTF", Label: "Notification", Plural: "Notifications", Area: record.Administration,
	Read: access.SignedIn, Write: access.SignedIn, Manage: access.NotificationsOthers, History: access.SignedIn,
	Scope: record.Owner,
	Fields: []record.Field{
		{Name: "user_id", Label: "For", Display: record.Ref, Ref: "user"},
		{Name: "topic", Label: "Topic", Display: record.Enum, Values: topicLabels()},
		{Name: "entity", Label: "Kind of record"},
		{Name: "entity_id", Label: "Record"},
		{Name: "title", Label: "Title"},
		{Name: "key", Label: "Key"},
		{Name: "read_at", Label: "Read", Display: record.Time},
	},
}

// SessionKind declares browser sessions: a sign-in creates one, signing
// out deletes it. They have no pages of their own yet.
var SessionKind = record.Kind{
	Entity: "session", Prefix: "SES", Label: "Session", Plural: "Sessions", Area: record.Administration,
	Read: access.SignedIn, Write: access.SignedIn, Manage: access.SystemManage, History: access.SignedIn,
	Scope: record.Owner,
	Fields: []record.Field{
		{Name: "user_id", Label: "User", Display: record.Ref, Ref: "user"},
		{Name: "expires_at", Label: "Expires", Display: record.Time},
		{Name: "remote_addr", Label: "Address"},
		{Name: "user_agent", Label: "Browser"},
	},
}

// Kinds lists the platform's kinds.
func Kinds() []record.Kind {
	return []record.Kind{UserKind, TeamKind, OrganisationKind, TokenKind, SessionKind, NotificationKind}
}

func roleLabels() map[string]string {
	m := make(map[string]string, len(access.Roles))
	for _, r := range access.Roles {
		m[string(r)] = r.Label()
	}
	return m
}

func themeLabels() map[string]string {
	m := map[string]string{}
	for _, t := range Themes {
		m[t.Code] = t.Label
	}
	return m
}

func languageLabels() map[string]string {
	m := map[string]string{}
	for _, l := range Languages {
		m[l.Code] = l.Label
	}
	return m
}
