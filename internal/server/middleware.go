package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/web"
)

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id, recovers from panics, logs the request
// and records its metrics under the matched route pattern.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		if r.TLS != nil || s.cfg.SecureCookies {
			// Served over TLS, here or at the proxy: browsers keep to it.
			w.Header().Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		sw := &statusWriter{ResponseWriter: w}
		rt := &routeInfo{}
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, rt))
		s.metrics.inflight.Inc()
		defer func() {
			s.metrics.inflight.Dec()
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic serving request", "request_id", id, "panic", p)
				if sw.status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			route := rt.pattern
			if route == "" {
				// Refused before routing (a bad token, a missing CSRF
				// token): counted under the route it was for.
				if _, pattern := s.mux.Handler(r); pattern != "" {
					route = pattern
				} else {
					route = "unmatched"
				}
			}
			d := time.Since(start)
			code := sw.status
			if code == 0 {
				code = http.StatusOK
			}
			s.noteSecurity(r, rt, route, code)
			s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(code)).Inc()
			s.metrics.latency.WithLabelValues(route, r.Method).Observe(d.Seconds())
			user := rt.user // set by authenticate, on the request it passed on
			level := slogLevel(code)
			if s.log.Enabled(r.Context(), level) {
				s.log.Log(r.Context(), level, "request", "request_id", id, "method", r.Method, "route", route, "path", r.URL.Path,
					"status", code, "bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000, "user", user, "remote", s.clientAddr(r))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// authenticate identifies the caller by API token or session cookie. A bad
// token is refused at once; a stale cookie just leaves the caller anonymous.
// Unsafe requests in a browser session must carry the session's CSRF token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, secret, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				restapi.WriteProblem(w, errs.E(errs.Unauthenticated, "use Authorization: Bearer <API token>"))
				return
			}
			a, err := s.app.AuthenticateToken(ctx, strings.TrimSpace(secret))
			if err != nil {
				if errs.CodeOf(err) != errs.Unauthenticated {
					s.log.ErrorContext(ctx, "authenticate token", "err", err)
				}
				w.Header().Set("WWW-Authenticate", `Bearer realm="conform"`)
				restapi.WriteProblem(w, err)
				return
			}
			noteUser(ctx, a)
			next.ServeHTTP(w, r.WithContext(web.WithClientAddr(app.WithAuth(ctx, a), s.clientAddr(r))))
			return
		}
		if secret := web.SessionFrom(r); secret != "" {
			a, err := s.app.AuthenticateSession(ctx, secret)
			switch {
			case err == nil:
				noteUser(ctx, a)
				if !safeMethod(r.Method) && !web.CSRFValid(r, a.Session.CSRF) {
					web.RefuseCSRF(w, r)
					return
				}
				r = r.WithContext(app.WithAuth(ctx, a))
			case errs.CodeOf(err) == errs.Unauthenticated:
				web.ClearSessionCookie(w, r, s.cfg.SecureCookies)
			default:
				s.log.ErrorContext(ctx, "authenticate session", "err", err)
				restapi.WriteProblem(w, err)
				return
			}
		}
		r = r.WithContext(web.WithClientAddr(r.Context(), s.clientAddr(r)))
		next.ServeHTTP(w, r)
	})
}

type routeKey struct{}

// routeInfo carries the matched route pattern back out to observe: the mux
// sets it on the request it routes, which is a copy of the one observe has.
type routeInfo struct {
	pattern string
	user    int64 // the authenticated caller, 0 for none
	token   int64 // the API token they came with, 0 for none
}

// noteUser tells observe who the caller is.
func noteUser(ctx context.Context, a app.Authenticated) {
	if rt, ok := ctx.Value(routeKey{}).(*routeInfo); ok {
		rt.user = a.Actor.UserID
		rt.token = a.TokenID
	}
}

// recordRoute wraps the mux to note which pattern it matched.
func recordRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if rt, ok := r.Context().Value(routeKey{}).(*routeInfo); ok {
			rt.pattern = r.Pattern
		}
	})
}

// unrouted answers the requests no route takes, which the mux would answer
// in plain text: problem+json under /api/, the error page elsewhere; 405
// with Allow when the address takes other methods, 404 otherwise. The mux
// routes every request once: its own plain-text refusal is caught on the
// way out and answered again (a file server's 404 too).
func unrouted(mux *http.ServeMux, pages *web.Pages) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uw := &unroutedWriter{ResponseWriter: w}
		mux.ServeHTTP(uw, r)
		if uw.caught == 0 {
			return
		}
		w.Header().Del("Content-Type")
		status, msg := uw.caught, "There is nothing at this address. Check it, or start again from the home page."
		if status == http.StatusMethodNotAllowed {
			msg = fmt.Sprintf("This address does not take %s; it takes %s.", r.Method, w.Header().Get("Allow"))
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			if status == http.StatusNotFound {
				msg = "no operation at " + r.URL.Path + "; see /api/openapi.json"
			}
			restapi.WriteProblemStatus(w, status, msg)
			return
		}
		pages.Unrouted(w, r, status, msg)
	})
}

// unroutedWriter holds back a plain-text 404 or 405, which only the mux
// and the file server write (pages and the API answer in their own form).
type unroutedWriter struct {
	http.ResponseWriter
	caught int
}

func (u *unroutedWriter) WriteHeader(code int) {
	if (code == http.StatusNotFound || code == http.StatusMethodNotAllowed) && strings.HasPrefix(u.Header().Get("Content-Type"), "text/plain") {
		u.caught = code
		return
	}
	u.ResponseWriter.WriteHeader(code)
}

func (u *unroutedWriter) Write(b []byte) (int, error) {
	if u.caught != 0 {
		return len(b), nil
	}
	return u.ResponseWriter.Write(b)
}

func (u *unroutedWriter) Unwrap() http.ResponseWriter { return u.ResponseWriter }

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		// Each proxy appends the address it was called from, to the last
		// header line or in a line of its own, so only the last entries
		// are written by ours. With fewer entries than proxies the leftmost
		// is still one of ours.
		var hops []string
		for _, line := range r.Header.Values("X-Forwarded-For") {
			for hop := range strings.SplitSeq(line, ",") {
				if hop = strings.TrimSpace(hop); hop != "" {
					hops = append(hops, hop)
				}
			}
		}
		if len(hops) > 0 {
			return hops[max(len(hops)-max(s.cfg.TrustedProxies, 1), 0)]
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func slogLevel(code int) slog.Level {
	if code >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
