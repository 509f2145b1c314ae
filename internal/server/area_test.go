package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store/storetest"
	"github.com/conform-itsm/conform/internal/web"
)

// TestAreaPagesAndOperations mounts an area the way the management system
// and operations areas are mounted: its kind added to the App, its pages
// with templates of its own, its API operations. The navigation, the
// routes and the permission checks take it in like the platform's.
func TestAreaPagesAndOperations(t *testing.T) {
	area := record.Area{Name: "Notes", Order: 50}
	notes := record.Kind{Entity: "note", Prefix: "NOTE", Label: "Note", Plural: "Notes", Area: area,
		Read: access.TeamsRead, Write: access.TeamsWrite, History: access.HistoryRead, Nav: &record.Nav{Order: 10, Summary: "Things worth noting."}}
	see := func(context.Context, access.Actor, int64) error { return nil }
	type notePage struct {
		web.Base
		Text string
	}
	pages := web.Area{
		Name: "notes",
		Templates: fstest.MapFS{"notes.html": {Data: []byte(`{{define "content"}}<h1>Notes</h1><div id="list">{{template "partial" .}}</div>{{end}}
{{define "partial"}}<p class="note">{{.Text}}</p>{{end}}`)}},
		Pages: []web.Page{{Name: "notes", Fragment: true}},
		Routes: func(p *web.Pages, mux guard.Registrar) {
			p.Handle(mux, "GET /notes", notes.Read, func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
				page := notePage{Base: rq.Base, Text: "Remember the stage 1 audit."}
				page.Title = "Notes"
				return p.Render(w, r, http.StatusOK, "notes/notes", page)
			})
		},
	}
	api := func(api *restapi.API) {
		restapi.Register(api, notes.Read, huma.Operation{OperationID: "count-notes", Method: http.MethodGet, Path: restapi.KindPath(notes) + "/count", Tags: []string{notes.Plural}, Summary: "Count notes"},
			func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body struct{ Count int } }, error) {
				out := &struct{ Body struct{ Count int } }{}
				out.Body.Count = 1
				return out, nil
			})
	}
	f := newFixtureOpts(t, storetest.Open(t, storetest.SQLite), fixtureOpts{
		cfg: server.Config{Areas: []server.Area{{Pages: pages, API: api}}},
		prepare: func(a *app.App) error {
			return a.AddArea(app.Area{Name: area.Name, Kinds: []record.Kind{notes}, See: map[string]app.Seer{"note": see}})
		},
	})
	srv, ts := f.srv, f.ts

	routes := map[string]access.Permission{}
	for _, r := range srv.Routes() {
		routes[r.Key()] = r.Perm
	}
	if routes["GET /notes"] != access.TeamsRead || routes["GET /api/v1/notes/count"] != access.TeamsRead {
		t.Errorf("the area's routes are not registered with their permission: %v", routes)
	}
	if r := f.do(t, access.Agent, "GET", "/api/v1/notes/count", ""); r.StatusCode != http.StatusOK {
		t.Errorf("area operation as an agent: %d, want 200", r.StatusCode)
	}
	if r := f.do(t, access.Requester, "GET", "/api/v1/notes/count", ""); r.StatusCode != http.StatusForbidden {
		t.Errorf("area operation as a requester: %d, want 403", r.StatusCode)
	}

	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	r, body := b.get("/notes")
	if r.StatusCode != http.StatusOK || !strings.Contains(body, `<p class="note">Remember the stage 1 audit.</p>`) || !strings.Contains(body, `href="/notes"`) {
		t.Errorf("the area's page: %d, want 200 with its content and a place in the navigation:\n%s", r.StatusCode, body)
	}
	if _, home := b.get("/"); !strings.Contains(home, "Things worth noting.") {
		t.Error("the home page has no card for the area's kind")
	}
	req, _ := http.NewRequest("GET", ts.URL+"/notes", nil)
	req.Header.Set("HX-Request", "true")
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	frag, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(frag), "<html") || !strings.Contains(string(frag), `class="note"`) {
		t.Errorf("htmx asked for the area page's fragment and got:\n%s", frag)
	}
	requester := newBrowser(t, f)
	requester.login("requester@example.com", "correct horse battery")
	if r, _ := requester.get("/notes"); r.StatusCode != http.StatusForbidden {
		t.Errorf("the area's page as a requester: %d, want 403", r.StatusCode)
	}
}
