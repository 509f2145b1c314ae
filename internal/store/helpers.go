package store

import (
	"database/sql"
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
)

// oneRow turns an update that matched nothing (a concurrent writer moved
// the version on) into a Stale error.
func oneRow(res sql.Result, what string, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return errs.E(errs.Stale, "This %s was changed or deleted by someone else just now; reload it to see the current version, then make your change again", what)
	}
	return nil
}

type whereBuilder struct {
	parts []string
	args  []any
}

func (w *whereBuilder) add(cond string, args ...any) {
	w.parts = append(w.parts, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN (ids)"; no ids match nothing.
func (w *whereBuilder) in(col string, ids []int64) {
	if len(ids) == 0 {
		w.add("1 = 0")
		return
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	w.add(col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+")", args...)
}

func (w *whereBuilder) cursorAfter(col, cursor string) error {
	if cursor == "" {
		return nil
	}
	k, err := decodeCursor(cursor)
	if err != nil {
		return err
	}
	w.add(col+" > ?", k)
	return nil
}

func (w *whereBuilder) sql() string {
	if len(w.parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.parts, " AND ")
}

// likePattern matches a case-insensitive substring; the wildcards % and _
// are dropped from the search rather than escaped, which both engines accept.
func likePattern(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("%", "", "_", "").Replace(s)
	return "%" + s + "%"
}

// collectPage scans up to limit rows and returns the cursor of the next page.
func collectPage[T any](rows *sql.Rows, limit int, scan func(interface{ Scan(...any) error }) (T, error), key func(T) int64) ([]T, string, error) {
	defer rows.Close()
	out := make([]T, 0, min(limit, 64))
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, "", errs.Wrap(errs.Internal, err, "read row")
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, "", errs.Wrap(errs.Internal, err, "read rows")
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = encodeCursor(key(out[len(out)-1]))
	}
	return out, next, nil
}
