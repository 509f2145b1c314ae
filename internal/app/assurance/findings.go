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

// ListFindings lists findings.
func (c *Catalogue) ListFindings(ctx context.Context, actor access.Actor, f store.FindingFilter) ([]assurance.Finding, string, error) {
	if err := findings.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListFindings(ctx, f)
}

// GetFinding reads one finding.
func (c *Catalogue) GetFinding(ctx context.Context, actor access.Actor, id int64) (assurance.Finding, error) {
	return findings.Get(ctx, actor, id, c.db.GetFinding)
}

// CreateFinding records a finding of an audit in progress or completed,
// against a requirement in its scope. A nonconformity (major or minor)
// is then handed to OnFinding, when set, right after it is recorded.
func (c *Catalogue) CreateFinding(ctx context.Context, actor access.Actor, in assurance.FindingInput) (assurance.Finding, error) {
	in.Normalize()
	f, err := app.Change(ctx, c.app, actor, findings.Kind.Write, "record findings", in.Validate, func(tx *store.Tx) (assurance.Finding, error) {
		var f assurance.Finding
		if err := c.checkFinding(ctx, tx, actor, in, true); err != nil {
			return f, err
		}
		in.Set(&f)
		return f, tx.CreateFinding(ctx, actor, &f)
	})
	if err != nil || !f.Nonconformity() || c.OnFinding == nil {
		return f, err
	}
	if err := c.OnFinding(ctx, actor, f); err != nil {
		return f, fmt.Errorf("%s is recorded, but opening its nonconformity failed: %w", assurance.FindingKind.Number(f.ID), err)
	}
	return f, nil
}

// checkFinding checks what a finding names: an audit still open to
// findings, a requirement on its checklist, a checklist line of the same
// audit, an owner among the staff, records the actor can see.
func (c *Catalogue) checkFinding(ctx context.Context, tx *store.Tx, actor access.Actor, in assurance.FindingInput, fresh bool) error {
	a, err := c.GetAudit(ctx, actor, in.AuditID)
	if errs.Is(err, errs.NotFound) {
		return errs.Field("audit_id", "names no audit")
	} else if err != nil {
		return err
	}
	if err := answerable(a); err != nil {
		return err
	}
	lines, err := tx.ChecklistOf(ctx, a.ID)
	if err != nil {
		return err
	}
	inScope := false
	for _, l := range lines {
		inScope = inScope || l.RequirementID == in.RequirementID
		if in.ItemID != nil && l.ID == *in.ItemID && l.RequirementID != in.RequirementID {
			return errs.Field("requirement_id", "differs from the requirement of the checklist line the finding is raised from")
		}
	}
	if !inScope {
		return errs.Field("requirement_id", fmt.Sprintf("is not in the scope of %s", assurance.AuditKind.Number(a.ID)))
	}
	if in.ItemID != nil && fresh {
		it, err := c.db.GetChecklistItem(ctx, *in.ItemID)
		if err != nil || it.AuditID != a.ID {
			return errs.Field("item_id", "names no checklist line of this audit")
		}
	}
	if in.OwnerID != nil {
		if err := c.checkAuditPerson(ctx, "owner_id", *in.OwnerID); err != nil {
			return err
		}
	}
	for _, r := range in.Records {
		if err := c.app.SeeRecord(ctx, actor, r.Entity, r.ID, "records", "records"); err != nil {
			return errs.Field("records", fmt.Sprintf("names %s %d, which is no record you can see", r.Entity, r.ID))
		}
	}
	return nil
}

// UpdateFinding changes a finding read at version (0: any); a finding of
// an audit whose report is issued never changes.
func (c *Catalogue) UpdateFinding(ctx context.Context, actor access.Actor, id, version int64, up assurance.FindingUpdate) (assurance.Finding, error) {
	return app.Change(ctx, c.app, actor, findings.Kind.Write, "change findings", nil, func(tx *store.Tx) (assurance.Finding, error) {
		return tx.UpdateFinding(ctx, actor, id, version, findings.GuardChange(actor, id, func(f *assurance.Finding) error {
			in := up.Apply(*f)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if err := c.checkFinding(ctx, tx, actor, in, false); err != nil {
				return err
			}
			in.Set(f)
			return nil
		}))
	})
}

// DeleteFinding removes a finding read at version (0: any), unless its
// audit's report is issued.
func (c *Catalogue) DeleteFinding(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, findings.Kind.Write, "delete findings", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteFinding(ctx, actor, id, version, findings.Guard(actor, id, func(f assurance.Finding) error {
			a, err := tx.GetAudit(ctx, f.AuditID)
			if err != nil {
				return err
			}
			return assurance.FrozenFinding(a)
		}))
	}))
	return err
}
