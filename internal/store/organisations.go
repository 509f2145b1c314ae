package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
)

// Organisations is the organisations table; an organisation is its own
// organisation for scope.
var Organisations = NewTable(TableDef[account.Organisation]{
	Name: "organisations", Entity: account.OrganisationKind.Entity,
	Columns: []Column[account.Organisation]{
		Col("name", func(o *account.Organisation) any { return &o.Name }),
		Col("kind", func(o *account.Organisation) any { return &o.Kind }),
		Col("description", func(o *account.Organisation) any { return &o.Description }),
	},
	Unique: []Unique{
		{Index: "organisations_name", Field: "name", Reason: "is already used by another organisation"},
		{Index: "organisations_one_provider", Column: "kind", Field: "kind", Reason: "there is already a provider organisation; only one may exist"},
	},
	OrgColumn: "id",
})

// GetOrganisation reads one organisation.
func (db *DB) GetOrganisation(ctx context.Context, id int64) (account.Organisation, error) {
	return Organisations.Get(ctx, db.reader(), id)
}

// GetOrganisation reads one organisation inside the transaction.
func (tx *Tx) GetOrganisation(ctx context.Context, id int64) (account.Organisation, error) {
	return Organisations.Get(ctx, tx.conn, id)
}

// ProviderOrganisation returns the organisation that owns the installation.
func (db *DB) ProviderOrganisation(ctx context.Context) (account.Organisation, error) {
	o, err := Organisations.Scan(db.reader().queryRow(ctx, "SELECT "+Organisations.Columns()+" FROM organisations WHERE kind = 'provider'"))
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
		Organisations.Scope(&w, f.OnlyID)
	}
	if f.Kind != "" {
		w.add("kind = ?", string(f.Kind))
	}
	if f.Query != "" {
		w.add("lower(name) LIKE ?", likePattern(f.Query))
	}
	return Organisations.List(ctx, db.reader(), w, f.Limit)
}

// CreateOrganisation inserts an organisation.
func (tx *Tx) CreateOrganisation(ctx context.Context, actor access.Actor, in account.OrganisationInput) (account.Organisation, error) {
	o := account.Organisation{Name: in.Name, Kind: in.Kind, Description: in.Description}
	return o, Organisations.Insert(ctx, tx, actor, &o)
}

// UpdateOrganisation applies change (the update with the use case's
// rules) if the organisation is still at version (0 skips the check).
func (tx *Tx) UpdateOrganisation(ctx context.Context, actor access.Actor, id, version int64, change func(*account.Organisation) error) (account.Organisation, error) {
	_, after, err := Organisations.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteOrganisation removes an organisation read at version (0: any)
// once check, the use case's rules, allows it.
func (tx *Tx) DeleteOrganisation(ctx context.Context, actor access.Actor, id, version int64, check func(account.Organisation) error) error {
	_, err := Organisations.Delete(ctx, tx, actor, id, version, check)
	return err
}

// CountUsersIn counts an organisation's users, inside the transaction.
func (tx *Tx) CountUsersIn(ctx context.Context, orgID int64) (int, error) {
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM users WHERE org_id = ?", orgID).Scan(&n); err != nil {
		return 0, tx.db.fault(err, "count users")
	}
	return n, nil
}
