package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
)

const teamColumns = "id, name, description, created_at, created_by, updated_at, updated_by, version"

func scanTeam(sc interface{ Scan(...any) error }) (account.Team, error) {
	var t account.Team
	err := sc.Scan(&t.ID, &t.Name, &t.Description, &t.CreatedAt, &t.CreatedBy, &t.UpdatedAt, &t.UpdatedBy, &t.Version)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	t.MemberIDs = []int64{}
	return t, err
}

// getTeam reads a team and its members in one query (one round trip on
// PostgreSQL): a row per member, or one with a NULL member.
func (c conn) getTeam(ctx context.Context, id int64) (account.Team, error) {
	rows, err := c.query(ctx, `SELECT t.id, t.name, t.description, t.created_at, t.created_by, t.updated_at, t.updated_by, t.version, m.user_id
		FROM teams t LEFT JOIN team_members m ON m.team_id = t.id WHERE t.id = ? ORDER BY m.user_id`, id)
	if err != nil {
		return account.Team{}, c.db.fault(err, "read team")
	}
	defer rows.Close()
	var t account.Team
	found := false
	for rows.Next() {
		var member sql.NullInt64
		var row account.Team
		err := rows.Scan(&row.ID, &row.Name, &row.Description, &row.CreatedAt, &row.CreatedBy, &row.UpdatedAt, &row.UpdatedBy, &row.Version, &member)
		if err != nil {
			return t, c.db.fault(err, "read team")
		}
		if !found {
			t, found = row, true
			t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
			t.MemberIDs = []int64{}
		}
		if member.Valid {
			t.MemberIDs = append(t.MemberIDs, member.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return t, c.db.fault(err, "read team")
	}
	if !found {
		return t, notFound(sql.ErrNoRows, "team", id)
	}
	return t, nil
}

func (c conn) loadMembers(ctx context.Context, teams []account.Team) error {
	if len(teams) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(teams))
	ph := make([]string, len(teams))
	args := make([]any, len(teams))
	for i, t := range teams {
		idx[t.ID] = i
		ph[i] = "?"
		args[i] = t.ID
	}
	rows, err := c.query(ctx, "SELECT team_id, user_id FROM team_members WHERE team_id IN ("+strings.Join(ph, ",")+") ORDER BY team_id, user_id", args...)
	if err != nil {
		return c.db.fault(err, "read team members")
	}
	defer rows.Close()
	for rows.Next() {
		var tid, uid int64
		if err := rows.Scan(&tid, &uid); err != nil {
			return c.db.fault(err, "read team members")
		}
		t := &teams[idx[tid]]
		t.MemberIDs = append(t.MemberIDs, uid)
	}
	return rows.Err()
}

// GetTeam reads one team with its members.
func (db *DB) GetTeam(ctx context.Context, id int64) (account.Team, error) {
	return db.reader().getTeam(ctx, id)
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
	limit := clampLimit(f.Limit)
	c := db.reader()
	rows, err := c.query(ctx, "SELECT "+teamColumns+" FROM teams"+w.sql()+fmt.Sprintf(" ORDER BY id LIMIT %d", limit+1), w.args...)
	if err != nil {
		return nil, "", db.fault(err, "list teams")
	}
	teams, next, err := collectPage(rows, limit, scanTeam, func(t account.Team) int64 { return t.ID })
	if err != nil {
		return nil, "", err
	}
	return teams, next, c.loadMembers(ctx, teams)
}

func (tx *Tx) setMembers(ctx context.Context, teamID int64, old, members []int64) error {
	for _, uid := range old {
		if !slices.Contains(members, uid) {
			if err := tx.write(ctx, "remove team member", nil, "DELETE FROM team_members WHERE team_id = ? AND user_id = ?", teamID, uid); err != nil {
				return err
			}
		}
	}
	for _, uid := range members {
		if slices.Contains(old, uid) {
			continue
		}
		failed := func(err error) error {
			if isForeignKey(err) {
				return errs.Field("member_ids", fmt.Sprintf("names user %d, who does not exist", uid))
			}
			return nil
		}
		if err := tx.write(ctx, "add team member", failed, "INSERT INTO team_members (team_id, user_id) VALUES (?, ?)", teamID, uid); err != nil {
			return err
		}
	}
	return nil
}

// CreateTeam inserts a team with its members.
func (tx *Tx) CreateTeam(ctx context.Context, actor access.Actor, in account.TeamInput) (account.Team, error) {
	t := account.Team{Name: in.Name, Description: in.Description, MemberIDs: in.MemberIDs}
	if t.MemberIDs == nil {
		t.MemberIDs = []int64{}
	}
	t.Meta = tx.newMeta(actor)
	failed := func(err error) error {
		if isUnique(err) {
			return errs.Field("name", "is already used by another team")
		}
		return nil
	}
	var err error
	t.ID, err = tx.insert(ctx, "teams", failed, `INSERT INTO teams (id, name, description, created_at, created_by, updated_at, updated_by, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)`, t.Name, t.Description, t.CreatedAt, t.CreatedBy, t.UpdatedAt, t.UpdatedBy)
	if err != nil {
		return t, err
	}
	if err := tx.setMembers(ctx, t.ID, nil, t.MemberIDs); err != nil {
		return t, err
	}
	slices.Sort(t.MemberIDs)
	return t, tx.Record(actor, "team", t.ID, audit.Create, nil, t)
}

// UpdateTeam applies an update if the team is still at version (0 skips
// the check).
func (tx *Tx) UpdateTeam(ctx context.Context, actor access.Actor, id, version int64, up account.TeamUpdate) (account.Team, error) {
	before, err := tx.getTeam(ctx, id)
	if err != nil {
		return before, err
	}
	if err := checkVersion("team", id, version, before.Version); err != nil {
		return before, err
	}
	after := up.Apply(before)
	after.MemberIDs = slices.Clone(after.MemberIDs)
	slices.Sort(after.MemberIDs)
	tx.touch(&after.Meta, actor)
	res, err := tx.exec(ctx, `UPDATE teams SET name = ?, description = ?, updated_at = ?, updated_by = ?, version = version + 1
		WHERE id = ? AND version = ?`, after.Name, after.Description, after.UpdatedAt, after.UpdatedBy, id, before.Version)
	if err != nil {
		if isUnique(err) {
			return before, errs.Field("name", "is already used by another team")
		}
		return before, tx.db.fault(err, "update team")
	}
	if err := oneRow(res, "team", id); err != nil {
		return before, err
	}
	if err := tx.setMembers(ctx, id, before.MemberIDs, after.MemberIDs); err != nil {
		return before, err
	}
	return after, tx.Record(actor, "team", id, audit.Update, before, after)
}

// DeleteTeam removes a team and its memberships.
func (tx *Tx) DeleteTeam(ctx context.Context, actor access.Actor, id, version int64) error {
	before, err := tx.getTeam(ctx, id)
	if err != nil {
		return err
	}
	if err := checkVersion("team", id, version, before.Version); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM teams WHERE id = ?", id); err != nil {
		return tx.db.fault(err, "delete team")
	}
	return tx.Record(actor, "team", id, audit.Delete, before, nil)
}
