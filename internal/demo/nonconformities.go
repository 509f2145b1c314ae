package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// demoNC is one demo nonconformity and how far it has got: each step
// recorded when its day is set.
type demoNC struct {
	title, description, severity, origin, clause, owner string
	raised                                              int
	correction, correctedBy                             string
	corrected                                           int
	whys                                                []string
	category, cause                                     string
	analysed                                            int
	actions                                             []demoAction
	verifiedBy, note                                    string
	verified, closed                                    int
}

type demoAction struct {
	title, owner, state string
	due                 int
}

// LoadNonconformities adds nonconformities in every state, carried
// through the use cases step by step: a major one from the certification
// body's pre-assessment, still open; a late service report, corrected but
// past the day its root cause was due; a major incident escalated late,
// analysed with its corrective actions under way; missed restore tests,
// verified as put right; slow access requests, closed; and the same slow
// access requests again this month, recurring.
func LoadNonconformities(ctx context.Context, c *assuranceapp.Catalogue, s *smsapp.Catalogue, db *store.DB) error {
	fw, err := db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return err
	}
	tree, err := db.RequirementTree(ctx, fw.ID)
	if err != nil {
		return err
	}
	clause := map[string]int64{}
	for _, r := range tree {
		clause[r.Code] = r.ID
	}
	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	people := map[string]access.Actor{}
	person := func(email string) (access.Actor, error) {
		if a, ok := people[email]; ok {
			return a, nil
		}
		u, err := db.UserByEmail(ctx, email)
		if err != nil {
			return access.Actor{}, fmt.Errorf("demo nonconformities: %s: %w", email, err)
		}
		people[email] = u.Actor("demo")
		return people[email], nil
	}
	const (
		sam    = "sam.patel@northwind.example"
		jordan = "jordan.lee@northwind.example"
		riley  = "riley.chen@northwind.example"
		casey  = "casey.novak@northwind.example"
	)
	for _, d := range []demoNC{
		{title: "Access requests for new Tailspin staff took longer than the agreed two days", severity: "minor", origin: "complaint", clause: "8.6.2", owner: jordan, raised: -200,
			description: "Omar Haddad complained that five of eight access requests for Tailspin Logistics' new warehouse staff in the month took three to six working days; the service level agreement promises two.",
			correction:  "The three requests still waiting were done the same day and Tailspin was told why the others had been late.", correctedBy: casey, corrected: -199,
			whys: []string{
				"The requests waited in the general queue behind incidents.",
				"Access requests had no category of their own, so the desk could not see their two-day target.",
				"The request catalogue was set up before the Tailspin agreement and never updated.",
			},
			cause: "New service level agreements are not carried into the service desk's request categories.", analysed: -190,
			actions: []demoAction{
				{"Add an access request category with its own two-day target for Tailspin", jordan, "done", -180},
				{"Add \"update the request categories\" to the checklist for a new agreement", jordan, "done", -170},
			},
			verifiedBy: sam, verified: -140, note: "Two months of Tailspin access requests after the change: 31 requests, all done within two days.", closed: -135},
		{title: "Quarterly restore test of the hosting backups was not run", severity: "minor", origin: "monitoring", clause: "8.7.2", owner: riley, raised: -110,
			description: "The continuity plan asks for a test restore of the managed hosting backups each quarter; the monthly operations review found none recorded for the last quarter.",
			correction:  "A full restore of the largest customer database was run at the second site and its result filed.", correctedBy: riley, corrected: -105,
			category: "process", cause: "The restore test was nobody's task: it lived only in the continuity plan and in no team's calendar.", analysed: -95,
			actions: []demoAction{
				{"Put the quarterly restore test in the operations calendar with a named owner", riley, "done", -80},
			},
			verifiedBy: sam, verified: -4, note: "This quarter's restore test ran on its calendar day without a reminder; result filed with the continuity records."},
		{title: "Major incident at Contoso Retail was escalated three hours late", severity: "major", origin: "incident", clause: "8.6.1", owner: jordan, raised: -40,
			description: "Card payments failed in 40 Contoso stores on a Saturday morning. The desk logged it as priority 2; the duty manager was called only three hours later, when the customer phoned him directly.",
			correction:  "The incident was raised to a major incident, the duty manager took over and payments were restored in 50 minutes; Contoso got a written account the same day.", correctedBy: casey, corrected: -39,
			whys: []string{
				"The agent classed the outage as priority 2.",
				"Nothing on the triage screen says when a store outage is a major incident.",
				"There is no written definition of a major incident.",
				"The major incident procedure was never written when the desk moved to the new tool.",
			},
			cause: "No written definition of a major incident, and no prompt for it where agents triage.", analysed: -30,
			actions: []demoAction{
				{"Write the major incident criteria into the service desk's triage checklist", casey, "done", -20},
				{"Page the duty manager automatically for every priority 1 incident", riley, "in_progress", 14},
			}},
		{title: "Fabrikam Health's monthly service report was sent nine days late", severity: "minor", origin: "complaint", clause: "9.4", owner: sam, raised: -70,
			description: "Lena Roth complained that the availability report for the clinics' scheduling service reached her nine days after the date in the agreement, after their own board meeting.",
			correction:  "The report was finished and sent the day the complaint came in, with an apology and the figures she needed for the board.", correctedBy: sam, corrected: -68},
		{title: "Emergency changes are not reviewed after they are made", severity: "major", origin: "external_audit", clause: "8.5.1.3", owner: jordan, raised: -6,
			description: "In the certification body's pre-assessment, the auditor sampled six emergency changes to the hosting platform from the last quarter: none had the review after the change that the change management policy asks for, and two had no record of who approved them."},
		{title: "Access requests again took longer than the agreed two days", severity: "minor", origin: "monitoring", clause: "8.6.2", owner: jordan, raised: -9,
			description: "The month's request report shows 7 of 26 access requests over two working days, four of them for Contoso Retail's seasonal staff, whose agreement came in after the fix for Tailspin."},
	} {
		if err := d.load(ctx, c, s, clause, day, person); err != nil {
			return fmt.Errorf("demo nonconformity %q: %w", d.title, err)
		}
	}
	return nil
}

func (d demoNC) load(ctx context.Context, c *assuranceapp.Catalogue, s *smsapp.Catalogue, clause map[string]int64, day func(int) string,
	person func(string) (access.Actor, error)) error {
	sam, err := person("sam.patel@northwind.example")
	if err != nil {
		return err
	}
	owner, err := person(d.owner)
	if err != nil {
		return err
	}
	req, ok := clause[d.clause]
	if !ok {
		return fmt.Errorf("no requirement %s in the built-in framework", d.clause)
	}
	n, err := c.CreateNonconformity(ctx, sam, assurance.NonconformityInput{Title: d.title, Description: d.description, Severity: d.severity,
		Origin: d.origin, RequirementID: req, OwnerID: owner.UserID, RaisedOn: day(d.raised)})
	if err != nil || d.correction == "" {
		return err
	}
	by, err := person(d.correctedBy)
	if err != nil {
		return err
	}
	if n, err = c.RecordCorrection(ctx, owner, n.ID, n.Version, assurance.CorrectionInput{Correction: d.correction, CorrectedBy: by.UserID, CorrectedOn: day(d.corrected)}); err != nil || d.cause == "" {
		return err
	}
	in := assurance.AnalysisInput{Method: "five_whys", Whys: d.whys, Summary: d.cause, AnalysedOn: day(d.analysed)}
	if d.category != "" {
		in.Method, in.Category = "category", d.category
	}
	if n, err = c.RecordAnalysis(ctx, owner, n.ID, n.Version, in); err != nil {
		return err
	}
	for _, a := range d.actions {
		who, err := person(a.owner)
		if err != nil {
			return err
		}
		if _, err := s.CreateAction(ctx, sam, sms.ActionInput{Title: a.title, OwnerID: who.UserID, DueOn: day(a.due), State: a.state, Priority: "high",
			Source: "nonconformity", SourceID: n.ID, Progress: map[string]int64{"in_progress": 60}[a.state]}); err != nil {
			return fmt.Errorf("corrective action %q: %w", a.title, err)
		}
	}
	if d.verifiedBy == "" {
		return nil
	}
	verifier, err := person(d.verifiedBy)
	if err != nil {
		return err
	}
	if n, err = c.RecordVerification(ctx, verifier, n.ID, n.Version, assurance.VerificationInput{Result: "effective", VerifiedBy: verifier.UserID,
		VerifiedOn: day(d.verified), Note: d.note}); err != nil || d.closed == 0 {
		return err
	}
	_, err = c.CloseNonconformity(ctx, sam, n.ID, n.Version, day(d.closed))
	return err
}
