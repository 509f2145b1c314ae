package server_test

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestSecurityEventsOverHTTP: a 403 and the use of a token are recorded
// (the token once in its window), and auditors read them on the page and
// in the API, filtered and paged.
func TestSecurityEventsOverHTTP(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			agent := f.users[access.Agent]
			for range 3 {
				if resp := f.do(t, access.Agent, "GET", "/api/v1/audit", ""); resp.StatusCode != http.StatusForbidden {
					t.Fatalf("agent reading the trail: %d, want 403", resp.StatusCode)
				}
			}
			resp := f.do(t, access.InternalAuditor, "GET", "/api/v1/security-events?kind=permission_denied&user_id="+itoa(agent.ID), "")
			m := decode(t, resp)
			items, _ := m["items"].([]any)
			if resp.StatusCode != http.StatusOK || len(items) != 3 {
				t.Fatalf("denials of the agent: %d %v, want 3", resp.StatusCode, m)
			}
			ev := items[0].(map[string]any)
			if ev["detail"] != "GET /api/v1/audit" || ev["user_name"] != agent.Name || ev["remote_addr"] != "127.0.0.1" || ev["token_id"].(float64) == 0 {
				t.Errorf("denial %v, want the route, the user, the address and the token", ev)
			}
			resp = f.do(t, access.InternalAuditor, "GET", "/api/v1/security-events?kind=token_used&user_id="+itoa(agent.ID), "")
			if m := decode(t, resp); len(m["items"].([]any)) != 1 {
				t.Errorf("token use of the agent's three calls: %v, want one event", m)
			}
			// Pages of one.
			resp = f.do(t, access.Admin, "GET", "/api/v1/security-events?limit=1&kind=permission_denied", "")
			m = decode(t, resp)
			if next, _ := m["next_cursor"].(string); next == "" || !strings.Contains(resp.Header.Get("Link"), "cursor="+next) {
				t.Errorf("first page: %v, Link %q; want a cursor", m, resp.Header.Get("Link"))
			}
			for path, field := range map[string]string{
				"/api/v1/security-events?kind=coffee":                                       "query.kind",
				"/api/v1/security-events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z": "query.to",
				"/api/v1/security-events?cursor=nonsense":                                   "query.cursor",
			} {
				resp := f.do(t, access.Admin, "GET", path, "")
				if got := problemFields(decode(t, resp)); resp.StatusCode != http.StatusUnprocessableEntity || len(got) != 1 || got[0] != field {
					t.Errorf("%s: %d naming %v, want 422 naming %s", path, resp.StatusCode, got, field)
				}
			}

			// The page, for an auditor signed in in a browser.
			b := newBrowser(t, f)
			b.login("internal_auditor@example.com", "correct horse battery")
			resp, body := b.get("/audit/security?kind=permission_denied")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("page: %d", resp.StatusCode)
			}
			rows := regexp.MustCompile(`<tr data-kind="([a-z_]+)">`).FindAllStringSubmatch(body, -1)
			if len(rows) != 3 {
				t.Errorf("page rows %v, want the 3 denials", rows)
			}
			for _, r := range rows {
				if r[1] != "permission_denied" {
					t.Errorf("filtered page shows a %s", r[1])
				}
			}
			if !regexp.MustCompile(`<option value="permission_denied" selected>`).MatchString(body) {
				t.Error("the page does not keep the chosen kind")
			}
			resp, body = b.get("/audit/security?user_id=x&from=yesterday")
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "user_id") || !strings.Contains(body, "from") {
				t.Errorf("bad filters: %d, want 422 naming user_id and from", resp.StatusCode)
			}
		})
	}
}

// TestVerifyShowsCheckpoints: the verification page and API give the
// public key and the latest checkpoint.
func TestVerifyShowsCheckpoints(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	dir := t.TempDir()
	a, err := app.New(context.Background(), db, nil, app.Config{PasswordHasher: fastHash,
		Checkpoints: app.CheckpointConfig{KeyFile: filepath.Join(dir, "k"), Log: filepath.Join(dir, "log")}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(a, slog.New(slog.DiscardHandler), server.Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, app: a, db: db}
	f.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(f.ts.Close)
	seedUsers(t, f)

	m := decode(t, f.do(t, access.InternalAuditor, "GET", "/api/v1/audit/verify", ""))
	cps, _ := m["checkpoints"].(map[string]any)
	pub, _ := cps["public_key"].(string)
	if cps["enabled"] != true || !strings.HasPrefix(pub, "ed25519:") || cps["latest"] != nil {
		t.Fatalf("before a checkpoint: %v", cps)
	}
	cp, err := a.Checkpoint(context.Background(), access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	m = decode(t, f.do(t, access.InternalAuditor, "GET", "/api/v1/audit/verify", ""))
	cps = m["checkpoints"].(map[string]any)
	latest, _ := cps["latest"].(map[string]any)
	if latest == nil || latest["seq"].(float64) != float64(cp.Seq) || latest["hash"] != cp.Hash || latest["sig"] != cp.Signature || cps["latest_holds"] != true {
		t.Errorf("after a checkpoint: %v, want %+v holding", cps, cp)
	}

	b := newBrowser(t, f)
	b.login("internal_auditor@example.com", "correct horse battery")
	_, body := b.get("/audit/verify")
	if got := regexp.MustCompile(`<code id="checkpoint-public-key" class="hash">([^<]+)</code>`).FindStringSubmatch(body); got == nil || html.UnescapeString(got[1]) != pub {
		t.Errorf("page public key %v, want %s", got, pub)
	}
	if !strings.Contains(body, fmt.Sprintf(`<p id="checkpoint-latest">Latest checkpoint: entry %d, signed `, cp.Seq)) || !strings.Contains(body, fmt.Sprintf(`Its hash: <code class="hash">%s</code>`, cp.Hash)) {
		t.Error("the page does not show the latest checkpoint")
	}
}
