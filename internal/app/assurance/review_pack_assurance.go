package assurance

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
)

// auditsInput is input c's audit results: the audits completed since the
// last review, each with its findings counted by type.
func (c *Catalogue) auditsInput(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Internal and external audits completed or reported " + sinceWords(q) + ", with their findings by type, as on " + q.Today + ".",
		Href: "/" + assurance.AuditKind.Path()}
	var audits []assurance.Audit
	for _, state := range []string{"completed", "report_issued"} {
		list, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{State: state, Limit: store.MaxLimit})
		if err != nil {
			return s, err
		}
		for _, a := range list {
			end := a.ActualEnd
			if end == "" {
				end = a.PlannedEnd
			}
			if end >= q.Since && end <= q.Today {
				audits = append(audits, a)
			}
		}
	}
	if len(audits) == 0 {
		s.Empty = "No audit was completed " + sinceWords(q) + "."
		return s, nil
	}
	if err := findings.MayRead(actor, "count"); err != nil {
		return s, err
	}
	ids := make([]int64, len(audits))
	for i, a := range audits {
		ids[i] = a.ID
	}
	counts, err := c.db.FindingCounts(ctx, ids)
	if err != nil {
		return s, err
	}
	byType := map[string]int{}
	for _, a := range audits {
		n := counts[a.ID]
		for t, k := range n {
			byType[t] += k
		}
		s.Rows = append(s.Rows, row(assurance.AuditKind, a.ID, a.Title, fmt.Sprintf("%s; %d major, %d minor nonconformities, %d observations, %d opportunities",
			packLabel(assurance.AuditTypes, a.Type), n["major_nc"], n["minor_nc"], n["observation"], n["ofi"])))
	}
	s.Facts = append(s.Facts, fact("Audits completed", len(audits)))
	for _, t := range assurance.FindingTypes {
		s.Facts = append(s.Facts, fact(t.Label, byType[t.Code]))
	}
	return s, nil
}

// nonconformitiesInput is input c's nonconformities and corrective
// actions: those raised since the last review, those open and overdue,
// the recurring ones named.
func (c *Catalogue) nonconformitiesInput(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Nonconformities raised " + sinceWords(q) + " and every one still open, counted by severity, the overdue and the recurring ones named, as on " + q.Today + ".",
		Href: "/" + assurance.NonconformityKind.Path()}
	all, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{Limit: store.MaxLimit}})
	if err != nil {
		return s, err
	}
	overdue, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{Limit: store.MaxLimit}, Overdue: true})
	if err != nil {
		return s, err
	}
	late := map[int64]bool{}
	for _, n := range overdue {
		late[n.ID] = true
	}
	raised, open, major, recurring := 0, 0, 0, 0
	for _, n := range all {
		isNew := n.RaisedOn >= q.Since
		if isNew {
			raised++
		}
		if n.State != "closed" {
			open++
			if n.Severity == "major" {
				major++
			}
		}
		if n.RecurrenceOf != 0 && isNew {
			recurring++
		}
		if (n.State != "closed" && late[n.ID]) || (n.RecurrenceOf != 0 && isNew) {
			detail := packLabel(assurance.Severities, n.Severity) + ", " + packLabel(assurance.NCStates, n.State)
			if late[n.ID] {
				detail += ", overdue"
			}
			if n.RecurrenceOf != 0 {
				detail += ", recurring"
			}
			s.Rows = append(s.Rows, row(assurance.NonconformityKind, n.ID, n.Title, detail))
		}
	}
	if len(all) == 0 {
		s.Empty = "No nonconformities are recorded yet."
		return s, nil
	}
	s.Facts = append(s.Facts, fact("Raised since the last review", raised), fact("Open", open), fact("Open majors", major),
		fact("Overdue", len(overdue)), fact("Recurring, raised since the last review", recurring))
	return s, nil
}
