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
