package sms_test

import (
	"context"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The journey moves with the records: a gap analysis started, then
// closed; the plan made from its gaps; an overdue action holding the plan
// back until it is done.
func TestJourneyFollowsTheRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		mgr, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "mgr@example.com", Name: "Manager", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		actor := mgr.Actor("session")
		stage := func(key string) sms.JourneyStage {
			t.Helper()
			j, err := c.Journey(ctx, actor)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range j.Stages {
				if s.Key == key {
					return s
				}
			}
			t.Fatalf("no stage %s in %+v", key, j.Stages)
			return sms.JourneyStage{}
		}
		check := func(s sms.JourneyStage, label string) sms.JourneyCheck {
			t.Helper()
			for _, c := range s.Checks {
				if c.Label == label {
					return c
				}
			}
			t.Fatalf("stage %s has no check %q: %+v", s.Key, label, s.Checks)
			return sms.JourneyCheck{}
		}

		if s := stage("assess"); s.State() != sms.StageNotStarted || s.Next != "Start a gap analysis" {
			t.Errorf("before any assessment: %s, next %q", s.State(), s.Next)
		}
		fws, _, err := c.ListFrameworks(ctx, actor, store.FrameworkFilter{})
		if err != nil || len(fws) == 0 {
			t.Fatal(err)
		}
		asm, err := c.CreateAssessment(ctx, actor, sms.AssessmentInput{FrameworkID: fws[0].ID, Title: "Baseline", StartedOn: time.Now().UTC().Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		s := stage("assess")
		if s.State() != sms.StageUnderWay || check(s, "Requirements implemented").Want != 77 {
			t.Errorf("an open assessment: %s, checks %+v; want under way with 77 requirements", s.State(), s.Checks)
		}
		if p := check(stage("plan"), "Gaps with an action"); p.Have != 0 || p.Want != 77 {
			t.Errorf("gaps with an action before the plan: %d of %d, want 0 of 77", p.Have, p.Want)
		}
		closed := "closed"
		if _, err := c.UpdateAssessment(ctx, actor, asm.ID, 0, sms.AssessmentUpdate{State: &closed}); err != nil {
			t.Fatal(err)
		}
		if s := stage("assess"); s.State() != sms.StageDone {
			t.Errorf("a closed assessment: %s; want done", s.State())
		}
		if _, err := c.PlanFromGaps(ctx, actor, asm.ID); err != nil {
			t.Fatal(err)
		}
		if p := stage("plan"); p.State() != sms.StageDone || check(p, "Gaps with an action").Have != 77 {
			t.Errorf("after the plan: %s, checks %+v; want done with 77 gaps covered", p.State(), p.Checks)
		}
		late, err := c.CreateAction(ctx, actor, sms.ActionInput{Title: "Late", OwnerID: mgr.ID, DueOn: time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		p := stage("plan")
		if on := check(p, "Open actions on time"); p.State() != sms.StageUnderWay || on.Want-on.Have != 1 || p.Next != "Deal with the overdue actions" {
			t.Errorf("with an overdue action: %s, %+v, next %q", p.State(), on, p.Next)
		}
		done := "done"
		if _, err := c.UpdateAction(ctx, actor, late.ID, 0, sms.ActionUpdate{State: &done}); err != nil {
			t.Fatal(err)
		}
		if p := stage("plan"); p.State() != sms.StageDone {
			t.Errorf("the overdue action done: %s; want done", p.State())
		}
		// Training: nothing required yet, then a competence the manager's
		// role needs, then held through a direct assessment.
		if tr := stage("train"); tr.State() != sms.StageNotStarted || tr.Next != "Set the competences roles need" {
			t.Errorf("training with no competences: %s, next %q", tr.State(), tr.Next)
		}
		assessor, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "po@example.com", Name: "Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		comp, err := c.CreateCompetence(ctx, actor, sms.CompetenceInput{Name: "Change management", Roles: []access.Role{access.SMSManager}})
		if err != nil {
			t.Fatal(err)
		}
		if cov := check(stage("train"), "Training coverage"); cov.Have != 0 || cov.Want != 1 {
			t.Errorf("coverage with one gap: %d of %d, want 0 of 1", cov.Have, cov.Want)
		}
		if _, err := c.CreateAppraisal(ctx, actor, sms.AppraisalInput{UserID: mgr.ID, CompetenceID: comp.ID, Level: comp.Level, AssessorID: assessor.ID,
			AssessedOn: time.Now().UTC().Format(time.DateOnly)}); err != nil {
			t.Fatal(err)
		}
		if tr := stage("train"); tr.State() != sms.StageDone {
			t.Errorf("training with the one competence held: %s, checks %+v; want done", tr.State(), tr.Checks)
		}
		// Requesters do not read it.
		if _, err := c.Journey(ctx, access.Actor{UserID: 99, Role: access.Requester, OrgID: 1}); err == nil {
			t.Errorf("a requester read the journey")
		}
	})
}
