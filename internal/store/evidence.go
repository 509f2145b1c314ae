package store

import (
	"context"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
)

// Evidences is the evidence table.
var Evidences = NewTable(TableDef[sms.Evidence]{
	Name: "evidence", Entity: sms.EvidenceKind.Entity,
	Columns: []Column[sms.Evidence]{
		Col("title", func(e *sms.Evidence) any { return &e.Title }),
		Col("notes", func(e *sms.Evidence) any { return &e.Notes }),
		Col("requirement_id", func(e *sms.Evidence) any { return &e.RequirementID }),
		Col("owner_id", func(e *sms.Evidence) any { return &e.OwnerID }),
		Col("review_by", func(e *sms.Evidence) any { return &e.ReviewBy }),
		Col("kind", func(e *sms.Evidence) any { return &e.Kind }),
		Col("ref_entity", func(e *sms.Evidence) any { return &e.RefEntity }),
		Col("ref_id", func(e *sms.Evidence) any { return &e.RefID }),
		Col("url", func(e *sms.Evidence) any { return &e.URL }),
		Col("file_hash", func(e *sms.Evidence) any { return &e.FileHash }),
		Col("file_name", func(e *sms.Evidence) any { return &e.FileName }),
		Col("file_type", func(e *sms.Evidence) any { return &e.FileType }),
		Col("file_size", func(e *sms.Evidence) any { return &e.FileSize }),
	},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
})

// GetEvidence reads one item of evidence.
func (db *DB) GetEvidence(ctx context.Context, id int64) (sms.Evidence, error) {
	return Evidences.Get(ctx, db.reader(), id)
}

// EvidenceFilter narrows a listing of evidence.
type EvidenceFilter struct {
	IDs           []int64
	Query         string // part of the title
	RequirementID int64
	OwnerID       int64
	Kind          string
	// RefEntity and RefID: only evidence that refers to this record.
	RefEntity string
	RefID     int64
	// ExpiredOn: only evidence whose review day is before this day.
	ExpiredOn string
	Cursor    string
	Limit     int
}

// ListEvidence returns a page of evidence by id.
func (db *DB) ListEvidence(ctx context.Context, f EvidenceFilter) ([]sms.Evidence, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(title) LIKE ?", likePattern(f.Query))
	}
	if f.RequirementID != 0 {
		w.add("requirement_id = ?", f.RequirementID)
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.RefEntity != "" {
		w.add("ref_entity = ? AND ref_id = ?", f.RefEntity, f.RefID)
	}
	if f.ExpiredOn != "" {
		w.add("review_by < ?", f.ExpiredOn)
	}
	return Evidences.List(ctx, db.reader(), w, f.Limit)
}

// CreateEvidence adds evidence with its audit entry.
func (tx *Tx) CreateEvidence(ctx context.Context, actor access.Actor, e *sms.Evidence) error {
	if err := Evidences.Insert(ctx, tx, actor, e); err != nil {
		return err
	}
	return tx.refreshEvidenceState(ctx, e.RequirementID)
}

// UpdateEvidence changes evidence read at version (0: any).
func (tx *Tx) UpdateEvidence(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Evidence) error) (sms.Evidence, error) {
	before, after, err := Evidences.Update(ctx, tx, actor, id, version, change)
	if err != nil {
		return after, err
	}
	if before.RequirementID != after.RequirementID || before.ReviewBy != after.ReviewBy {
		err = tx.refreshEvidenceState(ctx, before.RequirementID, after.RequirementID)
	}
	return after, err
}

// DeleteEvidence removes evidence read at version (0: any).
func (tx *Tx) DeleteEvidence(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Evidence) error) error {
	before, err := Evidences.Delete(ctx, tx, actor, id, version, check)
	if err != nil {
		return err
	}
	return tx.refreshEvidenceState(ctx, before.RequirementID)
}

// refreshEvidenceState counts the requirements' evidence again into
// requirement_evidence. The first statement takes the requirement's row
// (an upsert locks it), so that on PostgreSQL a concurrent writer of the
// same requirement's evidence waits until this one commits; the count
// that follows is a statement of its own, which under read committed
// sees what that writer committed. Requirements are taken in id order,
// so two writers never wait for each other.
func (tx *Tx) refreshEvidenceState(ctx context.Context, ids ...int64) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for _, id := range ids {
		if err := tx.write(ctx, "lock requirement evidence", nil,
			"INSERT INTO requirement_evidence (requirement_id, items, latest) VALUES (?, 0, '') ON CONFLICT (requirement_id) DO UPDATE SET items = requirement_evidence.items", id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE requirement_evidence SET
			items = (SELECT count(*) FROM evidence WHERE requirement_id = ?),
			latest = (SELECT coalesce(max(review_by), '') FROM evidence WHERE requirement_id = ?)
			WHERE requirement_id = ?`, id, id, id); err != nil {
			return tx.db.fault(err, "count requirement evidence")
		}
	}
	return nil
}

// EvidenceStates reads the evidence state of every requirement of a
// framework that has evidence, in one query: how many items and the
// latest review day.
func (db *DB) EvidenceStates(ctx context.Context, frameworkID int64) (map[int64]sms.EvidenceState, error) {
	rows, err := db.reader().query(ctx, `SELECT s.requirement_id, s.items, s.latest FROM requirement_evidence s
		JOIN requirements r ON r.id = s.requirement_id WHERE r.framework_id = ? AND s.items > 0`, frameworkID)
	if err != nil {
		return nil, db.fault(err, "read evidence states")
	}
	defer rows.Close()
	out := map[int64]sms.EvidenceState{}
	for rows.Next() {
		var id int64
		var s sms.EvidenceState
		if err := rows.Scan(&id, &s.Items, &s.Latest); err != nil {
			return nil, db.fault(err, "read evidence states")
		}
		out[id] = s
	}
	return out, rows.Err()
}

// Readiness counts an assessment's results with their requirements'
// evidence as of today, in one query (sms.Readiness.AddResult).
func (db *DB) Readiness(ctx context.Context, assessmentID int64, today string) (sms.Readiness, error) {
	var r sms.Readiness
	rows, err := db.reader().query(ctx, `SELECT a.status, coalesce(s.items, 0), coalesce(s.latest, '') FROM assessment_results a
		LEFT JOIN requirement_evidence s ON s.requirement_id = a.requirement_id WHERE a.assessment_id = ?`, assessmentID)
	if err != nil {
		return r, db.fault(err, "count readiness")
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var s sms.EvidenceState
		if err := rows.Scan(&status, &s.Items, &s.Latest); err != nil {
			return r, db.fault(err, "count readiness")
		}
		r.AddResult(status, s, today)
	}
	return r, rows.Err()
}
