package store

import (
	"context"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
)

// Objectives is the objectives table.
var Objectives = NewTable(TableDef[sms.Objective]{
	Name: "objectives", Entity: sms.ObjectiveKind.Entity,
	Columns: []Column[sms.Objective]{
		Col("statement", func(o *sms.Objective) any { return &o.Statement }),
		Col("owner_id", func(o *sms.Objective) any { return &o.OwnerID }),
		Col("measure", func(o *sms.Objective) any { return &o.Measure }),
		Col("unit", func(o *sms.Objective) any { return &o.Unit }),
		Col("target", func(o *sms.Objective) any { return &o.Target }),
		Col("direction", func(o *sms.Objective) any { return &o.Direction }),
		Col("frequency", func(o *sms.Objective) any { return &o.Frequency }),
		Col("source", func(o *sms.Objective) any { return &o.Source }),
		Col("notes", func(o *sms.Objective) any { return &o.Notes }),
	},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
})

// ObjectiveValues is the table of the values measured for objectives.
var ObjectiveValues = NewTable(TableDef[sms.ObjectiveValue]{
	Name: "objective_values", Entity: sms.ObjectiveValueKind.Entity,
	Columns: []Column[sms.ObjectiveValue]{
		Col("objective_id", func(v *sms.ObjectiveValue) any { return &v.ObjectiveID }),
		Col("measured_on", func(v *sms.ObjectiveValue) any { return &v.On }),
		Col("value", func(v *sms.ObjectiveValue) any { return &v.Value }),
		Col("note", func(v *sms.ObjectiveValue) any { return &v.Note }),
	},
	Unique:      []Unique{{Index: "objective_values_day", Field: "on", Reason: "already has a value for this objective: change that one instead"}},
	ForeignKeys: []ForeignKey{{Column: "objective_id", Field: "objective_id", Reason: "names no objective"}},
})

// latestValue is the condition that a value row (alias v) is its
// objective's latest: none is measured on a later day.
const latestValue = "v.measured_on = (SELECT max(w.measured_on) FROM objective_values w WHERE w.objective_id = v.objective_id)"

// GetObjective reads one objective.
func (db *DB) GetObjective(ctx context.Context, id int64) (sms.Objective, error) {
	return Objectives.Get(ctx, db.reader(), id)
}

// ObjectiveFilter narrows a listing of objectives.
type ObjectiveFilter struct {
	IDs     []int64
	Query   string // part of the statement
	OwnerID int64
	// Standing is "missed" for the objectives whose latest value misses
	// the target, "met" for those whose latest meets it, "none" for those
	// with no value yet.
	Standing string
	Cursor   string
	Limit    int
}

// ListObjectives returns a page of objectives by id.
func (db *DB) ListObjectives(ctx context.Context, f ObjectiveFilter) ([]sms.Objective, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(statement) LIKE ?", likePattern(f.Query))
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	const missed = "((objectives.direction = 'lower' AND v.value > objectives.target) OR (objectives.direction <> 'lower' AND v.value < objectives.target))"
	latest := "EXISTS (SELECT 1 FROM objective_values v WHERE v.objective_id = objectives.id AND " + latestValue + " AND "
	switch f.Standing {
	case "missed":
		w.add(latest + missed + ")")
	case "met":
		w.add(latest + "NOT " + missed + ")")
	case "none":
		w.add("NOT EXISTS (SELECT 1 FROM objective_values v WHERE v.objective_id = objectives.id)")
	}
	return Objectives.List(ctx, db.reader(), w, f.Limit)
}

// CreateObjective adds an objective with its audit entry.
func (tx *Tx) CreateObjective(ctx context.Context, actor access.Actor, o *sms.Objective) error {
	return Objectives.Insert(ctx, tx, actor, o)
}

// UpdateObjective changes an objective read at version (0: any).
func (tx *Tx) UpdateObjective(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Objective) error) (sms.Objective, error) {
	_, after, err := Objectives.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteObjective removes an objective read at version (0: any); its
// values must be gone first.
func (tx *Tx) DeleteObjective(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Objective) error) error {
	_, err := Objectives.Delete(ctx, tx, actor, id, version, check)
	return err
}

// GetObjectiveValue reads one value.
func (db *DB) GetObjectiveValue(ctx context.Context, id int64) (sms.ObjectiveValue, error) {
	return ObjectiveValues.Get(ctx, db.reader(), id)
}

// ObjectiveValueFilter narrows a listing of values.
type ObjectiveValueFilter struct {
	IDs         []int64
	ObjectiveID int64
	From, To    string // only values measured on or after From, on or before To
	Cursor      string
	Limit       int
}

// ListObjectiveValues returns a page of values by id.
func (db *DB) ListObjectiveValues(ctx context.Context, f ObjectiveValueFilter) ([]sms.ObjectiveValue, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.ObjectiveID != 0 {
		w.add("objective_id = ?", f.ObjectiveID)
	}
	if f.From != "" {
		w.add("measured_on >= ?", f.From)
	}
	if f.To != "" {
		w.add("measured_on <= ?", f.To)
	}
	return ObjectiveValues.List(ctx, db.reader(), w, f.Limit)
}

// ValuesOf reads every value of an objective, oldest day first.
func (db *DB) ValuesOf(ctx context.Context, objectiveID int64) ([]sms.ObjectiveValue, error) {
	return valuesWhere(ctx, db.reader(), "objective_id = ? ORDER BY measured_on", objectiveID)
}

// ValuesOf reads every value of an objective in the transaction.
func (tx *Tx) ValuesOf(ctx context.Context, objectiveID int64) ([]sms.ObjectiveValue, error) {
	return valuesWhere(ctx, tx.conn, "objective_id = ? ORDER BY measured_on", objectiveID)
}

// LatestValues reads the latest value of each of the objectives named
// that has one.
func (db *DB) LatestValues(ctx context.Context, objectiveIDs []int64) (map[int64]sms.ObjectiveValue, error) {
	out := map[int64]sms.ObjectiveValue{}
	if len(objectiveIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(objectiveIDs))
	for i, id := range objectiveIDs {
		args[i] = id
	}
	vs, err := valuesWhere(ctx, db.reader(), "objective_id IN ("+strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+") AND "+
		strings.ReplaceAll(latestValue, "v.", "objective_values."), args...)
	for _, v := range vs {
		out[v.ObjectiveID] = v
	}
	return out, err
}

func valuesWhere(ctx context.Context, c conn, cond string, args ...any) ([]sms.ObjectiveValue, error) {
	rows, err := c.query(ctx, "SELECT "+ObjectiveValues.Columns()+" FROM objective_values WHERE "+cond, args...)
	if err != nil {
		return nil, c.db.fault(err, "read objective values")
	}
	defer rows.Close()
	var out []sms.ObjectiveValue
	for rows.Next() {
		v, err := ObjectiveValues.Scan(rows)
		if err != nil {
			return nil, c.db.fault(err, "read objective values")
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CreateObjectiveValue adds a value with its audit entry.
func (tx *Tx) CreateObjectiveValue(ctx context.Context, actor access.Actor, v *sms.ObjectiveValue) error {
	return ObjectiveValues.Insert(ctx, tx, actor, v)
}

// UpdateObjectiveValue changes a value read at version (0: any).
func (tx *Tx) UpdateObjectiveValue(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.ObjectiveValue) error) (sms.ObjectiveValue, error) {
	_, after, err := ObjectiveValues.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteObjectiveValue removes a value read at version (0: any).
func (tx *Tx) DeleteObjectiveValue(ctx context.Context, actor access.Actor, id, version int64, check func(sms.ObjectiveValue) error) error {
	_, err := ObjectiveValues.Delete(ctx, tx, actor, id, version, check)
	return err
}
