package assurance

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

// NonconformityKind declares nonconformities and their corrective action
// (clause 10.1).
var NonconformityKind = record.Kind{
	Entity: "nonconformity", Prefix: "NC", Label: "Nonconformity", Plural: "Nonconformities", Area: Area,
	Read: access.NonconformitiesRead, Write: access.NonconformitiesWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "severity", Label: "Severity", Display: record.Enum, Values: sms.Labels(Severities), Help: NCSeverityHelp},
		{Name: "origin", Label: "Origin", Display: record.Enum, Values: sms.Labels(NCOrigins), Help: NCOriginHelp},
		{Name: "source_entity", Label: "Source kind"},
		// The kind of record source_id names is source_entity's, so the
		// history shows its number; the page names and links it.
		{Name: "source_id", Label: "Source record"},
		{Name: "requirement_id", Label: "Requirement", Display: record.Ref, Ref: "requirement", Help: "The requirement of the standard that is not met."},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "The one person who sees it through to closing."},
		{Name: "raised_on", Label: "Raised on"},
		{Name: "state", Label: "State", Display: record.Enum, Values: sms.Labels(NCStates)},
		{Name: "recurrence_of", Label: "Recurrence of", Display: record.Ref, Ref: "nonconformity",
			Help: "An earlier nonconformity against the same requirement, raised in the twelve months before."},
		{Name: "correction", Label: "Correction", Display: record.LongText, Help: "What was done at once to contain it."},
		{Name: "corrected_by", Label: "Corrected by", Display: record.Ref, Ref: "user"},
		{Name: "corrected_on", Label: "Corrected on"},
		{Name: "cause_method", Label: "Analysis method", Display: record.Enum, Values: sms.Labels(CauseMethods)},
		{Name: "whys", Label: "Whys"},
		{Name: "cause_category", Label: "Cause category", Display: record.Enum, Values: sms.Labels(CauseCategories)},
		{Name: "cause_summary", Label: "Root cause", Display: record.LongText, Help: NCCauseHelp},
		{Name: "analysed_on", Label: "Analysed on"},
		{Name: "verified_by", Label: "Verified by", Display: record.Ref, Ref: "user"},
		{Name: "verified_on", Label: "Verified on"},
		{Name: "verification_result", Label: "Effectiveness", Display: record.Enum, Values: sms.Labels(VerificationResults), Help: NCVerifyHelp},
		{Name: "verification_note", Label: "Verification note", Display: record.LongText},
		{Name: "evidence", Label: "Evidence of effectiveness"},
		{Name: "closed_on", Label: "Closed on"},
	},
	Nav: &record.Nav{Order: 20, Icon: "alert-octagon", Summary: "What does not meet a requirement, its correction, root cause, corrective actions and the check that they worked."},
}

// NCDeadlinesKind declares the deadlines nonconformities are answered in:
// one record.
var NCDeadlinesKind = record.Kind{
	Entity: "nc_deadlines", Prefix: "NCD", Label: "Nonconformity deadlines", Plural: "Nonconformity deadlines", Segment: "nonconformity-deadlines", Area: Area,
	Read: access.NonconformitiesRead, Write: access.NCDeadlinesWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "external_major_plan", Label: "External major: plan within (days)"},
		{Name: "external_major_close", Label: "External major: close within (days)"},
		{Name: "external_minor_plan", Label: "External minor: plan within (days)"},
		{Name: "external_minor_close", Label: "External minor: close within (days)"},
		{Name: "internal_major_plan", Label: "Internal major: plan within (days)"},
		{Name: "internal_major_close", Label: "Internal major: close within (days)"},
		{Name: "internal_minor_plan", Label: "Internal minor: plan within (days)"},
		{Name: "internal_minor_close", Label: "Internal minor: close within (days)"},
	},
}

// nonconformityKinds are the kinds of nonconformities.
func nonconformityKinds() []record.Kind { return []record.Kind{NonconformityKind, NCDeadlinesKind} }
