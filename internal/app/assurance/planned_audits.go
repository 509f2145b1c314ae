package assurance

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// ListPlannedAudits lists planned audits.
func (c *Catalogue) ListPlannedAudits(ctx context.Context, actor access.Actor, f store.PlannedAuditFilter) ([]assurance.PlannedAudit, string, error) {
	if err := plannedAudits.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListPlannedAudits(ctx, f)
}

// GetPlannedAudit reads one planned audit.
func (c *Catalogue) GetPlannedAudit(ctx context.Context, actor access.Actor, id int64) (assurance.PlannedAudit, error) {
	return plannedAudits.Get(ctx, actor, id, c.db.GetPlannedAudit)
}

// AuditChecker says whether an audit record exists, for linking a
// planned audit to the audit that holds its findings. The audits (kind
// "audit") come from another part of the area; until they are joined in
// (SetAuditChecker), any id is taken as it is.
type AuditChecker func(ctx context.Context, auditID int64) error

// SetAuditChecker joins the audits in: a planned audit's audit_id must
// then name one.
func (c *Catalogue) SetAuditChecker(check AuditChecker) { c.auditExists = check }

func (c *Catalogue) checkAuditLink(ctx context.Context, id int64) error {
	if id == 0 || c.auditExists == nil {
		return nil
	}
	if err := c.auditExists(ctx, id); errs.Is(err, errs.NotFound) {
		return errs.Field("audit_id", "names no audit")
	} else if err != nil {
		return err
	}
	return nil
}

// CreatePlannedAudit adds an audit to a certificate's cycle (a special
// audit, or one the plan did not make).
func (c *Catalogue) CreatePlannedAudit(ctx context.Context, actor access.Actor, in assurance.PlannedAuditInput) (assurance.PlannedAudit, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, plannedAudits.Kind.Write, "create planned audits", func() error { return in.Validate(c.Today()) },
		func(tx *store.Tx) (assurance.PlannedAudit, error) {
			var p assurance.PlannedAudit
			if _, err := tx.GetCertificate(ctx, in.CertificateID); errs.Is(err, errs.NotFound) {
				return p, errs.Field("certificate_id", "names no certificate")
			} else if err != nil {
				return p, err
			}
			if err := c.checkAuditLink(ctx, in.AuditID); err != nil {
				return p, err
			}
			in.Set(&p)
			return p, tx.CreatePlannedAudit(ctx, actor, &p)
		})
}

// UpdatePlannedAudit changes a planned audit read at version (0: any):
// booked, done, linked to its audit. The first surveillance done moves
// the second's due-by day into the calendar year after it.
func (c *Catalogue) UpdatePlannedAudit(ctx context.Context, actor access.Actor, id, version int64, up assurance.PlannedAuditUpdate) (assurance.PlannedAudit, error) {
	return app.Change(ctx, c.app, actor, plannedAudits.Kind.Write, "change planned audits", nil, func(tx *store.Tx) (assurance.PlannedAudit, error) {
		p, err := tx.UpdatePlannedAudit(ctx, actor, id, version, plannedAudits.GuardChange(actor, id, func(p *assurance.PlannedAudit) error {
			in := up.Apply(*p)
			in.Normalize()
			if err := in.Validate(c.Today()); err != nil {
				return err
			}
			if in.AuditID != p.AuditID {
				if err := c.checkAuditLink(ctx, in.AuditID); err != nil {
					return err
				}
			}
			in.Set(p)
			return nil
		}))
		if err != nil || p.Type != assurance.Surveillance1 {
			return p, err
		}
		x, err := tx.GetCertificate(ctx, p.CertificateID)
		if err != nil {
			return p, err
		}
		return p, c.replan(ctx, tx, actor, x)
	})
}

// DeletePlannedAudit removes a planned audit read at version (0: any).
func (c *Catalogue) DeletePlannedAudit(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, plannedAudits.Kind.Write, "delete planned audits", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeletePlannedAudit(ctx, actor, id, version, plannedAudits.Guard(actor, id, nil))
	}))
	return err
}
