package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// A Table is the one write path of a kind of record. The kind declares its
// columns once; the Table writes every create, update and delete with the
// same guarantees on both engines and through group commit:
//
//   - an update or delete names the version it read (WHERE version = ?)
//     and refuses to go on unless exactly one row matched, so of two
//     concurrent writers of one version exactly one wins;
//   - every write adds its audit entry, with the before and after states;
//   - a unique or foreign-key violation becomes an error on the field it
//     concerns, the same on SQLite and PostgreSQL.
//
// Business rules stay in the use cases, which pass them in as the change
// to apply or the check to make before a delete. Hand-written SQL stays
// for joins and reports.
type Table[T any] struct {
	def     TableDef[T]
	cols    string // id, the kind's columns, the bookkeeping columns
	tcols   string // the same, each prefixed with "t."
	insert  string
	update  string
	delete  string
	get     string // by id, with the first link set joined
	meta    []string
	nFields int
}

// TableDef declares a table.
type TableDef[T any] struct {
	Name   string // the SQL table
	Entity string // the kind's entity, as in the audit trail
	// Columns are the kind's own columns, besides id and the bookkeeping
	// columns (created_at, created_by, updated_at, updated_by, version),
	// which every table has and the Table keeps.
	Columns []Column[T]
	// Unique maps each unique index to the field it protects.
	Unique []Unique
	// ForeignKeys maps the columns that refer to other records to fields.
	ForeignKeys []ForeignKey
	// Sets are lists of ids kept in link tables (a team's members).
	Sets []IDSet[T]
	// Secret names fields whose values the audit trail redacts.
	Secret []string
	// OrgColumn is the column that holds a record's organisation, for
	// kinds scoped to an organisation ("id" for organisations themselves).
	OrgColumn string
	// Derive, if set, fills in fields computed from the columns read.
	Derive func(*T)
}

// Column is one of a kind's columns and the field of T that holds it.
type Column[T any] struct {
	Name  string
	Field func(*T) any // a pointer to the field: scanned into, written from
}

// Col declares a column.
func Col[T any](name string, field func(*T) any) Column[T] {
	return Column[T]{Name: name, Field: field}
}

// Unique is a unique index and what its violation means.
type Unique struct {
	Index  string // the index's name (PostgreSQL names it in the error)
	Column string // its column, for SQLite's message on a plain column index
	Field  string
	Reason string
}

// ForeignKey is a column that refers to another record.
type ForeignKey struct {
	Column string
	Field  string
	Reason string
}

// IDSet is a list of ids kept in a link table.
type IDSet[T any] struct {
	Table  string // "team_members"
	Owner  string // the column naming the record: "team_id"
	Member string // the column naming each member: "user_id"
	Field  func(*T) *[]int64
	// Missing is the error for a member that does not exist.
	Missing func(id int64) error
}

var metaColumns = []string{"created_at", "created_by", "updated_at", "updated_by", "version"}

// NewTable checks a declaration and builds its statements. It panics on a
// T that does not embed record.Meta, which is a programming error found
// at start.
func NewTable[T any](d TableDef[T]) *Table[T] {
	if _, ok := any(new(T)).(record.Based); !ok {
		panic(fmt.Sprintf("store: table %s: %T does not embed record.Meta", d.Name, *new(T)))
	}
	names := []string{"id"}
	for _, c := range d.Columns {
		names = append(names, c.Name)
	}
	names = append(names, metaColumns...)
	t := &Table[T]{def: d, meta: metaColumns, nFields: len(d.Columns)}
	t.cols = strings.Join(names, ", ")
	prefixed := make([]string, len(names))
	for i, n := range names {
		prefixed[i] = "t." + n
	}
	t.tcols = strings.Join(prefixed, ", ")
	t.insert = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", d.Name, t.cols, strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", "))
	sets := make([]string, 0, len(d.Columns)+3)
	for _, c := range d.Columns {
		sets = append(sets, c.Name+" = ?")
	}
	sets = append(sets, "updated_at = ?", "updated_by = ?", "version = version + 1")
	t.update = fmt.Sprintf("UPDATE %s SET %s WHERE id = ? AND version = ?", d.Name, strings.Join(sets, ", "))
	t.delete = fmt.Sprintf("DELETE FROM %s WHERE id = ? AND version = ?", d.Name)
	if len(d.Sets) > 0 {
		s := d.Sets[0]
		t.get = fmt.Sprintf("SELECT %s, m.%s FROM %s t LEFT JOIN %s m ON m.%s = t.id WHERE t.id = ? ORDER BY m.%s",
			t.tcols, s.Member, d.Name, s.Table, s.Owner, s.Member)
	} else {
		t.get = fmt.Sprintf("SELECT %s FROM %s WHERE id = ?", t.cols, d.Name)
	}
	return t
}

// Entity is the kind's entity name.
func (t *Table[T]) Entity() string { return t.def.Entity }

// Columns is the select list of every column, for hand-written queries.
func (t *Table[T]) Columns() string { return t.cols }

func base[T any](v *T) *record.Meta { return any(v).(record.Based).Base() }

// dest lists where a row's columns are scanned into.
func (t *Table[T]) dest(v *T, extra ...any) []any {
	m := base(v)
	out := make([]any, 0, t.nFields+7)
	out = append(out, &m.ID)
	for _, c := range t.def.Columns {
		out = append(out, c.Field(v))
	}
	out = append(out, &m.CreatedAt, &m.CreatedBy, &m.UpdatedAt, &m.UpdatedBy, &m.Version)
	return append(out, extra...)
}

// scanned puts what was read in the form the rest of the code expects:
// times in UTC, sets empty rather than nil.
func (t *Table[T]) scanned(v *T) {
	m := base(v)
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	for _, c := range t.def.Columns {
		switch p := c.Field(v).(type) {
		case *time.Time:
			*p = p.UTC()
		case **time.Time:
			if *p != nil {
				u := (*p).UTC()
				*p = &u
			}
		}
	}
	for _, s := range t.def.Sets {
		if p := s.Field(v); *p == nil {
			*p = []int64{}
		}
	}
	if t.def.Derive != nil {
		t.def.Derive(v)
	}
}

// Scan reads one row selected with Columns.
func (t *Table[T]) Scan(sc interface{ Scan(...any) error }) (T, error) {
	var v T
	err := sc.Scan(t.dest(&v)...)
	t.scanned(&v)
	return v, err
}

// values lists the values of v's own columns, as the drivers take them.
func (t *Table[T]) values(v *T) []any {
	out := make([]any, len(t.def.Columns))
	for i, c := range t.def.Columns {
		out[i] = sqlValue(c.Field(v))
	}
	return out
}

// sqlValue is the value a field pointer holds, in a type both drivers
// take: named string and integer types as their base type, times in UTC,
// nil pointers as NULL.
func sqlValue(p any) any {
	switch v := p.(type) {
	case *string:
		return *v
	case *int64:
		return *v
	case *bool:
		return *v
	case *time.Time:
		return v.UTC()
	case **time.Time:
		if *v == nil {
			return nil
		}
		return (*v).UTC()
	case driver.Valuer:
		// A field that says how it is stored (a list kept as JSON text).
		if dv, err := v.Value(); err == nil {
			return dv
		}
	}
	// A field of a type of its own that says how it is stored (JSON, say)
	// is stored so; its stored form compares for "unchanged".
	if vr, ok := p.(driver.Valuer); ok {
		if v, err := vr.Value(); err == nil {
			return v
		}
	}
	rv := reflect.ValueOf(p).Elem()
	switch rv.Kind() {
	case reflect.String:
		return rv.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return sqlValue(rv.Interface())
	}
	return rv.Interface()
}

// Get reads one record, with its sets.
func (t *Table[T]) Get(ctx context.Context, c conn, id int64) (T, error) {
	var v T
	if len(t.def.Sets) == 0 {
		err := c.queryRow(ctx, t.get, id).Scan(t.dest(&v)...)
		t.scanned(&v)
		if err != nil {
			return v, notFound(err, t.def.Entity, id)
		}
		return v, nil
	}
	// The first set comes joined, in one round trip: a row per member,
	// or one with a NULL member.
	rows, err := c.query(ctx, t.get, id)
	if err != nil {
		return v, c.db.fault(err, "read "+t.def.Entity)
	}
	defer rows.Close()
	found := false
	var members []int64
	// Every row repeats the record; it is scanned into the same place.
	var member sql.NullInt64
	dest := t.dest(&v, &member)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return v, c.db.fault(err, "read "+t.def.Entity)
		}
		found = true
		if member.Valid {
			members = append(members, member.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return v, c.db.fault(err, "read "+t.def.Entity)
	}
	if !found {
		return v, notFound(sql.ErrNoRows, t.def.Entity, id)
	}
	*t.def.Sets[0].Field(&v) = members
	t.scanned(&v)
	if len(t.def.Sets) > 1 {
		list := []T{v}
		if err := t.loadSets(ctx, c, list, t.def.Sets[1:]); err != nil {
			return v, err
		}
		v = list[0]
	}
	return v, nil
}

// List reads a page of records in id order after w's conditions, with
// their sets, and returns the cursor of the next page.
func (t *Table[T]) List(ctx context.Context, c conn, w whereBuilder, limit int) ([]T, string, error) {
	limit = clampLimit(limit)
	rows, err := c.query(ctx, "SELECT "+t.cols+" FROM "+t.def.Name+w.sql()+fmt.Sprintf(" ORDER BY id LIMIT %d", limit+1), w.args...)
	if err != nil {
		return nil, "", c.db.fault(err, "list "+t.def.Name)
	}
	out, next, err := collectPage(rows, limit, t.Scan, func(v T) int64 { return base(&v).ID })
	if err != nil {
		return nil, "", err
	}
	return out, next, t.loadSets(ctx, c, out, t.def.Sets)
}

// IDsWhere lists, in the transaction, the ids of the records that meet
// cond (a condition on the table's columns, with ? placeholders).
func (t *Table[T]) IDsWhere(ctx context.Context, tx *Tx, cond string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, "SELECT id FROM "+t.def.Name+" WHERE "+cond+" ORDER BY id", args...)
	if err != nil {
		return nil, tx.db.fault(err, "list "+t.def.Name)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, tx.db.fault(err, "list "+t.def.Name)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, tx.db.fault(err, "list "+t.def.Name)
	}
	return ids, nil
}

// Scope narrows w to the records of one organisation.
func (t *Table[T]) Scope(w *whereBuilder, orgID int64) {
	if t.def.OrgColumn == "" {
		panic("store: table " + t.def.Name + " has no organisation column")
	}
	w.add(t.def.OrgColumn+" = ?", orgID)
}

func (t *Table[T]) loadSets(ctx context.Context, c conn, list []T, sets []IDSet[T]) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(list))
	ph := make([]string, len(list))
	args := make([]any, len(list))
	for i := range list {
		id := base(&list[i]).ID
		idx[id], ph[i], args[i] = i, "?", id
	}
	for _, s := range sets {
		for i := range list {
			*s.Field(&list[i]) = []int64{}
		}
		rows, err := c.query(ctx, fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s IN (%s) ORDER BY %s, %s",
			s.Owner, s.Member, s.Table, s.Owner, strings.Join(ph, ","), s.Owner, s.Member), args...)
		if err != nil {
			return c.db.fault(err, "read "+s.Table)
		}
		for rows.Next() {
			var owner, member int64
			if err := rows.Scan(&owner, &member); err != nil {
				rows.Close()
				return c.db.fault(err, "read "+s.Table)
			}
			p := s.Field(&list[idx[owner]])
			*p = append(*p, member)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c.db.fault(err, "read "+s.Table)
		}
	}
	return nil
}

// Insert adds a record made by actor, with its sets and its audit entry,
// and fills in its id and bookkeeping. On PostgreSQL the INSERT is held
// back (pgtx.go): a failure shows at the latest when the unit next runs a
// statement (or calls Tx.Sync) and always fails the unit.
func (t *Table[T]) Insert(ctx context.Context, tx *Tx, actor access.Actor, v *T) error {
	if err := tx.failure(); err != nil {
		return err
	}
	m := base(v)
	*m = record.Meta{CreatedAt: tx.now, CreatedBy: actor.UserID, UpdatedAt: tx.now, UpdatedBy: actor.UserID, Version: 1}
	args := append(t.values(v), m.CreatedAt, m.CreatedBy, m.UpdatedAt, m.UpdatedBy, m.Version)
	id, err := tx.insert(ctx, t.def.Name, t.mapErr, t.insert, args...)
	if err != nil {
		return err
	}
	m.ID = id
	for _, s := range t.def.Sets {
		p := s.Field(v)
		*p = normalizeSet(*p)
		if err := t.writeSet(ctx, tx, s, id, nil, *p); err != nil {
			return err
		}
	}
	return tx.Record(actor, t.def.Entity, id, audit.Create, nil, *v, t.def.Secret...)
}

// Update reads the record, refuses if it is no longer at version want (0:
// any), applies change (where the use case's rules run) and writes the
// result if it still is at the version read, with its audit entry. extra
// changes (a password, whose value is not a field) join the entry.
func (t *Table[T]) Update(ctx context.Context, tx *Tx, actor access.Actor, id, want int64, change func(*T) error, extra ...audit.Change) (before, after T, err error) {
	if err := tx.failure(); err != nil {
		return before, after, err
	}
	before, err = t.GetAt(ctx, tx, id, want)
	if err != nil {
		return before, after, err
	}
	after = t.clone(before)
	if err := change(&after); err != nil {
		return before, after, err
	}
	for _, s := range t.def.Sets {
		p := s.Field(&after)
		*p = normalizeSet(*p)
	}
	if len(extra) == 0 && t.unchanged(&before, &after) {
		// Nothing to write: no new version, no audit entry.
		return before, before, nil
	}
	m := base(&after)
	*m = *base(&before)
	m.UpdatedAt, m.UpdatedBy, m.Version = tx.now, actor.UserID, m.Version+1
	args := append(t.values(&after), m.UpdatedAt, m.UpdatedBy, id, base(&before).Version)
	res, err := tx.exec(ctx, t.update, args...)
	if err != nil {
		return before, after, tx.mapped(queued{what: "update " + t.def.Entity, failed: t.mapErr}.mapErr(tx.db, err))
	}
	if err := oneRow(res, t.def.Entity, id); err != nil {
		return before, after, err
	}
	for _, s := range t.def.Sets {
		if err := t.writeSet(ctx, tx, s, id, *s.Field(&before), *s.Field(&after)); err != nil {
			return before, after, err
		}
	}
	changes, err := audit.Diff(before, after)
	if err != nil {
		return before, after, err
	}
	return before, after, tx.RecordChanges(actor, t.def.Entity, id, audit.Update, append(changes, extra...), t.def.Secret...)
}

// Delete reads the record, refuses if it is no longer at version want (0:
// any) or check refuses it, and deletes it if it still is at the version
// read, with its audit entry. Of two concurrent deletes, one wins; the
// other is told the record changed.
func (t *Table[T]) Delete(ctx context.Context, tx *Tx, actor access.Actor, id, want int64, check func(T) error) (T, error) {
	if err := tx.failure(); err != nil {
		return *new(T), err
	}
	before, err := t.GetAt(ctx, tx, id, want)
	if err != nil {
		return before, err
	}
	if check != nil {
		if err := check(before); err != nil {
			return before, err
		}
	}
	res, err := tx.exec(ctx, t.delete, id, base(&before).Version)
	if err != nil {
		inUse := func(err error) error {
			if isForeignKey(err) {
				return errs.E(errs.Conflict, "%s %d is still in use by other records", t.def.Entity, id)
			}
			return nil
		}
		return before, tx.mapped(queued{what: "delete " + t.def.Entity, failed: inUse}.mapErr(tx.db, err))
	}
	if err := oneRow(res, t.def.Entity, id); err != nil {
		return before, err
	}
	return before, tx.Record(actor, t.def.Entity, id, audit.Delete, before, nil, t.def.Secret...)
}

// unchanged reports whether after would write what before holds: every
// column and every set the same.
func (t *Table[T]) unchanged(before, after *T) bool {
	if !slices.EqualFunc(t.values(before), t.values(after), func(a, b any) bool {
		if ta, ok := a.(time.Time); ok {
			tb, ok := b.(time.Time)
			return ok && ta.Equal(tb)
		}
		return a == b
	}) {
		return false
	}
	for _, s := range t.def.Sets {
		if !slices.Equal(normalizeSet(*s.Field(before)), *s.Field(after)) {
			return false
		}
	}
	return true
}

// GetAt reads a record in the transaction and refuses it, saying who
// changed it and when, unless it is at version want (0: any).
func (t *Table[T]) GetAt(ctx context.Context, tx *Tx, id, want int64) (T, error) {
	rec, err := t.Get(ctx, tx.conn, id)
	if err != nil {
		return rec, err
	}
	if want != 0 && want != base(&rec).Version {
		return rec, t.stale(ctx, tx, rec)
	}
	return rec, nil
}

// stale is the refusal of a write based on an older read of rec: who
// changed it since, and when, in words people read.
func (t *Table[T]) stale(ctx context.Context, tx *Tx, rec T) error {
	m := base(&rec)
	who := "someone"
	if m.UpdatedBy == 0 {
		who = "the system"
	} else {
		var name string
		if err := tx.queryRow(ctx, "SELECT name FROM users WHERE id = ?", m.UpdatedBy).Scan(&name); err == nil {
			who = name
		}
	}
	return errs.E(errs.Stale, "This %s was changed by %s at %s UTC since you opened it; reload it to see the current version, then make your change again",
		strings.ReplaceAll(t.def.Entity, "_", " "), who, m.UpdatedAt.UTC().Format("2006-01-02 15:04"))
}

// clone copies a record deeply enough that a change to the copy's sets
// does not reach the original.
func (t *Table[T]) clone(v T) T {
	for _, s := range t.def.Sets {
		p := s.Field(&v)
		*p = slices.Clone(*p)
	}
	return v
}

func normalizeSet(ids []int64) []int64 {
	out := slices.Clone(ids)
	if out == nil {
		out = []int64{}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// writeSet moves a set from old to ids (both sorted).
func (t *Table[T]) writeSet(ctx context.Context, tx *Tx, s IDSet[T], owner int64, old, ids []int64) error {
	del := fmt.Sprintf("DELETE FROM %s WHERE %s = ? AND %s = ?", s.Table, s.Owner, s.Member)
	ins := fmt.Sprintf("INSERT INTO %s (%s, %s) VALUES (?, ?)", s.Table, s.Owner, s.Member)
	for _, id := range old {
		if _, found := slices.BinarySearch(ids, id); !found {
			if err := tx.write(ctx, "remove from "+s.Table, nil, del, owner, id); err != nil {
				return err
			}
		}
	}
	for _, id := range ids {
		if _, found := slices.BinarySearch(old, id); found {
			continue
		}
		failed := func(err error) error {
			if isForeignKey(err) && s.Missing != nil {
				return s.Missing(id)
			}
			return nil
		}
		if err := tx.write(ctx, "add to "+s.Table, failed, ins, owner, id); err != nil {
			return err
		}
	}
	return nil
}

// mapErr turns a violated constraint into the error on its field, or nil
// for an error the declaration does not explain.
func (t *Table[T]) mapErr(err error) error {
	switch {
	case isUnique(err):
		index, column := violated(err)
		for _, u := range t.def.Unique {
			if (index != "" && u.Index == index) || (column != "" && u.Column == column) {
				return errs.Field(u.Field, u.Reason)
			}
		}
		if len(t.def.Unique) == 1 {
			u := t.def.Unique[0]
			return errs.Field(u.Field, u.Reason)
		}
	case isForeignKey(err):
		index, _ := violated(err)
		for _, fk := range t.def.ForeignKeys {
			if index != "" && strings.Contains(index, "_"+fk.Column+"_") {
				return errs.Field(fk.Field, fk.Reason)
			}
		}
		// SQLite does not say which key: the first declared stands for all.
		if len(t.def.ForeignKeys) > 0 {
			fk := t.def.ForeignKeys[0]
			return errs.Field(fk.Field, fk.Reason)
		}
	}
	return nil
}

// violated names the constraint an error violates: PostgreSQL's
// constraint name, or from SQLite's message the index ("index 'x'") or
// the column ("table.column").
func violated(err error) (index, column string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName, ""
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		msg := se.Error()
		if i := strings.Index(msg, "index '"); i >= 0 {
			rest := msg[i+len("index '"):]
			if j := strings.IndexByte(rest, '\''); j >= 0 {
				return rest[:j], ""
			}
		}
		if i := strings.Index(msg, "failed: "); i >= 0 {
			col := strings.TrimSpace(msg[i+len("failed: "):])
			col, _, _ = strings.Cut(col, ",")
			if _, c, ok := strings.Cut(col, "."); ok {
				c, _, _ = strings.Cut(c, " ")
				return "", c
			}
		}
	}
	return "", ""
}
