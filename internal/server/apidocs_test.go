package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestAPIDocsPage: the API reference at /api/docs, which the tokens page
// links to, answers anyone with every operation of the document and its
// answers, and loads nothing from elsewhere.
func TestAPIDocsPage(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	r := f.do(t, "", "GET", "/api/docs", "")
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /api/docs: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q, want nothing loaded", csp)
	}
	page := string(body)
	for _, route := range f.srv.Routes() {
		if route.Surface != "api" || !strings.HasPrefix(route.Pattern, "/api/v1/") {
			continue
		}
		if !strings.Contains(page, "<code>"+route.Method+" "+route.Pattern+"</code>") {
			t.Errorf("the reference lacks %s %s", route.Method, route.Pattern)
		}
	}
	if !strings.Contains(page, "<td>412</td><td>Precondition Failed</td><td><code>ErrorModel</code></td>") {
		t.Error("the reference does not show an update's 412 problem")
	}
	if m := regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).FindString(page); m != "" {
		t.Errorf("the reference loads from elsewhere: %s", m)
	}
}
