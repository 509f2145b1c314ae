package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// ListTeams lists teams.
func (a *App) ListTeams(ctx context.Context, actor access.Actor, f store.TeamFilter) ([]account.Team, string, error) {
	if err := require(actor, access.TeamsRead, "list teams"); err != nil {
		return nil, "", err
	}
	return a.db.ListTeams(ctx, f)
}

// GetTeam reads one team with its members.
func (a *App) GetTeam(ctx context.Context, actor access.Actor, id int64) (account.Team, error) {
	if err := require(actor, access.TeamsRead, "view teams"); err != nil {
		return account.Team{}, err
	}
	return a.db.GetTeam(ctx, id)
}

// CreateTeam adds a team.
func (a *App) CreateTeam(ctx context.Context, actor access.Actor, in account.TeamInput) (account.Team, error) {
	if err := require(actor, access.TeamsWrite, "create teams"); err != nil {
		return account.Team{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return account.Team{}, err
	}
	var t account.Team
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.CreateTeam(ctx, actor, in)
		return err
	})
	return t, err
}

// UpdateTeam changes a team read at version (0: any).
func (a *App) UpdateTeam(ctx context.Context, actor access.Actor, id, version int64, up account.TeamUpdate) (account.Team, error) {
	if err := require(actor, access.TeamsWrite, "change teams"); err != nil {
		return account.Team{}, err
	}
	up.Normalize()
	if err := up.Validate(); err != nil {
		return account.Team{}, err
	}
	var t account.Team
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.UpdateTeam(ctx, actor, id, version, up)
		return err
	})
	return t, err
}

// DeleteTeam removes a team.
func (a *App) DeleteTeam(ctx context.Context, actor access.Actor, id, version int64) error {
	if err := require(actor, access.TeamsWrite, "delete teams"); err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteTeam(ctx, actor, id, version) })
}
