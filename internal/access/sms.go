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
	// RisksRead and RisksWrite: the register of risks and opportunities
	// (clause 6.1) and its scales; RiskScalesWrite: change the scales and
	// the bands; RisksAccept: whose acceptance of a risk may be recorded.
	RisksRead       Permission = "risks.read"
	RisksWrite      Permission = "risks.write"
	RiskScalesWrite Permission = "risk_scales.write"
	RisksAccept     Permission = "risks.accept"
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

// riskAcceptors may be named as having accepted a risk: accepting one is
// a management decision, for those who run the SMS or lead the
// organisation, never for the person who merely records it.
var riskAcceptors = []Role{Admin, SMSManager, TopManagement}

var smsGrants = Grants{
	FrameworksRead:   staff,
	FrameworksWrite:  smsManagers,
	ActionsRead:      staff,
	ActionsWrite:     doers,
	AssessmentsRead:  staff,
	AssessmentsWrite: assessors,
	EvidenceRead:     staff,
	EvidenceWrite:    doers,
	// Risks are read by all staff and kept by those who judge where the
	// SMS stands (SMS managers and process owners, who know their
	// processes' risks); the scales they are rated on, which change every
	// score, only by the SMS managers.
	RisksRead:       staff,
	RisksWrite:      assessors,
	RiskScalesWrite: smsManagers,
	RisksAccept:     riskAcceptors,
}
