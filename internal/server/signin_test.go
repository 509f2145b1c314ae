package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store/storetest"
	"github.com/conform-itsm/conform/internal/web"
)

// newProxiedFixture is a fixture whose server trusts X-Forwarded-For from
// proxies proxies in front (0: --trust-proxy alone).
func newProxiedFixture(t *testing.T, proxies int) *fixture {
	t.Helper()
	return newFixtureOpts(t, storetest.Open(t, storetest.SQLite), fixtureOpts{cfg: server.Config{TrustProxy: true, TrustedProxies: proxies}})
}

// signInVia posts the sign-in form with the given X-Forwarded-For lines.
func signInVia(t *testing.T, f *fixture, forwarded []string, email, password string) *http.Response {
	t.Helper()
	b := newBrowser(t, f)
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {b.csrf("/login")}}
	req, _ := http.NewRequest("POST", f.ts.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, line := range forwarded {
		req.Header.Add("X-Forwarded-For", line)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestSignInBehindProxyTakesTheProxysAddress(t *testing.T) {
	servers := map[int]*fixture{0: newProxiedFixture(t, 0), 1: newProxiedFixture(t, 1), 2: newProxiedFixture(t, 2)}
	for _, tc := range []struct {
		name      string
		proxies   int
		forwarded []string
		want      string
	}{
		{"one proxy, client forges the left", 0, []string{"1.2.3.4, 10.0.0.9"}, "10.0.0.9"},
		{"one proxy, said explicitly", 1, []string{"1.2.3.4, 10.0.0.9"}, "10.0.0.9"},
		{"one proxy, forged line of its own", 0, []string{"1.2.3.4", "10.0.0.9"}, "10.0.0.9"},
		{"one proxy, nothing forged", 0, []string{"10.0.0.9"}, "10.0.0.9"},
		{"two proxies", 2, []string{"6.6.6.6, 203.0.113.5, 10.0.0.9"}, "203.0.113.5"},
		{"two proxies, forged line", 2, []string{"6.6.6.6", "203.0.113.5, 10.0.0.9"}, "203.0.113.5"},
		{"two proxies, fewer entries", 2, []string{"10.0.0.9"}, "10.0.0.9"},
		{"no header", 0, nil, "127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := servers[tc.proxies]
			resp := signInVia(t, f, tc.forwarded, "agent@example.com", "correct horse battery")
			var secret string
			for _, c := range resp.Cookies() {
				if c.Name == web.SessionCookie {
					secret = c.Value
				}
			}
			if resp.StatusCode != http.StatusSeeOther || secret == "" {
				t.Fatalf("sign in: %d, want 303 with a session", resp.StatusCode)
			}
			ctx := context.Background()
			auth, err := f.app.AuthenticateSession(ctx, secret)
			if err != nil {
				t.Fatal(err)
			}
			s, err := f.app.GetSession(ctx, auth.Actor, auth.Session.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.RemoteAddr; got != tc.want {
				t.Errorf("X-Forwarded-For %q: session address %q, want %q", tc.forwarded, got, tc.want)
			}
		})
	}
}

func TestSignInThrottleByAddressBehindProxyCannotBeSpoofed(t *testing.T) {
	f := newProxiedFixture(t, 0)
	// Twenty failures through the proxy at 10.0.0.9, each on another
	// account and each with another forged address in front.
	for i := range 20 {
		forged := fmt.Sprintf("1.2.3.%d, 10.0.0.9", i)
		if r := signInVia(t, f, []string{forged}, fmt.Sprintf("nobody%d@example.com", i), "wrong password!"); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, r.StatusCode)
		}
	}
	r := signInVia(t, f, []string{"1.2.3.99, 10.0.0.9"}, "agent@example.com", "correct horse battery")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("21st attempt from the same address under a new forged one: %d (Retry-After %q), want 429 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
}

func TestSignInDeactivatedAnswersAsWrongPassword(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	u := f.users[access.Agent]
	off := false
	if _, err := f.app.UpdateUser(context.Background(), access.CLI, u.ID, u.Version, account.UserUpdate{Active: &off}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	form := func(pw string) url.Values {
		return url.Values{"email": {"agent@example.com"}, "password": {pw}, "next": {"/users"}}
	}
	wrong, wrongBody := b.post("/login", form("wrong password!"))
	right, rightBody := b.post("/login", form("correct horse battery"))
	if right.StatusCode != wrong.StatusCode || rightBody != wrongBody {
		t.Errorf("deactivated account, right password: %d %q; want what a wrong one gets: %d %q",
			right.StatusCode, formError(rightBody), wrong.StatusCode, formError(wrongBody))
	}
	if wrong.StatusCode != http.StatusUnauthorized || formError(wrongBody) != "the email or password is wrong" {
		t.Errorf("wrong password: %d %q, want 401 saying the email or password is wrong", wrong.StatusCode, formError(wrongBody))
	}
}

var formErrorText = regexp.MustCompile(`<div class="alert alert-danger form-error" role="alert">([^<]*)</div>`)

// formError is the text of a page's form-wide error, or "".
func formError(body string) string {
	if m := formErrorText.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

func TestPasswordChangeThrottledAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	change := func(current string) *http.Response {
		return f.do(t, access.Agent, "PUT", "/api/v1/me/password", fmt.Sprintf(`{"current_password": %q, "new_password": "a brand new password"}`, current))
	}
	for i := range 5 {
		r := change("wrong password!")
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong current password %d: %d, want 422", i+1, r.StatusCode)
		}
		if ra, ok := r.Header["Retry-After"]; ok {
			t.Errorf("a 422 carries Retry-After %q; only a refusal to wait does", ra)
		}
	}
	r := change("correct horse battery")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("after 5 wrong current passwords: %d (Retry-After %q), want 429 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 {
		t.Errorf("Retry-After %q, want a whole number of seconds, at least 1", r.Header.Get("Retry-After"))
	}
	detail, _ := decode(t, r)["detail"].(string)
	_, wait, ok := strings.Cut(detail, "try again in ")
	if !ok {
		t.Fatalf("429 detail %q, want how long to wait", detail)
	}
	// The header and the text name the same wait.
	if d, err := time.ParseDuration(wait); err != nil || r.Header.Get("Retry-After") != strconv.Itoa(int(d.Seconds())) {
		t.Errorf("429 says to wait %q and Retry-After %q; want the same whole seconds", wait, r.Header.Get("Retry-After"))
	}
}

func TestPasswordChangeThrottledPage(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	if r := b.login("agent@example.com", "correct horse battery"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", r.StatusCode)
	}
	token := b.csrf("/account")
	change := func(current string) (*http.Response, string) {
		return b.post("/account/password", url.Values{"_csrf": {token}, "current_password": {current}, "new_password": {"a brand new password"}})
	}
	for i := range 5 {
		if r, _ := change("wrong password!"); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong current password %d: %d, want 422", i+1, r.StatusCode)
		}
	}
	r, body := change("correct horse battery")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("after 5 wrong current passwords: %d (Retry-After %q), want 429 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
	if msg := formError(body); !strings.HasPrefix(msg, "too many wrong current passwords; try again in ") {
		t.Errorf("429 page says %q, want how long to wait", msg)
	}
	if inputValue(t, body, "_csrf") == "" {
		t.Errorf("429 page lacks the password form")
	}
}
