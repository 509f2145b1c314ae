package assurance

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// CertificationBodyKind declares the certification bodies.
var CertificationBodyKind = record.Kind{
	Entity: "certification_body", Prefix: "CB", Label: "Certification body", Plural: "Certification bodies", Area: Area,
	Read: access.CertificationRead, Write: access.CertificationWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "name", Label: "Name"},
		{Name: "accreditation_body", Label: "Accreditation body", Help: "Who accredits the certification body, such as the national accreditation body."},
		{Name: "accreditation_number", Label: "Accreditation number"},
		{Name: "accreditation_scope", Label: "Accreditation scope", Display: record.LongText, Help: "What the accreditation covers, as the accreditation body's register says."},
		{Name: "covers_20000", Label: "Accredited for ISO/IEC 20000-1", Display: record.Enum, Values: Labels(Answers),
			Help: "Whether the accreditation covers certifying service management systems to ISO/IEC 20000-1 (under ISO/IEC 20000-6)."},
		{Name: "contacts", Label: "Contacts", Display: record.LongText},
		{Name: "verified_on", Label: "Credentials verified on", Help: "The day someone last checked the accreditation in the accreditation body's register. A check older than a year asks for another before booking."},
		{Name: "verified_by", Label: "Verified by", Display: record.Ref, Ref: "user"},
	},
	Nav: &record.Nav{Order: 80, Icon: "building", Summary: "Who certifies the SMS, their accreditation and when it was last checked."},
}

// CertificateKind declares the certificates.
var CertificateKind = record.Kind{
	Entity: "certificate", Prefix: "CERT", Label: "Certificate", Plural: "Certificates", Area: Area,
	Read: access.CertificationRead, Write: access.CertificationWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "body_id", Label: "Certification body", Display: record.Ref, Ref: "certification_body"},
		{Name: "certificate_number", Label: "Certificate number"},
		{Name: "standard", Label: "Standard and edition"},
		{Name: "scope", Label: "Scope", Display: record.LongText, Help: "The services and the organisation the certificate covers, as it says."},
		{Name: "issued_on", Label: "Issued on"},
		{Name: "decided_on", Label: "Certification decision on", Help: "The day the body decided to certify; the cycle's audits are planned from it."},
		{Name: "cycle_start", Label: "Cycle starts on", Help: "The decision for a first certificate; the day after the old expiry for a renewal."},
		{Name: "expires_on", Label: "Expires on", Help: "The last day it is valid: by default the day before the cycle's third anniversary."},
		{Name: "status", Label: "Status", Display: record.Enum, Values: Labels(CertificateStatuses)},
		{Name: "reminder_days", Label: "Remind days ahead", Help: "How many days before each planned audit's due day the SMS managers are reminded."},
		{Name: "previous_id", Label: "Renews", Display: record.Ref, Ref: "certificate"},
	},
	Nav: &record.Nav{Order: 81, Icon: "certificate", Summary: "The SMS's certificates, their validity and the cycle of surveillance and recertification audits."},
}

// PlannedAuditKind declares the audits planned in certificates' cycles.
var PlannedAuditKind = record.Kind{
	Entity: "planned_audit", Prefix: "CYA", Label: "Planned audit", Plural: "Planned audits", Area: Area,
	Read: access.CertificationRead, Write: access.CertificationWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "certificate_id", Label: "Certificate", Display: record.Ref, Ref: "certificate"},
		{Name: "type", Label: "Type", Display: record.Enum, Values: Labels(CycleAuditTypes)},
		{Name: "due_by", Label: "Due by", Help: "The last day the audit may be done without risking the certificate."},
		{Name: "planned_on", Label: "Planned on", Help: "The day booked with the certification body."},
		{Name: "done_on", Label: "Done on"},
		{Name: "audit_id", Label: "Audit", Help: "The audit record that holds its findings, when there is one."},
		{Name: "notes", Label: "Notes", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 82, Icon: "route", Summary: "The certification cycle: surveillance and recertification audits, due by when."},
}

// CalendarTokenKind declares the secrets of the calendar feeds: each
// user sees and changes only their own.
var CalendarTokenKind = record.Kind{
	Entity: "calendar_token", Prefix: "CAL", Label: "Calendar address", Plural: "Calendar addresses", Segment: "calendar-tokens", Area: Area,
	Read: access.SignedIn, Write: access.SignedIn, Manage: access.CalendarManage, History: access.SignedIn, Scope: record.Owner,
	Fields: []record.Field{
		{Name: "user_id", Label: "User", Display: record.Ref, Ref: "user"},
		{Name: "prefix", Label: "Starts with"},
		{Name: "last_used_at", Label: "Last used", Display: record.Time},
		{Name: "uses", Label: "Uses"},
		{Name: "revoked_at", Label: "Revoked", Display: record.Time},
	},
}

// certificationKinds are certification's kinds, in navigation order.
func certificationKinds() []record.Kind {
	return []record.Kind{CertificationBodyKind, CertificateKind, PlannedAuditKind, CalendarTokenKind}
}
