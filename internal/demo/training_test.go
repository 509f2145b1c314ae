package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The demo's training records: competences required by role and by team,
// one expired certificate, a direct assessment, gaps of each kind, and a
// coverage neither empty nor complete.
func TestDemoTraining(t *testing.T) {
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
	today := time.Now().UTC().Format(time.DateOnly)
	expired, _, err := c.ListCompletions(ctx, access.CLI, store.CompletionFilter{ExpiredBefore: today})
	if err != nil || len(expired) != 1 {
		t.Errorf("expired certificates: %d (%v), want exactly one", len(expired), err)
	}
	m, err := c.Matrix(ctx, access.CLI, today)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	through := map[string]int{}
	for _, row := range m.Cells {
		for _, cell := range row {
			states[cell.State]++
			if cell.State == sms.Held {
				through[cell.Through]++
			}
		}
	}
	for _, s := range []string{sms.Held, sms.GapMissing, sms.GapExpired, sms.NotRequired} {
		if states[s] == 0 {
			t.Errorf("the demo matrix has no cell %s: %v", s, states)
		}
	}
	if through["appraisal"] != 1 || through["course"] == 0 {
		t.Errorf("held through %v, want courses and one direct assessment", through)
	}
	if p := m.Coverage().Percent(); p < 50 || p >= 100 {
		t.Errorf("demo training coverage %d %%, want most held and some gaps", p)
	}
}
