package assurance

import (
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Certificate is a certificate a certification body issued for the SMS,
// with the days that bound its cycle and where it stands.
type Certificate struct {
	record.Meta
	BodyID int64 `json:"body_id"`
	// CertNumber is the body's number for the certificate.
	CertNumber string `json:"certificate_number"`
	Standard   string `json:"standard"`
	Scope      string `json:"scope"`
	IssuedOn   string `json:"issued_on"`
	DecidedOn  string `json:"decided_on"`
	// CycleStart is the first day of its cycle, from which the
	// surveillance audits are planned: the certification decision for a
	// first certificate, the day after the old expiry for a renewal.
	CycleStart string `json:"cycle_start"`
	ExpiresOn  string `json:"expires_on"`
	// Status is active, suspended or withdrawn as the body decided;
	// expired is not stored but read from the expiry (State).
	Status string `json:"status"`
	// ReminderDays is how many days ahead of each planned audit's due day
	// the SMS managers are reminded.
	ReminderDays int64 `json:"reminder_days"`
	// PreviousID is the certificate this one renews, 0 for a first one.
	PreviousID int64 `json:"previous_id"`
}

// DefaultStandard is the standard a certificate is for unless it says.
const DefaultStandard = "ISO/IEC 20000-1:2018"

// CertificateStatuses are the statuses the body decides on; expired
// comes with time.
var CertificateStatuses = []Code{{Code: "active", Label: "Active"}, {Code: "suspended", Label: "Suspended"}, {Code: "withdrawn", Label: "Withdrawn"}}

// CertificateStates are the statuses with expired, as lists show them.
var CertificateStates = append(append([]Code(nil), CertificateStatuses...), Code{Code: "expired", Label: "Expired"})

// State is the status as it is on today: an active or suspended
// certificate past its expiry is expired.
func (c Certificate) State(today string) string {
	if c.Status != "withdrawn" && c.ExpiresOn != "" && c.ExpiresOn < today {
		return "expired"
	}
	return c.Status
}

// CertificateInput is what a certificate is made of, whole.
type CertificateInput struct {
	CertNumber, Standard, Scope, IssuedOn, DecidedOn, CycleStart, ExpiresOn, Status string
	BodyID, ReminderDays, PreviousID                                                int64
}

// Normalize trims the input and fills the defaults: the standard, the
// cycle's start (the decision), the expiry (the day before the cycle's
// third anniversary), the status and the reminders' lead time.
func (in *CertificateInput) Normalize() {
	for _, s := range []*string{&in.CertNumber, &in.Standard, &in.Scope, &in.IssuedOn, &in.DecidedOn, &in.CycleStart, &in.ExpiresOn} {
		*s = strings.TrimSpace(*s)
	}
	if in.Standard == "" {
		in.Standard = DefaultStandard
	}
	if in.CycleStart == "" {
		in.CycleStart = in.DecidedOn
	}
	if in.ExpiresOn == "" {
		in.ExpiresOn = DefaultExpiry(in.CycleStart)
	}
	if in.Status == "" {
		in.Status = "active"
	}
	if in.ReminderDays == 0 {
		in.ReminderDays = DefaultReminderDays
	}
}

// Validate checks every field: the decision comes no later than the
// issue, and the certificate expires no earlier than it is issued.
func (in CertificateInput) Validate() error {
	var c errs.Checker
	c.Check(in.BodyID > 0, "body_id", "is required: choose the certification body that issued it")
	line(&c, "certificate_number", in.CertNumber, 100, "the number the body gave the certificate")
	line(&c, "standard", in.Standard, 100, "")
	text(&c, "scope", in.Scope, 4000)
	c.Check(in.Scope != "", "scope", "is required: the services and the organisation the certificate covers, as it says")
	issued := dayField(&c, "issued_on", in.IssuedOn, "the day the certificate was issued")
	decided := dayField(&c, "decided_on", in.DecidedOn, "the day the body decided to certify")
	start := dayField(&c, "cycle_start", in.CycleStart, "")
	expires := dayField(&c, "expires_on", in.ExpiresOn, "the last day the certificate is valid")
	if issued && decided && in.DecidedOn > in.IssuedOn {
		c.Add("decided_on", "must not be after the issue day "+in.IssuedOn+": a certificate is issued on or after the decision")
	}
	if issued && expires && in.ExpiresOn < in.IssuedOn {
		c.Add("expires_on", "must not be before the issue day "+in.IssuedOn)
	}
	if start && expires && in.ExpiresOn < in.CycleStart {
		c.Add("expires_on", "must not be before the cycle's start "+in.CycleStart)
	}
	c.Check(known(CertificateStatuses, in.Status), "status", "must be active, suspended or withdrawn (expired follows from the expiry day)")
	c.Check(in.ReminderDays >= 1 && in.ReminderDays <= 365, "reminder_days", "must be a number of days from 1 to 365")
	return c.Err()
}

// Set puts the input into the certificate.
func (in CertificateInput) Set(c *Certificate) {
	c.BodyID, c.CertNumber, c.Standard, c.Scope, c.IssuedOn, c.DecidedOn = in.BodyID, in.CertNumber, in.Standard, in.Scope, in.IssuedOn, in.DecidedOn
	c.CycleStart, c.ExpiresOn, c.Status, c.ReminderDays, c.PreviousID = in.CycleStart, in.ExpiresOn, in.Status, in.ReminderDays, in.PreviousID
}

// CertificateUpdate changes a certificate; nil fields stay as they are.
// Its previous certificate never changes.
type CertificateUpdate struct {
	CertNumber, Standard, Scope, IssuedOn, DecidedOn, CycleStart, ExpiresOn, Status *string
	BodyID, ReminderDays                                                            *int64
}

// Apply returns c with the update applied, as the input it must pass.
func (up CertificateUpdate) Apply(c Certificate) CertificateInput {
	in := CertificateInput{CertNumber: c.CertNumber, Standard: c.Standard, Scope: c.Scope, IssuedOn: c.IssuedOn, DecidedOn: c.DecidedOn,
		CycleStart: c.CycleStart, ExpiresOn: c.ExpiresOn, Status: c.Status, BodyID: c.BodyID, ReminderDays: c.ReminderDays, PreviousID: c.PreviousID}
	for dst, src := range map[*string]*string{&in.CertNumber: up.CertNumber, &in.Standard: up.Standard, &in.Scope: up.Scope, &in.IssuedOn: up.IssuedOn,
		&in.DecidedOn: up.DecidedOn, &in.CycleStart: up.CycleStart, &in.ExpiresOn: up.ExpiresOn, &in.Status: up.Status} {
		if src != nil {
			*dst = *src
		}
	}
	for dst, src := range map[*int64]*int64{&in.BodyID: up.BodyID, &in.ReminderDays: up.ReminderDays} {
		if src != nil {
			*dst = *src
		}
	}
	return in
}

// RenewalInput is what the body decided on recertification: the new
// certificate's number, days and scope. Its cycle runs on from the old
// expiry.
type RenewalInput struct {
	CertNumber, Scope, IssuedOn, DecidedOn, ExpiresOn string
	// RecertifiedOn is the day the recertification audit was done; the
	// old cycle's recertification is marked done on it.
	RecertifiedOn string
}

// Renewal is the new certificate's input, from the old one and what the
// body decided: same body, standard and reminders, the scope unless
// given, the cycle from the day after the old expiry.
func (in RenewalInput) Renewal(old Certificate) CertificateInput {
	out := CertificateInput{BodyID: old.BodyID, CertNumber: in.CertNumber, Standard: old.Standard, Scope: in.Scope, IssuedOn: in.IssuedOn,
		DecidedOn: in.DecidedOn, CycleStart: RenewalStart(old.ExpiresOn), ExpiresOn: in.ExpiresOn, Status: "active",
		ReminderDays: old.ReminderDays, PreviousID: old.ID}
	if strings.TrimSpace(out.Scope) == "" {
		out.Scope = old.Scope
	}
	return out
}
