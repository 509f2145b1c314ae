package demo_test

import (
	"context"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/areas"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The demo's certification: one body verified and one to verify, an
// active certificate whose first surveillance is done and second booked.
func TestDemoCertification(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	ctx := context.Background()
	a, err := app.New(ctx, db, nil, app.Config{})
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
	if err := demo.LoadCertification(ctx, as.Assurance, db); err != nil {
		t.Fatal(err)
	}
	c := as.Assurance
	bodies, _, err := c.ListCertificationBodies(ctx, access.CLI, store.CertificationBodyFilter{})
	unverified, _, _ := c.ListCertificationBodies(ctx, access.CLI, store.CertificationBodyFilter{UnverifiedSince: c.UnverifiedSince()})
	if err != nil || len(bodies) != 2 || len(unverified) != 1 {
		t.Errorf("bodies %d, to verify %d (%v), want 2 and 1", len(bodies), len(unverified), err)
	}
	certs, _, err := c.ListCertificates(ctx, access.CLI, store.CertificateFilter{State: "active"})
	if err != nil || len(certs) != 1 {
		t.Fatalf("active certificates %d (%v), want 1", len(certs), err)
	}
	s, err := c.CertificateStanding(ctx, access.CLI, certs[0].ID)
	if err != nil || s.Risk != "" || s.Cycle[0].DoneOn == "" || s.Cycle[1].PlannedOn == "" || s.Cycle[1].DoneOn != "" {
		t.Errorf("demo cycle: %+v %v, want the first done, the second booked, no risk", s, err)
	}
}
