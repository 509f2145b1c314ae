package assurance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The stage 1 check follows the records: on a new install every check
// fails saying why; approving the scope, the policy and objectives with
// every reader's acknowledgement, and holding the competences required
// turns those checks green, while the documents and clauses still fail.
func TestReadinessFollowsTheRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, s, c := withAreas(t, db)
		mgr, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "mgr@example.com", Name: "Manager", Role: access.SMSManager})
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
		r, err := c.Readiness(ctx, actor)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, ch := range r.Checks {
			keys = append(keys, ch.Key)
			if ch.Key == "majors" {
				if !ch.Pass || ch.Fix != "" || ch.Detail() != "No major nonconformity is open." {
					t.Errorf("majors on a new install: %+v %q; want it passing", ch, ch.Detail())
				}
				continue
			}
			if ch.Pass || ch.Fix == "" || ch.Detail() == "" {
				t.Errorf("check %s on a new install: pass %v, fix %q, detail %q; want it failing with a fix and a reason", ch.Key, ch.Pass, ch.Fix, ch.Detail())
			}
		}
		if got := strings.Join(keys, ","); got != "scope,policy,documents,clauses,training,internal_audit,management_review,majors,certification_body" || r.Ready() || r.Passed() != 1 {
			t.Errorf("checks %s, ready %v, passed %d", got, r.Ready(), r.Passed())
		}
		if d := check("clauses").Detail(); d != "No gap analysis of ISO/IEC 20000-1 yet." {
			t.Errorf("clauses without an assessment: %q", d)
		}

		// The scope.
		svc, err := s.CreateService(ctx, actor, sms.ServiceInput{Name: "Service desk", OwnerID: mgr.ID})
		if err != nil {
			t.Fatal(err)
		}
		draft, err := s.CreateScope(ctx, actor, sms.ScopeInput{Statement: "The service desk.", ServiceIDs: []int64{svc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveScope(ctx, actor, draft.ID, 0); err != nil {
			t.Fatal(err)
		}
		if ch := check("scope"); !ch.Pass || ch.Fix != "" || ch.Detail() != "Scope, revision 1 is in force." {
			t.Errorf("scope approved: %+v %q", ch, ch.Detail())
		}

		// The policy and objectives, approved for the SMS managers to read.
		approve := func(title, item string) int64 {
			t.Helper()
			d, err := s.CreateDocument(ctx, actor, sms.DocumentInput{Title: title, OwnerID: mgr.ID, ApproverIDs: []int64{mgr.ID}, SelfApproval: true,
				AudienceRoles: string(access.SMSManager), ReviewMonths: 12})
			if err != nil {
				t.Fatal(err)
			}
			v, err := s.CreateDocumentVersion(ctx, actor, d.ID, sms.VersionInput{Content: "# " + title})
			if err != nil {
				t.Fatal(err)
			}
			inReview := "in_review"
			if _, err := s.UpdateDocumentVersion(ctx, actor, v.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ApproveDocumentVersion(ctx, actor, v.ID, 0); err != nil {
				t.Fatal(err)
			}
			if err := s.MapRequiredDocument(ctx, actor, item, d.ID); err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		policy := approve("Service management policy", "policy")
		if ch := check("policy"); ch.Pass || !strings.Contains(ch.Detail(), "Service management objectives: not approved.") ||
			!strings.Contains(ch.Detail(), "Service management policy: acknowledged by 0 of 1 readers.") {
			t.Errorf("the policy approved, not acknowledged; no objectives: %q", ch.Detail())
		}
		objectives := approve("Objectives", "objectives")
		for _, id := range []int64{policy, objectives} {
			if _, err := s.Acknowledge(ctx, actor, id); err != nil {
				t.Fatal(err)
			}
		}
		if ch := check("policy"); !ch.Pass {
			t.Errorf("both approved and acknowledged: %q", ch.Detail())
		}
		if ch := check("documents"); ch.Pass || !strings.HasPrefix(ch.Detail(), "2 of 19 required documents approved. Missing: ") {
			t.Errorf("two documents of the checklist: %q", ch.Detail())
		}

		// Training: one competence required of SMS managers, held.
		comp, err := s.CreateCompetence(ctx, actor, sms.CompetenceInput{Name: "Change management", Roles: []access.Role{access.SMSManager}})
		if err != nil {
			t.Fatal(err)
		}
		if ch := check("training"); ch.Pass || ch.Detail() != "0 of 1 required competences held (0 %)." {
			t.Errorf("training with a gap: %q", ch.Detail())
		}
		assessor, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "po@example.com", Name: "Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateAppraisal(ctx, actor, sms.AppraisalInput{UserID: mgr.ID, CompetenceID: comp.ID, Level: comp.Level, AssessorID: assessor.ID, AssessedOn: today}); err != nil {
			t.Fatal(err)
		}
		if ch := check("training"); !ch.Pass {
			t.Errorf("training with the competence held: %q", ch.Detail())
		}

		// A gap analysis with nothing implemented: every clause below.
		fws, _, err := s.ListFrameworks(ctx, actor, store.FrameworkFilter{})
		if err != nil || len(fws) == 0 {
			t.Fatal(err)
		}
		if _, err := s.CreateAssessment(ctx, actor, sms.AssessmentInput{FrameworkID: fws[0].ID, Title: "Baseline", StartedOn: today}); err != nil {
			t.Fatal(err)
		}
		if ch := check("clauses"); ch.Pass || ch.Detail() != "In Baseline, clauses below the threshold: 4: 0 %, 5: 0 %, 6: 0 %, 7: 0 %, 8: 0 %, 9: 0 %, 10: 0 %." {
			t.Errorf("clauses of an assessment not started: %q", ch.Detail())
		}
		if r, _ := c.Readiness(ctx, actor); r.Passed() != 4 || r.Ready() {
			t.Errorf("passed %d, ready %v; want 4 and not ready", r.Passed(), r.Ready())
		}
		// A major nonconformity raised: the check names it.
		reqs, _, err := s.ListRequirements(ctx, actor, store.RequirementFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		nc, err := c.CreateNonconformity(ctx, actor, assurance.NonconformityInput{Title: "Changes made without approval", Severity: "major", RaisedOn: today,
			RequirementID: reqs[0].ID, OwnerID: mgr.ID})
		if err != nil {
			t.Fatal(err)
		}
		if ch := check("majors"); ch.Pass || ch.Detail() != "Major nonconformities open: "+assurance.NonconformityKind.Number(nc.ID)+"." {
			t.Errorf("with a major open: %q", ch.Detail())
		}
		// Requesters do not read it.
		if _, err := c.Readiness(ctx, access.Actor{UserID: 99, Role: access.Requester, OrgID: 1}); err == nil {
			t.Errorf("a requester read the stage 1 check")
		}
	})
}
