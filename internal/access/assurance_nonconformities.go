package access

// The permissions of nonconformities and corrective action (the Audits
// and certification area).
const (
	// NonconformitiesRead and NonconformitiesWrite: nonconformities, their
	// steps, and the deadlines they are answered in (read).
	NonconformitiesRead  Permission = "nonconformities.read"
	NonconformitiesWrite Permission = "nonconformities.write"
	// NCDeadlinesWrite: change the deadlines.
	NCDeadlinesWrite Permission = "nc_deadlines.write"
)

// nonconformityGrants: all staff read. Nonconformities are raised and
// carried to closing by those who run the SMS and its processes, and by
// the internal auditors who find them; the deadlines, which bind every
// one of them, only by the SMS managers.
var nonconformityGrants = Grants{
	NonconformitiesRead:  staff,
	NonconformitiesWrite: []Role{Admin, SMSManager, ProcessOwner, InternalAuditor},
	NCDeadlinesWrite:     smsManagers,
}
