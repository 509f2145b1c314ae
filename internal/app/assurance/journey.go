package assurance

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// journeyStages are the certification journey's stages after the
// management system's own, read from this area's records: the SMS audits
// itself and is reviewed, a certification body is chosen, audits it in
// two stages, its nonconformities are dealt with, the certificate is
// issued, then kept through surveillance and renewed.
func (c *Catalogue) journeyStages(ctx context.Context, actor access.Actor) ([]sms.JourneyStage, error) {
	if !actor.Can(access.AuditsRead) {
		return nil, nil // the stages need the audits; the SMS stages stand alone
	}
	today := c.Today()
	audits := "/" + assurance.AuditKind.Path()
	done, missing, last, err := c.lastFullAudit(ctx, actor, today)
	if err != nil {
		return nil, err
	}
	internal := sms.JourneyStage{Key: "internal_audit", Title: "Audit the SMS internally",
		About: "Internal audits, independent of what they audit, that together cover every clause within the cycle, their findings recorded."}
	covered := sms.JourneyCheck{Label: "Clauses covered by completed internal audits", Have: 7 - len(missing), Want: 7, Href: audits + "?origin=internal",
		Help: "Of clauses 4 to 10, those covered by internal audits completed in the last three years."}
	if done == 0 {
		covered.Have = 0
	}
	internal.Checks = []sms.JourneyCheck{covered}
	if !covered.Done() {
		internal.Next, internal.NextHref = "Plan and run the internal audits", "/"+assurance.ProgrammeKind.Path()
	}

	review := sms.JourneyStage{Key: "management_review", Title: "Review as management",
		About: "Top management reviews the SMS, the internal audit's results among its inputs, and decides what to improve."}
	held, ok, err := c.LastHeldReview(ctx, actor, 0)
	if err != nil {
		return nil, err
	}
	after := sms.JourneyCheck{Label: "Management review held after the internal audit", Href: "/" + assurance.ManagementReviewKind.Path(),
		Help: "A review held on or after the day the latest internal audit ended."}
	if ok && last != "" && held.HeldOn >= last {
		after.Have = 1
	}
	review.Checks = []sms.JourneyCheck{after}
	if !after.Done() {
		review.Next, review.NextHref = "Prepare and hold a management review", "/"+assurance.ManagementReviewKind.Path()
	}

	body, err := c.bodyCheck(ctx, actor, today)
	if err != nil {
		return nil, err
	}
	choose := sms.JourneyStage{Key: "certification_body", Title: "Choose a certification body",
		About: "A body accredited for ISO/IEC 20000-1, its accreditation checked, booked for the certification audit."}
	verified := sms.JourneyCheck{Label: "Accredited body verified within the year", Href: body.Href, Help: body.Help}
	if body.Pass {
		verified.Have = 1
	}
	choose.Checks = []sms.JourneyCheck{verified}
	if !body.Pass {
		choose.Next, choose.NextHref = body.Fix, body.Href
	}

	external := func(typ string) (int, error) {
		n := 0
		for _, state := range []string{"completed", "report_issued"} {
			list, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{Origin: "external", Type: typ, State: state, Limit: store.MaxLimit})
			if err != nil {
				return 0, err
			}
			n += len(list)
		}
		return n, nil
	}
	pre, err := external("pre_audit")
	if err != nil {
		return nil, err
	}
	stage1, err := external("stage1")
	if err != nil {
		return nil, err
	}
	stage2, err := external("stage2")
	if err != nil {
		return nil, err
	}
	certify := sms.JourneyStage{Key: "certification_audit", Title: "Pass the certification audit",
		About: "The body's stage 1 audit of the documentation and readiness, then its stage 2 audit of the SMS at work; a pre-audit before them is optional."}
	certify.Checks = []sms.JourneyCheck{
		{Label: "Pre-audit completed (optional)", Have: pre, Info: true, Href: audits + "?origin=external&type=pre_audit",
			Help: "A rehearsal by the body or a consultant; it holds nothing back."},
		{Label: "Stage 1 audit completed", Have: stage1, Href: audits + "?origin=external&type=stage1",
			Help: "The body reviews the documentation, the scope and whether the SMS is ready for stage 2."},
		{Label: "Stage 2 audit completed", Have: stage2, Href: audits + "?origin=external&type=stage2",
			Help: "The body audits the SMS at work, sampling records across every clause."},
	}
	switch {
	case stage1 == 0:
		certify.Next, certify.NextHref = "Check the stage 1 readiness", ReadinessPath
	case stage2 == 0:
		certify.Next, certify.NextHref = "Plan the stage 2 audit", audits+"/new"
	}

	open, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{Origin: "external_audit", Open: true, Limit: store.MaxLimit}})
	if err != nil {
		return nil, err
	}
	all, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{Origin: "external_audit", Limit: store.MaxLimit}})
	if err != nil {
		return nil, err
	}
	address := sms.JourneyStage{Key: "nonconformities", Title: "Address the nonconformities",
		About: "Every nonconformity the body found corrected, its cause removed and the correction verified; the majors before the certificate can be issued."}
	closed := sms.JourneyCheck{Label: "External audit nonconformities closed", Have: len(all) - len(open), Want: len(all),
		Href: "/" + assurance.NonconformityKind.Path() + "?origin=external_audit", Help: "Nonconformities raised from the certification body's findings, closed."}
	if len(all) == 0 {
		closed.Label, closed.Want = "No nonconformity from the certification body open", 0
		closed.Have = map[bool]int{true: 1}[stage1 > 0]
	}
	address.Checks = []sms.JourneyCheck{closed}
	if !closed.Done() && len(open) > 0 {
		address.Next, address.NextHref = "Carry the nonconformities to closure", closed.Href
	}

	standings, err := c.activeStandings(ctx, actor)
	if err != nil {
		return nil, err
	}
	certs := "/" + assurance.CertificateKind.Path()
	certified := sms.JourneyStage{Key: "certified", Title: "Certified",
		About: "The body's decision recorded and the certificate issued, naming the scope; its cycle of surveillance and recertification planned."}
	active := sms.JourneyCheck{Label: "Certificate in force", Have: len(standings), Href: certs, Help: "A certificate whose status is active and whose expiry has not passed."}
	certified.Checks = []sms.JourneyCheck{active}
	if len(standings) == 0 {
		certified.Next, certified.NextHref = "Record the certificate", certs+"/new"
	}

	surveillance := sms.JourneyStage{Key: "surveillance", Title: "Stay certified through surveillance",
		About: "A surveillance audit by the body at least once a calendar year, the first within twelve months of the certification decision; one missed puts the certificate at risk of suspension."}
	recert := sms.JourneyStage{Key: "recertification", Title: "Recertify before expiry",
		About: "A recertification audit completed before the certificate expires starts a new three-year cycle."}
	onTime := sms.JourneyCheck{Label: "Surveillance audits on time", Href: certs, Help: "No surveillance audit of a certificate in force past its due-by day without being done."}
	renewal := sms.JourneyCheck{Label: "Recertification on time", Href: certs, Help: "The recertification audit is not past its due-by day."}
	if len(standings) > 0 {
		onTime.Have, renewal.Have = 1, 1
		for _, s := range standings {
			switch s.Risk {
			case "suspension":
				onTime.Have = 0
				surveillance.Next, surveillance.NextHref = "Hold the overdue surveillance audit", fmt.Sprintf("%s/%d", certs, s.ID)
			case "lapse":
				renewal.Have = 0
				recert.Next, recert.NextHref = "Hold the recertification audit", fmt.Sprintf("%s/%d", certs, s.ID)
			}
		}
	}
	surveillance.Checks, recert.Checks = []sms.JourneyCheck{onTime}, []sms.JourneyCheck{renewal}
	return []sms.JourneyStage{internal, review, choose, certify, address, certified, surveillance, recert}, nil
}

// activeStandings are the certificates in force with their standing.
func (c *Catalogue) activeStandings(ctx context.Context, actor access.Actor) ([]Standing, error) {
	list, _, err := c.ListCertificates(ctx, actor, store.CertificateFilter{State: "active", Today: c.Today(), Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	return c.Standings(ctx, list)
}
