package assurance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The calendar feed holds the audits its owner leads or is on the team
// of, and the management reviews they chair or attend; not another's.
func TestCalendarHoldsAuditsAndReviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, s, c := withAreas(t, db)
		mk := func(email string, role access.Role) account.User {
			u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: email, Name: email, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		mgr, auditor, boss := mk("mgr@example.com", access.SMSManager), mk("auditor@example.com", access.InternalAuditor), mk("boss@example.com", access.TopManagement)
		actor := mgr.Actor("session")
		reqs, _, err := s.ListRequirements(ctx, actor, store.RequirementFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		day := time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)
		if _, err := c.CreateAudit(ctx, actor, assurance.AuditInput{Title: "Change management audit", RequirementIDs: []int64{reqs[0].ID},
			PlannedStart: day, PlannedEnd: day, LeadAuditorID: &auditor.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateManagementReview(ctx, actor, assurance.ReviewInput{Title: "Spring review", PlannedOn: day, ChairID: boss.ID, AttendeeIDs: []int64{mgr.ID}}); err != nil {
			t.Fatal(err)
		}
		feed := func(u account.User) string {
			t.Helper()
			_, secret, err := c.CreateCalendarToken(ctx, u.Actor("session"))
			if err != nil {
				t.Fatal(err)
			}
			ics, err := c.CalendarFeed(ctx, secret, "https://conform.example")
			if err != nil {
				t.Fatal(err)
			}
			return strings.ReplaceAll(ics, "\r\n ", "") // unfold
		}
		dtstart := "DTSTART;VALUE=DATE:" + strings.ReplaceAll(day, "-", "")
		if got := feed(auditor); !strings.Contains(got, "SUMMARY:Audit: Change management audit") || !strings.Contains(got, dtstart) || strings.Contains(got, "Management review") {
			t.Errorf("the lead auditor's feed:\n%s", got)
		}
		if got := feed(mgr); !strings.Contains(got, "SUMMARY:Management review: Spring review") || strings.Contains(got, "Audit: Change") {
			t.Errorf("the attendee's feed:\n%s", got)
		}
		if got := feed(boss); !strings.Contains(got, "SUMMARY:Management review: Spring review") {
			t.Errorf("the chair's feed:\n%s", got)
		}
	})
}
