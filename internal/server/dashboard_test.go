package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The dashboard: its page and its JSON for the staff, first on top
// management's home page and not on an agent's; a requester gets none.
func TestDashboardPageAndAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	top := newBrowser(t, f)
	top.login("top_management@example.com", "correct horse battery")
	if r, home := top.get("/"); r.StatusCode != http.StatusOK || !strings.Contains(home, "Open the dashboard") || !strings.Contains(home, "Next certification event") {
		t.Errorf("top management's home page: %d, lacks the dashboard's card", r.StatusCode)
	}
	if r, page := top.get("/dashboard"); r.StatusCode != http.StatusOK || !strings.Contains(page, "Readiness trend") || !strings.Contains(page, "No gap analysis yet") {
		t.Errorf("the dashboard on a new install: %d", r.StatusCode)
	}
	agent := newBrowser(t, f)
	agent.login("agent@example.com", "correct horse battery")
	if _, home := agent.get("/"); strings.Contains(home, "Open the dashboard") {
		t.Errorf("an agent's home page shows the dashboard's card")
	}
	f.run(t, scenario{name: "dashboard", role: access.TopManagement, method: http.MethodGet, path: "/api/v1/dashboard", status: http.StatusOK,
		check: func(t *testing.T, m map[string]any, _ *http.Response) {
			if m["readiness"] != nil || m["open_actions"] != float64(0) {
				t.Errorf("a new install's dashboard: %v", m)
			}
		}})
	f.run(t, scenario{name: "requester", role: access.Requester, method: http.MethodGet, path: "/api/v1/dashboard", status: http.StatusForbidden})
}
