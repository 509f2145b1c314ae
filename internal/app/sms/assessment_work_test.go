package sms_test

import (
	"context"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Answers to a requirement's questions are saved one at a time with the
// result, each change audited with the answers before and after, read
// back the same on both engines; a question the requirement lacks is
// refused and writes nothing; a closed assessment's answers stay. Two
// assessments compare, the earlier first whichever way they are named;
// one of another framework, or the same one, is refused on "with".
func TestAnswersAndComparison(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, c := newArea(t, db)
		fws, _, err := c.ListFrameworks(ctx, manager, store.FrameworkFilter{})
		if err != nil || len(fws) != 1 {
			t.Fatalf("the built-in framework: %v %v", fws, err)
		}
		iso := fws[0].ID
		earlier, err := c.CreateAssessment(ctx, manager, sms.AssessmentInput{FrameworkID: iso, Title: "Last year", StartedOn: "2025-11-01"})
		if err != nil {
			t.Fatal(err)
		}
		asm, err := c.CreateAssessment(ctx, manager, sms.AssessmentInput{FrameworkID: iso, Title: "This year", StartedOn: "2026-11-01"})
		if err != nil {
			t.Fatal(err)
		}
		rp, err := c.Report(ctx, manager, asm.ID)
		if err != nil {
			t.Fatal(err)
		}
		var res sms.Result
		var questions []string
		for _, r := range rp.Results {
			if rp.Requirements[r.RequirementID].Code == "8.6.1" {
				res, questions = r, rp.Requirements[r.RequirementID].QuestionList()
			}
		}
		if len(questions) < 3 {
			t.Fatalf("8.6.1 has %d questions, want at least 3", len(questions))
		}
		yes, note := "yes", "Seen in the incident tool"
		got, err := c.UpdateResult(ctx, manager, res.ID, res.Version, sms.ResultUpdate{Answers: []sms.AnswerChange{{N: 2, Reply: &yes, Note: &note}}})
		if err != nil {
			t.Fatal(err)
		}
		partly := "partly"
		if got, err = c.UpdateResult(ctx, manager, res.ID, got.Version, sms.ResultUpdate{Answers: []sms.AnswerChange{{N: 1, Reply: &partly}}}); err != nil {
			t.Fatal(err)
		}
		read, err := c.GetResult(ctx, manager, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(read.Answers) != 2 || read.Answers[0].Reply != "partly" || read.Answers[1].Note != note || read.Answers[1].Question != questions[1] {
			t.Errorf("answers read back: %+v", read.Answers)
		}
		if read.Version != res.Version+2 {
			t.Errorf("version %d, want %d: each answer saved as it was given", read.Version, res.Version+2)
		}
		entries, _, err := db.ListAudit(ctx, store.AuditFilter{Entity: sms.ResultKind.Entity, EntityID: res.ID, Action: audit.Update})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 {
			t.Fatalf("%d audit entries for the result's changes, want 2", len(entries))
		}
		if d := entries[0].Diff; !strings.Contains(d, `"answers"`) || !strings.Contains(d, "partly") || !strings.Contains(d, note) {
			t.Errorf("the last audit entry does not record the answers before and after: %s", d)
		}

		before, _ := db.CountAudit(ctx)
		no := "no"
		_, err = c.UpdateResult(ctx, manager, res.ID, 0, sms.ResultUpdate{Answers: []sms.AnswerChange{{N: len(questions) + 1, Reply: &no}}})
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Fields[0].Field != "answers" {
			t.Errorf("an answer to a question the requirement lacks: %v, want invalid on answers", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("a refused answer wrote %d audit entries", after-before)
		}

		// Compare: the earlier assessment had 8.6.1 implemented; now it is
		// partly: a regression. Another requirement goes forward.
		impl, part := "implemented", "partial"
		ers, _ := c.ResultsOf(ctx, manager, earlier.ID)
		for _, r := range ers {
			if r.RequirementID == res.RequirementID {
				if _, err := c.UpdateResult(ctx, manager, r.ID, 0, sms.ResultUpdate{Status: &impl}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := c.UpdateResult(ctx, manager, res.ID, 0, sms.ResultUpdate{Status: &part}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.UpdateResult(ctx, manager, rp.Results[0].ID, 0, sms.ResultUpdate{Status: &impl}); err != nil {
			t.Fatal(err)
		}
		for _, order := range [][2]int64{{asm.ID, earlier.ID}, {earlier.ID, asm.ID}} {
			cmp, err := c.Compare(ctx, manager, order[0], order[1])
			if err != nil {
				t.Fatal(err)
			}
			if cmp.Before.ID != earlier.ID || cmp.After.ID != asm.ID {
				t.Errorf("compare %v: before %d after %d, want the earlier (%d) first", order, cmp.Before.ID, cmp.After.ID, earlier.ID)
			}
			if cmp.Counts.Progress != 1 || cmp.Counts.Regression != 1 || cmp.Counts.Same != len(rp.Results)-2 {
				t.Errorf("compare %v: counts %+v, want 1 progress, 1 regression, the rest the same", order, cmp.Counts)
			}
		}
		if _, err := c.Compare(ctx, manager, asm.ID, asm.ID); !isField(err, "with") {
			t.Errorf("compare with itself: %v, want an error on with", err)
		}
		if _, err := c.Compare(ctx, manager, asm.ID, 99999); !isField(err, "with") {
			t.Errorf("compare with none: %v, want an error on with", err)
		}

		closed := "closed"
		if _, err := c.UpdateAssessment(ctx, manager, asm.ID, 0, sms.AssessmentUpdate{State: &closed}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.UpdateResult(ctx, manager, res.ID, 0, sms.ResultUpdate{Answers: []sms.AnswerChange{{N: 1, Reply: &no}}}); !errs.Is(err, errs.Conflict) {
			t.Errorf("answering in a closed assessment: %v, want a conflict", err)
		}
	})
}

func isField(err error, field string) bool {
	e := errs.As(err)
	return e != nil && e.Code == errs.Invalid && len(e.Fields) > 0 && e.Fields[0].Field == field
}
