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

// loadAssessment adds the gap analysis the provider is working through
// against the built-in framework: the context and leadership clauses
// largely in place, planning and support partly, operation a mix (incident
// and change management ahead, the rest behind), evaluation and
// improvement barely started.
func loadAssessment(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	fw, err := db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return fmt.Errorf("demo assessment: the built-in framework: %w", err)
	}
	users := map[string]int64{}
	for _, email := range []string{"sam.patel@northwind.example", "jordan.lee@northwind.example", "riley.chen@northwind.example"} {
		u, err := db.UserByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("demo assessment: %s: %w", email, err)
		}
		users[email] = u.ID
	}
	a, err := c.CreateAssessment(ctx, access.System, sms.AssessmentInput{FrameworkID: fw.ID, Title: "Gap analysis before the stage 1 audit",
		StartedOn: time.Now().UTC().AddDate(0, 0, -21).Format(time.DateOnly),
		Notes:     "Worked through with the process owners in weekly sessions; clause 8 is split between Jordan (service desk side) and Riley (change and release)."})
	if err != nil {
		return fmt.Errorf("demo assessment: %w", err)
	}
	rs, err := c.ResultsOf(ctx, access.System, a.ID)
	if err != nil {
		return err
	}
	notes := map[string]string{
		"4.3":   "Scope statement drafted; waiting for the managing director's sign-off.",
		"5.2":   "Policy approved in the last management meeting.",
		"6.2":   "Objectives agreed, but only two of five have a measure and a target.",
		"7.5":   "Documents live in three places; the register lists about half of them.",
		"8.6.1": "Incidents are handled well day to day; there is no written definition of a major incident yet (see the action).",
		"8.5.1": "Change advisory board meets weekly; emergency changes are not reviewed afterwards.",
		"9.2":   "No internal audit has been held yet; the programme is being planned.",
		"10.1":  "Nonconformities are fixed but not recorded or analysed for causes.",
	}
	for i, r := range rs {
		req, err := c.GetRequirement(ctx, access.System, r.RequirementID)
		if err != nil {
			return err
		}
		clause, _, _ := strings.Cut(req.Code, ".")
		status, maturity, owner := demoStatus(clause, req.Code, i)
		if clause == "8" {
			owner = "jordan.lee@northwind.example"
			if strings.HasPrefix(req.Code, "8.5") || strings.HasPrefix(req.Code, "8.7") {
				owner = "riley.chen@northwind.example"
			}
		}
		ownerID, note := users[owner], notes[req.Code]
		if _, err := c.UpdateResult(ctx, access.System, r.ID, r.Version, sms.ResultUpdate{Status: &status, Maturity: &maturity, OwnerID: &ownerID, Notes: &note}); err != nil {
			return fmt.Errorf("demo assessment: result for %s: %w", req.Code, err)
		}
	}
	return nil
}

// demoStatus is where a requirement of the demo stands, by its clause,
// varied by its place in the framework so that each clause has a mix.
func demoStatus(clause, code string, i int) (status string, maturity int64, owner string) {
	owner = "sam.patel@northwind.example"
	switch clause {
	case "4", "5":
		if i%4 == 3 {
			return "partial", 2, owner
		}
		return "implemented", 3, owner
	case "6", "7":
		switch i % 3 {
		case 0:
			return "implemented", 3, owner
		case 1:
			return "partial", 2, owner
		}
		return "not_started", 1, owner
	case "8":
		if strings.HasPrefix(code, "8.6") || strings.HasPrefix(code, "8.5.1") {
			if i%2 == 0 {
				return "implemented", 3, owner
			}
			return "partial", 2, owner
		}
		switch i % 3 {
		case 0:
			return "partial", 2, owner
		case 1:
			return "not_started", 1, owner
		}
		return "not_started", 0, owner
	}
	if code == "9.1" {
		return "partial", 1, owner
	}
	return "not_started", 0, owner
}
