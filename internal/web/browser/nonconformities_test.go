package browser

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
)

// demoNCs are the demo's nonconformities by state.
func demoNCs(t *testing.T, s *site) map[string]assurance.Nonconformity {
	t.Helper()
	ns, _, err := s.areas.Assurance.ListNonconformities(context.Background(), access.CLI,
		assuranceapp.NCQuery{NonconformityFilter: store.NonconformityFilter{Limit: store.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]assurance.Nonconformity{}
	for _, n := range ns {
		if _, had := out[n.State]; !had || n.RecurrenceOf != 0 {
			out[n.State] = n
		}
		if n.RecurrenceOf != 0 {
			out["recurring"] = n
		}
	}
	for _, st := range []string{"open", "corrected", "analysed", "verified", "closed", "recurring"} {
		if _, ok := out[st]; !ok {
			t.Fatalf("the demo has no nonconformity %s", st)
		}
	}
	return out
}

// nonconformityPages are the nonconformities' pages, for TestEveryPage
// and TestAccessibility: the lists, a record in each state with its
// workflow, each step's form, the deadlines and the action form with a
// nonconformity as its source.
func nonconformityPages(t *testing.T, s *site) []struct{ name, path string } {
	t.Helper()
	n := demoNCs(t, s)
	rec := func(st string) string { return fmt.Sprintf("/nonconformities/%d", n[st].ID) }
	return []struct{ name, path string }{
		{"nc-list", "/nonconformities"},
		{"nc-list-overdue", "/nonconformities?show=overdue"},
		{"nc-list-all", "/nonconformities?state=all"},
		{"nc-open", rec("open")},
		{"nc-recurring", rec("recurring")},
		{"nc-corrected", rec("corrected")},
		{"nc-analysed", rec("analysed")},
		{"nc-verified", rec("verified")},
		{"nc-closed", rec("closed")},
		{"nc-new", "/nonconformities/new"},
		{"nc-edit", rec("open") + "/edit"},
		{"nc-correction", rec("open") + "/correction"},
		{"nc-analysis", rec("corrected") + "/analysis"},
		{"nc-verification", rec("analysed") + "/verification"},
		{"nc-close", rec("verified") + "/close"},
		{"nc-deadlines", "/nonconformity-deadlines"},
		{"nc-action-new", fmt.Sprintf("/actions/new?source=nonconformity&source_nonconformity=%d", n["analysed"].ID)},
	}
}

// Raise a nonconformity and carry it to closure through the pages: the
// correction, five whys, a corrective action added from the nonconformity
// and done, closing refused with its reason before the verification, then
// verified effective and closed.
func TestRaiseANonconformityAndCarryItToClosure(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn("sam.patel@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	submit := func(what string) {
		t.Helper()
		if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
			t.Fatalf("%s: %d (%s)", what, got, b.text("main"))
		}
	}
	b.mustOpen("/nonconformities/new")
	b.fill("#f-title", "Supplier review of the colocation contract missed")
	run(b, "choose minor", chromedp.Click(chromedp.CSS(`input[name=severity][value=minor]`)))
	b.choose("#f-origin", "monitoring")
	b.choose("#f-requirement_id", fmt.Sprint(requirementID(t, s, "8.2.3")))
	submit("raise")
	if got := b.text("h1"); !strings.Contains(got, "Supplier review of the colocation contract missed") {
		t.Fatalf("after raising: heading %q", got)
	}
	id := b.pathID()
	nc := fmt.Sprintf("/nonconformities/%d", id)

	b.follow(`main a[href="` + nc + `/correction"]`)
	b.fill("#f-correction", "The review was held the next week with Yorkshire Colo.")
	submit("correction")
	b.mustOpen(nc + "/analysis")
	b.fill("#f-why_1", "The review date lived only in a spreadsheet.")
	b.fill("#f-why_2", "Supplier reviews have no owner in the supplier process.")
	b.fill("#f-cause_summary", "Supplier reviews have no owner and no calendar.")
	submit("analysis")
	if got := b.text("main"); !strings.Contains(got, "Supplier reviews have no owner in the supplier process.") {
		t.Errorf("the record after the analysis does not show the second why: %q", got)
	}

	b.follow(`main a[href^="/actions/new?source=nonconformity"]`)
	if got := b.text(`label[for="f-source_nonconformity"]`); !strings.HasPrefix(got, "Nonconformity") {
		t.Errorf("the action form's record picker is labelled %q, want Nonconformity", got)
	}
	b.fill("#f-title", "Give supplier reviews an owner and calendar dates")
	b.choose("#f-state", "done")
	submit("corrective action")
	b.mustOpen(nc)
	if rows := b.table(`main table`); len(rows) != 1 || !strings.Contains(rows[0]["State"], "Done") {
		t.Errorf("corrective actions on the nonconformity: %v, want the one done", rows)
	}

	b.mustOpen(nc + "/close")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusConflict {
		t.Errorf("closing before the verification: status %d, want 409", got)
	}
	if got := b.text("main form"); !strings.Contains(got, "effectiveness not verified") {
		t.Errorf("closing before the verification: %q, want the reason", got)
	}
	b.mustOpen(nc + "/verification")
	run(b, "choose effective", chromedp.Click(chromedp.CSS(`input[name=verification_result][value=effective]`)))
	submit("verification")
	b.mustOpen(nc + "/close")
	submit("close")
	if got := b.text(".page-title-row"); !strings.Contains(got, "Closed") {
		t.Errorf("after closing: heading %q, want it marked Closed", got)
	}
}

// requirementID is the built-in framework's requirement with a clause code.
func requirementID(t *testing.T, s *site, code string) int64 {
	t.Helper()
	_, req := builtInIDs(t, s, code)
	return req
}
