package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/conform-itsm/conform/internal/sms"
)

// The figures the certification journey and the home page show, each one
// query that counts rather than lists, so they stay quick however many
// records there are.

// LatestAssessment is a framework's newest assessment (by start day, then
// id) in state ("" for any); ok is false when it has none.
func (db *DB) LatestAssessment(ctx context.Context, frameworkID int64, state string) (a sms.Assessment, ok bool, err error) {
	w := whereBuilder{}
	w.add("framework_id = ?", frameworkID)
	if state != "" {
		w.add("state = ?", state)
	}
	a, err = Assessments.Scan(db.reader().queryRow(ctx, "SELECT "+Assessments.Columns()+" FROM assessments"+w.sql()+" ORDER BY started_on DESC, id DESC LIMIT 1", w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, db.fault(err, "read the latest assessment")
	}
	return a, true, nil
}

// ActionCount says which actions to count.
type ActionCount struct {
	OwnerID   int64
	Open      bool   // neither done nor cancelled
	DueBefore string // due before this day ("2006-01-02"): with Open, overdue
}

// CountActions counts actions.
func (db *DB) CountActions(ctx context.Context, f ActionCount) (int, error) {
	w := whereBuilder{}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.Open {
		w.add("state IN ('open', 'in_progress')")
	}
	if f.DueBefore != "" {
		w.add("due_on <> '' AND due_on < ?", f.DueBefore)
	}
	var n int
	if err := db.reader().queryRow(ctx, "SELECT count(*) FROM actions"+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, db.fault(err, "count actions")
	}
	return n, nil
}

// GapCover counts an assessment's gaps (requirements not started or
// partly implemented) and how many of them have an action planned (an
// action with the requirement as its gap, in any state).
func (db *DB) GapCover(ctx context.Context, assessmentID int64) (gaps, planned int, err error) {
	err = db.reader().queryRow(ctx, `SELECT count(*), count(CASE WHEN EXISTS (
			SELECT 1 FROM actions a WHERE a.source = 'gap' AND a.source_id = r.requirement_id) THEN 1 END)
		FROM assessment_results r WHERE r.assessment_id = ? AND r.status IN ('not_started', 'partial')`, assessmentID).Scan(&gaps, &planned)
	if err != nil {
		return 0, 0, db.fault(err, "count gaps")
	}
	return gaps, planned, nil
}

// ProjectFigures are the implementation project's counts the journey
// shows: whether a project manager is named, how many RACI rows there
// are, how many SMS objectives and how many of them have a value, how
// many risks and opportunities are on the register.
type ProjectFigures struct {
	Managers, RaciRows, Objectives, Measured, Risks int
}

// CountProject counts the implementation project's figures in one query.
func (db *DB) CountProject(ctx context.Context) (ProjectFigures, error) {
	var f ProjectFigures
	err := db.reader().queryRow(ctx, `SELECT
		(SELECT count(*) FROM project_members WHERE role = ?),
		(SELECT count(*) FROM raci_rows),
		(SELECT count(*) FROM objectives),
		(SELECT count(*) FROM objectives o WHERE EXISTS (SELECT 1 FROM objective_values v WHERE v.objective_id = o.id)),
		(SELECT count(*) FROM risks)`,
		sms.ProjectManager).Scan(&f.Managers, &f.RaciRows, &f.Objectives, &f.Measured, &f.Risks)
	if err != nil {
		return f, db.fault(err, "count the implementation project")
	}
	return f, nil
}
