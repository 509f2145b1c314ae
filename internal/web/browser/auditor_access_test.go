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

// The certification body's auditor opens the stage 1 audit shared with
// them from their home page, and an item of its evidence; the SMS
// manager then finds the access on the audit's page, and on the
// access's page what the auditor viewed. Each page passes axe-core when
// CONFORM_AXE_JS is set.
func TestExternalAuditorOpensTheSharedAudit(t *testing.T) {
	var axe []byte
	if p := os.Getenv("CONFORM_AXE_JS"); p != "" {
		var err error
		if axe, err = os.ReadFile(p); err != nil {
			t.Fatalf("read axe-core: %v", err)
		}
	}
	s := newDemoSite(t)
	stage1, _, err := s.areas.Assurance.ListAudits(context.Background(), access.CLI, store.AuditListFilter{Type: "stage1", Limit: 1})
	if err != nil || len(stage1) != 1 {
		t.Fatalf("the demo's stage 1: %v %v", stage1, err)
	}
	check := func(b *tab) {
		t.Helper()
		if axe == nil {
			return
		}
		for _, v := range axeRun(b, string(axe)) {
			t.Errorf("%s: %s (%s): %s\n\tat %s", b.location(), v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\tat "))
		}
	}

	b := newTab(t, s.url)
	if got := b.signIn("quinn.harper@certify.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	if got := b.text("main"); !strings.Contains(got, "Audits shared with you") {
		t.Fatalf("the auditor's home page lists no shared audits: %q", got)
	}
	check(b)
	if got := b.follow(fmt.Sprintf(`main a[href="/shared/audits/%d"]`, stage1[0].ID)); got != http.StatusOK {
		t.Fatalf("open the shared audit: %d", got)
	}
	if got := b.text("h1"); !strings.Contains(got, "Certification stage 1") {
		t.Errorf("the shared audit's heading %q", got)
	}
	check(b)
	// The shared audit on a phone fits its width; both widths are kept
	// as screenshots when a folder is named.
	dir := os.Getenv("CONFORM_SCREENSHOT_DIR")
	if dir != "" {
		dir = filepath.Join(dir, "auditors")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		shoot(t, b, dir, "shared-audit-1280")
	}
	shared := fmt.Sprintf("/shared/audits/%d", stage1[0].ID)
	run(b, "emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.mustOpen(shared)
	type fit struct{ ScrollWidth, InnerWidth int64 }
	if got := eval[fit](b, `({ScrollWidth: document.documentElement.scrollWidth, InnerWidth: innerWidth})`); got.ScrollWidth > got.InnerWidth {
		t.Errorf("the shared audit is %dpx wide on a %dpx phone", got.ScrollWidth, got.InnerWidth)
	}
	if dir != "" {
		shoot(t, b, dir, "shared-audit-390")
	}
	run(b, "back to the desktop", chromedp.EmulateViewport(1280, 900))
	b.mustOpen(shared)
	if got := b.follow(`main a[href*="/evidence/"]`); got != http.StatusOK {
		t.Fatalf("open an item of evidence: %d", got)
	}
	check(b)
	if got := b.open(fmt.Sprintf("/audits/%d", stage1[0].ID)); got != http.StatusForbidden {
		t.Errorf("the audit's own page as the auditor: %d, want 403", got)
	}

	m := newTab(t, s.url)
	if got := m.signIn("sam.patel@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	m.mustOpen(fmt.Sprintf("/audits/%d", stage1[0].ID))
	if got := m.follow(`main a[href^="/auditor-accesses/"]:not([href*="/new"])`); got != http.StatusOK {
		t.Fatalf("open the access: %d", got)
	}
	if got := m.text("main"); !strings.Contains(got, "Quinn Harper") || !strings.Contains(got, "EVD-") || !strings.Contains(got, "AUD-") {
		t.Errorf("the access's page: want the auditor and what they viewed, got %q", got)
	}
	check(m)
}
