package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The demo's nonconformities: one in every state, a major one from an
// external audit with no source record, one past its deadline, and one
// recurring.
func TestDemoNonconformities(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	ctx := context.Background()
	a, err := app.New(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := smsapp.New(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	c, err := assuranceapp.New(ctx, a, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadSMS(ctx, s, db); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadNonconformities(ctx, c, s, db); err != nil {
		t.Fatal(err)
	}
	ns, _, err := c.ListNonconformities(ctx, access.CLI, assuranceapp.NCQuery{NonconformityFilter: store.NonconformityFilter{Limit: store.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	external, recurring := 0, 0
	for _, n := range ns {
		states[n.State]++
		if n.External() && n.Severity == "major" && n.SourceEntity == "" {
			external++
		}
		if n.RecurrenceOf != 0 {
			recurring++
		}
	}
	for _, st := range []string{"open", "corrected", "analysed", "verified", "closed"} {
		if states[st] == 0 {
			t.Errorf("no demo nonconformity is %s: %v", st, states)
		}
	}
	if external != 1 || recurring != 1 {
		t.Errorf("external majors without a source %d, recurring %d; want one each", external, recurring)
	}
	overdue, _, err := c.ListNonconformities(ctx, access.CLI, assuranceapp.NCQuery{Overdue: true, NonconformityFilter: store.NonconformityFilter{Limit: 10}})
	if err != nil || len(overdue) != 1 {
		t.Errorf("overdue: %d (%v), want one", len(overdue), err)
	}
	for _, n := range ns {
		if n.State != "analysed" {
			continue
		}
		acts, err := c.CorrectiveActions(ctx, access.CLI, n.ID)
		if err != nil || len(acts) < 2 || acts[0].Closed() == acts[1].Closed() {
			t.Errorf("the analysed nonconformity's actions: %v (%v), want one done and one under way", acts, err)
		}
	}
}
