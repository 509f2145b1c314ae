package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestUnroutedRequests: an address no route takes, or a method a route
// does not take, is answered as the rest of its surface answers: a
// problem+json under /api/, the styled error page elsewhere, and 405 with
// Allow rather than the mux's plain text.
func TestUnroutedRequests(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	for _, c := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/v1/no-such-thing", http.StatusNotFound, ""},
		{"PUT", "/api/v1/teams", http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{"POST", "/api/v1/teams/5", http.StatusMethodNotAllowed, "DELETE, GET, HEAD, PATCH"},
	} {
		r := f.do(t, access.Admin, c.method, c.path, "")
		var p struct {
			Title  string `json:"title"`
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		err := json.NewDecoder(r.Body).Decode(&p)
		if r.StatusCode != c.status || r.Header.Get("Content-Type") != "application/problem+json" || err != nil || p.Status != c.status || p.Detail == "" {
			t.Errorf("%s %s: %d %q %+v (%v), want %d problem+json", c.method, c.path, r.StatusCode, r.Header.Get("Content-Type"), p, err, c.status)
		}
		if r.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, r.Header.Get("Allow"), c.allow)
		}
	}
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	r, body := b.get("/no-such-page")
	if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(body, `<h1 class="page-title">Not Found</h1>`) || !strings.Contains(body, `href="/teams"`) || r.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("unknown page: %d %q, want the styled 404 page in the layout with its navigation:\n%s", r.StatusCode, r.Header.Get("Content-Type"), body)
	}
	if !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
		t.Errorf("unknown page: something follows the page: %q", body[max(0, len(body)-200):])
	}
	if r, _ := newBrowser(t, f).get("/no-such-page"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page, signed out: %d, want 404", r.StatusCode)
	}
}

// TestAuditTrailPage: changes to records and sign-ins are shown apart,
// each entry links to its record and to its own page with its hashes.
func TestAuditTrailPage(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	team, err := f.app.CreateTeam(context.Background(), access.CLI, account.TeamInput{Name: "Linked"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("internal_auditor@example.com", "correct horse battery")
	_, changes := b.get("/audit")
	if !strings.Contains(changes, `<a href="/teams/`+itoa(team.ID)+`">Team TEAM-`) || strings.Contains(changes, "Session SES-") {
		t.Errorf("changes to records: want the team's entry linked to its page and no sign-ins:\n%s", changes)
	}
	_, signins := b.get("/audit?show=signins")
	if !strings.Contains(signins, "Session SES-") || strings.Contains(signins, "Team TEAM-") {
		t.Errorf("sign-ins: want the auditor's sign-in and no record changes")
	}
	es, _, err := f.db.ListAudit(context.Background(), store.AuditFilter{Entity: "team", EntityID: team.ID})
	if err != nil || len(es) != 1 {
		t.Fatalf("the team's entry: %v %v", es, err)
	}
	r, entry := b.get("/audit/" + itoa(es[0].Seq))
	if r.StatusCode != http.StatusOK || !strings.Contains(entry, es[0].Hash) || !strings.Contains(entry, es[0].PrevHash) {
		t.Errorf("entry page: %d, want its hash and previous hash", r.StatusCode)
	}
	var got struct {
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	}
	resp := f.do(t, access.InternalAuditor, "GET", "/api/v1/audit/"+itoa(es[0].Seq), "")
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.Seq != es[0].Seq || got.Hash != es[0].Hash {
		t.Errorf("API entry: %+v %v, want seq %d and its hash", got, err, es[0].Seq)
	}
	if r := f.do(t, access.Agent, "GET", "/api/v1/audit/"+itoa(es[0].Seq), ""); r.StatusCode != http.StatusForbidden {
		t.Errorf("an agent reading an audit entry: %d, want 403", r.StatusCode)
	}
}

// TestStaleErrorPageOffersReload: a change refused because the record
// changed says so and links back to the page it came from, read again; a
// link elsewhere is never offered.
func TestStaleErrorPageOffersReload(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	tok, _, err := f.app.CreateToken(context.Background(), access.CLI, account.TokenInput{UserID: f.users[access.Agent].ID, Name: "stale"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	token := b.csrf("/tokens")
	stale := url.Values{"_csrf": {token}, "version": {itoa(tok.Version + 1)}}
	r, page := b.post("/tokens/"+itoa(tok.ID)+"/revoke", stale, "Referer", f.ts.URL+"/tokens?mine=1")
	if r.StatusCode != http.StatusPreconditionFailed || !strings.Contains(page, `<a href="/tokens?mine=1" class="btn btn-primary">`) {
		t.Errorf("stale revoke: %d, want 412 with a link to reload /tokens:\n%s", r.StatusCode, page)
	}
	_, page = b.post("/tokens/"+itoa(tok.ID)+"/revoke", stale, "Referer", "https://evil.example/phish")
	if strings.Contains(page, "evil.example") || !strings.Contains(page, `<a href="/" class="btn btn-primary">`) {
		t.Errorf("stale revoke from a foreign page: want the reload link to stay on this site")
	}
	// A change the record's state refuses (a conflict) offers the same.
	current := url.Values{"_csrf": {token}, "version": {itoa(tok.Version)}}
	if r, _ := b.post("/tokens/"+itoa(tok.ID)+"/revoke", current); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	r, page = b.post("/tokens/"+itoa(tok.ID)+"/revoke", url.Values{"_csrf": {token}, "version": {itoa(tok.Version + 1)}}, "Referer", f.ts.URL+"/tokens")
	if r.StatusCode != http.StatusConflict || !strings.Contains(page, `<a href="/tokens" class="btn btn-primary">`) {
		t.Errorf("revoking a revoked token: %d, want 409 with a link to reload /tokens:\n%.600s", r.StatusCode, page)
	}
	// A refusal of another kind (not found) offers none.
	if r, page := b.post("/tokens/999999/revoke", current, "Referer", f.ts.URL+"/tokens"); r.StatusCode != http.StatusNotFound || strings.Contains(page, "Reload the current version") {
		t.Errorf("revoking a missing token: %d, want 404 without a reload link", r.StatusCode)
	}
}
