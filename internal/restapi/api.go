// Package restapi is Conform's JSON API under /api/v1. Operations are
// declared with huma, which generates the OpenAPI 3.1 document served at
// /api/openapi.json from the same code, validates input against it
// (unknown fields are refused), caps body sizes and writes RFC 9457
// problem+json errors.
package restapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
)

// MaxBody is the largest request body accepted; larger ones get 413.
const MaxBody = 64 << 10

// API is the registered JSON API.
type API struct {
	huma   huma.API
	app    *app.App
	routes []guard.Route
}

var nameRequiredOnce sync.Once

// nameRequiredFields makes huma's "required property missing" errors name
// the field in their location (body.name rather than body), as every other
// validation error does. huma.NewError is huma's documented hook for this.
func nameRequiredFields() {
	nameRequiredOnce.Do(func() {
		orig := huma.NewError
		huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
			for _, e := range errs {
				d, ok := e.(*huma.ErrorDetail)
				if !ok {
					continue
				}
				var field string
				if _, err := fmt.Sscanf(d.Message, "expected required property %s to be present", &field); err == nil && field != "" {
					d.Location = strings.TrimSuffix(d.Location, ".") + "." + field
				}
				if secretLocation(d.Location) || d.Location == "body" {
					d.Value = nil // never echo a password back, nor a whole body that may hold one
				}
			}
			return orig(status, msg, errs...)
		}
	})
}

// An Area registers its kinds' operations (internal/restapi/<area>), with
// the helpers in records.go.
type Area func(api *API)

// secretLocation reports whether an input's location names a secret, whose
// value an error must not repeat.
func secretLocation(loc string) bool {
	loc = strings.ToLower(loc)
	return strings.Contains(loc, "password") || strings.Contains(loc, "secret")
}

// Mount registers the API on mux: the platform's operations, then each
// area's.
func Mount(mux humago.Mux, a *app.App, version string, areas ...Area) *API {
	nameRequiredFields()
	cfg := huma.DefaultConfig("Conform API", version)
	// No $schema links in bodies, no docs page fetching scripts from the
	// internet: the document itself is what clients and linters need.
	cfg.CreateHooks = nil
	cfg.DocsPath = ""
	cfg.SchemasPath = ""
	cfg.OpenAPIPath = "/api/openapi"
	cfg.Info.Description = "The JSON API of Conform, an IT service management system for ISO/IEC 20000-1:2018. " +
		"Authenticate with an API token: `Authorization: Bearer cfm_...`. Errors are RFC 9457 problem details; " +
		"updates are PATCH with only the changed fields and take If-Match with the ETag of a read; lists page with a cursor."
	// A URL rather than an SPDX identifier: OpenAPI 3.0 knows only the URL.
	cfg.Info.License = &huma.License{Name: "AGPL-3.0-or-later", URL: "https://www.gnu.org/licenses/agpl-3.0.html"}
	cfg.Servers = []*huma.Server{{URL: "/", Description: "this Conform installation"}}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"token": {Type: "http", Scheme: "bearer", Description: "An API token created under Account → API tokens or with `conform token create`."},
	}
	hapi := humago.New(mux, cfg)
	api := &API{huma: hapi, app: a}
	for _, p := range []string{"/api/openapi.json", "/api/openapi.yaml", "/api/openapi-3.0.json", "/api/openapi-3.0.yaml", "/api/docs"} {
		api.routes = append(api.routes, guard.Route{Method: http.MethodGet, Pattern: p, Perm: access.Public, Surface: "api"})
	}
	mux.HandleFunc("GET /api/docs", api.serveDocs)
	// The permission check runs before the body is read or validated, so a
	// caller without the right never learns more than "forbidden".
	hapi.UseMiddleware(func(ctx huma.Context, next func(huma.Context)) {
		// Answers hold records: never sniffed, never cached.
		ctx.SetHeader("X-Content-Type-Options", "nosniff")
		ctx.SetHeader("Cache-Control", "no-store")
		perm, _ := ctx.Operation().Metadata["permission"].(access.Permission)
		if _, err := guard.Check(ctx.Context(), perm); err != nil {
			writeErr(hapi, ctx, err)
			return
		}
		if m := ctx.Method(); (m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch) &&
			ctx.Header("Content-Type") == "" && ctx.Header("Content-Length") != "0" && ctx.Operation().RequestBody != nil {
			_ = huma.WriteErr(hapi, ctx, http.StatusUnsupportedMediaType, "send the body as JSON, with Content-Type: application/json")
			return
		}
		next(ctx)
	})
	api.registerMe()
	api.registerPreferences()
	api.registerUsers()
	api.registerTeams()
	api.registerOrganisations()
	api.registerTokens()
	api.registerNotifications()
	api.registerAudit()
	for _, area := range areas {
		area(api)
	}
	return api
}

// App is the use cases the operations call.
func (api *API) App() *app.App { return api.app }

// Routes lists every operation with its permission.
func (api *API) Routes() []guard.Route { return slices.Clone(api.routes) }

// OpenAPI returns the generated document.
func (api *API) OpenAPI() *huma.OpenAPI { return api.huma.OpenAPI() }

// Register adds an operation that needs perm; the handler gets the actor.
func Register[I, O any](api *API, perm access.Permission, op huma.Operation, h func(ctx context.Context, actor access.Actor, in *I) (*O, error)) {
	op.Metadata = map[string]any{"permission": perm}
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = MaxBody
	}
	if perm != access.Public {
		op.Security = []map[string][]string{{"token": {}}}
		op.Errors = append(op.Errors, http.StatusUnauthorized, http.StatusForbidden)
		op.Description = strings.TrimSpace(op.Description + "\n\n" + permissionNote(perm))
	}
	op.Errors = declaredErrors(reflect.TypeFor[I](), &op)
	api.routes = append(api.routes, guard.Route{Method: op.Method, Pattern: op.Path, Perm: perm, Surface: "api"})
	huma.Register(api.huma, op, func(ctx context.Context, in *I) (*O, error) {
		a, _ := app.AuthFrom(ctx)
		out, err := h(ctx, a.Actor, in)
		if err != nil {
			return nil, problem(err)
		}
		return out, nil
	})
	declareDefault(api.huma.OpenAPI(), op.Method, op.Path)
}

// declareDefault gives the operation a default response, a problem like
// its 500, so that a client generated from the document reads any error
// it does not name (a proxy's 502, say) as a problem too.
func declareDefault(doc *huma.OpenAPI, method, path string) {
	item := doc.Paths[path]
	if item == nil {
		return
	}
	var op *huma.Operation
	switch method {
	case http.MethodGet:
		op = item.Get
	case http.MethodPost:
		op = item.Post
	case http.MethodPut:
		op = item.Put
	case http.MethodPatch:
		op = item.Patch
	case http.MethodDelete:
		op = item.Delete
	}
	if op == nil || op.Responses["500"] == nil {
		return
	}
	op.Responses["default"] = &huma.Response{Description: "Any other error, as a problem.", Content: op.Responses["500"].Content}
}

// declaredErrors lists, for the OpenAPI document, every error status an
// operation can answer, from what its input holds: a record id (404), an
// If-Match (400, 412), a body (400, 413, 415, 422), and for every change a
// conflict (409); 500 for any operation. Huma itself adds 422 to an
// operation with any parameter (path, query or header), since it validates
// them.
func declaredErrors(in reflect.Type, op *huma.Operation) []int {
	out := slices.Clone(op.Errors)
	add := func(codes ...int) {
		for _, c := range codes {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	has := func(name string) bool {
		if in.Kind() != reflect.Struct {
			return false
		}
		_, ok := in.FieldByName(name)
		return ok
	}
	if strings.Contains(op.Path, "{") {
		add(http.StatusNotFound, http.StatusUnprocessableEntity)
	}
	if has("IfMatch") {
		add(http.StatusBadRequest, http.StatusPreconditionFailed)
	}
	if has("Body") {
		add(http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
	}
	if op.Method != http.MethodGet {
		add(http.StatusConflict)
	}
	add(http.StatusInternalServerError)
	slices.Sort(out)
	return out
}

func permissionNote(p access.Permission) string {
	if p == access.SignedIn {
		return "Any signed-in user."
	}
	var roles []string
	for _, r := range access.Roles {
		if r.Grants(p) {
			roles = append(roles, string(r))
		}
	}
	return fmt.Sprintf("Needs permission `%s` (roles: %s).", p, strings.Join(roles, ", "))
}

// queryFields are inputs that arrive in the query string, not the body.
var queryFields = map[string]bool{"cursor": true, "limit": true, "from": true, "to": true, "entity": true}

// problem turns a domain error into an RFC 9457 problem naming each field.
func problem(err error) error {
	status := guard.Status(err)
	var details []error
	if e := errs.As(err); e != nil {
		for _, f := range e.Fields {
			loc := "body." + f.Field
			if queryFields[f.Field] {
				loc = "query." + f.Field
			}
			details = append(details, &huma.ErrorDetail{Location: loc, Message: f.Reason})
		}
	}
	out := huma.NewError(status, guard.PublicMessage(err), details...)
	if e := errs.As(err); e != nil && e.RetryAfter > 0 {
		h := http.Header{}
		h.Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
		return huma.ErrorWithHeaders(out, h)
	}
	return out
}

func writeErr(api huma.API, ctx huma.Context, err error) {
	status := guard.Status(err)
	if status == http.StatusUnauthorized {
		ctx.SetHeader("WWW-Authenticate", bearerChallenge)
	}
	_ = huma.WriteErr(api, ctx, status, guard.PublicMessage(err))
}

// bearerChallenge is the WWW-Authenticate of every 401: the API takes
// bearer tokens.
const bearerChallenge = `Bearer realm="conform"`

// WriteProblem writes an error as problem+json outside huma (for the
// authentication middleware, which runs before routing).
func WriteProblem(w http.ResponseWriter, err error) {
	guard.RetryAfter(w, err)
	WriteProblemStatus(w, guard.Status(err), guard.PublicMessage(err))
}

// WriteProblemStatus writes a problem with a status and a detail outside
// huma (an unknown route, a method the route does not take).
func WriteProblemStatus(w http.ResponseWriter, status int, detail string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", bearerChallenge)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}{http.StatusText(status), status, detail})
}

// Page is the envelope of every list.
type Page[T any] struct {
	Items      []T    `json:"items" nullable:"false" doc:"The records of this page."`
	NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor to read the next page; absent on the last page."`
}

// PageParams are the query parameters of every list.
type PageParams struct {
	Cursor string `query:"cursor" maxLength:"100" doc:"The next_cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"0" maximum:"500" doc:"Records per page (default 50, at most 500)."`
}

// ListOutput is a page with a Link header to the next one.
type ListOutput[T any] struct {
	Link string `header:"Link" doc:"rel=next link to the following page"`
	Body Page[T]
}

func listOutput[T any](path string, items []T, next string) *ListOutput[T] {
	if items == nil {
		items = []T{}
	}
	out := &ListOutput[T]{Body: Page[T]{Items: items, NextCursor: next}}
	if next != "" {
		out.Link = fmt.Sprintf("<%s?cursor=%s>; rel=\"next\"", path, next)
	}
	return out
}

// IDParam is a record id in the path.
type IDParam struct {
	ID int64 `path:"id" minimum:"1" doc:"The record's id."`
}

// IfMatch carries the ETag of an earlier read.
type IfMatch struct {
	IfMatch string `header:"If-Match" maxLength:"100" doc:"The ETag from a read of the record; the change is refused with 412 if the record has changed since."`
}

// versions turns an If-Match header into the record versions it accepts
// (nil when absent or "*": any version). The comparison is strong (RFC
// 9110): a weak ETag (W/"3") never matches, so a change with only weak
// tags is refused as stale. A list of tags ("2", "3") accepts any of
// them. A tag that is not quoted cannot be understood and is refused with
// 400, never read as "any version".
func (m IfMatch) versions() ([]int64, error) {
	v := strings.TrimSpace(m.IfMatch)
	if v == "" || v == "*" {
		return nil, nil
	}
	var out []int64
	for tag := range strings.SplitSeq(v, ",") {
		tag = strings.TrimSpace(tag)
		weak := strings.HasPrefix(tag, "W/")
		tag = strings.TrimPrefix(tag, "W/")
		if len(tag) < 2 || tag[0] != '"' || tag[len(tag)-1] != '"' {
			return nil, errs.E(errs.Malformed, "If-Match %q is not a list of ETags; send the ETag of your read as it came, in double quotes", m.IfMatch)
		}
		if n, err := strconv.ParseInt(tag[1:len(tag)-1], 10, 64); !weak && err == nil && n > 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, errs.E(errs.Stale, "If-Match %s matches no version of this record; read it again and retry", m.IfMatch)
	}
	return out, nil
}

// atVersions runs a version-checked change with each version If-Match
// accepts until one is current (at most one can be), or once with 0 (any
// version) when it accepts any. A change refused as stale writes nothing,
// so trying the next version is safe; if none is current, the last
// refusal stands.
func atVersions[T any](m IfMatch, change func(version int64) (T, error)) (T, error) {
	vs, err := m.versions()
	if err != nil {
		var zero T
		return zero, err
	}
	if vs == nil {
		return change(0)
	}
	var out T
	for _, v := range vs {
		if out, err = change(v); !errs.Is(err, errs.Stale) {
			return out, err
		}
	}
	return out, err
}

// ifMatch gives RegisterUpdate the If-Match an input embeds.
func (m IfMatch) ifMatch() IfMatch { return m }

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// Tagged is a single record with its ETag.
type Tagged[T any] struct {
	ETag string `header:"ETag" doc:"Send back in If-Match to update or delete this version."`
	Body T
}

// Created is a new record with its location and ETag.
type Created[T any] struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     T
}

// NoContent answers a delete.
type NoContent struct{}

// AtVersions runs change at each version an If-Match header accepts
// (once with 0 when it accepts any), for an operation that changes a
// record other than through RegisterUpdate.
func AtVersions[T any](m IfMatch, change func(version int64) (T, error)) (T, error) {
	return atVersions(m, change)
}
