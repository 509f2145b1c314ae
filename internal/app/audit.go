package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// ListAudit browses the whole trail.
func (a *App) ListAudit(ctx context.Context, actor access.Actor, f store.AuditFilter) ([]audit.Entry, string, error) {
	if err := require(actor, access.AuditRead, "read the audit trail"); err != nil {
		return nil, "", err
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return nil, "", errs.Field("to", "must be after from")
	}
	return a.db.ListAudit(ctx, f)
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
// any more: a deleted record's history stays readable to auditors).
func (a *App) canSee(ctx context.Context, actor access.Actor, entity string, id int64) error {
	if actor.Can(access.AuditRead) {
		return nil
	}
	if entity == "token" {
		// One's own tokens' history is one's own business.
		_, err := a.GetToken(ctx, actor, id)
		return err
	}
	if err := require(actor, access.HistoryRead, "read record history"); err != nil {
		return err
	}
	var err error
	switch entity {
	case "user":
		_, err = a.GetUser(ctx, actor, id)
	case "team":
		_, err = a.GetTeam(ctx, actor, id)
	case "organisation":
		_, err = a.GetOrganisation(ctx, actor, id)
	default:
		return errs.Field("entity", "is not a kind of record with a history")
	}
	return err
}

// VerifyAudit walks the whole chain.
func (a *App) VerifyAudit(ctx context.Context, actor access.Actor) (store.VerifyResult, error) {
	if err := require(actor, access.AuditVerify, "verify the audit trail"); err != nil {
		return store.VerifyResult{}, err
	}
	return a.db.VerifyAudit(ctx)
}
