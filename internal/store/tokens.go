package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
)

// Tokens is the api_tokens table. A token keeps the keyed hash of its
// secret, never the secret itself.
var Tokens = NewTable(TableDef[account.Token]{
	Name: "api_tokens", Entity: account.TokenKind.Entity,
	Columns: []Column[account.Token]{
		Col("user_id", func(t *account.Token) any { return &t.UserID }),
		Col("name", func(t *account.Token) any { return &t.Name }),
		Col("prefix", func(t *account.Token) any { return &t.Prefix }),
		Col("hash", func(t *account.Token) any { return &t.Hash }),
		Col("expires_at", func(t *account.Token) any { return &t.ExpiresAt }),
		Col("last_used_at", func(t *account.Token) any { return &t.LastUsedAt }),
		Col("revoked_at", func(t *account.Token) any { return &t.RevokedAt }),
		Col("parent_id", func(t *account.Token) any { return &t.ParentID }),
	},
	ForeignKeys: []ForeignKey{{Column: "user_id", Field: "user_id", Reason: "names no user"}},
})

func nullTime(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// GetToken reads one token (never its secret).
func (db *DB) GetToken(ctx context.Context, id int64) (account.Token, error) {
	return Tokens.Get(ctx, db.reader(), id)
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
	return Tokens.List(ctx, db.reader(), w, f.Limit)
}

// CreateToken stores a token's keyed hash; the secret itself is never stored.
func (tx *Tx) CreateToken(ctx context.Context, actor access.Actor, in account.TokenInput, prefix, hash string) (account.Token, error) {
	t := account.Token{UserID: in.UserID, Name: in.Name, Prefix: prefix, Hash: hash, ExpiresAt: in.ExpiresAt, ParentID: in.ParentID}
	return t, Tokens.Insert(ctx, tx, actor, &t)
}

// RevokeToken marks a token read at version (0: any) revoked, once check,
// the use case's rules, allows it; it stops working at once.
func (tx *Tx) RevokeToken(ctx context.Context, actor access.Actor, id, version int64, check func(account.Token) error) (account.Token, error) {
	_, after, err := Tokens.Update(ctx, tx, actor, id, version, func(t *account.Token) error {
		if err := check(*t); err != nil {
			return err
		}
		now := tx.now
		t.RevokedAt = &now
		return nil
	})
	return after, err
}

// DeleteToken removes a token read at version (0: any), with its audit
// entry; a deleted user's tokens go this way.
func (tx *Tx) DeleteToken(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := Tokens.Delete(ctx, tx, actor, id, version, nil)
	return err
}

// TokenOwner is a token found by its hash together with its user and the
// name of the person who made it.
type TokenOwner struct {
	Token     account.Token
	User      account.User
	MakerName string
}

// TokenByHash finds a token, its user and its maker.
func (db *DB) TokenByHash(ctx context.Context, hash string) (TokenOwner, error) {
	var to TokenOwner
	var exp, used, rev sql.NullTime
	var role string
	var maker sql.NullString
	err := db.reader().queryRow(ctx, `SELECT t.id, t.user_id, t.name, t.prefix, t.created_at, t.created_by, t.expires_at, t.last_used_at, t.revoked_at, t.version,
			u.email, u.name, u.role, u.org_id, u.active, m.name
		FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN users m ON m.id = t.created_by WHERE t.hash = ?`, hash).Scan(
		&to.Token.ID, &to.Token.UserID, &to.Token.Name, &to.Token.Prefix, &to.Token.CreatedAt, &to.Token.CreatedBy, &exp, &used, &rev, &to.Token.Version,
		&to.User.Email, &to.User.Name, &role, &to.User.OrgID, &to.User.Active, &maker)
	if err != nil {
		return to, notFound(err, "token", to.Token.Prefix)
	}
	to.Token.ExpiresAt, to.Token.LastUsedAt, to.Token.RevokedAt = nullTime(exp), nullTime(used), nullTime(rev)
	to.User.ID, to.User.Role, to.MakerName = to.Token.UserID, access.Role(role), maker.String
	return to, nil
}

// TokensMadeBy lists, in the transaction, the tokens made through a token
// that are not revoked.
func (tx *Tx) TokensMadeBy(ctx context.Context, parentID int64) ([]int64, error) {
	return Tokens.IDsWhere(ctx, tx, "parent_id = ? AND revoked_at IS NULL", parentID)
}

// TouchToken records when a token was last used. It is bookkeeping, not a
// change of the record, so it is neither audited nor versioned.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.writer().exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", at.UTC(), id)
	if err != nil {
		return db.fault(err, "touch token")
	}
	return nil
}
