package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
)

// Improvements is the continual improvement register.
var Improvements = NewTable(TableDef[assurance.Improvement]{
	Name: "improvements", Entity: assurance.ImprovementKind.Entity,
	Columns: []Column[assurance.Improvement]{
		Col("title", func(i *assurance.Improvement) any { return &i.Title }),
		Col("description", func(i *assurance.Improvement) any { return &i.Description }),
		Col("source", func(i *assurance.Improvement) any { return &i.Source }),
		Col("source_entity", func(i *assurance.Improvement) any { return &i.SourceEntity }),
		Col("source_ref", func(i *assurance.Improvement) any { return &i.SourceRef }),
		Col("submitted_by", func(i *assurance.Improvement) any { return &i.SubmittedBy }),
		Col("submitted_on", func(i *assurance.Improvement) any { return &i.SubmittedOn }),
		Col("benefit", func(i *assurance.Improvement) any { return &i.Benefit }),
		Col("effort", func(i *assurance.Improvement) any { return &i.Effort }),
		Col("risk", func(i *assurance.Improvement) any { return &i.Risk }),
		Col("alignment", func(i *assurance.Improvement) any { return &i.Alignment }),
		Col("state", func(i *assurance.Improvement) any { return &i.State }),
		Col("approved_by", func(i *assurance.Improvement) any { return &i.ApprovedBy }),
		Col("approved_on", func(i *assurance.Improvement) any { return &i.ApprovedOn }),
		Col("expected_benefit", func(i *assurance.Improvement) any { return &i.ExpectedBenefit }),
		Col("realised_benefit", func(i *assurance.Improvement) any { return &i.RealisedBenefit }),
		Col("unit", func(i *assurance.Improvement) any { return &i.Unit }),
		Col("measure_before", func(i *assurance.Improvement) any { return &i.Before }),
		Col("measure_after", func(i *assurance.Improvement) any { return &i.After }),
	},
	ForeignKeys: []ForeignKey{{Column: "submitted_by", Field: "submitted_by", Reason: "names no user"}},
})

// GetImprovement reads one improvement.
func (db *DB) GetImprovement(ctx context.Context, id int64) (assurance.Improvement, error) {
	return Improvements.Get(ctx, db.reader(), id)
}

// ImprovementFilter narrows a listing of improvements.
type ImprovementFilter struct {
	IDs    []int64
	Query  string // part of the opportunity
	State  string
	Source string
	// SourceEntity and SourceRef: only those raised from this record.
	SourceEntity string
	SourceRef    int64
	// Open: only those still asking for a decision or work (not rejected,
	// not with their benefit confirmed).
	Open        bool
	SubmittedBy int64
	Cursor      string
	Limit       int
}

// ListImprovements returns a page of improvements by id.
func (db *DB) ListImprovements(ctx context.Context, f ImprovementFilter) ([]assurance.Improvement, string, error) {
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
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	if f.Source != "" {
		w.add("source = ?", f.Source)
	}
	if f.SourceRef != 0 {
		w.add("source_entity = ? AND source_ref = ?", f.SourceEntity, f.SourceRef)
	}
	if f.Open {
		w.add("state NOT IN ('rejected', 'confirmed')")
	}
	if f.SubmittedBy != 0 {
		w.add("submitted_by = ?", f.SubmittedBy)
	}
	return Improvements.List(ctx, db.reader(), w, f.Limit)
}

// CreateImprovement adds an improvement with its audit entry.
func (tx *Tx) CreateImprovement(ctx context.Context, actor access.Actor, i *assurance.Improvement) error {
	return Improvements.Insert(ctx, tx, actor, i)
}

// UpdateImprovement changes an improvement read at version (0: any).
func (tx *Tx) UpdateImprovement(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.Improvement) error) (assurance.Improvement, error) {
	_, after, err := Improvements.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteImprovement removes an improvement read at version (0: any).
func (tx *Tx) DeleteImprovement(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.Improvement) error) error {
	_, err := Improvements.Delete(ctx, tx, actor, id, version, check)
	return err
}
