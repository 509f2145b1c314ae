package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestJumpFindsWhatTheUserMaySee: the jump box finds teams, users and
// organisations by name, links each to its page, and finds nothing the
// user may not see.
func TestJumpFindsWhatTheUserMaySee(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	team, err := f.app.CreateTeam(ctx, access.CLI, account.TeamInput{Name: "Change advisory board"})
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := f.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "advisor@example.com", Name: "Board Advisor", Role: access.Requester, OrgID: f.orgs["b"].ID})
	if err != nil {
		t.Fatal(err)
	}
	agent := newBrowser(t, f)
	agent.login("agent@example.com", "correct horse battery")
	_, page := agent.get("/jump?q=board")
	if !strings.Contains(page, `href="/teams/`+itoa(team.ID)+`"`) || !strings.Contains(page, `href="/users/`+itoa(stranger.ID)+`"`) {
		t.Errorf("an agent jumping to \"board\": want the team and the user linked:\n%s", page)
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/jump?q=board", nil)
	req.Header.Set("HX-Request", "true")
	resp, err := agent.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	frag, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(frag), "<html") || !strings.Contains(string(frag), `class="jump-results"`) {
		t.Errorf("htmx asking the jump box: want the list alone:\n%s", frag)
	}
	requester := newBrowser(t, f)
	requester.login("requester@example.com", "correct horse battery")
	_, page = requester.get("/jump?q=board")
	if strings.Contains(page, "/teams/") || strings.Contains(page, "Board Advisor") || !strings.Contains(page, "Nothing you may see") {
		t.Errorf("a requester of another customer jumping to \"board\": want neither the team nor the other customer's user:\n%s", page)
	}
	if r, _ := requester.get("/jump?q=" + strings.Repeat("x", 300)); r.StatusCode != http.StatusOK {
		t.Errorf("an over-long jump: %d, want 200 with nothing found", r.StatusCode)
	}
}
