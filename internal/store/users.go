package store

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
)

const userColumns = "id, email, name, role, org_id, active, password_hash, created_at, created_by, updated_at, updated_by, version"

func scanUser(sc interface{ Scan(...any) error }) (account.User, error) {
	var u account.User
	var role string
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &role, &u.OrgID, &u.Active, &u.PasswordHash, &u.CreatedAt, &u.CreatedBy, &u.UpdatedAt, &u.UpdatedBy, &u.Version)
	u.Role = access.Role(role)
	u.PasswordSet = u.PasswordHash != ""
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

func (c conn) getUser(ctx context.Context, id int64) (account.User, error) {
	u, err := scanUser(c.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if err != nil {
		return u, notFound(err, "user", id)
	}
	return u, nil
}

// GetUser reads one user.
func (db *DB) GetUser(ctx context.Context, id int64) (account.User, error) {
	return db.reader().getUser(ctx, id)
}

// GetUser reads one user inside the transaction.
func (tx *Tx) GetUser(ctx context.Context, id int64) (account.User, error) {
	return tx.getUser(ctx, id)
}

// UserByEmail finds a user by (normalised) email address.
func (db *DB) UserByEmail(ctx context.Context, email string) (account.User, error) {
	u, err := scanUser(db.reader().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", email))
	if err != nil {
		return u, notFound(err, "user", email)
	}
	return u, nil
}

// UserFilter narrows a listing of users.
type UserFilter struct {
	OrgID  int64
	Role   access.Role
	Active *bool
	TeamID int64
	Query  string // substring of name or email
	Cursor string
	Limit  int
}

// ListUsers returns a page of users by id.
func (db *DB) ListUsers(ctx context.Context, f UserFilter) ([]account.User, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.OrgID != 0 {
		w.add("org_id = ?", f.OrgID)
	}
	if f.Role != "" {
		w.add("role = ?", string(f.Role))
	}
	if f.Active != nil {
		w.add("active = ?", *f.Active)
	}
	if f.TeamID != 0 {
		w.add("id IN (SELECT user_id FROM team_members WHERE team_id = ?)", f.TeamID)
	}
	if f.Query != "" {
		p := likePattern(f.Query)
		w.add("(lower(name) LIKE ? OR email LIKE ?)", p, p)
	}
	limit := clampLimit(f.Limit)
	rows, err := db.reader().query(ctx, "SELECT "+userColumns+" FROM users"+w.sql()+fmt.Sprintf(" ORDER BY id LIMIT %d", limit+1), w.args...)
	if err != nil {
		return nil, "", db.fault(err, "list users")
	}
	return collectPage(rows, limit, scanUser, func(u account.User) int64 { return u.ID })
}

// CountUsers counts all users.
func (db *DB) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := db.reader().queryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, db.fault(err, "count users")
	}
	return n, nil
}

// CreateUser inserts a user; passwordHash may be empty.
func (tx *Tx) CreateUser(ctx context.Context, actor access.Actor, in account.UserInput, passwordHash string) (account.User, error) {
	u := account.User{Email: in.Email, Name: in.Name, Role: in.Role, OrgID: in.OrgID, Active: true,
		PasswordHash: passwordHash, PasswordSet: passwordHash != ""}
	u.Meta = tx.newMeta(actor)
	failed := func(err error) error {
		switch {
		case isUnique(err):
			return errs.Field("email", "is already used by another user")
		case isForeignKey(err):
			return errs.Field("organisation_id", "names no organisation")
		}
		return nil
	}
	var err error
	u.ID, err = tx.insert(ctx, "users", failed, `INSERT INTO users (id, email, name, role, org_id, active, password_hash, created_at, created_by, updated_at, updated_by, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		u.Email, u.Name, string(u.Role), u.OrgID, u.Active, u.PasswordHash, u.CreatedAt, u.CreatedBy, u.UpdatedAt, u.UpdatedBy)
	if err != nil {
		return u, err
	}
	return u, tx.Record(actor, "user", u.ID, audit.Create, nil, u)
}

// UpdateUser applies an update if the user is still at version (0 skips
// the check).
func (tx *Tx) UpdateUser(ctx context.Context, actor access.Actor, id, version int64, up account.UserUpdate) (account.User, error) {
	before, err := tx.getUser(ctx, id)
	if err != nil {
		return before, err
	}
	if err := checkVersion("user", id, version, before.Version); err != nil {
		return before, err
	}
	after := up.Apply(before)
	tx.touch(&after.Meta, actor)
	res, err := tx.exec(ctx, `UPDATE users SET email = ?, name = ?, role = ?, org_id = ?, active = ?, updated_at = ?, updated_by = ?, version = version + 1
		WHERE id = ? AND version = ?`, after.Email, after.Name, string(after.Role), after.OrgID, after.Active, after.UpdatedAt, after.UpdatedBy, id, before.Version)
	if err != nil {
		switch {
		case isUnique(err):
			return before, errs.Field("email", "is already used by another user")
		case isForeignKey(err):
			return before, errs.Field("organisation_id", "names no organisation")
		}
		return before, tx.db.fault(err, "update user")
	}
	if err := oneRow(res, "user", id); err != nil {
		return before, err
	}
	if !after.Active && before.Active {
		// A deactivated user is signed out everywhere.
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
			return before, tx.db.fault(err, "end sessions")
		}
	}
	return after, tx.Record(actor, "user", id, audit.Update, before, after)
}

// SetPassword stores a new password hash and ends the user's other
// sessions (keepSession, if not 0, survives).
func (tx *Tx) SetPassword(ctx context.Context, actor access.Actor, id int64, hash string, keepSession int64) error {
	before, err := tx.getUser(ctx, id)
	if err != nil {
		return err
	}
	after := before
	after.PasswordHash, after.PasswordSet = hash, true
	tx.touch(&after.Meta, actor)
	if _, err := tx.exec(ctx, "UPDATE users SET password_hash = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?",
		hash, after.UpdatedAt, after.UpdatedBy, id); err != nil {
		return tx.db.fault(err, "set password")
	}
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", id, keepSession); err != nil {
		return tx.db.fault(err, "end sessions")
	}
	changes := []audit.Change{{Field: "password", Before: audit.Redacted, After: audit.Redacted}}
	if !before.PasswordSet {
		changes[0].Before = []byte("null")
	}
	return tx.RecordChanges(actor, "user", id, audit.Update, changes)
}

// DeleteUser removes a user with their tokens, sessions and memberships.
// The audit trail keeps their history.
func (tx *Tx) DeleteUser(ctx context.Context, actor access.Actor, id, version int64) error {
	before, err := tx.getUser(ctx, id)
	if err != nil {
		return err
	}
	if err := checkVersion("user", id, version, before.Version); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM users WHERE id = ?", id); err != nil {
		return tx.db.fault(err, "delete user")
	}
	return tx.Record(actor, "user", id, audit.Delete, before, nil)
}

// CountActiveAdmins counts active administrators, inside the transaction so
// that the last one cannot be removed by two concurrent changes.
func (tx *Tx) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND active = ?", true).Scan(&n)
	if err != nil {
		return 0, tx.db.fault(err, "count administrators")
	}
	return n, nil
}
