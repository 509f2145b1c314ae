package browser

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// The stage 1 check on a new install: every check fails, each saying
// why, but for the one that no major nonconformity is open; the scope's check leads to the scopes, and once a draft of the
// scope is approved there, it passes while the others still fail.
func TestReadinessTurnsGreenAfterTheFix(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	b := newTab(t, s.url)
	if got := b.signIn(adminEmail, adminPassword); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	b.mustOpen("/readiness")
	if got := b.text(".page-header"); !strings.Contains(got, "1 of 9 checks pass") {
		t.Errorf("a new install's readiness header: %q, want 1 of 9 checks pass", got)
	}
	scope := b.text("#check-scope")
	if !strings.Contains(scope, "Fails") || !strings.Contains(scope, "No revision of the scope is approved.") {
		t.Errorf("the scope's check on a new install: %q", scope)
	}
	if got := b.follow(`#check-scope a.btn`); got != http.StatusOK {
		t.Fatalf("the scope check's fix: status %d", got)
	}
	if got := b.location().Path; got != "/scopes" {
		t.Errorf("the scope check's fix led to %s, want /scopes", got)
	}

	// A draft written (by the use cases, to keep to the point), approved
	// in the browser.
	admins, _, err := s.app.ListUsers(ctx, access.CLI, store.UserFilter{Role: access.Admin, Limit: 1})
	if err != nil || len(admins) != 1 {
		t.Fatal(admins, err)
	}
	svc, err := s.areas.SMS.CreateService(ctx, access.CLI, sms.ServiceInput{Name: "Service desk", OwnerID: admins[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := s.areas.SMS.CreateScope(ctx, access.CLI, sms.ScopeInput{Statement: "The service desk for every customer.", ServiceIDs: []int64{svc.ID}})
	if err != nil {
		t.Fatal(err)
	}
	b.mustOpen(fmt.Sprintf("/scopes/%d", draft.ID))
	run(b, "ask to approve", chromedp.Click(chromedp.CSS(`form[action$="/approve"] button[type=submit]`)))
	run(b, "wait for the dialog", chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog`)))
	if got := b.follow(`#confirm-dialog button[value=confirm]`); got != http.StatusOK {
		t.Fatalf("approve: got status %d, want 200", got)
	}

	b.mustOpen("/readiness")
	scope = b.text("#check-scope")
	if !strings.Contains(scope, "Passes") || !strings.Contains(scope, "Scope, revision 1 is in force.") || b.count("#check-scope a.btn") != 0 {
		t.Errorf("the scope's check after approving: %q, want it passing with no fix offered", scope)
	}
	if got := b.text(".page-header"); !strings.Contains(got, "2 of 9 checks pass") {
		t.Errorf("the readiness header after the fix: %q, want 2 of 9 checks pass", got)
	}
	if got := b.text("#check-documents"); !strings.Contains(got, "0 of 19 required documents approved.") {
		t.Errorf("the documents' check: %q", got)
	}
}
