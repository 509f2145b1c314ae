package assurance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// ListAudits lists audits.
func (c *Catalogue) ListAudits(ctx context.Context, actor access.Actor, f store.AuditListFilter) ([]assurance.Audit, string, error) {
	if err := audits.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListAudits(ctx, f)
}

// GetAudit reads one audit.
func (c *Catalogue) GetAudit(ctx context.Context, actor access.Actor, id int64) (assurance.Audit, error) {
	return audits.Get(ctx, actor, id, c.db.GetAudit)
}

// CreateAudit plans an audit with its checklist: a line per requirement
// in scope and under it.
func (c *Catalogue) CreateAudit(ctx context.Context, actor access.Actor, in assurance.AuditInput) (assurance.Audit, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, audits.Kind.Write, "plan audits", in.Validate, func(tx *store.Tx) (assurance.Audit, error) {
		var a assurance.Audit
		in.Set(&a)
		reqs, err := c.checkAudit(ctx, actor, a, assurance.Audit{})
		if err != nil {
			return a, err
		}
		if err := tx.CreateAudit(ctx, actor, &a); err != nil {
			return a, err
		}
		return a, c.syncChecklist(ctx, tx, actor, a, reqs)
	})
}

// UpdateAudit changes an audit read at version (0: any): its lifecycle
// moves as assurance.CheckMove allows, starting fills the day it was
// held from and completing the day until, a change of scope adds or
// takes away checklist lines. An audit whose report is issued never
// changes.
func (c *Catalogue) UpdateAudit(ctx context.Context, actor access.Actor, id, version int64, up assurance.AuditUpdate) (assurance.Audit, error) {
	return app.Change(ctx, c.app, actor, audits.Kind.Write, "change audits", nil, func(tx *store.Tx) (assurance.Audit, error) {
		var reqs []sms.Requirement
		a, err := tx.UpdateAudit(ctx, actor, id, version, audits.GuardChange(actor, id, func(a *assurance.Audit) error {
			in := up.Apply(*a)
			in.Normalize()
			if err := assurance.Frozen(*a, in); err != nil {
				return err
			}
			if err := assurance.CheckMove(a.State, in.State); err != nil {
				return err
			}
			if in.State != a.State {
				switch in.State {
				case "in_progress":
					if in.ActualStart == "" {
						in.ActualStart = today()
					}
				case "completed":
					if in.ActualEnd == "" {
						in.ActualEnd = today()
					}
				}
			}
			if err := in.Validate(); err != nil {
				return err
			}
			before := *a
			in.Set(a)
			var err error
			reqs, err = c.checkAudit(ctx, actor, *a, before)
			return err
		}))
		if err != nil {
			return a, err
		}
		return a, c.syncChecklist(ctx, tx, actor, a, reqs)
	})
}

// checkAudit checks what an audit names: its programme, certification
// body, requirements of
// the built-in framework, processes, services and auditors that exist,
// and a lead auditor who owns nothing in scope. It returns the built-in
// framework's requirements.
func (c *Catalogue) checkAudit(ctx context.Context, actor access.Actor, a, before assurance.Audit) ([]sms.Requirement, error) {
	if a.ProgrammeID != nil && !eqID(a.ProgrammeID, before.ProgrammeID) {
		if _, err := c.db.GetAuditProgramme(ctx, *a.ProgrammeID); errs.Is(err, errs.NotFound) {
			return nil, errs.Field("programme_id", "names no audit programme")
		} else if err != nil {
			return nil, err
		}
	}
	if a.BodyID != nil && !eqID(a.BodyID, before.BodyID) {
		if _, err := c.db.GetCertificationBody(ctx, *a.BodyID); errs.Is(err, errs.NotFound) {
			return nil, errs.Field("body_id", fmt.Sprintf("names certification body %d, which does not exist", *a.BodyID))
		} else if err != nil {
			return nil, err
		}
	}
	reqs, err := c.builtIn(ctx, access.CLI)
	if err != nil {
		return nil, err
	}
	for _, id := range a.RequirementIDs {
		if !slices.ContainsFunc(reqs, func(r sms.Requirement) bool { return r.ID == id }) {
			return nil, errs.Field("requirement_ids", fmt.Sprintf("names requirement %d, which is not one of ISO/IEC 20000-1:2018's", id))
		}
	}
	for _, id := range a.ProcessIDs {
		if _, err := c.db.GetProcess(ctx, id); errs.Is(err, errs.NotFound) {
			return nil, errs.Field("process_ids", fmt.Sprintf("names process %d, which does not exist", id))
		} else if err != nil {
			return nil, err
		}
	}
	for _, id := range a.ServiceIDs {
		if _, err := c.db.GetService(ctx, id); errs.Is(err, errs.NotFound) {
			return nil, errs.Field("service_ids", fmt.Sprintf("names service %d, which does not exist", id))
		} else if err != nil {
			return nil, err
		}
	}
	for _, id := range a.TeamIDs {
		if !slices.Contains(before.TeamIDs, id) {
			if err := c.checkAuditPerson(ctx, "team_ids", id); err != nil {
				return nil, err
			}
		}
	}
	if a.LeadAuditorID != nil {
		if !eqID(a.LeadAuditorID, before.LeadAuditorID) {
			if err := c.checkAuditPerson(ctx, "lead_auditor_id", *a.LeadAuditorID); err != nil {
				return nil, err
			}
		}
		owned, err := c.owned(ctx, a, reqs)
		if err != nil {
			return nil, err
		}
		lead, err := c.app.GetUser(ctx, access.CLI, *a.LeadAuditorID)
		if err != nil {
			return nil, err
		}
		if err := assurance.CheckLead(a, owned, lead.Name); err != nil {
			return nil, err
		}
	}
	return reqs, nil
}

func eqID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// owned lists what the audit's auditors own in its scope: the processes
// in scope they own, and the controlled documents they own that relate
// to a requirement in scope (or under one).
func (c *Catalogue) owned(ctx context.Context, a assurance.Audit, reqs []sms.Requirement) ([]assurance.Owned, error) {
	people := a.Auditors()
	if len(people) == 0 {
		return nil, nil
	}
	var out []assurance.Owned
	if len(a.ProcessIDs) > 0 {
		ps, _, err := c.db.ListProcesses(ctx, store.ProcessFilter{IDs: a.ProcessIDs, Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if p.OwnerID != nil && slices.Contains(people, *p.OwnerID) {
				out = append(out, assurance.Owned{UserID: *p.OwnerID, What: sms.ProcessKind.Number(p.ID) + " " + p.Name})
			}
		}
	}
	covered := assurance.Covered(a.RequirementIDs, assurance.Under(reqs))
	for _, person := range people {
		ds, _, err := c.db.ListDocuments(ctx, store.DocumentFilter{OwnerID: person, Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if slices.ContainsFunc(d.RequirementIDs, func(id int64) bool { return covered[id] }) {
				out = append(out, assurance.Owned{UserID: person, What: sms.DocumentKind.Number(d.ID) + " " + d.Title})
			}
		}
	}
	return out, nil
}

// Conflicts tells, for each auditor of the audit who owns something in
// its scope, what: the page warns of them.
func (c *Catalogue) Conflicts(ctx context.Context, actor access.Actor, a assurance.Audit) (map[int64][]string, error) {
	reqs, err := c.builtIn(ctx, actor)
	if err != nil {
		return nil, err
	}
	owned, err := c.owned(ctx, a, reqs)
	if err != nil {
		return nil, err
	}
	return assurance.Conflicts(a, owned), nil
}

// syncChecklist gives the audit a checklist line for every requirement
// in scope and under it, in the framework's order; lines of requirements
// no longer in scope go, unless answered or named by a finding (then the
// scope change is refused).
func (c *Catalogue) syncChecklist(ctx context.Context, tx *store.Tx, actor access.Actor, a assurance.Audit, reqs []sms.Requirement) error {
	covered := assurance.Covered(a.RequirementIDs, assurance.Under(reqs))
	lines, err := tx.ChecklistOf(ctx, a.ID)
	if err != nil {
		return err
	}
	have := map[int64]assurance.ChecklistItem{}
	for _, l := range lines {
		have[l.RequirementID] = l
	}
	for _, r := range reqs {
		if _, ok := have[r.ID]; covered[r.ID] && !ok {
			it := assurance.ChecklistItem{AuditID: a.ID, RequirementID: r.ID, Position: r.Position, Sampled: assurance.Refs{}}
			if err := tx.CreateChecklistItem(ctx, actor, &it); err != nil {
				return err
			}
		}
	}
	fs, err := tx.FindingsOf(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if covered[l.RequirementID] {
			continue
		}
		named := slices.ContainsFunc(fs, func(f assurance.Finding) bool { return f.ItemID != nil && *f.ItemID == l.ID })
		if l.Result != "" || l.Notes != "" || named {
			return errs.Field("requirement_ids", fmt.Sprintf("leaves out a requirement whose checklist line %s is answered: keep it in scope", assurance.ChecklistItemKind.Number(l.ID)))
		}
		if err := tx.DeleteChecklistItem(ctx, actor, l.ID, 0, nil); err != nil {
			return err
		}
	}
	return nil
}

// DeleteAudit removes an audit read at version (0: any) with its
// checklist; only an audit without findings and not yet reported goes.
func (c *Catalogue) DeleteAudit(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, audits.Kind.Write, "delete audits", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteAudit(ctx, actor, id, version, audits.Guard(actor, id, func(a assurance.Audit) error {
			if a.Issued() {
				return errs.E(errs.Conflict, "its report is issued: an issued audit stays on record")
			}
			fs, err := tx.FindingsOf(ctx, id)
			if err != nil {
				return err
			}
			if len(fs) > 0 {
				return errs.E(errs.Conflict, "it has %d findings: delete them first", len(fs))
			}
			if gs, err := tx.AccessesOfAudit(ctx, id); err != nil {
				return err
			} else if len(gs) > 0 {
				return errs.E(errs.Conflict, "%d external auditors' accesses name it: delete them first", len(gs))
			}
			lines, err := tx.ChecklistOf(ctx, id)
			if err != nil {
				return err
			}
			for _, l := range lines {
				if err := tx.DeleteChecklistItem(ctx, actor, l.ID, 0, nil); err != nil {
					return err
				}
			}
			return nil
		}))
	}))
	return err
}

// Checklist reads an audit's checklist in the framework's order.
func (c *Catalogue) Checklist(ctx context.Context, actor access.Actor, auditID int64) ([]assurance.ChecklistItem, error) {
	if _, err := c.GetAudit(ctx, actor, auditID); err != nil {
		return nil, err
	}
	if err := items.MayRead(actor, "list"); err != nil {
		return nil, err
	}
	out, _, err := c.db.ListChecklistItems(ctx, store.ChecklistItemFilter{AuditID: auditID, Limit: store.MaxLimit})
	slices.SortFunc(out, func(a, b assurance.ChecklistItem) int { return cmp.Compare(a.Position, b.Position) })
	return out, err
}

// ListChecklistItems lists checklist lines.
func (c *Catalogue) ListChecklistItems(ctx context.Context, actor access.Actor, f store.ChecklistItemFilter) ([]assurance.ChecklistItem, string, error) {
	if err := items.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListChecklistItems(ctx, f)
}

// GetChecklistItem reads one checklist line.
func (c *Catalogue) GetChecklistItem(ctx context.Context, actor access.Actor, id int64) (assurance.ChecklistItem, error) {
	return items.Get(ctx, actor, id, c.db.GetChecklistItem)
}

// AnswerChecklist records the auditor's answer on the checklist line of
// the requirement the answer names, read at version (0: any). A
// requirement outside the audit's scope is refused naming requirement_id;
// the audit must be in progress or completed, not reported; each
// sampled record must exist and be one the actor may see.
func (c *Catalogue) AnswerChecklist(ctx context.Context, actor access.Actor, auditID, version int64, an assurance.Answer) (assurance.ChecklistItem, error) {
	return app.Change(ctx, c.app, actor, items.Kind.Write, "answer audit checklists", nil, func(tx *store.Tx) (assurance.ChecklistItem, error) {
		a, err := c.GetAudit(ctx, actor, auditID)
		if err != nil {
			return assurance.ChecklistItem{}, err
		}
		lines, err := tx.ChecklistOf(ctx, auditID)
		if err != nil {
			return assurance.ChecklistItem{}, err
		}
		i := slices.IndexFunc(lines, func(l assurance.ChecklistItem) bool { return l.RequirementID == an.RequirementID })
		if i < 0 {
			return assurance.ChecklistItem{}, errs.Field("requirement_id", fmt.Sprintf("is not in the scope of %s: answer only its checklist's requirements", assurance.AuditKind.Number(auditID)))
		}
		if err := answerable(a); err != nil {
			return assurance.ChecklistItem{}, err
		}
		if an.Sampled != nil {
			for _, r := range *an.Sampled {
				if err := c.app.SeeRecord(ctx, actor, r.Entity, r.ID, "sampled", "sampled"); err != nil {
					return assurance.ChecklistItem{}, errs.Field("sampled", fmt.Sprintf("names %s %d, which is no record you can see", r.Entity, r.ID))
				}
			}
		}
		return tx.UpdateChecklistItem(ctx, actor, lines[i].ID, version, items.GuardChange(actor, lines[i].ID, func(it *assurance.ChecklistItem) error {
			next, err := an.Apply(*it)
			if err != nil {
				return err
			}
			*it = next
			return nil
		}))
	})
}

// AnswerChecklistItem records the auditor's answer on the checklist line
// id, read at version (0: any), as AnswerChecklist does; the answer's
// requirement is the line's own.
func (c *Catalogue) AnswerChecklistItem(ctx context.Context, actor access.Actor, id, version int64, an assurance.Answer) (assurance.ChecklistItem, error) {
	it, err := c.GetChecklistItem(ctx, actor, id)
	if err != nil {
		return it, err
	}
	an.RequirementID = it.RequirementID
	return c.AnswerChecklist(ctx, actor, it.AuditID, version, an)
}

// answerable refuses answers and findings on an audit not running.
func answerable(a assurance.Audit) error {
	switch {
	case a.Issued():
		return errs.Field("audit_id", "names an audit whose report is issued: it no longer changes")
	case !a.Working():
		return errs.Field("audit_id", fmt.Sprintf("names an audit that is %s: start it first", strings.ReplaceAll(a.State, "_", " ")))
	}
	return nil
}
