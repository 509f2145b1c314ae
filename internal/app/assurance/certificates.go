package assurance

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Certificates and their planned audits are read by all staff and kept
// by SMS managers.
var (
	certificates  = app.Scope[assurance.Certificate]{Kind: assurance.CertificateKind}
	plannedAudits = app.Scope[assurance.PlannedAudit]{Kind: assurance.PlannedAuditKind}
)

// ListCertificates lists certificates; f.Today is filled in.
func (c *Catalogue) ListCertificates(ctx context.Context, actor access.Actor, f store.CertificateFilter) ([]assurance.Certificate, string, error) {
	if err := certificates.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	f.Today = c.Today()
	return c.db.ListCertificates(ctx, f)
}

// GetCertificate reads one certificate.
func (c *Catalogue) GetCertificate(ctx context.Context, actor access.Actor, id int64) (assurance.Certificate, error) {
	return certificates.Get(ctx, actor, id, c.db.GetCertificate)
}

// Standing is a certificate with its cycle and what it risks today.
type Standing struct {
	assurance.Certificate
	State string
	Cycle []assurance.PlannedAudit
	// Risk is "suspension" (a surveillance audit overdue), "lapse" (the
	// recertification overdue) or "".
	Risk string
}

// CertificateStanding reads a certificate with its planned audits and
// where it stands today.
func (c *Catalogue) CertificateStanding(ctx context.Context, actor access.Actor, id int64) (Standing, error) {
	x, err := c.GetCertificate(ctx, actor, id)
	if err != nil {
		return Standing{}, err
	}
	return c.standing(ctx, x)
}

func (c *Catalogue) standing(ctx context.Context, x assurance.Certificate) (Standing, error) {
	cycle, err := c.db.CycleOf(ctx, x.ID)
	today := c.Today()
	return Standing{Certificate: x, State: x.State(today), Cycle: cycle, Risk: assurance.Risk(x, cycle, today)}, err
}

// Standings reads the standing of each certificate given.
func (c *Catalogue) Standings(ctx context.Context, list []assurance.Certificate) ([]Standing, error) {
	out := make([]Standing, 0, len(list))
	for _, x := range list {
		s, err := c.standing(ctx, x)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// AtRisk lists the certificates in force with an overdue planned audit,
// with their standing, for the home page.
func (c *Catalogue) AtRisk(ctx context.Context, actor access.Actor) ([]Standing, error) {
	list, _, err := c.ListCertificates(ctx, actor, store.CertificateFilter{AtRisk: true, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	return c.Standings(ctx, list)
}

// CreateCertificate adds a certificate and plans its cycle: the two
// surveillance audits and the recertification, each with its due-by day.
func (c *Catalogue) CreateCertificate(ctx context.Context, actor access.Actor, in assurance.CertificateInput) (assurance.Certificate, error) {
	in.PreviousID = 0
	return c.createCertificate(ctx, actor, in, nil)
}

func (c *Catalogue) createCertificate(ctx context.Context, actor access.Actor, in assurance.CertificateInput, before func(tx *store.Tx) error) (assurance.Certificate, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, certificates.Kind.Write, "create certificates", in.Validate, func(tx *store.Tx) (assurance.Certificate, error) {
		var x assurance.Certificate
		if err := c.checkBody(ctx, in.BodyID); err != nil {
			return x, err
		}
		if before != nil {
			if err := before(tx); err != nil {
				return x, err
			}
		}
		in.Set(&x)
		if err := tx.CreateCertificate(ctx, actor, &x); err != nil {
			return x, err
		}
		for _, p := range assurance.PlanCertificateCycle(x.CycleStart, x.ExpiresOn, "") {
			pa := assurance.PlannedAudit{CertificateID: x.ID, Type: p.Type, DueBy: p.DueBy}
			if err := tx.CreatePlannedAudit(ctx, actor, &pa); err != nil {
				return x, err
			}
		}
		return x, nil
	})
}

// checkBody refuses a certification body that does not exist.
func (c *Catalogue) checkBody(ctx context.Context, id int64) error {
	if _, err := c.db.GetCertificationBody(ctx, id); errs.Is(err, errs.NotFound) {
		return errs.Field("body_id", "names no certification body")
	} else if err != nil {
		return err
	}
	return nil
}

// UpdateCertificate changes a certificate read at version (0: any); a
// change of its days plans again the audits of its cycle not done yet.
func (c *Catalogue) UpdateCertificate(ctx context.Context, actor access.Actor, id, version int64, up assurance.CertificateUpdate) (assurance.Certificate, error) {
	return app.Change(ctx, c.app, actor, certificates.Kind.Write, "change certificates", nil, func(tx *store.Tx) (assurance.Certificate, error) {
		x, err := tx.UpdateCertificate(ctx, actor, id, version, certificates.GuardChange(actor, id, func(x *assurance.Certificate) error {
			in := up.Apply(*x)
			if up.DecidedOn != nil && up.CycleStart == nil && x.PreviousID == 0 && x.CycleStart == x.DecidedOn {
				in.CycleStart = "" // a first certificate's cycle follows its decision
			}
			if up.ExpiresOn != nil && *up.ExpiresOn == "" {
				in.ExpiresOn = ""
			}
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if in.BodyID != x.BodyID {
				if err := c.checkBody(ctx, in.BodyID); err != nil {
					return err
				}
			}
			in.Set(x)
			return nil
		}))
		if err != nil {
			return x, err
		}
		return x, c.replan(ctx, tx, actor, x)
	})
}

// replan moves the due-by days of the cycle's audits not done yet to
// where the plan puts them now (after a change of the certificate's days
// or the first surveillance being done).
func (c *Catalogue) replan(ctx context.Context, tx *store.Tx, actor access.Actor, x assurance.Certificate) error {
	cycle, err := tx.CycleOf(ctx, x.ID)
	if err != nil {
		return err
	}
	firstDone := ""
	for _, p := range cycle {
		if p.Type == assurance.Surveillance1 {
			firstDone = p.DoneOn
		}
	}
	due := map[string]string{}
	for _, p := range assurance.PlanCertificateCycle(x.CycleStart, x.ExpiresOn, firstDone) {
		due[p.Type] = p.DueBy
	}
	for _, p := range cycle {
		if d, ok := due[p.Type]; ok && p.DoneOn == "" && p.DueBy != d {
			if _, err := tx.UpdatePlannedAudit(ctx, actor, p.ID, 0, func(pa *assurance.PlannedAudit) error { pa.DueBy = d; return nil }); err != nil {
				return err
			}
		}
	}
	return nil
}

// RenewCertificate records the recertification of a certificate: the
// new certificate the body issued, whose cycle runs on from the old
// expiry, planned as a first one is; the old cycle's recertification is
// marked done on the day given. The old certificate stays as it is until
// it expires.
func (c *Catalogue) RenewCertificate(ctx context.Context, actor access.Actor, id int64, r assurance.RenewalInput) (assurance.Certificate, error) {
	old, err := c.GetCertificate(ctx, actor, id)
	if err != nil {
		return old, err
	}
	if old.Status == "withdrawn" {
		return assurance.Certificate{}, errs.E(errs.Conflict, "%s is withdrawn: record a new certificate instead of renewing it", assurance.CertificateKind.Number(id))
	}
	var check errs.Checker
	if r.RecertifiedOn != "" {
		if _, err := assurance.ParseDay(r.RecertifiedOn); err != nil {
			check.Add("recertified_on", "must be a date such as 2027-01-31")
		} else if r.RecertifiedOn > c.Today() {
			check.Add("recertified_on", "must not be in the future")
		}
	}
	if err := check.Err(); err != nil {
		return assurance.Certificate{}, err
	}
	return c.createCertificate(ctx, actor, r.Renewal(old), func(tx *store.Tx) error {
		renewals, err := tx.RenewalsOf(ctx, id)
		if err != nil {
			return err
		}
		if len(renewals) > 0 {
			return errs.E(errs.Conflict, "%s is already renewed by %s", assurance.CertificateKind.Number(id), certNumbers(renewals))
		}
		if r.RecertifiedOn == "" {
			return nil
		}
		cycle, err := tx.CycleOf(ctx, id)
		if err != nil {
			return err
		}
		for _, p := range cycle {
			if p.Type == assurance.Recertification && p.DoneOn == "" {
				if _, err := tx.UpdatePlannedAudit(ctx, actor, p.ID, 0, func(pa *assurance.PlannedAudit) error { pa.DoneOn = r.RecertifiedOn; return nil }); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// DeleteCertificate removes a certificate read at version (0: any) with
// its planned audits, each audited; one a renewal names stays.
func (c *Catalogue) DeleteCertificate(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, certificates.Kind.Write, "delete certificates", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteCertificate(ctx, actor, id, version, certificates.Guard(actor, id, func(assurance.Certificate) error {
			renewals, err := tx.RenewalsOf(ctx, id)
			if err != nil {
				return err
			}
			if len(renewals) > 0 {
				return errs.E(errs.Conflict, "%s renews it: delete that first", certNumbers(renewals))
			}
			cycle, err := tx.CycleOf(ctx, id)
			if err != nil {
				return err
			}
			for _, p := range cycle {
				if err := tx.DeletePlannedAudit(ctx, actor, p.ID, 0, nil); err != nil {
					return err
				}
			}
			return nil
		}))
	}))
	return err
}
