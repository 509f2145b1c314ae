package browser

import (
	"context"
	"fmt"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
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
