package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// A page's form is read up to 1 MiB: a bigger one is refused and
// nothing is written, whether its CSRF token comes in the form (which is
// then not read, so the token is missing: 403) or in the header htmx
// sends (the form is refused as too large).
func TestSessionFormTooLarge(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	token := b.csrf("/teams/new")
	big := strings.Repeat("x", 2<<20)
	for _, c := range []struct {
		name   string
		form   url.Values
		header []string
		status int
		says   string
	}{
		{"token in the form", url.Values{"_csrf": {token}, "name": {"Big team"}, "description": {big}}, nil, http.StatusForbidden, ""},
		{"token in the header", url.Values{"name": {"Big team"}, "description": {big}}, []string{"X-CSRF-Token", token}, http.StatusUnprocessableEntity, "too large"},
	} {
		r, body := b.post("/teams", c.form, c.header...)
		if r.StatusCode != c.status || !strings.Contains(strings.ToLower(body), c.says) {
			t.Errorf("%s: a 2 MiB form answered %d, want %d saying %q", c.name, r.StatusCode, c.status, c.says)
		}
	}
	teams, _, err := f.app.ListTeams(context.Background(), access.CLI, store.TeamFilter{Query: "Big team"})
	if err != nil || len(teams) != 0 {
		t.Errorf("teams made from the refused forms: %v %v", teams, err)
	}
	if r, _ := b.post("/teams", url.Values{"_csrf": {token}, "name": {"Small team"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a small form: %d, want it saved", r.StatusCode)
	}
}
