package server

import (
	"net/http"
	"strings"
)

// noteSecurity records what an auditor should see of a request apart from
// the audit trail (internal/app/security.go): every 403, whatever refused
// it (a route's permission, a use case's, a missing CSRF token), and the
// use of an API token. Recording only appends to a buffer.
func (s *Server) noteSecurity(r *http.Request, rt *routeInfo, route string, status int) {
	if rt.token == 0 && status != http.StatusForbidden {
		return
	}
	if !strings.Contains(route, " ") {
		route = r.Method + " " + route // a pattern without its method
	}
	if rt.token != 0 {
		s.app.NoteTokenUse(rt.token, rt.user, route, s.clientAddr(r))
	}
	if status == http.StatusForbidden {
		s.app.NoteDenied(rt.user, rt.token, route, s.clientAddr(r))
	}
}
