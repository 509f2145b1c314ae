package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
)

// PlannedAudits is the table of the audits planned in certificates' cycles.
var PlannedAudits = NewTable(TableDef[assurance.PlannedAudit]{
	Name: "planned_audits", Entity: assurance.PlannedAuditKind.Entity,
	Columns: []Column[assurance.PlannedAudit]{
		Col("certificate_id", func(p *assurance.PlannedAudit) any { return &p.CertificateID }),
		Col("type", func(p *assurance.PlannedAudit) any { return &p.Type }),
		Col("due_by", func(p *assurance.PlannedAudit) any { return &p.DueBy }),
		Col("planned_on", func(p *assurance.PlannedAudit) any { return &p.PlannedOn }),
		Col("done_on", func(p *assurance.PlannedAudit) any { return &p.DoneOn }),
		Col("audit_id", func(p *assurance.PlannedAudit) any { return &p.AuditID }),
		Col("notes", func(p *assurance.PlannedAudit) any { return &p.Notes }),
	},
	ForeignKeys: []ForeignKey{{Column: "certificate_id", Field: "certificate_id", Reason: "names no certificate"}},
})

// GetPlannedAudit reads one planned audit.
func (db *DB) GetPlannedAudit(ctx context.Context, id int64) (assurance.PlannedAudit, error) {
	return PlannedAudits.Get(ctx, db.reader(), id)
}

// PlannedAuditFilter narrows a listing of planned audits.
type PlannedAuditFilter struct {
	IDs           []int64
	CertificateID int64
	Type          string
	// Open: only those not done yet.
	Open bool
	// DueUntil: only those due by this day or earlier.
	DueUntil string
	// AuditID: only those linked to this audit.
	AuditID int64
	Cursor  string
	Limit   int
}

// ListPlannedAudits returns a page of planned audits by id.
func (db *DB) ListPlannedAudits(ctx context.Context, f PlannedAuditFilter) ([]assurance.PlannedAudit, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.CertificateID != 0 {
		w.add("certificate_id = ?", f.CertificateID)
	}
	if f.Type != "" {
		w.add("type = ?", f.Type)
	}
	if f.Open {
		w.add("done_on = ''")
	}
	if f.DueUntil != "" {
		w.add("due_by <= ?", f.DueUntil)
	}
	if f.AuditID != 0 {
		w.add("audit_id = ?", f.AuditID)
	}
	return PlannedAudits.List(ctx, db.reader(), w, f.Limit)
}

// CycleOf reads every planned audit of a certificate, by due day.
func (db *DB) CycleOf(ctx context.Context, certificateID int64) ([]assurance.PlannedAudit, error) {
	return plannedWhere(ctx, db.reader(), "certificate_id = ? ORDER BY due_by, id", certificateID)
}

// CycleOf reads every planned audit of a certificate in the transaction.
func (tx *Tx) CycleOf(ctx context.Context, certificateID int64) ([]assurance.PlannedAudit, error) {
	return plannedWhere(ctx, tx.conn, "certificate_id = ? ORDER BY due_by, id", certificateID)
}

func plannedWhere(ctx context.Context, c conn, cond string, args ...any) ([]assurance.PlannedAudit, error) {
	rows, err := c.query(ctx, "SELECT "+PlannedAudits.Columns()+" FROM planned_audits WHERE "+cond, args...)
	if err != nil {
		return nil, c.db.fault(err, "read planned audits")
	}
	defer rows.Close()
	var out []assurance.PlannedAudit
	for rows.Next() {
		p, err := PlannedAudits.Scan(rows)
		if err != nil {
			return nil, c.db.fault(err, "read planned audits")
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreatePlannedAudit adds a planned audit with its audit entry.
func (tx *Tx) CreatePlannedAudit(ctx context.Context, actor access.Actor, p *assurance.PlannedAudit) error {
	return PlannedAudits.Insert(ctx, tx, actor, p)
}

// UpdatePlannedAudit changes a planned audit read at version (0: any).
func (tx *Tx) UpdatePlannedAudit(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.PlannedAudit) error) (assurance.PlannedAudit, error) {
	_, after, err := PlannedAudits.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeletePlannedAudit removes a planned audit read at version (0: any).
func (tx *Tx) DeletePlannedAudit(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.PlannedAudit) error) error {
	_, err := PlannedAudits.Delete(ctx, tx, actor, id, version, check)
	return err
}
