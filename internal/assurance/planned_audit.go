package assurance

import (
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// PlannedAudit is one audit of a certificate's cycle: a surveillance or
// the recertification, the day it must be done by, the day it is booked
// for and the day it was done. AuditID names the audit record (kind
// "audit") that holds its programme and findings, once one exists: kept
// as a plain id, so the audits can be joined in later.
type PlannedAudit struct {
	record.Meta
	CertificateID int64  `json:"certificate_id"`
	Type          string `json:"type"`
	DueBy         string `json:"due_by"`
	PlannedOn     string `json:"planned_on"`
	DoneOn        string `json:"done_on"`
	AuditID       int64  `json:"audit_id"`
	Notes         string `json:"notes"`
}

// CycleAuditTypes are the audits of a certification cycle.
var CycleAuditTypes = []Code{{Code: Surveillance1, Label: "First surveillance"}, {Code: Surveillance2, Label: "Second surveillance"},
	{Code: Recertification, Label: "Recertification"}, {Code: SpecialAudit, Label: "Special audit"}}

// Surveillance reports whether it is one of the surveillance audits,
// whose missing puts the certificate at risk of suspension.
func (p PlannedAudit) Surveillance() bool { return p.Type == Surveillance1 || p.Type == Surveillance2 }

// Overdue reports whether it is not done and its due-by day has passed.
func (p PlannedAudit) Overdue(today string) bool {
	return p.DoneOn == "" && p.DueBy != "" && p.DueBy < today
}

// Risk is what a certificate risks by its planned audits on today:
// "suspension" when a surveillance audit is overdue, "lapse" when the
// recertification is, "" when neither.
func Risk(c Certificate, audits []PlannedAudit, today string) string {
	if st := c.State(today); st == "withdrawn" || st == "expired" {
		return ""
	}
	risk := ""
	for _, a := range audits {
		switch {
		case !a.Overdue(today):
		case a.Surveillance():
			return "suspension"
		case a.Type == Recertification:
			risk = "lapse"
		}
	}
	return risk
}

// PlannedAuditInput is what a planned audit is made of, whole.
type PlannedAuditInput struct {
	Type, DueBy, PlannedOn, DoneOn, Notes string
	CertificateID, AuditID                int64
}

// Normalize trims the input.
func (in *PlannedAuditInput) Normalize() {
	in.DueBy, in.PlannedOn, in.DoneOn, in.Notes = strings.TrimSpace(in.DueBy), strings.TrimSpace(in.PlannedOn), strings.TrimSpace(in.DoneOn), strings.TrimSpace(in.Notes)
	if in.Type == "" {
		in.Type = SpecialAudit
	}
}

// Validate checks every field; today is the day it is now, as an audit
// cannot be done on a day still to come.
func (in PlannedAuditInput) Validate(today string) error {
	var c errs.Checker
	c.Check(in.CertificateID > 0, "certificate_id", "is required: choose the certificate whose cycle it belongs to")
	c.Check(known(CycleAuditTypes, in.Type), "type", "must be surveillance_1, surveillance_2, recertification or special")
	dayField(&c, "due_by", in.DueBy, "the last day the audit may be done")
	dayField(&c, "planned_on", in.PlannedOn, "")
	if dayField(&c, "done_on", in.DoneOn, "") {
		c.Check(in.DoneOn <= today, "done_on", "must not be in the future")
	}
	c.Check(in.AuditID >= 0, "audit_id", "must be an audit's id, or 0 for none")
	text(&c, "notes", in.Notes, 2000)
	return c.Err()
}

// Set puts the input into the planned audit.
func (in PlannedAuditInput) Set(p *PlannedAudit) {
	p.CertificateID, p.Type, p.DueBy, p.PlannedOn, p.DoneOn, p.AuditID, p.Notes = in.CertificateID, in.Type, in.DueBy, in.PlannedOn, in.DoneOn, in.AuditID, in.Notes
}

// PlannedAuditUpdate changes a planned audit; nil fields stay as they
// are. Its certificate and type never change.
type PlannedAuditUpdate struct {
	DueBy, PlannedOn, DoneOn, Notes *string
	AuditID                         *int64
}

// Apply returns p with the update applied, as the input it must pass.
func (up PlannedAuditUpdate) Apply(p PlannedAudit) PlannedAuditInput {
	in := PlannedAuditInput{CertificateID: p.CertificateID, Type: p.Type, DueBy: p.DueBy, PlannedOn: p.PlannedOn, DoneOn: p.DoneOn, AuditID: p.AuditID, Notes: p.Notes}
	for dst, src := range map[*string]*string{&in.DueBy: up.DueBy, &in.PlannedOn: up.PlannedOn, &in.DoneOn: up.DoneOn, &in.Notes: up.Notes} {
		if src != nil {
			*dst = *src
		}
	}
	if up.AuditID != nil {
		in.AuditID = *up.AuditID
	}
	return in
}
