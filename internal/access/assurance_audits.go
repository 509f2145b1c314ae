package access

// The permissions of the audit programme, audits, their checklists and
// findings (clause 9.2).
const (
	// AuditsRead and AuditsWrite: the audit programmes, audits,
	// checklists, findings and audit reports.
	AuditsRead  Permission = "audits.read"
	AuditsWrite Permission = "audits.write"
)

// auditPlanners plan and run audits: the SMS managers who keep the programme
// and the internal auditors.
var auditPlanners = []Role{Admin, SMSManager, InternalAuditor}

// auditGrants: all staff read audits and their reports; the SMS
// managers and internal auditors plan and run them.
var auditGrants = Grants{
	AuditsRead:  staff,
	AuditsWrite: auditPlanners,
}
