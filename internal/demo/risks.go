package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// loadRisks adds the register of risks and opportunities: ten entries
// spread over the matrix, with each treatment, some accepted by the SMS
// manager or top management, some with treatment actions, and one whose
// review is overdue.
func loadRisks(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	sys := access.System
	user := func(email string) (int64, error) {
		u, err := db.UserByEmail(ctx, email)
		return u.ID, err
	}
	svcs, _, err := c.ListServices(ctx, sys, store.ServiceFilter{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	svc := map[string]int64{}
	for _, s := range svcs {
		svc[s.Name] = s.ID
	}
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
	for _, r := range []struct {
		title, category, kind, owner, treatment, acceptor, review, state string
		l, i, rl, ri                                                     int64
		services, clauses                                                []string
		description                                                      string
		actions                                                          []string
	}{
		{"The colocation provider fails in both data centres at once", "supplier", "risk", "riley.chen@northwind.example", "mitigate", "", day(60), "open",
			3, 5, 2, 4, []string{"Managed hosting"}, []string{"8.2.3", "8.7.2"},
			"Both sites are leased from Yorkshire Colo Ltd; a contract dispute or insolvency would stop hosting for two customers.",
			[]string{"Get a quote for a third site with another provider", "Test the restore of the hosting backups at the other site"}},
		{"Only one person can run the mainframe batch", "people", "risk", "riley.chen@northwind.example", "accept", "pat.lindqvist@northwind.example", day(30), "open",
			4, 3, 4, 3, []string{"Legacy mainframe hosting"}, []string{"7.2"},
			"The service ends with the customer's migration next year; training a second operator would not pay back.", nil},
		{"Ransomware encrypts the service desk's tools", "security", "risk", "jordan.lee@northwind.example", "mitigate", "", day(90), "open",
			3, 4, 2, 3, []string{"Service desk"}, []string{"8.7.3"},
			"Phishing against agents is the likeliest way in; the ticketing tool holds customer contact details.",
			[]string{"Roll out phishing-resistant sign-in for agents"}},
		{"Store networks run out of bandwidth at peak trading", "capacity", "risk", "riley.chen@northwind.example", "mitigate", "", day(-12), "open",
			4, 4, 3, 3, []string{"Network management"}, []string{"8.4.3"},
			"Black Friday traffic last year reached 92 % of the links' capacity in the largest stores.",
			[]string{"Upgrade the links of the ten busiest stores"}},
		{"A change to the firewall rules cuts off a branch", "service", "risk", "jordan.lee@northwind.example", "mitigate", "sam.patel@northwind.example", day(120), "open",
			3, 3, 2, 2, []string{"Network management"}, []string{"8.5.1"},
			"Changes are peer reviewed and rolled back automatically if the branch stops answering; the SMS manager accepted what is left.", nil},
		{"Patient data leaves the hosting platform", "compliance", "risk", "sam.patel@northwind.example", "transfer", "pat.lindqvist@northwind.example", day(180), "open",
			2, 5, 2, 3, []string{"Managed hosting"}, []string{"8.7.3"},
			"Cyber insurance and the customer's own data processing agreement carry part of the consequence.", nil},
		{"The customs portal launches before its support is ready", "continuity", "risk", "sam.patel@northwind.example", "avoid", "", day(45), "open",
			2, 4, 1, 4, []string{"Customs portal hosting"}, []string{"8.5.2"},
			"Go-live is tied to the support readiness check; no date is promised before it passes.", nil},
		{"Automate the monthly service reports", "service", "opportunity", "jordan.lee@northwind.example", "mitigate", "", day(75), "open",
			4, 2, 5, 3, []string{"Service desk"}, []string{"8.3.3"},
			"Reports are assembled by hand from three tools; automating them frees a day a month and makes them consistent.", nil},
		{"Reuse the ISO/IEC 27001 work for the SMS", "compliance", "opportunity", "sam.patel@northwind.example", "accept", "sam.patel@northwind.example", day(200), "open",
			3, 3, 3, 3, nil, []string{"4.4"},
			"The security team's asset and supplier registers cover much of what the SMS needs.", nil},
		{"Loss of the old ticketing tool's history", "other", "risk", "jordan.lee@northwind.example", "avoid", "", "", "closed",
			2, 2, 1, 1, []string{"Service desk"}, nil,
			"Closed: the history was exported to the new tool and checked.", nil},
	} {
		owner, err := user(r.owner)
		if err != nil {
			return fmt.Errorf("demo risk %q: owner %s: %w", r.title, r.owner, err)
		}
		in := sms.RiskInput{Title: r.title, Description: r.description, Category: r.category, Kind: r.kind, Treatment: r.treatment,
			ReviewOn: r.review, State: r.state, OwnerID: owner, Likelihood: r.l, Impact: r.i, ResidualLikelihood: r.rl, ResidualImpact: r.ri}
		if r.acceptor != "" {
			by, err := user(r.acceptor)
			if err != nil {
				return err
			}
			in.AcceptedBy, in.AcceptedOn = &by, day(-20)
		}
		for _, s := range r.services {
			in.ServiceIDs = append(in.ServiceIDs, svc[s])
		}
		for _, code := range r.clauses {
			if id, ok := clause[code]; ok {
				in.RequirementIDs = append(in.RequirementIDs, id)
			}
		}
		risk, err := c.CreateRisk(ctx, sys, in)
		if err != nil {
			return fmt.Errorf("demo risk %q: %w", r.title, err)
		}
		for n, title := range r.actions {
			if _, err := c.CreateAction(ctx, sys, sms.ActionInput{Title: title, OwnerID: owner, DueOn: day(14 + 21*n), Priority: "high",
				Source: "risk", SourceID: risk.ID}); err != nil {
				return fmt.Errorf("demo treatment action %q: %w", title, err)
			}
		}
	}
	return nil
}
