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

// The demo's objectives have a year of monthly values, exactly one of
// them below its target now; its processes have owners and maturity; its
// team has one project manager; its RACI has rows for processes and
// clauses.
func TestDemoObjectivesProcessesTeam(t *testing.T) {
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
	all, _, err := c.ListObjectives(ctx, access.CLI, store.ObjectiveFilter{})
	if err != nil || len(all) < 3 {
		t.Fatalf("demo objectives: %d %v, want several", len(all), err)
	}
	for _, o := range all {
		vs, err := c.ValuesOf(ctx, access.CLI, o.ID)
		if err != nil || len(vs) != 12 {
			t.Errorf("%s: %d values (%v), want a year of monthly ones", o.Statement, len(vs), err)
		}
	}
	missed, _, err := c.ListObjectives(ctx, access.CLI, store.ObjectiveFilter{Standing: "missed"})
	if err != nil || len(missed) != 1 {
		t.Errorf("demo objectives missing their target: %d %v, want exactly one", len(missed), err)
	}
	ps, err := c.AllProcesses(ctx, access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	owned, described := 0, 0
	for _, p := range ps {
		if p.OwnerID != nil && p.Maturity > 0 {
			owned++
		}
		if p.DocStatus() == "described" {
			described++
		}
	}
	if owned < 10 || described == 0 {
		t.Errorf("demo processes: %d owned and rated, %d described; want most owned and some described", owned, described)
	}
	pms, _, err := c.ListProjectMembers(ctx, access.CLI, store.ProjectMemberFilter{Role: sms.ProjectManager})
	if err != nil || len(pms) != 1 {
		t.Errorf("demo project managers: %d %v, want one", len(pms), err)
	}
	for _, subject := range []string{"process", "clause"} {
		rows, _, err := c.ListRacis(ctx, access.CLI, store.RaciFilter{Subject: subject})
		if err != nil || len(rows) == 0 {
			t.Errorf("demo RACI rows for a %s: %d %v, want some", subject, len(rows), err)
		}
	}
}
