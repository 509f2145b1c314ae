package browser

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// An approver approves the version of the major incident procedure that
// waits for their approval, and the checklist's coverage rises by one.
func TestApproveVersionRaisesCoverage(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn("riley.chen@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	if got := journeyFigure(t, b, "Required documents approved"); got != "5 of 19" {
		t.Errorf("the journey before: required documents approved %q, want 5 of 19", got)
	}
	b.mustOpen("/document-checklist")
	before := b.text("main")
	if !strings.Contains(before, "5 of 19 required documents approved") {
		t.Fatalf("the demo checklist before: want 5 of 19 approved, got %q", firstLine(before, "required documents approved"))
	}
	vs, _, err := s.areas.SMS.ListDocumentVersions(context.Background(), access.CLI, store.DocumentVersionFilter{State: "in_review", Limit: 1})
	if err != nil || len(vs) != 1 {
		t.Fatalf("the version in review: %v %v", vs, err)
	}
	b.mustOpen(fmt.Sprintf("/document-versions/%d", vs[0].ID))
	if got := b.text("main"); !strings.Contains(got, "1 of 2 needed") {
		t.Errorf("the version's approvals: want 1 of 2 needed on the page")
	}
	if got := b.follow(`form[action$="/approve"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("approve: got status %d, want 200", got)
	}
	if got := b.text(".page-title-row"); !strings.Contains(got, "Approved") {
		t.Errorf("after approving, the version's header %q, want it approved", got)
	}
	b.mustOpen("/document-checklist")
	if got := b.text("main"); !strings.Contains(got, "6 of 19 required documents approved") {
		t.Errorf("the checklist after: want 6 of 19 approved, got %q", firstLine(got, "required documents approved"))
	}
	if got := journeyFigure(t, b, "Required documents approved"); got != "6 of 19" {
		t.Errorf("the journey after: required documents approved %q, want 6 of 19", got)
	}
}

// An agent finds the service management policy on their home page (they
// read only its first version), reads it and acknowledges it; it leaves
// their list.
func TestAcknowledgePolicyAsAgent(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn("taylor.kim@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	awareBefore := journeyFigure(t, b, "Policy and objectives acknowledged")
	b.mustOpen("/")
	if got := b.text("main"); !strings.Contains(got, "To acknowledge") || !strings.Contains(got, "Service management policy") {
		t.Fatalf("the agent's home page does not ask them to acknowledge the policy")
	}
	href := eval[string](b, `[...document.querySelectorAll("main a")].find(a => a.textContent.trim() === "Service management policy").getAttribute("href")`)
	b.mustOpen(href)
	if got := b.text("h1"); got != "Service management policy" {
		t.Fatalf("the home page's link led to %q", got)
	}
	if got := b.text("main"); !strings.Contains(got, "continual") {
		t.Errorf("the policy's page does not show the text of version 2")
	}
	if got := b.follow(`form[action$="/acknowledge"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("acknowledge: got status %d, want 200", got)
	}
	if got := b.text("main"); !strings.Contains(got, "You have acknowledged this version.") {
		t.Errorf("after acknowledging, the page does not say so")
	}
	b.mustOpen("/")
	card := b.text("main")
	if i := strings.Index(card, "To acknowledge"); i < 0 || strings.Contains(card[i:], "Service management policy") {
		t.Errorf("the policy is still on the agent's list to acknowledge")
	}
	if got := journeyFigure(t, b, "Policy and objectives acknowledged"); percent(t, got) <= percent(t, awareBefore) {
		t.Errorf("the journey's awareness: %q after acknowledging, %q before; want it risen", got, awareBefore)
	}
}

// percent reads "33 %".
func percent(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscanf(s, "%d %%", &n); err != nil {
		t.Fatalf("%q is no percentage: %v", s, err)
	}
	return n
}

// firstLine is the line of text that holds what, for messages.
func firstLine(text, what string) string {
	for l := range strings.SplitSeq(text, "\n") {
		if strings.Contains(l, what) {
			return l
		}
	}
	return ""
}

// someDocument finds the demo's service management policy, its version in
// force and the draft of another document.
func someDocument(t *testing.T, s *site) (sms.ControlledDocument, int64, int64) {
	t.Helper()
	ctx := context.Background()
	ds, _, err := s.areas.SMS.ListDocuments(ctx, access.CLI, store.DocumentFilter{Query: "service management policy", Limit: 1})
	if err != nil || len(ds) != 1 {
		t.Fatalf("find the demo policy: %v %v", ds, err)
	}
	cur, err := s.areas.SMS.CurrentVersion(ctx, access.CLI, ds[0].ID)
	if err != nil {
		t.Fatalf("the policy's version in force: %v", err)
	}
	drafts, _, err := s.areas.SMS.ListDocumentVersions(ctx, access.CLI, store.DocumentVersionFilter{State: "draft", Limit: 1})
	if err != nil || len(drafts) != 1 {
		t.Fatalf("find a draft: %v %v", drafts, err)
	}
	return ds[0], cur.ID, drafts[0].ID
}

// journeyFigure opens the certification journey and reads the figure of
// the check labelled label ("5 of 19", "33 %", "Yes").
func journeyFigure(t *testing.T, b *tab, label string) string {
	t.Helper()
	b.mustOpen("/journey")
	got := eval[string](b, `(() => { const a = [...document.querySelectorAll(".journey-checks a")].find(a => a.textContent.trim() === `+js(label)+`);
		return a ? a.parentElement.querySelector("strong").textContent.trim() : "" })()`)
	if got == "" {
		t.Fatalf("the journey has no check %q", label)
	}
	return got
}
