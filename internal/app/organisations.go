package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// ListOrganisations lists the organisations the actor may see.
func (a *App) ListOrganisations(ctx context.Context, actor access.Actor, f store.OrganisationFilter) ([]account.Organisation, string, error) {
	if err := organisations.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	if only := organisations.Narrow(actor); only != 0 {
		f.OnlyID = only
	}
	return a.db.ListOrganisations(ctx, f)
}

// GetOrganisation reads one organisation the actor may see.
func (a *App) GetOrganisation(ctx context.Context, actor access.Actor, id int64) (account.Organisation, error) {
	return organisations.Get(ctx, actor, id, a.db.GetOrganisation)
}

// CreateOrganisation adds a customer (or the provider, if there is none yet).
func (a *App) CreateOrganisation(ctx context.Context, actor access.Actor, in account.OrganisationInput) (account.Organisation, error) {
	in.Normalize()
	return Change(ctx, a, actor, organisations.Kind.Write, "create organisations", in.Validate, func(tx *store.Tx) (account.Organisation, error) {
		return tx.CreateOrganisation(ctx, actor, in)
	})
}

// UpdateOrganisation changes an organisation read at version (0: any).
func (a *App) UpdateOrganisation(ctx context.Context, actor access.Actor, id, version int64, up account.OrganisationUpdate) (account.Organisation, error) {
	up.Normalize()
	return Change(ctx, a, actor, organisations.Kind.Write, "change organisations", up.Validate, func(tx *store.Tx) (account.Organisation, error) {
		return tx.UpdateOrganisation(ctx, actor, id, version, organisations.GuardChange(actor, id, Apply[account.Organisation](up)))
	})
}

// DeleteOrganisation removes a customer organisation without users, read
// at version (0: any). The provider owns the installation and stays.
func (a *App) DeleteOrganisation(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := Change(ctx, a, actor, organisations.Kind.Write, "delete organisations", nil, NoResult(func(tx *store.Tx) error {
		return tx.DeleteOrganisation(ctx, actor, id, version, organisations.Guard(actor, id, func(o account.Organisation) error {
			if o.Kind == account.Provider {
				return errs.E(errs.Conflict, "the provider organisation owns the installation and cannot be deleted")
			}
			n, err := tx.CountUsersIn(ctx, id)
			if err != nil {
				return err
			}
			if n > 0 {
				if n == 1 {
					return errs.E(errs.Conflict, "%s still has a user: move them to another organisation, or delete them, first", o.Name)
				}
				return errs.E(errs.Conflict, "%s still has %d users: move them to another organisation, or delete them, first", o.Name, n)
			}
			return nil
		}))
	}))
	return err
}

// EnsureProvider returns the provider organisation, creating it with name
// if the installation has none yet.
func (a *App) EnsureProvider(ctx context.Context, actor access.Actor, name string) (account.Organisation, error) {
	if o, err := a.db.ProviderOrganisation(ctx); err == nil {
		return o, nil
	} else if !errs.Is(err, errs.NotFound) {
		return o, err
	}
	o, err := a.CreateOrganisation(ctx, actor, account.OrganisationInput{Name: name, Kind: account.Provider})
	if errs.Is(err, errs.Invalid) {
		// Another process created it meanwhile.
		return a.db.ProviderOrganisation(ctx)
	}
	return o, err
}
