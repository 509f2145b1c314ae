package access

// The platform's permissions: accounts, organisations, tokens, the audit
// trail and the installation itself (the Administration area).
const (
	UsersRead    Permission = "users.read"
	UsersWrite   Permission = "users.write"
	TeamsRead    Permission = "teams.read"
	TeamsWrite   Permission = "teams.write"
	OrgsRead     Permission = "organisations.read"
	OrgsWrite    Permission = "organisations.write"
	TokensManage Permission = "tokens.manage" // any user's tokens, not just one's own
	AuditRead    Permission = "audit.read"
	AuditVerify  Permission = "audit.verify"
	HistoryRead  Permission = "history.read" // a record's own history, next to the record
	MetricsRead  Permission = "metrics.read"
	SystemManage Permission = "system.manage"
	// NotificationsOthers would read and mark another person's
	// notifications: no role holds it, so everyone has only their own.
	NotificationsOthers Permission = "notifications.others"
)

// Groups of roles the tables below share.
var (
	admins = []Role{Admin}
	// staff are the provider's own people.
	staff = []Role{Admin, SMSManager, ProcessOwner, Agent, InternalAuditor, TopManagement}
	// staffAndRequesters: requesters read users and organisations too,
	// but only within their own organisation (record.Organisation scope).
	staffAndRequesters = append(append([]Role(nil), staff...), Requester)
	trailReaders       = []Role{Admin, InternalAuditor}
)

var platformGrants = Grants{
	UsersRead:    staffAndRequesters,
	UsersWrite:   admins,
	TeamsRead:    staff,
	TeamsWrite:   admins,
	OrgsRead:     staffAndRequesters,
	OrgsWrite:    admins,
	TokensManage: admins,
	AuditRead:    trailReaders,
	AuditVerify:  trailReaders,
	HistoryRead:  staffAndRequesters,
	MetricsRead:  admins,
	SystemManage: admins,
	// Nobody.
	NotificationsOthers: nil,
}
