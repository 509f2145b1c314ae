package browser

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
)

// riskPages are the register's pages, for TestEveryPage and
// TestAccessibility: the list, a risk with its treatment actions, the
// forms, the matrix both ways and the scales.
func riskPages(t *testing.T, s *site) []struct{ name, path string } {
	t.Helper()
	rs, _, err := s.areas.SMS.ListRisks(context.Background(), access.CLI, smsapp.RiskQuery{RiskFilter: store.RiskFilter{Query: "colocation", Limit: 1}})
	if err != nil || len(rs) != 1 {
		t.Fatalf("find the demo risk with treatment actions: %v %v", rs, err)
	}
	return []struct{ name, path string }{
		{"risks", "/risks"},
		{"risks-overdue", "/risks?review=overdue"},
		{"risk", fmt.Sprintf("/risks/%d", rs[0].ID)},
		{"risk-new", "/risks/new"},
		{"risk-edit", fmt.Sprintf("/risks/%d/edit", rs[0].ID)},
		{"risk-matrix", "/risks/matrix"},
		{"risk-matrix-residual", "/risks/matrix?basis=residual"},
		{"risk-scales", "/risk-scales"},
	}
}

// A risk made in the form is counted in its cell of the matrix, and the
// count leads to the list of that cell and on to the risk.
func TestRiskOnTheMatrix(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn("sam.patel@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	b.mustOpen("/risks/new")
	b.fill("#f-title", "A flood closes the main office")
	b.choose("#f-category", "continuity")
	b.choose("#f-likelihood", "1")
	b.choose("#f-impact", "5")
	b.choose("#f-treatment", "transfer")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create: %d", got)
	}
	if got := b.text("h1"); got != "A flood closes the main office" {
		t.Fatalf("after creating: heading %q (%s)", got, b.text("main"))
	}
	id := b.pathID()
	if got := b.text(".record-fields"); !strings.Contains(got, "5 · Medium") || !strings.Contains(got, "Likelihood 1 · Rare × impact 5 · Severe") {
		t.Errorf("the risk's ratings: %q, want score 5, medium, in words", got)
	}
	b.mustOpen("/risks/matrix")
	cell := `#risk-matrix a[href="/risks?impact=5&likelihood=1"]`
	if got := b.text(cell); !strings.Contains(got, "1") || !strings.Contains(got, "Medium") {
		t.Errorf("the cell likelihood 1, impact 5: %q, want a count of 1 and its band in words", got)
	}
	if got := b.follow(cell); got != http.StatusOK {
		t.Fatalf("follow the count: %d", got)
	}
	if n := b.count("main table tbody tr"); n != 1 {
		t.Errorf("the list of the cell: %d rows, want 1", n)
	}
	if got := b.follow(fmt.Sprintf(`main table a[href="/risks/%d"]`, id)); got != http.StatusOK || b.pathID() != id {
		t.Fatalf("open the risk from the list: %d at %s", got, b.location())
	}
	if got := b.text("h1"); got != "A flood closes the main office" {
		t.Errorf("the risk's page: heading %q", got)
	}
}
