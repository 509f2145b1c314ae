package browser

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
)

// reviewPages are management review's and the improvement register's
// pages, for TestEveryPage and TestAccessibility: the lists, the held
// review with its frozen pack, the planned one, the forms, an
// improvement with its measure.
func reviewPages(t *testing.T, s *site) []struct{ name, path string } {
	t.Helper()
	ctx, c := context.Background(), s.areas.Assurance
	held, _, err := c.ListManagementReviews(ctx, access.CLI, store.ManagementReviewFilter{State: "held", Limit: 1})
	if err != nil || len(held) != 1 {
		t.Fatalf("the demo's held review: %v %v", held, err)
	}
	planned, _, err := c.ListManagementReviews(ctx, access.CLI, store.ManagementReviewFilter{State: "planned", Limit: 1})
	if err != nil || len(planned) != 1 {
		t.Fatalf("the demo's planned review: %v %v", planned, err)
	}
	done, _, err := c.ListImprovements(ctx, access.CLI, store.ImprovementFilter{State: "confirmed", Limit: 1})
	if err != nil || len(done) != 1 {
		t.Fatalf("the demo's confirmed improvement: %v %v", done, err)
	}
	return []struct{ name, path string }{
		{"management-reviews", "/management-reviews"},
		{"management-review-held", fmt.Sprintf("/management-reviews/%d", held[0].ID)},
		{"management-review-planned", fmt.Sprintf("/management-reviews/%d", planned[0].ID)},
		{"management-review-new", "/management-reviews/new"},
		{"management-review-edit", fmt.Sprintf("/management-reviews/%d/edit", held[0].ID)},
		{"improvements", "/improvements"},
		{"improvement", fmt.Sprintf("/improvements/%d", done[0].ID)},
		{"improvement-new", "/improvements/new"},
	}
}

// Prepare and hold a management review: the planned review is
// prepared, its pack's sections show (one saying plainly there is
// nothing), it is held and shows its hash; then its minutes are
// recorded and an output action added from its page.
func TestPrepareAndHoldAManagementReview(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn("sam.patel@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	planned, _, err := s.areas.Assurance.ListManagementReviews(context.Background(), access.CLI, store.ManagementReviewFilter{State: "planned", Limit: 1})
	if err != nil || len(planned) != 1 {
		t.Fatalf("the planned review: %v %v", planned, err)
	}
	id := planned[0].ID
	b.mustOpen(fmt.Sprintf("/management-reviews/%d", id))
	if got := b.follow(`main form[action$="/prepare"] button`); got != http.StatusOK {
		t.Fatalf("prepare: %d", got)
	}
	page := b.text("main")
	for _, want := range []string{"a. Status of actions from earlier reviews", "k. Risk assessment and actions on risks and opportunities", "No audit was completed since ",
		"Plan the internal audit programme for the year"} {
		if !strings.Contains(page, want) {
			t.Errorf("the prepared pack lacks %q", want)
		}
	}
	if got := b.follow(`#hold-form button[type=submit]`); got != http.StatusOK {
		t.Fatalf("hold: %d (%s)", got, b.text("main"))
	}
	r, err := s.areas.Assurance.GetManagementReview(context.Background(), access.CLI, id)
	if err != nil || r.State != "held" || len(r.PackHash) != 64 {
		t.Fatalf("after holding: %+v %v", r, err)
	}
	if got := b.text("main"); !strings.Contains(got, r.PackHash) {
		t.Errorf("the page does not show the pack's SHA-256 %s", r.PackHash)
	}
	b.mustOpen(fmt.Sprintf("/management-reviews/%d/edit", id))
	b.fill("#f-minutes", "We went through the pack input by input.")
	b.fill("#f-decisions", "Set up the audit programme")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("save the minutes: %d", got)
	}
	if got := b.text("main"); !strings.Contains(got, "We went through the pack input by input.") || !strings.Contains(got, "Set up the audit programme") {
		t.Errorf("the minutes and decision are not shown: %q", got)
	}
	if got := b.follow(`main a[href^="/actions/new?source=review"]`); got != http.StatusOK {
		t.Fatalf("add an output action: %d", got)
	}
	b.fill("#f-title", "Draft the audit programme")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create the action: %d (%s)", got, b.text("main"))
	}
	b.mustOpen(fmt.Sprintf("/management-reviews/%d", id))
	if got := b.text("main"); !strings.Contains(got, "Draft the audit programme") {
		t.Errorf("the output action is not on the review's page")
	}
}
