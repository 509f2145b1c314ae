package audit

import (
	"slices"
	"time"
)

// SecurityKind is what a security event records. Security events are kept
// apart from the audit trail: they are not changes to records, they are
// not hash-chained, and they are kept only for a set time.
type SecurityKind string

const (
	SignInFailed     SecurityKind = "signin_failed"     // a wrong email or password
	SignInThrottled  SecurityKind = "signin_throttled"  // refused unchecked: too many failures
	PermissionDenied SecurityKind = "permission_denied" // a request answered 403
	TokenUsed        SecurityKind = "token_used"        // an API token authenticated a request
)

// SecurityKinds lists every kind, in the order a filter offers them.
var SecurityKinds = []SecurityKind{SignInFailed, SignInThrottled, PermissionDenied, TokenUsed}

// Valid reports whether k is a known kind.
func (k SecurityKind) Valid() bool { return slices.Contains(SecurityKinds, k) }

// Label names the kind for people.
func (k SecurityKind) Label() string {
	switch k {
	case SignInFailed:
		return "Failed sign-in"
	case SignInThrottled:
		return "Throttled sign-in"
	case PermissionDenied:
		return "Permission denied"
	case TokenUsed:
		return "API token used"
	}
	return string(k)
}

// SecurityEvent is one event.
type SecurityEvent struct {
	ID         int64        `json:"id"`
	At         time.Time    `json:"at"`
	Kind       SecurityKind `json:"kind"`
	UserID     int64        `json:"user_id"`     // the user concerned, 0 when none is known
	UserName   string       `json:"user_name"`   // filled in when read, "" once the user is deleted
	Email      string       `json:"email"`       // the address typed at a sign-in
	TokenID    int64        `json:"token_id"`    // the API token used, if any
	RemoteAddr string       `json:"remote_addr"` // the client's address
	Detail     string       `json:"detail"`      // the route refused, how long to wait ...
}
