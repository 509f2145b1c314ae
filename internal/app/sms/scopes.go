package sms

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// scopes are the scope statement's revisions: read by all staff, written
// by the SMS managers, approved by them or by top management.
var scopes = app.Scope[sms.Scope]{Kind: sms.ScopeKind}

// ListScopes lists the scope's revisions.
func (c *Catalogue) ListScopes(ctx context.Context, actor access.Actor, f store.ScopeFilter) ([]sms.Scope, string, error) {
	if err := scopes.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListScopes(ctx, f)
}

// GetScope reads one revision.
func (c *Catalogue) GetScope(ctx context.Context, actor access.Actor, id int64) (sms.Scope, error) {
	return scopes.Get(ctx, actor, id, c.db.GetScope)
}

// CurrentScope reads the approved revision, the scope in force; ok is
// false when no revision has been approved yet.
func (c *Catalogue) CurrentScope(ctx context.Context, actor access.Actor) (s sms.Scope, ok bool, err error) {
	list, _, err := c.ListScopes(ctx, actor, store.ScopeFilter{State: "approved", Limit: 1})
	if err != nil || len(list) == 0 {
		return s, false, err
	}
	return list[0], true, nil
}

// ScopeApproved reports whether the SMS has an approved scope, for the
// certification journey.
func (c *Catalogue) ScopeApproved(ctx context.Context, actor access.Actor) (bool, error) {
	_, ok, err := c.CurrentScope(ctx, actor)
	return ok, err
}

// DraftScope reads the draft revision; ok is false when there is none.
func (c *Catalogue) DraftScope(ctx context.Context, actor access.Actor) (s sms.Scope, ok bool, err error) {
	list, _, err := c.ListScopes(ctx, actor, store.ScopeFilter{State: "draft", Limit: 1})
	if err != nil || len(list) == 0 {
		return s, false, err
	}
	return list[0], true, nil
}

// CreateScope starts the next revision as a draft. There is one draft at
// a time: another is refused while one exists.
func (c *Catalogue) CreateScope(ctx context.Context, actor access.Actor, in sms.ScopeInput) (sms.Scope, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, scopes.Kind.Write, "write the scope", in.Validate, func(tx *store.Tx) (sms.Scope, error) {
		var s sms.Scope
		if d, ok, err := tx.ScopeInState(ctx, "draft"); err != nil {
			return s, err
		} else if ok {
			return s, errs.E(errs.Conflict, "revision %d (%s) is a draft already: change it, or delete it, before starting another", d.Revision, sms.ScopeKind.Number(d.ID))
		}
		n, err := tx.NextScopeRevision(ctx)
		if err != nil {
			return s, err
		}
		in.Set(&s)
		s.Revision, s.State = n, "draft"
		return s, tx.CreateScope(ctx, actor, &s)
	})
}

// UpdateScope changes a draft read at version (0: any); an approved or
// superseded revision never changes.
func (c *Catalogue) UpdateScope(ctx context.Context, actor access.Actor, id, version int64, up sms.ScopeUpdate) (sms.Scope, error) {
	return app.Change(ctx, c.app, actor, scopes.Kind.Write, "write the scope", nil, func(tx *store.Tx) (sms.Scope, error) {
		return tx.UpdateScope(ctx, actor, id, version, scopes.GuardChange(actor, id, func(s *sms.Scope) error {
			if !s.Editable() {
				return frozen(*s)
			}
			in := up.Apply(*s)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			in.Set(s)
			return nil
		}))
	})
}

// ApproveScope approves a draft read at version (0: any): it becomes the
// scope in force, and the revision approved before it is superseded. A
// draft with no statement or no service in scope, or naming a retired
// service, is refused.
func (c *Catalogue) ApproveScope(ctx context.Context, actor access.Actor, id, version int64) (sms.Scope, error) {
	return app.Change(ctx, c.app, actor, access.ScopesApprove, "approve the scope", nil, func(tx *store.Tx) (sms.Scope, error) {
		approved, err := tx.UpdateScope(ctx, actor, id, version, scopes.GuardChange(actor, id, func(s *sms.Scope) error {
			if err := s.ReadyToApprove(); err != nil {
				return err
			}
			for _, sid := range s.ServiceIDs {
				svc, err := c.db.GetService(ctx, sid)
				if err != nil {
					return err
				}
				if svc.Status == "retired" {
					return errs.Field("service_ids", "names "+svc.Name+", which is retired: take it out of the scope, or bring it back to live")
				}
			}
			now := tx.Now()
			s.State, s.ApprovedBy, s.ApprovedAt = "approved", actor.UserID, &now
			return nil
		}))
		if err != nil {
			return approved, err
		}
		ids, err := store.Scopes.IDsWhere(ctx, tx, "state = ? AND id <> ?", "approved", id)
		if err != nil {
			return approved, err
		}
		for _, old := range ids {
			if _, err := tx.UpdateScope(ctx, actor, old, 0, func(s *sms.Scope) error { s.State = "superseded"; return nil }); err != nil {
				return approved, err
			}
		}
		return approved, nil
	})
}

// DeleteScope removes a draft read at version (0: any); approved and
// superseded revisions stay, the record of what the SMS covered.
func (c *Catalogue) DeleteScope(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, scopes.Kind.Write, "delete scope drafts", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteScope(ctx, actor, id, version, scopes.Guard(actor, id, func(s sms.Scope) error {
			if !s.Editable() {
				return errs.E(errs.Conflict, "revision %d is %s: it stays as the record of what the SMS covered; only a draft can be deleted", s.Revision, s.State)
			}
			return nil
		}))
	}))
	return err
}

// frozen is the refusal to change a revision that is no longer a draft.
func frozen(s sms.Scope) error {
	return errs.E(errs.Conflict, "revision %d is %s and no longer changes: start a new revision to change the scope", s.Revision, s.State)
}
