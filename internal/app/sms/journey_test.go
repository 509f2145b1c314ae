package sms_test

import (
	"context"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
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
		// The team: a project manager, then a RACI row.
		if p := stage("plan"); p.Next != "Name the project manager" || check(p, "Project manager named").Done() {
			t.Errorf("plan with no team: next %q, checks %+v", p.Next, p.Checks)
		}
		if _, err := c.AddProjectMember(ctx, actor, sms.MemberInput{UserID: mgr.ID, Role: sms.ProjectManager}); err != nil {
			t.Fatal(err)
		}
		if p := stage("plan"); !check(p, "Project manager named").Done() || p.Next != "Assign the responsibilities" {
			t.Errorf("plan with a project manager: next %q, checks %+v", p.Next, p.Checks)
		}
		reqs, _, err := c.ListRequirements(ctx, actor, store.RequirementFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateRaci(ctx, actor, sms.RaciInput{RequirementID: &reqs[0].ID, AccountableID: mgr.ID}); err != nil {
			t.Fatal(err)
		}
		if p := stage("plan"); !check(p, "Responsibilities assigned (RACI)").Done() || p.Next != "Identify the risks and opportunities" {
			t.Errorf("plan with a RACI row: next %q, checks %+v", p.Next, p.Checks)
		}
		if _, err := c.CreateRisk(ctx, actor, sms.RiskInput{Title: "The only supplier fails", Category: "supplier", Treatment: "mitigate", OwnerID: mgr.ID,
			Likelihood: 3, Impact: 4, ReviewOn: time.Now().UTC().AddDate(0, 6, 0).Format(time.DateOnly)}); err != nil {
			t.Fatal(err)
		}
		if p := stage("plan"); !check(p, "Risks and opportunities identified").Done() || p.Next != "Make the plan from the gaps" {
			t.Errorf("plan with a risk: next %q, checks %+v", p.Next, p.Checks)
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
		tr := stage("train")
		if !check(tr, "Training coverage").Done() || tr.State() != sms.StageUnderWay || check(tr, "Policy and objectives in force, to acknowledge").Done() {
			t.Errorf("training with the one competence held, no policy yet: %s, checks %+v; want under way, held back by awareness", tr.State(), tr.Checks)
		}

		// Scope and objectives: the scope approved, the policy approved and
		// mapped to the checklist, an objective set and measured.
		sc := stage("scope")
		if sc.State() != sms.StageNotStarted || sc.Next != "Write and approve the scope" {
			t.Errorf("scope stage at first: %s, next %q", sc.State(), sc.Next)
		}
		svc, err := c.CreateService(ctx, actor, sms.ServiceInput{Name: "Service desk", OwnerID: mgr.ID})
		if err != nil {
			t.Fatal(err)
		}
		draft, err := c.CreateScope(ctx, actor, sms.ScopeInput{Statement: "The service desk for all staff.", ServiceIDs: []int64{svc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ApproveScope(ctx, actor, draft.ID, 0); err != nil {
			t.Fatal(err)
		}
		if sc := stage("scope"); !check(sc, "Scope approved").Done() || sc.Next != "Approve the service management policy" {
			t.Errorf("scope stage with the scope approved: next %q, checks %+v", sc.Next, sc.Checks)
		}
		if d := stage("document"); check(d, "Required documents approved").Have != 0 || check(d, "Required documents approved").Want != len(sms.RequiredItems) {
			t.Errorf("documents before any: %+v", d.Checks)
		}
		policy, err := c.CreateDocument(ctx, actor, sms.DocumentInput{Title: "Service management policy", OwnerID: mgr.ID, ApproverIDs: []int64{mgr.ID}, SelfApproval: true,
			AudienceRoles: string(access.SMSManager)})
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.CreateDocumentVersion(ctx, actor, policy.ID, sms.VersionInput{Content: "We commit to ..."})
		if err != nil {
			t.Fatal(err)
		}
		inReview := "in_review"
		if _, err := c.UpdateDocumentVersion(ctx, actor, v.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ApproveDocumentVersion(ctx, actor, v.ID, 0); err != nil {
			t.Fatal(err)
		}
		if err := c.MapRequiredDocument(ctx, actor, "policy", policy.ID); err != nil {
			t.Fatal(err)
		}
		if d := stage("document"); check(d, "Required documents approved").Have != 1 {
			t.Errorf("documents with the policy approved: %+v; want 1 approved", d.Checks)
		}
		if sc := stage("scope"); !check(sc, "Service management policy approved").Done() || sc.Next != "Set the SMS objectives" {
			t.Errorf("scope stage with the policy approved: next %q, checks %+v", sc.Next, sc.Checks)
		}
		obj, err := c.CreateObjective(ctx, actor, sms.ObjectiveInput{Statement: "Resolve incidents on time", Measure: "Share on time", Unit: "%", Target: 95, OwnerID: mgr.ID})
		if err != nil {
			t.Fatal(err)
		}
		if sc := stage("scope"); sc.State() != sms.StageUnderWay || sc.Next != "Record the objectives' values" {
			t.Errorf("scope stage with an objective not measured: %s, next %q", sc.State(), sc.Next)
		}
		if _, err := c.RecordValue(ctx, actor, sms.ValueInput{ObjectiveID: obj.ID, On: time.Now().UTC().Format(time.DateOnly), Value: 96}); err != nil {
			t.Fatal(err)
		}
		if sc := stage("scope"); sc.State() != sms.StageDone || sc.Next != "" {
			t.Errorf("scope stage with everything: %s, next %q, checks %+v; want done", sc.State(), sc.Next, sc.Checks)
		}

		// Awareness: the manager is asked to read the policy, then
		// acknowledges it.
		if aw := check(stage("train"), "Policy and objectives acknowledged"); aw.Have != 0 || aw.Want != 1 {
			t.Errorf("awareness before acknowledging: %d of %d, want 0 of 1", aw.Have, aw.Want)
		}
		if aw, err := c.Awareness(ctx, actor); err != nil || len(aw.Documents) != 1 || aw.People[mgr.ID] != (smsapp.Aware{Asked: 1}) || aw.People[mgr.ID].Done() {
			t.Errorf("awareness before acknowledging: %+v %v; the manager asked to read 1, acknowledged none", aw, err)
		}
		if _, err := c.Acknowledge(ctx, actor, policy.ID); err != nil {
			t.Fatal(err)
		}
		if aw, err := c.Awareness(ctx, actor); err != nil || aw.People[mgr.ID] != (smsapp.Aware{Asked: 1, Acknowledged: 1}) || !aw.People[mgr.ID].Done() {
			t.Errorf("awareness after acknowledging: %+v %v", aw, err)
		}
		if tr := stage("train"); tr.State() != sms.StageDone {
			t.Errorf("training and awareness done: %s, checks %+v; want done", tr.State(), tr.Checks)
		}

		// Processes: the built-in ones are there, none owned yet.
		pr := stage("processes")
		if owned := check(pr, "Processes with an owner"); owned.Want == 0 || owned.Have != 0 || pr.Next != "Name the processes' owners" {
			t.Errorf("processes at first: next %q, checks %+v", pr.Next, pr.Checks)
		}
		// Requesters do not read it.
		if _, err := c.Journey(ctx, access.Actor{UserID: 99, Role: access.Requester, OrgID: 1}); err == nil {
			t.Errorf("a requester read the journey")
		}
	})
}
