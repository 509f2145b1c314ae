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

// LoadSMS adds the management system's demo records after Load: the
// implementation plan's actions with start days, progress and what
// waits for what, some done, some overdue, one closing a
// gap against incident management; and the gap analysis under way.
func LoadSMS(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	owner := func(email string) (int64, error) {
		u, err := db.UserByEmail(ctx, email)
		return u.ID, err
	}
	reqs, _, err := c.ListRequirements(ctx, access.System, store.RequirementFilter{Query: "incident management", Limit: 1})
	if err != nil || len(reqs) == 0 {
		return fmt.Errorf("demo actions: the incident management requirement: %v", err)
	}
	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	// The plan: start days, progress and what waits for what (after:
	// the indexes of earlier lines); some on time, some overdue, one
	// started before what it waits for is done.
	var made []int64
	for _, a := range []struct {
		title, owner, start, due, state, priority, source string
		progress                                          int64
		after                                             []int
		gap                                               bool
		description                                       string
	}{
		{"Agree the scope of the SMS with top management", "sam.patel@northwind.example", day(-75), day(-40), "done", "high", "plan", 100, nil, false,
			"Which services, for which customers, from which locations; signed off by the managing director."},
		{"Write the service management policy", "sam.patel@northwind.example", day(-38), day(-10), "in_progress", "high", "plan", 70, []int{0}, false,
			"Draft is with top management; needs the objectives section."},
		{"Define what counts as a major incident", "casey.novak@northwind.example", day(-20), day(-3), "open", "high", "gap", 40, nil, true,
			"The gap assessment found no written definition and no procedure for major incidents."},
		{"Train the service desk on the new incident categories", "jordan.lee@northwind.example", day(-2), day(5), "in_progress", "medium", "plan", 20, []int{2}, false, ""},
		{"Set the SMS objectives and how they are measured", "sam.patel@northwind.example", day(-5), day(25), "open", "medium", "plan", 10, []int{1}, false,
			"One objective per service at least, each with a target and the report that measures it."},
		{"Plan the first internal audit", "drew.okafor@northwind.example", day(10), day(30), "open", "medium", "plan", 0, []int{1, 4}, false,
			"Cover clauses 4 to 7 first; the auditor may not audit change management, which Drew owns."},
		{"Hold the first management review", "sam.patel@northwind.example", day(45), day(60), "open", "medium", "plan", 0, []int{5}, false,
			"Inputs from the internal audit, the objectives and the open actions."},
	} {
		id, err := owner(a.owner)
		if err != nil {
			return fmt.Errorf("demo action %q: owner %s: %w", a.title, a.owner, err)
		}
		in := sms.ActionInput{Title: a.title, Description: a.description, OwnerID: id, StartOn: a.start, DueOn: a.due, State: a.state, Priority: a.priority,
			Source: a.source, Progress: a.progress}
		for _, i := range a.after {
			in.DependsOn = append(in.DependsOn, made[i])
		}
		if a.gap {
			in.SourceID = reqs[0].ID
		}
		act, err := c.CreateAction(ctx, access.System, in)
		if err != nil {
			return fmt.Errorf("demo action %q: %w", a.title, err)
		}
		made = append(made, act.ID)
	}
	if err := loadTraining(ctx, c, db); err != nil {
		return err
	}
	if err := loadDocuments(ctx, c, db); err != nil {
		return err
	}
	if err := loadScope(ctx, c, db); err != nil {
		return err
	}
	if err := loadAssessment(ctx, c, db); err != nil {
		return err
	}
	if err := loadEarlierAssessment(ctx, c, db); err != nil {
		return err
	}
	if err := loadEvidence(ctx, c, db); err != nil {
		return err
	}
	if err := loadProcesses(ctx, c, db); err != nil {
		return err
	}
	return loadRisks(ctx, c, db)
}
