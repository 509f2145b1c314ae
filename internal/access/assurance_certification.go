package access

// The permissions of certification: the certification bodies, the
// certificates and their planned cycle of audits.
const (
	// CertificationRead and CertificationWrite: certification bodies,
	// certificates and the planned audits of their cycle.
	CertificationRead  Permission = "certification.read"
	CertificationWrite Permission = "certification.write"
	// CalendarManage: seeing and revoking other users' calendar
	// addresses (never their secrets), for an administrator cleaning up.
	CalendarManage Permission = "calendar.manage"
)

// certificationGrants: all staff read where the certificate stands (top
// management answers for keeping it); the SMS managers, who deal with
// the certification body, keep it.
var certificationGrants = Grants{
	CertificationRead:  staff,
	CertificationWrite: smsManagers,
	CalendarManage:     {Admin},
}
