package assurance

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// CertificationBody is an organisation that audits the SMS and issues its
// certificate, with the accreditation that makes its certificate count
// and when someone last checked it.
type CertificationBody struct {
	record.Meta
	Name string `json:"name"`
	// AccreditationBody is who accredits it (UKAS, DAkkS ...);
	// AccreditationNumber its number there; AccreditationScope what the
	// accreditation covers, in the accreditation body's words.
	AccreditationBody   string `json:"accreditation_body"`
	AccreditationNumber string `json:"accreditation_number"`
	AccreditationScope  string `json:"accreditation_scope"`
	// Covers20000 says whether the accreditation covers ISO/IEC 20000-1
	// certification (under ISO/IEC 20000-6): yes, no or unknown.
	Covers20000 string `json:"covers_20000"`
	Contacts    string `json:"contacts"`
	// VerifiedOn is the day someone last checked the accreditation with
	// the accreditation body ("" for never); VerifiedBy who did.
	VerifiedOn string `json:"verified_on"`
	VerifiedBy int64  `json:"verified_by"`
}

// Answers say yes, no or unknown.
var Answers = []Code{{Code: "unknown", Label: "Unknown"}, {Code: "yes", Label: "Yes"}, {Code: "no", Label: "No"}}

// NeedsVerification reports whether the body's credentials were never
// checked, or last checked more than a year before today.
func (b CertificationBody) NeedsVerification(today string) bool {
	t, ok := parseDay(today)
	return b.VerifiedOn == "" || !ok || b.VerifiedOn < format(t.AddDate(-1, 0, 0))
}

// BodyInput is what a certification body is made of, whole.
type BodyInput struct {
	Name, AccreditationBody, AccreditationNumber, AccreditationScope, Covers20000, Contacts, VerifiedOn string
	VerifiedBy                                                                                          int64
}

// Normalize trims the input and fills the defaults.
func (in *BodyInput) Normalize() {
	for _, s := range []*string{&in.Name, &in.AccreditationBody, &in.AccreditationNumber, &in.AccreditationScope, &in.Contacts, &in.VerifiedOn} {
		*s = strings.TrimSpace(*s)
	}
	if in.Covers20000 == "" {
		in.Covers20000 = "unknown"
	}
	if in.VerifiedOn == "" {
		in.VerifiedBy = 0
	}
}

// line checks a required or optional single line of at most n characters.
func line(c *errs.Checker, field, v string, n int, required string) {
	switch {
	case v == "" && required != "":
		c.Add(field, "is required: "+required)
	case utf8.RuneCountInString(v) > n || strings.ContainsAny(v, "\x00\r\n"):
		c.Add(field, "must be a single line of at most "+itoa(n)+" characters")
	}
}

// text checks a long text of at most n characters.
func text(c *errs.Checker, field, v string, n int) {
	c.Check(utf8.RuneCountInString(v) <= n && !strings.ContainsRune(v, 0), field, "must be at most "+itoa(n)+" characters")
}

// dayField checks an optional day; required says why one is needed.
func dayField(c *errs.Checker, field, v, required string) bool {
	switch {
	case v == "" && required != "":
		c.Add(field, "is required: "+required)
	case v == "":
	default:
		if _, ok := parseDay(v); !ok {
			c.Add(field, "must be a date such as 2027-01-31")
			return false
		}
		return true
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

// Validate checks every field; today is the day it is now, as a check
// cannot be made on a day still to come.
func (in BodyInput) Validate(today string) error {
	var c errs.Checker
	line(&c, "name", in.Name, 200, "the certification body's name")
	line(&c, "accreditation_body", in.AccreditationBody, 200, "")
	line(&c, "accreditation_number", in.AccreditationNumber, 100, "")
	text(&c, "accreditation_scope", in.AccreditationScope, 4000)
	c.Check(known(Answers, in.Covers20000), "covers_20000", "must be yes, no or unknown")
	text(&c, "contacts", in.Contacts, 2000)
	if dayField(&c, "verified_on", in.VerifiedOn, "") {
		c.Check(in.VerifiedOn <= today, "verified_on", "must not be in the future")
		c.Check(in.VerifiedBy > 0, "verified_by", "is required with the day: choose who checked the accreditation")
	}
	return c.Err()
}

// Set puts the input into the body.
func (in BodyInput) Set(b *CertificationBody) {
	b.Name, b.AccreditationBody, b.AccreditationNumber, b.AccreditationScope = in.Name, in.AccreditationBody, in.AccreditationNumber, in.AccreditationScope
	b.Covers20000, b.Contacts, b.VerifiedOn, b.VerifiedBy = in.Covers20000, in.Contacts, in.VerifiedOn, in.VerifiedBy
}

// BodyUpdate changes a body; nil fields stay as they are.
type BodyUpdate struct {
	Name, AccreditationBody, AccreditationNumber, AccreditationScope, Covers20000, Contacts, VerifiedOn *string
	VerifiedBy                                                                                          *int64
}

// Apply returns b with the update applied, as the input it must pass.
func (up BodyUpdate) Apply(b CertificationBody) BodyInput {
	in := BodyInput{Name: b.Name, AccreditationBody: b.AccreditationBody, AccreditationNumber: b.AccreditationNumber, AccreditationScope: b.AccreditationScope,
		Covers20000: b.Covers20000, Contacts: b.Contacts, VerifiedOn: b.VerifiedOn, VerifiedBy: b.VerifiedBy}
	for dst, src := range map[*string]*string{&in.Name: up.Name, &in.AccreditationBody: up.AccreditationBody, &in.AccreditationNumber: up.AccreditationNumber,
		&in.AccreditationScope: up.AccreditationScope, &in.Covers20000: up.Covers20000, &in.Contacts: up.Contacts, &in.VerifiedOn: up.VerifiedOn} {
		if src != nil {
			*dst = *src
		}
	}
	if up.VerifiedBy != nil {
		in.VerifiedBy = *up.VerifiedBy
	}
	return in
}

// Today is the day it is at now, in UTC, as days are kept.
func Today(now time.Time) string { return format(now.UTC()) }
