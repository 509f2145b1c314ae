package browser

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
)

// Adding evidence to a requirement: from the requirement's page, a file
// uploaded through the form, then seen on the requirement's page as
// current, and the record's page offering its download.
func TestAddEvidenceToARequirement(t *testing.T) {
	s := newDemoSite(t)
	reqs, _, err := s.areas.SMS.ListRequirements(context.Background(), access.System, store.RequirementFilter{Query: "incident management", Limit: 1})
	if err != nil || len(reqs) == 0 {
		t.Fatal(reqs, err)
	}
	pdf := filepath.Join(t.TempDir(), "major-incident-review.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n% review of the major incident of 3 March\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	b.mustOpen(fmt.Sprintf("/requirements/%d", reqs[0].ID))
	if got := b.follow(`a[href^="/evidence/new?requirement_id="]`); got != http.StatusOK {
		t.Fatalf("add evidence: got status %d, want 200", got)
	}
	if got := b.value("#f-requirement_id"); got != fmt.Sprint(reqs[0].ID) {
		t.Errorf("the form's requirement: %q, want %d", got, reqs[0].ID)
	}
	b.fill("#f-title", "Major incident review, March")
	run(b, "choose the file", chromedp.SetUploadFiles(`#f-file`, []string{pdf}))
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create: got status %d, want 200", got)
	}
	if got := b.text("h1"); got != "Major incident review, March" {
		t.Fatalf("after creating: heading %q", got)
	}
	if href, _ := b.attr(`.record-fields a[href$="/file"]`, "href"); !strings.HasPrefix(href, "/evidence/") {
		t.Errorf("the evidence's page offers no download: %q", href)
	}
	if got := b.text(`.record-fields a[href$="/file"]`); got != "major-incident-review.pdf" {
		t.Errorf("the file's name: %q", got)
	}
	b.mustOpen(fmt.Sprintf("/requirements/%d", reqs[0].ID))
	row := b.text(`[data-table=evidence] tbody`)
	if !strings.Contains(row, "Major incident review, March") || !strings.Contains(row, "Current") {
		t.Errorf("the requirement's evidence: %q, want the new item, current", row)
	}
}

// someEvidence is a demo item of evidence with a file.
func someEvidence(t *testing.T, s *site) int64 {
	t.Helper()
	es, _, err := s.areas.SMS.ListEvidence(context.Background(), access.System, store.EvidenceFilter{Kind: "file", Limit: 1})
	if err != nil || len(es) == 0 {
		t.Fatal("no demo evidence with a file", err)
	}
	return es[0].ID
}

// The evidence's pages pass axe-core in both colour schemes: the list
// (and its expired view), an item, the form (and with its errors), a
// requirement's page with its evidence and a record's page naming the
// requirements it is evidence for.
func TestEvidenceAccessibility(t *testing.T) {
	axePath := os.Getenv("CONFORM_AXE_JS")
	if axePath == "" {
		skipOrFail(t, "CONFORM_AXE_JS is not set; install axe-core (npm install axe-core@4) and set CONFORM_AXE_JS to node_modules/axe-core/axe.min.js")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	s := newDemoSite(t)
	ctx := context.Background()
	recs, _, err := s.areas.SMS.ListEvidence(ctx, access.System, store.EvidenceFilter{Kind: "record", Limit: 1})
	if err != nil || len(recs) == 0 {
		t.Fatal("no demo evidence naming a record", err)
	}
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	for _, pg := range []struct{ name, path string }{
		{"list", "/evidence"},
		{"expired", "/evidence?fresh=expired"},
		{"item", fmt.Sprintf("/evidence/%d", someEvidence(t, s))},
		{"form", fmt.Sprintf("/evidence/new?requirement_id=%d", recs[0].RequirementID)},
		{"requirement", fmt.Sprintf("/requirements/%d", recs[0].RequirementID)},
		{"record it names", fmt.Sprintf("/%ss/%d", recs[0].RefEntity, recs[0].RefID)},
	} {
		t.Run(pg.name, func(t *testing.T) {
			b := b.in(t)
			b.mustOpen(pg.path)
			if pg.name == "record it names" && b.count(`[data-table="evidence-for"]`) != 1 {
				t.Errorf("%s: no table of the requirements it is evidence for", pg.path)
			}
			if pg.name == "form" {
				b.follow(`main form .form-actions button[type=submit]`)
				if b.count(`#f-title-error`) != 1 {
					t.Errorf("the empty form sent: no error beside the title")
				}
			}
			for _, scheme := range []string{"light", "dark"} {
				b.colorScheme(scheme)
				rules := []string(nil)
				if scheme == "dark" {
					rules = []string{"color-contrast"}
				}
				for _, v := range axeRun(b, string(axe), rules...) {
					t.Errorf("%s, %s scheme: %s (%s): %s\n\tat %s", pg.path, scheme, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\tat "))
				}
			}
			b.colorScheme("light")
		})
	}
}
