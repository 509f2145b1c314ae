package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestUserFormKeepsAnOrganisationBeyondTheFirstPage: the user form used to
// offer only the first 500 organisations, so saving a user of a later one
// moved them, unseen, to the first organisation offered. The form offers
// what a search finds and always the user's own organisation, and the users
// list names every user's organisation.
func TestUserFormKeepsAnOrganisationBeyondTheFirstPage(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	var last account.Organisation
	for i := range 505 {
		o, err := f.app.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: fmt.Sprintf("Customer %03d", i)})
		if err != nil {
			t.Fatal(err)
		}
		last = o
	}
	u, err := f.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "far@example.com", Name: "Far Away", Role: access.Requester, OrgID: last.ID})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	_, form := b.get("/users/" + itoa(u.ID) + "/edit")
	selected := regexp.MustCompile(`<option value="(\d+)" selected>`).FindAllStringSubmatch(form, -1)
	if len(selected) != 1 || selected[0][1] != itoa(last.ID) {
		t.Fatalf("edit form: selected organisations %v, want only %d", selected, last.ID)
	}
	token := b.csrf("/users/" + itoa(u.ID) + "/edit")
	values := url.Values{"_csrf": {token}, "version": {itoa(u.Version)}, "name": {"Far Away, renamed"}, "email": {u.Email},
		"role": {string(u.Role)}, "organisation_id": {selected[0][1]}, "active": {"on"}}
	if r, _ := b.post("/users/"+itoa(u.ID), values); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d, want 303", r.StatusCode)
	}
	got, _ := f.app.GetUser(ctx, access.CLI, u.ID)
	if got.OrgID != last.ID || got.Name != "Far Away, renamed" {
		t.Errorf("after saving the form unchanged but for the name: organisation %d, name %q; want %d", got.OrgID, got.Name, last.ID)
	}
	if _, list := b.get("/users?q=far"); !strings.Contains(list, last.Name) {
		t.Errorf("the users list does not name the organisation %q of a user beyond the first 500", last.Name)
	}

	// Searching, with htmx: the options found and the chosen one.
	req, _ := http.NewRequest("POST", f.ts.URL+"/users/organisation-options", strings.NewReader(url.Values{"org_q": {"Customer 007"}, "organisation_id": {itoa(last.ID)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", token)
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	options := regexp.MustCompile(`<option value="(\d+)"( selected)?>([^<]*)</option>`).FindAllStringSubmatch(string(body), -1)
	if resp.StatusCode != http.StatusOK || strings.Contains(string(body), "<html") || len(options) != 2 ||
		options[0][1] != itoa(last.ID) || options[0][2] == "" || !strings.HasPrefix(options[1][3], "Customer 007") {
		t.Errorf("organisation search: %d %q, want the chosen organisation selected and Customer 007", resp.StatusCode, body)
	}
	// Without JavaScript the Find button shows the form again and saves nothing.
	before := auditCount(t, f.db)
	values.Set("_action", "find-organisation")
	values.Set("org_q", "Customer 007")
	values.Set("version", itoa(got.Version))
	r, page := b.post("/users/"+itoa(u.ID), values)
	if r.StatusCode != http.StatusOK || !strings.Contains(page, "Customer 007") || auditCount(t, f.db) != before {
		t.Errorf("Find without JavaScript: %d, lists Customer 007: %v, audit entries added: %d", r.StatusCode, strings.Contains(page, "Customer 007"), auditCount(t, f.db)-before)
	}
}
