package assurance_test

import (
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
)

// An access expires today at the earliest and a year ahead at the
// latest; it is live up to and including that day, and not once revoked.
func TestAuditorAccessRules(t *testing.T) {
	const today = "2027-02-10"
	for name, c := range map[string]struct {
		in    assurance.AccessInput
		field string
	}{
		"today":           {assurance.AccessInput{AuditID: 1, UserID: 2, ExpiresOn: today}, ""},
		"a year ahead":    {assurance.AccessInput{AuditID: 1, UserID: 2, ExpiresOn: "2028-02-11"}, ""},
		"yesterday":       {assurance.AccessInput{AuditID: 1, UserID: 2, ExpiresOn: "2027-02-09"}, "expires_on"},
		"too far ahead":   {assurance.AccessInput{AuditID: 1, UserID: 2, ExpiresOn: "2028-02-12"}, "expires_on"},
		"not a day":       {assurance.AccessInput{AuditID: 1, UserID: 2, ExpiresOn: "next week"}, "expires_on"},
		"no expiry":       {assurance.AccessInput{AuditID: 1, UserID: 2}, "expires_on"},
		"no auditor":      {assurance.AccessInput{AuditID: 1, ExpiresOn: today}, "user_id"},
		"no audit":        {assurance.AccessInput{UserID: 2, ExpiresOn: today}, "audit_id"},
		"a note too long": {assurance.AccessInput{AuditID: 1, UserID: 2, ExpiresOn: today, Note: strings.Repeat("x", 2001)}, "note"},
	} {
		c.in.Normalize()
		err := c.in.Validate(today)
		switch e := errs.As(err); {
		case c.field == "" && err != nil:
			t.Errorf("%s: got %v, want no error", name, err)
		case c.field != "" && (e == nil || len(e.Fields) == 0 || e.Fields[0].Field != c.field):
			t.Errorf("%s: got %v, want an error on %s", name, err, c.field)
		}
	}

	g := assurance.AuditorAccess{ExpiresOn: today}
	if !g.Live(today) || g.Live("2027-02-11") || g.CheckLive(today) != nil {
		t.Errorf("live on its last day, not after: %v %v", g.Live(today), g.Live("2027-02-11"))
	}
	if err := g.CheckLive("2027-02-11"); !errs.Is(err, errs.Forbidden) {
		t.Errorf("expired: got %v, want forbidden", err)
	}
	at := time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)
	g.RevokedAt = &at
	if g.Status("2027-01-01") != "revoked" || !errs.Is(g.CheckLive("2027-01-01"), errs.Forbidden) {
		t.Errorf("revoked: %s, %v", g.Status("2027-01-01"), g.CheckLive("2027-01-01"))
	}
	note := "agreed"
	in := assurance.AccessUpdate{Note: &note}.Apply(assurance.AuditorAccess{AuditID: 3, UserID: 4, ExpiresOn: today})
	if in.AuditID != 3 || in.UserID != 4 || in.ExpiresOn != today || in.Note != "agreed" {
		t.Errorf("update applied: %+v", in)
	}
}
