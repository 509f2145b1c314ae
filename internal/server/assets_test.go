package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/store/storetest"
)

// A page's first load (the page and every file it links) transfers less
// than 300 KiB, compressed; the files are named by their content and may
// be kept for a year; a changed name is not found.
func TestFirstLoadIsSmallAndCached(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	r, page := b.get("/teams")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /teams: %d", r.StatusCode)
	}
	total := len(page)
	links := regexp.MustCompile(`(?:href|src)="(/static/[^"#]+)`).FindAllStringSubmatch(page, -1)
	seen := map[string]bool{}
	for _, m := range links {
		path := m[1]
		if seen[path] {
			continue
		}
		seen[path] = true
		req, _ := http.NewRequest(http.MethodGet, f.ts.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
			continue
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want a year and immutable (the name holds the content's hash)", path, cc)
		}
		if !regexp.MustCompile(`\.[0-9a-f]{8}\.`).MatchString(path) {
			t.Errorf("%s: no content hash in the name", path)
		}
		total += len(body)
	}
	for _, want := range []string{"vendor/tabler.", "vendor/htmx.", "app.", "theme.", "icons."} {
		found := false
		for p := range seen {
			found = found || strings.Contains(p, want)
		}
		if !found {
			t.Errorf("the page links no %s file; links: %v", want, seen)
		}
	}
	if total > 300*1024 {
		t.Errorf("first load transfers %d KiB, want under 300 KiB", total/1024)
	}
	t.Logf("first load of /teams: %d KiB in %d files", total/1024, len(seen)+1)

	// A name with another hash is not found, and a plain name is
	// revalidated rather than kept.
	if r, _ := b.get("/static/app.00000000.css"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a stale hashed name: %d, want 404", r.StatusCode)
	}
	if r, _ := b.get("/static/app.css"); r.StatusCode != http.StatusOK || r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("the plain name: %d %q, want 200 no-cache", r.StatusCode, r.Header.Get("Cache-Control"))
	}
}
