package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/conform-itsm/conform/internal/server"
)

// The evidence pack is a ZIP, which kin-openapi reads as any file: a
// string of bytes, as the document declares it.
func init() { openapi3filter.RegisterBodyDecoder("application/zip", openapi3filter.FileBodyDecoder) }

// openAPIRouters holds, per document, the kin-openapi router built from
// the OpenAPI 3.0 document the server serves: the document is the same for
// every fixture, so it is loaded and checked once.
var openAPIRouters sync.Map // string (the document) → routers.Router

// openAPIRouter loads the OpenAPI 3.0 document srv serves at
// /api/openapi-3.0.json into a kin-openapi router, after checking that the
// document itself is valid OpenAPI 3.0.
func openAPIRouter(t testing.TB, srv *server.Server) routers.Router {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi-3.0.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/openapi-3.0.json: %d", rec.Code)
	}
	raw := rec.Body.String()
	if r, ok := openAPIRouters.Load(raw); ok {
		return r.(routers.Router)
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(raw))
	if err != nil {
		t.Fatalf("load the OpenAPI 3.0 document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI 3.0 document is not valid: %v", err)
	}
	// The document names the installation as "/"; paths alone route.
	doc.Servers = nil
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("route the OpenAPI document: %v", err)
	}
	openAPIRouters.Store(raw, r)
	return r
}

// validatingAPI wraps the server's handler so that every answer to an
// operation of the API is checked against the OpenAPI 3.0 document: its
// status must be one the operation declares (a "default" does not count),
// and its headers and body must fit that response's schema. A mismatch
// fails t. Requests are not checked, since tests send bad ones on purpose;
// the answers to those must still be declared.
func validatingAPI(t testing.TB, srv *server.Server) http.Handler {
	router := openAPIRouter(t, srv)
	next := srv.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		route, params, err := router.FindRoute(r)
		if err != nil {
			// No such operation: the server answers 404 or 405 itself,
			// which unrouted_test.go holds.
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		body := rec.Body.Bytes()
		if msg := checkAnswer(r, route, params, res, body); msg != "" {
			t.Errorf("%s %s answered %d, which does not fit the OpenAPI document: %s\nbody: %.600s", r.Method, r.URL.RequestURI(), res.StatusCode, msg, body)
		}
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(body)
	})
}

// checkAnswer says what is wrong with an answer to the operation at route,
// or "".
func checkAnswer(r *http.Request, route *routers.Route, params map[string]string, res *http.Response, body []byte) string {
	responses := route.Operation.Responses
	if responses.Value(strconv.Itoa(res.StatusCode)) == nil {
		var declared []string
		for code := range responses.Map() {
			declared = append(declared, code)
		}
		return fmt.Sprintf("status %d is not declared for %s (declared: %s)", res.StatusCode, route.Operation.OperationID, strings.Join(declared, ", "))
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
		return err.Error()
	}
	if res.StatusCode >= 400 {
		var p struct {
			Status int    `json:"status"`
			Title  string `json:"title"`
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
			return fmt.Sprintf("an error with Content-Type %q, not application/problem+json", ct)
		}
		if err := json.Unmarshal(body, &p); err != nil || p.Status != res.StatusCode || p.Title == "" {
			return fmt.Sprintf("a problem whose status (%d) or title (%q) does not fit the answer", p.Status, p.Title)
		}
	}
	return ""
}

// TestOpenAPIValidatorCatchesMismatches: the check the fixture puts in
// front of every test's API calls fails an answer the document does not
// declare and a body that does not fit its schema, so that its silence
// elsewhere means something.
func TestOpenAPIValidatorCatchesMismatches(t *testing.T) {
	f := newFixture(t, "sqlite")
	router := openAPIRouter(t, f.srv)
	req := httptest.NewRequest("GET", "/api/v1/teams/7", nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	problemHeader := http.Header{"Content-Type": {"application/problem+json"}}
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name   string
		status int
		header http.Header
		body   string
		want   string
	}{
		{"an undeclared status", http.StatusTeapot, problemHeader, `{"title":"I'm a teapot","status":418}`, "status 418 is not declared"},
		{"a team without its name", 200, jsonHeader, `{"id":7,"number":"TEAM-000007"}`, `property "name" is missing`},
		{"a field of the wrong type", 200, jsonHeader, `{"id":"seven"}`, `"id"`},
		{"an error that is not a problem", 404, jsonHeader, `{}`, "Content-Type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := &http.Response{StatusCode: c.status, Header: c.header}
			if msg := checkAnswer(req, route, params, res, []byte(c.body)); !strings.Contains(msg, c.want) {
				t.Errorf("check said %q, want it to say %q", msg, c.want)
			}
		})
	}
	// A real answer passes.
	resp := f.do(t, "admin", "GET", "/api/v1/teams", "")
	body, _ := io.ReadAll(resp.Body)
	listReq := httptest.NewRequest("GET", "/api/v1/teams", nil)
	route, params, err = router.FindRoute(listReq)
	if err != nil {
		t.Fatal(err)
	}
	if msg := checkAnswer(listReq, route, params, resp, body); msg != "" {
		t.Errorf("a real list of teams: %s", msg)
	}
}
