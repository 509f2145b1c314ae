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
// implementation plan's actions, some done, some overdue, one closing a
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
	for _, a := range []struct {
		title, owner, due, state, priority, source string
		gap                                        bool
		description                                string
	}{
		{"Agree the scope of the SMS with top management", "sam.patel@northwind.example", day(-40), "done", "high", "plan", false,
			"Which services, for which customers, from which locations; signed off by the managing director."},
		{"Write the service management policy", "sam.patel@northwind.example", day(-10), "in_progress", "high", "plan", false,
			"Draft is with top management; needs the objectives section."},
		{"Define what counts as a major incident", "casey.novak@northwind.example", day(-3), "open", "high", "gap", true,
			"The gap assessment found no written definition and no procedure for major incidents."},
		{"Train the service desk on the new incident categories", "jordan.lee@northwind.example", day(5), "open", "medium", "plan", false, ""},
		{"Plan the first internal audit", "drew.okafor@northwind.example", day(30), "open", "medium", "plan", false,
			"Cover clauses 4 to 7 first; the auditor may not audit change management, which Drew owns."},
	} {
		id, err := owner(a.owner)
		if err != nil {
			return fmt.Errorf("demo action %q: owner %s: %w", a.title, a.owner, err)
		}
		in := sms.ActionInput{Title: a.title, Description: a.description, OwnerID: id, DueOn: a.due, State: a.state, Priority: a.priority, Source: a.source}
		if a.gap {
			in.SourceID = reqs[0].ID
		}
		if _, err := c.CreateAction(ctx, access.System, in); err != nil {
			return fmt.Errorf("demo action %q: %w", a.title, err)
		}
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
