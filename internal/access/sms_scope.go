package access

// The permissions of the SMS's scope and context (clauses 4 and 7.4), in
// the Management system area.
const (
	// ServicesRead and ServicesWrite: the services the scope names.
	ServicesRead  Permission = "services.read"
	ServicesWrite Permission = "services.write"
	// ScopesRead and ScopesWrite: the scope statement's revisions, and
	// writing a draft.
	ScopesRead  Permission = "scopes.read"
	ScopesWrite Permission = "scopes.write"
	// ScopesApprove: approving a draft revision of the scope.
	ScopesApprove Permission = "scopes.approve"
	// ContextRead and ContextWrite: internal and external issues,
	// interested parties and the communication plan.
	ContextRead  Permission = "context.read"
	ContextWrite Permission = "context.write"
)

// scopeApprovers approve the scope: the SMS managers who write it, and
// top management, who answer for what the SMS covers.
var scopeApprovers = []Role{Admin, SMSManager, TopManagement}

var scopeGrants = Grants{
	ServicesRead:  staff,
	ServicesWrite: smsManagers,
	ScopesRead:    staff,
	ScopesWrite:   smsManagers,
	ScopesApprove: scopeApprovers,
	ContextRead:   staff,
	ContextWrite:  smsManagers,
}
