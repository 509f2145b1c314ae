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

// The plan made from the demo assessment's gaps with the button on its
// page: the gap actions appear, and a second click adds none; then the
// timeline draws a bar for each, with today marked, and fits a phone by
// scrolling in its own box. The timeline, an action's form and its page
// are screenshot at 1280 and 390 px, and pass axe-core in both schemes.
func TestPlanFromGapsAndTimeline(t *testing.T) {
	s := newDemoSite(t)
	asm, _ := someAssessment(t, s)
	ctx := context.Background()
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	gaps := func() int {
		as, _, err := s.areas.SMS.ListActions(ctx, access.CLI, store.ActionFilter{Source: "gap", Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	before := gaps()
	if got := journeyFigure(t, b, "Gaps with an action"); strings.HasPrefix(got, "58 of") {
		t.Errorf("the journey before the plan: gaps with an action %q, want some without", got)
	}
	plan := func() string {
		t.Helper()
		b.mustOpen(fmt.Sprintf("/assessments/%d", asm.ID))
		run(b, "open the menu", chromedp.Click(chromedp.CSS(`.page-header [aria-label="More actions"]`)))
		if got := b.follow(fmt.Sprintf(`.action-menu form[action="/assessments/%d/plan"] button[type=submit]`, asm.ID)); got != http.StatusOK {
			t.Fatalf("make the plan: got status %d, want 200", got)
		}
		if got := b.location().Path; got != "/actions" {
			t.Fatalf("after making the plan: on %s, want the actions", got)
		}
		return b.text("body")
	}
	page := plan()
	made := gaps() - before
	if made == 0 || !strings.Contains(page, fmt.Sprintf("%d actions added to the plan from the gaps.", made)) {
		t.Fatalf("first plan: %d gap actions made; the page does not say so", made)
	}
	if b.count(`main table tbody tr`) == 0 || !strings.Contains(page, "Close the gap: ") {
		t.Errorf("after the plan: no gap action listed")
	}
	if page := plan(); !strings.Contains(page, "No new gaps") || gaps()-before != made {
		t.Errorf("second plan: %d gap actions, want still %d, and the page to say there are no new gaps", gaps()-before, made)
	}
	var have, want int
	if got := journeyFigure(t, b, "Gaps with an action"); func() bool { _, err := fmt.Sscanf(got, "%d of %d", &have, &want); return err != nil }() || have != want || want == 0 {
		t.Errorf("the journey after the plan: gaps with an action %q, want every gap", got)
	}

	b.mustOpen("/actions")
	if got := b.follow(`.page-header a[href="/actions/timeline"]`); got != http.StatusOK {
		t.Fatalf("the timeline from the list: status %d", got)
	}
	bars := b.count(`table.timeline tbody svg rect.tl-bar`)
	open, _, err := s.areas.SMS.ListActions(ctx, access.CLI, store.ActionFilter{Open: true, Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if bars < len(open) {
		t.Errorf("timeline: %d bars, want at least one per open action (%d)", bars, len(open))
	}
	if b.count(`table.timeline thead line.tl-today`) != 1 || b.count(`rect.tl-bar.tl-late`) == 0 {
		t.Errorf("timeline: want today marked and some bar overdue")
	}
	if got := b.text(`table.timeline`); !strings.Contains(got, "Overdue by") || !strings.Contains(got, "after ACT-") {
		t.Errorf("timeline: want overdue said in words and dependencies named")
	}
	b.choose("#f-source", "plan")
	run(b, "wait for the plan's actions alone", chromedp.Poll[bool](`!document.querySelector("table.timeline").textContent.includes("Close the gap")`))

	dir := os.Getenv("CONFORM_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "conform-screenshots")
	}
	dir = filepath.Join(dir, "plan")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ordered, _, err := s.areas.SMS.ListActions(ctx, access.CLI, store.ActionFilter{Query: "internal audit", Limit: 1})
	if err != nil || len(ordered) != 1 {
		t.Fatalf("the demo's audit plan: %v", err)
	}
	pages := []struct{ name, path string }{
		{"timeline", "/actions/timeline"},
		{"timeline-owner", "/actions/timeline?group=owner&source=plan"},
		{"action", fmt.Sprintf("/actions/%d", ordered[0].ID)},
		{"action-edit", fmt.Sprintf("/actions/%d/edit", ordered[0].ID)},
		{"actions", "/actions?source=plan"},
	}
	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"1280", 1280, 900, false}, {"390", 390, 844, true}} {
		if w.mobile {
			run(b, "emulate a phone", chromedp.EmulateViewport(w.width, w.height, chromedp.EmulateMobile, chromedp.EmulateTouch))
		} else {
			run(b, "emulate a desktop", chromedp.EmulateViewport(w.width, w.height))
		}
		for _, pg := range pages {
			b.mustOpen(pg.path)
			shoot(t, b, dir, pg.name+"-"+w.name)
			type fit struct{ ScrollWidth, InnerWidth int }
			if got := eval[fit](b, `({ScrollWidth: document.documentElement.scrollWidth, InnerWidth: innerWidth})`); got.ScrollWidth > got.InnerWidth {
				t.Errorf("%s at %s px: page is %d px wide, want it to fit (the timeline scrolls in its own box)", pg.path, w.name, got.ScrollWidth)
			}
		}
	}
	if axePath := os.Getenv("CONFORM_AXE_JS"); axePath != "" {
		axe, err := os.ReadFile(axePath)
		if err != nil {
			t.Fatalf("read axe-core: %v", err)
		}
		for _, pg := range pages[:3] {
			b.mustOpen(pg.path)
			for _, scheme := range []string{"light", "dark"} {
				b.colorScheme(scheme)
				for _, v := range axeRun(b, string(axe)) {
					t.Errorf("%s, %s scheme: %s (%s): %s\n\tat %s", pg.path, scheme, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\tat "))
				}
			}
			b.colorScheme("light")
		}
	}
}
