package sms_test

import (
	"context"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Assessments: one made over the built-in framework has a result per
// requirement, made and audited with it; refusals name the field and
// write nothing; results change one at a time with their rules; the
// readiness follows; a delete takes the results along. On both engines.
func TestAssessments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		owner, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "owner@example.com", Name: "Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		agent, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "agent@example.com", Name: "Agent", Role: access.Agent})
		if err != nil {
			t.Fatal(err)
		}
		fws, _, err := c.ListFrameworks(ctx, manager, store.FrameworkFilter{})
		if err != nil || len(fws) != 1 {
			t.Fatalf("the built-in framework: %v %v", fws, err)
		}
		iso := fws[0]
		tree, err := c.Tree(ctx, manager, iso.ID)
		if err != nil {
			t.Fatal(err)
		}

		before, _ := db.CountAudit(ctx)
		for _, bad := range []struct {
			in    sms.AssessmentInput
			field string
		}{
			{sms.AssessmentInput{Title: "Gap analysis", StartedOn: "2026-11-01"}, "framework_id"},
			{sms.AssessmentInput{FrameworkID: 99999, Title: "Gap analysis", StartedOn: "2026-11-01"}, "framework_id"},
			{sms.AssessmentInput{FrameworkID: iso.ID, StartedOn: "2026-11-01"}, "title"},
			{sms.AssessmentInput{FrameworkID: iso.ID, Title: "Gap analysis"}, "started_on"},
			{sms.AssessmentInput{FrameworkID: iso.ID, Title: "Gap analysis", StartedOn: "1/11/2026"}, "started_on"},
			{sms.AssessmentInput{FrameworkID: iso.ID, Title: "Gap analysis", StartedOn: "2026-11-01", State: "done"}, "state"},
		} {
			_, err := c.CreateAssessment(ctx, manager, bad.in)
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != bad.field {
				t.Errorf("create %+v: %v, want a field error on %s", bad.in, err, bad.field)
			}
		}
		if _, err := c.CreateAssessment(ctx, agent.Actor("test"), sms.AssessmentInput{FrameworkID: iso.ID, Title: "x", StartedOn: "2026-11-01"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent creating an assessment: %v, want forbidden", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused creates wrote %d audit entries", after-before)
		}

		asm, err := c.CreateAssessment(ctx, owner.Actor("test"), sms.AssessmentInput{FrameworkID: iso.ID, Title: " Gap analysis ", StartedOn: "2026-11-01"})
		if err != nil {
			t.Fatal(err)
		}
		if asm.Title != "Gap analysis" || asm.State != "open" {
			t.Errorf("made %+v, want the title trimmed and open", asm)
		}
		rs, err := c.ResultsOf(ctx, agent.Actor("test"), asm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != len(tree) {
			t.Fatalf("%d results, want one per requirement (%d)", len(rs), len(tree))
		}
		for i, r := range rs {
			if r.RequirementID != tree[i].ID || r.Status != "not_started" || r.AssessmentID != asm.ID {
				t.Fatalf("result %d: %+v, want requirement %s not started", i, r, tree[i].Code)
			}
		}
		if after, _ := db.CountAudit(ctx); after-before != int64(1+len(tree)) {
			t.Errorf("creating wrote %d audit entries, want %d (the assessment and each result)", after-before, 1+len(tree))
		}
		if got := sms.Tally(rs).Percent(); got != 0 {
			t.Errorf("readiness of a new assessment: %d, want 0", got)
		}

		str := func(s string) *string { return &s }
		num := func(n int64) *int64 { return &n }
		first := rs[0]
		before, _ = db.CountAudit(ctx)
		for _, bad := range []struct {
			up    sms.ResultUpdate
			field string
		}{
			{sms.ResultUpdate{Status: str("done")}, "status"},
			{sms.ResultUpdate{Status: str("not_applicable"), Justification: str("We outsource it")}, "status"},
			{sms.ResultUpdate{Justification: str("Why not")}, "justification"},
			{sms.ResultUpdate{Maturity: num(6)}, "maturity"},
			{sms.ResultUpdate{Maturity: num(-1)}, "maturity"},
			{sms.ResultUpdate{OwnerID: num(99999)}, "owner_id"},
			{sms.ResultUpdate{OwnerID: num(-2)}, "owner_id"},
			{sms.ResultUpdate{Notes: str(strings.Repeat("x", 4001))}, "notes"},
		} {
			_, err := c.UpdateResult(ctx, manager, first.ID, first.Version, bad.up)
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != bad.field {
				t.Errorf("update %+v: %v, want a field error on %s", bad.up, err, bad.field)
			}
		}
		if _, err := c.UpdateResult(ctx, agent.Actor("test"), first.ID, first.Version, sms.ResultUpdate{Status: str("implemented")}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent grading a result: %v, want forbidden", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused updates wrote %d audit entries", after-before)
		}

		got, err := c.UpdateResult(ctx, owner.Actor("test"), first.ID, first.Version, sms.ResultUpdate{Status: str("implemented"), Maturity: num(3), OwnerID: num(owner.ID), Notes: str(" Done ")})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "implemented" || got.Maturity != 3 || got.OwnerID == nil || *got.OwnerID != owner.ID || got.Notes != "Done" || got.Version != first.Version+1 {
			t.Errorf("changed result: %+v", got)
		}
		if _, err := c.UpdateResult(ctx, manager, first.ID, first.Version, sms.ResultUpdate{Maturity: num(1)}); !errs.Is(err, errs.Stale) {
			t.Errorf("stale result update: %v, want stale", err)
		}
		if got, err = c.UpdateResult(ctx, manager, first.ID, 0, sms.ResultUpdate{OwnerID: num(0)}); err != nil || got.OwnerID != nil {
			t.Errorf("taking the owner away: %+v %v", got, err)
		}
		if _, err := c.UpdateResult(ctx, manager, rs[1].ID, rs[1].Version, sms.ResultUpdate{Status: str("partial")}); err != nil {
			t.Fatal(err)
		}
		rs, err = c.ResultsOf(ctx, manager, asm.ID)
		if err != nil {
			t.Fatal(err)
		}
		tally := sms.Tally(rs)
		if tally.Implemented != 1 || tally.Partial != 1 || tally.Applicable() != len(tree) {
			t.Errorf("tally %+v", tally)
		}
		if want := 150 / len(tree); tally.Percent() != want {
			t.Errorf("readiness %d, want %d", tally.Percent(), want)
		}

		// A closed assessment's results stay as they were.
		closed := "closed"
		asm, err = c.UpdateAssessment(ctx, manager, asm.ID, asm.Version, sms.AssessmentUpdate{State: &closed})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.UpdateResult(ctx, manager, rs[2].ID, 0, sms.ResultUpdate{Status: str("partial")}); !errs.Is(err, errs.Conflict) {
			t.Errorf("changing a closed assessment's result: %v, want a conflict", err)
		}

		// Deleting takes every result along, each audited.
		before, _ = db.CountAudit(ctx)
		if err := c.DeleteAssessment(ctx, manager, asm.ID, asm.Version+1); !errs.Is(err, errs.Stale) {
			t.Errorf("stale delete: %v, want stale", err)
		}
		if err := c.DeleteAssessment(ctx, manager, asm.ID, asm.Version); err != nil {
			t.Fatal(err)
		}
		if after, _ := db.CountAudit(ctx); after-before != int64(1+len(tree)) {
			t.Errorf("deleting wrote %d audit entries, want %d", after-before, 1+len(tree))
		}
		if left, _, err := c.ListResults(ctx, manager, store.ResultFilter{AssessmentID: asm.ID}); err != nil || len(left) != 0 {
			t.Errorf("results after the delete: %d %v", len(left), err)
		}
	})
}

// Not applicable is for frameworks that allow exclusions, and then only
// with a justification; a requirement a new version of the framework
// drops takes its results along.
func TestResultExclusions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCatalogue(t, db)
		loaded, err := c.Import(ctx, manager, []byte(demoV1))
		if err != nil {
			t.Fatal(err)
		}
		asm, err := c.CreateAssessment(ctx, manager, sms.AssessmentInput{FrameworkID: loaded.Framework.ID, Title: "Demo", StartedOn: "2026-11-02"})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := c.ResultsOf(ctx, manager, asm.ID)
		if err != nil || len(rs) != 4 {
			t.Fatalf("results: %d %v, want 4", len(rs), err)
		}
		na, why := "not_applicable", "We run no operations of our own"
		if _, err := c.UpdateResult(ctx, manager, rs[3].ID, 0, sms.ResultUpdate{Status: &na}); errs.As(err) == nil || errs.As(err).Fields[0].Field != "justification" {
			t.Errorf("not applicable without a justification: %v, want an error on justification", err)
		}
		got, err := c.UpdateResult(ctx, manager, rs[3].ID, 0, sms.ResultUpdate{Status: &na, Justification: &why})
		if err != nil || got.Status != na || got.Justification != why {
			t.Fatalf("not applicable with a justification: %+v %v", got, err)
		}
		rs[3] = got
		if tally := sms.Tally(rs); tally.Applicable() != 3 || tally.NotApplicable != 1 {
			t.Errorf("tally %+v, want 3 applicable", tally)
		}
		// A closed assessment of the same framework is the record of its
		// day: a new version of the framework leaves it as it was.
		closed, err := c.CreateAssessment(ctx, manager, sms.AssessmentInput{FrameworkID: loaded.Framework.ID, Title: "Earlier", StartedOn: "2026-01-02", State: "closed"})
		if err != nil {
			t.Fatal(err)
		}
		// Version 2 drops 1.2 and adds 2.1: the result of 1.2 goes, the
		// open assessment gets one for 2.1, not started.
		v2 := strings.Replace(demoV1, "      - code: \"1.2\"\n        title: Roles\n", "", 1)
		v2 = strings.Replace(v2, "  - code: \"2\"\n    title: Operation\n", "  - code: \"2\"\n    title: Operation\n    requirements:\n      - code: \"2.1\"\n        title: Planning\n", 1)
		if _, err := c.Import(ctx, manager, []byte(v2)); err != nil {
			t.Fatal(err)
		}
		if rs, err = c.ResultsOf(ctx, manager, asm.ID); err != nil || len(rs) != 4 {
			t.Fatalf("results after 1.2 was dropped and 2.1 added: %d %v, want 4", len(rs), err)
		}
		if last := rs[3]; last.Status != "not_started" {
			t.Errorf("the result for the new requirement: %+v, want not started", last)
		}
		if rs[2].Status != na {
			t.Errorf("the excluded requirement's result: %+v, want it kept", rs[2])
		}
		if old, err := c.ResultsOf(ctx, manager, closed.ID); err != nil || len(old) != 3 {
			t.Errorf("the closed assessment's results: %d %v, want 3 (1.2 gone, nothing added)", len(old), err)
		}
	})
}

func TestReadinessPercent(t *testing.T) {
	for _, c := range []struct {
		r    sms.Readiness
		want int
	}{
		{sms.Readiness{}, 0},
		{sms.Readiness{NotApplicable: 3}, 0},
		{sms.Readiness{Implemented: 4}, 100},
		{sms.Readiness{Implemented: 1, Partial: 1, NotStarted: 2}, 37},
		{sms.Readiness{Implemented: 2, Partial: 2, NotApplicable: 5}, 75},
		{sms.Readiness{Implemented: 76, Partial: 1}, 99},
	} {
		if got := c.r.Percent(); got != c.want {
			t.Errorf("%+v: %d%%, want %d%%", c.r, got, c.want)
		}
	}
}
