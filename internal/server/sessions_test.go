package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestOwnSessions: a user sees where they are signed in and can sign out
// of any of those sessions, or of all but this one; nobody else's.
func TestOwnSessions(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	here, there, elsewhere := newBrowser(t, f), newBrowser(t, f), newBrowser(t, f)
	for _, b := range []*browser{here, there, elsewhere} {
		b.login("agent@example.com", "correct horse battery")
	}
	_, page := here.get("/account")
	ends := regexp.MustCompile(`action="/account/sessions/(\d+)/end"`).FindAllStringSubmatch(page, -1)
	if len(ends) != 3 || strings.Count(page, "This browser") != 1 {
		t.Fatalf("account page: %d sessions listed, %d marked as this browser; want 3 and 1", len(ends), strings.Count(page, "This browser"))
	}
	// The API lists the same three for the same user.
	var listed struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	r := f.do(t, access.Agent, "GET", "/api/v1/me/sessions", "")
	if err := json.NewDecoder(r.Body).Decode(&listed); err != nil || len(listed.Items) != 3 {
		t.Fatalf("API sessions: %+v (%v), want 3", listed, err)
	}
	// Nobody else may end them: a requester gets not found.
	if r := f.do(t, access.Requester, "DELETE", "/api/v1/me/sessions/"+itoa(listed.Items[0].ID), ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("another user ending the agent's session: %d, want 404", r.StatusCode)
	}
	// Sign out of one other session from this page: the rows' forms come
	// in order, and the one after "This browser" is this browser's.
	current := regexp.MustCompile(`(?s)This browser.*?action="/account/sessions/(\d+)/end"`).FindStringSubmatch(page)
	if current == nil {
		t.Fatal("no form for this browser's session")
	}
	var other string
	for _, m := range ends {
		if m[1] != current[1] {
			other = m[1]
			break
		}
	}
	token := here.csrf("/account")
	before := auditCount(t, f.db)
	if r, _ := here.post("/account/sessions/"+other+"/end", url.Values{"_csrf": {token}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out there: %d, want 303", r.StatusCode)
	}
	if n := auditCount(t, f.db) - before; n != 1 {
		t.Errorf("ending a session: %d audit entries, want 1", n)
	}
	// One of the other two browsers is now signed out; then all but this.
	if r, _ := here.post("/account/sessions/end-others", url.Values{"_csrf": {token}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere else: %d, want 303", r.StatusCode)
	}
	for name, b := range map[string]*browser{"there": there, "elsewhere": elsewhere} {
		if r, _ := b.get("/account"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("%s after signing out everywhere else: %d, want sent to sign in", name, r.StatusCode)
		}
	}
	if r, _ := here.get("/account"); r.StatusCode != http.StatusOK {
		t.Errorf("this browser after signing out everywhere else: %d, want still signed in", r.StatusCode)
	}
	es, _, _ := f.db.ListAudit(ctx, store.AuditFilter{Entity: "session", Action: "delete"})
	if len(es) != 2 {
		t.Errorf("session ends in the audit trail: %d, want 2", len(es))
	}
}
