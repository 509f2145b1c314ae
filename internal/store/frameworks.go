package store

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
)

// Frameworks is the frameworks table.
var Frameworks = NewTable(TableDef[sms.Framework]{
	Name: "frameworks", Entity: sms.FrameworkKind.Entity,
	Columns: []Column[sms.Framework]{
		Col("code", func(f *sms.Framework) any { return &f.Code }),
		Col("name", func(f *sms.Framework) any { return &f.Name }),
		Col("publisher", func(f *sms.Framework) any { return &f.Publisher }),
		Col("description", func(f *sms.Framework) any { return &f.Description }),
		Col("allows_exclusions", func(f *sms.Framework) any { return &f.AllowsExclusions }),
		Col("exclusions_note", func(f *sms.Framework) any { return &f.ExclusionsNote }),
	},
	Unique: []Unique{{Index: "frameworks_code", Column: "code", Field: "code", Reason: "is already the code of another framework"}},
})

// Requirements is the requirements table: each framework's tree.
var Requirements = NewTable(TableDef[sms.Requirement]{
	Name: "requirements", Entity: sms.RequirementKind.Entity,
	Columns: []Column[sms.Requirement]{
		Col("framework_id", func(r *sms.Requirement) any { return &r.FrameworkID }),
		Col("parent_id", func(r *sms.Requirement) any { return &r.ParentID }),
		Col("code", func(r *sms.Requirement) any { return &r.Code }),
		Col("title", func(r *sms.Requirement) any { return &r.Title }),
		Col("position", func(r *sms.Requirement) any { return &r.Position }),
		Col("plain", func(r *sms.Requirement) any { return &r.Plain }),
		Col("auditor", func(r *sms.Requirement) any { return &r.Auditor }),
		Col("evidence", func(r *sms.Requirement) any { return &r.Evidence }),
		Col("questions", func(r *sms.Requirement) any { return &r.Questions }),
	},
	Unique: []Unique{{Index: "requirements_code", Field: "code", Reason: "is already the code of another requirement of this framework"}},
	ForeignKeys: []ForeignKey{
		{Column: "framework_id", Field: "framework_id", Reason: "names no framework"},
		{Column: "parent_id", Field: "parent_id", Reason: "names no requirement"},
	},
})

// Mappings is the cross-references between requirements of two frameworks.
var Mappings = NewTable(TableDef[sms.Mapping]{
	Name: "requirement_mappings", Entity: sms.MappingKind.Entity,
	Columns: []Column[sms.Mapping]{
		Col("from_id", func(m *sms.Mapping) any { return &m.FromID }),
		Col("to_id", func(m *sms.Mapping) any { return &m.ToID }),
		Col("relation", func(m *sms.Mapping) any { return &m.Relation }),
		Col("note", func(m *sms.Mapping) any { return &m.Note }),
	},
	Unique: []Unique{{Index: "requirement_mappings_pair", Field: "to", Reason: "is already cross-referenced from this requirement"}},
	ForeignKeys: []ForeignKey{
		{Column: "from_id", Field: "from_id", Reason: "names no requirement"},
		{Column: "to_id", Field: "to_id", Reason: "names no requirement"},
	},
})

// GetFramework reads one framework.
func (db *DB) GetFramework(ctx context.Context, id int64) (sms.Framework, error) {
	return Frameworks.Get(ctx, db.reader(), id)
}

// FrameworkByCode reads the framework with a code, in the transaction.
func (tx *Tx) FrameworkByCode(ctx context.Context, code string) (sms.Framework, error) {
	f, err := Frameworks.Scan(tx.queryRow(ctx, "SELECT "+Frameworks.Columns()+" FROM frameworks WHERE code = ?", code))
	if err != nil {
		return f, notFound(err, "framework", code)
	}
	return f, nil
}

// FrameworkByCode reads the framework with a code.
func (db *DB) FrameworkByCode(ctx context.Context, code string) (sms.Framework, error) {
	f, err := Frameworks.Scan(db.reader().queryRow(ctx, "SELECT "+Frameworks.Columns()+" FROM frameworks WHERE code = ?", code))
	if err != nil {
		return f, notFound(err, "framework", code)
	}
	return f, nil
}

// FrameworkFilter narrows a listing of frameworks.
type FrameworkFilter struct {
	IDs    []int64
	Query  string // part of the name or the code
	Cursor string
	Limit  int
}

// ListFrameworks returns a page of frameworks by id.
func (db *DB) ListFrameworks(ctx context.Context, f FrameworkFilter) ([]sms.Framework, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		p := likePattern(f.Query)
		w.add("(lower(name) LIKE ? OR lower(code) LIKE ?)", p, p)
	}
	return Frameworks.List(ctx, db.reader(), w, f.Limit)
}

// RequirementCounts counts each framework's requirements.
func (db *DB) RequirementCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := db.reader().query(ctx, "SELECT framework_id, count(*) FROM requirements GROUP BY framework_id")
	if err != nil {
		return nil, db.fault(err, "count requirements")
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, db.fault(err, "count requirements")
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, db.fault(err, "count requirements")
	}
	return out, nil
}

// GetRequirement reads one requirement.
func (db *DB) GetRequirement(ctx context.Context, id int64) (sms.Requirement, error) {
	return Requirements.Get(ctx, db.reader(), id)
}

// RequirementFilter narrows a listing of requirements.
type RequirementFilter struct {
	IDs         []int64
	FrameworkID int64
	ParentID    int64 // only the requirements directly under this one
	TopLevel    bool  // only the requirements at the top of their framework
	Query       string
	Cursor      string
	Limit       int
}

// ListRequirements returns a page of requirements by id.
func (db *DB) ListRequirements(ctx context.Context, f RequirementFilter) ([]sms.Requirement, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.FrameworkID != 0 {
		w.add("framework_id = ?", f.FrameworkID)
	}
	if f.ParentID != 0 {
		w.add("parent_id = ?", f.ParentID)
	}
	if f.TopLevel {
		w.add("parent_id IS NULL")
	}
	if f.Query != "" {
		p := likePattern(f.Query)
		w.add("(lower(title) LIKE ? OR lower(code) LIKE ?)", p, p)
	}
	return Requirements.List(ctx, db.reader(), w, f.Limit)
}

// RequirementTree reads every requirement of a framework in tree order.
func (db *DB) RequirementTree(ctx context.Context, frameworkID int64) ([]sms.Requirement, error) {
	return requirementTree(ctx, db.reader(), frameworkID)
}

// RequirementTree reads every requirement of a framework in tree order,
// in the transaction.
func (tx *Tx) RequirementTree(ctx context.Context, frameworkID int64) ([]sms.Requirement, error) {
	return requirementTree(ctx, tx.conn, frameworkID)
}

func requirementTree(ctx context.Context, c conn, frameworkID int64) ([]sms.Requirement, error) {
	rows, err := c.query(ctx, "SELECT "+Requirements.Columns()+" FROM requirements WHERE framework_id = ? ORDER BY position, id", frameworkID)
	if err != nil {
		return nil, c.db.fault(err, "read requirements")
	}
	defer rows.Close()
	var out []sms.Requirement
	for rows.Next() {
		r, err := Requirements.Scan(rows)
		if err != nil {
			return nil, c.db.fault(err, "read requirements")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, c.db.fault(err, "read requirements")
	}
	return out, nil
}

// MappingFilter narrows cross-references: those of one requirement (from
// it or to it), or those from one framework's requirements.
type MappingFilter struct {
	RequirementID int64
	FromFramework int64
}

// ListMappings returns the cross-references f asks for, by id.
func (db *DB) ListMappings(ctx context.Context, f MappingFilter) ([]sms.Mapping, error) {
	return listMappings(ctx, db.reader(), f)
}

// ListMappings returns the cross-references f asks for, in the transaction.
func (tx *Tx) ListMappings(ctx context.Context, f MappingFilter) ([]sms.Mapping, error) {
	return listMappings(ctx, tx.conn, f)
}

func listMappings(ctx context.Context, c conn, f MappingFilter) ([]sms.Mapping, error) {
	q := "SELECT " + Mappings.Columns() + " FROM requirement_mappings"
	var args []any
	switch {
	case f.RequirementID != 0:
		q += " WHERE from_id = ? OR to_id = ?"
		args = []any{f.RequirementID, f.RequirementID}
	case f.FromFramework != 0:
		q += " WHERE from_id IN (SELECT id FROM requirements WHERE framework_id = ?)"
		args = []any{f.FromFramework}
	default:
		return nil, fmt.Errorf("list mappings: no filter")
	}
	rows, err := c.query(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, c.db.fault(err, "read cross-references")
	}
	defer rows.Close()
	var out []sms.Mapping
	for rows.Next() {
		m, err := Mappings.Scan(rows)
		if err != nil {
			return nil, c.db.fault(err, "read cross-references")
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, c.db.fault(err, "read cross-references")
	}
	return out, nil
}

// CreateFramework inserts a framework.
func (tx *Tx) CreateFramework(ctx context.Context, actor access.Actor, f *sms.Framework) error {
	return Frameworks.Insert(ctx, tx, actor, f)
}

// UpdateFramework applies change to a framework at version (0: any).
func (tx *Tx) UpdateFramework(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Framework) error) (sms.Framework, error) {
	_, after, err := Frameworks.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// CreateRequirement inserts a requirement.
func (tx *Tx) CreateRequirement(ctx context.Context, actor access.Actor, r *sms.Requirement) error {
	return Requirements.Insert(ctx, tx, actor, r)
}

// UpdateRequirement applies change to a requirement at version (0: any).
func (tx *Tx) UpdateRequirement(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Requirement) error) (sms.Requirement, error) {
	_, after, err := Requirements.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteRequirement removes a requirement at version (0: any).
func (tx *Tx) DeleteRequirement(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := Requirements.Delete(ctx, tx, actor, id, version, nil)
	return err
}

// CreateMapping inserts a cross-reference.
func (tx *Tx) CreateMapping(ctx context.Context, actor access.Actor, m *sms.Mapping) error {
	return Mappings.Insert(ctx, tx, actor, m)
}

// UpdateMapping applies change to a cross-reference at version (0: any).
func (tx *Tx) UpdateMapping(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Mapping) error) (sms.Mapping, error) {
	_, after, err := Mappings.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteMapping removes a cross-reference at version (0: any).
func (tx *Tx) DeleteMapping(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := Mappings.Delete(ctx, tx, actor, id, version, nil)
	return err
}

// GetMapping reads one cross-reference.
func (db *DB) GetMapping(ctx context.Context, id int64) (sms.Mapping, error) {
	return Mappings.Get(ctx, db.reader(), id)
}
