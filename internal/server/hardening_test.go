package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestResponseHeaders: API answers are neither sniffed nor cached; a 401
// says how to authenticate; the static folders are not listed.
func TestResponseHeaders(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	r := f.do(t, access.Admin, "GET", "/api/v1/teams", "")
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("API answer: X-Content-Type-Options %q, Cache-Control %q; want nosniff and no-store", r.Header.Get("X-Content-Type-Options"), r.Header.Get("Cache-Control"))
	}
	for _, path := range []string{"/api/v1/teams", "/api/v1/me"} {
		r := f.do(t, "", "GET", path, "")
		if r.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("GET %s without a token: %d, WWW-Authenticate %q; want 401 with a Bearer challenge", path, r.StatusCode, r.Header.Get("WWW-Authenticate"))
		}
	}
	// A bad token is refused before routing, outside huma: the same
	// challenge. Other problems written there (an unknown operation) carry
	// none.
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/teams", nil)
	req.Header.Set("Authorization", "Bearer cfm_not-a-token")
	if r, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else if r.Body.Close(); r.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("GET with a bad token: %d, WWW-Authenticate %q; want 401 with a Bearer challenge", r.StatusCode, r.Header.Get("WWW-Authenticate"))
	}
	if r := f.do(t, access.Admin, "GET", "/api/v1/no-such-kind", ""); r.StatusCode != http.StatusNotFound || r.Header.Get("WWW-Authenticate") != "" {
		t.Errorf("an unknown operation: %d, WWW-Authenticate %q; want 404 without a challenge", r.StatusCode, r.Header.Get("WWW-Authenticate"))
	}
	for _, path := range []string{"/static/", "/static/vendor/", "/static/vendor"} {
		r := f.do(t, "", "GET", path, "")
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `href="htmx.min.js"`) || strings.Contains(string(body), `href="vendor/"`) {
			t.Errorf("GET %s lists the folder: %d", path, r.StatusCode)
		}
	}
	if r := f.do(t, "", "GET", "/static/app.css", ""); r.StatusCode != http.StatusOK {
		t.Errorf("a static file: %d, want 200", r.StatusCode)
	}
}

// TestIfMatchIsStrict: a weak ETag never matches, a list of ETags accepts
// any of them, and a header that is not an ETag or a list of them is
// refused with 400, never taken as "any version". A refused change
// changes nothing; each case starts from a fresh team at version 1.
func TestIfMatchIsStrict(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	for i, c := range []struct {
		ifMatch string
		patch   int // the PATCH, from version 1
		del     int // the DELETE after it
	}{
		{`W/"1"`, http.StatusPreconditionFailed, http.StatusPreconditionFailed},
		{`W/"1", W/"2"`, http.StatusPreconditionFailed, http.StatusPreconditionFailed},
		{`"2"`, http.StatusPreconditionFailed, http.StatusPreconditionFailed},
		{`"0"`, http.StatusPreconditionFailed, http.StatusPreconditionFailed},
		{`"-1"`, http.StatusPreconditionFailed, http.StatusPreconditionFailed},
		{`"x"`, http.StatusPreconditionFailed, http.StatusPreconditionFailed},
		{`"2", "3"`, http.StatusPreconditionFailed, http.StatusPreconditionFailed},
		{`W/"1", "2"`, http.StatusPreconditionFailed, http.StatusPreconditionFailed},
		{`1`, http.StatusBadRequest, http.StatusBadRequest},
		{`"1`, http.StatusBadRequest, http.StatusBadRequest},
		{`1"`, http.StatusBadRequest, http.StatusBadRequest},
		{`"`, http.StatusBadRequest, http.StatusBadRequest},
		{`"1", 2`, http.StatusBadRequest, http.StatusBadRequest},
		{`"1",`, http.StatusBadRequest, http.StatusBadRequest},
		{`W/1`, http.StatusBadRequest, http.StatusBadRequest},
		{`**`, http.StatusBadRequest, http.StatusBadRequest},
		{`"1"`, http.StatusOK, http.StatusPreconditionFailed},
		{` "1" `, http.StatusOK, http.StatusPreconditionFailed},
		{`"2", "1"`, http.StatusOK, http.StatusNoContent},
		{`W/"1", "1"`, http.StatusOK, http.StatusPreconditionFailed},
		{`*`, http.StatusOK, http.StatusNoContent},
		{``, http.StatusOK, http.StatusNoContent},
	} {
		team, err := f.app.CreateTeam(context.Background(), access.CLI, account.TeamInput{Name: "Strict " + itoa(int64(i))})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/teams/" + itoa(team.ID)
		for _, method := range []string{"PATCH", "DELETE"} {
			req, _ := http.NewRequest(method, f.ts.URL+path, strings.NewReader(`{"description":"checked"}`))
			if method == "DELETE" {
				req, _ = http.NewRequest(method, f.ts.URL+path, nil)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+f.tokens[access.Admin])
			if c.ifMatch != "" {
				req.Header.Set("If-Match", c.ifMatch)
			}
			before := auditCount(t, f.db)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := c.patch
			if method == "DELETE" {
				want = c.del
			}
			if resp.StatusCode != want {
				t.Errorf("%s with If-Match %s: %d, want %d", method, c.ifMatch, resp.StatusCode, want)
			}
			if changed := auditCount(t, f.db) != before; changed != (resp.StatusCode < 300) {
				t.Errorf("%s with If-Match %s: answered %d and wrote to the trail: %v", method, c.ifMatch, resp.StatusCode, changed)
			}
		}
	}
}

// TestErrorsNeverEchoPasswords: a refused password is not repeated in the
// problem's details.
func TestErrorsNeverEchoPasswords(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	secret := strings.Repeat("hunter2-", 40) // longer than the schema allows
	for _, c := range []struct{ method, path, body string }{
		{"PUT", "/api/v1/users/" + itoa(f.users[access.Agent].ID) + "/password", `{"password":"` + secret + `"}`},
		{"PUT", "/api/v1/me/password", `{"current_password":"` + secret + `","new_password":"` + secret + `"}`},
	} {
		r := f.do(t, access.Admin, c.method, c.path, c.body)
		body, _ := io.ReadAll(r.Body)
		if r.StatusCode != http.StatusUnprocessableEntity || strings.Contains(string(body), "hunter2") {
			t.Errorf("%s %s: %d %s; want 422 without the password", c.method, c.path, r.StatusCode, body)
		}
	}
}

// TestSecureSessionCookie: behind TLS (--secure-cookies) the session
// cookie is Secure with the __Host- prefix, works, and pages say to keep
// to HTTPS.
func TestSecureSessionCookie(t *testing.T) {
	f := newFixtureOpts(t, storetest.Open(t, storetest.SQLite), fixtureOpts{cfg: server.Config{SecureCookies: true}})
	ts := f.ts
	b := newBrowser(t, f)
	r := b.login("agent@example.com", "correct horse battery")
	var cookie *http.Cookie
	for _, c := range r.Cookies() {
		if strings.Contains(c.Name, "conform_session") {
			cookie = c
		}
	}
	if cookie == nil || cookie.Name != "__Host-conform_session" || !cookie.Secure || cookie.Path != "/" || cookie.Domain != "" {
		t.Fatalf("session cookie: %+v, want __Host-conform_session, Secure, Path=/, no Domain", cookie)
	}
	if r.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no Strict-Transport-Security header with secure cookies")
	}
	// The test client is plain HTTP, so it would not send a Secure cookie back: send it by hand.
	req, _ := http.NewRequest("GET", ts.URL+"/account", nil)
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a page with the __Host- cookie: %d, want 200", resp.StatusCode)
	}
}

// TestBodyNeedsJSONContentType: a body without a JSON content type is
// refused with 415 before anything is read into a record, and the refusal
// does not repeat the body.
func TestBodyNeedsJSONContentType(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	agent := "/api/v1/users/" + itoa(f.users[access.Agent].ID)
	before := auditCount(t, f.db)
	// A change (PATCH), a create (POST) and a replacement (PUT) alike.
	for _, c := range []struct{ method, path, body string }{
		{"PATCH", agent, `{"name":"Renamed"}`},
		{"POST", "/api/v1/teams", `{"name":"Renamed"}`},
		{"PUT", agent + "/password", `{"password":"a much longer secret phrase 42"}`},
	} {
		for _, ct := range []string{"", "text/plain"} {
			req, _ := http.NewRequest(c.method, f.ts.URL+c.path, strings.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+f.tokens[access.Admin])
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnsupportedMediaType || strings.Contains(string(body), "Renamed") {
				t.Errorf("%s %s with Content-Type %q: %d %s, want 415 without the body echoed", c.method, c.path, ct, resp.StatusCode, body)
			}
		}
	}
	if after := auditCount(t, f.db); after != before {
		t.Errorf("refused writes wrote %d audit entries", after-before)
	}
	if got, _ := f.app.GetUser(context.Background(), access.CLI, f.users[access.Agent].ID); got.Name == "Renamed" {
		t.Error("a refused PATCH changed the user")
	}
	// With it, the same PATCH works.
	if r := f.do(t, access.Admin, "PATCH", agent, `{"name":"Renamed"}`); r.StatusCode != http.StatusOK {
		t.Errorf("PATCH with application/json: %d, want 200", r.StatusCode)
	}
}

// An operation that takes query parameters alone (a list) refuses bad ones
// with 422, and declares that answer: the fixture checks every answer
// against the OpenAPI document, so an undeclared 422 fails the test.
func TestOpenAPIDeclaresQueryParameterErrors(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	for _, path := range []string{"/api/v1/teams?limit=501", "/api/v1/teams?limit=-1", "/api/v1/teams?limit=many", "/api/v1/users?cursor=" + strings.Repeat("x", 101)} {
		r := f.do(t, access.Admin, "GET", path, "")
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "query.") {
			t.Errorf("GET %s: %d %s, want 422 naming the query parameter", path, r.StatusCode, body)
		}
	}
}
