package demo_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestDemoHasEveryKindOfRecord loads the demo and checks that a newcomer
// finds each kind of record the platform has: every role, customers,
// teams, an API token, and an intact audit trail of it all.
func TestDemoHasEveryKindOfRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, err := app.New(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if err := demo.Load(ctx, a); err != nil {
			t.Fatal(err)
		}
		for _, r := range access.Roles {
			us, _, err := a.ListUsers(ctx, access.CLI, store.UserFilter{Role: r})
			if err != nil || len(us) == 0 {
				t.Errorf("role %s: %d demo users (%v), want at least one", r, len(us), err)
			}
		}
		orgs, _, err := a.ListOrganisations(ctx, access.CLI, store.OrganisationFilter{Kind: "customer"})
		if err != nil || len(orgs) < 2 {
			t.Errorf("%d customer organisations (%v), want several", len(orgs), err)
		}
		teams, _, err := a.ListTeams(ctx, access.CLI, store.TeamFilter{})
		if err != nil || len(teams) == 0 {
			t.Errorf("%d teams (%v), want some", len(teams), err)
		}
		tokens, _, err := a.ListTokens(ctx, access.CLI, store.TokenFilter{})
		if err != nil || len(tokens) == 0 {
			t.Errorf("%d API tokens (%v), want one", len(tokens), err)
		}
		res, err := db.VerifyAudit(ctx)
		if err != nil || res.Problem != nil || res.Entries == 0 {
			t.Errorf("audit trail: %+v, %v", res, err)
		}
	})
}
