package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
)

// Assessments is the assessments table.
var Assessments = NewTable(TableDef[sms.Assessment]{
	Name: "assessments", Entity: sms.AssessmentKind.Entity,
	Columns: []Column[sms.Assessment]{
		Col("framework_id", func(a *sms.Assessment) any { return &a.FrameworkID }),
		Col("title", func(a *sms.Assessment) any { return &a.Title }),
		Col("started_on", func(a *sms.Assessment) any { return &a.StartedOn }),
		Col("state", func(a *sms.Assessment) any { return &a.State }),
		Col("notes", func(a *sms.Assessment) any { return &a.Notes }),
	},
	ForeignKeys: []ForeignKey{{Column: "framework_id", Field: "framework_id", Reason: "names no framework"}},
})

// Results is the assessment results table: one row per requirement of an
// assessment's framework.
var Results = NewTable(TableDef[sms.Result]{
	Name: "assessment_results", Entity: sms.ResultKind.Entity,
	Columns: []Column[sms.Result]{
		Col("assessment_id", func(r *sms.Result) any { return &r.AssessmentID }),
		Col("requirement_id", func(r *sms.Result) any { return &r.RequirementID }),
		Col("status", func(r *sms.Result) any { return &r.Status }),
		Col("maturity", func(r *sms.Result) any { return &r.Maturity }),
		Col("owner_id", func(r *sms.Result) any { return &r.OwnerID }),
		Col("justification", func(r *sms.Result) any { return &r.Justification }),
		Col("notes", func(r *sms.Result) any { return &r.Notes }),
		Col("answers", func(r *sms.Result) any { return &r.Answers }),
	},
	Unique: []Unique{{Index: "assessment_results_requirement", Field: "requirement_id", Reason: "already has a result in this assessment"}},
	ForeignKeys: []ForeignKey{
		{Column: "assessment_id", Field: "assessment_id", Reason: "names no assessment"},
		{Column: "requirement_id", Field: "requirement_id", Reason: "names no requirement"},
		{Column: "owner_id", Field: "owner_id", Reason: "names no user"},
	},
})

// GetAssessment reads one assessment.
func (db *DB) GetAssessment(ctx context.Context, id int64) (sms.Assessment, error) {
	return Assessments.Get(ctx, db.reader(), id)
}

// AssessmentFilter narrows a listing of assessments.
type AssessmentFilter struct {
	IDs         []int64
	Query       string // part of the title
	FrameworkID int64
	State       string
	Cursor      string
	Limit       int
}

// ListAssessments returns a page of assessments by id.
func (db *DB) ListAssessments(ctx context.Context, f AssessmentFilter) ([]sms.Assessment, string, error) {
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
	if f.FrameworkID != 0 {
		w.add("framework_id = ?", f.FrameworkID)
	}
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	return Assessments.List(ctx, db.reader(), w, f.Limit)
}

// CreateAssessment adds an assessment with its audit entry.
func (tx *Tx) CreateAssessment(ctx context.Context, actor access.Actor, a *sms.Assessment) error {
	return Assessments.Insert(ctx, tx, actor, a)
}

// UpdateAssessment changes an assessment read at version (0: any).
func (tx *Tx) UpdateAssessment(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Assessment) error) (sms.Assessment, error) {
	_, after, err := Assessments.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteAssessment removes an assessment read at version (0: any); its
// results must be gone first.
func (tx *Tx) DeleteAssessment(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Assessment) error) error {
	_, err := Assessments.Delete(ctx, tx, actor, id, version, check)
	return err
}

// GetResult reads one result.
func (db *DB) GetResult(ctx context.Context, id int64) (sms.Result, error) {
	return Results.Get(ctx, db.reader(), id)
}

// ResultFilter narrows a listing of results.
type ResultFilter struct {
	IDs           []int64
	AssessmentID  int64
	RequirementID int64
	Status        string
	OwnerID       int64
	Cursor        string
	Limit         int
}

func (f ResultFilter) where() (whereBuilder, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return w, err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.AssessmentID != 0 {
		w.add("assessment_id = ?", f.AssessmentID)
	}
	if f.RequirementID != 0 {
		w.add("requirement_id = ?", f.RequirementID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	return w, nil
}

// ListResults returns a page of results by id.
func (db *DB) ListResults(ctx context.Context, f ResultFilter) ([]sms.Result, string, error) {
	w, err := f.where()
	if err != nil {
		return nil, "", err
	}
	return Results.List(ctx, db.reader(), w, f.Limit)
}

// ResultsOf reads every result of an assessment, in its framework's
// order.
func (db *DB) ResultsOf(ctx context.Context, assessmentID int64) ([]sms.Result, error) {
	return resultsOf(ctx, db.reader(), "assessment_id", assessmentID)
}

// ResultsOf reads every result of an assessment in the transaction.
func (tx *Tx) ResultsOf(ctx context.Context, assessmentID int64) ([]sms.Result, error) {
	return resultsOf(ctx, tx.conn, "assessment_id", assessmentID)
}

// ResultsFor reads every result for a requirement, in any assessment, in
// the transaction.
func (tx *Tx) ResultsFor(ctx context.Context, requirementID int64) ([]sms.Result, error) {
	return resultsOf(ctx, tx.conn, "requirement_id", requirementID)
}

func resultsOf(ctx context.Context, c conn, col string, id int64) ([]sms.Result, error) {
	rows, err := c.query(ctx, "SELECT "+Results.Columns()+" FROM assessment_results WHERE "+col+
		" = ? ORDER BY (SELECT position FROM requirements q WHERE q.id = requirement_id), id", id)
	if err != nil {
		return nil, c.db.fault(err, "read assessment results")
	}
	defer rows.Close()
	var out []sms.Result
	for rows.Next() {
		r, err := Results.Scan(rows)
		if err != nil {
			return nil, c.db.fault(err, "read assessment results")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, c.db.fault(err, "read assessment results")
	}
	return out, nil
}

// CreateResult adds a result with its audit entry.
func (tx *Tx) CreateResult(ctx context.Context, actor access.Actor, r *sms.Result) error {
	return Results.Insert(ctx, tx, actor, r)
}

// UpdateResult changes a result read at version (0: any).
func (tx *Tx) UpdateResult(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Result) error) (sms.Result, error) {
	_, after, err := Results.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteResult removes a result read at version (0: any).
func (tx *Tx) DeleteResult(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := Results.Delete(ctx, tx, actor, id, version, nil)
	return err
}

// OpenAssessmentsOf reads the open assessments over a framework, in the
// transaction.
func (tx *Tx) OpenAssessmentsOf(ctx context.Context, frameworkID int64) ([]sms.Assessment, error) {
	rows, err := tx.conn.query(ctx, "SELECT "+Assessments.Columns()+" FROM assessments WHERE framework_id = ? AND state = 'open' ORDER BY id", frameworkID)
	if err != nil {
		return nil, tx.conn.db.fault(err, "read assessments")
	}
	defer rows.Close()
	var out []sms.Assessment
	for rows.Next() {
		a, err := Assessments.Scan(rows)
		if err != nil {
			return nil, tx.conn.db.fault(err, "read assessments")
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, tx.conn.db.fault(err, "read assessments")
	}
	return out, nil
}
