package store

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
)

const orgColumns = "id, name, kind, description, created_at, created_by, updated_at, updated_by, version"

func scanOrg(sc interface{ Scan(...any) error }) (account.Organisation, error) {
	var o account.Organisation
	var kind string
	err := sc.Scan(&o.ID, &o.Name, &kind, &o.Description, &o.CreatedAt, &o.CreatedBy, &o.UpdatedAt, &o.UpdatedBy, &o.Version)
	o.Kind = account.OrgKind(kind)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

func (c conn) getOrganisation(ctx context.Context, id int64) (account.Organisation, error) {
	o, err := scanOrg(c.queryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = ?", id))
	if err != nil {
		return o, notFound(err, "organisation", id)
	}
	return o, nil
}

// GetOrganisation reads one organisation.
func (db *DB) GetOrganisation(ctx context.Context, id int64) (account.Organisation, error) {
	return db.reader().getOrganisation(ctx, id)
}

// GetOrganisation reads one organisation inside the transaction.
func (tx *Tx) GetOrganisation(ctx context.Context, id int64) (account.Organisation, error) {
	return tx.getOrganisation(ctx, id)
}

// ProviderOrganisation returns the organisation that owns the installation.
func (db *DB) ProviderOrganisation(ctx context.Context) (account.Organisation, error) {
	o, err := scanOrg(db.reader().queryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE kind = 'provider'"))
	if err != nil {
		return o, notFound(err, "organisation", "provider")
	}
	return o, nil
}

// OrganisationFilter narrows a listing of organisations.
type OrganisationFilter struct {
	OnlyID int64 // set for actors who see their own organisation only
	Kind   account.OrgKind
	Query  string // substring of the name
	Cursor string
	Limit  int
}

// ListOrganisations returns a page of organisations by id.
func (db *DB) ListOrganisations(ctx context.Context, f OrganisationFilter) ([]account.Organisation, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.OnlyID != 0 {
		w.add("id = ?", f.OnlyID)
	}
	if f.Kind != "" {
		w.add("kind = ?", string(f.Kind))
	}
	if f.Query != "" {
		w.add("lower(name) LIKE ?", likePattern(f.Query))
	}
	limit := clampLimit(f.Limit)
	rows, err := db.reader().query(ctx, "SELECT "+orgColumns+" FROM organisations"+w.sql()+fmt.Sprintf(" ORDER BY id LIMIT %d", limit+1), w.args...)
	if err != nil {
		return nil, "", db.fault(err, "list organisations")
	}
	return collectPage(rows, limit, scanOrg, func(o account.Organisation) int64 { return o.ID })
}

// CreateOrganisation inserts an organisation.
func (tx *Tx) CreateOrganisation(ctx context.Context, actor access.Actor, in account.OrganisationInput) (account.Organisation, error) {
	o := account.Organisation{Name: in.Name, Kind: in.Kind, Description: in.Description}
	o.Meta = tx.newMeta(actor)
	failed := func(err error) error {
		if !isUnique(err) {
			return nil
		}
		if o.Kind == account.Provider {
			return errs.Field("kind", "there is already a provider organisation; only one may exist")
		}
		return errs.Field("name", "is already used by another organisation")
	}
	var err error
	o.ID, err = tx.insert(ctx, "organisations", failed, `INSERT INTO organisations (id, name, kind, description, created_at, created_by, updated_at, updated_by, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		o.Name, string(o.Kind), o.Description, o.CreatedAt, o.CreatedBy, o.UpdatedAt, o.UpdatedBy)
	if err != nil {
		return o, err
	}
	return o, tx.Record(actor, "organisation", o.ID, audit.Create, nil, o)
}

// UpdateOrganisation applies an update if the record is still at version
// (0 skips the check).
func (tx *Tx) UpdateOrganisation(ctx context.Context, actor access.Actor, id, version int64, up account.OrganisationUpdate) (account.Organisation, error) {
	before, err := tx.getOrganisation(ctx, id)
	if err != nil {
		return before, err
	}
	if err := checkVersion("organisation", id, version, before.Version); err != nil {
		return before, err
	}
	after := up.Apply(before)
	tx.touch(&after.Meta, actor)
	res, err := tx.exec(ctx, `UPDATE organisations SET name = ?, description = ?, updated_at = ?, updated_by = ?, version = version + 1
		WHERE id = ? AND version = ?`, after.Name, after.Description, after.UpdatedAt, after.UpdatedBy, id, before.Version)
	if err != nil {
		if isUnique(err) {
			return before, errs.Field("name", "is already used by another organisation")
		}
		return before, tx.db.fault(err, "update organisation")
	}
	if err := oneRow(res, "organisation", id); err != nil {
		return before, err
	}
	return after, tx.Record(actor, "organisation", id, audit.Update, before, after)
}

// DeleteOrganisation removes an organisation that no user belongs to.
func (tx *Tx) DeleteOrganisation(ctx context.Context, actor access.Actor, id, version int64) error {
	before, err := tx.getOrganisation(ctx, id)
	if err != nil {
		return err
	}
	if err := checkVersion("organisation", id, version, before.Version); err != nil {
		return err
	}
	if before.Kind == account.Provider {
		return errs.E(errs.Conflict, "the provider organisation owns the installation and cannot be deleted")
	}
	var users int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM users WHERE org_id = ?", id).Scan(&users); err != nil {
		return tx.db.fault(err, "count users")
	}
	if users > 0 {
		return errs.E(errs.Conflict, "organisation %d still has %d user(s); move or delete them first", id, users)
	}
	if _, err := tx.exec(ctx, "DELETE FROM organisations WHERE id = ?", id); err != nil {
		return tx.db.fault(err, "delete organisation")
	}
	return tx.Record(actor, "organisation", id, audit.Delete, before, nil)
}
