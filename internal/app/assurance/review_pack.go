package assurance

import (
	"context"
	"fmt"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// PackQuery is what a section of a review's input pack is read for: the
// review, the day the pack is assembled, and the day of the last review
// held before it ("" for the first), from which changes are counted.
type PackQuery struct {
	Review assurance.ManagementReview
	Today  string
	Since  string
}

// SectionProvider builds one section of the input pack from the live
// records, as the actor may read them. A provider whose records do not
// exist says so in the section's Empty, plainly.
type SectionProvider struct {
	Input, Key, Title string
	Build             func(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error)
}

// PackProviders are the input pack's sections, in the order of the
// inputs a to k. Adding a section is adding its line: audits and
// nonconformities, kept by their own kinds, replace their placeholder
// lines with their providers (c.auditResults, c.nonconformityTrends).
func (c *Catalogue) PackProviders() []SectionProvider {
	return []SectionProvider{
		{"a", "earlier_actions", "Status of actions from earlier reviews", c.earlierActions},
		{"b", "context_changes", "Changes in internal and external issues and in interested parties", c.contextChanges},
		{"c", "nonconformities", "Nonconformities and corrective actions", c.nonconformitiesInput},
		{"c", "monitoring", "Monitoring and measurement results", c.monitoringInput},
		{"c", "audits", "Audit results", c.auditsInput},
		{"d", "improvements", "Opportunities for continual improvement", c.improvementInput},
		{"e", "feedback", "Feedback and complaints from customers and other interested parties", c.feedbackInput},
		{"e", "satisfaction", "Customer satisfaction", nothingYet("No customer satisfaction results are recorded yet.")},
		{"f", "policies", "Adherence to and suitability of the policies", c.policiesInput},
		{"g", "objectives", "Extent to which the objectives are met", c.objectivesInput},
		{"h", "services", "Performance of the services", nothingYet("No service performance records (service levels, service reports) are kept yet.")},
		{"i", "suppliers", "Performance of suppliers and other parties", nothingYet("No supplier performance records are kept yet.")},
		{"j", "resources", "Current and forecast resources", nothingYet("No resource records are kept yet: bring the resource needs to the review and record them in the minutes.")},
		{"k", "risks", "Risk assessment and actions on risks and opportunities", c.risksInput},
	}
}

// AssemblePack reads every section of the pack for the review, today.
func (c *Catalogue) AssemblePack(ctx context.Context, actor access.Actor, r assurance.ManagementReview) (assurance.ReviewPack, error) {
	last, ok, err := c.LastHeldReview(ctx, actor, r.ID)
	if err != nil {
		return assurance.ReviewPack{}, err
	}
	q := PackQuery{Review: r, Today: c.sms.Today(0)}
	if ok {
		q.Since = last.HeldOn
	}
	pack := assurance.ReviewPack{AssembledOn: q.Today, Since: q.Since}
	for _, p := range c.PackProviders() {
		s, err := p.Build(ctx, actor, q)
		if errs.Is(err, errs.Forbidden) {
			s, err = assurance.PackSection{Empty: "Not included: whoever prepared the review may not read these records."}, nil
		}
		if err != nil {
			return pack, fmt.Errorf("input pack, %s: %w", p.Key, err)
		}
		s.Input, s.Key, s.Title = p.Input, p.Key, p.Title
		pack.Sections = append(pack.Sections, s)
	}
	return pack, nil
}

// nothingYet is the provider of a section whose records Conform does not
// keep yet.
func nothingYet(empty string) func(context.Context, access.Actor, PackQuery) (assurance.PackSection, error) {
	return func(_ context.Context, _ access.Actor, q PackQuery) (assurance.PackSection, error) {
		return assurance.PackSection{Query: "Conform keeps no such records yet; read on " + q.Today + ".", Empty: empty}, nil
	}
}

// row names and links a record.
func row(k record.Kind, id int64, name, detail string) assurance.PackRow {
	return assurance.PackRow{Entity: k.Entity, ID: id, Number: k.Number(id), Name: name, Detail: detail, Href: fmt.Sprintf("/%s/%d", k.Path(), id)}
}

func fact(label string, n int) assurance.PackFact {
	return assurance.PackFact{Label: label, Value: strconv.Itoa(n)}
}

// sinceWords is "since <day>, the last review" or "so far", as no review was
// held before".
func sinceWords(q PackQuery) string {
	if q.Since == "" {
		return "so far (no review was held before)"
	}
	return "since " + q.Since + ", when the last review was held"
}

func (c *Catalogue) earlierActions(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Actions whose source is a management review other than this one, as on " + q.Today + ".",
		Href: "/" + sms.ActionKind.Path() + "?source=review"}
	as, _, err := c.sms.ListActions(ctx, actor, store.ActionFilter{Source: "review", Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	open, overdue, done := 0, 0, 0
	for _, a := range as {
		if a.SourceID == q.Review.ID {
			continue
		}
		detail := packLabel(sms.ActionStates, a.State)
		switch {
		case a.State == "done":
			done++
		case a.Overdue(q.Today):
			overdue++
			open++
			detail += ", overdue since " + a.DueOn
		case !a.Closed():
			open++
			if a.DueOn != "" {
				detail += ", due " + a.DueOn
			}
		}
		s.Rows = append(s.Rows, row(sms.ActionKind, a.ID, a.Title, detail))
	}
	if len(s.Rows) == 0 {
		s.Empty = "No actions came from earlier reviews."
		return s, nil
	}
	s.Facts = []assurance.PackFact{fact("Open", open), fact("Overdue", overdue), fact("Done", done)}
	return s, nil
}

func (c *Catalogue) contextChanges(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Context issues and interested parties created or changed " + sinceWords(q) + ", as on " + q.Today + "."}
	issues, _, err := c.sms.ListContextIssues(ctx, actor, store.ContextIssueFilter{Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	changed := func(m record.Meta) string {
		day := m.UpdatedAt.UTC().Format("2006-01-02")
		if q.Since != "" && day <= q.Since {
			return ""
		}
		if m.CreatedAt.Equal(m.UpdatedAt) {
			return "added on " + day
		}
		return "changed on " + day
	}
	ni, np := 0, 0
	for _, i := range issues {
		if w := changed(i.Meta); w != "" {
			ni++
			s.Rows = append(s.Rows, row(sms.ContextIssueKind, i.ID, i.Title, packLabel(sms.IssueOrigins, i.Origin)+" issue, "+w))
		}
	}
	parties, _, err := c.sms.ListInterestedParties(ctx, actor, store.InterestedPartyFilter{Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	for _, p := range parties {
		if w := changed(p.Meta); w != "" {
			np++
			s.Rows = append(s.Rows, row(sms.InterestedPartyKind, p.ID, p.Name, "Interested party, "+w))
		}
	}
	s.Facts = []assurance.PackFact{fact("Issues on record", len(issues)), fact("Issues added or changed", ni),
		fact("Interested parties on record", len(parties)), fact("Interested parties added or changed", np)}
	if ni+np == 0 {
		s.Empty = "No context issue or interested party was added or changed " + sinceWords(q) + "."
	}
	return s, nil
}

func (c *Catalogue) monitoringInput(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Values measured for the objectives " + sinceWords(q) + ", up to " + q.Today + ".",
		Href: "/" + sms.ObjectiveValueKind.Path()}
	vs, _, err := c.sms.ListObjectiveValues(ctx, actor, store.ObjectiveValueFilter{From: q.Since, To: q.Today, Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	n := 0
	for _, v := range vs {
		if q.Since == "" || v.On > q.Since {
			n++
		}
	}
	if n == 0 {
		s.Empty = "No values were measured " + sinceWords(q) + "."
		return s, nil
	}
	s.Facts = []assurance.PackFact{fact("Values measured", n)}
	return s, nil
}

func (c *Catalogue) improvementInput(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Improvement opportunities not rejected and not yet confirmed, as on " + q.Today + ", with their priority.",
		Href: "/" + assurance.ImprovementKind.Path() + "?open=1"}
	is, _, err := c.ListImprovements(ctx, actor, store.ImprovementFilter{Open: true, Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	byState := map[string]int{}
	for _, i := range is {
		byState[i.State]++
		detail := packLabel(assurance.ImprovementStates, i.State)
		if p := i.Priority(); p > 0 {
			detail += fmt.Sprintf(", priority %d (%s)", p, i.PriorityBand())
		}
		s.Rows = append(s.Rows, row(assurance.ImprovementKind, i.ID, i.Title, detail))
	}
	if len(is) == 0 {
		s.Empty = "No improvement opportunity is open."
		return s, nil
	}
	for _, st := range assurance.ImprovementStates {
		if n := byState[st.Code]; n > 0 {
			s.Facts = append(s.Facts, fact(st.Label, n))
		}
	}
	return s, nil
}

func (c *Catalogue) feedbackInput(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Improvement opportunities raised from complaints " + sinceWords(q) + ", as on " + q.Today + ". Conform keeps no complaints register yet.",
		Href: "/" + assurance.ImprovementKind.Path() + "?source=complaint"}
	is, _, err := c.ListImprovements(ctx, actor, store.ImprovementFilter{Source: "complaint", Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	for _, i := range is {
		if q.Since == "" || i.SubmittedOn > q.Since {
			s.Rows = append(s.Rows, row(assurance.ImprovementKind, i.ID, i.Title, "Raised from a complaint on "+i.SubmittedOn))
		}
	}
	if len(s.Rows) == 0 {
		s.Empty = "No complaints or feedback are recorded " + sinceWords(q) + "."
	}
	return s, nil
}

func (c *Catalogue) policiesInput(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Controlled documents of the type policy, with their status and next review day, as on " + q.Today + ".",
		Href: "/" + sms.DocumentKind.Path() + "?type=policy"}
	ds, _, err := c.sms.ListDocuments(ctx, actor, store.DocumentFilter{Type: "policy", Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	approved, overdue := 0, 0
	for _, d := range ds {
		detail := d.Status
		if d.Status == "approved" {
			approved++
		}
		if d.ReviewDueOn != "" {
			detail += ", review due " + d.ReviewDueOn
			if d.ReviewDueOn < q.Today {
				overdue++
				detail += " (overdue)"
			}
		}
		s.Rows = append(s.Rows, row(sms.DocumentKind, d.ID, d.Title, detail))
	}
	if len(ds) == 0 {
		s.Empty = "No policy is recorded as a controlled document yet."
		return s, nil
	}
	s.Facts = []assurance.PackFact{fact("Policies", len(ds)), fact("Approved", approved), fact("Review overdue", overdue)}
	return s, nil
}

func (c *Catalogue) objectivesInput(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Every objective with its latest measured value and whether it meets the target, as on " + q.Today + ".",
		Href: "/" + sms.ObjectiveKind.Path()}
	os, _, err := c.sms.ListObjectives(ctx, actor, store.ObjectiveFilter{Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	if len(os) == 0 {
		s.Empty = "No objectives are set yet."
		return s, nil
	}
	ids := make([]int64, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	latest, err := c.sms.LatestValues(ctx, actor, ids)
	if err != nil {
		return s, err
	}
	count := map[string]int{}
	for _, o := range os {
		var l *sms.ObjectiveValue
		detail := "no value yet"
		if v, ok := latest[o.ID]; ok {
			l = &v
			unit := ""
			if o.Unit != "" {
				unit = " " + o.Unit
			}
			cmp := "≥"
			if o.Direction == "lower" {
				cmp = "≤"
			}
			detail = fmt.Sprintf("%s%s on %s against a target of %s %s%s", sms.FormatNumber(v.Value), unit, v.On, cmp, sms.FormatNumber(o.Target), unit)
		}
		st := o.Standing(l)
		count[st]++
		s.Rows = append(s.Rows, row(sms.ObjectiveKind, o.ID, o.Statement, map[string]string{"met": "Met: ", "missed": "Missed: ", "none": ""}[st]+detail))
	}
	s.Facts = []assurance.PackFact{fact("Objectives", len(os)), fact("Meeting the target", count["met"]), fact("Missing the target", count["missed"]), fact("Without a value", count["none"])}
	return s, nil
}

func (c *Catalogue) risksInput(ctx context.Context, actor access.Actor, q PackQuery) (assurance.PackSection, error) {
	s := assurance.PackSection{Query: "Open risks and opportunities counted by the band of their residual score on the scales in force, the high and critical ones named, and the treatment actions still open, as on " + q.Today + ".",
		Href: "/" + sms.RiskKind.Path() + "?state=open"}
	scales, err := c.sms.RiskScales(ctx, actor)
	if err != nil {
		return s, err
	}
	rs, _, err := c.sms.ListRisks(ctx, actor, smsapp.RiskQuery{RiskFilter: store.RiskFilter{State: "open", Limit: store.MaxLimit}})
	if err != nil {
		return s, err
	}
	if len(rs) == 0 {
		s.Empty = "No open risks or opportunities are on the register."
		return s, nil
	}
	bands := map[string]int{}
	for _, r := range rs {
		b := scales.Band(r.ResidualScore())
		bands[b]++
		if b == "high" || b == "critical" {
			s.Rows = append(s.Rows, row(sms.RiskKind, r.ID, r.Title, fmt.Sprintf("%s, residual score %d", packLabel(sms.RiskBands, b), r.ResidualScore())))
		}
	}
	for _, b := range sms.RiskBands {
		s.Facts = append(s.Facts, fact(b.Label, bands[b.Code]))
	}
	as, _, err := c.sms.ListActions(ctx, actor, store.ActionFilter{Source: "risk", Open: true, Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	overdue := 0
	for _, a := range as {
		if a.Overdue(q.Today) {
			overdue++
		}
	}
	s.Facts = append(s.Facts, fact("Open treatment actions", len(as)), fact("Treatment actions overdue", overdue))
	return s, nil
}

// packLabel is a code's label.
func packLabel(codes []sms.Code, code string) string {
	for _, c := range codes {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}
