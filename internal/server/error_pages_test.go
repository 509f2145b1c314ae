package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// A page that fails on our side (here: the database gone) answers 500,
// logs the fault, and gives the reader the request's reference to quote;
// a page refused for the reader's own reason (not found) does neither.
func TestErrorPagesFaultReference(t *testing.T) {
	var logs lockedBuffer
	f := newFixtureOpts(t, storetest.Open(t, storetest.SQLite), fixtureOpts{log: slog.New(slog.NewTextHandler(&logs, nil))})
	get := func(path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+f.tokens[access.Admin])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	if resp, _ := get("/teams/0"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("record 0: %d, want 404", resp.StatusCode)
	}
	resp, page := get("/teams/999999")
	if resp.StatusCode != http.StatusNotFound || strings.Contains(page, "tell your administrator this reference") {
		t.Errorf("a missing record: %d, want 404 without a fault's reference", resp.StatusCode)
	}
	if !strings.HasSuffix(strings.TrimSpace(page), "</html>") {
		t.Errorf("the error page is not one whole page:\n%s", page)
	}
	if log := strings.Join(logs.lines(), "\n"); strings.Contains(log, "page failed") || strings.Contains(log, "render error page") {
		t.Errorf("a missing record was logged as a fault:\n%s", log)
	}
	// The token is remembered for a few seconds, so the request is still
	// let in once the database is gone.
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	resp, page = get("/teams")
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode < 500 || id == "" || !strings.Contains(page, "<code>"+id+"</code>") {
		t.Errorf("a page failing on our side: %d, request id %q; want 5xx with the id on the page:\n%.400s", resp.StatusCode, id, page)
	}
	if log := strings.Join(logs.lines(), "\n"); !strings.Contains(log, "page failed") {
		t.Errorf("the fault was not logged:\n%s", log)
	}
}
