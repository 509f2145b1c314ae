package browser

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/demo"
)

// Working an assessment on clause 8.6 in the browser: the questionnaire
// opens at 8.6; the keyboard moves to 8.6.1 and sets its status; an
// answer given by clicking is saved at once (htmx), and the readiness of
// the requirement, the clause and overall change in place with the
// clause's heatmap; back on the assessment's page, readiness and the
// heatmap show the change; a reload keeps the answer.
func TestWorkAnAssessmentOnClause86(t *testing.T) {
	s := newDemoSite(t)
	asm, _ := someAssessment(t, s)
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	page := fmt.Sprintf("/assessments/%d", asm.ID)
	b.mustOpen(page)
	overallBefore := b.text(`section[aria-labelledby="readiness-title"] .record-field:first-child dd`)
	tile := `.heatmap a.heat-tile[href$="clause=8.6.1"] .heat-status`
	if got := b.text(tile); got == "Implemented" {
		t.Fatalf("the demo's 8.6.1 is already implemented; the flow needs it not to be")
	}

	implBefore := journeyFigure(t, b, "Requirements implemented")
	b.mustOpen(page + "/work?clause=8.6")
	if got := b.text("h1"); !strings.HasPrefix(got, "8.6 ") {
		t.Fatalf("the questionnaire at 8.6: heading %q", got)
	}
	// N: on to 8.6.1, by the keyboard.
	run(b, "focus the page", chromedp.Focus(chromedp.CSS("main")))
	b.await("press n", chromedp.KeyEvent("n"))
	if got := b.text("h1"); !strings.HasPrefix(got, "8.6.1 ") {
		t.Fatalf("after N: heading %q, want 8.6.1", got)
	}
	reqBefore := b.text(`#work-scores .record-field:first-child dd`)
	clauseBefore := b.text(`#work-scores .record-field:nth-child(2) dd`)
	// 3: implemented, saved as it is set.
	run(b, "focus the page", chromedp.Focus(chromedp.CSS("main")))
	b.press("3")
	waitSaved(t, b)
	if !eval[bool](b, `document.querySelector('input[name=status][value=implemented]').checked`) {
		t.Error("3 did not set the status to implemented")
	}
	if got := b.text(`#work-scores .record-field:first-child dd`); !strings.HasPrefix(got, "100 %") || got == reqBefore {
		t.Errorf("this requirement's readiness after implementing it: %q (was %q), want 100 %%", got, reqBefore)
	}
	if got := b.text(`#work-scores .record-field:nth-child(2) dd`); got == clauseBefore {
		t.Errorf("clause 8's readiness did not change in place: %q", got)
	}
	if got := b.text(`#work-heat a.heat-tile[aria-current] .heat-status`); got != "Implemented" {
		t.Errorf("the clause's heatmap shows 8.6.1 %q, want Implemented", got)
	}
	// An answer by clicking its reply, and a note: each saved.
	run(b, "answer yes", chromedp.Click(chromedp.CSS(`label[for="reply-1-1"]`)))
	waitSaved(t, b)
	b.fill("#note-1", "Major incidents defined in the procedure of March")
	run(b, "leave the note", chromedp.Focus(chromedp.CSS("#work-notes")))
	waitSaved(t, b)
	if got := b.text("#work-progress"); !strings.Contains(got, "answered") {
		t.Errorf("the progress: %q", got)
	}

	b.mustOpen(page + "/work?clause=8.6.1")
	if !eval[bool](b, `document.querySelector('#reply-1-1').checked`) || b.value("#note-1") != "Major incidents defined in the procedure of March" {
		t.Error("after a reload, the answer given is not there")
	}
	b.mustOpen(page)
	if got := b.text(tile); got != "Implemented" {
		t.Errorf("the assessment's heatmap shows 8.6.1 %q, want Implemented", got)
	}
	if got := b.text(`section[aria-labelledby="readiness-title"] .record-field:first-child dd`); got == overallBefore {
		t.Errorf("the overall readiness did not change: %q", got)
	}
	var was, now, of int
	fmt.Sscanf(implBefore, "%d of %d", &was, &of)
	if got := journeyFigure(t, b, "Requirements implemented"); func() bool { _, err := fmt.Sscanf(got, "%d of %d", &now, &of); return err != nil }() || now != was+1 {
		t.Errorf("the journey's requirements implemented: %q after implementing 8.6.1, %q before; want one more", got, implBefore)
	}
}

// waitSaved waits for the questionnaire to say the last change is saved,
// then clears the word so the next wait waits for the next save.
func waitSaved(t *testing.T, b *tab) {
	t.Helper()
	run(b, "wait for the save", chromedp.Poll[bool](`document.querySelector("#save-status .text-success") !== null`, chromedp.WithPollingTimeout(10*time.Second)))
	if msg := b.text("#save-status"); !strings.Contains(msg, "Saved") {
		t.Fatalf("the save status says %q", msg)
	}
	eval[bool](b, `(() => { document.querySelector("#save-status").innerHTML = ""; return true })()`)
}
