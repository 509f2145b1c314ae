package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// loadProcesses adds the SMS's objectives with a year of monthly values
// (customer satisfaction the one below its target), owners, maturity and
// KPIs on the built-in processes (incident and change management fully
// described), the implementation team with Sam as project manager, and a
// RACI for the main processes and clauses.
func loadProcesses(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	sys := access.System
	user := map[string]int64{}
	for _, email := range []string{"sam.patel@northwind.example", "jordan.lee@northwind.example", "riley.chen@northwind.example",
		"casey.novak@northwind.example", "drew.okafor@northwind.example", "pat.lindqvist@northwind.example"} {
		u, err := db.UserByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("demo processes: %s: %w", email, err)
		}
		first, _, _ := strings.Cut(email, ".")
		user[first] = u.ID
	}

	// A year of month ends, the oldest first.
	now := time.Now().UTC()
	firstOfMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var months []string
	for i := 12; i >= 1; i-- {
		months = append(months, firstOfMonth.AddDate(0, -i+1, -1).Format(time.DateOnly))
	}
	objectives := map[string]int64{}
	for _, o := range []struct {
		key    string
		in     sms.ObjectiveInput
		values []float64
		notes  map[int]string
	}{
		{"resolution", sms.ObjectiveInput{Statement: "Resolve incidents within the agreed resolution times", OwnerID: user["jordan"],
			Measure: "Share of incidents closed in the month that were resolved within the resolution time their priority allows, from the incident records.",
			Unit:    "%", Target: 95, Direction: "higher", Frequency: "monthly"},
			[]float64{88.5, 89.1, 90.4, 91.0, 90.2, 92.7, 93.1, 94.0, 94.8, 95.6, 96.1, 95.9},
			map[int]string{5: "New priority matrix in use from this month.", 9: "First month above target."}},
		{"changes", sms.ObjectiveInput{Statement: "Keep failed changes rare", OwnerID: user["riley"],
			Measure: "Share of changes implemented in the month that failed or had to be backed out, from the change records.",
			Unit:    "%", Target: 5, Direction: "lower", Frequency: "monthly"},
			[]float64{9.1, 8.4, 7.9, 6.5, 7.2, 5.8, 5.1, 4.6, 4.9, 4.2, 3.9, 3.8},
			map[int]string{3: "Test environment for the warehouse system ready."}},
		{"satisfaction", sms.ObjectiveInput{Statement: "Keep customers satisfied with how their tickets were handled", OwnerID: user["jordan"],
			Measure: "Average rating customers gave to resolved incidents and requests in the month, on a scale of 1 to 5.",
			Unit:    "points", Target: 4.2, Direction: "higher", Frequency: "monthly",
			Notes: "Below target since the service desk lost two agents; recruiting is under way."},
			[]float64{4.3, 4.3, 4.4, 4.2, 4.3, 4.1, 4.0, 4.1, 3.9, 3.9, 4.0, 4.0},
			map[int]string{6: "Two agents left the service desk."}},
		{"availability", sms.ObjectiveInput{Statement: "Keep the customers' critical services available", OwnerID: user["riley"],
			Measure: "Availability of the services marked critical in the catalogue, within their agreed service hours, from the outage records.",
			Unit:    "%", Target: 99.9, Direction: "higher", Frequency: "monthly"},
			[]float64{99.92, 99.95, 99.81, 99.97, 99.93, 99.96, 99.99, 99.94, 99.97, 99.98, 99.95, 99.96},
			map[int]string{2: "Storage failure at the Contoso data centre, four hours."}},
	} {
		obj, err := c.CreateObjective(ctx, sys, o.in)
		if err != nil {
			return fmt.Errorf("demo objective %q: %w", o.in.Statement, err)
		}
		objectives[o.key] = obj.ID
		for i, v := range o.values {
			if _, err := c.RecordValue(ctx, sys, sms.ValueInput{ObjectiveID: obj.ID, On: months[i], Value: v, Note: o.notes[i]}); err != nil {
				return fmt.Errorf("demo objective %q: value for %s: %w", o.in.Statement, months[i], err)
			}
		}
	}

	procs, err := c.AllProcesses(ctx, sys)
	if err != nil {
		return err
	}
	process := map[string]sms.Process{}
	for _, p := range procs {
		process[p.Code] = p
	}
	for _, d := range []struct {
		code, owner            string
		maturity               int64
		scope, inputs, outputs string
		kpis                   []string
	}{
		{"incident", "jordan", 3,
			"From the moment an interruption or degradation is reported or detected until the user confirms service is restored; all services in the catalogue, all customers, both service desk sites.",
			"Calls, portal tickets and monitoring alerts; the service catalogue and SLAs; known errors from problem management.",
			"Restored services, resolved and closed incident records, major incident reports, trend data for problem management and service reporting.",
			[]string{"resolution", "satisfaction"}},
		{"change", "riley", 3,
			"Every change to a service or configuration item in the CMDB, from the request until the post-implementation review; standard changes are pre-approved by model.",
			"Requests for change, release plans, the CMDB, the change schedule and the risk assessment.",
			"Approved or rejected changes, the change schedule, post-implementation reviews, updated configuration records.",
			[]string{"changes"}},
		{"service_request", "jordan", 2, "", "", "", []string{"satisfaction"}},
		{"problem", "jordan", 2, "", "", "", nil},
		{"service_level", "jordan", 2, "", "", "", []string{"resolution"}},
		{"business_relationship", "sam", 1, "", "", "", []string{"satisfaction"}},
		{"release", "riley", 2, "", "", "", []string{"changes"}},
		{"configuration", "riley", 1, "", "", "", nil},
		{"availability", "riley", 2, "", "", "", []string{"availability"}},
		{"capacity", "riley", 1, "", "", "", nil},
		{"continuity", "riley", 1, "", "", "", nil},
		{"service_portfolio", "sam", 2, "", "", "", nil},
		{"improvement", "sam", 1, "", "", "", nil},
		{"management_review", "sam", 1, "", "", "", nil},
		{"internal_audit", "drew", 0, "", "", "", nil},
	} {
		p, ok := process[d.code]
		if !ok {
			continue // renamed or removed by the installation
		}
		owner, maturity := user[d.owner], d.maturity
		kpis := []int64{}
		for _, k := range d.kpis {
			kpis = append(kpis, objectives[k])
		}
		up := sms.ProcessUpdate{OwnerID: &owner, Maturity: &maturity, KPIIDs: &kpis}
		if d.scope != "" {
			up.Scope, up.Inputs, up.Outputs = &d.scope, &d.inputs, &d.outputs
		}
		if _, err := c.UpdateProcess(ctx, sys, p.ID, 0, up); err != nil {
			return fmt.Errorf("demo process %s: %w", d.code, err)
		}
	}

	for _, m := range []struct {
		who, role, responsibilities string
	}{
		{"sam", sms.ProjectManager, "Runs the certification project: plan, weekly progress meeting, reporting to the sponsor."},
		{"pat", "sponsor", "Chairs the steering group every month; approves the policy, the objectives and the budget."},
		{"jordan", "process_owner", "Incident, service request, problem and service level management."},
		{"riley", "process_owner", "Change, release, configuration, availability, capacity and continuity management."},
		{"drew", "member", "Plans and runs the internal audits; audits no process he helped design."},
	} {
		if _, err := c.AddProjectMember(ctx, sys, sms.MemberInput{UserID: user[m.who], Role: m.role, Responsibilities: m.responsibilities}); err != nil {
			return fmt.Errorf("demo team member %s: %w", m.who, err)
		}
	}

	clause := map[string]int64{}
	fw, err := db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return err
	}
	tree, err := db.RequirementTree(ctx, fw.ID)
	if err != nil {
		return err
	}
	for _, r := range tree {
		clause[r.Code] = r.ID
	}
	ids := func(who ...string) []int64 {
		out := []int64{}
		for _, w := range who {
			out = append(out, user[w])
		}
		return out
	}
	for _, r := range []struct {
		process, clause, accountable string
		responsible, consulted       []string
		informed                     []string
	}{
		{process: "incident", accountable: "jordan", responsible: []string{"jordan", "casey"}, consulted: []string{"riley"}, informed: []string{"sam"}},
		{process: "change", accountable: "riley", responsible: []string{"riley"}, consulted: []string{"jordan"}, informed: []string{"sam", "pat"}},
		{process: "problem", accountable: "jordan", responsible: []string{"casey"}, consulted: []string{"riley"}, informed: []string{"sam"}},
		{process: "internal_audit", accountable: "sam", responsible: []string{"drew"}, informed: []string{"pat"}},
		{clause: "5.1", accountable: "pat", responsible: []string{"sam"}, informed: []string{"jordan", "riley"}},
		{clause: "6.2", accountable: "sam", responsible: []string{"jordan", "riley"}, consulted: []string{"pat"}},
		{clause: "7.5", accountable: "sam", responsible: []string{"sam"}, consulted: []string{"drew"}, informed: []string{"jordan", "riley"}},
	} {
		in := sms.RaciInput{AccountableID: user[r.accountable], ResponsibleIDs: ids(r.responsible...), ConsultedIDs: ids(r.consulted...), InformedIDs: ids(r.informed...)}
		if r.process != "" {
			p, ok := process[r.process]
			if !ok {
				continue
			}
			in.ProcessID = &p.ID
		} else {
			id := clause[r.clause]
			in.RequirementID = &id
		}
		if _, err := c.CreateRaci(ctx, sys, in); err != nil {
			return fmt.Errorf("demo RACI %s%s: %w", r.process, r.clause, err)
		}
	}
	return nil
}
