package assurance

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// ReadinessPath is the stage 1 check's page.
const ReadinessPath = "/readiness"

// Readiness reads, from the records as they are now, whether the SMS
// could pass the certification body's stage 1 audit today: each check
// passing or failing, with what fails and where to put it right. Whoever
// reads the requirements catalogue reads it.
func (c *Catalogue) Readiness(ctx context.Context, actor access.Actor) (assurance.Readiness, error) {
	r := assurance.Readiness{Today: c.db.Now().UTC().Format(time.DateOnly)}
	if err := app.Require(actor, access.FrameworksRead, "read whether the SMS is ready for its stage 1 audit"); err != nil {
		return r, err
	}
	for _, check := range c.readinessChecks() {
		ch, err := check(ctx, actor, r.Today)
		if err != nil {
			return r, err
		}
		r.Checks = append(r.Checks, ch)
	}
	return r, nil
}

// readinessCheck reads one check.
type readinessCheck func(ctx context.Context, actor access.Actor, today string) (assurance.ReadinessCheck, error)

// readinessChecks are the checks, in the order the page lists them.
func (c *Catalogue) readinessChecks() []readinessCheck {
	return []readinessCheck{c.scopeCheck, c.policyCheck, c.documentsCheck, c.clausesCheck, c.trainingCheck, c.auditCheck, c.reviewCheck, c.majorsCheck, c.bodyCheck}
}

func (c *Catalogue) scopeCheck(ctx context.Context, actor access.Actor, _ string) (assurance.ReadinessCheck, error) {
	ch := assurance.ReadinessCheck{Key: "scope", Label: "Scope approved", Href: "/" + sms.ScopeKind.Path(),
		Help: "The auditor starts from the scope: which services, locations and units the certificate will name."}
	cur, ok, err := c.sms.CurrentScope(ctx, actor)
	if err != nil {
		return ch, err
	}
	ch.Pass = ok
	if ok {
		ch.Say("%s is in force.", cur.Title())
		ch.Href = fmt.Sprintf("/%s/%d", sms.ScopeKind.Path(), cur.ID)
	} else {
		ch.Say("No revision of the scope is approved.")
		ch.Fix = "Write the scope and approve it"
	}
	return ch, nil
}

// communicated are the checklist items whose documents must be approved
// and acknowledged by everyone asked to read them.
var communicated = []string{"policy", "objectives"}

func (c *Catalogue) policyCheck(ctx context.Context, actor access.Actor, _ string) (assurance.ReadinessCheck, error) {
	ch := assurance.ReadinessCheck{Key: "policy", Label: "Policy and objectives approved and communicated", Href: "/document-checklist",
		Help: "Top management's policy and the SMS objectives, approved, and read and acknowledged by the people they concern."}
	cov, err := c.sms.DocumentCoverage(ctx, actor)
	if err != nil {
		return ch, err
	}
	ch.Pass = true
	for _, want := range communicated {
		var e sms.ChecklistEntry
		for _, it := range cov.Items {
			if it.Code == want {
				e = it
			}
		}
		if !e.Covered() {
			ch.Pass = false
			ch.Say("%s: not approved.", e.Title)
			continue
		}
		done, err := c.sms.Completion(ctx, actor, e.DocumentID)
		if err != nil {
			return ch, err
		}
		switch {
		case len(done.Readers) == 0:
			ch.Pass = false
			ch.Say("%s: no readers named.", e.Title)
		case len(done.Acknowledged) < len(done.Readers):
			ch.Pass = false
			ch.Say("%s: acknowledged by %d of %d readers.", e.Title, len(done.Acknowledged), len(done.Readers))
		default:
			ch.Say("%s: approved and acknowledged by all %d readers.", e.Title, len(done.Readers))
		}
	}
	if !ch.Pass {
		ch.Fix = "Approve them and have them acknowledged"
	}
	return ch, nil
}

func (c *Catalogue) documentsCheck(ctx context.Context, actor access.Actor, today string) (assurance.ReadinessCheck, error) {
	ch := assurance.ReadinessCheck{Key: "documents", Label: "Required documents approved and reviewed on time", Href: "/document-checklist",
		Help: "Every item of documented information the standard asks for, fulfilled by an approved document whose periodic review is not overdue."}
	cov, err := c.sms.DocumentCoverage(ctx, actor)
	if err != nil {
		return ch, err
	}
	var ids []int64
	for _, it := range cov.Items {
		if it.Covered() {
			ids = append(ids, it.DocumentID)
		}
	}
	late := 0
	if len(ids) > 0 {
		overdue, _, err := c.sms.ListDocuments(ctx, actor, store.DocumentFilter{IDs: ids, ReviewBefore: today, Limit: len(ids)})
		if err != nil {
			return ch, err
		}
		late = len(overdue)
	}
	missing := cov.Missing()
	ch.Pass = len(missing) == 0 && late == 0
	ch.Say("%d of %d required documents approved.", cov.Approved, cov.Total())
	if len(missing) > 0 {
		var names []string
		for _, m := range missing {
			names = append(names, m.Title)
		}
		ch.Say("Missing: %s.", names)
	}
	if late > 0 {
		ch.Say("%d overdue for review.", late)
	}
	if !ch.Pass {
		ch.Fix = "Write, approve or review the documents"
	}
	return ch, nil
}

func (c *Catalogue) clausesCheck(ctx context.Context, actor access.Actor, _ string) (assurance.ReadinessCheck, error) {
	ch := assurance.ReadinessCheck{Key: "clauses", Label: fmt.Sprintf("Every clause at least %d %% ready", assurance.ClauseThreshold), Href: "/" + sms.AssessmentKind.Path(),
		Help: "In the latest gap analysis, each of clauses 4 to 10 reaches the threshold, by the readiness formula of the assessments."}
	fw, err := c.db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return ch, err
	}
	latest, ok, err := c.db.LatestAssessment(ctx, fw.ID, "")
	if err != nil {
		return ch, err
	}
	if !ok {
		ch.Say("No gap analysis of ISO/IEC 20000-1 yet.")
		ch.Fix = "Start a gap analysis"
		return ch, nil
	}
	rp, err := c.sms.Outline(ctx, actor, latest.ID)
	if err != nil {
		return ch, err
	}
	ch.Href = fmt.Sprintf("/%s/%d", sms.AssessmentKind.Path(), latest.ID)
	var below []string
	for _, cl := range rp.Scores.Clauses {
		if p := cl.Readiness.Percent(); p < assurance.ClauseThreshold {
			below = append(below, fmt.Sprintf("%s: %d %%", cl.Requirement.Code, p))
		}
	}
	ch.Pass = len(below) == 0
	if ch.Pass {
		ch.Say("In %s, every clause reaches it; overall %d %%.", latest.Title, rp.Scores.Overall.Percent())
	} else {
		ch.Say("In %s, clauses below the threshold: %s.", latest.Title, below)
		ch.Fix = "Close the gaps"
	}
	return ch, nil
}

func (c *Catalogue) trainingCheck(ctx context.Context, actor access.Actor, today string) (assurance.ReadinessCheck, error) {
	ch := assurance.ReadinessCheck{Key: "training", Label: fmt.Sprintf("Training coverage at least %d %%", assurance.TrainingThreshold), Href: "/competences/matrix",
		Help: "The people in the SMS hold the competences their roles require, with certificates in date."}
	cov, err := c.sms.TrainingCoverage(ctx, actor, today)
	if err != nil {
		return ch, err
	}
	if cov.Required == 0 {
		ch.Say("No competences are required of any role yet.")
		ch.Fix = "Say which competences the roles need"
		return ch, nil
	}
	ch.Pass = cov.Percent() >= assurance.TrainingThreshold
	ch.Say("%d of %d required competences held (%d %%).", cov.Held, cov.Required, cov.Percent())
	if !ch.Pass {
		ch.Fix = "Close the training gaps"
	}
	return ch, nil
}

func (c *Catalogue) majorsCheck(ctx context.Context, actor access.Actor, _ string) (assurance.ReadinessCheck, error) {
	list := "/" + assurance.NonconformityKind.Path()
	ch := assurance.ReadinessCheck{Key: "majors", Label: "No open major nonconformity", Href: list + "?severity=major",
		Help: "A major nonconformity still open when the certification body comes holds certification back until it is corrected and verified."}
	open, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{Open: true, Severity: "major", Limit: store.MaxLimit}})
	if err != nil {
		return ch, err
	}
	ch.Pass = len(open) == 0
	if ch.Pass {
		ch.Say("No major nonconformity is open.")
		return ch, nil
	}
	var numbers []string
	for _, n := range open {
		numbers = append(numbers, assurance.NonconformityKind.Number(n.ID))
	}
	ch.Say("Major nonconformities open: %s.", numbers)
	ch.Fix = "Correct them and verify the corrections"
	return ch, nil
}
