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

// loadEarlierAssessment adds, beside the gap analysis under way, the
// first one the provider made some seven months before and closed: most
// requirements stood a step behind where they stand now, and two stood
// better (document control and capacity management, which slipped when
// the document tool was changed and the capacity planner left), so the
// comparison shows progress and a regression or two. It also answers
// the self-assessment questions of clauses 4 and 5 and of change
// management in the current assessment, as the owners did in their
// sessions.
func loadEarlierAssessment(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	current, _, err := c.ListAssessments(ctx, access.System, store.AssessmentFilter{State: "open", Limit: 1})
	if err != nil || len(current) != 1 {
		return fmt.Errorf("demo earlier assessment: the current one: %v", err)
	}
	rp, err := c.Report(ctx, access.System, current[0].ID)
	if err != nil {
		return err
	}
	a, err := c.CreateAssessment(ctx, access.System, sms.AssessmentInput{FrameworkID: rp.Framework.ID, Title: "Initial gap analysis",
		StartedOn: time.Now().UTC().AddDate(0, -7, 0).Format(time.DateOnly),
		Notes:     "The first look at where we stood, made by the SMS manager with the service desk lead in two workshops. Kept as the record of that day."})
	if err != nil {
		return fmt.Errorf("demo earlier assessment: %w", err)
	}
	then, err := c.ResultsOf(ctx, access.System, a.ID)
	if err != nil {
		return err
	}
	now := map[int64]sms.Result{}
	for _, r := range rp.Results {
		now[r.RequirementID] = r
	}
	slipped := map[string]bool{"7.5.3": true, "8.4.3": true}
	for i, r := range then {
		q, cur := rp.Requirements[r.RequirementID], now[r.RequirementID]
		status, maturity := cur.Status, cur.Maturity
		switch {
		case slipped[q.Code]:
			status, maturity = "implemented", 3
		case cur.Status == "implemented" && i%2 == 0:
			status, maturity = "partial", max(cur.Maturity-1, 1)
		case cur.Status == "partial" && i%3 != 0:
			status, maturity = "not_started", max(cur.Maturity-1, 0)
		}
		note := ""
		if slipped[q.Code] {
			note = "In place and working at the time."
		}
		if _, err := c.UpdateResult(ctx, access.System, r.ID, r.Version, sms.ResultUpdate{Status: &status, Maturity: &maturity, OwnerID: cur.OwnerID, Notes: &note}); err != nil {
			return fmt.Errorf("demo earlier assessment: result for %s: %w", q.Code, err)
		}
	}
	closed := "closed"
	if _, err := c.UpdateAssessment(ctx, access.System, a.ID, 0, sms.AssessmentUpdate{State: &closed}); err != nil {
		return fmt.Errorf("demo earlier assessment: close it: %w", err)
	}
	// The regressions, as the current assessment records them.
	for _, r := range rp.Results {
		q := rp.Requirements[r.RequirementID]
		if !slipped[q.Code] {
			continue
		}
		status, note := "partial", map[string]string{
			"7.5.3": "Since the move to the new document tool, review dates are not tracked and old versions are still in circulation.",
			"8.4.3": "The capacity plan has not been updated since the capacity planner left in the spring.",
		}[q.Code]
		if _, err := c.UpdateResult(ctx, access.System, r.ID, 0, sms.ResultUpdate{Status: &status, Notes: &note}); err != nil {
			return fmt.Errorf("demo assessment: result for %s: %w", q.Code, err)
		}
	}
	// Answers to the questions of clauses 4 and 5 and of 8.5.1.
	replies := []string{"yes", "partly", "yes", "no", "yes", "partly"}
	for _, r := range rp.Results {
		q := rp.Requirements[r.RequirementID]
		top := sms.TopClause(q.Code)
		if top != "4" && top != "5" && !strings.HasPrefix(q.Code, "8.5.1") {
			continue
		}
		var changes []sms.AnswerChange
		for n := range q.QuestionList() {
			reply := replies[(n+int(q.Position))%len(replies)]
			if r.Status == "implemented" && reply == "no" {
				reply = "yes"
			}
			note := ""
			if reply != "yes" {
				note = "Discussed in the workshop; see the notes."
			}
			changes = append(changes, sms.AnswerChange{N: n + 1, Reply: &reply, Note: &note})
		}
		if _, err := c.UpdateResult(ctx, access.System, r.ID, 0, sms.ResultUpdate{Answers: changes}); err != nil {
			return fmt.Errorf("demo assessment: answers for %s: %w", q.Code, err)
		}
	}
	return nil
}
