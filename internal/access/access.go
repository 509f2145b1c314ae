// Package access is Conform's one authorization point: roles, the
// permissions each grants, and the actor on whose behalf code runs.
// Every page and API operation declares a Permission; nothing else decides
// who may do what.
package access

import (
	"fmt"
	"slices"
)

// Role is what a user is in the service management system.
type Role string

const (
	Admin           Role = "admin"
	SMSManager      Role = "sms_manager"
	ProcessOwner    Role = "process_owner"
	Agent           Role = "agent"
	InternalAuditor Role = "internal_auditor"
	TopManagement   Role = "top_management"
	Requester       Role = "requester"
	ExternalAuditor Role = "external_auditor"
)

// Roles lists every role, most powerful first.
var Roles = []Role{Admin, SMSManager, ProcessOwner, Agent, InternalAuditor, TopManagement, Requester, ExternalAuditor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "Administrator"
	case SMSManager:
		return "SMS manager"
	case ProcessOwner:
		return "Process owner"
	case Agent:
		return "Agent"
	case InternalAuditor:
		return "Internal auditor"
	case TopManagement:
		return "Top management"
	case Requester:
		return "Requester"
	case ExternalAuditor:
		return "External auditor"
	}
	return string(r)
}

// Description says what the role is for, as help text in the UI.
func (r Role) Description() string {
	switch r {
	case Admin:
		return "Manages users, teams, organisations, tokens and configuration."
	case SMSManager:
		return "Runs the service management system: scope, objectives, documents, audits, reviews, certification."
	case ProcessOwner:
		return "Owns a process (for example change management), its policy, measures and records."
	case Agent:
		return "Works queues of incidents and requests; records, comments and resolves."
	case InternalAuditor:
		return "Plans and runs internal audits and reads the audit trail; may not audit their own area."
	case TopManagement:
		return "Reads dashboards, chairs the management review and approves policy."
	case Requester:
		return "A customer's user: raises and follows their own organisation's records only."
	case ExternalAuditor:
		return "Certification body auditor: read-only access to the evidence shared for an audit."
	}
	return ""
}

// Staff reports whether the role belongs to the provider's own people, as
// opposed to customers and outside auditors.
func (r Role) Staff() bool {
	return r != Requester && r != ExternalAuditor
}

// Permission names one thing that can be done.
type Permission string

const (
	// Public needs no signed-in user at all (login page, health checks).
	Public Permission = "public"
	// SignedIn needs any signed-in user and nothing more (own account, own tokens).
	SignedIn Permission = "signed_in"
)

// Grants is one area's table of permissions: for each, the roles that
// hold it. Each area keeps its table in a file of its own in this package
// (platform.go for Administration); Role.Grants reads them all.
type Grants map[Permission][]Role

// areas lists every area's table.
var areas = []Grants{platformGrants, smsGrants, trainingGrants, documentGrants, scopeGrants, processGrants, assuranceGrants, nonconformityGrants, reviewsGrants, certificationGrants, auditGrants}

// held is the tables turned round: each role's permissions.
var held = func() map[Role]map[Permission]bool {
	m := map[Role]map[Permission]bool{}
	for _, g := range areas {
		for p, roles := range g {
			for _, r := range roles {
				if m[r] == nil {
					m[r] = map[Permission]bool{}
				}
				m[r][p] = true
			}
		}
	}
	return m
}()

// Grants reports whether role r holds permission p.
func (r Role) Grants(p Permission) bool {
	if p == Public || p == SignedIn {
		return true
	}
	return held[r][p]
}

// Permissions lists every permission some area declares, sorted.
func Permissions() []Permission {
	var out []Permission
	for _, g := range areas {
		for p := range g {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Actor is who a piece of work is done for; it is audit data, so it is
// passed explicitly rather than found in a context.
type Actor struct {
	UserID int64  // 0 for the system itself
	Name   string // shown in the audit trail
	Role   Role
	OrgID  int64  // the organisation the user belongs to
	Via    string // "session", "token", "cli", "system"; a token made by someone else names its maker
	// TokenID is the API token acting, 0 for any other means.
	TokenID int64
}

// System is the actor for work no person asked for (migrations, jobs, demo data).
var System = Actor{Name: "system", Role: Admin, Via: "system"}

// CLI is the actor for command-line administration on the server itself,
// which is trusted as the machine's operator.
var CLI = Actor{Name: "command line", Role: Admin, Via: "cli"}

// Can reports whether the actor holds permission p.
func (a Actor) Can(p Permission) bool { return a.Role.Grants(p) }

// Scoped reports whether the actor sees only their own organisation's records.
func (a Actor) Scoped() bool { return !a.Role.Staff() }

// String identifies the actor in messages.
func (a Actor) String() string {
	if a.UserID == 0 {
		return a.Name
	}
	return fmt.Sprintf("%s (#%d)", a.Name, a.UserID)
}
