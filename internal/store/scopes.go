package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Scopes is the scope statement's revisions; the services each names
// live in scope_services.
var Scopes = NewTable(TableDef[sms.Scope]{
	Name: "scopes", Entity: sms.ScopeKind.Entity,
	Columns: []Column[sms.Scope]{
		Col("revision", func(s *sms.Scope) any { return &s.Revision }),
		Col("state", func(s *sms.Scope) any { return &s.State }),
		Col("statement", func(s *sms.Scope) any { return &s.Statement }),
		Col("locations", func(s *sms.Scope) any { return &s.Locations }),
		Col("units", func(s *sms.Scope) any { return &s.Units }),
		Col("interfaces", func(s *sms.Scope) any { return &s.Interfaces }),
		Col("exclusions", func(s *sms.Scope) any { return (*exclusions)(&s.Exclusions) }),
		Col("approved_by", func(s *sms.Scope) any { return &s.ApprovedBy }),
		Col("approved_at", func(s *sms.Scope) any { return &s.ApprovedAt }),
	},
	Unique: []Unique{
		{Index: "scopes_revision", Column: "revision", Field: "revision", Reason: "is taken by another revision; reload and try again"},
		{Index: "scopes_one_draft", Column: "state", Field: "state", Reason: "another draft revision exists: change that one, or delete it first"},
	},
	Sets: []IDSet[sms.Scope]{{Table: "scope_services", Owner: "scope_id", Member: "service_id",
		Field: func(s *sms.Scope) *[]int64 { return &s.ServiceIDs },
		Missing: func(id int64) error {
			return errs.Field("service_ids", fmt.Sprintf("names service %d, which does not exist", id))
		}}},
})

// exclusions keeps a revision's exclusions as JSON text.
type exclusions []sms.Exclusion

// Value writes the list as JSON.
func (e exclusions) Value() (driver.Value, error) {
	if e == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]sms.Exclusion(e))
	return string(b), err
}

// Scan reads the list from JSON text.
func (e *exclusions) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*e = []sms.Exclusion{}
		return nil
	default:
		return fmt.Errorf("exclusions: cannot read %T", src)
	}
	list := []sms.Exclusion{}
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("exclusions: %w", err)
	}
	*e = list
	return nil
}

// GetScope reads one revision with its services.
func (db *DB) GetScope(ctx context.Context, id int64) (sms.Scope, error) {
	return Scopes.Get(ctx, db.reader(), id)
}

// ScopeFilter narrows a listing of the scope's revisions.
type ScopeFilter struct {
	IDs       []int64
	Query     string // part of the statement
	State     string
	ServiceID int64
	Cursor    string
	Limit     int
}

// ListScopes returns a page of revisions by id (which is revision order),
// with their services.
func (db *DB) ListScopes(ctx context.Context, f ScopeFilter) ([]sms.Scope, string, error) {
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
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	if f.ServiceID != 0 {
		w.add("id IN (SELECT scope_id FROM scope_services WHERE service_id = ?)", f.ServiceID)
	}
	return Scopes.List(ctx, db.reader(), w, f.Limit)
}

// ScopeInState reads, in the transaction, the revision in a state (the
// draft, or the approved one); ok is false when there is none.
func (tx *Tx) ScopeInState(ctx context.Context, state string) (s sms.Scope, ok bool, err error) {
	ids, err := Scopes.IDsWhere(ctx, tx, "state = ?", state)
	if err != nil || len(ids) == 0 {
		return s, false, err
	}
	s, err = Scopes.Get(ctx, tx.conn, ids[len(ids)-1])
	return s, err == nil, err
}

// NextScopeRevision is the number the next revision takes.
func (tx *Tx) NextScopeRevision(ctx context.Context) (int64, error) {
	var n int64
	if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(revision), 0) + 1 FROM scopes").Scan(&n); err != nil {
		return 0, tx.db.fault(err, "number the scope's revision")
	}
	return n, nil
}

// CreateScope adds a revision with its services and its audit entry.
func (tx *Tx) CreateScope(ctx context.Context, actor access.Actor, s *sms.Scope) error {
	return Scopes.Insert(ctx, tx, actor, s)
}

// UpdateScope changes a revision read at version (0: any).
func (tx *Tx) UpdateScope(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Scope) error) (sms.Scope, error) {
	_, after, err := Scopes.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteScope removes a revision read at version (0: any).
func (tx *Tx) DeleteScope(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Scope) error) error {
	_, err := Scopes.Delete(ctx, tx, actor, id, version, check)
	return err
}
