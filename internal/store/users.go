package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
)

// Users is the users table. The password hash is a column but not a field
// of the record's JSON, so the audit trail never holds it.
var Users = NewTable(TableDef[account.User]{
	Name: "users", Entity: account.UserKind.Entity,
	Columns: []Column[account.User]{
		Col("email", func(u *account.User) any { return &u.Email }),
		Col("name", func(u *account.User) any { return &u.Name }),
		Col("role", func(u *account.User) any { return &u.Role }),
		Col("org_id", func(u *account.User) any { return &u.OrgID }),
		Col("active", func(u *account.User) any { return &u.Active }),
		Col("password_hash", func(u *account.User) any { return &u.PasswordHash }),
		Col("theme", func(u *account.User) any { return &u.Theme }),
		Col("language", func(u *account.User) any { return &u.Language }),
		Col("time_zone", func(u *account.User) any { return &u.TimeZone }),
	},
	Unique:      []Unique{{Index: "users_email", Column: "email", Field: "email", Reason: "is already used by another user"}},
	ForeignKeys: []ForeignKey{{Column: "org_id", Field: "organisation_id", Reason: "names no organisation"}},
	OrgColumn:   "org_id",
	Derive:      func(u *account.User) { u.PasswordSet = u.PasswordHash != "" },
})

// GetUser reads one user.
func (db *DB) GetUser(ctx context.Context, id int64) (account.User, error) {
	return Users.Get(ctx, db.reader(), id)
}

// GetUserAt reads one user inside the transaction and refuses one no
// longer at version (0: any), saying who changed it and when.
func (tx *Tx) GetUserAt(ctx context.Context, id, version int64) (account.User, error) {
	return Users.GetAt(ctx, tx, id, version)
}

// GetUser reads one user inside the transaction.
func (tx *Tx) GetUser(ctx context.Context, id int64) (account.User, error) {
	return Users.Get(ctx, tx.conn, id)
}

// UserByEmail finds a user by (normalised) email address.
func (db *DB) UserByEmail(ctx context.Context, email string) (account.User, error) {
	u, err := Users.Scan(db.reader().queryRow(ctx, "SELECT "+Users.Columns()+" FROM users WHERE email = ?", email))
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
	IDs    []int64 // only these users
	Query  string  // substring of name or email
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
		Users.Scope(&w, f.OrgID)
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
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		p := likePattern(f.Query)
		w.add("(lower(name) LIKE ? OR email LIKE ?)", p, p)
	}
	return Users.List(ctx, db.reader(), w, f.Limit)
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
	return u, Users.Insert(ctx, tx, actor, &u)
}

// UpdateUser applies change (the update with the use case's rules) if the
// user is still at version (0 skips the check), and returns the user
// before and after.
func (tx *Tx) UpdateUser(ctx context.Context, actor access.Actor, id, version int64, change func(*account.User) error) (before, after account.User, err error) {
	return Users.Update(ctx, tx, actor, id, version, change)
}

// SetPassword stores a new password hash for a user read at version (0:
// any). The audit entry says the password changed, never what to.
func (tx *Tx) SetPassword(ctx context.Context, actor access.Actor, id, version int64, hash string) error {
	_, _, err := Users.Update(ctx, tx, actor, id, version, func(u *account.User) error {
		u.PasswordHash, u.PasswordSet = hash, true
		return nil
	}, audit.Change{Field: "password", Before: audit.Redacted, After: audit.Redacted})
	return err
}

// UserRecords are the records that belong to a user and go with them:
// their API tokens and sessions, and the teams they are a member of.
type UserRecords struct {
	Tokens, Sessions, Teams, Notifications []int64
}

// RecordsOf lists, in the transaction, the records that belong to a user.
func (tx *Tx) RecordsOf(ctx context.Context, userID int64) (UserRecords, error) {
	var r UserRecords
	var err error
	if r.Tokens, err = Tokens.IDsWhere(ctx, tx, "user_id = ?", userID); err != nil {
		return r, err
	}
	if r.Sessions, err = Sessions.IDsWhere(ctx, tx, "user_id = ?", userID); err != nil {
		return r, err
	}
	if r.Notifications, err = Notifications.IDsWhere(ctx, tx, "user_id = ?", userID); err != nil {
		return r, err
	}
	r.Teams, err = Teams.IDsWhere(ctx, tx, "id IN (SELECT team_id FROM team_members WHERE user_id = ?)", userID)
	return r, err
}

// DeleteUser removes a user read at version (0: any), once check, the use
// case's rules, allows it. Their tokens, sessions, notifications and memberships must be
// gone first (RecordsOf), each with its own audit entry; the audit trail
// keeps their history.
func (tx *Tx) DeleteUser(ctx context.Context, actor access.Actor, id, version int64, check func(account.User) error) error {
	_, err := Users.Delete(ctx, tx, actor, id, version, check)
	return err
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
