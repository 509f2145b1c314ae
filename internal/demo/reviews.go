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

// LoadReviews adds management review and the improvement register: a
// review held today with its frozen input pack, minutes, decisions and
// two output actions; the next one planned from its interval; and five
// improvement opportunities at different stages (one rejected), one raised by the
// review and one with its benefit measured before and after.
func LoadReviews(ctx context.Context, c *assuranceapp.Catalogue, s *smsapp.Catalogue, db *store.DB) error {
	actor := func(email string) (access.Actor, error) {
		u, err := db.UserByEmail(ctx, email)
		return u.Actor("demo"), err
	}
	pat, err := actor("pat.lindqvist@northwind.example")
	if err != nil {
		return err
	}
	sam, err := actor("sam.patel@northwind.example")
	if err != nil {
		return err
	}
	jordan, err := actor("jordan.lee@northwind.example")
	if err != nil {
		return err
	}
	casey, err := actor("casey.novak@northwind.example")
	if err != nil {
		return err
	}
	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	fail := func(what string, err error) error { return fmt.Errorf("demo reviews, %s: %w", what, err) }

	// Improvements first, so that the review's pack lists them.
	imps := []struct {
		in    assurance.ImprovementInput
		by    access.Actor
		steps []string
	}{
		{assurance.ImprovementInput{Title: "Let customers reset their passwords themselves", Source: "complaint", SubmittedOn: day(-60),
			Description: "Password resets are a fifth of all service requests, and Contoso complained twice about waiting for them.",
			Benefit:     5, Effort: 2, Risk: 2, Alignment: 5, ExpectedBenefit: "Fewer requests for the service desk, answers in minutes instead of hours.",
			RealisedBenefit: "Password reset requests fell from 21 % to 6 % of all requests in the first month.", Unit: "% of requests", Before: number(21), After: number(6)},
			casey, []string{"evaluated", "approved", "in_progress", "implemented", "confirmed"}},
		{assurance.ImprovementInput{Title: "Publish a monthly service report to every customer", Source: "monitoring", SubmittedOn: day(-40),
			Description: "Customers ask for figures the SLA reports already hold; sending them monthly saves the questions.",
			Benefit:     4, Effort: 2, Risk: 1, Alignment: 4, ExpectedBenefit: "Customers see the service levels without asking.", Unit: "reports a month", Before: number(0)},
			jordan, []string{"evaluated", "approved", "in_progress"}},
		{assurance.ImprovementInput{Title: "Automate the monthly access review", Source: "suggestion", SubmittedOn: day(-20),
			Description: "The access review takes two days of manual work each month.",
			Benefit:     3, Effort: 4, Risk: 3, Alignment: 3, ExpectedBenefit: "Two days of work saved a month."},
			casey, []string{"evaluated"}},
		{assurance.ImprovementInput{Title: "Move the change advisory board to a fixed weekly slot", Source: "other", SubmittedOn: day(-10),
			Description: "Changes wait for the board to be called; a fixed slot shortens the wait.", Benefit: 2, Effort: 2, Risk: 4, Alignment: 2},
			jordan, []string{"evaluated", "rejected"}},
	}
	var approved int64
	for _, im := range imps {
		i, err := c.CreateImprovement(ctx, im.by, im.in)
		if err != nil {
			return fail(im.in.Title, err)
		}
		for _, to := range im.steps {
			by := sam
			if to == "approved" || to == "rejected" || to == "confirmed" {
				by = pat
			}
			if i, err = c.MoveImprovement(ctx, by, i.ID, 0, to); err != nil {
				return fail(im.in.Title+" to "+to, err)
			}
		}
		if i.State == "in_progress" {
			approved = i.ID
		}
	}
	if _, err := s.CreateAction(ctx, access.System, sms.ActionInput{Title: "Set up the monthly service report for Contoso, Fabrikam and Tailspin", OwnerID: jordan.UserID,
		DueOn: day(20), State: "in_progress", Progress: 40, Source: "improvement", SourceID: approved}); err != nil {
		return fail("implementation action", err)
	}

	r, err := c.CreateManagementReview(ctx, sam, assurance.ReviewInput{Title: "Management review, first half of the year", PlannedOn: day(-3), ChairID: pat.UserID,
		AttendeeIDs: []int64{pat.UserID, sam.UserID, jordan.UserID}, IntervalMonths: 6})
	if err != nil {
		return fail("review", err)
	}
	if r, err = c.PrepareManagementReview(ctx, sam, r.ID, 0); err != nil {
		return fail("prepare the review", err)
	}
	if r, err = c.HoldManagementReview(ctx, pat, r.ID, 0, day(0)); err != nil {
		return fail("hold the review", err)
	}
	minutes := "The SMS manager presented the input pack.\n\nActions and context: no earlier review; the context issues and interested parties were recorded this half year.\n" +
		"Objectives: two of the objectives miss their targets; incident resolution is the concern.\nRisks: the high and critical risks were gone through with their treatments.\n" +
		"Audits and nonconformities: none recorded yet; the internal audit programme is to be set up before the certification audit."
	decisions := []string{"Approve the self-service password reset for all customers", "Set up the internal audit programme before the next review",
		"Add a second analyst to the service desk for the peak season"}
	if r, err = c.UpdateManagementReview(ctx, sam, r.ID, 0, assurance.ReviewUpdate{Minutes: &minutes, Decisions: &decisions}); err != nil {
		return fail("minutes", err)
	}
	for _, a := range []sms.ActionInput{
		{Title: "Plan the internal audit programme for the year", OwnerID: sam.UserID, DueOn: day(30), Priority: "high"},
		{Title: "Hire a second service desk analyst for the peak season", OwnerID: jordan.UserID, DueOn: day(60)},
	} {
		a.Source, a.SourceID = "review", r.ID
		if _, err := s.CreateAction(ctx, access.System, a); err != nil {
			return fail("output action", err)
		}
	}
	if _, err := c.CreateImprovement(ctx, sam, assurance.ImprovementInput{Title: "Report the service desk's first-contact resolution each month",
		Source: "review", SourceEntity: assurance.ManagementReviewKind.Entity, SourceRef: r.ID, SubmittedOn: day(0),
		Description: "Raised at the review: the figure is asked for but not measured yet."}); err != nil {
		return fail("improvement from the review", err)
	}
	if _, err := c.CreateManagementReview(ctx, sam, assurance.ReviewInput{Title: "Management review, second half of the year", PlannedOn: r.NextDue(), ChairID: pat.UserID,
		AttendeeIDs: []int64{pat.UserID, sam.UserID, jordan.UserID}, IntervalMonths: 6}); err != nil {
		return fail("next review", err)
	}
	return nil
}

func number(v float64) *float64 { return &v }
