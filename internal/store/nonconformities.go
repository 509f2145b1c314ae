package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Nonconformities is the nonconformities table; the whys and the evidence
// are JSON lists in their columns.
var Nonconformities = NewTable(TableDef[assurance.Nonconformity]{
	Name: "nonconformities", Entity: assurance.NonconformityKind.Entity,
	Columns: []Column[assurance.Nonconformity]{
		Col("title", func(n *assurance.Nonconformity) any { return &n.Title }),
		Col("description", func(n *assurance.Nonconformity) any { return &n.Description }),
		Col("severity", func(n *assurance.Nonconformity) any { return &n.Severity }),
		Col("origin", func(n *assurance.Nonconformity) any { return &n.Origin }),
		Col("source_entity", func(n *assurance.Nonconformity) any { return &n.SourceEntity }),
		Col("source_id", func(n *assurance.Nonconformity) any { return &n.SourceID }),
		Col("requirement_id", func(n *assurance.Nonconformity) any { return &n.RequirementID }),
		Col("owner_id", func(n *assurance.Nonconformity) any { return &n.OwnerID }),
		Col("raised_on", func(n *assurance.Nonconformity) any { return &n.RaisedOn }),
		Col("state", func(n *assurance.Nonconformity) any { return &n.State }),
		Col("recurrence_of", func(n *assurance.Nonconformity) any { return &n.RecurrenceOf }),
		Col("correction", func(n *assurance.Nonconformity) any { return &n.Correction }),
		Col("corrected_by", func(n *assurance.Nonconformity) any { return &n.CorrectedBy }),
		Col("corrected_on", func(n *assurance.Nonconformity) any { return &n.CorrectedOn }),
		Col("cause_method", func(n *assurance.Nonconformity) any { return &n.CauseMethod }),
		Col("whys", func(n *assurance.Nonconformity) any { return (*jsonList[string])(&n.Whys) }),
		Col("cause_category", func(n *assurance.Nonconformity) any { return &n.CauseCategory }),
		Col("cause_summary", func(n *assurance.Nonconformity) any { return &n.CauseSummary }),
		Col("analysed_on", func(n *assurance.Nonconformity) any { return &n.AnalysedOn }),
		Col("verified_by", func(n *assurance.Nonconformity) any { return &n.VerifiedBy }),
		Col("verified_on", func(n *assurance.Nonconformity) any { return &n.VerifiedOn }),
		Col("verification_result", func(n *assurance.Nonconformity) any { return &n.VerificationResult }),
		Col("verification_note", func(n *assurance.Nonconformity) any { return &n.VerificationNote }),
		Col("evidence", func(n *assurance.Nonconformity) any { return (*jsonList[assurance.Ref])(&n.Evidence) }),
		Col("closed_on", func(n *assurance.Nonconformity) any { return &n.ClosedOn }),
	},
	ForeignKeys: []ForeignKey{
		{Column: "owner_id", Field: "owner_id", Reason: "names no user"},
		{Column: "corrected_by", Field: "corrected_by", Reason: "names no user"},
		{Column: "verified_by", Field: "verified_by", Reason: "names no user"},
	},
})

// NCDeadlinesTable is the deadlines' one row.
var NCDeadlinesTable = NewTable(TableDef[assurance.NCDeadlines]{
	Name: "nc_deadlines", Entity: assurance.NCDeadlinesKind.Entity,
	Columns: []Column[assurance.NCDeadlines]{
		Col("external_major_plan", func(d *assurance.NCDeadlines) any { return &d.ExternalMajorPlan }),
		Col("external_major_close", func(d *assurance.NCDeadlines) any { return &d.ExternalMajorClose }),
		Col("external_minor_plan", func(d *assurance.NCDeadlines) any { return &d.ExternalMinorPlan }),
		Col("external_minor_close", func(d *assurance.NCDeadlines) any { return &d.ExternalMinorClose }),
		Col("internal_major_plan", func(d *assurance.NCDeadlines) any { return &d.InternalMajorPlan }),
		Col("internal_major_close", func(d *assurance.NCDeadlines) any { return &d.InternalMajorClose }),
		Col("internal_minor_plan", func(d *assurance.NCDeadlines) any { return &d.InternalMinorPlan }),
		Col("internal_minor_close", func(d *assurance.NCDeadlines) any { return &d.InternalMinorClose }),
	},
})

// jsonList keeps a list as JSON text; an empty list is "[]".
type jsonList[E any] []E

// Value writes the list as JSON.
func (l jsonList[E]) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]E(l))
	return string(b), err
}

// Scan reads the list from JSON text.
func (l *jsonList[E]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*l = []E{}
		return nil
	default:
		return fmt.Errorf("json list: cannot read %T", src)
	}
	list := []E{}
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("json list: %w", err)
	}
	*l = list
	return nil
}

// GetNonconformity reads one nonconformity.
func (db *DB) GetNonconformity(ctx context.Context, id int64) (assurance.Nonconformity, error) {
	return Nonconformities.Get(ctx, db.reader(), id)
}

// NCOverdue is, for one kind of nonconformity (external or not, and its
// severity), the days before which a plan or a closing due that many
// days after raising has passed: those raised before PlanBefore that are
// not yet analysed, and those raised before CloseBefore not yet closed.
type NCOverdue struct {
	External                bool
	Severity                string
	PlanBefore, CloseBefore string
}

// NonconformityFilter narrows a listing of nonconformities.
type NonconformityFilter struct {
	IDs           []int64
	Query         string // part of the title
	State         string
	Open          bool // not closed
	Severity      string
	Origin        string
	RequirementID int64
	OwnerID       int64
	Recurring     bool
	SourceEntity  string
	SourceID      int64
	// Overdue, when set, keeps those past their next deadline, one line
	// per kind of nonconformity.
	Overdue []NCOverdue
	Cursor  string
	Limit   int
}

func (f NonconformityFilter) where() whereBuilder {
	w := whereBuilder{}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(title) LIKE ?", likePattern(f.Query))
	}
	for _, c := range []struct{ col, v string }{{"state", f.State}, {"severity", f.Severity}, {"origin", f.Origin}, {"source_entity", f.SourceEntity}} {
		if c.v != "" {
			w.add(c.col+" = ?", c.v)
		}
	}
	if f.Open {
		w.add("state <> 'closed'")
	}
	for _, c := range []struct {
		col string
		v   int64
	}{{"requirement_id", f.RequirementID}, {"owner_id", f.OwnerID}, {"source_id", f.SourceID}} {
		if c.v != 0 {
			w.add(c.col+" = ?", c.v)
		}
	}
	if f.Recurring {
		w.add("recurrence_of <> 0")
	}
	if f.Overdue != nil {
		var conds []string
		var args []any
		for _, o := range f.Overdue {
			origin := "origin <> 'external_audit'"
			if o.External {
				origin = "origin = 'external_audit'"
			}
			conds = append(conds, "("+origin+" AND severity = ? AND ((state IN ('open', 'corrected') AND raised_on < ?) OR (state IN ('analysed', 'verified') AND raised_on < ?)))")
			args = append(args, o.Severity, o.PlanBefore, o.CloseBefore)
		}
		if len(conds) == 0 {
			conds = []string{"1 = 0"}
		}
		w.add("("+strings.Join(conds, " OR ")+")", args...)
	}
	return w
}

// ListNonconformities returns a page of nonconformities by id.
func (db *DB) ListNonconformities(ctx context.Context, f NonconformityFilter) ([]assurance.Nonconformity, string, error) {
	w := f.where()
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	return Nonconformities.List(ctx, db.reader(), w, f.Limit)
}

// EarlierNonconformity is the latest nonconformity against a requirement
// raised from since to on (both included), other than except, read in
// the transaction; 0 for none.
func (tx *Tx) EarlierNonconformity(ctx context.Context, requirementID int64, since, on string, except int64) (int64, error) {
	ids, err := Nonconformities.IDsWhere(ctx, tx, "requirement_id = ? AND raised_on >= ? AND raised_on <= ? AND id <> ?", requirementID, since, on, except)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	var best assurance.Nonconformity
	for _, id := range ids {
		n, err := Nonconformities.Get(ctx, tx.conn, id)
		if err != nil {
			return 0, err
		}
		if best.ID == 0 || n.RaisedOn > best.RaisedOn || (n.RaisedOn == best.RaisedOn && n.ID > best.ID) {
			best = n
		}
	}
	return best.ID, nil
}

// ActionsFromSource lists, in the transaction, the actions of a source
// that name record id.
func (tx *Tx) ActionsFromSource(ctx context.Context, source string, id int64) ([]sms.Action, error) {
	w := whereBuilder{}
	w.add("source = ? AND source_id = ?", source, id)
	list, _, err := Actions.List(ctx, tx.conn, w, MaxLimit)
	return list, err
}

// CreateNonconformity adds a nonconformity with its audit entry.
func (tx *Tx) CreateNonconformity(ctx context.Context, actor access.Actor, n *assurance.Nonconformity) error {
	return Nonconformities.Insert(ctx, tx, actor, n)
}

// UpdateNonconformity changes a nonconformity read at version (0: any).
func (tx *Tx) UpdateNonconformity(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.Nonconformity) error) (assurance.Nonconformity, error) {
	_, after, err := Nonconformities.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteNonconformity removes a nonconformity read at version (0: any).
func (tx *Tx) DeleteNonconformity(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.Nonconformity) error) error {
	_, err := Nonconformities.Delete(ctx, tx, actor, id, version, check)
	return err
}

// NCDeadlines reads the deadlines; not-found until they are first written.
func (db *DB) NCDeadlines(ctx context.Context) (assurance.NCDeadlines, error) {
	return firstDeadlines(ctx, db.reader())
}

// NCDeadlines reads the deadlines in the transaction.
func (tx *Tx) NCDeadlines(ctx context.Context) (assurance.NCDeadlines, error) {
	return firstDeadlines(ctx, tx.conn)
}

func firstDeadlines(ctx context.Context, c conn) (assurance.NCDeadlines, error) {
	list, _, err := NCDeadlinesTable.List(ctx, c, whereBuilder{}, 1)
	if err != nil {
		return assurance.NCDeadlines{}, err
	}
	if len(list) == 0 {
		return assurance.NCDeadlines{}, errs.E(errs.NotFound, "the nonconformity deadlines are not set yet")
	}
	return list[0], nil
}

// CreateNCDeadlines writes the deadlines the first time.
func (tx *Tx) CreateNCDeadlines(ctx context.Context, actor access.Actor, d *assurance.NCDeadlines) error {
	return NCDeadlinesTable.Insert(ctx, tx, actor, d)
}

// UpdateNCDeadlines changes the deadlines read at version (0: any).
func (tx *Tx) UpdateNCDeadlines(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.NCDeadlines) error) (assurance.NCDeadlines, error) {
	_, after, err := NCDeadlinesTable.Update(ctx, tx, actor, id, version, change)
	return after, err
}
