package access

// The management system's permissions (the Management system area).
const (
	// FrameworksRead: the frameworks, their requirements with guidance
	// and their cross-references.
	FrameworksRead Permission = "frameworks.read"
	// FrameworksWrite: load a framework, or a new version of one.
	FrameworksWrite Permission = "frameworks.write"
)

// smsManagers run the management system: they and the administrators
// change its catalogue.
var smsManagers = []Role{Admin, SMSManager}

var smsGrants = Grants{
	FrameworksRead:  staff,
	FrameworksWrite: smsManagers,
}
