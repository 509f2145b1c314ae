package assurance

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Certification bodies are read by all staff and kept by SMS managers.
var bodies = app.Scope[assurance.CertificationBody]{Kind: assurance.CertificationBodyKind}

// ListCertificationBodies lists certification bodies.
func (c *Catalogue) ListCertificationBodies(ctx context.Context, actor access.Actor, f store.CertificationBodyFilter) ([]assurance.CertificationBody, string, error) {
	if err := bodies.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListCertificationBodies(ctx, f)
}

// UnverifiedSince is the day before which a check of a body's
// credentials no longer counts: a year before today.
func (c *Catalogue) UnverifiedSince() string {
	return c.db.Now().AddDate(-1, 0, 0).Format(time.DateOnly)
}

// GetCertificationBody reads one certification body.
func (c *Catalogue) GetCertificationBody(ctx context.Context, actor access.Actor, id int64) (assurance.CertificationBody, error) {
	return bodies.Get(ctx, actor, id, c.db.GetCertificationBody)
}

// CreateCertificationBody adds a certification body.
func (c *Catalogue) CreateCertificationBody(ctx context.Context, actor access.Actor, in assurance.BodyInput) (assurance.CertificationBody, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, bodies.Kind.Write, "create certification bodies", func() error { return in.Validate(c.Today()) },
		func(tx *store.Tx) (assurance.CertificationBody, error) {
			var b assurance.CertificationBody
			if err := c.checkVerifier(ctx, in.VerifiedBy); err != nil {
				return b, err
			}
			in.Set(&b)
			return b, tx.CreateCertificationBody(ctx, actor, &b)
		})
}

// UpdateCertificationBody changes a certification body read at version (0: any).
func (c *Catalogue) UpdateCertificationBody(ctx context.Context, actor access.Actor, id, version int64, up assurance.BodyUpdate) (assurance.CertificationBody, error) {
	return app.Change(ctx, c.app, actor, bodies.Kind.Write, "change certification bodies", nil, func(tx *store.Tx) (assurance.CertificationBody, error) {
		return tx.UpdateCertificationBody(ctx, actor, id, version, bodies.GuardChange(actor, id, func(b *assurance.CertificationBody) error {
			in := up.Apply(*b)
			in.Normalize()
			if err := in.Validate(c.Today()); err != nil {
				return err
			}
			if in.VerifiedBy != b.VerifiedBy {
				if err := c.checkVerifier(ctx, in.VerifiedBy); err != nil {
					return err
				}
			}
			in.Set(b)
			return nil
		}))
	})
}

// VerifyCertificationBody records that the actor checked the body's
// accreditation today.
func (c *Catalogue) VerifyCertificationBody(ctx context.Context, actor access.Actor, id, version int64) (assurance.CertificationBody, error) {
	today := c.Today()
	if actor.UserID == 0 {
		return assurance.CertificationBody{}, errs.Field("verified_by", "must be a person: the system cannot check credentials")
	}
	return c.UpdateCertificationBody(ctx, actor, id, version, assurance.BodyUpdate{VerifiedOn: &today, VerifiedBy: &actor.UserID})
}

// DeleteCertificationBody removes a certification body read at version
// (0: any); one that issued a certificate or that an audit names stays,
// the certificates or audits named in the refusal.
func (c *Catalogue) DeleteCertificationBody(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, bodies.Kind.Write, "delete certification bodies", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteCertificationBody(ctx, actor, id, version, bodies.Guard(actor, id, func(assurance.CertificationBody) error {
			ids, err := tx.CertificatesOfBody(ctx, id)
			if err != nil {
				return err
			}
			if len(ids) > 0 {
				return errs.E(errs.Conflict, "it issued %s: delete those first, or keep the body on record", certNumbers(ids))
			}
			if ids, err = tx.AuditsOfBody(ctx, id); err != nil || len(ids) == 0 {
				return err
			}
			return errs.E(errs.Conflict, "%s name it as the body that runs them: choose another body for them first, or keep the body on record", auditNumbers(ids))
		}))
	}))
	return err
}

// checkVerifier refuses a verifier who does not exist or is deactivated.
func (c *Catalogue) checkVerifier(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	u, err := c.app.GetUser(ctx, access.CLI, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field("verified_by", "names a user who does not exist")
	case err != nil:
		return err
	case !u.Active:
		return errs.Field("verified_by", "names "+u.Name+", who is deactivated")
	}
	return nil
}

// certNumbers writes certificates' human numbers as a list.
func certNumbers(ids []int64) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ", "
		}
		out += assurance.CertificateKind.Number(id)
	}
	return out
}
