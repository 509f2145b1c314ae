package store

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
)

// AuditorAccesses is the table of external auditors' accesses to audits.
var AuditorAccesses = NewTable(TableDef[assurance.AuditorAccess]{
	Name: "auditor_accesses", Entity: assurance.AuditorAccessKind.Entity,
	Columns: []Column[assurance.AuditorAccess]{
		Col("audit_id", func(g *assurance.AuditorAccess) any { return &g.AuditID }),
		Col("user_id", func(g *assurance.AuditorAccess) any { return &g.UserID }),
		Col("expires_on", func(g *assurance.AuditorAccess) any { return &g.ExpiresOn }),
		Col("note", func(g *assurance.AuditorAccess) any { return &g.Note }),
		Col("revoked_at", func(g *assurance.AuditorAccess) any { return &g.RevokedAt }),
	},
	ForeignKeys: []ForeignKey{{Column: "audit_id", Field: "audit_id", Reason: "names no audit"},
		{Column: "user_id", Field: "user_id", Reason: "names no user"}},
})

// GetAuditorAccess reads one access.
func (db *DB) GetAuditorAccess(ctx context.Context, id int64) (assurance.AuditorAccess, error) {
	return AuditorAccesses.Get(ctx, db.reader(), id)
}

// AuditorAccessFilter narrows a listing of accesses.
type AuditorAccessFilter struct {
	IDs     []int64
	AuditID int64
	UserID  int64
	// LiveOn: only the accesses neither revoked nor expired on this day
	// ("2006-01-02").
	LiveOn string
	Cursor string
	Limit  int
}

// ListAuditorAccesses returns a page of accesses by id.
func (db *DB) ListAuditorAccesses(ctx context.Context, f AuditorAccessFilter) ([]assurance.AuditorAccess, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.AuditID != 0 {
		w.add("audit_id = ?", f.AuditID)
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if f.LiveOn != "" {
		w.add("revoked_at IS NULL AND expires_on >= ?", f.LiveOn)
	}
	return AuditorAccesses.List(ctx, db.reader(), w, f.Limit)
}

// CreateAuditorAccess adds an access with its audit entry.
func (tx *Tx) CreateAuditorAccess(ctx context.Context, actor access.Actor, g *assurance.AuditorAccess) error {
	return AuditorAccesses.Insert(ctx, tx, actor, g)
}

// UpdateAuditorAccess changes an access read at version (0: any).
func (tx *Tx) UpdateAuditorAccess(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.AuditorAccess) error) (assurance.AuditorAccess, error) {
	_, after, err := AuditorAccesses.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteAuditorAccess removes an access read at version (0: any).
func (tx *Tx) DeleteAuditorAccess(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.AuditorAccess) error) error {
	_, err := AuditorAccesses.Delete(ctx, tx, actor, id, version, check)
	return err
}

// AccessesOfAudit lists, in the transaction, the accesses to an audit.
func (tx *Tx) AccessesOfAudit(ctx context.Context, auditID int64) ([]int64, error) {
	return AuditorAccesses.IDsWhere(ctx, tx, "audit_id = ?", auditID)
}

// AddAuditorView records, at once and on its own, that an external
// auditor opened a page or file: not a record change, so no audit entry;
// the page is not shown until the view is written.
func (db *DB) AddAuditorView(ctx context.Context, v assurance.AuditorView) error {
	if _, err := db.writer().exec(ctx, "INSERT INTO auditor_views (access_id, audit_id, user_id, at, path, what, remote_addr) VALUES (?, ?, ?, ?, ?, ?, ?)",
		v.AccessID, v.AuditID, v.UserID, v.At.UTC(), v.Path, v.What, v.RemoteAddr); err != nil {
		return db.fault(err, "record auditor view")
	}
	return nil
}

// AuditorViewFilter narrows a listing of views; they come newest first.
type AuditorViewFilter struct {
	AccessID int64
	AuditID  int64
	Cursor   string
	Limit    int
}

// ListAuditorViews returns a page of views, newest first, with each
// viewer's name, and the cursor of the next page ("" at the end).
func (db *DB) ListAuditorViews(ctx context.Context, f AuditorViewFilter) ([]assurance.AuditorView, string, error) {
	limit := clampLimit(f.Limit)
	var w whereBuilder
	if f.Cursor != "" {
		before, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		w.add("v.id < ?", before)
	}
	if f.AccessID != 0 {
		w.add("v.access_id = ?", f.AccessID)
	}
	if f.AuditID != 0 {
		w.add("v.audit_id = ?", f.AuditID)
	}
	q := "SELECT v.id, v.access_id, v.audit_id, v.user_id, COALESCE(u.name, ''), v.at, v.path, v.what, v.remote_addr" +
		" FROM auditor_views v LEFT JOIN users u ON u.id = v.user_id" + w.sql() + fmt.Sprintf(" ORDER BY v.id DESC LIMIT %d", limit+1)
	rows, err := db.reader().query(ctx, q, w.args...)
	if err != nil {
		return nil, "", db.fault(err, "list auditor views")
	}
	return collectPage(rows, limit, func(sc interface{ Scan(...any) error }) (assurance.AuditorView, error) {
		var v assurance.AuditorView
		err := sc.Scan(&v.ID, &v.AccessID, &v.AuditID, &v.UserID, &v.UserName, &v.At, &v.Path, &v.What, &v.RemoteAddr)
		v.At = v.At.UTC()
		return v, err
	}, func(v assurance.AuditorView) int64 { return v.ID })
}

// AccessViewed reports, in the transaction, whether an access was ever
// used: then its log keeps it on record.
func (tx *Tx) AccessViewed(ctx context.Context, accessID int64) (bool, error) {
	var n int64
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM auditor_views WHERE access_id = ?", accessID).Scan(&n); err != nil {
		return false, tx.db.fault(err, "count auditor views")
	}
	return n > 0, nil
}
