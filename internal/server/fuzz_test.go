package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// FuzzAPIDecode throws arbitrary bodies at a create and an update: the API
// must answer with a client error or success, never a server error, and a
// refused body must write nothing.
func FuzzAPIDecode(f *testing.F) {
	for _, s := range []string{`{"name":"A"}`, `{"name":"B","member_ids":[1,2]}`, `{"name":`, `[]`, `null`, `{"name":"\u0000"}`,
		`{"name":"x","description":"` + "\xff" + `"}`, `{"name":"C","member_ids":[-1]}`, `{"name":"D","extra":true}`, `{"member_ids":"1"}`} {
		f.Add([]byte(s))
	}
	fx := newFixture(f, storetest.SQLite)
	h := fx.srv.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range []struct{ method, path string }{{"POST", "/api/v1/teams"}, {"PATCH", "/api/v1/organisations/1"}} {
			before := auditCount(t, fx.db)
			req := httptest.NewRequest(target.method, target.path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+fx.tokens[access.Admin])
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			code := rec.Code
			if code >= 500 {
				t.Fatalf("%s %s with %q: status %d: %s", target.method, target.path, body, code, rec.Body.String())
			}
			if code >= 400 && auditCount(t, fx.db) != before {
				t.Fatalf("%s %s with %q: refused (%d) but wrote to the audit trail", target.method, target.path, body, code)
			}
		}
	})
}

// FuzzLoginForm throws arbitrary form values at the sign-in page: it must
// answer 303 (success), 401, 422 or 429, never a server error.
func FuzzLoginForm(f *testing.F) {
	f.Add("admin@example.com", "correct horse battery", "/users")
	f.Add("", "", "")
	f.Add("a@b", "x", "//evil")
	f.Add("\x00@example.com", "\xff\xfe", "/\r\nSet-Cookie: x")
	fx := newFixture(f, storetest.SQLite)
	h := fx.srv.Handler()
	// The sign-in form's CSRF token and its cookie, as a browser has them.
	page := httptest.NewRecorder()
	h.ServeHTTP(page, httptest.NewRequest("GET", "/login", nil))
	m := csrfField.FindStringSubmatch(page.Body.String())
	if m == nil {
		f.Fatal("no CSRF token on the sign-in form")
	}
	cookies := page.Result().Cookies()
	f.Fuzz(func(t *testing.T, email, password, next string) {
		form := url.Values{"email": {email}, "password": {password}, "next": {next}, "_csrf": {m[1]}}
		req := httptest.NewRequest("POST", "/login", bytes.NewBufferString(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusSeeOther:
			loc := rec.Header().Get("Location")
			if len(loc) == 0 || loc[0] != '/' || (len(loc) > 1 && (loc[1] == '/' || loc[1] == '\\')) {
				t.Fatalf("login redirected off-site to %q", loc)
			}
		case http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusTooManyRequests:
		default:
			t.Fatalf("login with %q/%q: status %d", email, password, rec.Code)
		}
	})
}
