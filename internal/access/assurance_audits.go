package access

// The permissions of the audit programme, audits, their checklists and
// findings (clause 9.2).
const (
	// AuditsRead and AuditsWrite: the audit programmes, audits,
	// checklists, findings and audit reports.
	AuditsRead  Permission = "audits.read"
	AuditsWrite Permission = "audits.write"
	// AuditsShared: the read-only pages of an audit shared with an
	// external auditor. The permission opens the pages; which audit, and
	// until when, each auditor's access to it says.
	AuditsShared Permission = "audits.shared"
)

// auditPlanners plan and run audits: the SMS managers who keep the programme
// and the internal auditors.
var auditPlanners = []Role{Admin, SMSManager, InternalAuditor}

// auditGrants: all staff read audits and their reports; the SMS
// managers and internal auditors plan and run them.
var auditGrants = Grants{
	AuditsRead:  staff,
	AuditsWrite: auditPlanners,
	// External auditors read the audits shared with them: the staff read
	// the audits themselves. An administrator holds it too, so as to
	// outrank an external auditor whose token they make; as an access
	// names only an external auditor, it opens nothing to them.
	AuditsShared: {Admin, ExternalAuditor},
}
