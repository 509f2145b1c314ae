package server_test

import (
	"cmp"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The navigation lists the kinds' pages area by area, in the areas'
// order, and within an area in the kinds' own order; Home comes first.
func TestNavigationOrder(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	resp := f.do(t, access.Admin, "GET", "/teams", "")
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	start, end := strings.Index(page, `<nav class="w-100"`), strings.Index(page, "</nav>")
	if resp.StatusCode != 200 || start < 0 || end < start {
		t.Fatalf("GET /teams: %d, no navigation", resp.StatusCode)
	}
	var hrefs []string
	for _, m := range regexp.MustCompile(`class="nav-link" href="([^"]+)"`).FindAllStringSubmatch(page[start:end], -1) {
		hrefs = append(hrefs, m[1])
	}
	if len(hrefs) == 0 || hrefs[0] != "/" {
		t.Fatalf("navigation %v, want Home first", hrefs)
	}
	type place struct {
		area, order int
		href        string
	}
	byHref := map[string]place{}
	for _, k := range f.app.Kinds().All() {
		if k.Nav != nil {
			byHref["/"+k.Path()] = place{k.Area.Order, k.Nav.Order, "/" + k.Path()}
		}
	}
	var listed []place
	for _, h := range hrefs {
		if p, ok := byHref[h]; ok {
			listed = append(listed, p)
		}
	}
	if len(listed) < 10 {
		t.Fatalf("only %d kinds in the navigation: %v", len(listed), hrefs)
	}
	areas := map[int]bool{}
	for _, p := range listed {
		areas[p.area] = true
	}
	if len(areas) < 2 || record.Administration.Order == 0 && len(areas) < 3 {
		t.Fatalf("the navigation holds %d areas, want several to order", len(areas))
	}
	if !slices.IsSortedFunc(listed, func(a, b place) int { return cmp.Or(cmp.Compare(a.area, b.area), cmp.Compare(a.order, b.order)) }) {
		t.Errorf("the navigation is not in the areas' and kinds' order: %v", listed)
	}
}
