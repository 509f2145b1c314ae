package browser

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
)

// scopeIDs finds the demo's scope revisions (the approved first, the
// draft second), a service, a context issue, an interested party and a
// communication.
type scopeRecords struct{ approved, draft, service, issue, party, communication int64 }

func someScopeRecords(t *testing.T, s *site) scopeRecords {
	t.Helper()
	ctx, c := context.Background(), s.areas.SMS
	var r scopeRecords
	cur, ok, err := c.CurrentScope(ctx, access.CLI)
	if err != nil || !ok {
		t.Fatalf("the demo's scope in force: %v %v", ok, err)
	}
	d, ok, err := c.DraftScope(ctx, access.CLI)
	if err != nil || !ok {
		t.Fatalf("the demo's draft scope: %v %v", ok, err)
	}
	r.approved, r.draft = cur.ID, d.ID
	svcs, _, err := c.ListServices(ctx, access.CLI, store.ServiceFilter{Query: "service desk", Limit: 1})
	if err != nil || len(svcs) != 1 {
		t.Fatalf("a demo service: %v %v", svcs, err)
	}
	issues, _, err := c.ListContextIssues(ctx, access.CLI, store.ContextIssueFilter{Climate: true, Limit: 1})
	if err != nil || len(issues) != 1 {
		t.Fatalf("the demo's climate issue: %v %v", issues, err)
	}
	parties, _, err := c.ListInterestedParties(ctx, access.CLI, store.InterestedPartyFilter{Limit: 1})
	if err != nil || len(parties) != 1 {
		t.Fatalf("a demo party: %v %v", parties, err)
	}
	comms, _, err := c.ListCommunications(ctx, access.CLI, store.CommunicationFilter{Limit: 1})
	if err != nil || len(comms) != 1 {
		t.Fatalf("a demo communication: %v %v", comms, err)
	}
	r.service, r.issue, r.party, r.communication = svcs[0].ID, issues[0].ID, parties[0].ID, comms[0].ID
	return r
}

// Approving a draft of the scope: the draft's page offers it behind a
// confirmation; once approved, the revision is in force, offers no edit,
// the list shows it above the revisions, and the one before is
// superseded.
func TestApproveScopeRevision(t *testing.T) {
	s := newDemoSite(t)
	ids := someScopeRecords(t, s)
	b := newTab(t, s.url)
	if got := b.signIn("pat.lindqvist@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in as top management: got status %d, want 200", got)
	}
	b.mustOpen("/scopes")
	if got := b.text("#scope-in-force-title"); got != "Scope in force" {
		t.Errorf("the list's lead card: %q, want Scope in force", got)
	}
	if got := b.text("main section .record-fields"); !strings.Contains(got, "Legacy mainframe hosting") {
		t.Errorf("the scope in force shows %q, want its exclusions", got)
	}
	b.mustOpen(fmt.Sprintf("/scopes/%d", ids.draft))
	if got := b.count(`.page-header a[href$="/edit"]`); got != 0 {
		t.Errorf("top management sees %d edit buttons on a draft, want none (they approve, the SMS manager writes)", got)
	}
	run(b, "ask to approve", chromedp.Click(chromedp.CSS(`form[action$="/approve"] button[type=submit]`)))
	run(b, "wait for the dialog", chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog`)))
	if got := b.text("#confirm-title"); got != "Approve revision 2 of the scope?" {
		t.Errorf("confirm dialog: %q", got)
	}
	if got := b.follow(`#confirm-dialog button[value=confirm]`); got != http.StatusOK {
		t.Fatalf("approve: got status %d, want 200", got)
	}
	if got := b.text(".page-header"); !strings.Contains(got, "In force") || !strings.Contains(got, "Approved") {
		t.Errorf("after approving, the header says %q, want Approved and In force", got)
	}
	if got := b.text(".record-fields"); !strings.Contains(got, "Pat Lindqvist") {
		t.Errorf("after approving, the fields say %q, want who approved", got)
	}
	ctx := context.Background()
	old, err := s.areas.SMS.GetScope(ctx, access.CLI, ids.approved)
	if err != nil || old.State != "superseded" {
		t.Errorf("revision 1 after approving revision 2: %q %v, want superseded", old.State, err)
	}

	// The SMS manager may no longer edit it, and starts the next revision
	// from it.
	m := newTab(t, s.url)
	if got := m.signIn("sam.patel@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in as the SMS manager: got status %d, want 200", got)
	}
	m.mustOpen(fmt.Sprintf("/scopes/%d", ids.draft))
	if got := m.count(`.page-header a[href$="/edit"]`); got != 0 {
		t.Errorf("an approved revision offers %d edit buttons, want none", got)
	}
	m.mustOpen("/scopes/new")
	if got := m.value("#f-statement"); !strings.Contains(got, "customs portal hosting") {
		t.Errorf("the next revision starts with %q, want the statement in force", got)
	}
	m.fill("#f-exclusions\\[2\\]\\.subject", "Print room")
	if got := m.follow(`main form .form-actions button[type=submit]`); got != http.StatusUnprocessableEntity {
		t.Fatalf("an exclusion without justification: got status %d, want 422", got)
	}
	if got := m.text(`#f-exclusions\[2\]\.justification-error, .field-error`); !strings.Contains(got, "is required") {
		t.Errorf("the missing justification is said as %q", got)
	}
	m.fill("#f-exclusions\\[2\\]\\.justification", "Run by the landlord for all tenants.")
	if got := m.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create the next revision: got status %d, want 200", got)
	}
	if got := m.text("h1"); got != "Scope, revision 3" {
		t.Errorf("the new revision's heading: %q", got)
	}
	if d, ok, _ := s.areas.SMS.DraftScope(ctx, access.CLI); !ok || len(d.Exclusions) != 3 || d.Exclusions[2].Subject != "Print room" {
		t.Errorf("the new draft: %+v, want three exclusions, the print room last", d)
	}
}
