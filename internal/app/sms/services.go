package sms

import (
	"context"
	"fmt"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// services are read by all staff; the SMS managers change them.
var services = app.Scope[sms.Service]{Kind: sms.ServiceKind}

// ListServices lists services.
func (c *Catalogue) ListServices(ctx context.Context, actor access.Actor, f store.ServiceFilter) ([]sms.Service, string, error) {
	if err := services.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListServices(ctx, f)
}

// GetService reads one service.
func (c *Catalogue) GetService(ctx context.Context, actor access.Actor, id int64) (sms.Service, error) {
	return services.Get(ctx, actor, id, c.db.GetService)
}

// CreateService adds a service.
func (c *Catalogue) CreateService(ctx context.Context, actor access.Actor, in sms.ServiceInput) (sms.Service, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, services.Kind.Write, "create services", in.Validate, func(tx *store.Tx) (sms.Service, error) {
		var s sms.Service
		if err := c.checkOwner(ctx, "owner_id", in.OwnerID, services.Kind.Read); err != nil {
			return s, err
		}
		in.Set(&s)
		return s, tx.CreateService(ctx, actor, &s)
	})
}

// UpdateService changes a service read at version (0: any).
func (c *Catalogue) UpdateService(ctx context.Context, actor access.Actor, id, version int64, up sms.ServiceUpdate) (sms.Service, error) {
	return app.Change(ctx, c.app, actor, services.Kind.Write, "change services", nil, func(tx *store.Tx) (sms.Service, error) {
		return tx.UpdateService(ctx, actor, id, version, services.GuardChange(actor, id, func(s *sms.Service) error {
			in := up.Apply(*s)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if in.OwnerID != s.OwnerID {
				if err := c.checkOwner(ctx, "owner_id", in.OwnerID, services.Kind.Read); err != nil {
					return err
				}
			}
			in.Set(s)
			return nil
		}))
	})
}

// DeleteService removes a service read at version (0: any), unless a
// revision of the scope names it: the scope's record of what it covered
// must stay whole, so such a service is retired instead.
func (c *Catalogue) DeleteService(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, services.Kind.Write, "delete services", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteService(ctx, actor, id, version, services.Guard(actor, id, func(sms.Service) error {
			if rs, err := tx.RisksNamingService(ctx, id); err != nil || len(rs) > 0 {
				if err == nil {
					err = errs.E(errs.Conflict, "risks name this service (%s): take it off them first, or set its status to retired", numbers(sms.RiskKind, rs))
				}
				return err
			}
			scopes, err := tx.ScopesNaming(ctx, id)
			if err != nil || len(scopes) == 0 {
				return err
			}
			names := make([]string, len(scopes))
			for i, s := range scopes {
				names[i] = sms.ScopeKind.Number(s)
			}
			return errs.E(errs.Conflict, "the scope names this service (%s): set its status to retired instead", strings.Join(names, ", "))
		}))
	}))
	return err
}

// checkOwner refuses, on field, a user who does not exist, is
// deactivated, or whose role cannot read records of perm.
func (c *Catalogue) checkOwner(ctx context.Context, field string, id int64, perm access.Permission) error {
	u, err := c.app.GetUser(ctx, access.CLI, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field(field, "names no user")
	case err != nil:
		return err
	case !u.Active:
		return errs.Field(field, "names a deactivated user")
	case !u.Actor("").Can(perm):
		return errs.Field(field, fmt.Sprintf("names %s, whose role cannot see these records; choose one of the provider's staff", u.Name))
	}
	return nil
}
