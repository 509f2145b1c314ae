package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// ListTeams lists teams.
func (a *App) ListTeams(ctx context.Context, actor access.Actor, f store.TeamFilter) ([]account.Team, string, error) {
	if err := teams.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return a.db.ListTeams(ctx, f)
}

// GetTeam reads one team with its members.
func (a *App) GetTeam(ctx context.Context, actor access.Actor, id int64) (account.Team, error) {
	return teams.Get(ctx, actor, id, a.db.GetTeam)
}

// CreateTeam adds a team.
func (a *App) CreateTeam(ctx context.Context, actor access.Actor, in account.TeamInput) (account.Team, error) {
	in.Normalize()
	return Change(ctx, a, actor, teams.Kind.Write, "create teams", in.Validate, func(tx *store.Tx) (account.Team, error) {
		return tx.CreateTeam(ctx, actor, in)
	})
}

// UpdateTeam changes a team read at version (0: any).
func (a *App) UpdateTeam(ctx context.Context, actor access.Actor, id, version int64, up account.TeamUpdate) (account.Team, error) {
	up.Normalize()
	return Change(ctx, a, actor, teams.Kind.Write, "change teams", up.Validate, func(tx *store.Tx) (account.Team, error) {
		return tx.UpdateTeam(ctx, actor, id, version, teams.GuardChange(actor, id, Apply[account.Team](up)))
	})
}

// DeleteTeam removes a team read at version (0: any).
func (a *App) DeleteTeam(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := Change(ctx, a, actor, teams.Kind.Write, "delete teams", nil, NoResult(func(tx *store.Tx) error {
		return tx.DeleteTeam(ctx, actor, id, version, teams.Guard(actor, id, nil))
	}))
	return err
}
