package assurance

import (
	"testing"
)

func TestPriority(t *testing.T) {
	for _, tc := range []struct {
		b, e, r, a int64
		want       int64
		band       string
	}{
		{0, 3, 3, 3, 0, ""},
		{5, 1, 1, 5, 30, "high"},
		{1, 5, 5, 1, 6, "low"},
		{4, 2, 2, 4, 24, "high"},
		{3, 3, 3, 3, 18, "medium"},
		{2, 4, 4, 2, 12, "low"},
	} {
		i := Improvement{Benefit: tc.b, Effort: tc.e, Risk: tc.r, Alignment: tc.a}
		if got := i.Priority(); got != tc.want {
			t.Errorf("priority of %+v: got %d, want %d", tc, got, tc.want)
		}
		if got := i.PriorityBand(); got != tc.band {
			t.Errorf("band of %+v: got %q, want %q", tc, got, tc.band)
		}
	}
}

func TestImprovementStates(t *testing.T) {
	i := Improvement{State: "submitted", SubmittedOn: "2027-01-10"}
	if f := fieldOf(t, i.CanMove("approved")); f != "state" {
		t.Errorf("approving a submitted opportunity names %s, want state", f)
	}
	if f := fieldOf(t, i.CanMove("evaluated")); f != "benefit" {
		t.Errorf("evaluating without scores names %s, want benefit", f)
	}
	i.Benefit, i.Effort, i.Risk, i.Alignment = 4, 2, 2, 4
	if err := i.CanMove("evaluated"); err != nil {
		t.Fatal(err)
	}
	i.State = "evaluated"
	if err := i.CanMove("approved"); err != nil {
		t.Fatal(err)
	}
	if f := fieldOf(t, i.CheckDecisionDay("2027-01-09")); f != "approved_on" {
		t.Errorf("a decision before the submission names %s", f)
	}
	i.State = "implemented"
	if f := fieldOf(t, i.CanMove("confirmed")); f != "realised_benefit" {
		t.Errorf("confirming without a realised benefit names %s", f)
	}
	// A criterion out of 1 to 5 is refused naming it.
	in := ImprovementInput{Title: "x", Source: "other", SubmittedBy: 1, SubmittedOn: "2027-01-10", Effort: 6}
	if f := fieldOf(t, in.Validate("2027-02-01")); f != "effort" {
		t.Errorf("effort 6 names %s", f)
	}
	// The evaluation is fixed once decided.
	seven := int64(3)
	if _, err := (ImprovementUpdate{Benefit: &seven}).Apply(Improvement{State: "approved", Benefit: 4}); fieldOf(t, err) != "benefit" {
		t.Errorf("changing an approved evaluation: %v", err)
	}
}

func TestReviewPackFreezes(t *testing.T) {
	r := ManagementReview{State: "planned", PlannedOn: "2027-03-01", IntervalMonths: 6}
	if f := fieldOf(t, r.CanHold("2027-03-01", "2027-03-02")); f != "state" {
		t.Errorf("holding a planned review names %s, want state", f)
	}
	pack := ReviewPack{AssembledOn: "2027-02-20", Sections: []PackSection{{Input: "a", Key: "earlier_actions", Title: "T", Empty: "None."}}}
	text, err := pack.Encode()
	if err != nil {
		t.Fatal(err)
	}
	r.State, r.Pack, r.PreparedOn = "prepared", text, "2027-02-20"
	if f := fieldOf(t, r.CanHold("2027-02-19", "2027-03-02")); f != "held_on" {
		t.Errorf("holding before the pack was assembled names %s", f)
	}
	if f := fieldOf(t, r.CanHold("2027-03-03", "2027-03-02")); f != "held_on" {
		t.Errorf("holding in the future names %s", f)
	}
	if err := r.CanHold("2027-03-01", "2027-03-02"); err != nil {
		t.Fatal(err)
	}
	r.State, r.HeldOn, r.PackHash = "held", "2027-03-01", HashPack(r.Pack)
	if len(r.PackHash) != 64 || HashPack(text) != r.PackHash {
		t.Errorf("hash %q is not the SHA-256 of the stored text", r.PackHash)
	}
	other := text + " "
	if _, err := (ReviewUpdate{Pack: &other}).Apply(r); fieldOf(t, err) != "pack" {
		t.Errorf("editing a held review's pack: %v", err)
	}
	if err := r.CanPrepare(); fieldOf(t, err) != "state" {
		t.Errorf("preparing a held review again: %v", err)
	}
	if got := r.NextDue(); got != "2027-09-01" {
		t.Errorf("next review due %s, want 2027-09-01", got)
	}
	back, err := DecodePack(r.Pack)
	if err != nil || len(back.Sections) != 1 || back.Sections[0].Empty != "None." {
		t.Errorf("decoded %+v, %v", back, err)
	}
	if f := fieldOf(t, (ReviewInput{Title: "x", PlannedOn: "2027-13-01", ChairID: 1, IntervalMonths: 12}).Validate()); f != "planned_on" {
		t.Errorf("a bad planned day names %s", f)
	}
}
