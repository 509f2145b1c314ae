package sms

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// ObjectiveKind declares the SMS's objectives (clause 6.2).
var ObjectiveKind = record.Kind{
	Entity: "objective", Prefix: "OBJ", Label: "Objective", Plural: "Objectives", Area: Area,
	Read: access.ObjectivesRead, Write: access.ObjectivesWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "statement", Label: "Statement", Help: "What the SMS means to achieve, in one sentence."},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "The one person who answers for the objective and its measurements."},
		{Name: "measure", Label: "Measure", Display: record.LongText, Help: "What is measured and how, so that anyone measuring gets the same figure."},
		{Name: "unit", Label: "Unit"},
		{Name: "target", Label: "Target"},
		{Name: "direction", Label: "Direction", Display: record.Enum, Values: Labels(Directions),
			Help: "Higher is better: the target is a floor to stay above. Lower is better: a ceiling to stay under."},
		{Name: "frequency", Label: "Frequency", Display: record.Enum, Values: Labels(ObjectiveFrequencies), Help: "How often a value is measured and recorded."},
		{Name: "source", Label: "Source", Display: record.Enum, Values: Labels(ObjectiveSources),
			Help: "Where the values come from. Today people record them; a live query over operational records will follow."},
		{Name: "notes", Label: "Notes", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 30, Icon: "arrow-up", Summary: "What the SMS means to achieve, measured over time against its targets."},
}

// ObjectiveValueKind declares the values measured for objectives.
var ObjectiveValueKind = record.Kind{
	Entity: "objective_value", Prefix: "OBV", Label: "Measured value", Plural: "Measured values", Segment: "objective-values", Area: Area,
	Read: access.ObjectivesRead, Write: access.ObjectivesWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "objective_id", Label: "Objective", Display: record.Ref, Ref: "objective"},
		{Name: "on", Label: "Measured on", Help: "The day (or the end of the period) the value stands for."},
		{Name: "value", Label: "Value"},
		{Name: "note", Label: "Note", Display: record.LongText},
	},
}

// ProcessKind declares the SMS's processes.
var ProcessKind = record.Kind{
	Entity: "process", Prefix: "PRC", Label: "Process", Plural: "Processes", Area: Area,
	Read: access.ProcessesRead, Write: access.ProcessesWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "code", Label: "Built-in code"},
		{Name: "name", Label: "Name"},
		{Name: "area", Label: "Area", Display: record.Enum, Values: Labels(ProcessAreas), Help: "The group of processes it belongs to, as clause 8 groups them."},
		{Name: "position", Label: "Position"},
		{Name: "owner_id", Label: "Process owner", Display: record.Ref, Ref: "user", Help: "The one person who answers for the process working and improving."},
		{Name: "purpose", Label: "Purpose", Display: record.LongText, Help: "Why the process exists: what it achieves for the services."},
		{Name: "scope", Label: "Scope", Display: record.LongText, Help: "Where the process starts and ends, and which services, locations and teams it covers."},
		{Name: "inputs", Label: "Inputs", Display: record.LongText, Help: "What the process takes in, and from whom."},
		{Name: "outputs", Label: "Outputs", Display: record.LongText, Help: "What the process produces, and for whom."},
		{Name: "maturity", Label: "Maturity", Help: MaturityHelp},
		{Name: "interface_ids", Label: "Interfaces", Display: record.RefList, Ref: "process", Help: "The processes it hands work to or takes work from."},
		{Name: "kpi_ids", Label: "KPIs", Display: record.RefList, Ref: "objective", Help: "The objectives that measure how well the process works."},
		{Name: "requirement_ids", Label: "Requirements answered", Display: record.RefList, Ref: "requirement", Help: "The requirements of the standard this process meets."},
	},
	Nav: &record.Nav{Order: 40, Icon: "refresh", Summary: "The SMS's processes: owners, purpose, interfaces, KPIs and maturity, and the process map."},
}

// ProjectMemberKind declares the implementation project's team.
var ProjectMemberKind = record.Kind{
	Entity: "project_member", Prefix: "PTM", Label: "Team member", Plural: "Implementation team", Segment: "implementation-team", Area: Area,
	Read: access.ProjectRead, Write: access.ProjectWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "user_id", Label: "Person", Display: record.Ref, Ref: "user"},
		{Name: "role", Label: "Project role", Display: record.Enum, Values: Labels(ProjectRoles),
			Help: "Their role in the implementation project. The team has exactly one project manager."},
		{Name: "responsibilities", Label: "Responsibilities", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 50, Icon: "users-group", Summary: "Who implements the SMS, with their project roles and the one project manager."},
}

// RaciKind declares the RACI matrix's rows.
var RaciKind = record.Kind{
	Entity: "raci", Prefix: "RACI", Label: "Responsibility assignment", Plural: "RACI", Segment: "raci", Area: Area,
	Read: access.ProjectRead, Write: access.ProjectWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "requirement_id", Label: "Clause", Display: record.Ref, Ref: "requirement"},
		{Name: "process_id", Label: "Process", Display: record.Ref, Ref: "process"},
		{Name: "accountable_id", Label: "Accountable", Display: record.Ref, Ref: "user", Help: "The one person who answers for the outcome and signs it off."},
		{Name: "responsible_ids", Label: "Responsible", Display: record.RefList, Ref: "user", Help: "Those who do the work."},
		{Name: "consulted_ids", Label: "Consulted", Display: record.RefList, Ref: "user", Help: "Those asked for their view before decisions: two-way."},
		{Name: "informed_ids", Label: "Informed", Display: record.RefList, Ref: "user", Help: "Those told of progress and decisions: one-way."},
		{Name: "notes", Label: "Notes", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 55, Icon: "users", Summary: "Who is responsible, accountable, consulted and informed for each clause and process."},
}

// ProcessKinds are the kinds of objectives, processes and the
// implementation project.
func ProcessKinds() []record.Kind {
	return []record.Kind{ObjectiveKind, ObjectiveValueKind, ProcessKind, ProjectMemberKind, RaciKind}
}
