package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store/storetest"
	"github.com/conform-itsm/conform/internal/web"
)

// TestStaleSessionCookieCleared: a session cookie that names no session
// is removed, under the name it came by (the __Host- one Secure), and
// no other; signing out with no cookie at all clears the one the
// installation uses.
func TestStaleSessionCookieCleared(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	cleared := func(resp *http.Response) map[string]string {
		out := map[string]string{}
		for _, line := range resp.Header.Values("Set-Cookie") {
			name, _, _ := strings.Cut(line, "=")
			out[name] = line
		}
		return out
	}
	send := func(ts string, method, path string, header map[string]string, cookies ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, ts+path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		for _, name := range cookies {
			req.AddCookie(&http.Cookie{Name: name, Value: "stale-secret"})
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, c := range [][]string{{web.SessionCookie}, {web.SecureSessionCookie}, {web.SessionCookie, web.SecureSessionCookie}} {
		got := cleared(send(f.ts.URL, "GET", "/teams", nil, c...))
		if len(got) != len(c) {
			t.Errorf("stale %v: Set-Cookie %v, want exactly those cleared", c, got)
		}
		for _, name := range c {
			line := got[name]
			secure := strings.Contains(line, "; Secure")
			if !strings.Contains(line, "Max-Age=0") || secure != (name == web.SecureSessionCookie) {
				t.Errorf("stale %s: Set-Cookie %q, want it cleared (Max-Age=0), Secure only for __Host-", name, line)
			}
		}
	}
	// Signing out with a token and no cookie: the configured cookie.
	for secure, name := range map[bool]string{false: web.SessionCookie, true: web.SecureSessionCookie} {
		g := f
		if secure {
			g = newFixtureOpts(t, storetest.Open(t, storetest.SQLite), fixtureOpts{cfg: server.Config{SecureCookies: true}})
		}
		resp := send(g.ts.URL, "POST", "/logout", map[string]string{"Authorization": "Bearer " + g.tokens[access.Agent]})
		got := cleared(resp)
		if line := got[name]; len(got) != 1 || !strings.Contains(line, "Max-Age=0") {
			t.Errorf("sign out without a cookie (secure cookies %v): %d, Set-Cookie %v; want %s cleared", secure, resp.StatusCode, got, name)
		}
	}
}
