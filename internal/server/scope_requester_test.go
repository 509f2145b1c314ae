package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestRequesterCannotReachAnotherOrganisation: a requester of customer A
// goes at everything of customer B's that has a route of its own, a
// user's tokens and sessions too, through the API and the pages: reading
// and history answer 404 (as if it did not exist), writes 403 or 404, and
// a PATCH that would make the requester an administrator, or move them to
// B, is refused. Afterwards nothing of B's has changed and B's user still
// works.
func TestRequesterCannotReachAnotherOrganisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		orgB := f.orgs["b"]
		other, err := f.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "b-person@example.com", Name: "B Person", Role: access.Requester, OrgID: orgB.ID, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		otherToken, otherSecret, err := f.app.CreateToken(ctx, access.CLI, account.TokenInput{UserID: other.ID, Name: "b's script"})
		if err != nil {
			t.Fatal(err)
		}
		bBrowser := newBrowser(t, f)
		if r := bBrowser.login("b-person@example.com", "correct horse battery"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("B's user signs in: %d", r.StatusCode)
		}
		sessions, err := f.app.ListSessions(ctx, other.Actor("session"))
		if err != nil || len(sessions) != 1 {
			t.Fatalf("B's sessions: %v, %v", sessions, err)
		}
		otherSession := sessions[0]
		me := f.users[access.Requester]
		before := auditCount(t, f.db)

		user, org := "/api/v1/users/"+itoa(other.ID), "/api/v1/organisations/"+itoa(orgB.ID)
		token := "/api/v1/tokens/" + itoa(otherToken.ID)
		for _, c := range []struct {
			method, path, body string
			status             int
		}{
			{"GET", user, "", http.StatusNotFound},
			{"GET", user + "/history", "", http.StatusNotFound},
			{"GET", org, "", http.StatusNotFound},
			{"GET", org + "/history", "", http.StatusNotFound},
			{"GET", token, "", http.StatusNotFound},
			{"GET", token + "/history", "", http.StatusNotFound},
			{"DELETE", token, "", http.StatusNotFound},
			{"DELETE", "/api/v1/me/sessions/" + itoa(otherSession.ID), "", http.StatusNotFound},
			{"PATCH", user, `{"name":"Taken over"}`, http.StatusForbidden},
			{"DELETE", user, "", http.StatusForbidden},
			{"PUT", user + "/password", `{"password":"a long new password of mine"}`, http.StatusForbidden},
			{"PATCH", org, `{"name":"Taken over"}`, http.StatusForbidden},
			{"DELETE", org, "", http.StatusForbidden},
			// Raising one's own role, or moving to B: the requester may not
			// change users at all, their own record included.
			{"PATCH", "/api/v1/users/" + itoa(me.ID), `{"role":"admin"}`, http.StatusForbidden},
			{"PATCH", "/api/v1/users/" + itoa(me.ID), `{"organisation_id":` + itoa(orgB.ID) + `}`, http.StatusForbidden},
			{"PATCH", "/api/v1/me/preferences", `{"role":"admin"}`, http.StatusUnprocessableEntity},
			{"GET", "/api/v1/audit?entity=user&entity_id=" + itoa(other.ID), "", http.StatusForbidden},
			{"GET", "/api/v1/teams", "", http.StatusForbidden},
		} {
			if r := f.do(t, access.Requester, c.method, c.path, c.body); r.StatusCode != c.status {
				t.Errorf("API %s %s %s: %d, want %d", c.method, c.path, c.body, r.StatusCode, c.status)
			}
		}
		// Lists filtered to B hold nothing of B's.
		for _, path := range []string{"/api/v1/users?organisation_id=" + itoa(orgB.ID), "/api/v1/users?q=B+Person", "/api/v1/organisations?q=Customer+B"} {
			r := f.do(t, access.Requester, "GET", path, "")
			var page struct {
				Items []json.RawMessage `json:"items"`
			}
			if r.StatusCode == http.StatusOK {
				if err := json.NewDecoder(r.Body).Decode(&page); err != nil {
					t.Fatal(err)
				}
			}
			if (r.StatusCode != http.StatusOK && r.StatusCode != http.StatusUnprocessableEntity) || len(page.Items) != 0 {
				t.Errorf("API GET %s as A's requester: %d with %d items, want nothing of B's", path, r.StatusCode, len(page.Items))
			}
		}

		// Only administrators name another user's tokens.
		if r := f.do(t, access.Requester, "GET", "/api/v1/tokens?user_id="+itoa(other.ID), ""); r.StatusCode != http.StatusForbidden {
			t.Errorf("API GET /api/v1/tokens?user_id= of B's user: %d, want 403", r.StatusCode)
		}
		if n := auditCount(t, f.db) - before; n != 0 {
			t.Errorf("the API attempts wrote %d audit entries", n)
		}

		b := newBrowser(t, f)
		b.login("requester@example.com", "correct horse battery")
		csrf := b.csrf("/account")
		before = auditCount(t, f.db) // signing in is in the trail
		for _, c := range []struct {
			method, path string
			form         url.Values
			status       int
		}{
			{"GET", "/users/" + itoa(other.ID), nil, http.StatusNotFound},
			{"GET", "/users/" + itoa(other.ID) + "/edit", nil, http.StatusForbidden},
			{"GET", "/organisations/" + itoa(orgB.ID), nil, http.StatusNotFound},
			{"POST", "/users/" + itoa(me.ID), url.Values{"name": {me.Name}, "email": {me.Email}, "role": {"admin"}}, http.StatusForbidden},
			{"POST", "/users/" + itoa(other.ID) + "/deactivate", nil, http.StatusForbidden},
			{"POST", "/users/" + itoa(other.ID) + "/password", url.Values{"password": {"a long new password of mine"}}, http.StatusForbidden},
			{"POST", "/users/" + itoa(other.ID) + "/delete", nil, http.StatusForbidden},
			{"POST", "/organisations/" + itoa(orgB.ID) + "/delete", nil, http.StatusForbidden},
			{"POST", "/tokens/" + itoa(otherToken.ID) + "/revoke", nil, http.StatusNotFound},
			{"POST", "/account/sessions/" + itoa(otherSession.ID) + "/end", nil, http.StatusNotFound},
		} {
			var r *http.Response
			if c.method == "GET" {
				r, _ = b.get(c.path)
			} else {
				form := cloneForm(c.form)
				form.Set("_csrf", csrf)
				r, _ = b.post(c.path, form)
			}
			if r.StatusCode != c.status {
				t.Errorf("page %s %s: %d, want %d", c.method, c.path, r.StatusCode, c.status)
			}
		}

		// Nothing changed: no audit entry, B's user, token and session
		// work, and the requester is still a requester of A.
		if n := auditCount(t, f.db) - before; n != 0 {
			t.Errorf("the page attempts wrote %d audit entries", n)
		}
		if got, err := f.app.GetUser(ctx, access.CLI, other.ID); err != nil || got.Version != other.Version || !got.Active {
			t.Errorf("B's user after the attempts: %+v, %v", got, err)
		}
		if got, err := f.app.GetUser(ctx, access.CLI, me.ID); err != nil || got.Role != access.Requester || got.OrgID != f.orgs["a"].ID {
			t.Errorf("the requester after the attempts: role %s in organisation %d, %v", got.Role, got.OrgID, err)
		}
		f.tokens["b"] = otherSecret
		if r := f.do(t, "b", "GET", "/api/v1/me", ""); r.StatusCode != http.StatusOK {
			t.Errorf("B's token after the attempts: %d, want 200", r.StatusCode)
		}
		if r, _ := bBrowser.get("/account"); r.StatusCode != http.StatusOK {
			t.Errorf("B's session after the attempts: %d, want 200", r.StatusCode)
		}
	})
}
