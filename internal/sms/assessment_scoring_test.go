package sms

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// tree is a small framework: 4 with 4.1 and 4.2, 4.2 with 4.2.1; and 5.
func testTree() []Requirement {
	id := func(n int64) *int64 { return &n }
	return []Requirement{
		{Meta: meta(1), Code: "4"},
		{Meta: meta(2), Code: "4.1", ParentID: id(1)},
		{Meta: meta(3), Code: "4.2", ParentID: id(1)},
		{Meta: meta(4), Code: "4.2.1", ParentID: id(3)},
		{Meta: meta(5), Code: "5"},
	}
}

func meta(id int64) record.Meta { return record.Meta{ID: id} }

func results(statuses ...string) []Result {
	out := make([]Result, len(statuses))
	for i, s := range statuses {
		out[i] = Result{RequirementID: int64(i + 1), Status: s}
	}
	return out
}

func TestScore(t *testing.T) {
	s := Score(testTree(), results("implemented", "partial", "not_started", "implemented", "not_applicable"))
	if got := s.Overall; got != (Readiness{Implemented: 2, Partial: 1, NotStarted: 1, NotApplicable: 1}) || got.Percent() != 62 {
		t.Errorf("overall %+v (%d%%), want 2 implemented, 1 partial, 1 not started, 1 not applicable: (2 + ½) ÷ 4 = 62%%", got, got.Percent())
	}
	for _, c := range []struct {
		id   int64
		want int
	}{
		{1, 62}, // 4: itself, 4.1, 4.2 and 4.2.1
		{2, 50}, // 4.1 alone, partly
		{3, 50}, // 4.2 not started and 4.2.1 implemented
		{4, 100},
		{5, 0}, // not applicable: nothing applies
	} {
		if got := s.ByRequirement[c.id].Percent(); got != c.want {
			t.Errorf("readiness of requirement %d: %d%%, want %d%%", c.id, got, c.want)
		}
	}
	if len(s.Clauses) != 2 || s.Clauses[0].Requirement.Code != "4" || s.Clauses[0].Readiness.Percent() != 62 || s.Clauses[1].Readiness.Applicable() != 0 {
		t.Errorf("clauses %+v, want 4 at 62%% and 5 with nothing applicable", s.Clauses)
	}
	if got := Score(testTree(), nil); got.Overall.Percent() != 0 || len(got.Clauses) != 2 {
		t.Errorf("no results: %+v", got)
	}
}

func TestReadinessPercentRoundsDown(t *testing.T) {
	// 19 implemented and 23 partly of 77: (19 + 11.5) ÷ 77 = 39.6 %, shown 39.
	if got := (Readiness{Implemented: 19, Partial: 23, NotStarted: 35}).Percent(); got != 39 {
		t.Errorf("got %d%%, want 39%%", got)
	}
	if got := (Readiness{Implemented: 76, Partial: 1}).Percent(); got != 99 {
		t.Errorf("all but one half: got %d%%, want 99%% (100 only when all are implemented)", got)
	}
}

func TestSetAnswers(t *testing.T) {
	qs := []string{"Is there a policy?", "Is it approved?", "Is it communicated?"}
	s := func(v string) *string { return &v }
	var r Result
	if err := r.SetAnswers(qs, []AnswerChange{{N: 2, Reply: s("yes"), Note: s("  Signed in March ")}, {N: 1, Reply: s("partly")}}); err != nil {
		t.Fatal(err)
	}
	want := Answers{{N: 1, Question: qs[0], Reply: "partly"}, {N: 2, Question: qs[1], Reply: "yes", Note: "Signed in March"}}
	if diff := cmp.Diff(want, r.Answers); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
	if r.Answered(qs) || r.Answers.Replied(qs) != 2 {
		t.Errorf("two of three replied: answered %v, replied %d", r.Answered(qs), r.Answers.Replied(qs))
	}
	before := r.Answers
	// Taking a reply away keeps the note; taking both away removes it.
	if err := r.SetAnswers(qs, []AnswerChange{{N: 2, Reply: s("")}, {N: 1, Reply: s("")}, {N: 3, Reply: s("no")}}); err != nil {
		t.Fatal(err)
	}
	want = Answers{{N: 2, Question: qs[1], Note: "Signed in March"}, {N: 3, Question: qs[2], Reply: "no"}}
	if diff := cmp.Diff(want, r.Answers); diff != "" {
		t.Errorf("answers after taking replies away (-want +got):\n%s", diff)
	}
	if before[1].Reply != "yes" {
		t.Errorf("the answers read before the change were changed in place: %+v", before)
	}
	for _, bad := range []struct {
		change AnswerChange
		reason string
	}{
		{AnswerChange{N: 4, Reply: s("yes")}, "no such question"},
		{AnswerChange{N: 0, Reply: s("yes")}, "no such question"},
		{AnswerChange{N: 1, Reply: s("maybe")}, "yes, partly or no"},
		{AnswerChange{N: 1, Note: s(strings.Repeat("x", MaxAnswerNote+1))}, "at most 2000"},
	} {
		kept := r.Answers
		err := r.SetAnswers(qs, []AnswerChange{bad.change})
		if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "answers" || !strings.Contains(e.Fields[0].Reason, bad.reason) {
			t.Errorf("%+v: got %v, want an error on answers saying %q", bad.change, err, bad.reason)
		}
		if diff := cmp.Diff(kept, r.Answers); diff != "" {
			t.Errorf("%+v: a refused change changed the answers:\n%s", bad.change, diff)
		}
	}
	// A result of a requirement without questions is answered once it
	// has a status.
	if (Result{Status: "not_started"}).Answered(nil) || !(Result{Status: "partial"}).Answered(nil) {
		t.Error("a requirement without questions: answered only with a status")
	}
}

func TestAnswersForReworded(t *testing.T) {
	as := Answers{{N: 1, Question: "Old first", Reply: "no"}, {N: 2, Question: "Kept", Reply: "yes"}}
	// The guidance now has a new first question and "Kept" moved to 3.
	if got := as.For(3, "Kept"); got.Reply != "yes" || got.N != 3 {
		t.Errorf("a moved question: %+v, want its answer under its new number", got)
	}
	if got := as.For(1, "New first"); got.Reply != "" {
		t.Errorf("a new question: %+v, want no answer", got)
	}
	var back Answers
	v, _ := as.Value()
	if err := back.Scan(v); err != nil || !cmp.Equal(as, back) {
		t.Errorf("stored and read back: %+v %v", back, err)
	}
	if err := back.Scan([]byte("[]")); err != nil || back == nil || len(back) != 0 {
		t.Errorf("no answers read back: %#v %v", back, err)
	}
}

func TestCompare(t *testing.T) {
	tree := testTree()
	before := []Result{
		{RequirementID: 1, Status: "partial", Maturity: 2},
		{RequirementID: 2, Status: "implemented", Maturity: 3},
		{RequirementID: 3, Status: "partial", Maturity: 2},
		{RequirementID: 5, Status: "not_started"},
	}
	after := []Result{
		{RequirementID: 1, Status: "implemented", Maturity: 3}, // progress
		{RequirementID: 2, Status: "partial", Maturity: 3},     // regression
		{RequirementID: 3, Status: "partial", Maturity: 3},     // progress: same status, higher maturity
		{RequirementID: 4, Status: "not_started"},              // new: the earlier one did not cover it
		{RequirementID: 5, Status: "not_started"},              // the same
	}
	c := Compare(tree, before, after)
	var got []Movement
	for _, r := range c.Requirements {
		got = append(got, r.Movement)
	}
	if diff := cmp.Diff([]Movement{Progress, Regression, Progress, New, Same}, got); diff != "" {
		t.Errorf("movements (-want +got):\n%s", diff)
	}
	if want := (MovementCounts{Progress: 2, Regression: 1, Same: 1, New: 1}); c.Counts != want {
		t.Errorf("counts %+v, want %+v", c.Counts, want)
	}
	if c.Before.Percent() != 50 || c.After.Percent() != 40 {
		t.Errorf("overall %d%% → %d%%, want 50%% → 40%%", c.Before.Percent(), c.After.Percent())
	}
	if len(c.Clauses) != 2 || c.Clauses[0].Counts.Regression != 1 || c.Clauses[0].Counts.Progress != 2 || c.Clauses[0].Delta() != -16 {
		t.Errorf("clause 4: %+v (delta %d), want 2 progress, 1 regression, 66%% → 50%%", c.Clauses[0], c.Clauses[0].Delta())
	}
	for _, m := range []struct {
		b, a Result
		want Movement
	}{
		{Result{Status: "implemented"}, Result{Status: "not_applicable"}, Changed},
		{Result{Status: "not_applicable", Maturity: 1}, Result{Status: "not_applicable", Maturity: 3}, Progress},
		{Result{Status: "implemented", Maturity: 4}, Result{Status: "implemented", Maturity: 2}, Regression},
	} {
		if got := Move(m.b, m.a); got != m.want {
			t.Errorf("%+v → %+v: %s, want %s", m.b, m.a, got, m.want)
		}
	}
}
