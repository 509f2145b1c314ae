// Package server puts Conform's HTTP surfaces together: web pages, the JSON
// API, health checks and metrics, behind one chain of middleware that
// identifies the caller, refuses cross-site requests, logs and measures.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/web"
)

// Config tunes the HTTP server.
type Config struct {
	Version string
	// SecureCookies marks session cookies Secure even without TLS on this
	// hop (behind a TLS-terminating proxy).
	SecureCookies bool
	// Language and TimeZone are the installation's, for readers who chose
	// none (see web.Config).
	Language, TimeZone string
	// TrustProxy takes the client address from X-Forwarded-For: the entry
	// the outermost of TrustedProxies proxies appended (the TrustedProxies-th
	// from the right; the rightmost when TrustedProxies is 0 or 1). Entries
	// further left are the client's to write and are never used.
	TrustProxy     bool
	TrustedProxies int
	// Areas are the parts of the product beyond the platform, each with
	// its pages and API operations (their kinds are added to the App).
	Areas []Area
}

// Area is one area's pages and API operations.
type Area struct {
	Pages web.Area
	API   restapi.Area
}

// Server is the composed HTTP handler.
type Server struct {
	app     *app.App
	log     *slog.Logger
	cfg     Config
	mux     *guard.Mux
	routes  []guard.Route
	metrics *metrics
	handler http.Handler
	api     *restapi.API
}

// New builds the handler with every route registered.
func New(a *app.App, log *slog.Logger, cfg Config) (*Server, error) {
	s := &Server{app: a, log: log, cfg: cfg, mux: guard.NewMux(), metrics: newMetrics(a.DB())}
	s.ops("GET /healthz", access.Public, s.healthz)
	s.ops("GET /readyz", access.Public, s.readyz)
	s.ops("GET /metrics", access.MetricsRead, promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP)

	var apiAreas []restapi.Area
	var pageAreas []web.Area
	for _, ar := range cfg.Areas {
		if ar.API != nil {
			apiAreas = append(apiAreas, ar.API)
		}
		if ar.Pages.Name != "" {
			pageAreas = append(pageAreas, ar.Pages)
		}
	}
	api := restapi.Mount(s.mux, a, cfg.Version, apiAreas...)
	s.api = api
	s.routes = append(s.routes, api.Routes()...)
	pages, err := web.Mount(s.mux, a, log, web.Config{SecureCookies: cfg.SecureCookies, Version: cfg.Version, Language: cfg.Language, TimeZone: cfg.TimeZone}, pageAreas...)
	if err != nil {
		return nil, err
	}
	s.routes = append(s.routes, pages.Routes()...)

	cop := http.NewCrossOriginProtection()
	s.handler = s.observe(cop.Handler(s.authenticate(recordRoute(unrouted(s.mux.ServeMux, pages)))))
	return s, nil
}

// Handler is the whole HTTP surface.
func (s *Server) Handler() http.Handler { return s.handler }

// Registered lists every pattern registered on the server's mux, however
// it was registered; each must be among Routes.
func (s *Server) Registered() []string { return s.mux.Patterns() }

// OpenAPI is the API's generated document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// Routes lists every route with the permission it declares.
func (s *Server) Routes() []guard.Route { return slices.Clone(s.routes) }

func (s *Server) ops(pattern string, perm access.Permission, h http.HandlerFunc) {
	method, path, _ := cut(pattern)
	s.routes = append(s.routes, guard.Route{Method: method, Pattern: path, Perm: perm, Surface: "ops"})
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if _, err := guard.Check(r.Context(), perm); err != nil {
			restapi.WriteProblem(w, err)
			return
		}
		h(w, r)
	})
}

func cut(pattern string) (method, path string, ok bool) {
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == ' ' {
			return pattern[:i], pattern[i+1:], true
		}
	}
	return "", pattern, false
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.app.DB().Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database not reachable\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// Serve runs the server on ln until ctx ends, then stops accepting and
// waits up to grace for requests in flight to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing requests in flight", "grace", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
