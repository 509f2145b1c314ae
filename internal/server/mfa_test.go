package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/store/storetest"
	"github.com/conform-itsm/conform/internal/web"
)

func hasSession(resp *http.Response) bool {
	for _, c := range resp.Cookies() {
		if (c.Name == web.SessionCookie || c.Name == web.SecureSessionCookie) && c.Value != "" {
			return true
		}
	}
	return false
}

// The sign-in form carries a CSRF token of its own: without it, or with
// another, nobody is signed in.
func TestLoginFormNeedsItsCSRFToken(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	for name, token := range map[string][]string{"missing": nil, "wrong": {strings.Repeat("ab", 32)}, "empty": {""}} {
		t.Run(name, func(t *testing.T) {
			b := newBrowser(t, f)
			b.csrf("/login") // the browser holds the cookie
			form := url.Values{"email": {"agent@example.com"}, "password": {"correct horse battery"}}
			if token != nil {
				form["_csrf"] = token
			} else {
				form["_csrf"] = nil
			}
			req, _ := http.NewRequest("POST", f.ts.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := b.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || hasSession(resp) {
				t.Errorf("%s token: %d (session %v), want 403 and no session", name, resp.StatusCode, hasSession(resp))
			}
			if r, _ := b.get("/account"); r.StatusCode != http.StatusSeeOther {
				t.Errorf("%s token: /account answers %d, want 303 to sign in", name, r.StatusCode)
			}
		})
	}
	// Another browser's token does not do either.
	one, two := newBrowser(t, f), newBrowser(t, f)
	r, body := two.post("/login", url.Values{"_csrf": {one.csrf("/login")}, "email": {"agent@example.com"}, "password": {"correct horse battery"}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(body, "did not come from Conform") {
		t.Errorf("another browser's token: %d, want 403 saying why", r.StatusCode)
	}
}

var secretText = regexp.MustCompile(`<code class="secret" id="mfa-secret">([A-Z2-7]+)</code>`)

// An administrator signs in in two steps; a wrong code is refused by name,
// and a code is not taken twice.
func TestMFASignInTwoStepsInTheBrowser(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	r, _ := b.post("/login", url.Values{"email": {"admin@example.com"}, "password": {"correct horse battery"}, "next": {"/teams"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login/mfa" || hasSession(r) {
		t.Fatalf("password of an administrator: %d to %q (session %v), want 303 to /login/mfa and no session", r.StatusCode, r.Header.Get("Location"), hasSession(r))
	}
	if r, _ := b.get("/teams"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a page before the second step: %d, want 303 to sign in", r.StatusCode)
	}
	token := b.csrf("/login/mfa")
	r, body := b.post("/login/mfa", url.Values{"_csrf": {token}, "code": {"000000"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="code-error"`) {
		t.Fatalf("wrong code: %d, want 422 naming the code", r.StatusCode)
	}
	r, _ = b.post("/login/mfa", url.Values{"_csrf": {"nope"}, "code": {f.recoveryCode(t, "admin@example.com")}})
	if r.StatusCode != http.StatusForbidden || hasSession(r) {
		t.Fatalf("second step without its token: %d, want 403", r.StatusCode)
	}
	code := f.recoveryCode(t, "admin@example.com")
	r, _ = b.post("/login/mfa", url.Values{"_csrf": {token}, "code": {code}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/teams" || !hasSession(r) {
		t.Fatalf("recovery code: %d to %q, want 303 to /teams with a session", r.StatusCode, r.Header.Get("Location"))
	}
	if r, _ := b.get("/teams"); r.StatusCode != http.StatusOK {
		t.Fatalf("after the second step: %d, want 200", r.StatusCode)
	}
	// The same recovery code in another browser: refused.
	other := newBrowser(t, f)
	other.post("/login", url.Values{"email": {"admin@example.com"}, "password": {"correct horse battery"}})
	if r := other.secondStep(code); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a used recovery code: %d, want 422", r.StatusCode)
	}
}

// A role an administrator chose must set a second factor up at sign-in,
// before any page; then it is on, and the account page says so.
func TestMFARequiredRoleSetsUpAtSignIn(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	admin := newBrowser(t, f)
	admin.login("admin@example.com", "correct horse battery")
	if r, _ := admin.post("/account/mfa-policy", url.Values{"_csrf": {admin.csrf("/account")}, "role": {"agent"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("choosing agents: %d, want 303", r.StatusCode)
	}
	b := newBrowser(t, f)
	r, _ := b.post("/login", url.Values{"email": {"agent@example.com"}, "password": {"correct horse battery"}, "next": {"/account"}})
	if r.Header.Get("Location") != "/login/mfa" || hasSession(r) {
		t.Fatalf("agent's password: %d to %q, want the second step", r.StatusCode, r.Header.Get("Location"))
	}
	_, page := b.get("/login/mfa")
	m := secretText.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `src="data:image/png;base64,`) {
		t.Fatalf("set-up page lacks the key or its QR code")
	}
	code, err := app.TOTPCode(m[1], app.TOTPStep(f.db.Now()))
	if err != nil {
		t.Fatal(err)
	}
	r, body := b.post("/login/mfa", url.Values{"_csrf": {b.csrf("/login/mfa")}, "code": {code}})
	if r.StatusCode != http.StatusOK || !hasSession(r) || strings.Count(body, "<li><code>") != 10 {
		t.Fatalf("set-up code: %d (session %v), want 200 with a session and ten recovery codes", r.StatusCode, hasSession(r))
	}
	if _, body := b.get("/account"); !strings.Contains(body, "On since") {
		t.Errorf("account page does not say two-factor sign-in is on")
	}
	st, err := f.app.MFAStatus(context.Background(), f.users[access.Agent].Actor("session"))
	if err != nil || !st.Enabled {
		t.Errorf("agent's status %+v, %v; want on", st, err)
	}
}

// The account page sets a second factor up, and the user can switch it
// off with their password and a code.
func TestMFAFromTheAccountPage(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	_, page := b.get("/account/mfa")
	m := secretText.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("set-up page lacks the key")
	}
	token := b.csrf("/account")
	if r, body := b.post("/account/mfa", url.Values{"_csrf": {token}, "code": {"12"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, m[1]) {
		t.Fatalf("wrong first code: %d, want 422 with the same key again", r.StatusCode)
	}
	code, _ := app.TOTPCode(m[1], app.TOTPStep(f.db.Now()))
	r, body := b.post("/account/mfa", url.Values{"_csrf": {token}, "code": {code}})
	codes := regexp.MustCompile(`<li><code>([a-z2-7-]+)</code>`).FindAllStringSubmatch(body, -1)
	if r.StatusCode != http.StatusOK || len(codes) != 10 {
		t.Fatalf("switching on: %d with %d recovery codes, want 200 and 10", r.StatusCode, len(codes))
	}
	r, body = b.post("/account/mfa/disable", url.Values{"_csrf": {token}, "password": {"wrong password!"}, "code": {codes[0][1]}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="password-error"`) {
		t.Fatalf("switching off with a wrong password: %d, want 422 naming the password", r.StatusCode)
	}
	if r, _ := b.post("/account/mfa/disable", url.Values{"_csrf": {token}, "password": {"correct horse battery"}, "code": {codes[1][1]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("switching off: %d, want 303", r.StatusCode)
	}
	if r := newBrowser(t, f).login("agent@example.com", "correct horse battery"); r.Header.Get("Location") != "/users" {
		t.Errorf("after switching off: to %q, want straight in", r.Header.Get("Location"))
	}
}
