package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/jobs"
)

// registerJobs wires the platform's periodic housekeeping.
func registerJobs(r *jobs.Runner, a *app.App, log *slog.Logger) {
	r.Handle("sessions.cleanup", func(ctx context.Context, _ string) error {
		n, err := a.DeleteExpiredSessions(ctx)
		if n > 0 {
			log.Info("ended expired sessions", "count", n)
		}
		return err
	})
	r.Every("sessions.cleanup", 15*time.Minute)
	r.Handle("logins.forget", func(ctx context.Context, _ string) error {
		_, err := a.ForgetOldFailures(ctx)
		return err
	})
	r.Every("logins.forget", time.Hour)
	r.Handle("jobs.purge", func(ctx context.Context, _ string) error {
		_, err := a.DB().PurgeJobs(ctx, a.DB().Now().Add(-7*24*time.Hour))
		return err
	})
	r.Every("jobs.purge", 24*time.Hour)
	r.Handle("notifications.remind", func(ctx context.Context, _ string) error {
		n, err := a.SendReminders(ctx)
		if n > 0 {
			log.Info("sent notifications", "count", n)
		}
		return err
	})
	r.Every("notifications.remind", 10*time.Minute)
}
