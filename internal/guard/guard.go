// Package guard is where every HTTP route, page or API operation, is
// checked against the permission it declares. Routes are listed so that a
// test can walk all of them with every role.
package guard

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
)

// Route is one method and path pattern with the permission it needs.
type Route struct {
	Method  string
	Pattern string // net/http ServeMux pattern path, e.g. /api/v1/users/{id}
	Perm    access.Permission
	Surface string // "page", "api" or "ops"
}

// Key is "METHOD /pattern".
func (r Route) Key() string { return r.Method + " " + r.Pattern }

// Check returns the caller when they may use a route that needs p.
func Check(ctx context.Context, p access.Permission) (app.Authenticated, error) {
	a, ok := app.AuthFrom(ctx)
	if p == access.Public {
		return a, nil
	}
	if !ok {
		return a, errs.E(errs.Unauthenticated, "sign in or send an API token first")
	}
	if !a.Actor.Can(p) {
		return a, errs.E(errs.Forbidden, "your role (%s) may not do this", a.Actor.Role.Label())
	}
	return a, nil
}

// Status maps an error's code to an HTTP status.
func Status(err error) int {
	switch errs.CodeOf(err) {
	case "":
		return http.StatusOK
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.Malformed:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Stale:
		return http.StatusPreconditionFailed
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// RetryAfter sets the Retry-After header of a rate-limited response.
func RetryAfter(w http.ResponseWriter, err error) {
	if e := errs.As(err); e != nil && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
	}
}

// PublicMessage is what may be shown to a client: the message of a
// classified error, or a generic one for internal faults (which are logged).
func PublicMessage(err error) string {
	e := errs.As(err)
	if e == nil || e.Code == errs.Internal {
		return "something went wrong on our side; it has been logged"
	}
	if e.Code == errs.Unavailable {
		return "the database is not reachable; try again shortly"
	}
	return e.Message
}

// Registrar is where routes are registered: an http.ServeMux or a Mux.
type Registrar interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// Mux is an http.ServeMux that remembers every pattern registered on it,
// however it was registered (a page, an API operation, a library's own
// route), so that a test can hold each to the permission it declares.
type Mux struct {
	*http.ServeMux
	mu       sync.Mutex
	patterns []string
}

// NewMux makes an empty Mux.
func NewMux() *Mux { return &Mux{ServeMux: http.NewServeMux()} }

// HandleFunc registers a handler function and remembers its pattern.
func (m *Mux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.note(pattern)
	m.ServeMux.HandleFunc(pattern, h)
}

// Handle registers a handler and remembers its pattern.
func (m *Mux) Handle(pattern string, h http.Handler) {
	m.note(pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *Mux) note(pattern string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.patterns = append(m.patterns, pattern)
}

// Patterns lists every pattern registered, as registered.
func (m *Mux) Patterns() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.patterns)
}
