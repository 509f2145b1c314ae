package assurance

import (
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

func fieldOf(t *testing.T, err error) string {
	t.Helper()
	e := errs.As(err)
	if e == nil || len(e.Fields) == 0 {
		t.Fatalf("got %v, want a field error", err)
	}
	return e.Fields[0].Field
}

func act(id int64, state string) sms.Action {
	return sms.Action{Meta: record.Meta{ID: id}, State: state}
}

func TestWorkflowToClosure(t *testing.T) {
	today := "2027-03-10"
	n := Nonconformity{Meta: record.Meta{ID: 1}, Severity: "major", Origin: "internal_audit", RaisedOn: "2027-03-01", State: "open"}
	// Not analysed yet: a close names everything missing.
	err := n.Close(today, nil, today)
	if err == nil || !strings.Contains(err.Error(), "correction not recorded; root cause not analysed; no corrective action done; effectiveness not verified") {
		t.Fatalf("early close: got %v", err)
	}
	if err := n.Analyse(AnalysisInput{Method: "category", Category: "process", Summary: "x", AnalysedOn: today}, today); !errs.Is(err, errs.Conflict) {
		t.Fatalf("analysis before correction: got %v, want a conflict", err)
	}
	if f := fieldOf(t, n.Correct(CorrectionInput{Correction: "Restored", CorrectedBy: 2, CorrectedOn: "2027-02-27"}, today)); f != "corrected_on" {
		t.Fatalf("correction before raised: got field %s", f)
	}
	if err := n.Correct(CorrectionInput{Correction: "Restored", CorrectedBy: 2, CorrectedOn: "2027-03-02"}, today); err != nil || n.State != "corrected" {
		t.Fatalf("correct: %v, state %s", err, n.State)
	}
	in := AnalysisInput{Whys: []string{"a", "", "c"}, Summary: "s", AnalysedOn: "2027-03-03"}
	in.Normalize()
	if f := fieldOf(t, n.Analyse(in, today)); f != "whys" {
		t.Fatalf("gap in whys: got field %s", f)
	}
	in = AnalysisInput{Whys: []string{"a", "b"}, AnalysedOn: "2027-03-03"}
	in.Normalize()
	if f := fieldOf(t, n.Analyse(in, today)); f != "cause_summary" {
		t.Fatalf("missing root cause: got field %s", f)
	}
	in.Summary = "No check of the backup job"
	if err := n.Analyse(in, today); err != nil || n.State != "analysed" || len(n.Whys) != 2 {
		t.Fatalf("analyse: %v, %+v", err, n)
	}
	actions := []sms.Action{act(12, "open"), act(13, "in_progress")}
	err = n.Close(today, actions, today)
	if err == nil || !strings.Contains(err.Error(), "2 actions still open: ACT-000012, ACT-000013; effectiveness not verified") {
		t.Fatalf("close with open actions: got %v", err)
	}
	v := VerificationInput{Result: "effective", VerifiedBy: 2, VerifiedOn: "2027-03-09"}
	if f := fieldOf(t, n.Verify(v, actions, today)); f != "verification_result" {
		t.Fatalf("effective with open actions: got field %s", f)
	}
	if f := fieldOf(t, n.Verify(VerificationInput{Result: "not_effective", VerifiedBy: 2, VerifiedOn: "2027-02-01"}, actions, today)); f != "verified_on" {
		t.Fatalf("verified before raised: got field %s", f)
	}
	// Not effective: back to root cause analysis.
	if err := n.Verify(VerificationInput{Result: "not_effective", VerifiedBy: 2, VerifiedOn: "2027-03-04"}, actions, today); err != nil || n.State != "corrected" {
		t.Fatalf("not effective: %v, state %s", err, n.State)
	}
	if err := n.Analyse(in, today); err != nil {
		t.Fatal(err)
	}
	actions = []sms.Action{act(12, "done"), act(13, "cancelled")}
	if got := n.NextStep(actions); got != "verification" {
		t.Fatalf("next step: got %s, want verification", got)
	}
	if err := n.Verify(VerificationInput{Result: "effective", VerifiedBy: 2, VerifiedOn: "2027-03-09"}, actions, today); err != nil || n.State != "verified" {
		t.Fatalf("verify: %v, state %s", err, n.State)
	}
	if f := fieldOf(t, n.Close("2027-03-08", actions, today)); f != "closed_on" {
		t.Fatalf("closed before verified: got field %s", f)
	}
	if err := n.Close(today, actions, today); err != nil || n.State != "closed" {
		t.Fatalf("close: %v, state %s", err, n.State)
	}
	if err := n.CheckUpdate(NonconformityInput{RaisedOn: n.RaisedOn}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("change when closed: got %v", err)
	}
}

func TestClosureNeedsOneActionDone(t *testing.T) {
	n := Nonconformity{State: "verified", CorrectedOn: "2027-01-02", AnalysedOn: "2027-01-03", VerificationResult: "effective"}
	for _, c := range []struct {
		actions []sms.Action
		want    string
	}{
		{nil, "no corrective action done"},
		{[]sms.Action{act(1, "cancelled")}, "no corrective action done"},
		{[]sms.Action{act(1, "cancelled"), act(2, "done")}, ""},
		{[]sms.Action{act(1, "open"), act(2, "done")}, "1 action still open: ACT-000001"},
	} {
		got := strings.Join(n.ClosureGaps(c.actions), "; ")
		if got != c.want {
			t.Errorf("%v: got %q, want %q", c.actions, got, c.want)
		}
	}
}

func TestDeadlines(t *testing.T) {
	d := DefaultNCDeadlines()
	for _, c := range []struct {
		origin, severity, raised, state string
		want                            Deadline
	}{
		{"external_audit", "major", "2027-01-31", "open", Deadline{"plan", "2027-03-02"}},
		{"external_audit", "major", "2027-01-31", "analysed", Deadline{"close", "2027-05-01"}},
		{"external_audit", "minor", "2028-01-31", "verified", Deadline{"close", "2028-07-29"}}, // a leap year
		{"internal_audit", "major", "2027-12-31", "corrected", Deadline{"plan", "2028-01-30"}},
		{"complaint", "minor", "2027-11-30", "analysed", Deadline{"close", "2028-03-29"}},
		{"complaint", "minor", "2027-11-30", "closed", Deadline{}},
	} {
		n := Nonconformity{Origin: c.origin, Severity: c.severity, RaisedOn: c.raised, State: c.state}
		if got := d.Next(n); got != c.want {
			t.Errorf("%s %s %s %s: got %+v, want %+v", c.origin, c.severity, c.raised, c.state, got, c.want)
		}
	}
	n := Nonconformity{Origin: "monitoring", Severity: "major", RaisedOn: "2027-01-31", State: "open"}
	if !d.Overdue(n, "2027-03-03") || d.Overdue(n, "2027-03-02") {
		t.Error("internal major plan: overdue from the day after its 30th day")
	}
	in := d.Input()
	in.InternalMinorClose = 10
	if f := fieldOf(t, in.Validate()); f != "internal_minor_close" {
		t.Errorf("close before plan: got field %s", f)
	}
}

func TestRecurrenceSince(t *testing.T) {
	for day, want := range map[string]string{"2027-03-15": "2026-03-15", "2028-02-29": "2027-03-01", "x": ""} {
		if got := RecurrenceSince(day); got != want {
			t.Errorf("%s: got %s, want %s", day, got, want)
		}
	}
}

func TestRaiseInput(t *testing.T) {
	in := NonconformityInput{Title: "t", Severity: "major", Origin: "external_audit", SourceID: 4, OwnerID: 1, RequirementID: 1, RaisedOn: "2027-01-01"}
	in.Normalize()
	if err := in.Validate("2027-01-02"); err != nil {
		t.Fatalf("a source id with no kind is dropped: %v", err)
	}
	in.RaisedOn = "2027-02-01"
	if f := fieldOf(t, in.Validate("2027-01-02")); f != "raised_on" {
		t.Errorf("raised in the future: got field %s", f)
	}
	in = NonconformityInput{Title: "t", Severity: "grave", OwnerID: 1, RaisedOn: "2027-01-01"}
	in.Normalize()
	e := errs.As(in.Validate("2027-01-02"))
	if e == nil || len(e.Fields) != 2 || e.Fields[0].Field != "severity" || e.Fields[1].Field != "requirement_id" {
		t.Errorf("got %v, want severity and requirement_id", e)
	}
}
