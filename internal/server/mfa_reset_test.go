package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// An administrator resets the second factor of someone who lost phone and
// recovery codes, through the API and the user's page: the factor goes,
// with an audit entry, and resetting what is not there, or one's own, is
// refused.
func TestAdministratorResetsASecondFactor(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	agent := f.users[access.Agent]
	enrol := func() {
		t.Helper()
		offer, err := f.app.OfferMFA(ctx, agent.Actor("test"))
		if err != nil {
			t.Fatal(err)
		}
		code, err := app.TOTPCode(offer.Secret, app.TOTPStep(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.EnableMFA(ctx, agent.Actor("test"), code); err != nil {
			t.Fatal(err)
		}
	}
	enrol()
	path := fmt.Sprintf("/api/v1/users/%d/two-factor", agent.ID)
	if r := f.do(t, access.Agent, http.MethodDelete, path, ""); r.StatusCode != http.StatusForbidden {
		t.Errorf("an agent resetting: %d, want 403", r.StatusCode)
	}
	before := auditCount(t, f.db)
	if r := f.do(t, access.Admin, http.MethodDelete, path, ""); r.StatusCode != http.StatusNoContent {
		t.Fatalf("reset: %d, want 204", r.StatusCode)
	}
	if on, err := f.app.HasMFA(ctx, f.users[access.Admin].Actor("test"), agent.ID); err != nil || on {
		t.Errorf("after the reset: second factor on=%v (%v), want off", on, err)
	}
	if auditCount(t, f.db) <= before {
		t.Errorf("the reset wrote no audit entry")
	}
	if r := f.do(t, access.Admin, http.MethodDelete, path, ""); r.StatusCode != http.StatusConflict {
		t.Errorf("resetting again: %d, want 409", r.StatusCode)
	}
	if r := f.do(t, access.Admin, http.MethodDelete, fmt.Sprintf("/api/v1/users/%d/two-factor", f.users[access.Admin].ID), ""); r.StatusCode != http.StatusConflict {
		t.Errorf("resetting one's own: %d, want 409", r.StatusCode)
	}

	// On the page: the user's menu offers it while it is on.
	enrol()
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	_, page := b.get(fmt.Sprintf("/users/%d", agent.ID))
	if !strings.Contains(page, fmt.Sprintf(`action="/users/%d/mfa-reset"`, agent.ID)) {
		t.Fatalf("the user's page does not offer the reset")
	}
	token := b.csrf(fmt.Sprintf("/users/%d", agent.ID))
	r, _ := b.post(fmt.Sprintf("/users/%d/mfa-reset", agent.ID), url.Values{"_csrf": {token}})
	if r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "done=mfa-reset") {
		t.Errorf("reset on the page: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if _, page := b.get(fmt.Sprintf("/users/%d", agent.ID)); strings.Contains(page, "/mfa-reset") {
		t.Errorf("the page still offers the reset once it is off")
	}
}
