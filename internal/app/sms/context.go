package sms

import (
	"context"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// The SMS's context (issues, interested parties) and its communication
// plan: read by all staff, written by the SMS managers.
var (
	contextIssues     = app.Scope[sms.ContextIssue]{Kind: sms.ContextIssueKind}
	interestedParties = app.Scope[sms.InterestedParty]{Kind: sms.InterestedPartyKind}
	communications    = app.Scope[sms.Communication]{Kind: sms.CommunicationKind}
)

// ListContextIssues lists issues.
func (c *Catalogue) ListContextIssues(ctx context.Context, actor access.Actor, f store.ContextIssueFilter) ([]sms.ContextIssue, string, error) {
	if err := contextIssues.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListContextIssues(ctx, f)
}

// GetContextIssue reads one issue.
func (c *Catalogue) GetContextIssue(ctx context.Context, actor access.Actor, id int64) (sms.ContextIssue, error) {
	return contextIssues.Get(ctx, actor, id, c.db.GetContextIssue)
}

// CreateContextIssue adds an issue.
func (c *Catalogue) CreateContextIssue(ctx context.Context, actor access.Actor, in sms.ContextIssueInput) (sms.ContextIssue, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, contextIssues.Kind.Write, "record context issues", in.Validate, func(tx *store.Tx) (sms.ContextIssue, error) {
		var i sms.ContextIssue
		if err := c.checkOwner(ctx, "owner_id", in.OwnerID, contextIssues.Kind.Read); err != nil {
			return i, err
		}
		in.Set(&i)
		return i, tx.CreateContextIssue(ctx, actor, &i)
	})
}

// UpdateContextIssue changes an issue read at version (0: any).
func (c *Catalogue) UpdateContextIssue(ctx context.Context, actor access.Actor, id, version int64, up sms.ContextIssueUpdate) (sms.ContextIssue, error) {
	return app.Change(ctx, c.app, actor, contextIssues.Kind.Write, "change context issues", nil, func(tx *store.Tx) (sms.ContextIssue, error) {
		return tx.UpdateContextIssue(ctx, actor, id, version, contextIssues.GuardChange(actor, id, func(i *sms.ContextIssue) error {
			in := up.Apply(*i)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if in.OwnerID != i.OwnerID {
				if err := c.checkOwner(ctx, "owner_id", in.OwnerID, contextIssues.Kind.Read); err != nil {
					return err
				}
			}
			in.Set(i)
			return nil
		}))
	})
}

// DeleteContextIssue removes an issue read at version (0: any).
func (c *Catalogue) DeleteContextIssue(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, contextIssues.Kind.Write, "delete context issues", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteContextIssue(ctx, actor, id, version, contextIssues.Guard(actor, id, nil))
	}))
	return err
}

// ListInterestedParties lists parties.
func (c *Catalogue) ListInterestedParties(ctx context.Context, actor access.Actor, f store.InterestedPartyFilter) ([]sms.InterestedParty, string, error) {
	if err := interestedParties.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListInterestedParties(ctx, f)
}

// GetInterestedParty reads one party.
func (c *Catalogue) GetInterestedParty(ctx context.Context, actor access.Actor, id int64) (sms.InterestedParty, error) {
	return interestedParties.Get(ctx, actor, id, c.db.GetInterestedParty)
}

// CreateInterestedParty adds a party.
func (c *Catalogue) CreateInterestedParty(ctx context.Context, actor access.Actor, in sms.InterestedPartyInput) (sms.InterestedParty, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, interestedParties.Kind.Write, "record interested parties", in.Validate, func(tx *store.Tx) (sms.InterestedParty, error) {
		var p sms.InterestedParty
		in.Set(&p)
		return p, tx.CreateInterestedParty(ctx, actor, &p)
	})
}

// UpdateInterestedParty changes a party read at version (0: any).
func (c *Catalogue) UpdateInterestedParty(ctx context.Context, actor access.Actor, id, version int64, up sms.InterestedPartyUpdate) (sms.InterestedParty, error) {
	return app.Change(ctx, c.app, actor, interestedParties.Kind.Write, "change interested parties", nil, func(tx *store.Tx) (sms.InterestedParty, error) {
		return tx.UpdateInterestedParty(ctx, actor, id, version, interestedParties.GuardChange(actor, id, func(p *sms.InterestedParty) error {
			in := up.Apply(*p)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			in.Set(p)
			return nil
		}))
	})
}

// DeleteInterestedParty removes a party read at version (0: any).
func (c *Catalogue) DeleteInterestedParty(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, interestedParties.Kind.Write, "delete interested parties", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteInterestedParty(ctx, actor, id, version, interestedParties.Guard(actor, id, nil))
	}))
	return err
}

// ListCommunications lists the communication plan.
func (c *Catalogue) ListCommunications(ctx context.Context, actor access.Actor, f store.CommunicationFilter) ([]sms.Communication, string, error) {
	if err := communications.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListCommunications(ctx, f)
}

// GetCommunication reads one communication.
func (c *Catalogue) GetCommunication(ctx context.Context, actor access.Actor, id int64) (sms.Communication, error) {
	return communications.Get(ctx, actor, id, c.db.GetCommunication)
}

// CreateCommunication adds a communication to the plan.
func (c *Catalogue) CreateCommunication(ctx context.Context, actor access.Actor, in sms.CommunicationInput) (sms.Communication, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, communications.Kind.Write, "plan communications", in.Validate, func(tx *store.Tx) (sms.Communication, error) {
		var m sms.Communication
		if err := c.checkOwner(ctx, "owner_id", in.OwnerID, communications.Kind.Read); err != nil {
			return m, err
		}
		in.Set(&m)
		return m, tx.CreateCommunication(ctx, actor, &m)
	})
}

// UpdateCommunication changes a communication read at version (0: any).
func (c *Catalogue) UpdateCommunication(ctx context.Context, actor access.Actor, id, version int64, up sms.CommunicationUpdate) (sms.Communication, error) {
	return app.Change(ctx, c.app, actor, communications.Kind.Write, "change communications", nil, func(tx *store.Tx) (sms.Communication, error) {
		return tx.UpdateCommunication(ctx, actor, id, version, communications.GuardChange(actor, id, func(m *sms.Communication) error {
			in := up.Apply(*m)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if in.OwnerID != m.OwnerID {
				if err := c.checkOwner(ctx, "owner_id", in.OwnerID, communications.Kind.Read); err != nil {
					return err
				}
			}
			in.Set(m)
			return nil
		}))
	})
}

// DeleteCommunication removes a communication read at version (0: any).
func (c *Catalogue) DeleteCommunication(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, communications.Kind.Write, "delete communications", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteCommunication(ctx, actor, id, version, communications.Guard(actor, id, nil))
	}))
	return err
}

// named makes a kind's Namer from its list use case and how to name a
// record.
func named[T any, F any](list func(context.Context, access.Actor, F) ([]T, string, error), filter func(ids []int64) F, id func(T) int64, name func(T) string) app.Namer {
	return func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		for chunk := range slices.Chunk(ids, store.MaxLimit) {
			recs, _, err := list(ctx, actor, filter(chunk))
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				names[id(r)] = name(r)
			}
		}
		return names, nil
	}
}

// finding makes a kind's Finder from its list use case.
func finding[T any, F any](k record.Kind, list func(context.Context, access.Actor, F) ([]T, string, error), filter func(q string, limit int) F, id func(T) int64, name func(T) string) app.Finder {
	return func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
		recs, _, err := list(ctx, actor, filter(q, limit))
		var out []app.Found
		for _, r := range recs {
			out = append(out, app.Found{Entity: k.Entity, ID: id(r), Name: name(r), Detail: k.Number(id(r))})
		}
		return out, err
	}
}

// scopeSeers say who may see the records of the scope's and the
// context's kinds.
func (c *Catalogue) scopeSeers() map[string]app.Seer {
	return map[string]app.Seer{
		sms.ServiceKind.Entity:         app.Seeing(c.GetService),
		sms.ScopeKind.Entity:           app.Seeing(c.GetScope),
		sms.ContextIssueKind.Entity:    app.Seeing(c.GetContextIssue),
		sms.InterestedPartyKind.Entity: app.Seeing(c.GetInterestedParty),
		sms.CommunicationKind.Entity:   app.Seeing(c.GetCommunication),
	}
}

// scopeNames are the Namers of the scope's and the context's kinds.
func (c *Catalogue) scopeNames() map[string]app.Namer {
	return map[string]app.Namer{
		sms.ServiceKind.Entity: named(c.ListServices, func(ids []int64) store.ServiceFilter { return store.ServiceFilter{IDs: ids, Limit: len(ids)} },
			func(s sms.Service) int64 { return s.ID }, func(s sms.Service) string { return s.Name }),
		sms.ScopeKind.Entity: named(c.ListScopes, func(ids []int64) store.ScopeFilter { return store.ScopeFilter{IDs: ids, Limit: len(ids)} },
			func(s sms.Scope) int64 { return s.ID }, sms.Scope.Title),
		sms.ContextIssueKind.Entity: named(c.ListContextIssues, func(ids []int64) store.ContextIssueFilter { return store.ContextIssueFilter{IDs: ids, Limit: len(ids)} },
			func(i sms.ContextIssue) int64 { return i.ID }, func(i sms.ContextIssue) string { return i.Title }),
		sms.InterestedPartyKind.Entity: named(c.ListInterestedParties, func(ids []int64) store.InterestedPartyFilter {
			return store.InterestedPartyFilter{IDs: ids, Limit: len(ids)}
		},
			func(p sms.InterestedParty) int64 { return p.ID }, func(p sms.InterestedParty) string { return p.Name }),
		sms.CommunicationKind.Entity: named(c.ListCommunications, func(ids []int64) store.CommunicationFilter {
			return store.CommunicationFilter{IDs: ids, Limit: len(ids)}
		},
			func(m sms.Communication) int64 { return m.ID }, func(m sms.Communication) string { return m.Subject }),
	}
}

// scopeFinders are the Finders of the kinds the jump box finds by name.
func (c *Catalogue) scopeFinders() map[string]app.Finder {
	return map[string]app.Finder{
		sms.ServiceKind.Entity: finding(sms.ServiceKind, c.ListServices, func(q string, n int) store.ServiceFilter { return store.ServiceFilter{Query: q, Limit: n} },
			func(s sms.Service) int64 { return s.ID }, func(s sms.Service) string { return s.Name }),
		sms.ContextIssueKind.Entity: finding(sms.ContextIssueKind, c.ListContextIssues, func(q string, n int) store.ContextIssueFilter { return store.ContextIssueFilter{Query: q, Limit: n} },
			func(i sms.ContextIssue) int64 { return i.ID }, func(i sms.ContextIssue) string { return i.Title }),
		sms.InterestedPartyKind.Entity: finding(sms.InterestedPartyKind, c.ListInterestedParties, func(q string, n int) store.InterestedPartyFilter {
			return store.InterestedPartyFilter{Query: q, Limit: n}
		},
			func(p sms.InterestedParty) int64 { return p.ID }, func(p sms.InterestedParty) string { return p.Name }),
		sms.CommunicationKind.Entity: finding(sms.CommunicationKind, c.ListCommunications, func(q string, n int) store.CommunicationFilter { return store.CommunicationFilter{Query: q, Limit: n} },
			func(m sms.Communication) int64 { return m.ID }, func(m sms.Communication) string { return m.Subject }),
	}
}
