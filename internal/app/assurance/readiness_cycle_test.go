package assurance_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The stage 1 checks of the cycle: an internal audit of clauses 4 to 7
// leaves 8 to 10 unaudited, a second of 8 to 10 covers them all; a
// management review held after it passes; a body accredited for ISO/IEC
// 20000-1 passes once verified.
func TestReadinessOfTheCycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, s, c := withAreas(t, db)
		mgr, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "mgr@example.com", Name: "Manager", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		boss, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "boss@example.com", Name: "Boss", Role: access.TopManagement})
		if err != nil {
			t.Fatal(err)
		}
		actor := mgr.Actor("session")
		today := time.Now().UTC().Format(time.DateOnly)
		check := func(key string) assurance.ReadinessCheck {
			t.Helper()
			r, err := c.Readiness(ctx, actor)
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range r.Checks {
				if ch.Key == key {
					return ch
				}
			}
			t.Fatalf("no check %s", key)
			return assurance.ReadinessCheck{}
		}
		reqs, _, err := s.ListRequirements(ctx, actor, store.RequirementFilter{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		clause := map[string]int64{}
		for _, r := range reqs {
			clause[r.Code] = r.ID
		}
		audit := func(codes ...string) {
			t.Helper()
			var ids []int64
			for _, code := range codes {
				ids = append(ids, clause[code])
			}
			au, err := c.CreateAudit(ctx, actor, assurance.AuditInput{Title: "Internal audit", RequirementIDs: ids, PlannedStart: today, PlannedEnd: today})
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range []string{"in_progress", "completed"} {
				if _, err := c.UpdateAudit(ctx, actor, au.ID, 0, assurance.AuditUpdate{State: &st, ActualStart: &today, ActualEnd: &today}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if ch := check("internal_audit"); ch.Pass || ch.Detail() != "No internal audit completed in the last three years." {
			t.Errorf("no audit: %q", ch.Detail())
		}
		audit("4", "5", "6", "7")
		if ch := check("internal_audit"); ch.Pass || ch.Detail() != "Internal audits completed: 1; clauses not yet audited: 8, 9, 10." {
			t.Errorf("clauses 4 to 7 audited: %q", ch.Detail())
		}
		if ch := check("management_review"); ch.Pass || ch.Detail() != "No management review has been held." {
			t.Errorf("no review: %q", ch.Detail())
		}
		audit("8", "9", "10")
		if ch := check("internal_audit"); !ch.Pass {
			t.Errorf("every clause audited: %q", ch.Detail())
		}
		mr, err := c.CreateManagementReview(ctx, actor, assurance.ReviewInput{Title: "Review", PlannedOn: today, ChairID: boss.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.PrepareManagementReview(ctx, actor, mr.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := c.HoldManagementReview(ctx, actor, mr.ID, 0, today); err != nil {
			t.Fatal(err)
		}
		if ch := check("management_review"); !ch.Pass {
			t.Errorf("review held after the audit: %q", ch.Detail())
		}
		// Its frozen pack holds the two audits among its results.
		held, err := c.GetManagementReview(ctx, actor, mr.ID)
		if err != nil {
			t.Fatal(err)
		}
		var pack assurance.ReviewPack
		if err := json.Unmarshal([]byte(held.Pack), &pack); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, sec := range pack.Sections {
			if sec.Key == "audits" {
				found = true
				if len(sec.Rows) != 2 || len(sec.Facts) == 0 || sec.Facts[0] != (assurance.PackFact{Label: "Audits completed", Value: "2"}) {
					t.Errorf("the pack's audit results: %+v", sec)
				}
			}
			if sec.Key == "nonconformities" && sec.Empty != "No nonconformities are recorded yet." {
				t.Errorf("the pack's nonconformities with none: %+v", sec)
			}
		}
		if !found {
			t.Errorf("the pack has no audit results: %+v", pack.Sections)
		}

		if ch := check("certification_body"); ch.Pass || ch.Fix != "Record the certification body" {
			t.Errorf("no body: %q", ch.Detail())
		}
		body, err := c.CreateCertificationBody(ctx, actor, assurance.BodyInput{Name: "Certa Assurance", Covers20000: "yes"})
		if err != nil {
			t.Fatal(err)
		}
		if ch := check("certification_body"); ch.Pass || ch.Fix != "Verify the body's accreditation" {
			t.Errorf("a body never verified: %q", ch.Detail())
		}
		if _, err := c.VerifyCertificationBody(ctx, actor, body.ID, 0); err != nil {
			t.Fatal(err)
		}
		if ch := check("certification_body"); !ch.Pass {
			t.Errorf("a verified body: %q", ch.Detail())
		}

		// The journey goes on with this area's stages, the first three done
		// now, the certification audit next.
		j, err := s.Journey(ctx, actor)
		if err != nil {
			t.Fatal(err)
		}
		state := map[string]string{}
		var keys []string
		for _, st := range j.Stages {
			state[st.Key] = st.State()
			keys = append(keys, st.Key)
		}
		if len(j.Stages) != 14 || keys[6] != "internal_audit" || keys[13] != "recertification" {
			t.Fatalf("journey stages %v, want the management system's six, then this area's eight", keys)
		}
		for _, k := range []string{"internal_audit", "management_review", "certification_body"} {
			if state[k] != sms.StageDone {
				t.Errorf("journey stage %s: %s, want done", k, state[k])
			}
		}
		for _, k := range []string{"certification_audit", "nonconformities", "certified", "surveillance", "recertification"} {
			if state[k] == sms.StageDone {
				t.Errorf("journey stage %s done before any certification audit", k)
			}
		}
	})
}
