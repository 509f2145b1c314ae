package assurance

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
)

// CycleMonths is how far back an internal audit counts for the stage 1
// check: the three years of a certification cycle.
const CycleMonths = 36

// lastFullAudit reads the internal audits completed within the cycle and
// which top-level clauses they leave unaudited; last is the latest day
// one of them ended ("" for none).
func (c *Catalogue) lastFullAudit(ctx context.Context, actor access.Actor, today string) (done int, missing []string, last string, err error) {
	since := AddMonthsBack(today, CycleMonths)
	var audits []assurance.Audit
	for _, state := range []string{"completed", "report_issued"} {
		list, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{Origin: "internal", State: state, Limit: store.MaxLimit})
		if err != nil {
			return 0, nil, "", err
		}
		for _, a := range list {
			end := a.ActualEnd
			if end == "" {
				end = a.PlannedEnd
			}
			if end >= since {
				audits = append(audits, a)
				last = max(last, end)
			}
		}
	}
	reqs, err := c.builtIn(ctx, actor)
	if err != nil {
		return 0, nil, "", err
	}
	cov := assurance.CoverageOf(reqs, audits)
	for _, row := range cov.Rows {
		if row.Requirement.ParentID == nil && len(row.AuditIDs) == 0 {
			missing = append(missing, row.Requirement.Code)
		}
	}
	return len(audits), missing, last, nil
}

// AddMonthsBack is day less n months ("" for a day that does not parse).
func AddMonthsBack(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, -n, 0).Format(time.DateOnly)
}

func (c *Catalogue) auditCheck(ctx context.Context, actor access.Actor, today string) (assurance.ReadinessCheck, error) {
	ch := assurance.ReadinessCheck{Key: "internal_audit", Label: "Internal audit of every clause within the cycle", Href: "/" + assurance.AuditKind.Path() + "?origin=internal",
		Help: "Internal audits completed in the last three years that together cover every clause of ISO/IEC 20000-1, so the SMS has checked itself before the certification body does."}
	done, missing, _, err := c.lastFullAudit(ctx, actor, today)
	if err != nil {
		return ch, err
	}
	switch {
	case done == 0:
		ch.Say("No internal audit completed in the last three years.")
		ch.Fix = "Plan and run the internal audits"
	case len(missing) > 0:
		ch.Say("Internal audits completed: %d; clauses not yet audited: %s.", done, missing)
		ch.Fix = "Audit the clauses left"
	default:
		ch.Pass = true
		ch.Say("Internal audits completed: %d, covering every clause.", done)
	}
	return ch, nil
}

func (c *Catalogue) reviewCheck(ctx context.Context, actor access.Actor, today string) (assurance.ReadinessCheck, error) {
	ch := assurance.ReadinessCheck{Key: "management_review", Label: "Management review held after the internal audit", Href: "/" + assurance.ManagementReviewKind.Path(),
		Help: "Top management reviewed the SMS with the internal audit's results among its inputs, which means after the audit ended."}
	_, _, last, err := c.lastFullAudit(ctx, actor, today)
	if err != nil {
		return ch, err
	}
	var held string
	for _, state := range []string{"held", "approved"} {
		list, _, err := c.ListManagementReviews(ctx, actor, store.ManagementReviewFilter{State: state, Limit: store.MaxLimit})
		if err != nil {
			return ch, err
		}
		for _, r := range list {
			held = max(held, r.HeldOn)
		}
	}
	switch {
	case held == "":
		ch.Say("No management review has been held.")
		ch.Fix = "Prepare and hold a management review"
	case last == "":
		ch.Say("The last review was held on %s; no internal audit has ended yet.", held)
		ch.Fix = "Run the internal audit, then review"
	case held < last:
		ch.Say("The last review was held on %s, before the internal audit ended on %s.", held, last)
		ch.Fix = "Hold a management review"
	default:
		ch.Pass = true
		ch.Say("Held on %s, after the internal audit ended on %s.", held, last)
	}
	return ch, nil
}

func (c *Catalogue) bodyCheck(ctx context.Context, actor access.Actor, today string) (assurance.ReadinessCheck, error) {
	ch := assurance.ReadinessCheck{Key: "certification_body", Label: "Certification body verified", Href: "/" + assurance.CertificationBodyKind.Path(),
		Help: "A certification body accredited for ISO/IEC 20000-1, whose accreditation someone checked within the last year, so its certificate will count."}
	bodies, _, err := c.ListCertificationBodies(ctx, actor, store.CertificationBodyFilter{Covers20000: "yes", Limit: store.MaxLimit})
	if err != nil {
		return ch, err
	}
	for _, b := range bodies {
		if !b.NeedsVerification(today) {
			ch.Pass = true
			ch.Say("%s, accredited for ISO/IEC 20000-1, verified on %s.", b.Name, b.VerifiedOn)
			ch.Href = fmt.Sprintf("/%s/%d", assurance.CertificationBodyKind.Path(), b.ID)
			return ch, nil
		}
	}
	if len(bodies) == 0 {
		ch.Say("No certification body accredited for ISO/IEC 20000-1 is recorded.")
		ch.Fix = "Record the certification body"
	} else {
		ch.Say("No body accredited for ISO/IEC 20000-1 was verified within the last year.")
		ch.Fix = "Verify the body's accreditation"
	}
	return ch, nil
}
