package access

// The management system's permissions (the Management system area).
const (
	// FrameworksRead: the frameworks, their requirements with guidance
	// and their cross-references.
	FrameworksRead Permission = "frameworks.read"
	// FrameworksWrite: load a framework, or a new version of one.
	FrameworksWrite Permission = "frameworks.write"
	// ActionsRead and ActionsWrite: the SMS's actions.
	ActionsRead  Permission = "actions.read"
	ActionsWrite Permission = "actions.write"
	// AssessmentsRead and AssessmentsWrite: gap analyses (assessments)
	// and their results, one per requirement.
	AssessmentsRead  Permission = "assessments.read"
	AssessmentsWrite Permission = "assessments.write"
)

// smsManagers run the management system: they and the administrators
// change its catalogue.
var smsManagers = []Role{Admin, SMSManager}

// doers are the staff who take on actions and report their progress.
var doers = []Role{Admin, SMSManager, ProcessOwner, Agent}

// assessors judge where the SMS stands: the SMS managers who run the gap
// analysis, and the process owners, who know their processes best and
// answer for the requirements those processes meet. Agents do the work
// but do not grade it, and auditors must stay independent of what they
// will audit, so both only read.
var assessors = []Role{Admin, SMSManager, ProcessOwner}

var smsGrants = Grants{
	FrameworksRead:   staff,
	FrameworksWrite:  smsManagers,
	ActionsRead:      staff,
	ActionsWrite:     doers,
	AssessmentsRead:  staff,
	AssessmentsWrite: assessors,
	EvidenceRead:     staff,
	EvidenceWrite:    doers,
}
