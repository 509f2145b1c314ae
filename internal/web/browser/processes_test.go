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

// processIDs are demo records of objectives, processes, the team and the
// RACI, for the pages' screenshots and flows.
type processIDs struct {
	missed, value, incident, member, raci int64
}

func someProcessIDs(t *testing.T, s *site) processIDs {
	t.Helper()
	ctx, c := context.Background(), s.areas.SMS
	var ids processIDs
	os, _, err := c.ListObjectives(ctx, access.CLI, store.ObjectiveFilter{Standing: "missed", Limit: 1})
	if err != nil || len(os) != 1 {
		t.Fatalf("find the demo objective that misses its target: %v %v", os, err)
	}
	ids.missed = os[0].ID
	vs, err := c.ValuesOf(ctx, access.CLI, ids.missed)
	if err != nil || len(vs) == 0 {
		t.Fatalf("find its values: %v %v", vs, err)
	}
	ids.value = vs[len(vs)-1].ID
	ps, _, err := c.ListProcesses(ctx, access.CLI, store.ProcessFilter{Query: "incident management", Limit: 1})
	if err != nil || len(ps) != 1 {
		t.Fatalf("find incident management: %v %v", ps, err)
	}
	ids.incident = ps[0].ID
	ms, _, err := c.ListProjectMembers(ctx, access.CLI, store.ProjectMemberFilter{Role: sms.ProjectManager})
	if err != nil || len(ms) != 1 {
		t.Fatalf("find the project manager: %v %v", ms, err)
	}
	ids.member = ms[0].ID
	rs, _, err := c.ListRacis(ctx, access.CLI, store.RaciFilter{ProcessID: ids.incident})
	if err != nil || len(rs) != 1 {
		t.Fatalf("find incident management's RACI row: %v %v", rs, err)
	}
	ids.raci = rs[0].ID
	return ids
}

// processPages are the pages of objectives, processes, the team and the
// RACI, for TestEveryPage.
func processPages(t *testing.T, s *site) []struct{ name, path string } {
	ids := someProcessIDs(t, s)
	return []struct{ name, path string }{
		{"objectives", "/objectives"},
		{"objectives-missed", "/objectives?standing=missed"},
		{"objective", fmt.Sprintf("/objectives/%d", ids.missed)},
		{"objective-new", "/objectives/new"},
		{"objective-value", fmt.Sprintf("/objective-values/%d", ids.value)},
		{"processes", "/processes"},
		{"process-map", "/processes/map"},
		{"process", fmt.Sprintf("/processes/%d", ids.incident)},
		{"process-edit", fmt.Sprintf("/processes/%d/edit", ids.incident)},
		{"implementation-team", "/implementation-team"},
		{"team-member", fmt.Sprintf("/implementation-team/%d", ids.member)},
		{"raci", "/raci"},
		{"raci-matrix", "/raci/matrix"},
		{"raci-row", fmt.Sprintf("/raci/%d", ids.raci)},
		{"raci-new", fmt.Sprintf("/raci/new?process=%d", ids.incident)},
	}
}

// The process map: every area of clause 8 and the SMS's own, each
// process a card saying its maturity and documentation in words, its
// interfaces linked; a card leads to its process.
func TestProcessMap(t *testing.T) {
	s := newDemoSite(t)
	ids := someProcessIDs(t, s)
	b := newTab(t, s.url)
	if got := b.signIn("jordan.lee@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	b.mustOpen("/processes")
	if got := b.follow(`a[href="/processes/map"]`); got != http.StatusOK {
		t.Fatalf("the list's link to the map: %d", got)
	}
	if got := b.text("h1"); got != "Process map" {
		t.Errorf("heading: %q, want Process map", got)
	}
	areas := eval[[]string](b, `[...document.querySelectorAll("main section h2")].map(h => h.textContent.trim())`)
	for _, want := range []string{"Service portfolio", "Relationship and agreement", "Supply and demand", "Service design, build and transition",
		"Resolution and fulfilment", "Service assurance", "The SMS's own processes"} {
		if !contains(areas, want) {
			t.Errorf("areas on the map %v: %q missing", areas, want)
		}
	}
	if n := b.count("main article.card"); n != len(sms.BuiltInProcesses) {
		t.Errorf("%d process cards, want %d", n, len(sms.BuiltInProcesses))
	}
	card := fmt.Sprintf(`article.card:has(h3 a[href="/processes/%d"])`, ids.incident)
	text := b.text(card)
	for _, want := range []string{"Incident management", "Owner: Jordan Lee", "Maturity 3 · Defined", "Described", "Works with", "Problem management"} {
		if !strings.Contains(text, want) {
			t.Errorf("incident management's card %q: %q missing", text, want)
		}
	}
	if cls, _ := b.attr(card, "class"); !strings.Contains(cls, "border-blue") {
		t.Errorf("incident management's card edge %q, want the colour of maturity 3", cls)
	}
	if got := b.follow(card + ` h3 a`); got != http.StatusOK || b.pathID() != ids.incident {
		t.Fatalf("follow the card: %d to %s", got, b.location())
	}
	if got := b.text("h1"); got != "Incident management" {
		t.Errorf("the process page's heading: %q", got)
	}
}

// An objective's chart: the list flags the one that misses its target;
// its page draws a point per value, the misses marked, with the figures
// in words and in a table; recording a value that meets the target adds
// a point and lifts the flag.
func TestObjectiveChart(t *testing.T) {
	s := newDemoSite(t)
	ids := someProcessIDs(t, s)
	b := newTab(t, s.url)
	if got := b.signIn("jordan.lee@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	b.mustOpen("/objectives?standing=missed")
	rows := b.table("table")
	if len(rows) != 1 || !strings.Contains(rows[0]["Standing"], "Misses its target") {
		t.Fatalf("objectives missing their target: %v, want the one, flagged", rows)
	}
	b.mustOpen(fmt.Sprintf("/objectives/%d", ids.missed))
	if got := b.text(".page-title-row .badge"); got != "Misses its target" {
		t.Errorf("the page's flag: %q", got)
	}
	if n := b.count(`figure svg.chart-wide circle`); n != 12 {
		t.Errorf("%d points on the chart, want 12", n)
	}
	misses := b.count(`figure svg.chart-wide circle.text-danger`)
	if misses == 0 || misses == 12 {
		t.Errorf("%d points marked as misses, want some", misses)
	}
	label, _ := b.attr(`figure svg.chart-wide`, "aria-label")
	if !strings.Contains(label, "which misses the target of ≥ 4.2 points") {
		t.Errorf("the chart's words: %q, want the latest value said to miss the target", label)
	}
	if n := len(b.table(`section[aria-labelledby="measured-values-title"] table`)); n != 12 {
		t.Errorf("%d values in the table beside the chart, want 12", n)
	}
	b.fill("#f-value", "4,5")
	b.fill("#f-note", "Two new agents started.")
	if got := b.follow(`#value-form button[type=submit]`); got != http.StatusOK {
		t.Fatalf("record a value: %d", got)
	}
	b.mustOpen(fmt.Sprintf("/objectives/%d", ids.missed))
	if n := b.count(`figure svg.chart-wide circle`); n != 13 {
		t.Errorf("%d points after recording one, want 13", n)
	}
	if got := b.text(".page-title-row .badge"); got != "Meets its target" {
		t.Errorf("the flag after a value above the target: %q", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
