package assurance_test

import (
	"context"
	"os"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// withAreas starts the App with the management system's area and this
// one, and a provider organisation, as a new install has them.
func withAreas(t *testing.T, db *store.DB) (*app.App, *smsapp.Catalogue, *assuranceapp.Catalogue) {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, db, nil, app.Config{})
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
	if _, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Provider", Kind: account.Provider}); err != nil {
		t.Fatal(err)
	}
	return a, s, c
}
