package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/jobs"
)

// registerAuditJobs wires the periodic work of the audit trail: a signed
// checkpoint of the chain every checkpointEvery (none if 0), and the end
// of security events older than their retention.
func registerAuditJobs(r *jobs.Runner, a *app.App, log *slog.Logger, checkpointEvery time.Duration) {
	if _, ok := a.CheckpointPublicKey(); ok && checkpointEvery > 0 {
		r.Handle("audit.checkpoint", func(ctx context.Context, _ string) error {
			cp, err := a.Checkpoint(ctx, access.System)
			if cp.Signature != "" {
				log.Info("signed audit checkpoint", "seq", cp.Seq, "hash", cp.Hash)
			}
			return err
		})
		r.Every("audit.checkpoint", checkpointEvery)
	}
	r.Handle("security.purge", func(ctx context.Context, _ string) error {
		n, err := a.PurgeSecurityEvents(ctx)
		if n > 0 {
			log.Info("removed security events past their retention", "count", n)
		}
		return err
	})
	r.Every("security.purge", time.Hour)
}
