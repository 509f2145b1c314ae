package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/areas"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The demo's management review: one held with its frozen pack (every
// input a to k present, the hash that of the stored text) and two output
// actions, the next planned on the day its interval gives; five
// improvements, each in a different state.
func TestDemoReviews(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	ctx := context.Background()
	a, err := app.New(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	as, err := areas.Add(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadSMS(ctx, as.SMS, db); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadReviews(ctx, as.Assurance, as.SMS, db); err != nil {
		t.Fatal(err)
	}
	c := as.Assurance
	held, _, err := c.ListManagementReviews(ctx, access.CLI, store.ManagementReviewFilter{State: "held"})
	if err != nil || len(held) != 1 {
		t.Fatalf("held reviews: %d (%v), want 1", len(held), err)
	}
	r := held[0]
	if r.PackHash != assurance.HashPack(r.Pack) || r.Minutes == "" || len(r.Decisions) == 0 {
		t.Errorf("the held review's hash, minutes or decisions: %+v", r)
	}
	pack, err := assurance.DecodePack(r.Pack)
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]bool{}
	for _, s := range pack.Sections {
		inputs[s.Input] = true
		if s.Query == "" || (s.Empty == "" && len(s.Rows) == 0 && len(s.Facts) == 0) {
			t.Errorf("section %s says neither where it came from nor what it holds: %+v", s.Key, s)
		}
	}
	if len(inputs) != 11 {
		t.Errorf("the pack answers inputs %v, want a to k", inputs)
	}
	if acts, _, err := c.ReviewActions(ctx, access.CLI, "review", r.ID); err != nil || len(acts) != 2 {
		t.Errorf("output actions: %d (%v), want 2", len(acts), err)
	}
	next, _, err := c.ListManagementReviews(ctx, access.CLI, store.ManagementReviewFilter{State: "planned"})
	if err != nil || len(next) != 1 || next[0].PlannedOn != r.NextDue() {
		t.Errorf("the next review: %+v (%v), want one planned on %s", next, err, r.NextDue())
	}
	is, _, err := c.ListImprovements(ctx, access.CLI, store.ImprovementFilter{})
	states := map[string]bool{}
	for _, i := range is {
		states[i.State] = true
	}
	if err != nil || len(is) != 5 || len(states) != 5 {
		t.Errorf("improvements: %d in states %v (%v), want five in five states", len(is), states, err)
	}
}
