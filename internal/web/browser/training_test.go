package browser

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// trainingIDs are demo training records to open.
type trainingIDs struct {
	competence, course, session, completion, appraisal, taylor int64
}

func someTraining(t *testing.T, s *site) trainingIDs {
	t.Helper()
	ctx, c := context.Background(), s.areas.SMS
	var out trainingIDs
	cs, _, err := c.ListCompetences(ctx, access.CLI, store.CompetenceFilter{Query: "major incident", Limit: 1})
	if err != nil || len(cs) != 1 {
		t.Fatalf("find a demo competence: %v %v", cs, err)
	}
	crs, _, err := c.ListCourses(ctx, access.CLI, store.CourseFilter{Query: "major incident handling", Limit: 1})
	if err != nil || len(crs) != 1 {
		t.Fatalf("find a demo course: %v %v", crs, err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	done, _, err := c.ListCompletions(ctx, access.CLI, store.CompletionFilter{ExpiredBefore: today, Limit: 1})
	if err != nil || len(done) != 1 || done[0].SessionID == nil {
		t.Fatalf("find the demo's expired certificate: %v %v", done, err)
	}
	// A past session of the course other than the one the expired
	// certificate came from.
	ss, _, err := c.ListCourseSessions(ctx, access.CLI, store.CourseSessionFilter{CourseID: crs[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ss, func(s sms.CourseSession) bool { return s.ID != *done[0].SessionID && s.StartsOn <= today })
	if i < 0 {
		t.Fatalf("find a past session of %s: %+v", crs[0].Title, ss)
	}
	ss = ss[i:]
	as, _, err := c.ListAppraisals(ctx, access.CLI, store.AppraisalFilter{Limit: 1})
	if err != nil || len(as) != 1 {
		t.Fatalf("find a demo competence assessment: %v %v", as, err)
	}
	out.competence, out.course, out.session, out.completion, out.appraisal, out.taylor = cs[0].ID, crs[0].ID, ss[0].ID, done[0].ID, as[0].ID, done[0].UserID
	return out
}

// trainingPages are the training pages TestEveryPage looks at.
func trainingPages(t *testing.T, s *site) []struct{ name, path string } {
	ids := someTraining(t, s)
	return []struct{ name, path string }{
		{"competences", "/competences"},
		{"competence", fmt.Sprintf("/competences/%d", ids.competence)},
		{"competence-new", "/competences/new"},
		{"competence-matrix", "/competences/matrix"},
		{"competence-matrix-roles", "/competences/matrix?view=roles"},
		{"competence-matrix-person", fmt.Sprintf("/competences/matrix?person=%d", ids.taylor)},
		{"courses", "/courses"},
		{"course", fmt.Sprintf("/courses/%d", ids.course)},
		{"course-new", "/courses/new"},
		{"course-session", fmt.Sprintf("/course-sessions/%d", ids.session)},
		{"course-session-new", fmt.Sprintf("/course-sessions/new?course_id=%d", ids.course)},
		{"course-completions-expired", "/course-completions?certificate=expired"},
		{"course-completion", fmt.Sprintf("/course-completions/%d", ids.completion)},
		{"course-completion-new", fmt.Sprintf("/course-completions/new?course_id=%d", ids.course)},
		{"competence-assessments", "/competence-assessments"},
		{"competence-assessment", fmt.Sprintf("/competence-assessments/%d", ids.appraisal)},
	}
}

// Recording a completion closes a gap: Taylor's major incident
// certificate has expired, so the matrix shows the gap; recording that
// they completed the course today, from the course's page, turns it into
// a held competence and the coverage rises.
func TestRecordCompletionClosesGap(t *testing.T) {
	s := newDemoSite(t)
	ids := someTraining(t, s)
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	person := fmt.Sprintf("/competences/matrix?person=%d", ids.taylor)
	b.mustOpen(person)
	row := func() string {
		return eval[string](b, `[...document.querySelectorAll('table[data-table="matrix-person"] tbody tr')].map(r => r.textContent).find(t => t.includes("Incident and major incident handling")) || ""`)
	}
	if got := row(); !strings.Contains(got, "Gap: expired") {
		t.Fatalf("Taylor's major incident competence before: %q, want the expired gap in words", got)
	}
	coverage := `section[aria-labelledby=training-coverage-title] .record-fields`
	before := b.text(coverage)

	b.mustOpen(fmt.Sprintf("/courses/%d", ids.course))
	if got := b.follow(`a[href^="/course-completions/new?course_id="]`); got != http.StatusOK {
		t.Fatalf("record attendance: got status %d, want 200", got)
	}
	if got := b.value("#f-course_id"); got != fmt.Sprint(ids.course) {
		t.Errorf("the course chosen: %q, want the course the form came from (%d)", got, ids.course)
	}
	b.fill("#f-user_id-q", "Taylor")
	run(b, "wait for Taylor among the people found", chromedp.Poll[bool](`[...document.querySelectorAll("#f-user_id option")].some(o => o.textContent.includes("Taylor Kim"))`))
	b.choose("#f-user_id", fmt.Sprint(ids.taylor))
	b.choose("#f-session_id", fmt.Sprint(ids.session))
	run(b, "choose completed", chromedp.Click(chromedp.CSS(`input[name=status][value=completed]`)))
	eval[bool](b, `(document.querySelector("#f-completed_on").value = `+js(time.Now().UTC().Format(time.DateOnly))+`) !== ""`)
	b.fill("#f-evidence", "Simulation score sheet, both scenarios passed.")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create: got status %d, want 200", got)
	}
	if got := b.text("h1"); !strings.Contains(got, "Taylor Kim") || !strings.Contains(got, "Major incident handling") {
		t.Errorf("after recording: heading %q, want the person and the course", got)
	}
	if got := b.text(".record-fields"); !strings.Contains(got, time.Now().UTC().AddDate(2, 0, 0).Format("2006")) {
		t.Errorf("the completion's fields: %q, want the course's two-year validity counted from today", got)
	}

	b.mustOpen(person)
	if got := row(); !strings.Contains(got, "Held") || strings.Contains(got, "Gap") {
		t.Errorf("Taylor's major incident competence after: %q, want it held", got)
	}
	if after := b.text(coverage); after == before {
		t.Errorf("Taylor's coverage did not change: %q", after)
	}
}
