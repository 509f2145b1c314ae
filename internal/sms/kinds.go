// Package sms is the management system area: the frameworks an SMS is
// run against (ISO/IEC 20000-1:2018 built in), their requirements with our
// guidance, and the cross-references between requirements of different
// frameworks. It knows nothing of SQL or HTTP.
package sms

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// Area is the management system's place in the navigation.
var Area = record.Area{Name: "Management system", Order: 20}

// FrameworkKind declares frameworks.
var FrameworkKind = record.Kind{
	Entity: "framework", Prefix: "FRM", Label: "Framework", Plural: "Frameworks", Area: Area,
	Read: access.FrameworksRead, Write: access.FrameworksWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "code", Label: "Code", Help: "The framework's stable identifier: a file with the same code loads a new version of it."},
		{Name: "name", Label: "Name"},
		{Name: "publisher", Label: "Publisher"},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "allows_exclusions", Label: "Allows exclusions", Display: record.Flag,
			Help: "Whether an organisation may declare some of the framework's requirements not applicable to it."},
		{Name: "exclusions_note", Label: "About exclusions", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 10, Icon: "clipboard-check", Summary: "The standards the SMS answers to, their requirements and our guidance on each."},
}

// RequirementKind declares requirements: the clauses of a framework.
var RequirementKind = record.Kind{
	Entity: "requirement", Prefix: "REQ", Label: "Requirement", Plural: "Requirements", Area: Area,
	Read: access.FrameworksRead, Write: access.FrameworksWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "framework_id", Label: "Framework", Display: record.Ref, Ref: "framework"},
		{Name: "parent_id", Label: "Part of", Display: record.Ref, Ref: "requirement"},
		{Name: "code", Label: "Clause"},
		{Name: "title", Label: "Title"},
		{Name: "position", Label: "Position"},
		{Name: "plain", Label: "In plain terms", Display: record.LongText},
		{Name: "auditor", Label: "What an auditor looks for", Display: record.LongText},
		{Name: "evidence", Label: "Typical evidence", Display: record.LongText},
		{Name: "questions", Label: "Self-assessment questions", Display: record.LongText},
	},
}

// MappingKind declares cross-references between requirements of two
// frameworks.
var MappingKind = record.Kind{
	Entity: "requirement_mapping", Prefix: "MAP", Label: "Cross-reference", Plural: "Cross-references", Segment: "requirement-mappings", Area: Area,
	Read: access.FrameworksRead, Write: access.FrameworksWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "from_id", Label: "Requirement", Display: record.Ref, Ref: "requirement"},
		{Name: "to_id", Label: "Maps to", Display: record.Ref, Ref: "requirement"},
		{Name: "relation", Label: "Relation", Display: record.Enum, Values: relationLabels()},
		{Name: "note", Label: "Note", Display: record.LongText},
	},
}

// ActionKind declares actions: one kind for everything the SMS must do.
var ActionKind = record.Kind{
	Entity: "action", Prefix: "ACT", Label: "Action", Plural: "Actions", Area: Area,
	Read: access.ActionsRead, Write: access.ActionsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "The one person who sees that it gets done."},
		{Name: "start_on", Label: "Starts on", Help: "The day work starts; the timeline draws the action from it to the due day."},
		{Name: "due_on", Label: "Due on"},
		{Name: "progress", Label: "Progress", Help: "How much is done, in per cent: 100 only when done."},
		{Name: "depends_on", Label: "Waits for", Display: record.RefList, Ref: "action", Help: "The actions that must be done before this one starts."},
		{Name: "state", Label: "State", Display: record.Enum, Values: Labels(ActionStates)},
		{Name: "priority", Label: "Priority", Display: record.Enum, Values: Labels(Priorities)},
		{Name: "source", Label: "Source", Display: record.Enum, Values: Labels(SourceCodes()),
			Help: "What asked for it: a step of the implementation plan, a gap against a requirement, a risk's treatment, an objective."},
		// The kind of record source_id names depends on the source, so the
		// history shows its number; the action's page names and links it.
		{Name: "source_id", Label: "Source record", Help: "The record it comes from: the requirement of a gap, the risk it treats."},
	},
	Nav: &record.Nav{Order: 20, Icon: "list-details", Summary: "Everything the SMS must do, with its owner and due day: from gaps, risks, the plan and objectives."},
}

// AssessmentKind declares assessments: dated gap analyses over a
// framework.
var AssessmentKind = record.Kind{
	Entity: "assessment", Prefix: "ASM", Label: "Assessment", Plural: "Assessments", Area: Area,
	Read: access.AssessmentsRead, Write: access.AssessmentsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "framework_id", Label: "Framework", Display: record.Ref, Ref: "framework"},
		{Name: "title", Label: "Title"},
		{Name: "started_on", Label: "Started on"},
		{Name: "state", Label: "State", Display: record.Enum, Values: Labels(AssessmentStates)},
		{Name: "notes", Label: "Notes", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 15, Icon: "shield-check", Summary: "Where the SMS stands against each requirement: gap analyses and their readiness."},
}

// ResultKind declares an assessment's results, one per requirement.
var ResultKind = record.Kind{
	Entity: "assessment_result", Prefix: "RES", Label: "Assessment result", Plural: "Assessment results", Area: Area,
	Read: access.AssessmentsRead, Write: access.AssessmentsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "assessment_id", Label: "Assessment", Display: record.Ref, Ref: "assessment"},
		{Name: "requirement_id", Label: "Requirement", Display: record.Ref, Ref: "requirement"},
		{Name: "status", Label: "Status", Display: record.Enum, Values: Labels(ResultStatuses)},
		{Name: "maturity", Label: "Maturity", Help: "0: nothing in place; 1: ad hoc; 2: repeatable; 3: defined; 4: measured; 5: optimised."},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "Who answers for closing the gap."},
		{Name: "justification", Label: "Justification", Display: record.LongText, Help: "Why the requirement does not apply; only where the framework allows exclusions."},
		{Name: "notes", Label: "Notes", Display: record.LongText},
		{Name: "answers", Label: "Answers", Help: "The replies to the requirement's self-assessment questions."},
	},
}

// Kinds lists the area's kinds.
func Kinds() []record.Kind {
	kinds := append([]record.Kind{FrameworkKind, RequirementKind, MappingKind, ActionKind, AssessmentKind, ResultKind,
		ServiceKind, ScopeKind, ContextIssueKind, InterestedPartyKind, CommunicationKind},
		append(TrainingKinds(), EvidenceKind)...)
	kinds = append(kinds, ProcessKinds()...)
	kinds = append(kinds, riskKinds()...)
	return append(kinds, DocumentKinds()...)
}

func relationLabels() map[string]string {
	m := map[string]string{}
	for _, r := range Relations {
		m[string(r.Code)] = r.Label
	}
	return m
}
