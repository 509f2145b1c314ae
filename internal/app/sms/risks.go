package sms

import (
	"context"
	"fmt"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Risks are read by all staff; SMS managers and process owners keep the
// register; the scales are changed by SMS managers only.
var (
	risks      = app.Scope[sms.Risk]{Kind: sms.RiskKind}
	riskScales = app.Scope[sms.RiskScales]{Kind: sms.RiskScaleKind}
)

// RiskQuery is a listing of risks as people ask for it: the store's
// filter, and a band, which the scales in force turn into a range of
// scores.
type RiskQuery struct {
	store.RiskFilter
	Band string // low, medium, high or critical; "" for any
}

// ListRisks lists risks.
func (c *Catalogue) ListRisks(ctx context.Context, actor access.Actor, q RiskQuery) ([]sms.Risk, string, error) {
	if err := risks.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	f := q.RiskFilter
	if q.Band != "" {
		s, err := c.currentScales(ctx)
		if err != nil {
			return nil, "", err
		}
		lo, hi, ok := s.BandRange(q.Band)
		if !ok {
			return nil, "", errs.Field("band", "must be low, medium, high or critical")
		}
		if hi < lo { // an empty band: nothing falls in it
			return []sms.Risk{}, "", nil
		}
		f.ScoreMin, f.ScoreMax = lo, hi
	}
	return c.db.ListRisks(ctx, f)
}

// GetRisk reads one risk.
func (c *Catalogue) GetRisk(ctx context.Context, actor access.Actor, id int64) (sms.Risk, error) {
	return risks.Get(ctx, actor, id, c.db.GetRisk)
}

// CreateRisk adds a risk to the register.
func (c *Catalogue) CreateRisk(ctx context.Context, actor access.Actor, in sms.RiskInput) (sms.Risk, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, risks.Kind.Write, "create risks", nil, func(tx *store.Tx) (sms.Risk, error) {
		var r sms.Risk
		if err := c.checkRisk(ctx, tx, in, sms.Risk{}); err != nil {
			return r, err
		}
		in.Set(&r)
		return r, tx.CreateRisk(ctx, actor, &r)
	})
}

// UpdateRisk changes a risk read at version (0: any).
func (c *Catalogue) UpdateRisk(ctx context.Context, actor access.Actor, id, version int64, up sms.RiskUpdate) (sms.Risk, error) {
	return app.Change(ctx, c.app, actor, risks.Kind.Write, "change risks", nil, func(tx *store.Tx) (sms.Risk, error) {
		return tx.UpdateRisk(ctx, actor, id, version, risks.GuardChange(actor, id, func(r *sms.Risk) error {
			in := up.Apply(*r)
			in.Normalize()
			if err := c.checkRisk(ctx, tx, in, *r); err != nil {
				return err
			}
			in.Set(r)
			return nil
		}))
	})
}

// DeleteRisk removes a risk read at version (0: any). One that treatment
// actions come from stays: the refusal says how many.
func (c *Catalogue) DeleteRisk(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, risks.Kind.Write, "delete risks", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteRisk(ctx, actor, id, version, risks.Guard(actor, id, func(sms.Risk) error {
			src, _ := sms.SourceFor(sms.RiskKind.Entity)
			n, err := tx.CountActionsFrom(ctx, src.Code, id)
			if err != nil || n == 0 {
				return err
			}
			return errs.E(errs.Conflict, "%d treatment %s from it: delete %s or give %s another source first",
				n, plural(n, "action comes", "actions come"), plural(n, "it", "them"), plural(n, "it", "them"))
		}))
	}))
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// checkRisk checks a risk's input against the scales in force and its
// references: the owner and the acceptor must be active staff (the
// acceptor one who may accept risks), the services must exist and the
// requirements be of the built-in framework. An owner or acceptor the
// risk had already stays even if since deactivated, until replaced.
func (c *Catalogue) checkRisk(ctx context.Context, tx *store.Tx, in sms.RiskInput, was sms.Risk) error {
	s, err := tx.RiskScales(ctx)
	if errs.Is(err, errs.NotFound) {
		s = sms.DefaultRiskScales()
	} else if err != nil {
		return err
	}
	if err := in.Validate(s, c.today()); err != nil {
		return err
	}
	if in.OwnerID != was.OwnerID {
		if err := c.checkPerson(ctx, "owner_id", in.OwnerID, access.RisksRead, "risks"); err != nil {
			return err
		}
	}
	if in.AcceptedBy != nil && (was.AcceptedBy == nil || *was.AcceptedBy != *in.AcceptedBy) {
		u, err := c.app.GetUser(ctx, access.CLI, *in.AcceptedBy)
		switch {
		case errs.Is(err, errs.NotFound):
			return errs.Field("accepted_by", fmt.Sprintf("names user %d, who does not exist", *in.AcceptedBy))
		case err != nil:
			return err
		case !u.Active:
			return errs.Field("accepted_by", fmt.Sprintf("names %s, who is deactivated", u.Name))
		case !u.Actor("").Can(access.RisksAccept):
			return errs.Field("accepted_by", fmt.Sprintf("names %s, whose role may not accept risks: choose an SMS manager, a member of top management or an administrator", u.Name))
		}
	}
	if added := newIDs(in.ServiceIDs, was.ServiceIDs); len(added) > 0 {
		found, _, err := c.db.ListServices(ctx, store.ServiceFilter{IDs: added, Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		for _, id := range added {
			if !slices.ContainsFunc(found, func(s sms.Service) bool { return s.ID == id }) {
				return errs.Field("service_ids", fmt.Sprintf("names service %d, which does not exist", id))
			}
		}
	}
	if added := newIDs(in.RequirementIDs, was.RequirementIDs); len(added) > 0 {
		fw, err := c.db.FrameworkByCode(ctx, sms.BuiltInCode)
		if err != nil {
			return err
		}
		found, _, err := c.db.ListRequirements(ctx, store.RequirementFilter{IDs: added, FrameworkID: fw.ID, Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		for _, id := range added {
			if !slices.ContainsFunc(found, func(r sms.Requirement) bool { return r.ID == id }) {
				return errs.Field("requirement_ids", fmt.Sprintf("names requirement %d, which is not one of %s", id, fw.Name))
			}
		}
	}
	return nil
}

// newIDs are the ids of list not in had.
func newIDs(list, had []int64) []int64 {
	var out []int64
	for _, id := range list {
		if !slices.Contains(had, id) {
			out = append(out, id)
		}
	}
	return out
}

// currentScales are the scales in force: the defaults until they are
// first written.
func (c *Catalogue) currentScales(ctx context.Context) (sms.RiskScales, error) {
	s, err := c.db.RiskScales(ctx)
	if errs.Is(err, errs.NotFound) {
		return sms.DefaultRiskScales(), nil
	}
	return s, err
}

// RiskScales reads the scales risks are rated on.
func (c *Catalogue) RiskScales(ctx context.Context, actor access.Actor) (sms.RiskScales, error) {
	if err := riskScales.MayRead(actor, "read"); err != nil {
		return sms.RiskScales{}, err
	}
	return c.currentScales(ctx)
}

// getRiskScales reads the scales by id, for the audit trail's links.
func (c *Catalogue) getRiskScales(ctx context.Context, actor access.Actor, id int64) (sms.RiskScales, error) {
	return riskScales.Get(ctx, actor, id, func(ctx context.Context, id int64) (sms.RiskScales, error) {
		s, err := c.db.RiskScales(ctx)
		if err == nil && s.ID != id {
			return sms.RiskScales{}, errs.E(errs.NotFound, "risk scales %d not found", id)
		}
		return s, err
	})
}

// UpdateRiskScales replaces the scales and bands read at version (0:
// any). A scale may be shortened only while no risk is rated on a level
// it would lose: the refusal says how many are.
func (c *Catalogue) UpdateRiskScales(ctx context.Context, actor access.Actor, version int64, in sms.RiskScalesInput) (sms.RiskScales, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, riskScales.Kind.Write, "change the risk scales", in.Validate, func(tx *store.Tx) (sms.RiskScales, error) {
		s, err := c.ensureScales(ctx, tx)
		if err != nil {
			return s, err
		}
		return tx.UpdateRiskScales(ctx, actor, s.ID, version, func(s *sms.RiskScales) error {
			for _, sc := range []struct {
				name string
				had  []sms.RiskLevel
				n    int
			}{{"likelihood", s.Likelihood, len(in.Likelihood)}, {"impact", s.Impact, len(in.Impact)}} {
				if sc.n >= len(sc.had) {
					continue
				}
				used, err := tx.CountRisksAbove(ctx, sc.name, int64(sc.n))
				if err != nil {
					return err
				}
				if used > 0 {
					return errs.Field(sc.name, fmt.Sprintf("cannot lose its levels above %d: %d %s rated on them; rate %s lower first",
						sc.n, used, plural(used, "risk is", "risks are"), plural(used, "it", "them")))
				}
			}
			in.Set(s)
			return nil
		})
	})
}

// ensureScales reads the scales in the transaction, writing the defaults
// first if they were never written.
func (c *Catalogue) ensureScales(ctx context.Context, tx *store.Tx) (sms.RiskScales, error) {
	s, err := tx.RiskScales(ctx)
	if !errs.Is(err, errs.NotFound) {
		return s, err
	}
	s = sms.DefaultRiskScales()
	return s, tx.CreateRiskScales(ctx, access.System, &s)
}

// SeedRiskScales writes the default scales on first start; once they are
// there it does nothing.
func (c *Catalogue) SeedRiskScales(ctx context.Context) error {
	if _, err := c.db.RiskScales(ctx); !errs.Is(err, errs.NotFound) {
		return err
	}
	return c.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := c.ensureScales(ctx, tx)
		return err
	})
}

// RiskMatrix is the risks counted by rating, on the scales in force.
type RiskMatrix struct {
	Scales   sms.RiskScales
	Residual bool
	// Counts[l-1][i-1] is how many risks are rated likelihood l, impact i.
	Counts [][]int
	Total  int
}

// RiskMatrix counts the risks of the filter by their rating, inherent or
// residual as the filter says.
func (c *Catalogue) RiskMatrix(ctx context.Context, actor access.Actor, f store.RiskFilter) (RiskMatrix, error) {
	if err := risks.MayRead(actor, "read"); err != nil {
		return RiskMatrix{}, err
	}
	s, err := c.currentScales(ctx)
	if err != nil {
		return RiskMatrix{}, err
	}
	cells, err := c.db.RiskCells(ctx, f)
	if err != nil {
		return RiskMatrix{}, err
	}
	m := RiskMatrix{Scales: s, Residual: f.Residual, Counts: make([][]int, len(s.Likelihood))}
	for l := range m.Counts {
		m.Counts[l] = make([]int, len(s.Impact))
	}
	for _, cell := range cells {
		if cell.Likelihood >= 1 && cell.Likelihood <= int64(len(s.Likelihood)) && cell.Impact >= 1 && cell.Impact <= int64(len(s.Impact)) {
			m.Counts[cell.Likelihood-1][cell.Impact-1] += cell.Count
			m.Total += cell.Count
		}
	}
	return m, nil
}

// riskSeers, riskNames and riskFinders are the register's Seers, Namers
// and Finders.
func (c *Catalogue) riskSeers() map[string]app.Seer {
	return map[string]app.Seer{sms.RiskKind.Entity: app.Seeing(c.GetRisk), sms.RiskScaleKind.Entity: app.Seeing(c.getRiskScales)}
}

func (c *Catalogue) riskNames() map[string]app.Namer {
	return map[string]app.Namer{
		sms.RiskKind.Entity: named(c.listRisks, func(ids []int64) store.RiskFilter { return store.RiskFilter{IDs: ids, Limit: len(ids)} },
			func(r sms.Risk) int64 { return r.ID }, func(r sms.Risk) string { return r.Title }),
	}
}

func (c *Catalogue) riskFinders() map[string]app.Finder {
	return map[string]app.Finder{
		sms.RiskKind.Entity: finding(sms.RiskKind, c.listRisks, func(q string, n int) store.RiskFilter { return store.RiskFilter{Query: q, Limit: n} },
			func(r sms.Risk) int64 { return r.ID }, func(r sms.Risk) string { return r.Title }),
	}
}

// listRisks lists risks by the store's filter alone.
func (c *Catalogue) listRisks(ctx context.Context, actor access.Actor, f store.RiskFilter) ([]sms.Risk, string, error) {
	return c.ListRisks(ctx, actor, RiskQuery{RiskFilter: f})
}
