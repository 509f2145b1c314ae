package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
)

const tokenColumns = "id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at, version"

func scanToken(sc interface{ Scan(...any) error }) (account.Token, error) {
	var t account.Token
	var exp, used, rev sql.NullTime
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &exp, &used, &rev, &t.Version)
	t.CreatedAt = t.CreatedAt.UTC()
	t.ExpiresAt, t.LastUsedAt, t.RevokedAt = nullTime(exp), nullTime(used), nullTime(rev)
	return t, err
}

func nullTime(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

func (c conn) getToken(ctx context.Context, id int64) (account.Token, error) {
	t, err := scanToken(c.queryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = ?", id))
	if err != nil {
		return t, notFound(err, "token", id)
	}
	return t, nil
}

// GetToken reads one token (never its secret).
func (db *DB) GetToken(ctx context.Context, id int64) (account.Token, error) {
	return db.reader().getToken(ctx, id)
}

// TokenFilter narrows a listing of tokens.
type TokenFilter struct {
	UserID         int64
	IncludeRevoked bool
	Cursor         string
	Limit          int
}

// ListTokens returns a page of tokens by id.
func (db *DB) ListTokens(ctx context.Context, f TokenFilter) ([]account.Token, string, error) {
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
	limit := clampLimit(f.Limit)
	rows, err := db.reader().query(ctx, "SELECT "+tokenColumns+" FROM api_tokens"+w.sql()+fmt.Sprintf(" ORDER BY id LIMIT %d", limit+1), w.args...)
	if err != nil {
		return nil, "", db.fault(err, "list tokens")
	}
	return collectPage(rows, limit, scanToken, func(t account.Token) int64 { return t.ID })
}

// CreateToken stores a token's keyed hash; the secret itself is never stored.
func (tx *Tx) CreateToken(ctx context.Context, actor access.Actor, in account.TokenInput, prefix, hash string) (account.Token, error) {
	t := account.Token{UserID: in.UserID, Name: in.Name, Prefix: prefix, CreatedAt: tx.now, ExpiresAt: in.ExpiresAt, Version: 1}
	var exp any
	if in.ExpiresAt != nil {
		exp = in.ExpiresAt.UTC()
	}
	failed := func(err error) error {
		if isForeignKey(err) {
			return errs.Field("user_id", "names no user")
		}
		return nil
	}
	var err error
	t.ID, err = tx.insert(ctx, "api_tokens", failed, `INSERT INTO api_tokens (id, user_id, name, prefix, hash, created_at, expires_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)`, t.UserID, t.Name, prefix, hash, t.CreatedAt, exp)
	if err != nil {
		return t, err
	}
	return t, tx.Record(actor, "token", t.ID, audit.Create, nil, t)
}

// RevokeToken marks a token revoked; it stops working at once.
func (tx *Tx) RevokeToken(ctx context.Context, actor access.Actor, id int64) (account.Token, error) {
	before, err := tx.getToken(ctx, id)
	if err != nil {
		return before, err
	}
	if before.RevokedAt != nil {
		return before, errs.E(errs.Conflict, "token %d is already revoked", id)
	}
	after := before
	now := tx.now
	after.RevokedAt = &now
	after.Version++
	if _, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ?, version = version + 1 WHERE id = ?", now, id); err != nil {
		return before, tx.db.fault(err, "revoke token")
	}
	return after, tx.Record(actor, "token", id, audit.Update, before, after)
}

// TokenOwner is a token found by its hash together with its user.
type TokenOwner struct {
	Token account.Token
	User  account.User
}

// TokenByHash finds an unrevoked token and its user.
func (db *DB) TokenByHash(ctx context.Context, hash string) (TokenOwner, error) {
	var to TokenOwner
	var exp, used, rev sql.NullTime
	var role string
	err := db.reader().queryRow(ctx, `SELECT t.id, t.user_id, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, t.version,
			u.email, u.name, u.role, u.org_id, u.active
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`, hash).Scan(
		&to.Token.ID, &to.Token.UserID, &to.Token.Name, &to.Token.Prefix, &to.Token.CreatedAt, &exp, &used, &rev, &to.Token.Version,
		&to.User.Email, &to.User.Name, &role, &to.User.OrgID, &to.User.Active)
	if err != nil {
		return to, notFound(err, "token", to.Token.Prefix)
	}
	to.Token.ExpiresAt, to.Token.LastUsedAt, to.Token.RevokedAt = nullTime(exp), nullTime(used), nullTime(rev)
	to.User.ID, to.User.Role = to.Token.UserID, access.Role(role)
	return to, nil
}

// TouchToken records when a token was last used. It is bookkeeping, not a
// change of the record, so it is not audited.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.writer().exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", at.UTC(), id)
	if err != nil {
		return db.fault(err, "touch token")
	}
	return nil
}
