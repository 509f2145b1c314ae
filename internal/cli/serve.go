package cli

import (
	"context"
	"fmt"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/areas"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/jobs"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store"
)

// serveFields names the flag behind each field serve can report.
var serveFields = map[string]string{
	"log-level":            "--log-level",
	"log-format":           "--log-format",
	"trusted-proxies":      "--trusted-proxies",
	"security_events_days": "--security-events-days",
	"language":             "--language",
	"time_zone":            "--time-zone",
	"checkpoint_every":     "--checkpoint-every",
	"checkpoint_key":       "$" + checkpointKeyEnv,
	"checkpoint_key_file":  "--checkpoint-key-file",
	"checkpoint_log":       "--checkpoint-log",
	"checkpoint_url":       "--checkpoint-url",
}

func runServe(ctx context.Context, e env, args []string) error {
	fs := flags(e, "serve", "[flags]",
		"Run the web UI, the JSON API and the background jobs, after applying pending migrations.\nStops gracefully on SIGINT or SIGTERM.\n\n"+checkpointAbout)
	addr := fs.String("addr", "localhost:8080", "`address` to listen on, host:port (use :8080 to listen on every interface)")
	withDemo := fs.Bool("demo", false, "load the demo organisation first if the database holds no users; otherwise keep the data and skip the demo")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	secure := fs.Bool("secure-cookies", false, "mark session cookies Secure (set when a TLS proxy is in front; automatic under direct TLS)")
	trustProxy := fs.Bool("trust-proxy", false, "take the client address from X-Forwarded-For (only behind a proxy you control)")
	trustedProxies := fs.Int64("trusted-proxies", 0, "`number` of proxies you control, in a row in front: the client address is the X-Forwarded-For entry this many from the right, which the outermost appended (implies --trust-proxy, which alone means 1)")
	idle := fs.Duration("session-idle", app.DefaultConfig().SessionIdle, "end a browser session unused for this long")
	lifetime := fs.Duration("session-lifetime", app.DefaultConfig().SessionLifetime, "end a browser session this long after sign-in")
	grace := fs.Duration("shutdown-grace", 15*time.Second, "on SIGTERM, how long to let requests in flight finish")
	noJobs := fs.Bool("no-jobs", false, "do not run background jobs in this instance")
	checkpointEvery := fs.Duration("checkpoint-every", 15*time.Minute, "sign an audit checkpoint this often (at least 1m; 0 for only on demand with conform audit checkpoint)")
	securityDays := fs.Int64("security-events-days", 90, "keep security events (failed sign-ins, refusals, token use) this many `days`")
	language := fs.String("language", "en", "the pages' `language` (en or de) for users who chose none and whose browser asks for none Conform has")
	timeZone := fs.String("time-zone", "UTC", "the `zone` (an IANA name such as Europe/Berlin) times are shown in for users who chose none")
	maxUpload := fs.Int64("max-upload-mib", files.DefaultMaxSize>>20, "refuse an uploaded file larger than this many `MiB` (1 to 1024)")
	var d dbFlags
	d.register(fs)
	var cf checkpointFlags
	cf.register(fs)
	// Every serve flag is installation configuration, so each has a twin.
	fs.fromEnv("addr", "demo", "log-level", "log-format", "secure-cookies", "trust-proxy", "trusted-proxies",
		"session-idle", "session-lifetime", "shutdown-grace", "no-jobs", "checkpoint-every", "security-events-days", "language", "time-zone", "max-upload-mib")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *trustedProxies < 0 {
		return errs.Field("trusted-proxies", "must be 0 or more")
	}
	if *checkpointEvery != 0 && *checkpointEvery < time.Minute {
		return errs.Field("checkpoint_every", "must be at least 1m, or 0 for checkpoints on demand only")
	}
	if *securityDays < 1 {
		return errs.Field("security_events_days", "must be at least 1")
	}
	if *maxUpload < 1 || *maxUpload > 1024 {
		return errs.Field("max_upload_mib", "must be between 1 and 1024")
	}
	if err := (account.PreferencesUpdate{Language: language, TimeZone: timeZone}).Validate(); err != nil {
		return err
	}
	checkpoints, err := cf.config(e, &d)
	if err != nil {
		return err
	}
	log, err := newLogger(e.stderr, *logLevel, *logFormat)
	if err != nil {
		return err
	}
	db, a, as, err := openAreas(ctx, &d, log, app.Config{SessionIdle: *idle, SessionLifetime: *lifetime,
		Checkpoints: checkpoints, SecurityRetention: time.Duration(*securityDays) * 24 * time.Hour, MaxUpload: *maxUpload << 20})
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		if err := loadDemo(ctx, db, a, as, log); err != nil {
			return err
		}
	}
	srv, err := server.New(a, log, server.Config{Version: version(), SecureCookies: *secure, Language: *language, TimeZone: *timeZone,
		TrustProxy: *trustProxy || *trustedProxies > 0, TrustedProxies: int(*trustedProxies), Areas: as.Server()})
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
	// Security events are written until the server has stopped, so that
	// the requests finishing during the grace period are recorded too.
	evCtx, stopEvents := context.WithCancel(context.WithoutCancel(ctx))
	defer stopEvents()
	wg.Go(func() { a.RunSecurityEvents(evCtx) })
	if !*noJobs {
		runner := jobs.New(db, log)
		registerJobs(runner, a, log)
		registerAuditJobs(runner, a, log, *checkpointEvery)
		wg.Go(func() {
			if err := runner.Run(ctx); err != nil {
				log.Error("background jobs", "err", err)
			}
		})
	}
	err = srv.Serve(ctx, ln, *grace)
	stopEvents()
	wg.Wait()
	return err
}

// loadDemo loads the demo organisation into an empty database and, into one
// that holds data, says that it kept the data: --demo stays on in scripts
// and services, so a restart must neither fail nor pass silently.
func loadDemo(ctx context.Context, db *store.DB, a *app.App, as *areas.Areas, log *slog.Logger) error {
	empty, err := demo.Empty(ctx, db)
	if err != nil {
		return err
	}
	if !empty {
		// Warn, not Info: the flag asked for something that did not happen,
		// which --log-level warn must still show.
		log.Warn("--demo: the database already holds data; kept it and skipped the demo", "database", db.Where())
		return nil
	}
	if err := demo.Load(ctx, a); err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	if err := demo.LoadAreas(ctx, as.SMS, as.Assurance, db); err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	log.Info("demo organisation loaded", "sign_in", demo.AdminEmail, "password", demo.Password)
	return nil
}
