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
)

// smsManagers run the management system: they and the administrators
// change its catalogue.
var smsManagers = []Role{Admin, SMSManager}

// doers are the staff who take on actions and report their progress.
var doers = []Role{Admin, SMSManager, ProcessOwner, Agent}

var smsGrants = Grants{
	FrameworksRead:  staff,
	FrameworksWrite: smsManagers,
	ActionsRead:     staff,
	ActionsWrite:    doers,
}
