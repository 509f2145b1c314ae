package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Actions through the API (create, refusals naming the field, the overdue
// list, a stale change) and on the pages (the owner's home page card).
func TestActionsAPIAndHome(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	agent := f.users[access.Agent]
	past := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly)
	body := func(r *http.Response) string {
		b, _ := io.ReadAll(r.Body)
		return string(b)
	}

	r := f.do(t, access.SMSManager, http.MethodPost, "/api/v1/actions", fmt.Sprintf(`{"title":"Write the policy","owner_id":%d,"due_on":%q,"priority":"high"}`, agent.ID, past))
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", r.StatusCode, body(r))
	}
	var created struct {
		ID      int64  `json:"id"`
		State   string `json:"state"`
		Version int64  `json:"version"`
	}
	if err := json.NewDecoder(r.Body).Decode(&created); err != nil || created.State != "open" {
		t.Fatalf("created: %+v %v", created, err)
	}
	for _, bad := range []struct{ body, field string }{
		{fmt.Sprintf(`{"title":"","owner_id":%d}`, agent.ID), "title"},
		{fmt.Sprintf(`{"title":"x","owner_id":%d,"due_on":"tomorrow"}`, agent.ID), "due_on"},
		{fmt.Sprintf(`{"title":"x","owner_id":%d,"source":"gap"}`, agent.ID), "source_id"},
	} {
		r := f.do(t, access.SMSManager, http.MethodPost, "/api/v1/actions", bad.body)
		if b := body(r); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, bad.field) {
			t.Errorf("create %s: %d %s, want 422 naming %s", bad.body, r.StatusCode, b, bad.field)
		}
	}
	if r := f.do(t, access.InternalAuditor, http.MethodPost, "/api/v1/actions", fmt.Sprintf(`{"title":"x","owner_id":%d}`, agent.ID)); r.StatusCode != http.StatusForbidden {
		t.Errorf("an internal auditor creating: %d, want 403", r.StatusCode)
	}
	r = f.do(t, access.InternalAuditor, http.MethodGet, "/api/v1/actions?open=true&due_until="+time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly), "")
	if b := body(r); r.StatusCode != http.StatusOK || !strings.Contains(b, "Write the policy") {
		t.Errorf("overdue list: %d %s", r.StatusCode, b)
	}
	stale := fmt.Sprintf(`"%d"`, created.Version+1)
	req, _ := http.NewRequest(http.MethodPatch, f.ts.URL+fmt.Sprintf("/api/v1/actions/%d", created.ID), strings.NewReader(`{"state":"done"}`))
	req.Header.Set("Authorization", "Bearer "+f.tokens[access.Agent])
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", stale)
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("stale PATCH: %v %v, want 412", r.StatusCode, err)
	}

	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	r, page := b.get("/")
	if r.StatusCode != http.StatusOK || !strings.Contains(page, "Your actions") || !strings.Contains(page, "Write the policy") || !strings.Contains(page, "Overdue: 1") {
		t.Errorf("the agent's home page: %d, want their overdue action on it:\n%s", r.StatusCode, page)
	}
}

// The assessment page's "Make the plan from the gaps" makes an action per
// gap and says how many; again, it says there are no new gaps.
func TestPlanFromGapsPage(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := t.Context()
	mgr := f.users[access.SMSManager].Actor("test")
	fws, _, err := f.areas.SMS.ListFrameworks(ctx, mgr, store.FrameworkFilter{})
	if err != nil || len(fws) == 0 {
		t.Fatalf("frameworks: %v", err)
	}
	asm, err := f.areas.SMS.CreateAssessment(ctx, mgr, sms.AssessmentInput{FrameworkID: fws[0].ID, Title: "Gaps", StartedOn: time.Now().UTC().Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("sms_manager@example.com", "correct horse battery")
	token := b.csrf(fmt.Sprintf("/assessments/%d", asm.ID))
	plan := func() (string, string) {
		t.Helper()
		r, _ := b.post(fmt.Sprintf("/assessments/%d/plan", asm.ID), url.Values{"_csrf": {token}})
		loc := r.Header.Get("Location")
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/actions?done=planned") {
			t.Fatalf("make the plan: %d to %q, want 303 to the actions", r.StatusCode, loc)
		}
		_, page := b.get(loc)
		return loc, page
	}
	if loc, page := plan(); !strings.Contains(loc, "n=77") || !strings.Contains(page, "77 actions added to the plan from the gaps.") {
		t.Errorf("make the plan: %s, want 77 actions said added", loc)
	}
	n, _, err := f.areas.SMS.ListActions(ctx, mgr, store.ActionFilter{Source: "gap", Limit: 500})
	if err != nil || len(n) != 77 {
		t.Errorf("gap actions after the plan: %d (%v), want one per requirement of the new assessment, 77", len(n), err)
	}
	if _, page := plan(); !strings.Contains(page, "No new gaps") {
		t.Errorf("make the plan again: want it to say there are no new gaps")
	}
}

// The plan through the API: dependencies on create and get, a cycle and
// a missing dependency refused naming depends_on, a due day before the
// start refused, the lists of what an action blocks and of the overdue,
// an action others wait for not deleted; and the timeline page draws
// them.
func TestActionPlanAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	agent := f.users[access.Agent]
	body := func(r *http.Response) string {
		b, _ := io.ReadAll(r.Body)
		return string(b)
	}
	type action struct {
		ID        int64   `json:"id"`
		StartOn   string  `json:"start_on"`
		Progress  int64   `json:"progress"`
		DependsOn []int64 `json:"depends_on"`
		Version   int64   `json:"version"`
	}
	create := func(js string) action {
		t.Helper()
		r := f.do(t, access.SMSManager, http.MethodPost, "/api/v1/actions", js)
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("create %s: %d %s", js, r.StatusCode, body(r))
		}
		var a action
		if err := json.NewDecoder(r.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	past := time.Now().UTC().AddDate(0, 0, -3).Format(time.DateOnly)
	scope := create(fmt.Sprintf(`{"title":"Agree the scope","owner_id":%d,"start_on":"2026-01-05","due_on":%q,"progress":30}`, agent.ID, past))
	policy := create(fmt.Sprintf(`{"title":"Write the policy","owner_id":%d,"depends_on":[%d]}`, agent.ID, scope.ID))
	if len(policy.DependsOn) != 1 || policy.DependsOn[0] != scope.ID || scope.StartOn != "2026-01-05" || scope.Progress != 30 {
		t.Errorf("created: %+v and %+v, want the start day, progress and the dependency kept", scope, policy)
	}
	r := f.do(t, access.SMSManager, http.MethodGet, fmt.Sprintf("/api/v1/actions/%d", policy.ID), "")
	if b := body(r); r.StatusCode != http.StatusOK || !strings.Contains(b, fmt.Sprintf(`"depends_on":[%d]`, scope.ID)) {
		t.Errorf("get: %d %s, want depends_on", r.StatusCode, b)
	}
	for _, bad := range []struct {
		method, path, body, field, says string
	}{
		{http.MethodPatch, fmt.Sprintf("/api/v1/actions/%d", scope.ID), fmt.Sprintf(`{"depends_on":[%d]}`, policy.ID), "depends_on",
			fmt.Sprintf("would make a cycle: ACT-%06d → ACT-%06d → ACT-%06d", scope.ID, policy.ID, scope.ID)},
		{http.MethodPatch, fmt.Sprintf("/api/v1/actions/%d", scope.ID), fmt.Sprintf(`{"depends_on":[%d]}`, scope.ID), "depends_on", "cannot wait for itself"},
		{http.MethodPost, "/api/v1/actions", fmt.Sprintf(`{"title":"x","owner_id":%d,"depends_on":[999999]}`, agent.ID), "depends_on", "ACT-999999, which does not exist"},
		{http.MethodPost, "/api/v1/actions", fmt.Sprintf(`{"title":"x","owner_id":%d,"start_on":"2027-02-01","due_on":"2027-01-01"}`, agent.ID), "due_on", "is before the start day"},
		{http.MethodPost, "/api/v1/actions", fmt.Sprintf(`{"title":"x","owner_id":%d,"progress":100}`, agent.ID), "progress", "only when the action is done"},
	} {
		r := f.do(t, access.SMSManager, bad.method, bad.path, bad.body)
		b := body(r)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, `"location":"body.`+bad.field+`"`) || !strings.Contains(b, bad.says) {
			t.Errorf("%s %s %s: %d %s, want 422 on %s saying %q", bad.method, bad.path, bad.body, r.StatusCode, b, bad.field, bad.says)
		}
	}
	r = f.do(t, access.InternalAuditor, http.MethodGet, fmt.Sprintf("/api/v1/actions?blocks=%d", scope.ID), "")
	if b := body(r); r.StatusCode != http.StatusOK || !strings.Contains(b, "Write the policy") || strings.Contains(b, "Agree the scope") {
		t.Errorf("what scope blocks: %d %s, want the policy alone", r.StatusCode, b)
	}
	r = f.do(t, access.InternalAuditor, http.MethodGet, "/api/v1/actions?overdue=true", "")
	if b := body(r); r.StatusCode != http.StatusOK || !strings.Contains(b, "Agree the scope") || strings.Contains(b, "Write the policy") {
		t.Errorf("overdue: %d %s, want the scope alone", r.StatusCode, b)
	}
	r = f.do(t, access.SMSManager, http.MethodDelete, fmt.Sprintf("/api/v1/actions/%d", scope.ID), "")
	if b := body(r); r.StatusCode != http.StatusConflict || !strings.Contains(b, fmt.Sprintf("ACT-%06d", policy.ID)) {
		t.Errorf("delete what the policy waits for: %d %s, want 409 naming the policy", r.StatusCode, b)
	}

	if r := f.do(t, access.SMSManager, http.MethodPatch, fmt.Sprintf("/api/v1/actions/%d", policy.ID), `{"state":"in_progress"}`); r.StatusCode != http.StatusOK {
		t.Fatalf("start the policy: %d %s", r.StatusCode, body(r))
	}
	b := newBrowser(t, f)
	b.login("sms_manager@example.com", "correct horse battery")
	if _, page := b.get(fmt.Sprintf("/actions/%d", policy.ID)); !strings.Contains(page, fmt.Sprintf("Started before ACT-%06d is done", scope.ID)) {
		t.Errorf("the policy started before the scope is done: its page does not warn")
	}
	r, page := b.get("/actions/timeline")
	if r.StatusCode != http.StatusOK || !strings.Contains(page, fmt.Sprintf("ACT-%06d", policy.ID)) || !strings.Contains(page, "Overdue by 3 days") ||
		!strings.Contains(page, fmt.Sprintf("Started before ACT-%06d is done", scope.ID)) {
		t.Errorf("timeline: %d, want both actions, the scope overdue by 3 days:\n%s", r.StatusCode, page)
	}
}
