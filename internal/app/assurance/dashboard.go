package assurance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// DashboardPath is top management's dashboard.
const DashboardPath = "/dashboard"

// TrendAssessments is how many of the latest assessments the readiness
// trend shows.
const TrendAssessments = 12

// Dashboard reads what top management sees at a glance: readiness and its
// trend, the open nonconformities by severity and age, overdue actions,
// the audit programme's coverage, documents due for review, training
// coverage and the next certification event. Whoever reads the
// requirements catalogue reads it.
func (c *Catalogue) Dashboard(ctx context.Context, actor access.Actor) (assurance.Dashboard, error) {
	today := c.Today()
	d := assurance.Dashboard{Today: today, NCs: map[string]assurance.AgeBuckets{}, NCHref: "/" + assurance.NonconformityKind.Path()}
	if err := app.Require(actor, access.FrameworksRead, "read the dashboard"); err != nil {
		return d, err
	}
	for _, part := range []func(context.Context, access.Actor, *assurance.Dashboard) error{
		c.dashReadiness, c.dashNonconformities, c.dashActions, c.dashProgramme, c.dashDocuments, c.dashTraining, c.dashNext,
	} {
		if err := part(ctx, actor, &d); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (c *Catalogue) dashReadiness(ctx context.Context, actor access.Actor, d *assurance.Dashboard) error {
	fw, err := c.db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return err
	}
	list, _, err := c.sms.ListAssessments(ctx, actor, store.AssessmentFilter{FrameworkID: fw.ID, Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	// The order LatestAssessment reads: by start day, then by id.
	slices.SortFunc(list, func(a, b sms.Assessment) int {
		return cmp.Or(cmp.Compare(a.StartedOn, b.StartedOn), cmp.Compare(a.ID, b.ID))
	})
	if len(list) > TrendAssessments {
		list = list[len(list)-TrendAssessments:]
	}
	for _, a := range list {
		r, err := c.db.Readiness(ctx, a.ID, d.Today)
		if err != nil {
			return err
		}
		d.Trend = append(d.Trend, assurance.TrendPoint{AssessmentID: a.ID, Title: a.Title, Day: a.StartedOn, Percent: r.Percent()})
	}
	if n := len(d.Trend); n > 0 {
		d.Assessed, d.Readiness = true, d.Trend[n-1].Percent
		d.AssessHref = fmt.Sprintf("/%s/%d", sms.AssessmentKind.Path(), d.Trend[n-1].AssessmentID)
	}
	return nil
}

func (c *Catalogue) dashNonconformities(ctx context.Context, actor access.Actor, d *assurance.Dashboard) error {
	open, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{Open: true, Limit: store.MaxLimit}})
	if err != nil {
		return err
	}
	now, _ := time.Parse(time.DateOnly, d.Today)
	for _, n := range open {
		b := d.NCs[n.Severity]
		raised, err := time.Parse(time.DateOnly, n.RaisedOn)
		switch days := int(now.Sub(raised).Hours() / 24); {
		case err != nil || days < 30:
			b.Under30++
		case days < 90:
			b.Under90++
		default:
			b.Older++
		}
		d.NCs[n.Severity] = b
	}
	return nil
}

func (c *Catalogue) dashActions(ctx context.Context, actor access.Actor, d *assurance.Dashboard) error {
	var err error
	if d.OpenActions, err = c.sms.CountActions(ctx, actor, store.ActionCount{Open: true}); err != nil {
		return err
	}
	d.OverdueActions, err = c.sms.CountActions(ctx, actor, store.ActionCount{Open: true, DueBefore: d.Today})
	return err
}

// dashProgramme reads the coverage of the programme in force today, or
// else of the one that started last.
func (c *Catalogue) dashProgramme(ctx context.Context, actor access.Actor, d *assurance.Dashboard) error {
	ps, _, err := c.ListProgrammes(ctx, actor, store.AuditProgrammeFilter{Limit: store.MaxLimit})
	if err != nil || len(ps) == 0 {
		return err
	}
	best := ps[0]
	for _, p := range ps[1:] {
		inForce := p.StartOn <= d.Today && d.Today <= p.EndOn
		bestInForce := best.StartOn <= d.Today && d.Today <= best.EndOn
		if inForce && !bestInForce || inForce == bestInForce && p.StartOn > best.StartOn {
			best = p
		}
	}
	cov, err := c.Coverage(ctx, actor, best.ID)
	if err != nil {
		return err
	}
	d.ProgrammeID, d.ProgrammeTitle = best.ID, best.Title
	d.Requirements, d.Audited = len(cov.Rows), len(cov.Rows)-cov.Unaudited
	return nil
}

func (c *Catalogue) dashDocuments(ctx context.Context, actor access.Actor, d *assurance.Dashboard) error {
	count := func(before string) (int, error) {
		ds, _, err := c.sms.ListDocuments(ctx, actor, store.DocumentFilter{Status: "approved", ReviewBefore: before, Limit: store.MaxLimit})
		return len(ds), err
	}
	var err error
	if d.DocumentsOverdue, err = count(d.Today); err != nil {
		return err
	}
	soon, err := count(assurance.AddDays(d.Today, assurance.DocumentsDueDays+1))
	d.DocumentsDueSoon = soon - d.DocumentsOverdue
	return err
}

func (c *Catalogue) dashTraining(ctx context.Context, actor access.Actor, d *assurance.Dashboard) error {
	cov, err := c.sms.TrainingCoverage(ctx, actor, d.Today)
	d.TrainingHeld, d.TrainingOf = cov.Held, cov.Required
	return err
}

// dashNext finds the next event of the certification cycle: a planned
// audit of a certificate (the day booked, or else the day it is due by),
// an external audit planned, or a certificate's expiry.
func (c *Catalogue) dashNext(ctx context.Context, actor access.Actor, d *assurance.Dashboard) error {
	var events []assurance.NextEvent
	planned, _, err := c.ListPlannedAudits(ctx, actor, store.PlannedAuditFilter{Open: true, Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	for _, p := range planned {
		what, day := assurance.LabelOf(assurance.CycleAuditTypes, p.Type)+" audit due by this day", p.DueBy
		if p.PlannedOn != "" && p.PlannedOn >= d.Today {
			what, day = assurance.LabelOf(assurance.CycleAuditTypes, p.Type)+" audit", p.PlannedOn
		}
		events = append(events, assurance.NextEvent{What: what, Day: day, Href: fmt.Sprintf("/%s/%d", assurance.PlannedAuditKind.Path(), p.ID)})
	}
	if err := audits.MayRead(actor, "read"); err != nil {
		return err
	}
	id, title, start, ok, err := c.db.NextExternalAudit(ctx)
	if err != nil {
		return err
	}
	if ok {
		events = append(events, assurance.NextEvent{What: title, Day: start, Href: fmt.Sprintf("/%s/%d", assurance.AuditKind.Path(), id)})
	}
	certs, err := c.activeStandings(ctx, actor)
	if err != nil {
		return err
	}
	for _, s := range certs {
		events = append(events, assurance.NextEvent{What: "Certificate " + s.CertNumber + " expires", Day: s.ExpiresOn, Href: fmt.Sprintf("/%s/%d", assurance.CertificateKind.Path(), s.ID)})
	}
	// The earliest still to come; an overdue one (day past) comes first.
	slices.SortFunc(events, func(a, b assurance.NextEvent) int { return cmp.Compare(a.Day, b.Day) })
	if len(events) > 0 {
		d.Next = events[0]
		now, _ := time.Parse(time.DateOnly, d.Today)
		if t, err := time.Parse(time.DateOnly, d.Next.Day); err == nil {
			d.Next.Days = int(t.Sub(now).Hours() / 24)
		}
	}
	return nil
}
