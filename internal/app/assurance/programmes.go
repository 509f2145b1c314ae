package assurance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// The audit kinds are read by all staff and written by the SMS managers
// and internal auditors.
var (
	programmes = app.Scope[assurance.Programme]{Kind: assurance.ProgrammeKind}
	audits     = app.Scope[assurance.Audit]{Kind: assurance.AuditKind}
	items      = app.Scope[assurance.ChecklistItem]{Kind: assurance.ChecklistItemKind}
	findings   = app.Scope[assurance.Finding]{Kind: assurance.FindingKind}
)

// FindingHook is told of a nonconformity found (a major or minor
// finding) right after it is recorded: the seam where nonconformities
// are opened from audit findings.
type FindingHook func(ctx context.Context, actor access.Actor, f assurance.Finding) error

// auditParts adds the audit kinds' seers, names and finders.
func (c *Catalogue) auditParts(ar *app.Area) {
	ar.See[assurance.ProgrammeKind.Entity] = app.Seeing(c.GetProgramme)
	ar.See[assurance.AuditKind.Entity] = app.Seeing(c.GetAudit)
	ar.See[assurance.ChecklistItemKind.Entity] = app.Seeing(c.GetChecklistItem)
	ar.See[assurance.FindingKind.Entity] = app.Seeing(c.GetFinding)
	ar.See[assurance.AuditorAccessKind.Entity] = app.Seeing(c.GetAuditorAccess)
	ar.Names[assurance.ProgrammeKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		ps, _, err := c.ListProgrammes(ctx, actor, store.AuditProgrammeFilter{IDs: ids, Limit: store.MaxLimit})
		for _, p := range ps {
			names[p.ID] = p.Title
		}
		return names, err
	}
	ar.Names[assurance.AuditKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		as, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{IDs: ids, Limit: store.MaxLimit})
		for _, a := range as {
			names[a.ID] = a.Title
		}
		return names, err
	}
	ar.Names[assurance.FindingKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		fs, _, err := c.ListFindings(ctx, actor, store.FindingFilter{IDs: ids, Limit: store.MaxLimit})
		for _, f := range fs {
			names[f.ID] = firstLine(f.Statement, 80)
		}
		return names, err
	}
	ar.Find[assurance.AuditKind.Entity] = func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
		as, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{Query: q, Limit: limit})
		out := make([]app.Found, len(as))
		for i, a := range as {
			out[i] = app.Found{Entity: assurance.AuditKind.Entity, ID: a.ID, Name: a.Title}
		}
		return out, err
	}
}

// firstLine is the start of a text, for a name.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// today is the day it is now, in UTC.
func today() string { return time.Now().UTC().Format(time.DateOnly) }

// ListProgrammes lists audit programmes.
func (c *Catalogue) ListProgrammes(ctx context.Context, actor access.Actor, f store.AuditProgrammeFilter) ([]assurance.Programme, string, error) {
	if err := programmes.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListAuditProgrammes(ctx, f)
}

// GetProgramme reads one programme.
func (c *Catalogue) GetProgramme(ctx context.Context, actor access.Actor, id int64) (assurance.Programme, error) {
	return programmes.Get(ctx, actor, id, c.db.GetAuditProgramme)
}

// CreateProgramme adds a programme.
func (c *Catalogue) CreateProgramme(ctx context.Context, actor access.Actor, in assurance.ProgrammeInput) (assurance.Programme, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, programmes.Kind.Write, "create audit programmes", in.Validate, func(tx *store.Tx) (assurance.Programme, error) {
		var p assurance.Programme
		if err := c.checkAuditPerson(ctx, "owner_id", in.OwnerID); err != nil {
			return p, err
		}
		in.Set(&p)
		return p, tx.CreateAuditProgramme(ctx, actor, &p)
	})
}

// UpdateProgramme changes a programme read at version (0: any).
func (c *Catalogue) UpdateProgramme(ctx context.Context, actor access.Actor, id, version int64, up assurance.ProgrammeUpdate) (assurance.Programme, error) {
	return app.Change(ctx, c.app, actor, programmes.Kind.Write, "change audit programmes", nil, func(tx *store.Tx) (assurance.Programme, error) {
		return tx.UpdateAuditProgramme(ctx, actor, id, version, programmes.GuardChange(actor, id, func(p *assurance.Programme) error {
			in := up.Apply(*p)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if in.OwnerID != p.OwnerID {
				if err := c.checkAuditPerson(ctx, "owner_id", in.OwnerID); err != nil {
					return err
				}
			}
			in.Set(p)
			return nil
		}))
	})
}

// DeleteProgramme removes a programme read at version (0: any); one with
// audits stays, naming them.
func (c *Catalogue) DeleteProgramme(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, programmes.Kind.Write, "delete audit programmes", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteAuditProgramme(ctx, actor, id, version, programmes.Guard(actor, id, func(assurance.Programme) error {
			as, _, err := c.db.ListAudits(ctx, store.AuditListFilter{ProgrammeID: id, Limit: 10})
			if err != nil || len(as) == 0 {
				return err
			}
			ids := make([]int64, len(as))
			for i, a := range as {
				ids[i] = a.ID
			}
			return errs.E(errs.Conflict, "it has audits (%s): delete them or move them to another programme first", auditNumbers(ids))
		}))
	}))
	return err
}

// auditNumbers writes audits' human numbers as a list.
func auditNumbers(ids []int64) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = assurance.AuditKind.Number(id)
	}
	return strings.Join(out, ", ")
}

// builtIn reads the built-in framework's requirements, in its order.
func (c *Catalogue) builtIn(ctx context.Context, actor access.Actor) ([]sms.Requirement, error) {
	fw, err := c.db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return nil, err
	}
	return c.sms.Tree(ctx, actor, fw.ID)
}

// Coverage tells which requirements of the built-in framework the
// programme's audits cover, and how many none does.
func (c *Catalogue) Coverage(ctx context.Context, actor access.Actor, id int64) (assurance.Coverage, error) {
	if _, err := c.GetProgramme(ctx, actor, id); err != nil {
		return assurance.Coverage{}, err
	}
	reqs, err := c.builtIn(ctx, actor)
	if err != nil {
		return assurance.Coverage{}, err
	}
	as, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{ProgrammeID: id, Limit: store.MaxLimit})
	if err != nil {
		return assurance.Coverage{}, err
	}
	slices.SortStableFunc(as, func(a, b assurance.Audit) int { return cmp.Compare(a.PlannedStart, b.PlannedStart) })
	return assurance.CoverageOf(reqs, as), nil
}

// GenerateAudits plans the audits that make the programme cover every
// clause once (assurance.PlanCycle), each with its checklist; clauses
// already covered are not planned again. It returns the audits made.
func (c *Catalogue) GenerateAudits(ctx context.Context, actor access.Actor, id int64) ([]assurance.Audit, error) {
	p, err := c.GetProgramme(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	reqs, err := c.builtIn(ctx, actor)
	if err != nil {
		return nil, err
	}
	return app.Change(ctx, c.app, actor, audits.Kind.Write, "plan audits", nil, func(tx *store.Tx) ([]assurance.Audit, error) {
		existing, _, err := c.db.ListAudits(ctx, store.AuditListFilter{ProgrammeID: id, Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		var out []assurance.Audit
		for _, in := range assurance.PlanCycle(p, reqs, existing) {
			in.Normalize()
			if err := in.Validate(); err != nil {
				return nil, err
			}
			var a assurance.Audit
			in.Set(&a)
			if err := tx.CreateAudit(ctx, actor, &a); err != nil {
				return nil, err
			}
			if err := c.syncChecklist(ctx, tx, actor, a, reqs); err != nil {
				return nil, err
			}
			out = append(out, a)
		}
		return out, nil
	})
}

// checkAuditPerson refuses a user who does not exist, is deactivated,
// or is not one of the provider's staff, naming the field.
func (c *Catalogue) checkAuditPerson(ctx context.Context, field string, id int64) error {
	return c.checkStaff(ctx, field, id, access.AuditsRead, "audits")
}

// checkStaff refuses, naming field, a user who does not exist, is
// deactivated, or whose role lacks perm (to see what seeing names).
func (c *Catalogue) checkStaff(ctx context.Context, field string, id int64, perm access.Permission, seeing string) error {
	u, err := c.app.GetUser(ctx, access.CLI, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field(field, fmt.Sprintf("names user %d, who does not exist", id))
	case err != nil:
		return err
	case !u.Active:
		return errs.Field(field, fmt.Sprintf("names %s, who is deactivated", u.Name))
	case !u.Actor("").Can(perm):
		return errs.Field(field, fmt.Sprintf("names %s, whose role cannot see %s; choose one of the provider's staff", u.Name, seeing))
	}
	return nil
}

// Requirements reads the built-in framework's requirements, which audits
// are scoped by, in the framework's order.
func (c *Catalogue) Requirements(ctx context.Context, actor access.Actor) ([]sms.Requirement, error) {
	return c.builtIn(ctx, actor)
}

// SMS is the management system's use cases, for the pages that show its
// records beside an audit's.
func (c *Catalogue) SMS() *smsapp.Catalogue { return c.sms }
