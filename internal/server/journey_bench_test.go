package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// BenchmarkJourneyPage measures the certification journey page in
// process, as an SMS manager sees it, with 100 assessments of the full
// ISO/IEC 20000-1 framework (7,700 results) and 2,000 actions stored; the
// same run measures a team's page, the smallest page with the whole shell,
// as the baseline the journey is compared with (docs/PERFORMANCE.md).
func BenchmarkJourneyPage(b *testing.B) {
	f := newFixture(b, storetest.SQLite)
	ctx := context.Background()
	mgr := f.users[access.SMSManager]
	actor := mgr.Actor("bench")
	fws, _, err := f.areas.SMS.ListFrameworks(ctx, actor, store.FrameworkFilter{})
	if err != nil || len(fws) == 0 {
		b.Fatal(err)
	}
	day := time.Now().UTC()
	for i := range 100 {
		in := sms.AssessmentInput{FrameworkID: fws[0].ID, Title: fmt.Sprintf("Assessment %d", i), StartedOn: day.AddDate(0, 0, i-100).Format(time.DateOnly), State: "closed"}
		if _, err := f.areas.SMS.CreateAssessment(ctx, actor, in); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 2000 {
		in := sms.ActionInput{Title: fmt.Sprintf("Action %d", i), OwnerID: mgr.ID, DueOn: day.AddDate(0, 0, i%60-30).Format(time.DateOnly)}
		if _, err := f.areas.SMS.CreateAction(ctx, actor, in); err != nil {
			b.Fatal(err)
		}
	}
	team, err := f.app.CreateTeam(ctx, access.CLI, account.TeamInput{Name: "Bench", MemberIDs: []int64{mgr.ID}})
	if err != nil {
		b.Fatal(err)
	}
	_, secret, err := f.app.Login(ctx, mgr.Email, "correct horse battery", "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	h := f.srv.Handler()
	for _, page := range []struct{ name, path string }{{"baseline-team-page", "/teams/" + itoa(team.ID)}, {"journey", "/journey"}} {
		b.Run(page.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, page.path, nil)
				req.AddCookie(&http.Cookie{Name: "conform_session", Value: secret})
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", page.path, w.Code)
				}
			}
		})
	}
}
