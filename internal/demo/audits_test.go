package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/areas"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The demo's audits: a programme covering every requirement, one internal
// audit worked to its issued report with one finding of each kind (two
// minor), and the certification body's stage 1 planned and shared with
// its lead auditor.
func TestDemoAudits(t *testing.T) {
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
	if err := demo.LoadCertification(ctx, as.Assurance, db); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadAudits(ctx, as.Assurance, db); err != nil {
		t.Fatal(err)
	}
	c, actor := as.Assurance, access.CLI
	progs, _, err := c.ListProgrammes(ctx, actor, store.AuditProgrammeFilter{})
	if err != nil || len(progs) != 1 {
		t.Fatalf("programmes: %d (%v), want one", len(progs), err)
	}
	cov, err := c.Coverage(ctx, actor, progs[0].ID)
	if err != nil || cov.Unaudited != 0 {
		t.Errorf("unaudited requirements: %d (%v), want none", cov.Unaudited, err)
	}
	issued, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{State: "report_issued"})
	if err != nil || len(issued) != 1 || len(issued[0].ReportSHA256) != 64 {
		t.Fatalf("audits with an issued report: %+v (%v), want one with its hash", issued, err)
	}
	rp, err := c.Report(ctx, actor, issued[0].ID)
	if err != nil || !rp.Intact {
		t.Errorf("report intact %v (%v), want its hash to match", rp.Intact, err)
	}
	fs, _, err := c.ListFindings(ctx, actor, store.FindingFilter{AuditID: issued[0].ID})
	kinds := map[string]int{}
	for _, f := range fs {
		kinds[f.Type]++
	}
	if err != nil || kinds["major_nc"] != 1 || kinds["minor_nc"] != 2 || kinds["observation"] != 1 || kinds["ofi"] != 1 {
		t.Errorf("findings by type %v (%v), want one major, two minor, an observation and an OFI", kinds, err)
	}
	stage1, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{Type: "stage1", State: "planned"})
	if err != nil || len(stage1) != 1 || stage1[0].BodyID == nil {
		t.Fatalf("planned stage 1 audits: %+v (%v), want one naming its body", stage1, err)
	}
	if b, err := c.GetCertificationBody(ctx, actor, *stage1[0].BodyID); err != nil || b.NeedsVerification(c.Today()) {
		t.Errorf("the stage 1 audit's body %+v (%v), want the verified one", b, err)
	}
	// Its lead auditor reads it today, and sees its evidence.
	quinn, err := db.UserByEmail(ctx, "quinn.harper@certify.example")
	if err != nil {
		t.Fatal(err)
	}
	shared, err := c.SharedAudits(ctx, quinn.Actor("test"))
	if err != nil || len(shared) != 1 || len(stage1) != 1 || shared[0].Audit.ID != stage1[0].ID {
		t.Fatalf("audits shared with the certification body's auditor: %+v (%v), want the stage 1 audit", shared, err)
	}
	if v, err := c.SharedAuditView(ctx, quinn.Actor("test"), stage1[0].ID); err != nil || len(v.Evidence) == 0 || len(v.Checklist) == 0 {
		t.Errorf("the shared stage 1 audit: %d evidence, %d lines (%v), want some of each", len(v.Evidence), len(v.Checklist), err)
	}
	// Planning the cycle again plans nothing.
	if again, err := c.GenerateAudits(ctx, actor, progs[0].ID); err != nil || len(again) != 0 {
		t.Errorf("planning again made %d audits (%v), want none", len(again), err)
	}
}
