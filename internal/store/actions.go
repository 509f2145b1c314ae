package store

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Actions is the actions table.
var Actions = NewTable(TableDef[sms.Action]{
	Name: "actions", Entity: sms.ActionKind.Entity,
	Columns: []Column[sms.Action]{
		Col("title", func(a *sms.Action) any { return &a.Title }),
		Col("description", func(a *sms.Action) any { return &a.Description }),
		Col("owner_id", func(a *sms.Action) any { return &a.OwnerID }),
		Col("due_on", func(a *sms.Action) any { return &a.DueOn }),
		Col("state", func(a *sms.Action) any { return &a.State }),
		Col("priority", func(a *sms.Action) any { return &a.Priority }),
		Col("source", func(a *sms.Action) any { return &a.Source }),
		Col("source_id", func(a *sms.Action) any { return &a.SourceID }),
		Col("start_on", func(a *sms.Action) any { return &a.StartOn }),
		Col("progress", func(a *sms.Action) any { return &a.Progress }),
	},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
	Sets: []IDSet[sms.Action]{{Table: "action_dependencies", Owner: "action_id", Member: "depends_on_id",
		Field: func(a *sms.Action) *[]int64 { return &a.DependsOn },
		Missing: func(id int64) error {
			return errs.Field("depends_on", fmt.Sprintf("names %s, which does not exist", sms.ActionKind.Number(id)))
		}}},
})

// GetAction reads one action.
func (db *DB) GetAction(ctx context.Context, id int64) (sms.Action, error) {
	return Actions.Get(ctx, db.reader(), id)
}

// ActionFilter narrows a listing of actions.
type ActionFilter struct {
	IDs      []int64
	Query    string // part of the title
	OwnerID  int64
	State    string
	Open     bool   // only actions neither done nor cancelled
	DueUntil string // only those due on or before this day ("2006-01-02")
	Source   string
	SourceID int64
	// Blocks: only the actions that wait for this one.
	Blocks int64
	// Recent: only actions open, or closed on or after this day
	// ("2006-01-02"), for the timeline.
	Recent string
	Cursor string
	Limit  int
}

// ListActions returns a page of actions by id.
func (db *DB) ListActions(ctx context.Context, f ActionFilter) ([]sms.Action, string, error) {
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
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	if f.Open {
		w.add("state IN ('open', 'in_progress')")
	}
	if f.DueUntil != "" {
		w.add("due_on <> '' AND due_on <= ?", f.DueUntil)
	}
	if f.Source != "" {
		w.add("source = ?", f.Source)
	}
	if f.SourceID != 0 {
		w.add("source_id = ?", f.SourceID)
	}
	if f.Blocks != 0 {
		w.add("id IN (SELECT action_id FROM action_dependencies WHERE depends_on_id = ?)", f.Blocks)
	}
	if f.Recent != "" {
		w.add("(state IN ('open', 'in_progress') OR updated_at >= ?)", recentSince(f.Recent))
	}
	return Actions.List(ctx, db.reader(), w, f.Limit)
}

// recentSince is the start of day, as a time both engines compare with
// updated_at; a day that does not parse is the zero time.
func recentSince(day string) time.Time {
	d, _ := time.Parse(time.DateOnly, day)
	return d.UTC()
}

// ActionDependencies are every action's dependencies, by id, read in the
// transaction: the graph a new dependency must not close a cycle in.
func (tx *Tx) ActionDependencies(ctx context.Context) (map[int64][]int64, error) {
	rows, err := tx.query(ctx, "SELECT action_id, depends_on_id FROM action_dependencies ORDER BY action_id, depends_on_id")
	if err != nil {
		return nil, tx.db.fault(err, "read action dependencies")
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var a, d int64
		if err := rows.Scan(&a, &d); err != nil {
			return nil, tx.db.fault(err, "read action dependencies")
		}
		out[a] = append(out[a], d)
	}
	return out, rows.Err()
}

// ActionsWaitingFor lists the ids of the actions that wait for id, read
// in the transaction.
func (tx *Tx) ActionsWaitingFor(ctx context.Context, id int64) ([]int64, error) {
	return Actions.IDsWhere(ctx, tx, "id IN (SELECT action_id FROM action_dependencies WHERE depends_on_id = ?)", id)
}

// CreateAction adds an action with its audit entry.
func (tx *Tx) CreateAction(ctx context.Context, actor access.Actor, a *sms.Action) error {
	return Actions.Insert(ctx, tx, actor, a)
}

// UpdateAction changes an action read at version (0: any).
func (tx *Tx) UpdateAction(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Action) error) (sms.Action, error) {
	_, after, err := Actions.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteAction removes an action read at version (0: any).
func (tx *Tx) DeleteAction(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Action) error) error {
	_, err := Actions.Delete(ctx, tx, actor, id, version, check)
	return err
}

// GapActionRequirements are the requirements that have a gap action
// already, read in the transaction.
func (tx *Tx) GapActionRequirements(ctx context.Context) (map[int64]bool, error) {
	rows, err := tx.query(ctx, "SELECT DISTINCT source_id FROM actions WHERE source = 'gap'")
	if err != nil {
		return nil, tx.db.fault(err, "list gap actions")
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, tx.db.fault(err, "list gap actions")
		}
		out[id] = true
	}
	return out, rows.Err()
}

// CountActionsFrom counts the actions of a source that name record id,
// read in the transaction.
func (tx *Tx) CountActionsFrom(ctx context.Context, source string, id int64) (int, error) {
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM actions WHERE source = ? AND source_id = ?", source, id).Scan(&n); err != nil {
		return 0, tx.db.fault(err, "count actions")
	}
	return n, nil
}

// PlanProgress is the mean progress, in per cent, of the actions not
// cancelled, and how many there are.
func (db *DB) PlanProgress(ctx context.Context) (mean, n int, err error) {
	var sum int64
	if err := db.reader().queryRow(ctx, "SELECT count(*), coalesce(sum(progress), 0) FROM actions WHERE state <> 'cancelled'").Scan(&n, &sum); err != nil {
		return 0, 0, db.fault(err, "read plan progress")
	}
	if n > 0 {
		mean = int(sum / int64(n))
	}
	return mean, n, nil
}
