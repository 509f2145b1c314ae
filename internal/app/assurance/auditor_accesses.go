package assurance

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// External auditors' accesses are kept by those who plan and run audits.
var accesses = app.Scope[assurance.AuditorAccess]{Kind: assurance.AuditorAccessKind}

// ListAuditorAccesses lists accesses.
func (c *Catalogue) ListAuditorAccesses(ctx context.Context, actor access.Actor, f store.AuditorAccessFilter) ([]assurance.AuditorAccess, string, error) {
	if err := accesses.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListAuditorAccesses(ctx, f)
}

// GetAuditorAccess reads one access.
func (c *Catalogue) GetAuditorAccess(ctx context.Context, actor access.Actor, id int64) (assurance.AuditorAccess, error) {
	return accesses.Get(ctx, actor, id, c.db.GetAuditorAccess)
}

// CreateAuditorAccess gives an external auditor access to an audit
// until the day it expires. The user must be an active external
// auditor; the audit must exist.
func (c *Catalogue) CreateAuditorAccess(ctx context.Context, actor access.Actor, in assurance.AccessInput) (assurance.AuditorAccess, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, accesses.Kind.Write, "give external auditors access", func() error { return in.Validate(c.Today()) },
		func(tx *store.Tx) (assurance.AuditorAccess, error) {
			var g assurance.AuditorAccess
			if _, err := c.db.GetAudit(ctx, in.AuditID); errs.Is(err, errs.NotFound) {
				return g, errs.Field("audit_id", "names no audit")
			} else if err != nil {
				return g, err
			}
			if err := c.checkExternalAuditor(ctx, in.UserID); err != nil {
				return g, err
			}
			in.Set(&g)
			return g, tx.CreateAuditorAccess(ctx, actor, &g)
		})
}

// UpdateAuditorAccess changes an access's expiry or note, read at
// version (0: any); a revoked access stays revoked and unchanged.
func (c *Catalogue) UpdateAuditorAccess(ctx context.Context, actor access.Actor, id, version int64, up assurance.AccessUpdate) (assurance.AuditorAccess, error) {
	return app.Change(ctx, c.app, actor, accesses.Kind.Write, "change external auditors' access", nil, func(tx *store.Tx) (assurance.AuditorAccess, error) {
		return tx.UpdateAuditorAccess(ctx, actor, id, version, accesses.GuardChange(actor, id, func(g *assurance.AuditorAccess) error {
			if g.RevokedAt != nil {
				return errs.E(errs.Conflict, "it is revoked: give the auditor a new access instead")
			}
			in := up.Apply(*g)
			in.Normalize()
			if err := in.Validate(c.Today()); err != nil {
				return err
			}
			in.Set(g)
			return nil
		}))
	})
}

// RevokeAuditorAccess ends an access now, read at version (0: any): the
// auditor's next page is refused.
func (c *Catalogue) RevokeAuditorAccess(ctx context.Context, actor access.Actor, id, version int64) (assurance.AuditorAccess, error) {
	return app.Change(ctx, c.app, actor, accesses.Kind.Write, "revoke external auditors' access", nil, func(tx *store.Tx) (assurance.AuditorAccess, error) {
		return tx.UpdateAuditorAccess(ctx, actor, id, version, accesses.GuardChange(actor, id, func(g *assurance.AuditorAccess) error {
			if g.RevokedAt != nil {
				return errs.E(errs.Conflict, "it is already revoked")
			}
			now := tx.Now().UTC()
			g.RevokedAt = &now
			return nil
		}))
	})
}

// DeleteAuditorAccess removes an access read at version (0: any); one
// that was used stays on record with what its auditor viewed: revoke it
// instead.
func (c *Catalogue) DeleteAuditorAccess(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, accesses.Kind.Write, "delete external auditors' access", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteAuditorAccess(ctx, actor, id, version, accesses.Guard(actor, id, func(assurance.AuditorAccess) error {
			viewed, err := tx.AccessViewed(ctx, id)
			if err != nil || !viewed {
				return err
			}
			return errs.E(errs.Conflict, "the auditor used it: it stays on record with what they viewed; revoke it instead")
		}))
	}))
	return err
}

// ListAuditorViews lists, newest first, the pages and files the auditor
// of an access opened through it.
func (c *Catalogue) ListAuditorViews(ctx context.Context, actor access.Actor, accessID int64, cursor string, limit int) ([]assurance.AuditorView, string, error) {
	if _, err := c.GetAuditorAccess(ctx, actor, accessID); err != nil {
		return nil, "", err
	}
	return c.db.ListAuditorViews(ctx, store.AuditorViewFilter{AccessID: accessID, Cursor: cursor, Limit: limit})
}

// checkExternalAuditor refuses, naming user_id, a user who does not
// exist, is deactivated or is not an external auditor.
func (c *Catalogue) checkExternalAuditor(ctx context.Context, id int64) error {
	u, err := c.app.GetUser(ctx, access.CLI, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field("user_id", "names a user who does not exist")
	case err != nil:
		return err
	case u.Role != access.ExternalAuditor:
		return errs.Field("user_id", fmt.Sprintf("names %s, who is not an external auditor: only a user whose role is external auditor may be given access", u.Name))
	case !u.Active:
		return errs.Field("user_id", "names "+u.Name+", who is deactivated")
	}
	return nil
}
