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

// auditPages are the audits' pages, for TestAccessibility and the
// screenshots: the programme and its coverage, the demo's issued audit,
// its checklist and report, a finding, the lists and forms.
func auditPages(t *testing.T, s *site) []struct{ name, path string } {
	t.Helper()
	ctx, c := context.Background(), s.areas.Assurance
	progs, _, err := c.ListProgrammes(ctx, access.CLI, store.AuditProgrammeFilter{Limit: 1})
	if err != nil || len(progs) != 1 {
		t.Fatalf("the demo programme: %v %v", progs, err)
	}
	issued, _, err := c.ListAudits(ctx, access.CLI, store.AuditListFilter{State: "report_issued", Limit: 1})
	if err != nil || len(issued) != 1 {
		t.Fatalf("the demo's issued audit: %v %v", issued, err)
	}
	stage1, _, err := c.ListAudits(ctx, access.CLI, store.AuditListFilter{Type: "stage1", Limit: 1})
	if err != nil || len(stage1) != 1 {
		t.Fatalf("the demo's stage 1: %v %v", stage1, err)
	}
	fs, _, err := c.ListFindings(ctx, access.CLI, store.FindingFilter{Type: "major_nc", Limit: 1})
	if err != nil || len(fs) != 1 {
		t.Fatalf("the demo's major finding: %v %v", fs, err)
	}
	if fs[0].ItemID == nil {
		t.Fatalf("the demo's major finding names no checklist line")
	}
	a, p := issued[0].ID, progs[0].ID
	return []struct{ name, path string }{
		{"audit-programmes", "/audit-programmes"},
		{"audit-programme", fmt.Sprintf("/audit-programmes/%d", p)},
		{"audit-coverage", fmt.Sprintf("/audit-programmes/%d/coverage", p)},
		{"audit-programme-new", "/audit-programmes/new"},
		{"audits", "/audits"},
		{"audit-record", fmt.Sprintf("/audits/%d", a)},
		{"audit-stage1", fmt.Sprintf("/audits/%d", stage1[0].ID)},
		{"audit-new", "/audits/new"},
		{"audit-edit", fmt.Sprintf("/audits/%d/edit", stage1[0].ID)},
		{"audit-checklist", fmt.Sprintf("/audits/%d/checklist", a)},
		{"audit-line", fmt.Sprintf("/checklist-items/%d", *fs[0].ItemID)},
		{"audit-report", fmt.Sprintf("/audits/%d/report", a)},
		{"findings", "/findings"},
		{"finding", fmt.Sprintf("/findings/%d", fs[0].ID)},
		{"finding-new", fmt.Sprintf("/findings/new?audit_id=%d", a)},
	}
}

// Plan and run an internal audit from checklist to report: the auditor
// plans it, starts it, answers two lines of its checklist (saved as
// given), raises a finding from the nonconforming line, completes the
// audit and issues its report, whose hash the page then shows.
func TestPlanAndRunAnInternalAudit(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn("drew.okafor@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	b.mustOpen("/audits/new")
	b.fill("#f-title", "Awareness and operational control")
	b.fill("#f-requirement_ids", "7.3, 8.1")
	b.choose("#f-planned_start", "2027-03-01")
	b.choose("#f-planned_end", "2027-03-02")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create: %d", got)
	}
	if got := b.text("h1"); got != "Awareness and operational control" {
		t.Fatalf("after creating: heading %q (%s)", got, b.text("main"))
	}
	id := b.pathID()
	if got := b.follow(`form[action$="/state"] button`); got != http.StatusOK {
		t.Fatalf("start: %d", got)
	}
	if got := b.text("main"); !strings.Contains(got, "In progress") {
		t.Errorf("after starting: want the audit in progress")
	}
	b.mustOpen(fmt.Sprintf("/audits/%d/checklist", id))
	lines := eval[[]string](b, `[...document.querySelectorAll(".checklist-line")].map(e => e.id.replace("line-", ""))`)
	if len(lines) != 2 {
		t.Fatalf("checklist lines %v, want two", lines)
	}
	answer := func(line, result string) {
		t.Helper()
		run(b, "choose "+result, chromedp.Click(chromedp.CSS(`label[for="result-`+line+`-`+result+`"]`), chromedp.NodeVisible))
		run(b, "wait for the save", chromedp.Poll[bool](`document.querySelector("#status-`+line+`").textContent.includes("Saved")`))
	}
	answer(lines[0], "conforming")
	if n := b.count(`#finding-` + lines[0] + ` a`); n != 0 {
		t.Errorf("a conforming line offers a finding")
	}
	// The second line on its own page, as an auditor with a phone works.
	if got := b.follow(`a[href="/checklist-items/` + lines[1] + `"].line-link`); got != http.StatusOK {
		t.Fatalf("open the second line: %d", got)
	}
	if got := b.text("#line-position"); got != "Line 2 of 2" {
		t.Errorf("the line's place %q, want Line 2 of 2", got)
	}
	if n := b.count(`a[rel="prev"][href="/checklist-items/` + lines[0] + `"]`); n != 1 {
		t.Errorf("the second line does not lead back to the first")
	}
	run(b, "choose minor_nc", chromedp.Click(chromedp.CSS(`label[for="result-`+lines[1]+`-minor_nc"]`), chromedp.NodeVisible))
	b.fill("#notes", "The night shift works from printed copies.")
	if got := b.follow("#save"); got != http.StatusOK {
		t.Fatalf("save the line: %d", got)
	}
	if checked := eval[bool](b, `document.querySelector("#result-`+lines[1]+`-minor_nc").checked`); !checked {
		t.Errorf("the line saved: the minor nonconformity is not checked")
	}
	if n := b.count(`main a[href*="item_id=` + lines[1] + `"]`); n != 1 {
		t.Errorf("the line with a minor nonconformity: want the way to raise a finding")
	}
	if n := b.count("#next-unanswered"); n != 0 {
		t.Errorf("every line is answered, yet the page offers a next unanswered one")
	}
	// The answers are stored: the checklist read again shows them.
	b.mustOpen(fmt.Sprintf("/audits/%d/checklist", id))
	if checked := eval[bool](b, `document.querySelector("#result-`+lines[1]+`-minor_nc").checked`); !checked {
		t.Errorf("after reloading: the minor nonconformity is not checked")
	}
	if got := b.follow(`#finding-` + lines[1] + ` a`); got != http.StatusOK {
		t.Fatalf("raise a finding: %d", got)
	}
	if got := b.value("#f-requirement"); got != "8.1" {
		t.Errorf("the finding's requirement %q, want 8.1 from the line", got)
	}
	b.fill("#f-statement", "Work instructions for the night shift are not controlled.")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("record the finding: %d (%s)", got, b.text("main"))
	}
	if got := b.text("main"); !strings.Contains(got, "Minor nonconformity") {
		t.Errorf("the finding's page: want its type, got %q", got)
	}
	b.mustOpen(fmt.Sprintf("/audits/%d", id))
	if got := b.follow(`form[action$="/state"] button`); got != http.StatusOK {
		t.Fatalf("complete: %d", got)
	}
	b.mustOpen(fmt.Sprintf("/audits/%d/report", id))
	run(b, "issue", chromedp.Click(chromedp.CSS(`form[action$="/issue"] button`), chromedp.NodeVisible))
	run(b, "wait for the dialog", chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog`)))
	if got := b.follow(`#confirm-dialog button[value=confirm]`); got != http.StatusOK {
		t.Fatalf("confirm: %d", got)
	}
	hash := b.text("#report-hash")
	if len(hash) != 64 {
		t.Errorf("the report's hash %q, want 64 hex digits", hash)
	}
	if got := b.text("main"); !strings.Contains(got, "matches its hash") || !strings.Contains(got, "Work instructions for the night shift") {
		t.Errorf("the issued report: want the finding and the hash checked")
	}
}

// Screenshots of every audits page at 1280, 768 (a tablet) and 390 px,
// each required to fit its width.
func TestAuditScreens(t *testing.T) {
	s := newDemoSite(t)
	dir := os.Getenv("CONFORM_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "conform-screenshots")
	}
	dir = filepath.Join(dir, "audits")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := auditPages(t, s)
	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"1280", 1280, 900, false}, {"768", 768, 1024, true}, {"390", 390, 844, true}} {
		t.Run(w.name, func(t *testing.T) {
			b := newTab(t, s.url)
			if w.mobile {
				run(b, "emulate a device", chromedp.EmulateViewport(w.width, w.height, chromedp.EmulateMobile, chromedp.EmulateTouch))
			} else {
				run(b, "set the window", chromedp.EmulateViewport(w.width, w.height))
			}
			b.colorScheme("light")
			if got := b.signIn("drew.okafor@northwind.example", demo.Password); got != http.StatusOK {
				t.Fatalf("sign in: %d", got)
			}
			for _, pg := range pages {
				b.mustOpen(pg.path)
				type fit struct{ ScrollWidth, InnerWidth int64 }
				if got := eval[fit](b, `({ScrollWidth: document.documentElement.scrollWidth, InnerWidth: innerWidth})`); got.ScrollWidth > got.InnerWidth {
					t.Errorf("%s: the page is %dpx wide in a %dpx screen", pg.path, got.ScrollWidth, got.InnerWidth)
				}
				shoot(t, b, dir, pg.name+"-"+w.name)
				// The first screenful too: the checklist and the coverage run long.
				png := run(b, "screenshot the screenful", chromedp.CaptureScreenshot())
				if err := os.WriteFile(filepath.Join(dir, pg.name+"-"+w.name+"-top.png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
