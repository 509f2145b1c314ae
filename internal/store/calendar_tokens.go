package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
)

// CalendarTokens is the table of the calendar feeds' secrets: only each
// secret's hash, which the audit trail does not show either.
var CalendarTokens = NewTable(TableDef[assurance.CalendarToken]{
	Name: "calendar_tokens", Entity: assurance.CalendarTokenKind.Entity,
	Columns: []Column[assurance.CalendarToken]{
		Col("user_id", func(t *assurance.CalendarToken) any { return &t.UserID }),
		Col("hash", func(t *assurance.CalendarToken) any { return &t.Hash }),
		Col("prefix", func(t *assurance.CalendarToken) any { return &t.Prefix }),
		Col("last_used_at", func(t *assurance.CalendarToken) any { return &t.LastUsedAt }),
		Col("uses", func(t *assurance.CalendarToken) any { return &t.Uses }),
		Col("revoked_at", func(t *assurance.CalendarToken) any { return &t.RevokedAt }),
	},
	Secret: []string{"hash"},
})

// GetCalendarToken reads one calendar token.
func (db *DB) GetCalendarToken(ctx context.Context, id int64) (assurance.CalendarToken, error) {
	return CalendarTokens.Get(ctx, db.reader(), id)
}

// CalendarTokenFilter narrows a listing of calendar tokens.
type CalendarTokenFilter struct {
	UserID         int64
	IncludeRevoked bool
	Cursor         string
	Limit          int
}

// ListCalendarTokens returns a page of calendar tokens by id.
func (db *DB) ListCalendarTokens(ctx context.Context, f CalendarTokenFilter) ([]assurance.CalendarToken, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if !f.IncludeRevoked {
		w.add("revoked_at IS NULL")
	}
	return CalendarTokens.List(ctx, db.reader(), w, f.Limit)
}

// CalendarTokenByHash finds the token in force whose secret has hash;
// not found for any other.
func (db *DB) CalendarTokenByHash(ctx context.Context, hash string) (assurance.CalendarToken, error) {
	row := db.reader().queryRow(ctx, "SELECT "+CalendarTokens.Columns()+" FROM calendar_tokens WHERE hash = ? AND revoked_at IS NULL", hash)
	t, err := CalendarTokens.Scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return t, errs.E(errs.NotFound, "no such calendar")
	}
	if err != nil {
		return t, db.fault(err, "read calendar token")
	}
	return t, nil
}

// ActiveCalendarTokens lists, in the transaction, a user's tokens in force.
func (tx *Tx) ActiveCalendarTokens(ctx context.Context, userID int64) ([]int64, error) {
	return CalendarTokens.IDsWhere(ctx, tx, "user_id = ? AND revoked_at IS NULL", userID)
}

// CreateCalendarToken adds a calendar token with its audit entry.
func (tx *Tx) CreateCalendarToken(ctx context.Context, actor access.Actor, t *assurance.CalendarToken) error {
	return CalendarTokens.Insert(ctx, tx, actor, t)
}

// UpdateCalendarToken changes a calendar token read at version (0: any).
func (tx *Tx) UpdateCalendarToken(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.CalendarToken) error) (assurance.CalendarToken, error) {
	_, after, err := CalendarTokens.Update(ctx, tx, actor, id, version, change)
	return after, err
}
