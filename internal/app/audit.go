package app

import (
	"context"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// ListAudit browses the whole trail.
func (a *App) ListAudit(ctx context.Context, actor access.Actor, f store.AuditFilter) ([]audit.Entry, string, error) {
	if err := Require(actor, access.AuditRead, "read the audit trail"); err != nil {
		return nil, "", err
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return nil, "", errs.Field("to", "must be after from")
	}
	return a.db.ListAudit(ctx, f)
}

// GetAuditEntry reads one entry of the trail, with its hashes.
func (a *App) GetAuditEntry(ctx context.Context, actor access.Actor, seq int64) (audit.Entry, error) {
	if err := Require(actor, access.AuditRead, "read the audit trail"); err != nil {
		return audit.Entry{}, err
	}
	return a.db.GetAuditEntry(ctx, seq)
}

// History lists one record's audit entries, for anyone who may see the
// record itself.
func (a *App) History(ctx context.Context, actor access.Actor, entity string, id int64, cursor string, limit int) ([]audit.Entry, string, error) {
	if err := a.canSee(ctx, actor, entity, id); err != nil {
		return nil, "", err
	}
	return a.db.ListAudit(ctx, store.AuditFilter{Entity: entity, EntityID: id, Cursor: cursor, Limit: limit})
}

// canSee checks that the actor may read the record (which need not exist
// any more: a deleted record's history stays readable to those who read
// the whole trail). The kind's declaration says who else may read a
// record's history: anyone who may see the record and holds its history
// permission.
func (a *App) canSee(ctx context.Context, actor access.Actor, entity string, id int64) error {
	if actor.Can(access.AuditRead) {
		return nil
	}
	k, ok := a.kinds.Get(entity)
	if !ok {
		return errs.Field("entity", "is not a kind of record with a history")
	}
	if err := Require(actor, k.History, "read the history of "+strings.ToLower(k.Plural)); err != nil {
		return err
	}
	return a.see[entity](ctx, actor, id)
}

// VerifyAudit walks the whole chain.
func (a *App) VerifyAudit(ctx context.Context, actor access.Actor) (store.VerifyResult, error) {
	if err := Require(actor, access.AuditVerify, "verify the audit trail"); err != nil {
		return store.VerifyResult{}, err
	}
	return a.db.VerifyAudit(ctx)
}
