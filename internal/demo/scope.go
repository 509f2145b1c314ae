package demo

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// loadScope adds the provider's services with their customers, the scope
// (revision 1 approved with its exclusions, revision 2 a draft that adds
// the new customs portal), its context issues (climate change among
// them), its interested parties and its communication plan.
func loadScope(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	sys := access.System
	user := func(email string) (int64, error) {
		u, err := db.UserByEmail(ctx, email)
		if err != nil {
			return 0, fmt.Errorf("demo scope: %s: %w", email, err)
		}
		return u.ID, nil
	}
	orgs, _, err := db.ListOrganisations(ctx, store.OrganisationFilter{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	org := map[string]int64{}
	for _, o := range orgs {
		org[o.Name] = o.ID
	}
	svc := map[string]sms.Service{}
	for _, s := range []struct {
		name, owner, status, description string
		customers                        []string
	}{
		{"Service desk", "jordan.lee@northwind.example", "live", "Single point of contact for incidents and service requests, 07:00 to 19:00 on working days, by phone, portal and email.",
			[]string{"Contoso Retail", "Fabrikam Health", "Tailspin Logistics"}},
		{"Managed hosting", "riley.chen@northwind.example", "live", "Servers, storage and backup in the provider's two data centres, monitored around the clock.",
			[]string{"Contoso Retail", "Fabrikam Health"}},
		{"Network management", "riley.chen@northwind.example", "live", "Branch and store networks: routers, firewalls, Wi-Fi, monitored and patched.",
			[]string{"Contoso Retail", "Tailspin Logistics"}},
		{"Customs portal hosting", "riley.chen@northwind.example", "planned", "Hosting and support of Tailspin's new customs declaration portal, live from next quarter.",
			[]string{"Tailspin Logistics"}},
		{"Legacy mainframe hosting", "riley.chen@northwind.example", "live", "Batch processing on the leased mainframe for one customer, until its migration ends.",
			[]string{"Fabrikam Health"}},
	} {
		owner, err := user(s.owner)
		if err != nil {
			return err
		}
		in := sms.ServiceInput{Name: s.name, OwnerID: owner, Status: s.status, Description: s.description}
		for _, cu := range s.customers {
			in.CustomerIDs = append(in.CustomerIDs, org[cu])
		}
		if svc[s.name], err = c.CreateService(ctx, sys, in); err != nil {
			return fmt.Errorf("demo service %s: %w", s.name, err)
		}
	}
	first := sms.ScopeInput{
		Statement: "The service management system of Northwind IT Services supporting the service desk, managed hosting and network management services " +
			"delivered to its customers from its Leeds head office and its two data centres.",
		ServiceIDs: []int64{svc["Service desk"].ID, svc["Managed hosting"].ID, svc["Network management"].ID},
		Locations:  "Head office, Leeds\nData centre North, Leeds\nData centre South, Sheffield",
		Units:      "Service desk\nInfrastructure\nChange advisory board\nSMS implementation team",
		Interfaces: "Datacentre power and cooling: Yorkshire Colo Ltd under contract YC-2291\nWide-area links: the carriers chosen by each customer, managed by Northwind\nCustomers' own IT teams for applications Northwind does not run",
		Exclusions: []sms.Exclusion{
			{Subject: "Legacy mainframe hosting", Justification: "Delivered from a leased mainframe run by its vendor under the vendor's own processes; the service ends when Fabrikam's migration completes next year."},
			{Subject: "Software development team", Justification: "Builds internal tools only and delivers no service to customers."},
		},
	}
	r1, err := c.CreateScope(ctx, sys, first)
	if err != nil {
		return fmt.Errorf("demo scope: %w", err)
	}
	pat, err := db.UserByEmail(ctx, "pat.lindqvist@northwind.example")
	if err != nil {
		return err
	}
	if _, err := c.ApproveScope(ctx, pat.Actor("system"), r1.ID, r1.Version); err != nil {
		return fmt.Errorf("demo scope approval: %w", err)
	}
	next := first
	next.ServiceIDs = append(append([]int64{}, first.ServiceIDs...), svc["Customs portal hosting"].ID)
	next.Statement = "The service management system of Northwind IT Services supporting the service desk, managed hosting, network management and customs portal hosting services " +
		"delivered to its customers from its Leeds head office and its two data centres."
	if _, err := c.CreateScope(ctx, sys, next); err != nil {
		return fmt.Errorf("demo scope draft: %w", err)
	}

	sam, err := user("sam.patel@northwind.example")
	if err != nil {
		return err
	}
	riley, err := user("riley.chen@northwind.example")
	if err != nil {
		return err
	}
	for _, i := range []sms.ContextIssueInput{
		{Title: "Hotter summers strain data centre cooling", Origin: "external", Category: "environmental", Climate: true, OwnerID: riley,
			Description: "Two heatwaves last summer took Data centre South within 2 °C of its cooling limit.",
			Effect:      "Availability of managed hosting at risk on the hottest days; energy costs rising.",
			Response:    "Capacity plan to include cooling; risk raised; customers told of the summer change freeze."},
		{Title: "Customers ask for evidence of ISO/IEC 20000-1", Origin: "external", Category: "economic", OwnerID: sam,
			Description: "Two tenders this year required certification or a plan to reach it.",
			Effect:      "Without certification Northwind loses public-sector and health tenders.",
			Response:    "The certification project; target stage 1 audit in spring."},
		{Title: "New health data regulation", Origin: "external", Category: "legal", OwnerID: sam,
			Description: "Stricter rules on where patient data may be stored and who may reach it.",
			Effect:      "Fabrikam Health's services must show data residency and access logging.",
			Response:    "Information security controls reviewed with Fabrikam; contract annex updated."},
		{Title: "Two senior engineers leaving this year", Origin: "internal", Category: "organisational", OwnerID: riley,
			Description: "Knowledge of the network estate sits with few people.",
			Effect:      "Incident resolution for network management could slow.",
			Response:    "Knowledge articles and pairing on every major change until they leave."},
		{Title: "Ticketing tool reaches end of support", Origin: "internal", Category: "technological", OwnerID: sam,
			Description: "The current tool's vendor ends support in eighteen months.",
			Effect:      "Records and reports the SMS relies on must move without loss.",
			Response:    "Move to Conform, which keeps the SMS and the tickets together."},
	} {
		if _, err := c.CreateContextIssue(ctx, sys, i); err != nil {
			return fmt.Errorf("demo context issue %q: %w", i.Title, err)
		}
	}
	for _, p := range []sms.InterestedPartyInput{
		{Name: "Customers", Category: "customer", Relevance: "high",
			Requirements: "Services delivered as the service level agreements say; monthly service reports; notice of changes that affect them.",
			Response:     "Service level management and monthly reviews with each customer's service manager."},
		{Name: "Fabrikam Health's patients", Category: "user", Relevance: "medium",
			Requirements: "Clinics' systems available during opening hours; their records kept confidential.",
			Response:     "Availability targets for clinic systems; information security controls."},
		{Name: "Staff", Category: "staff", Relevance: "medium",
			Requirements: "Clear roles, training for the tools and processes they use, a workload they can carry.",
			Response:     "Role descriptions, the training plan and the on-call rota."},
		{Name: "Board of directors", Category: "management", Relevance: "high",
			Requirements: "Certification within the year; margins kept; no major incident in the press.",
			Response:     "Quarterly management reviews; the certification project's plan."},
		{Name: "Yorkshire Colo Ltd", Category: "supplier", Relevance: "medium",
			Requirements: "Payment on time; notice of capacity needs six months ahead; lower energy use per rack, as part of its climate commitments.",
			Response:     "Supplier reviews twice a year; capacity plan shared."},
		{Name: "Information Commissioner's Office", Category: "regulator", Relevance: "high",
			Requirements: "Personal data processed lawfully; breaches reported within 72 hours.",
			Response:     "Data protection procedure; breach handling in the incident process."},
	} {
		if _, err := c.CreateInterestedParty(ctx, sys, p); err != nil {
			return fmt.Errorf("demo interested party %q: %w", p.Name, err)
		}
	}
	pat2 := pat.ID
	jordan, err := user("jordan.lee@northwind.example")
	if err != nil {
		return err
	}
	for _, m := range []sms.CommunicationInput{
		{Subject: "Service management policy", Audience: "All staff", Frequency: "yearly", Timing: "After each management review", Channel: "intranet", OwnerID: pat2},
		{Subject: "Service reports", Audience: "Each customer's service manager", Frequency: "monthly", Timing: "By the fifth working day", Channel: "report", OwnerID: jordan},
		{Subject: "Major incident updates", Audience: "Affected customers", Frequency: "event", Timing: "Within 30 minutes, then every hour", Channel: "email", OwnerID: jordan,
			Notes: "From the incident manager; templates in the major incident procedure."},
		{Subject: "Forward schedule of change", Audience: "Customers and the service desk", Frequency: "weekly", Timing: "Every Tuesday after the change advisory board", Channel: "portal", OwnerID: riley},
		{Subject: "SMS objectives and performance", Audience: "Top management", Frequency: "quarterly", Channel: "meeting", OwnerID: sam},
		{Subject: "Internal audit results", Audience: "Process owners and top management", Frequency: "event", Timing: "Within two weeks of each audit", Channel: "report", OwnerID: sam},
	} {
		if _, err := c.CreateCommunication(ctx, sys, m); err != nil {
			return fmt.Errorf("demo communication %q: %w", m.Subject, err)
		}
	}
	return nil
}
