package server_test

import (
	"cmp"
	"context"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
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

// The navigation marks the section a page belongs to, and only it, and
// names each area once, above its first entry; htmx gets a list's rows
// alone, while a boosted link (a whole page through htmx) gets the page.
func TestNavigationCurrentAndPartial(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	get := func(path string, header ...string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+f.tokens[access.Admin])
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(body)
	}
	current := func(page string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`class="nav-link" href="([^"]+)" aria-current="page"`).FindAllStringSubmatch(page, -1) {
			out = append(out, m[1])
		}
		return out
	}
	if _, err := f.app.CreateTeam(context.Background(), access.CLI, account.TeamInput{Name: "Service desk"}); err != nil {
		t.Fatal(err)
	}
	user := itoa(f.users[access.Admin].ID)
	for path, want := range map[string]string{"/": "/", "/teams": "/teams", "/users/" + user: "/users"} {
		if got := current(get(path)); len(got) != 1 || got[0] != want {
			t.Errorf("on %s the navigation marks %v, want %s alone", path, got, want)
		}
	}
	page := get("/teams")
	groups := regexp.MustCompile(`<li class="nav-group" aria-hidden="true">([^<]+)</li>`).FindAllStringSubmatch(page, -1)
	seen := map[string]bool{}
	for _, g := range groups {
		if seen[g[1]] {
			t.Errorf("the area %q is named twice in the navigation", g[1])
		}
		seen[g[1]] = true
	}
	if len(groups) < 2 || !seen[record.Administration.Name] {
		t.Errorf("areas named in the navigation: %v, want each area once, Administration among them", groups)
	}
	if frag := get("/teams", "HX-Request", "true"); strings.Contains(frag, "<html") || !strings.Contains(frag, "<table") {
		t.Errorf("htmx asked for the list's rows and got the page or nothing:\n%.300s", frag)
	}
	if whole := get("/teams", "HX-Request", "true", "HX-Boosted", "true"); !strings.Contains(whole, "<html") {
		t.Errorf("a boosted link got a fragment, want the page")
	}
}
