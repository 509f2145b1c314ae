package cli

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/jobs"
	"github.com/conform-itsm/conform/internal/server"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs := flags(e, "serve", "serve [flags]")
	var d dbFlags
	d.register(fs)
	addr := fs.String("addr", "localhost:8080", "address to listen on, host:port (use :8080 to listen on every interface)")
	withDemo := fs.Bool("demo", false, "load the demo organisation first if the database is empty")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	secure := fs.Bool("secure-cookies", false, "mark session cookies Secure (set when a TLS proxy is in front; automatic under direct TLS)")
	trustProxy := fs.Bool("trust-proxy", false, "take the client address from X-Forwarded-For (only behind a proxy you control)")
	idle := fs.Duration("session-idle", app.DefaultConfig().SessionIdle, "end a browser session unused for this long")
	lifetime := fs.Duration("session-lifetime", app.DefaultConfig().SessionLifetime, "end a browser session this long after sign-in")
	grace := fs.Duration("shutdown-grace", 15*time.Second, "on SIGTERM, how long to let requests in flight finish")
	noJobs := fs.Bool("no-jobs", false, "do not run background jobs in this instance")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	log, err := newLogger(e.stderr, *logLevel, *logFormat)
	if err != nil {
		return err
	}
	db, a, err := openApp(ctx, &d, log, app.Config{SessionIdle: *idle, SessionLifetime: *lifetime})
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		empty, err := demo.Empty(ctx, db)
		if err != nil {
			return err
		}
		if empty {
			if err := demo.Load(ctx, a); err != nil {
				return fmt.Errorf("load demo: %w", err)
			}
			log.Info("demo organisation loaded", "sign_in", demo.AdminEmail, "password", demo.Password)
		}
	}
	srv, err := server.New(a, log, server.Config{Version: version(), SecureCookies: *secure, TrustProxy: *trustProxy})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	where := db.Where()
	if db.Engine() == "sqlite" {
		where = absPath(where)
	}
	log.Info("conform serving", "url", "http://"+ln.Addr().String(), "engine", db.Engine(), "database", where, "version", version())
	// Startup lines for people and scripts: the address actually bound
	// (useful with port 0) and where the data lives.
	fmt.Fprintf(e.stdout, "listening on http://%s\n", ln.Addr())

	var wg sync.WaitGroup
	if !*noJobs {
		runner := jobs.New(db, log)
		registerJobs(runner, a, log)
		wg.Go(func() {
			if err := runner.Run(ctx); err != nil {
				log.Error("background jobs", "err", err)
			}
		})
	}
	err = srv.Serve(ctx, ln, *grace)
	wg.Wait()
	return err
}
