package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
)

// ManagementReviews is the management reviews' table; the attendees live
// in management_review_attendees.
var ManagementReviews = NewTable(TableDef[assurance.ManagementReview]{
	Name: "management_reviews", Entity: assurance.ManagementReviewKind.Entity,
	Columns: []Column[assurance.ManagementReview]{
		Col("title", func(r *assurance.ManagementReview) any { return &r.Title }),
		Col("planned_on", func(r *assurance.ManagementReview) any { return &r.PlannedOn }),
		Col("held_on", func(r *assurance.ManagementReview) any { return &r.HeldOn }),
		Col("chair_id", func(r *assurance.ManagementReview) any { return &r.ChairID }),
		Col("interval_months", func(r *assurance.ManagementReview) any { return &r.IntervalMonths }),
		Col("state", func(r *assurance.ManagementReview) any { return &r.State }),
		Col("prepared_on", func(r *assurance.ManagementReview) any { return &r.PreparedOn }),
		Col("pack", func(r *assurance.ManagementReview) any { return &r.Pack }),
		Col("pack_hash", func(r *assurance.ManagementReview) any { return &r.PackHash }),
		Col("minutes", func(r *assurance.ManagementReview) any { return &r.Minutes }),
		Col("decisions", func(r *assurance.ManagementReview) any { return (*textList)(&r.Decisions) }),
		Col("approved_by", func(r *assurance.ManagementReview) any { return &r.ApprovedBy }),
		Col("approved_on", func(r *assurance.ManagementReview) any { return &r.ApprovedOn }),
	},
	ForeignKeys: []ForeignKey{{Column: "chair_id", Field: "chair_id", Reason: "names no user"}},
	Sets: []IDSet[assurance.ManagementReview]{{Table: "management_review_attendees", Owner: "review_id", Member: "user_id",
		Field: func(r *assurance.ManagementReview) *[]int64 { return &r.AttendeeIDs }, Missing: missing("attendee_ids", "user")}},
})

// textList keeps a list of lines (a review's decisions) as JSON text.
type textList []string

// Value writes the list as JSON.
func (l textList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan reads the list from JSON text.
func (l *textList) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*l = []string{}
		return nil
	default:
		return fmt.Errorf("text list: cannot read %T", src)
	}
	list := []string{}
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("text list: %w", err)
	}
	*l = list
	return nil
}

// GetManagementReview reads one review with its attendees.
func (db *DB) GetManagementReview(ctx context.Context, id int64) (assurance.ManagementReview, error) {
	return ManagementReviews.Get(ctx, db.reader(), id)
}

// ManagementReviewFilter narrows a listing of reviews.
type ManagementReviewFilter struct {
	IDs      []int64
	Query    string // part of the title
	State    string
	ChairID  int64
	From, To string // only reviews planned on or after From, on or before To
	Cursor   string
	Limit    int
}

// ListManagementReviews returns a page of reviews by id.
func (db *DB) ListManagementReviews(ctx context.Context, f ManagementReviewFilter) ([]assurance.ManagementReview, string, error) {
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
	if f.ChairID != 0 {
		w.add("chair_id = ?", f.ChairID)
	}
	if f.From != "" {
		w.add("planned_on >= ?", f.From)
	}
	if f.To != "" {
		w.add("planned_on <= ?", f.To)
	}
	return ManagementReviews.List(ctx, db.reader(), w, f.Limit)
}

// CreateManagementReview adds a review with its audit entry.
func (tx *Tx) CreateManagementReview(ctx context.Context, actor access.Actor, r *assurance.ManagementReview) error {
	return ManagementReviews.Insert(ctx, tx, actor, r)
}

// UpdateManagementReview changes a review read at version (0: any).
func (tx *Tx) UpdateManagementReview(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.ManagementReview) error) (assurance.ManagementReview, error) {
	_, after, err := ManagementReviews.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteManagementReview removes a review read at version (0: any).
func (tx *Tx) DeleteManagementReview(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.ManagementReview) error) error {
	_, err := ManagementReviews.Delete(ctx, tx, actor, id, version, check)
	return err
}
