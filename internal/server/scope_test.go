package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestOrganisationScope: a requester of one customer can neither list,
// read, change, delete nor see the history of another customer's records,
// through the API or the pages, and their own organisation's records stay
// visible. Users and organisations are the kinds declared with
// organisation scope; what requesters may not see must look as if it did
// not exist.
func TestOrganisationScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		other, err := f.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "b-person@example.com", Name: "B Person", Role: access.Requester, OrgID: f.orgs["b"].ID})
		if err != nil {
			t.Fatal(err)
		}
		colleague, err := f.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "a-person@example.com", Name: "A Person", Role: access.Requester, OrgID: f.orgs["a"].ID})
		if err != nil {
			t.Fatal(err)
		}
		orgB := f.orgs["b"]
		hidden := map[string]string{
			"user":         "/users/" + itoa(other.ID),
			"organisation": "/organisations/" + itoa(orgB.ID),
		}
		for kind, page := range hidden {
			api := "/api/v1" + page
			for _, c := range []struct{ method, path, body string }{
				{"GET", api, ""},
				{"GET", api + "/history", ""},
			} {
				if r := f.do(t, access.Requester, c.method, c.path, c.body); r.StatusCode != http.StatusNotFound {
					t.Errorf("API %s %s of another customer's %s: %d, want 404", c.method, c.path, kind, r.StatusCode)
				}
			}
			for _, c := range []struct{ method, path, body string }{
				{"PATCH", api, `{"name":"Taken over"}`},
				{"DELETE", api, ""},
			} {
				if r := f.do(t, access.Requester, c.method, c.path, c.body); r.StatusCode != http.StatusForbidden {
					t.Errorf("API %s %s of another customer's %s: %d, want 403", c.method, c.path, kind, r.StatusCode)
				}
			}
		}
		// Lists hold only the requester's own organisation.
		for path, want := range map[string][]string{
			"/api/v1/users":         {"requester@example.com", "external_auditor@example.com", "a-person@example.com"},
			"/api/v1/organisations": {"Customer A"},
		} {
			r := f.do(t, access.Requester, "GET", path, "")
			var page struct {
				Items []map[string]any `json:"items"`
			}
			if err := json.NewDecoder(r.Body).Decode(&page); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range page.Items {
				if e, ok := it["email"].(string); ok {
					got = append(got, e)
				} else {
					got = append(got, it["name"].(string))
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("API %s as a requester: %v, want %v", path, got, want)
			}
		}
		// Their own organisation's records stay readable, history too.
		for _, path := range []string{"/api/v1/users/" + itoa(colleague.ID), "/api/v1/users/" + itoa(colleague.ID) + "/history", "/api/v1/organisations/" + itoa(f.orgs["a"].ID)} {
			if r := f.do(t, access.Requester, "GET", path, ""); r.StatusCode != http.StatusOK {
				t.Errorf("API GET %s of the requester's own organisation: %d, want 200", path, r.StatusCode)
			}
		}

		b := newBrowser(t, f)
		b.login("requester@example.com", "correct horse battery")
		token := b.csrf("/account")
		for kind, page := range hidden {
			if r, _ := b.get(page); r.StatusCode != http.StatusNotFound {
				t.Errorf("page %s of another customer's %s: %d, want 404", page, kind, r.StatusCode)
			}
			for _, action := range []string{page, page + "/delete"} {
				if r, _ := b.post(action, url.Values{"_csrf": {token}, "name": {"Taken over"}}); r.StatusCode != http.StatusForbidden {
					t.Errorf("page POST %s of another customer's %s: %d, want 403", action, kind, r.StatusCode)
				}
			}
		}
		for path, leak := range map[string]string{"/users": "b-person@example.com", "/organisations": "Customer B"} {
			r, body := b.get(path)
			if r.StatusCode != http.StatusOK || strings.Contains(body, leak) {
				t.Errorf("page %s as a requester: %d, shows %q: %v", path, r.StatusCode, leak, strings.Contains(body, leak))
			}
		}
		if r, body := b.get("/users/" + itoa(colleague.ID)); !strings.Contains(body, "A Person") {
			t.Errorf("the requester cannot see a colleague's page: %d\n%s", r.StatusCode, body)
		}
		// Nothing changed.
		if got, err := f.app.GetUser(ctx, access.CLI, other.ID); err != nil || got.Version != other.Version {
			t.Errorf("another customer's user after the attempts: %+v, %v", got, err)
		}
	})
}
