package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
)

// CertificationBodies is the certification bodies' table.
var CertificationBodies = NewTable(TableDef[assurance.CertificationBody]{
	Name: "certification_bodies", Entity: assurance.CertificationBodyKind.Entity,
	Columns: []Column[assurance.CertificationBody]{
		Col("name", func(b *assurance.CertificationBody) any { return &b.Name }),
		Col("accreditation_body", func(b *assurance.CertificationBody) any { return &b.AccreditationBody }),
		Col("accreditation_number", func(b *assurance.CertificationBody) any { return &b.AccreditationNumber }),
		Col("accreditation_scope", func(b *assurance.CertificationBody) any { return &b.AccreditationScope }),
		Col("covers_20000", func(b *assurance.CertificationBody) any { return &b.Covers20000 }),
		Col("contacts", func(b *assurance.CertificationBody) any { return &b.Contacts }),
		Col("verified_on", func(b *assurance.CertificationBody) any { return &b.VerifiedOn }),
		Col("verified_by", func(b *assurance.CertificationBody) any { return &b.VerifiedBy }),
	},
	Unique: []Unique{{Index: "certification_bodies_name", Field: "name", Reason: "is taken by another certification body"}},
})

// GetCertificationBody reads one certification body.
func (db *DB) GetCertificationBody(ctx context.Context, id int64) (assurance.CertificationBody, error) {
	return CertificationBodies.Get(ctx, db.reader(), id)
}

// CertificationBodyFilter narrows a listing of certification bodies.
type CertificationBodyFilter struct {
	IDs   []int64
	Query string // part of the name
	// Unverified: only bodies whose credentials were never checked, or
	// last checked before this day ("2006-01-02": a year ago).
	UnverifiedSince string
	Covers20000     string
	Cursor          string
	Limit           int
}

// ListCertificationBodies returns a page of certification bodies by id.
func (db *DB) ListCertificationBodies(ctx context.Context, f CertificationBodyFilter) ([]assurance.CertificationBody, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(name) LIKE ?", likePattern(f.Query))
	}
	if f.UnverifiedSince != "" {
		w.add("(verified_on = '' OR verified_on < ?)", f.UnverifiedSince)
	}
	if f.Covers20000 != "" {
		w.add("covers_20000 = ?", f.Covers20000)
	}
	return CertificationBodies.List(ctx, db.reader(), w, f.Limit)
}

// CreateCertificationBody adds a certification body with its audit entry.
func (tx *Tx) CreateCertificationBody(ctx context.Context, actor access.Actor, b *assurance.CertificationBody) error {
	return CertificationBodies.Insert(ctx, tx, actor, b)
}

// UpdateCertificationBody changes a certification body read at version (0: any).
func (tx *Tx) UpdateCertificationBody(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.CertificationBody) error) (assurance.CertificationBody, error) {
	_, after, err := CertificationBodies.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteCertificationBody removes a certification body read at version (0: any).
func (tx *Tx) DeleteCertificationBody(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.CertificationBody) error) error {
	_, err := CertificationBodies.Delete(ctx, tx, actor, id, version, check)
	return err
}

// CertificatesOfBody lists, in the transaction, the certificates a body issued.
func (tx *Tx) CertificatesOfBody(ctx context.Context, bodyID int64) ([]int64, error) {
	return Certificates.IDsWhere(ctx, tx, "body_id = ?", bodyID)
}

// AuditsOfBody lists, in the transaction, the audits that name a body.
func (tx *Tx) AuditsOfBody(ctx context.Context, bodyID int64) ([]int64, error) {
	return Audits.IDsWhere(ctx, tx, "body_id = ?", bodyID)
}
