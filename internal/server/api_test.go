package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

func decode(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	var m map[string]any
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, body)
	}
	return m
}

// problemFields lists the locations named in a problem+json response.
func problemFields(m map[string]any) []string {
	var out []string
	list, _ := m["errors"].([]any)
	for _, e := range list {
		if em, ok := e.(map[string]any); ok {
			out = append(out, fmt.Sprint(em["location"]))
		}
	}
	return out
}

func auditCount(t testing.TB, db *store.DB) int64 {
	t.Helper()
	n, err := db.CountAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// scenario is one API call and what must come of it.
type scenario struct {
	name      string
	role      access.Role
	method    string
	path      string
	body      string
	header    map[string]string
	status    int
	fields    []string // problem locations that must be named
	newAudits int64    // audit entries the call must add
	check     func(t *testing.T, m map[string]any, resp *http.Response)
}

func (f *fixture) run(t *testing.T, s scenario) {
	t.Helper()
	before := auditCount(t, f.db)
	req, err := http.NewRequest(s.method, f.ts.URL+s.path, strings.NewReader(s.body))
	if err != nil {
		t.Fatal(err)
	}
	if s.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.role != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[s.role])
	}
	for k, v := range s.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	f.checkDeclared(t, s.method, s.path, resp.StatusCode)
	if resp.StatusCode != s.status {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s as %s: got status %d, want %d; body %s", s.method, s.path, s.role, resp.StatusCode, s.status, body)
	}
	var m map[string]any
	if resp.StatusCode != http.StatusNoContent && resp.Request.Method != http.MethodHead {
		m = decode(t, resp)
	}
	if resp.StatusCode >= 400 {
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("error content type = %q, want application/problem+json", ct)
		}
	}
	got := problemFields(m)
	for _, want := range s.fields {
		found := false
		for _, g := range got {
			found = found || g == want
		}
		if !found {
			t.Errorf("problem names %v, want it to name %s", got, want)
		}
	}
	if added := auditCount(t, f.db) - before; added != s.newAudits {
		t.Errorf("audit entries added = %d, want %d", added, s.newAudits)
	}
	if s.check != nil {
		s.check(t, m, resp)
	}
}

// checkDeclared fails t when the OpenAPI document does not declare the
// status an operation answered: a generated client must know every answer.
func (f *fixture) checkDeclared(t *testing.T, method, path string, status int) {
	t.Helper()
	doc := f.srv.OpenAPI()
	p, _, _ := strings.Cut(path, "?")
	best := ""
	for tmpl := range doc.Paths {
		if pathMatches(tmpl, p) && (best == "" || strings.Count(tmpl, "{") < strings.Count(best, "{")) {
			best = tmpl
		}
	}
	if item := doc.Paths[best]; item != nil {
		var op *huma.Operation
		switch method {
		case "GET":
			op = item.Get
		case "POST":
			op = item.Post
		case "PUT":
			op = item.Put
		case "PATCH":
			op = item.Patch
		case "DELETE":
			op = item.Delete
		}
		if op == nil {
			return
		}
		// A default response does not count: every status is named.
		if _, ok := op.Responses[strconv.Itoa(status)]; !ok {
			t.Errorf("%s %s answered %d, which the OpenAPI document does not declare for %s", method, path, status, op.OperationID)
		}
	}
}

// pathMatches reports whether a path fits an OpenAPI path template.
func pathMatches(tmpl, path string) bool {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") {
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

func TestAPIScenarios(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			teamPath := ""
			etag := ""
			scenarios := []scenario{
				{name: "create team", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"name":"Service desk","member_ids":[1,2]}`,
					status: 201, newAudits: 1, check: func(t *testing.T, m map[string]any, r *http.Response) {
						teamPath, etag = r.Header.Get("Location"), r.Header.Get("ETag")
						if m["name"] != "Service desk" || teamPath == "" || etag != `"1"` {
							t.Errorf("created %v at %q with ETag %q", m, teamPath, etag)
						}
					}},
				{name: "unknown field refused", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"name":"X","colour":"red"}`,
					status: 422, fields: []string{"body.colour"}},
				{name: "missing name", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"description":"no name"}`,
					status: 422, fields: []string{"body.name"}},
				{name: "blank name", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"name":"   "}`,
					status: 422, fields: []string{"body.name"}},
				{name: "duplicate name", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"name":"service desk"}`,
					status: 422, fields: []string{"body.name"}},
				{name: "unknown member", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"name":"Ghosts","member_ids":[424242]}`,
					status: 422, fields: []string{"body.member_ids"}},
				{name: "malformed JSON", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"name":`, status: 400},
				{name: "wrong type", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"name":42}`, status: 422, fields: []string{"body.name"}},
				{name: "too large", role: access.Admin, method: "POST", path: "/api/v1/teams", body: `{"name":"` + strings.Repeat("x", 70<<10) + `"}`, status: 413},
				{name: "agent may not create", role: access.Agent, method: "POST", path: "/api/v1/teams", body: `{"name":"Nope"}`, status: 403},
				{name: "bad user email and role", role: access.Admin, method: "POST", path: "/api/v1/users", body: `{"email":"not-an-email","name":"N","role":"wizard"}`,
					status: 422, fields: []string{"body.role"}},
				{name: "user email checked", role: access.Admin, method: "POST", path: "/api/v1/users", body: `{"email":"not-an-email","name":"N","role":"agent"}`,
					status: 422, fields: []string{"body.email"}},
				{name: "staff role refused for a customer", role: access.Admin, method: "POST", path: "/api/v1/users",
					body: fmt.Sprintf(`{"email":"x@customer.example","name":"X","role":"agent","organisation_id":%d}`, f.orgs["a"].ID), status: 422, fields: []string{"body.role"}},
				{name: "short password", role: access.Admin, method: "POST", path: "/api/v1/users", body: `{"email":"p@example.com","name":"P","role":"agent","password":"short"}`,
					status: 422, fields: []string{"body.password"}},
			}
			for _, s := range scenarios {
				t.Run(s.name, func(t *testing.T) { f.run(t, s) })
			}

			t.Run("update with If-Match", func(t *testing.T) {
				f.run(t, scenario{role: access.Admin, method: "PATCH", path: teamPath, body: `{"description":"First line"}`, header: map[string]string{"If-Match": etag},
					status: 200, newAudits: 1, check: func(t *testing.T, m map[string]any, r *http.Response) {
						if m["description"] != "First line" || m["name"] != "Service desk" || r.Header.Get("ETag") != `"2"` {
							t.Errorf("after patch: %v, ETag %s", m, r.Header.Get("ETag"))
						}
					}})
				// The old ETag is stale now: 412 and nothing changes.
				f.run(t, scenario{role: access.Admin, method: "PATCH", path: teamPath, body: `{"description":"Stale"}`, header: map[string]string{"If-Match": etag},
					status: 412})
				f.run(t, scenario{role: access.Admin, method: "GET", path: teamPath, status: 200, check: func(t *testing.T, m map[string]any, _ *http.Response) {
					if m["description"] != "First line" {
						t.Errorf("a stale update changed the record: %v", m["description"])
					}
				}})
				f.run(t, scenario{role: access.Admin, method: "DELETE", path: teamPath, header: map[string]string{"If-Match": etag}, status: 412})
				f.run(t, scenario{role: access.Admin, method: "GET", path: teamPath + "/history", status: 200, check: func(t *testing.T, m map[string]any, _ *http.Response) {
					items := m["items"].([]any)
					if len(items) != 2 || items[0].(map[string]any)["action"] != "update" {
						t.Errorf("history = %v, want update then create", items)
					}
				}})
			})

			t.Run("concurrent updates: one wins, the rest get 412", func(t *testing.T) {
				var wg sync.WaitGroup
				codes := make([]int, 6)
				for i := range codes {
					wg.Go(func() {
						req, _ := http.NewRequest("PATCH", f.ts.URL+teamPath, strings.NewReader(fmt.Sprintf(`{"description":"writer %d"}`, i)))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("Authorization", "Bearer "+f.tokens[access.Admin])
						req.Header.Set("If-Match", `"2"`)
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							t.Error(err)
							return
						}
						resp.Body.Close()
						codes[i] = resp.StatusCode
					})
				}
				wg.Wait()
				ok, stale := 0, 0
				for _, c := range codes {
					switch c {
					case 200:
						ok++
					case 412:
						stale++
					}
				}
				if ok != 1 || stale != len(codes)-1 {
					t.Errorf("statuses %v: want exactly one 200 and the rest 412", codes)
				}
			})

			t.Run("last administrator stays", func(t *testing.T) {
				f.run(t, scenario{role: access.Admin, method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", f.users[access.Admin].ID), body: `{"role":"agent"}`, status: 409})
				f.run(t, scenario{role: access.Admin, method: "DELETE", path: fmt.Sprintf("/api/v1/users/%d", f.users[access.Admin].ID), status: 409})
			})

			t.Run("requesters see only their organisation", func(t *testing.T) {
				f.run(t, scenario{role: access.Requester, method: "GET", path: "/api/v1/users", status: 200, check: func(t *testing.T, m map[string]any, _ *http.Response) {
					for _, it := range m["items"].([]any) {
						if org := it.(map[string]any)["organisation_id"].(float64); int64(org) != f.orgs["a"].ID {
							t.Errorf("requester sees a user of organisation %v", org)
						}
					}
				}})
				f.run(t, scenario{role: access.Requester, method: "GET", path: fmt.Sprintf("/api/v1/users/%d", f.users[access.Agent].ID), status: 404})
				f.run(t, scenario{role: access.Requester, method: "GET", path: fmt.Sprintf("/api/v1/organisations/%d", f.orgs["b"].ID), status: 404})
				f.run(t, scenario{role: access.Requester, method: "GET", path: "/api/v1/organisations", status: 200, check: func(t *testing.T, m map[string]any, _ *http.Response) {
					items := m["items"].([]any)
					if len(items) != 1 || items[0].(map[string]any)["name"] != "Customer A" {
						t.Errorf("requester's organisations = %v, want only Customer A", items)
					}
				}})
				f.run(t, scenario{role: access.Requester, method: "GET", path: fmt.Sprintf("/api/v1/users/%d/history", f.users[access.Agent].ID), status: 404})
			})

			t.Run("cursor pagination", func(t *testing.T) {
				seen := map[float64]bool{}
				path := "/api/v1/users?limit=3"
				pages := 0
				for path != "" && pages < 10 {
					pages++
					f.run(t, scenario{role: access.Admin, method: "GET", path: path, status: 200, check: func(t *testing.T, m map[string]any, r *http.Response) {
						for _, it := range m["items"].([]any) {
							id := it.(map[string]any)["id"].(float64)
							if seen[id] {
								t.Errorf("user %v on two pages", id)
							}
							seen[id] = true
						}
						path = ""
						if next, ok := m["next_cursor"].(string); ok {
							path = "/api/v1/users?limit=3&cursor=" + url.QueryEscape(next)
							if !strings.Contains(r.Header.Get("Link"), `rel="next"`) {
								t.Errorf("Link header = %q, want rel=next", r.Header.Get("Link"))
							}
						}
					}})
				}
				if len(seen) != len(access.Roles) {
					t.Errorf("paged through %d users, want %d", len(seen), len(access.Roles))
				}
				f.run(t, scenario{role: access.Admin, method: "GET", path: "/api/v1/users?cursor=garbage", status: 422, fields: []string{"query.cursor"}})
			})

			t.Run("revoked token stops working", func(t *testing.T) {
				var tokenID float64
				var secret string
				f.run(t, scenario{role: access.Agent, method: "POST", path: "/api/v1/tokens", body: `{"name":"script"}`, status: 201, newAudits: 1,
					check: func(t *testing.T, m map[string]any, _ *http.Response) {
						tokenID, secret = m["id"].(float64), m["secret"].(string)
					}})
				f.tokens["script"] = secret
				f.run(t, scenario{role: "script", method: "GET", path: "/api/v1/me", status: 200})
				f.run(t, scenario{role: access.Requester, method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", int64(tokenID)), status: 404})
				f.run(t, scenario{role: access.Agent, method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", int64(tokenID)), status: 204, newAudits: 1})
				f.run(t, scenario{role: "script", method: "GET", path: "/api/v1/me", status: 401})
				// Deactivating a user stops their tokens at once.
				f.run(t, scenario{role: access.TopManagement, method: "GET", path: "/api/v1/me", status: 200})
				f.run(t, scenario{role: access.Admin, method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", f.users[access.TopManagement].ID),
					body: `{"active":false}`, status: 200, newAudits: 1})
				f.run(t, scenario{role: access.TopManagement, method: "GET", path: "/api/v1/me", status: 401})
			})

			t.Run("audit trail verifies", func(t *testing.T) {
				f.run(t, scenario{role: access.InternalAuditor, method: "GET", path: "/api/v1/audit/verify", status: 200, check: func(t *testing.T, m map[string]any, _ *http.Response) {
					if m["valid"] != true {
						t.Errorf("verification = %v", m)
					}
				}})
				f.run(t, scenario{role: access.Admin, method: "GET", path: "/api/v1/audit?entity=team&action=update", status: 200, check: func(t *testing.T, m map[string]any, _ *http.Response) {
					items := m["items"].([]any)
					if len(items) < 2 {
						t.Errorf("team updates in the trail = %d, want at least 2", len(items))
					}
					for _, it := range items {
						e := it.(map[string]any)
						if e["entity"] != "team" || e["action"] != "update" {
							t.Errorf("filtered trail holds %v", e)
						}
					}
				}})
			})
		})
	}
}

func TestBadTokenAnd401(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	for _, h := range []string{"Bearer cfm_notatoken", "Bearer nonsense", "Basic dXNlcjpwYXNz"} {
		req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", h)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("Authorization %q: got %d %s, want 401 problem+json", h, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

func TestOpenAPIDocument(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	resp := f.do(t, "", "GET", "/api/openapi.json", "")
	m := decode(t, resp)
	if m["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", m["openapi"])
	}
	paths := m["paths"].(map[string]any)
	for _, r := range f.srv.Routes() {
		if r.Surface != "api" || strings.HasPrefix(r.Pattern, "/api/openapi") || r.Pattern == "/api/docs" {
			continue
		}
		ops, ok := paths[r.Pattern].(map[string]any)
		if !ok || ops[strings.ToLower(r.Method)] == nil {
			t.Errorf("operation %s is not in the OpenAPI document", r.Key())
		}
	}
}

func TestMetrics(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	f.do(t, access.Admin, "GET", "/api/v1/me", "")
	resp := f.do(t, access.Admin, "GET", "/metrics", "")
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		`conform_http_requests_total{code="200",method="GET",route="GET /api/v1/me"} 1`,
		"conform_http_request_duration_seconds_bucket",
		`go_sql_open_connections{db_name="write"}`,
		`conform_jobs{state="available"}`,
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
