package store

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
)

// Teams is the teams table; members live in team_members.
var Teams = NewTable(TableDef[account.Team]{
	Name: "teams", Entity: account.TeamKind.Entity,
	Columns: []Column[account.Team]{
		Col("name", func(t *account.Team) any { return &t.Name }),
		Col("description", func(t *account.Team) any { return &t.Description }),
	},
	Unique: []Unique{{Index: "teams_name", Field: "name", Reason: "is already used by another team"}},
	Sets: []IDSet[account.Team]{{Table: "team_members", Owner: "team_id", Member: "user_id",
		Field: func(t *account.Team) *[]int64 { return &t.MemberIDs },
		Missing: func(id int64) error {
			return errs.Field("member_ids", fmt.Sprintf("names user %d, who does not exist", id))
		}}},
})

// GetTeam reads one team with its members.
func (db *DB) GetTeam(ctx context.Context, id int64) (account.Team, error) {
	return Teams.Get(ctx, db.reader(), id)
}

// GetTeam reads one team inside the transaction.
func (tx *Tx) GetTeam(ctx context.Context, id int64) (account.Team, error) {
	return Teams.Get(ctx, tx.conn, id)
}

// TeamFilter narrows a listing of teams.
type TeamFilter struct {
	MemberID int64
	Query    string
	Cursor   string
	Limit    int
}

// ListTeams returns a page of teams by id, with their members.
func (db *DB) ListTeams(ctx context.Context, f TeamFilter) ([]account.Team, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.MemberID != 0 {
		w.add("id IN (SELECT team_id FROM team_members WHERE user_id = ?)", f.MemberID)
	}
	if f.Query != "" {
		w.add("lower(name) LIKE ?", likePattern(f.Query))
	}
	return Teams.List(ctx, db.reader(), w, f.Limit)
}

// CreateTeam inserts a team with its members.
func (tx *Tx) CreateTeam(ctx context.Context, actor access.Actor, in account.TeamInput) (account.Team, error) {
	t := account.Team{Name: in.Name, Description: in.Description, MemberIDs: in.MemberIDs}
	return t, Teams.Insert(ctx, tx, actor, &t)
}

// UpdateTeam applies change (the update with the use case's rules) if the
// team is still at version (0 skips the check).
func (tx *Tx) UpdateTeam(ctx context.Context, actor access.Actor, id, version int64, change func(*account.Team) error) (account.Team, error) {
	_, after, err := Teams.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteTeam removes a team read at version (0: any), once check (the use
// case's rules; nil: none) allows it, and its memberships.
func (tx *Tx) DeleteTeam(ctx context.Context, actor access.Actor, id, version int64, check func(account.Team) error) error {
	_, err := Teams.Delete(ctx, tx, actor, id, version, check)
	return err
}
