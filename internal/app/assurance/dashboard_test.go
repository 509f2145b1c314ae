package assurance_test

import (
	"context"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The dashboard reads its figures from the records: readiness of each
// assessment in order, open nonconformities by age, overdue actions, the
// programme's coverage and the next certification event.
func TestDashboardFollowsTheRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, s, c := withAreas(t, db)
		mgr, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "mgr@example.com", Name: "Manager", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		actor := mgr.Actor("session")
		day := func(d int) string { return time.Now().UTC().AddDate(0, 0, d).Format(time.DateOnly) }

		d, err := c.Dashboard(ctx, actor)
		if err != nil {
			t.Fatal(err)
		}
		if d.Assessed || len(d.Trend) != 0 || d.ProgrammeID != 0 || d.Next.Day != "" || d.OpenActions != 0 {
			t.Errorf("a new install's dashboard: %+v", d)
		}

		fws, _, err := s.ListFrameworks(ctx, actor, store.FrameworkFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for i, title := range []string{"Baseline", "Follow-up"} {
			if _, err := s.CreateAssessment(ctx, actor, sms.AssessmentInput{FrameworkID: fws[0].ID, Title: title, StartedOn: day(i - 10)}); err != nil {
				t.Fatal(err)
			}
		}
		reqs, _, err := s.ListRequirements(ctx, actor, store.RequirementFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateNonconformity(ctx, actor, assurance.NonconformityInput{Title: "Old", Severity: "major", RaisedOn: day(-100), RequirementID: reqs[0].ID, OwnerID: mgr.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateNonconformity(ctx, actor, assurance.NonconformityInput{Title: "New", Severity: "minor", RaisedOn: day(-2), RequirementID: reqs[0].ID, OwnerID: mgr.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateAction(ctx, actor, sms.ActionInput{Title: "Late", OwnerID: mgr.ID, DueOn: day(-1)}); err != nil {
			t.Fatal(err)
		}
		p, err := c.CreateProgramme(ctx, actor, assurance.ProgrammeInput{Title: "Cycle", StartOn: day(-30), EndOn: day(1000), OwnerID: mgr.ID})
		if err != nil {
			t.Fatal(err)
		}
		certa, err := c.CreateCertificationBody(ctx, actor, assurance.BodyInput{Name: "Certa"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateAudit(ctx, actor, assurance.AuditInput{ProgrammeID: &p.ID, Title: "Stage 1", Origin: "external", Type: "stage1", BodyID: &certa.ID,
			RequirementIDs: []int64{reqs[0].ID}, PlannedStart: day(20), PlannedEnd: day(21)}); err != nil {
			t.Fatal(err)
		}

		if d, err = c.Dashboard(ctx, actor); err != nil {
			t.Fatal(err)
		}
		if !d.Assessed || len(d.Trend) != 2 || d.Trend[0].Title != "Baseline" || d.Trend[1].Title != "Follow-up" || d.Readiness != d.Trend[1].Percent {
			t.Errorf("readiness trend: %+v, readiness %d", d.Trend, d.Readiness)
		}
		if d.NCs["major"] != (assurance.AgeBuckets{Older: 1}) || d.NCs["minor"] != (assurance.AgeBuckets{Under30: 1}) {
			t.Errorf("nonconformities by age: %+v", d.NCs)
		}
		if d.OverdueActions != 1 || d.OpenActions < 1 {
			t.Errorf("actions: %d overdue of %d", d.OverdueActions, d.OpenActions)
		}
		if d.ProgrammeID != p.ID || d.Requirements == 0 || d.Audited == 0 || d.Audited >= d.Requirements {
			t.Errorf("programme coverage: %d of %d in %d", d.Audited, d.Requirements, d.ProgrammeID)
		}
		if d.Next.What != "Stage 1" || d.Next.Day != day(20) || d.Next.Days != 20 {
			t.Errorf("next event: %+v, want the stage 1 audit in 20 days", d.Next)
		}
		if _, err := c.Dashboard(ctx, access.Actor{UserID: 99, Role: access.Requester, OrgID: 1}); err == nil {
			t.Errorf("a requester read the dashboard")
		}
	})
}
