package assurance

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// ProgrammeKind declares audit programmes.
var ProgrammeKind = record.Kind{
	Entity: "audit_programme", Prefix: "AUP", Label: "Audit programme", Plural: "Audit programmes", Area: Area,
	Read: access.AuditsRead, Write: access.AuditsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "start_on", Label: "Starts on"},
		{Name: "end_on", Label: "Ends on", Help: "Usually three years after the start: the certification cycle."},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "Who answers for the programme being carried out."},
		{Name: "notes", Label: "Notes", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 10, Icon: "calendar", Summary: "The audits planned over the cycle, and which requirements they leave unaudited."},
}

// AuditKind declares audits.
var AuditKind = record.Kind{
	Entity: "audit", Prefix: "AUD", Label: "Audit", Plural: "Audits", Area: Area,
	Read: access.AuditsRead, Write: access.AuditsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "programme_id", Label: "Programme", Display: record.Ref, Ref: "audit_programme"},
		{Name: "origin", Label: "Origin", Display: record.Enum, Values: Labels(Origins), Help: "Internal: run by the organisation. External: by the certification body."},
		{Name: "type", Label: "Type", Display: record.Enum, Values: Labels(AuditTypes)},
		{Name: "title", Label: "Title"},
		{Name: "body_id", Label: "Certification body", Display: record.Ref, Ref: "certification_body", Help: "The body that runs an external audit."},
		{Name: "consultant", Label: "Consultant", Help: "Who runs a pre-audit when it is not a certification body."},
		{Name: "requirement_ids", Label: "Requirements in scope", Display: record.RefList, Ref: "requirement", Help: "The clauses audited; each covers the clauses under it."},
		{Name: "process_ids", Label: "Processes in scope", Display: record.RefList, Ref: "process"},
		{Name: "service_ids", Label: "Services in scope", Display: record.RefList, Ref: "service"},
		{Name: "criteria", Label: "Criteria", Display: record.LongText, Help: "What the audit judges against: the standard, policies, procedures, contracts."},
		{Name: "planned_start", Label: "Planned start"},
		{Name: "planned_end", Label: "Planned end"},
		{Name: "actual_start", Label: "Held from"},
		{Name: "actual_end", Label: "Held until"},
		{Name: "lead_auditor_id", Label: "Lead auditor", Display: record.Ref, Ref: "user", Help: "May not own a process or a document in the audit's scope."},
		{Name: "team_ids", Label: "Audit team", Display: record.RefList, Ref: "user"},
		{Name: "state", Label: "State", Display: record.Enum, Values: Labels(AuditStates)},
		{Name: "summary", Label: "Summary", Display: record.LongText},
		{Name: "conclusion", Label: "Conclusion", Display: record.LongText},
		{Name: "report_on", Label: "Report issued on"},
		{Name: "report_sha256", Label: "Report SHA-256", Help: "The hash of the report as issued: the same report always gives the same hash."},
		{Name: "report", Label: "Report as issued"},
	},
	Nav: &record.Nav{Order: 20, Icon: "checklist", Summary: "Internal and certification audits: scope, team, checklist, findings and the report."},
}

// ChecklistItemKind declares the lines of audits' checklists.
var ChecklistItemKind = record.Kind{
	Entity: "checklist_item", Prefix: "ACL", Label: "Checklist line", Plural: "Checklist lines", Segment: "checklist-items", Area: Area,
	Read: access.AuditsRead, Write: access.AuditsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "audit_id", Label: "Audit", Display: record.Ref, Ref: "audit"},
		{Name: "requirement_id", Label: "Requirement", Display: record.Ref, Ref: "requirement"},
		{Name: "position", Label: "Position"},
		{Name: "result", Label: "Result", Display: record.Enum, Values: Labels(Results)},
		{Name: "notes", Label: "Notes", Display: record.LongText},
		{Name: "sampled", Label: "Sampled", Help: "The evidence and records looked at."},
	},
}

// FindingKind declares audit findings.
var FindingKind = record.Kind{
	Entity: "finding", Prefix: "FND", Label: "Finding", Plural: "Findings", Area: Area,
	Read: access.AuditsRead, Write: access.AuditsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "audit_id", Label: "Audit", Display: record.Ref, Ref: "audit"},
		{Name: "requirement_id", Label: "Requirement", Display: record.Ref, Ref: "requirement"},
		{Name: "type", Label: "Type", Display: record.Enum, Values: Labels(FindingTypes)},
		{Name: "statement", Label: "Statement", Display: record.LongText},
		{Name: "records", Label: "Records", Help: "The evidence and records that show it."},
		{Name: "owner_id", Label: "Auditee", Display: record.Ref, Ref: "user", Help: "Who answers for dealing with it."},
		{Name: "item_id", Label: "Checklist line", Display: record.Ref, Ref: "checklist_item"},
	},
	Nav: &record.Nav{Order: 30, Icon: "flag", Summary: "What audits found: nonconformities, observations and opportunities for improvement."},
}

// AuditorAccessKind declares the external auditors' accesses to audits:
// kept by those who plan and run audits, from each audit's page.
var AuditorAccessKind = record.Kind{
	Entity: "auditor_access", Prefix: "AXS", Label: "External auditor access", Plural: "External auditor access", Segment: "auditor-accesses", Area: Area,
	Read: access.AuditsWrite, Write: access.AuditsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "audit_id", Label: "Audit", Display: record.Ref, Ref: "audit"},
		{Name: "user_id", Label: "External auditor", Display: record.Ref, Ref: "user", Help: "A user whose role is external auditor."},
		{Name: "expires_on", Label: "Expires on", Help: "The last day the auditor may read the audit; at most a year ahead."},
		{Name: "note", Label: "Note", Display: record.LongText},
		{Name: "revoked_at", Label: "Revoked", Display: record.Time},
	},
}

// auditKinds are the kinds of clause 9.2.
func auditKinds() []record.Kind {
	return []record.Kind{ProgrammeKind, AuditKind, ChecklistItemKind, FindingKind, AuditorAccessKind}
}
