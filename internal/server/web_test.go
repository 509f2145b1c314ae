package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
	"github.com/conform-itsm/conform/internal/web"
)

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t      *testing.T
	f      *fixture
	client *http.Client
}

func newBrowser(t *testing.T, f *fixture) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, f: f, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.f.ts.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) post(path string, form url.Values, header ...string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.f.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) login(email, password string) *http.Response {
	b.t.Helper()
	resp, _ := b.post("/login", url.Values{"email": {email}, "password": {password}, "next": {"/users"}})
	return resp
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([0-9a-f]+)"`)

func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF field on %s", path)
	}
	return m[1]
}

func TestSessionLoginLogoutAndCookie(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	resp := b.login("ADMIN@example.com ", "correct horse battery")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/users" {
		t.Fatalf("login: got %d to %q, want 303 to /users", resp.StatusCode, resp.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == web.SessionCookie {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/ and a lifetime", c)
	}
	if r, _ := b.get("/users"); r.StatusCode != 200 {
		t.Fatalf("users page after login: %d", r.StatusCode)
	}
	// A state-changing request without the CSRF token is refused and changes nothing.
	before := auditCount(t, f.db)
	if r, _ := b.post("/teams", url.Values{"name": {"Sneaky"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d, want 403", r.StatusCode)
	}
	// So is one from another site, even with the token.
	token := b.csrf("/teams/new")
	if r, _ := b.post("/teams", url.Values{"name": {"Sneaky"}, "_csrf": {token}}, "Sec-Fetch-Site", "cross-site"); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", r.StatusCode)
	}
	if n := auditCount(t, f.db); n != before {
		t.Errorf("refused requests wrote %d audit entries", n-before)
	}
	// With the token the same form works.
	if r, _ := b.post("/teams", url.Values{"name": {"Real team"}, "_csrf": {token}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST with CSRF token: %d, want 303", r.StatusCode)
	}
	// Logging out ends the session on the server.
	if r, _ := b.post("/logout", url.Values{"_csrf": {token}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %d", r.StatusCode)
	}
	// Replaying the old cookie no longer works.
	req, _ := http.NewRequest("GET", f.ts.URL+"/users", nil)
	req.AddCookie(c)
	r, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("old cookie after logout: %d, want redirect to sign in", r.StatusCode)
	}
}

func TestLoginFormErrorsAndThrottle(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	r, body := b.post("/login", url.Values{"email": {""}, "password": {""}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="email-error"`) || !strings.Contains(body, `id="password-error"`) {
		t.Errorf("empty login: %d, want 422 naming email and password", r.StatusCode)
	}
	for i := range 5 {
		r := b.login("agent@example.com", "wrong password!")
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, r.StatusCode)
		}
	}
	// After five failures the account must wait, even with the right password.
	r = b.login("agent@example.com", "correct horse battery")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("throttled login: %d (Retry-After %q), want 429 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Another account from the same address is not blocked yet.
	if r := b.login("sms_manager@example.com", "correct horse battery"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("other account: %d, want 303", r.StatusCode)
	}
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
		b := newBrowser(t, f)
		r, _ := b.post("/login", url.Values{"email": {"agent@example.com"}, "password": {"correct horse battery"}, "next": {next}})
		if loc := r.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q, want /", next, loc)
		}
	}
}

func TestFormErrorsNameFieldsAndWriteNothing(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	token := b.csrf("/users/new")
	before := auditCount(t, f.db)
	r, body := b.post("/users", url.Values{"_csrf": {token}, "name": {""}, "email": {"nope"}, "role": {"agent"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad user form: %d, want 422", r.StatusCode)
	}
	for _, id := range []string{`id="name-error"`, `id="email-error"`} {
		if !strings.Contains(body, id) {
			t.Errorf("form response lacks %s", id)
		}
	}
	if n := auditCount(t, f.db); n != before {
		t.Errorf("a refused form wrote %d audit entries", n-before)
	}
	// A stale edit (version moved on) is refused with a message, not applied.
	u := f.users[access.Agent]
	r, body = b.post("/users/"+itoa(u.ID), url.Values{"_csrf": {token}, "name": {"Renamed"}, "email": {u.Email}, "role": {"agent"},
		"organisation_id": {itoa(u.OrgID)}, "active": {"on"}, "version": {"99"}})
	if r.StatusCode != http.StatusPreconditionFailed || !strings.Contains(body, "changed since it was read") {
		t.Errorf("stale edit: %d, want 412 with an explanation", r.StatusCode)
	}
	got, _ := f.db.GetUser(context.Background(), u.ID)
	if got.Name != u.Name {
		t.Errorf("stale edit renamed the user to %q", got.Name)
	}
	// A delete the rules refuse shows the record again with the reason.
	admin := f.users[access.Admin]
	r, body = b.post("/users/"+itoa(admin.ID)+"/delete", url.Values{"_csrf": {token}, "version": {itoa(admin.Version)}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(body, "you cannot delete your own account") || !strings.Contains(body, "<h1>"+admin.Name) {
		t.Errorf("deleting oneself: %d, want 409 on one's own page with the reason", r.StatusCode)
	}
	if _, err := f.db.GetUser(context.Background(), admin.ID); err != nil {
		t.Errorf("the administrator deleted their own account: %v", err)
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	one, two := newBrowser(t, f), newBrowser(t, f)
	one.login("agent@example.com", "correct horse battery")
	two.login("agent@example.com", "correct horse battery")
	token := one.csrf("/account")
	r, body := one.post("/account/password", url.Values{"_csrf": {token}, "current_password": {"wrong one here"}, "new_password": {"short"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="current_password-error"`) || !strings.Contains(body, `id="new_password-error"`) {
		t.Fatalf("bad password change: %d, want 422 naming both fields", r.StatusCode)
	}
	r, _ = one.post("/account/password", url.Values{"_csrf": {token}, "current_password": {"correct horse battery"}, "new_password": {"a much better secret"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("password change: %d", r.StatusCode)
	}
	if r, _ := one.get("/account"); r.StatusCode != 200 {
		t.Errorf("the session that changed the password: %d, want it kept", r.StatusCode)
	}
	if r, _ := two.get("/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session: %d, want it ended (redirect to sign in)", r.StatusCode)
	}
	if r := newBrowser(t, f).login("agent@example.com", "a much better secret"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the new password: %d", r.StatusCode)
	}
}

func TestRequesterPagesScoped(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("requester@example.com", "correct horse battery")
	_, body := b.get("/users")
	if strings.Contains(body, "agent@example.com") || !strings.Contains(body, "requester@example.com") {
		t.Errorf("requester's user list shows other organisations' users or not their own")
	}
	if r, _ := b.get("/organisations/" + itoa(f.orgs["b"].ID)); r.StatusCode != http.StatusNotFound {
		t.Errorf("requester opening another customer: %d, want 404", r.StatusCode)
	}
	_, home := b.get("/")
	if strings.Contains(home, `href="/teams"`) || strings.Contains(home, `href="/audit"`) {
		t.Errorf("requester's navigation offers pages they may not open")
	}
}

func TestHTMXPartial(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	req, _ := http.NewRequest("GET", f.ts.URL+"/users?q=auditor", nil)
	req.Header.Set("HX-Request", "true")
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(body), "<html") || !strings.Contains(string(body), "internal_auditor@example.com") || strings.Contains(string(body), "agent@example.com") {
		t.Errorf("htmx search returned a whole page or the wrong rows:\n%s", body)
	}
}

func TestIdleSessionExpires(t *testing.T) {
	clock := storetest.NewClock()
	f := newFixtureWith(t, func(c *store.Config) { c.Now = clock.Now })
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	if r, _ := b.get("/account"); r.StatusCode != 200 {
		t.Fatalf("fresh session: %d", r.StatusCode)
	}
	clock.Advance(f.app.Config().SessionIdle + time.Second)
	if r, _ := b.get("/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("idle session: %d, want redirect to sign in", r.StatusCode)
	}
}
