package assurance_test

import (
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

func field(err error) string {
	if e := errs.As(err); e != nil && len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}

func TestAuditDates(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   assurance.AuditInput
		want string
	}{
		{"ok", assurance.AuditInput{Title: "A", RequirementIDs: []int64{1}, PlannedStart: "2027-01-02", PlannedEnd: "2027-01-03"}, ""},
		{"planned out of order", assurance.AuditInput{Title: "A", RequirementIDs: []int64{1}, PlannedStart: "2027-01-03", PlannedEnd: "2027-01-02"}, "planned_end"},
		{"actual out of order", assurance.AuditInput{Title: "A", RequirementIDs: []int64{1}, PlannedStart: "2027-01-02", PlannedEnd: "2027-01-03",
			ActualStart: "2027-01-05", ActualEnd: "2027-01-04"}, "actual_end"},
		{"external type internal", assurance.AuditInput{Title: "A", Origin: "external", Type: "internal", RequirementIDs: []int64{1}, PlannedStart: "2027-01-02", PlannedEnd: "2027-01-03"}, "type"},
		{"no scope", assurance.AuditInput{Title: "A", PlannedStart: "2027-01-02", PlannedEnd: "2027-01-03"}, "requirement_ids"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Normalize()
			if got := field(tc.in.Validate()); got != tc.want {
				t.Errorf("refused field %q, want %q", got, tc.want)
			}
		})
	}
	p := assurance.ProgrammeInput{Title: "P", StartOn: "2027-01-01", EndOn: "2026-12-31", OwnerID: 1}
	if got := field(p.Validate()); got != "end_on" {
		t.Errorf("programme out of order refused %q, want end_on", got)
	}
}

// Who runs an audit: an internal audit names no body and no consultant;
// the certification body's audits name their body and no consultant; a
// pre-audit names the body or a consultant (or neither yet), not both.
func TestAuditBody(t *testing.T) {
	body, zero := int64(7), int64(0)
	ext := func(typ string, body *int64, consultant string) assurance.AuditInput {
		return assurance.AuditInput{Title: "A", Origin: "external", Type: typ, BodyID: body, Consultant: consultant,
			RequirementIDs: []int64{1}, PlannedStart: "2027-01-02", PlannedEnd: "2027-01-03"}
	}
	internal := ext("internal", &body, "")
	internal.Origin = "internal"
	internalConsultant := ext("internal", nil, "Advisors & Co")
	internalConsultant.Origin = "internal"
	for _, tc := range []struct {
		name string
		in   assurance.AuditInput
		want string
	}{
		{"internal with a body", internal, "body_id"},
		{"internal with a consultant", internalConsultant, "consultant"},
		{"stage 1 with its body", ext("stage1", &body, ""), ""},
		{"stage 1 without a body", ext("stage1", nil, ""), "body_id"},
		{"stage 1 with 0 for none", ext("stage1", &zero, ""), "body_id"},
		{"stage 2 by a consultant", ext("stage2", nil, "Advisors & Co"), "body_id"},
		{"surveillance with a consultant beside its body", ext("surveillance", &body, "Advisors & Co"), "consultant"},
		{"recertification without a body", ext("recertification", nil, ""), "body_id"},
		{"special without a body", ext("special", nil, ""), "body_id"},
		{"follow-up without a body", ext("follow_up", nil, ""), "body_id"},
		{"pre-audit by a consultant", ext("pre_audit", nil, "Advisors & Co"), ""},
		{"pre-audit by the body", ext("pre_audit", &body, ""), ""},
		{"pre-audit by nobody yet", ext("pre_audit", nil, ""), ""},
		{"pre-audit by both", ext("pre_audit", &body, "Advisors & Co"), "consultant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Normalize()
			if got := field(tc.in.Validate()); got != tc.want {
				t.Errorf("refused field %q, want %q", got, tc.want)
			}
		})
	}
	err := ext("stage1", nil, "").Validate()
	if e := errs.As(err); e == nil || !strings.Contains(e.Fields[0].Reason, "stage1") {
		t.Errorf("stage 1 without a body: %v, want a reason naming the type", err)
	}
	issued := assurance.Audit{State: "report_issued", Origin: "external", Type: "stage1", BodyID: &body}
	other := int64(8)
	in := assurance.AuditUpdate{BodyID: &other}.Apply(issued)
	in.Normalize()
	if got := field(assurance.Frozen(issued, in)); got != "body_id" {
		t.Errorf("changing an issued audit's body refused %q, want body_id", got)
	}
}

func TestIndependence(t *testing.T) {
	lead, member := int64(1), int64(2)
	a := assurance.Audit{LeadAuditorID: &lead, TeamIDs: []int64{member}}
	owned := []assurance.Owned{{UserID: member, What: "PRC-000001 Incident management"}}
	if err := assurance.CheckLead(a, owned, "Lea"); err != nil {
		t.Errorf("a team member's ownership refused the lead: %v", err)
	}
	if got := assurance.Conflicts(a, owned); len(got[member]) != 1 {
		t.Errorf("conflicts %v, want the member's process", got)
	}
	owned = append(owned, assurance.Owned{UserID: lead, What: "DOC-000002 Change policy"})
	err := assurance.CheckLead(a, owned, "Lea")
	if field(err) != "lead_auditor_id" || !strings.Contains(err.Error(), "DOC-000002") {
		t.Errorf("lead owning a document: %v, want refused naming lead_auditor_id and DOC-000002", err)
	}
}

// tree is a small framework: clauses 4..10 with 8 split in three.
func tree() []sms.Requirement {
	var out []sms.Requirement
	id := int64(0)
	add := func(code string, parent *int64) int64 {
		id++
		out = append(out, sms.Requirement{Code: code, ParentID: parent, Position: id})
		out[len(out)-1].ID = id
		return id
	}
	for _, c := range []string{"4", "5", "6", "7"} {
		p := add(c, nil)
		add(c+".1", &p)
	}
	eight := add("8", nil)
	for _, c := range []string{"8.1", "8.2", "8.3", "8.4", "8.5", "8.6"} {
		p := add(c, &eight)
		add(c+".1", &p)
	}
	for _, c := range []string{"9", "10"} {
		p := add(c, nil)
		add(c+".1", &p)
	}
	return out
}

func TestPlanCycle(t *testing.T) {
	reqs := tree()
	p := assurance.Programme{StartOn: "2027-01-01", EndOn: "2029-12-31"}
	p.ID = 7
	plan := assurance.PlanCycle(p, reqs, nil)
	if len(plan) != 6 {
		t.Fatalf("planned %d audits, want 6 (two a year): %+v", len(plan), plan)
	}
	var made []assurance.Audit
	for i, in := range plan {
		in.Normalize()
		if err := in.Validate(); err != nil {
			t.Fatalf("planned audit %d invalid: %v", i, err)
		}
		var a assurance.Audit
		in.Set(&a)
		a.ID = int64(i + 1)
		made = append(made, a)
	}
	cov := assurance.CoverageOf(reqs, made)
	if cov.Unaudited != 0 {
		t.Errorf("unaudited after planning: %d, want 0", cov.Unaudited)
	}
	// Clause 8's subclauses are each audited once in the cycle.
	for _, row := range cov.Rows {
		if len(row.Requirement.Code) > 1 && row.Requirement.Code[0] == '8' && len(row.AuditIDs) != 1 {
			t.Errorf("%s covered by %v, want exactly one audit", row.Requirement.Code, row.AuditIDs)
		}
	}
	if again := assurance.PlanCycle(p, reqs, made); len(again) != 0 {
		t.Errorf("planning twice planned %d more audits, want none", len(again))
	}
	if none := assurance.CoverageOf(reqs, nil); none.Unaudited != len(reqs) {
		t.Errorf("with no audits unaudited %d, want %d", none.Unaudited, len(reqs))
	}
	short := assurance.Programme{StartOn: "2027-01-01", EndOn: "2027-12-31"}
	if s := short.Slots(); len(s) != 4 || !short.Quarterly() {
		t.Errorf("a one-year programme has slots %v, want four quarters", s)
	}
	if got := assurance.PlanCycle(short, reqs, nil); len(got) != 5 {
		t.Errorf("one-year programme planned %d audits, want 5 (clause 8 by quarter, the system once)", len(got))
	}
}

func TestFrozen(t *testing.T) {
	a := assurance.Audit{Title: "A", State: "report_issued", Origin: "internal", Type: "internal", Summary: "s"}
	s := "changed"
	in := assurance.AuditUpdate{Summary: &s}.Apply(a)
	in.Normalize()
	if got := field(assurance.Frozen(a, in)); got != "summary" {
		t.Errorf("editing an issued report refused %q, want summary", got)
	}
	if got := field(assurance.CheckMove("completed", "report_issued")); got != "state" {
		t.Errorf("moving to report_issued refused %q, want state", got)
	}
	content, sum, err := assurance.Freeze(assurance.Report{Number: "AUD-000001"})
	if err != nil || assurance.Hash(content) != sum || len(sum) != 64 {
		t.Errorf("freeze: %q %q %v", content, sum, err)
	}
}
