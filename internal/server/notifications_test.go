package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Notifications through the API and the pages: the owner of an action
// given to them lists, reads and marks theirs; nobody else sees them; the
// bell counts the unread.
func TestNotificationsAPIAndBell(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	agent := f.users[access.Agent]
	act, err := f.areas.SMS.CreateAction(ctx, access.CLI, sms.ActionInput{Title: "Write the change policy", OwnerID: agent.ID, DueOn: "2020-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.app.SendReminders(ctx); err != nil || n != 2 {
		t.Fatalf("reminders sent %d, %v; want 2 (assigned, overdue)", n, err)
	}
	var ids []int64
	f.run(t, scenario{name: "list own", role: access.Agent, method: http.MethodGet, path: "/api/v1/notifications?unread=true", status: http.StatusOK,
		check: func(t *testing.T, m map[string]any, _ *http.Response) {
			items, _ := m["items"].([]any)
			if len(items) != 2 {
				t.Fatalf("items %v, want 2", items)
			}
			for _, it := range items {
				n := it.(map[string]any)
				if n["entity"] != "action" || n["entity_id"] != float64(act.ID) || n["title"] != "Write the change policy" {
					t.Errorf("notification %v, want about the action", n)
				}
				ids = append(ids, int64(n["id"].(float64)))
			}
		}})
	f.run(t, scenario{name: "another's list", role: access.SMSManager, method: http.MethodGet, path: "/api/v1/notifications", status: http.StatusOK,
		check: func(t *testing.T, m map[string]any, _ *http.Response) {
			if items, _ := m["items"].([]any); len(items) != 0 {
				t.Errorf("the manager sees %v, want none", items)
			}
		}})
	one := fmt.Sprintf("/api/v1/notifications/%d", ids[0])
	f.run(t, scenario{name: "another's", role: access.SMSManager, method: http.MethodGet, path: one, status: http.StatusNotFound})
	f.run(t, scenario{name: "another's mark", role: access.Admin, method: http.MethodPatch, path: one, body: `{"read": true}`, status: http.StatusNotFound})
	f.run(t, scenario{name: "bad body", role: access.Agent, method: http.MethodPatch, path: one, body: `{"read": "yes"}`, status: http.StatusUnprocessableEntity, fields: []string{"body.read"}})
	f.run(t, scenario{name: "mark read", role: access.Agent, method: http.MethodPatch, path: one, body: `{"read": true}`, header: map[string]string{"If-Match": `"1"`},
		status: http.StatusOK, newAudits: 1, check: func(t *testing.T, m map[string]any, _ *http.Response) {
			if m["read_at"] == nil {
				t.Errorf("read_at missing after marking read: %v", m)
			}
		}})
	f.run(t, scenario{name: "stale mark", role: access.Agent, method: http.MethodPatch, path: one, body: `{"read": false}`, header: map[string]string{"If-Match": `"1"`},
		status: http.StatusPreconditionFailed})

	// The bell counts the one left unread, and names the count for a
	// screen reader.
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	_, resp := b.get("/notifications")
	if !strings.Contains(resp, `aria-label="Notifications, 1 unread"`) || !strings.Contains(resp, "Write the change policy") {
		t.Errorf("the notifications page lacks the bell's count or the notification")
	}
	f.run(t, scenario{name: "read all", role: access.Agent, method: http.MethodPost, path: "/api/v1/notifications/read-all", status: http.StatusOK, newAudits: 1,
		check: func(t *testing.T, m map[string]any, _ *http.Response) {
			if m["marked"] != float64(1) {
				t.Errorf("marked %v, want 1", m["marked"])
			}
		}})
	if _, page := b.get("/notifications"); strings.Contains(page, "bell-count") || !strings.Contains(page, `aria-label="Notifications"`) {
		t.Errorf("the bell still counts after reading all")
	}
	// Opening one goes to its record.
	r, _ := b.get(fmt.Sprintf("/notifications/%d", ids[1]))
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/actions/%d", act.ID) {
		t.Errorf("opening a notification: %d to %q, want 303 to the action", r.StatusCode, loc)
	}
}

// The journey page walks the stages from the records, and the home page
// of those who run the SMS shows it first.
func TestJourneyPage(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("sms_manager@example.com", "correct horse battery")
	r, page := b.get("/journey")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("journey: %d", r.StatusCode)
	}
	for _, want := range []string{"Assess current practices", "Build the team and plan", `aria-current="step"`, `href="/assessments/new"`, "0 of 14 stages done"} {
		if !strings.Contains(page, want) {
			t.Errorf("the journey page lacks %q", want)
		}
	}
	if _, home := b.get("/"); !strings.Contains(home, "Stages of the certification journey") || !strings.Contains(home, "Open the journey") {
		t.Errorf("the SMS manager's home page lacks the journey")
	}
}

// The journey through the API, as a generated client would read it.
func TestJourneyAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	f.run(t, scenario{name: "journey", role: access.ProcessOwner, method: http.MethodGet, path: "/api/v1/journey", status: http.StatusOK,
		check: func(t *testing.T, m map[string]any, _ *http.Response) {
			stages, _ := m["stages"].([]any)
			if len(stages) < 3 || m["ready"] != false {
				t.Fatalf("journey %v, want stages and not ready", m)
			}
			first := stages[0].(map[string]any)
			if first["key"] != "assess" || first["state"] != "not_started" || first["next_href"] != "/assessments/new" {
				t.Errorf("first stage %v, want assess, not started, leading to a new assessment", first)
			}
		}})
	f.run(t, scenario{name: "requester", role: access.Requester, method: http.MethodGet, path: "/api/v1/journey", status: http.StatusForbidden})
}
