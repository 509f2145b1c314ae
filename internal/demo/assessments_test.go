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
	as, _, err := c.ListAssessments(ctx, access.CLI, store.AssessmentFilter{})
	if err != nil || len(as) != 1 {
		t.Fatalf("demo assessments: %d %v, want 1", len(as), err)
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
