package assurance

import (
	"context"
	"fmt"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// AuditReport is an audit's report: the frozen one once issued, else the
// draft as it would be issued now.
type AuditReport struct {
	Audit  assurance.Audit
	Report assurance.Report
	Issued bool
	// SHA256 is the hash of the stored report, computed again from what
	// is stored; Intact says it matches the hash recorded on issue.
	SHA256 string
	Intact bool
}

// Report reads an audit's report.
func (c *Catalogue) Report(ctx context.Context, actor access.Actor, id int64) (AuditReport, error) {
	a, err := c.GetAudit(ctx, actor, id)
	if err != nil {
		return AuditReport{}, err
	}
	if a.Issued() {
		r, err := assurance.Thaw(a.Report)
		sum := assurance.Hash(a.Report)
		return AuditReport{Audit: a, Report: r, Issued: true, SHA256: sum, Intact: sum == a.ReportSHA256}, err
	}
	r, err := c.draft(ctx, actor, a, "", "")
	return AuditReport{Audit: a, Report: r}, err
}

// IssueReport issues the report of a completed audit read at version (0:
// any): the report is written out, stored with its SHA-256, and from
// then on neither the audit nor its findings change.
func (c *Catalogue) IssueReport(ctx context.Context, actor access.Actor, id, version int64) (assurance.Audit, error) {
	return app.Change(ctx, c.app, actor, audits.Kind.Write, "issue audit reports", nil, func(tx *store.Tx) (assurance.Audit, error) {
		return tx.UpdateAudit(ctx, actor, id, version, audits.GuardChange(actor, id, func(a *assurance.Audit) error {
			switch {
			case a.Issued():
				return errs.Field("state", "is report_issued already: an issued report never changes")
			case a.State != "completed":
				return errs.Field("state", fmt.Sprintf("is %s: complete the audit before issuing its report", a.State))
			}
			r, err := c.draft(ctx, actor, *a, today(), actor.Name)
			if err != nil {
				return err
			}
			content, sum, err := assurance.Freeze(r)
			if err != nil {
				return err
			}
			a.State, a.ReportOn, a.Report, a.ReportSHA256 = "report_issued", r.IssuedOn, content, sum
			return nil
		}))
	})
}

// draft writes the report of an audit as it stands.
func (c *Catalogue) draft(ctx context.Context, actor access.Actor, a assurance.Audit, on, by string) (assurance.Report, error) {
	names := func(entity string, ids []int64) ([]string, error) {
		m, err := c.app.Names(ctx, access.CLI, entity, ids)
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			out = append(out, m[id])
		}
		return out, err
	}
	reqs, err := c.builtIn(ctx, actor)
	if err != nil {
		return assurance.Report{}, err
	}
	byID := map[int64]sms.Requirement{}
	for _, r := range reqs {
		byID[r.ID] = r
	}
	r := assurance.Report{Number: assurance.AuditKind.Number(a.ID), Title: a.Title, Origin: assurance.LabelOf(assurance.Origins, a.Origin),
		Type: assurance.LabelOf(assurance.AuditTypes, a.Type), Body: a.Consultant, Planned: span(a.PlannedStart, a.PlannedEnd), Held: span(a.ActualStart, a.ActualEnd),
		Criteria: a.Criteria, Summary: a.Summary, Conclusion: a.Conclusion, IssuedOn: on, IssuedBy: by, Results: map[string]int{}, Scope: []string{}}
	for _, id := range a.RequirementIDs {
		r.Scope = append(r.Scope, byID[id].Code+" "+byID[id].Title)
	}
	if a.ProgrammeID != nil {
		if p, err := c.db.GetAuditProgramme(ctx, *a.ProgrammeID); err == nil {
			r.Programme = p.Title
		}
	}
	if a.BodyID != nil {
		b, err := c.db.GetCertificationBody(ctx, *a.BodyID)
		if err != nil {
			return r, err
		}
		r.Body = b.Name
	}
	if r.Processes, err = names(sms.ProcessKind.Entity, a.ProcessIDs); err != nil {
		return r, err
	}
	if r.Services, err = names(sms.ServiceKind.Entity, a.ServiceIDs); err != nil {
		return r, err
	}
	if r.Team, err = names(account.UserKind.Entity, a.TeamIDs); err != nil {
		return r, err
	}
	if a.LeadAuditorID != nil {
		lead, err := names(account.UserKind.Entity, []int64{*a.LeadAuditorID})
		if err != nil {
			return r, err
		}
		r.Lead = lead[0]
	}
	lines, _, err := c.db.ListChecklistItems(ctx, store.ChecklistItemFilter{AuditID: a.ID, Limit: store.MaxLimit})
	if err != nil {
		return r, err
	}
	for _, l := range lines {
		res := l.Result
		if res == "" {
			res = "not_answered"
		}
		r.Results[res]++
	}
	fs, _, err := c.db.ListFindings(ctx, store.FindingFilter{AuditID: a.ID, Limit: store.MaxLimit})
	if err != nil {
		return r, err
	}
	// Findings by top-level clause, in the framework's order, the gravest
	// first within a clause.
	grave := func(t string) int {
		return slices.IndexFunc(assurance.FindingTypes, func(c assurance.Code) bool { return c.Code == t })
	}
	slices.SortStableFunc(fs, func(x, y assurance.Finding) int {
		if d := byID[x.RequirementID].Position - byID[y.RequirementID].Position; d != 0 {
			return int(d)
		}
		return grave(x.Type) - grave(y.Type)
	})
	for _, f := range fs {
		q := byID[f.RequirementID]
		top := q
		for top.ParentID != nil {
			top = byID[*top.ParentID]
		}
		clause := top.Code + " " + top.Title
		if len(r.Clauses) == 0 || r.Clauses[len(r.Clauses)-1].Clause != clause {
			r.Clauses = append(r.Clauses, assurance.ReportClause{Clause: clause})
		}
		rf := assurance.ReportFinding{Number: assurance.FindingKind.Number(f.ID), Type: assurance.LabelOf(assurance.FindingTypes, f.Type),
			Requirement: q.Code + " " + q.Title, Statement: f.Statement, Records: []string{}}
		for _, ref := range f.Records {
			rf.Records = append(rf.Records, c.recordName(ctx, ref))
		}
		if f.OwnerID != nil {
			owner, err := names(account.UserKind.Entity, []int64{*f.OwnerID})
			if err != nil {
				return r, err
			}
			rf.Owner = owner[0]
		}
		last := &r.Clauses[len(r.Clauses)-1]
		last.Findings = append(last.Findings, rf)
	}
	return r, nil
}

// recordName names a record in a report: its number and, where the kind
// has names, its name.
func (c *Catalogue) recordName(ctx context.Context, ref assurance.Ref) string {
	k, ok := c.app.Kinds().Get(ref.Entity)
	if !ok {
		return fmt.Sprintf("%s %d", ref.Entity, ref.ID)
	}
	n := k.Number(ref.ID)
	if m, err := c.app.Names(ctx, access.CLI, ref.Entity, []int64{ref.ID}); err == nil && m[ref.ID] != "" {
		n += " " + m[ref.ID]
	}
	return n
}

// span writes two days as a period.
func span(from, to string) string {
	switch {
	case from == "":
		return ""
	case to == "" || to == from:
		return from
	}
	return from + " – " + to
}
