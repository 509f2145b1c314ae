package browser

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
)

// certificationPages are certification's pages, for TestEveryPage and
// TestAccessibility: the bodies (one verified, one to verify), the demo
// certificate with its cycle, its renewal form, the planned audits and
// the calendar address.
func certificationPages(t *testing.T, s *site) []struct{ name, path string } {
	t.Helper()
	ctx := context.Background()
	c := s.areas.Assurance
	bodies, _, err := c.ListCertificationBodies(ctx, access.CLI, store.CertificationBodyFilter{Limit: 2}) // the demo's, verified first
	certs, _, err2 := c.ListCertificates(ctx, access.CLI, store.CertificateFilter{Limit: 1})
	if err != nil || err2 != nil || len(bodies) != 2 || len(certs) != 1 {
		t.Fatalf("find the demo certification: %v %v %v %v", bodies, certs, err, err2)
	}
	cycle, _, err := c.ListPlannedAudits(ctx, access.CLI, store.PlannedAuditFilter{CertificateID: certs[0].ID})
	if err != nil || len(cycle) != 3 {
		t.Fatalf("find the demo cycle: %v %v", cycle, err)
	}
	return []struct{ name, path string }{
		{"certification-bodies", "/certification-bodies"},
		{"certification-body", fmt.Sprintf("/certification-bodies/%d", bodies[0].ID)},
		{"certification-body-unverified", fmt.Sprintf("/certification-bodies/%d", bodies[1].ID)},
		{"certification-body-new", "/certification-bodies/new"},
		{"certificates", "/certificates"},
		{"certificate", fmt.Sprintf("/certificates/%d", certs[0].ID)},
		{"certificate-new", "/certificates/new"},
		{"certificate-renew", fmt.Sprintf("/certificates/%d/renew", certs[0].ID)},
		{"planned-audits", "/planned-audits?state=all"},
		{"planned-audit", fmt.Sprintf("/planned-audits/%d", cycle[1].ID)},
		{"planned-audit-edit", fmt.Sprintf("/planned-audits/%d/edit", cycle[1].ID)},
		{"calendar", "/calendar"},
	}
}

// An SMS manager records a certification body, verifies its credentials,
// records the certificate it issued and sees its cycle planned; the
// certification pages are screenshot at desktop and phone width.
func TestCertificationFlow(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn("sam.patel@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	b.mustOpen("/certification-bodies/new")
	b.fill("#f-name", "Nordcert AG")
	b.fill("#f-accreditation_body", "SAS")
	b.fill("#f-accreditation_number", "SCESm 0999")
	b.choose("#f-covers_20000", "yes")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create the body: %d", got)
	}
	if got := b.text("h1"); !strings.Contains(got, "Nordcert AG") {
		t.Fatalf("after creating: heading %q", got)
	}
	bodyID := b.pathID()
	if got := b.text("main"); !strings.Contains(got, "Verify before booking") {
		t.Errorf("a body never checked: %q, want it marked to verify", got)
	}
	// The menu's "Record credentials verified today".
	run(b, "open the menu", chromedp.Click(chromedp.CSS(`button[aria-label="More actions"]`)))
	if got := b.await("verify", chromedp.Click(chromedp.CSS(`form[action$="/verify"] button`))); got != http.StatusOK {
		t.Fatalf("verify: %d", got)
	}
	if got := b.text("main"); strings.Contains(got, "Verify before booking") || !strings.Contains(got, "Sam Patel") {
		t.Errorf("after verifying: %q, want it verified by Sam Patel", got)
	}

	b.mustOpen("/certificates/new")
	if got := b.text("#f-body_id"); !strings.Contains(got, "Brightline Certification Ltd (verify before booking)") {
		t.Errorf("the choice of body: %q, want the unverified one marked", got)
	}
	decided := time.Now().UTC().AddDate(0, -2, 0)
	b.choose("#f-body_id", fmt.Sprint(bodyID))
	b.fill("#f-certificate_number", "NC-20000-77")
	b.fill("#f-scope", "Hosting and managed network services for all customers.")
	dateInput(b, "#f-decided_on", decided)
	dateInput(b, "#f-issued_on", decided.AddDate(0, 0, 7))
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create the certificate: %d (%s)", got, b.text("main"))
	}
	if got := b.text("h1"); !strings.Contains(got, "NC-20000-77") {
		t.Fatalf("after creating: heading %q (%s)", got, b.text("main"))
	}
	rows := b.table(`main table`)
	if len(rows) != 3 {
		t.Fatalf("the cycle: %v, want three planned audits", rows)
	}
	cycle := b.text("main")
	for _, want := range []string{"First surveillance", "Second surveillance", "Recertification", "To book"} {
		if !strings.Contains(cycle, want) {
			t.Errorf("the certificate's page lacks %q: %s", want, cycle)
		}
	}

	// Screenshots of every certification page, both widths.
	dir := os.Getenv("CONFORM_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "conform-screenshots")
	}
	dir = filepath.Join(dir, "certification")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := certificationPages(t, s)
	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"1280", 1280, 900, false}, {"390", 390, 844, true}} {
		if w.mobile {
			run(b, "emulate a phone", chromedp.EmulateViewport(w.width, w.height, chromedp.EmulateMobile, chromedp.EmulateTouch))
		} else {
			run(b, "set the window", chromedp.EmulateViewport(w.width, w.height))
		}
		for _, pg := range pages {
			if got := b.open(pg.path); got != http.StatusOK {
				t.Errorf("%s: %d", pg.path, got)
			}
			if w.mobile {
				type fit struct{ ScrollWidth, InnerWidth int64 }
				if got := eval[fit](b, `({ScrollWidth: document.documentElement.scrollWidth, InnerWidth: innerWidth})`); got.ScrollWidth > got.InnerWidth {
					t.Errorf("%s: %dpx wide in a %dpx screen", pg.path, got.ScrollWidth, got.InnerWidth)
				}
			}
			shoot(t, b, dir, pg.name+"-"+w.name)
		}
	}
}

// dateInput sets a date field to a day.
func dateInput(b *tab, sel string, d time.Time) {
	run(b, "set "+sel, chromedp.SetValue(chromedp.CSS(sel), d.Format(time.DateOnly)))
}
