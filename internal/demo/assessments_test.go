package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The demo's gap analysis covers the built-in framework with a realistic
// mix: some of every status a framework without exclusions allows, each
// result owned, readiness half-way.
func TestDemoAssessment(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	ctx := context.Background()
	a, err := app.New(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := smsapp.New(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadSMS(ctx, c, db); err != nil {
		t.Fatal(err)
	}
	as, _, err := c.ListAssessments(ctx, access.CLI, store.AssessmentFilter{State: "open"})
	if err != nil || len(as) != 1 {
		t.Fatalf("open demo assessments: %d %v, want 1", len(as), err)
	}
	rs, err := c.ResultsOf(ctx, access.CLI, as[0].ID)
	if err != nil || len(rs) != 77 {
		t.Fatalf("demo results: %d %v, want 77", len(rs), err)
	}
	tally := sms.Tally(rs)
	if tally.Implemented < 10 || tally.Partial < 10 || tally.NotStarted < 10 || tally.NotApplicable != 0 {
		t.Errorf("demo mix %+v, want at least ten of each status and none excluded", tally)
	}
	if p := tally.Percent(); p < 30 || p > 70 {
		t.Errorf("demo readiness %d%%, want half-way", p)
	}
	for _, r := range rs {
		if r.OwnerID == nil {
			t.Errorf("result %d has no owner", r.ID)
		}
	}
}

// The demo also has the first gap analysis, closed months before the
// current one, so that comparing them shows progress and a regression
// or two; the current one has answers to some questions.
func TestDemoEarlierAssessment(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	ctx := context.Background()
	a, err := app.New(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := smsapp.New(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadSMS(ctx, c, db); err != nil {
		t.Fatal(err)
	}
	closed, _, err := c.ListAssessments(ctx, access.CLI, store.AssessmentFilter{State: "closed"})
	if err != nil || len(closed) != 1 {
		t.Fatalf("closed demo assessments: %d %v, want 1", len(closed), err)
	}
	open, _, err := c.ListAssessments(ctx, access.CLI, store.AssessmentFilter{State: "open"})
	if err != nil || len(open) != 1 {
		t.Fatalf("open demo assessments: %d %v, want 1", len(open), err)
	}
	if closed[0].StartedOn >= open[0].StartedOn {
		t.Errorf("the closed assessment started %s, not before the current one (%s)", closed[0].StartedOn, open[0].StartedOn)
	}
	cmp, err := c.Compare(ctx, access.CLI, open[0].ID, closed[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Counts.Progress < 10 || cmp.Counts.Regression < 1 || cmp.Counts.Regression > 3 {
		t.Errorf("demo comparison %+v, want progress on many requirements and a regression or two", cmp.Counts)
	}
	if cmp.Comparison.After.Percent() <= cmp.Comparison.Before.Percent() {
		t.Errorf("readiness %d%% then, %d%% now: want progress", cmp.Comparison.Before.Percent(), cmp.Comparison.After.Percent())
	}
	rp, err := c.Report(ctx, access.CLI, open[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	answered := 0
	for _, r := range rp.Results {
		if r.Answered(rp.Requirements[r.RequirementID].QuestionList()) {
			answered++
		}
		if q := rp.Requirements[r.RequirementID]; q.Code == "8.6.1" && (len(r.Answers) > 0 || r.Status == "implemented") {
			t.Errorf("8.6.1 is answered or implemented in the demo; the browser flow works it from the start")
		}
	}
	if answered < 10 || answered > 40 {
		t.Errorf("%d requirements answered in the demo, want some but far from all", answered)
	}
}
