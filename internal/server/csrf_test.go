package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestWrongCSRFTokenRefused: a signed-in browser's unsafe request with a
// CSRF token that is present but wrong is refused with 403 and changes
// nothing, as one without a token is: a token of the right shape, another
// session's token (the same user's), one with a character changed, or a
// wrong X-CSRF-Token header (which htmx sends) next to a right form field.
func TestWrongCSRFTokenRefused(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	if r := b.login("admin@example.com", "correct horse battery"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", r.StatusCode)
	}
	token := b.csrf("/account")
	other := newBrowser(t, f)
	other.login("admin@example.com", "correct horse battery")
	otherToken := other.csrf("/account")
	if otherToken == token {
		t.Fatal("two sessions share a CSRF token")
	}
	flipped := []byte(token)
	flipped[len(flipped)-1] = map[bool]byte{true: 'b', false: 'a'}[flipped[len(flipped)-1] == 'a']

	for _, c := range []struct {
		name   string
		form   string   // the _csrf field
		header []string // an X-CSRF-Token header
	}{
		{"a token of the right shape", strings.Repeat("ab", len(token)/2), nil},
		{"another session's token", otherToken, nil},
		{"one character changed", string(flipped), nil},
		{"a prefix of the token", token[:len(token)/2], nil},
		{"the token twice over", token + token, nil},
		{"a wrong header beside the right field", token, []string{"X-CSRF-Token", otherToken}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := auditCount(t, f.db)
			form := url.Values{"theme": {"dark"}}
			if c.form != "" {
				form.Set("_csrf", c.form)
			}
			r, _ := b.post("/account/theme", form, c.header...)
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("POST /account/theme with %s: %d, want 403", c.name, r.StatusCode)
			}
			r, _ = b.post("/teams", url.Values{"_csrf": {c.form}, "name": {"Sneaky " + c.name}}, c.header...)
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("POST /teams with %s: %d, want 403", c.name, r.StatusCode)
			}
			if n := auditCount(t, f.db) - before; n != 0 {
				t.Errorf("refused requests wrote %d audit entries", n)
			}
		})
	}
	// The right token, in the form or the header, works; so the refusals
	// above were for the token.
	if r, _ := b.post("/account/theme", url.Values{"_csrf": {token}, "theme": {"dark"}}); r.StatusCode >= 400 {
		t.Errorf("POST /account/theme with the session's token: %d", r.StatusCode)
	}
	if _, page := b.get("/account"); !strings.Contains(page, `data-theme-pref="dark" data-bs-theme="dark"`) {
		t.Errorf("after choosing the dark theme, the page is not dark")
	}
	if r, _ := b.post("/account/theme", url.Values{"theme": {"light"}}, "X-CSRF-Token", token); r.StatusCode >= 400 {
		t.Errorf("POST /account/theme with the session's token in X-CSRF-Token: %d", r.StatusCode)
	}
	if _, page := b.get("/account"); !strings.Contains(page, `data-theme-pref="light" data-bs-theme="light"`) {
		t.Errorf("after choosing the light theme, the page is not light")
	}
}
