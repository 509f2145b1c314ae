package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
)

// Certificates is the certificates' table.
var Certificates = NewTable(TableDef[assurance.Certificate]{
	Name: "certificates", Entity: assurance.CertificateKind.Entity,
	Columns: []Column[assurance.Certificate]{
		Col("body_id", func(c *assurance.Certificate) any { return &c.BodyID }),
		Col("certificate_number", func(c *assurance.Certificate) any { return &c.CertNumber }),
		Col("standard", func(c *assurance.Certificate) any { return &c.Standard }),
		Col("scope", func(c *assurance.Certificate) any { return &c.Scope }),
		Col("issued_on", func(c *assurance.Certificate) any { return &c.IssuedOn }),
		Col("decided_on", func(c *assurance.Certificate) any { return &c.DecidedOn }),
		Col("cycle_start", func(c *assurance.Certificate) any { return &c.CycleStart }),
		Col("expires_on", func(c *assurance.Certificate) any { return &c.ExpiresOn }),
		Col("status", func(c *assurance.Certificate) any { return &c.Status }),
		Col("reminder_days", func(c *assurance.Certificate) any { return &c.ReminderDays }),
		Col("previous_id", func(c *assurance.Certificate) any { return &c.PreviousID }),
	},
	Unique:      []Unique{{Index: "certificates_number", Field: "certificate_number", Reason: "is taken by another certificate of this body"}},
	ForeignKeys: []ForeignKey{{Column: "body_id", Field: "body_id", Reason: "names no certification body"}},
})

// GetCertificate reads one certificate.
func (db *DB) GetCertificate(ctx context.Context, id int64) (assurance.Certificate, error) {
	return Certificates.Get(ctx, db.reader(), id)
}

// GetCertificate reads one certificate in the transaction.
func (tx *Tx) GetCertificate(ctx context.Context, id int64) (assurance.Certificate, error) {
	return Certificates.Get(ctx, tx.conn, id)
}

// CertificateFilter narrows a listing of certificates.
type CertificateFilter struct {
	IDs    []int64
	Query  string // part of the certificate number
	BodyID int64
	// State is active, suspended, withdrawn or expired as on Today.
	State string
	Today string
	// AtRisk: only certificates in force with a planned audit not done by
	// its due-by day before Today.
	AtRisk bool
	Cursor string
	Limit  int
}

// ListCertificates returns a page of certificates by id.
func (db *DB) ListCertificates(ctx context.Context, f CertificateFilter) ([]assurance.Certificate, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(certificate_number) LIKE ?", likePattern(f.Query))
	}
	if f.BodyID != 0 {
		w.add("body_id = ?", f.BodyID)
	}
	switch f.State {
	case "expired":
		w.add("status <> 'withdrawn' AND expires_on < ?", f.Today)
	case "withdrawn":
		w.add("status = 'withdrawn'")
	case "active", "suspended":
		w.add("status = ? AND expires_on >= ?", f.State, f.Today)
	}
	if f.AtRisk {
		w.add("status <> 'withdrawn' AND expires_on >= ? AND EXISTS (SELECT 1 FROM planned_audits p WHERE p.certificate_id = certificates.id AND p.done_on = '' AND p.due_by < ?)", f.Today, f.Today)
	}
	return Certificates.List(ctx, db.reader(), w, f.Limit)
}

// CreateCertificate adds a certificate with its audit entry.
func (tx *Tx) CreateCertificate(ctx context.Context, actor access.Actor, c *assurance.Certificate) error {
	return Certificates.Insert(ctx, tx, actor, c)
}

// UpdateCertificate changes a certificate read at version (0: any).
func (tx *Tx) UpdateCertificate(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.Certificate) error) (assurance.Certificate, error) {
	_, after, err := Certificates.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteCertificate removes a certificate read at version (0: any); its
// planned audits must be gone first.
func (tx *Tx) DeleteCertificate(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.Certificate) error) error {
	_, err := Certificates.Delete(ctx, tx, actor, id, version, check)
	return err
}

// RenewalsOf lists, in the transaction, the certificates that renew one.
func (tx *Tx) RenewalsOf(ctx context.Context, id int64) ([]int64, error) {
	return Certificates.IDsWhere(ctx, tx, "previous_id = ?", id)
}
