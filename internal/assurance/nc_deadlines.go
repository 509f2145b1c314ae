package assurance

import (
	"fmt"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// NCDeadlines are how many days after it is raised a nonconformity's
// plan (correction, root cause and corrective actions decided) and its
// closing (actions done and verified) are due, by where it was found and
// its severity: one record for the installation. External audit
// findings follow the certification body; every other origin the
// organisation's own rule.
type NCDeadlines struct {
	record.Meta
	ExternalMajorPlan  int64 `json:"external_major_plan"`
	ExternalMajorClose int64 `json:"external_major_close"`
	ExternalMinorPlan  int64 `json:"external_minor_plan"`
	ExternalMinorClose int64 `json:"external_minor_close"`
	InternalMajorPlan  int64 `json:"internal_major_plan"`
	InternalMajorClose int64 `json:"internal_major_close"`
	InternalMinorPlan  int64 `json:"internal_minor_plan"`
	InternalMinorClose int64 `json:"internal_minor_close"`
}

// MaxDeadlineDays bounds a deadline.
const MaxDeadlineDays = 730

// DefaultNCDeadlines are the deadlines the installation starts with. For
// external audit findings, what certification bodies commonly ask: a
// plan within 30 days, a major nonconformity closed (and verified by the
// body) within 90 days, a minor within 180, before the next audit. For
// the organisation's own findings: a major planned in 30 days and closed
// in 60, a minor in 60 and 120.
func DefaultNCDeadlines() NCDeadlines {
	return NCDeadlines{ExternalMajorPlan: 30, ExternalMajorClose: 90, ExternalMinorPlan: 30, ExternalMinorClose: 180,
		InternalMajorPlan: 30, InternalMajorClose: 60, InternalMinorPlan: 60, InternalMinorClose: 120}
}

// DeadlineRule is one line of the deadlines: a kind of nonconformity and
// its two figures.
type DeadlineRule struct {
	External    bool
	Severity    string
	Plan, Close int64
}

// Rules are the four lines.
func (d NCDeadlines) Rules() []DeadlineRule {
	return []DeadlineRule{
		{true, "major", d.ExternalMajorPlan, d.ExternalMajorClose},
		{true, "minor", d.ExternalMinorPlan, d.ExternalMinorClose},
		{false, "major", d.InternalMajorPlan, d.InternalMajorClose},
		{false, "minor", d.InternalMinorPlan, d.InternalMinorClose},
	}
}

// Days are the plan and closing deadlines, in days after it is raised,
// for a nonconformity.
func (d NCDeadlines) Days(n Nonconformity) (plan, close int64) {
	for _, r := range d.Rules() {
		if r.External == n.External() && r.Severity == n.Severity {
			return r.Plan, r.Close
		}
	}
	return d.InternalMinorPlan, d.InternalMinorClose
}

// Due are the days a nonconformity's plan and its closing are due.
func (d NCDeadlines) Due(n Nonconformity) (plan, close string) {
	p, c := d.Days(n)
	return AddDays(n.RaisedOn, p), AddDays(n.RaisedOn, c)
}

// Deadline is what is due next for a nonconformity and when: the plan
// (correction and root cause) while it is open or corrected, then its
// closing; none once closed.
type Deadline struct {
	What string // "plan" or "close"; "" for nothing due
	On   string
}

// Next is the deadline of the nonconformity's next step.
func (d NCDeadlines) Next(n Nonconformity) Deadline {
	plan, close := d.Due(n)
	switch n.State {
	case "open", "corrected":
		return Deadline{"plan", plan}
	case "analysed", "verified":
		return Deadline{"close", close}
	}
	return Deadline{}
}

// Overdue reports whether the next deadline has passed.
func (d NCDeadlines) Overdue(n Nonconformity, today string) bool {
	dl := d.Next(n)
	return dl.On != "" && dl.On < today
}

// NCDeadlinesInput is the deadlines, whole.
type NCDeadlinesInput struct {
	ExternalMajorPlan, ExternalMajorClose, ExternalMinorPlan, ExternalMinorClose int64
	InternalMajorPlan, InternalMajorClose, InternalMinorPlan, InternalMinorClose int64
}

// Validate checks each figure and that no closing comes before its plan.
func (in NCDeadlinesInput) Validate() error {
	var c errs.Checker
	for _, f := range []struct {
		plan, close         string
		planDays, closeDays int64
	}{
		{"external_major_plan", "external_major_close", in.ExternalMajorPlan, in.ExternalMajorClose},
		{"external_minor_plan", "external_minor_close", in.ExternalMinorPlan, in.ExternalMinorClose},
		{"internal_major_plan", "internal_major_close", in.InternalMajorPlan, in.InternalMajorClose},
		{"internal_minor_plan", "internal_minor_close", in.InternalMinorPlan, in.InternalMinorClose},
	} {
		okP := c.Check(f.planDays >= 1 && f.planDays <= MaxDeadlineDays, f.plan, fmt.Sprintf("must be a number of days from 1 to %d", MaxDeadlineDays))
		okC := c.Check(f.closeDays >= 1 && f.closeDays <= MaxDeadlineDays, f.close, fmt.Sprintf("must be a number of days from 1 to %d", MaxDeadlineDays))
		if okP && okC {
			c.Check(f.closeDays >= f.planDays, f.close, "must not be shorter than the deadline for the plan")
		}
	}
	return c.Err()
}

// Set puts the input into the deadlines.
func (in NCDeadlinesInput) Set(d *NCDeadlines) {
	d.ExternalMajorPlan, d.ExternalMajorClose, d.ExternalMinorPlan, d.ExternalMinorClose = in.ExternalMajorPlan, in.ExternalMajorClose, in.ExternalMinorPlan, in.ExternalMinorClose
	d.InternalMajorPlan, d.InternalMajorClose, d.InternalMinorPlan, d.InternalMinorClose = in.InternalMajorPlan, in.InternalMajorClose, in.InternalMinorPlan, in.InternalMinorClose
}

// Input is the deadlines as an input.
func (d NCDeadlines) Input() NCDeadlinesInput {
	return NCDeadlinesInput{d.ExternalMajorPlan, d.ExternalMajorClose, d.ExternalMinorPlan, d.ExternalMinorClose,
		d.InternalMajorPlan, d.InternalMajorClose, d.InternalMinorPlan, d.InternalMinorClose}
}
