package assurance

import (
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// AuditorAccess lets one external auditor read one audit: its scope,
// checklist and findings, the evidence of the requirements in its scope
// and the controlled documents that evidence names, read-only, up to and
// including the day it expires, unless revoked before.
type AuditorAccess struct {
	record.Meta
	AuditID int64 `json:"audit_id"`
	// UserID is the external auditor, a user whose role is
	// external_auditor.
	UserID int64 `json:"user_id"`
	// ExpiresOn is the last day the access is open ("2006-01-02").
	ExpiresOn string `json:"expires_on"`
	Note      string `json:"note"`
	// RevokedAt is when it was revoked; nil while it is not.
	RevokedAt *time.Time `json:"revoked_at"`
}

// MaxAccessDays is how far ahead an access may expire: a year, as an
// audit's access outlasting its cycle would be forgotten.
const MaxAccessDays = 366

// AccessStatuses are an access's states: live until it expires or is
// revoked.
var AccessStatuses = []Code{{Code: "live", Label: "Active"}, {Code: "expired", Label: "Expired"}, {Code: "revoked", Label: "Revoked"}}

// Status says whether the access is live, expired or revoked today.
func (g AuditorAccess) Status(today string) string {
	switch {
	case g.RevokedAt != nil:
		return "revoked"
	case g.ExpiresOn < today:
		return "expired"
	}
	return "live"
}

// Live reports whether the access opens its audit today.
func (g AuditorAccess) Live(today string) bool { return g.Status(today) == "live" }

// CheckLive refuses an access that is not live, saying why, in words
// for the auditor who is refused.
func (g AuditorAccess) CheckLive(today string) error {
	switch g.Status(today) {
	case "revoked":
		return errs.E(errs.Forbidden, "your access to this audit was revoked on %s: ask the organisation's SMS manager if you still need it", g.RevokedAt.UTC().Format(time.DateOnly))
	case "expired":
		return errs.E(errs.Forbidden, "your access to this audit expired after %s: ask the organisation's SMS manager to extend it", g.ExpiresOn)
	}
	return nil
}

// AccessInput is what an access is made of, whole.
type AccessInput struct {
	AuditID, UserID int64
	ExpiresOn, Note string
}

// Normalize trims the input.
func (in *AccessInput) Normalize() {
	in.ExpiresOn, in.Note = strings.TrimSpace(in.ExpiresOn), strings.TrimSpace(in.Note)
}

// Validate checks every field; today is the day it is now: an access
// expires today at the earliest and at most MaxAccessDays ahead.
func (in AccessInput) Validate(today string) error {
	var c errs.Checker
	c.Check(in.AuditID > 0, "audit_id", "is required: the audit the auditor may read")
	c.Check(in.UserID > 0, "user_id", "is required: the external auditor who may read it")
	if dayField(&c, "expires_on", in.ExpiresOn, "the last day the auditor may read the audit") {
		last := LastAccessDay(today)
		c.Check(in.ExpiresOn >= today, "expires_on", "must be today or later: "+today+" at the earliest")
		c.Check(in.ExpiresOn <= last, "expires_on", "must be at most a year ahead: "+last+" at the latest")
	}
	text(&c, "note", in.Note, 2000)
	return c.Err()
}

// LastAccessDay is the latest day an access given today may expire.
func LastAccessDay(today string) string {
	t, ok := parseDay(today)
	if !ok {
		return today
	}
	return format(t.AddDate(0, 0, MaxAccessDays))
}

// Set puts the input into the access.
func (in AccessInput) Set(g *AuditorAccess) {
	g.AuditID, g.UserID, g.ExpiresOn, g.Note = in.AuditID, in.UserID, in.ExpiresOn, in.Note
}

// AccessUpdate changes an access; nil fields stay as they are. Its
// audit and its auditor never change: grant another instead.
type AccessUpdate struct {
	ExpiresOn, Note *string
}

// Apply returns g with the update applied, as the input it must pass.
func (up AccessUpdate) Apply(g AuditorAccess) AccessInput {
	in := AccessInput{AuditID: g.AuditID, UserID: g.UserID, ExpiresOn: g.ExpiresOn, Note: g.Note}
	if up.ExpiresOn != nil {
		in.ExpiresOn = *up.ExpiresOn
	}
	if up.Note != nil {
		in.Note = *up.Note
	}
	return in
}

// AuditorView is one page or file an external auditor opened through an
// access: kept as it happened, never changed.
type AuditorView struct {
	ID       int64     `json:"id"`
	AccessID int64     `json:"access_id"`
	AuditID  int64     `json:"audit_id"`
	UserID   int64     `json:"user_id"`
	UserName string    `json:"user_name"`
	At       time.Time `json:"at"`
	// Path is the address opened; What names what it showed (AUD-000003,
	// EVD-000012 and its file ...).
	Path       string `json:"path"`
	What       string `json:"what"`
	RemoteAddr string `json:"remote_addr"`
}
