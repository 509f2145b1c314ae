package sms_test

import (
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

func fieldsOf(err error) map[string]bool {
	out := map[string]bool{}
	if e := errs.As(err); e != nil {
		for _, f := range e.Fields {
			out[f.Field] = true
		}
	}
	return out
}

// The matrix: a competence required by role or by team, held through a
// course (at its level, until its certificate expires) or a direct
// assessment; each kind of gap named.
func TestMatrixAndGaps(t *testing.T) {
	const today = "2027-03-10"
	incident := sms.Competence{Meta: record.Meta{ID: 1}, Name: "Major incidents", Level: 2, Roles: "agent"}
	change := sms.Competence{Meta: record.Meta{ID: 2}, Name: "Change risk", Level: 3, TeamIDs: []int64{7}}
	courses := []sms.Course{
		{Meta: record.Meta{ID: 10}, Title: "Incident handling", Level: 2, CompetenceIDs: []int64{1}},
		{Meta: record.Meta{ID: 11}, Title: "Change basics", Level: 2, CompetenceIDs: []int64{2}},
	}
	people := []sms.Person{
		{ID: 100, Name: "Casey", Role: access.Agent},                       // completed, valid
		{ID: 101, Name: "Taylor", Role: access.Agent, TeamIDs: []int64{7}}, // expired certificate; change at level 2 only
		{ID: 102, Name: "Riley", Role: access.ProcessOwner, TeamIDs: []int64{7}},
		{ID: 103, Name: "Jordan", Role: access.Agent}, // enrolled only
		{ID: 104, Name: "Sam", Role: access.SMSManager},
	}
	done := []sms.Completion{
		{Meta: record.Meta{ID: 1}, CourseID: 10, UserID: 100, Status: "completed", CompletedOn: "2026-06-01", ExpiresOn: "2028-06-01"},
		{Meta: record.Meta{ID: 2}, CourseID: 10, UserID: 101, Status: "completed", CompletedOn: "2025-01-01", ExpiresOn: "2027-03-09"},
		{Meta: record.Meta{ID: 3}, CourseID: 11, UserID: 101, Status: "completed", CompletedOn: "2026-01-01"},
		{Meta: record.Meta{ID: 4}, CourseID: 10, UserID: 103, Status: "enrolled"},
	}
	appraisals := []sms.Appraisal{{Meta: record.Meta{ID: 1}, UserID: 102, CompetenceID: 2, Level: 3, AssessedOn: "2027-01-01", ExpiresOn: "2027-03-10"}}
	m := sms.NewMatrix(people, []sms.Competence{incident, change}, sms.Holdings(courses, done, appraisals), today)
	want := [][]string{
		{sms.Held, sms.NotRequired},
		{sms.GapExpired, sms.GapLevel},
		{sms.NotRequired, sms.Held}, // valid through its last day
		{sms.GapMissing, sms.NotRequired},
		{sms.NotRequired, sms.NotRequired},
	}
	for i := range people {
		for j := range want[i] {
			if got := m.Cells[i][j].State; got != want[i][j] {
				t.Errorf("%s against %s: %s, want %s", people[i].Name, m.Competences[j].Name, got, want[i][j])
			}
		}
	}
	if c := m.Cells[0][0]; c.Through != "course" || c.SourceID != 1 || c.Level != 2 || c.Until != "2028-06-01" {
		t.Errorf("Casey's incident competence: %+v, want held through completion 1 at level 2 until 2028-06-01", c)
	}
	if c := m.Cells[1][1]; c.Level != 2 || c.Need != 3 || !c.Gap() {
		t.Errorf("Taylor's change competence: %+v, want level 2 held of 3 needed, a gap", c)
	}
	if c := m.Cells[2][1]; c.Through != "appraisal" {
		t.Errorf("Riley's change competence: %+v, want held through the direct assessment", c)
	}
	cov := m.Coverage()
	if cov.Required != 5 || cov.Held != 2 || cov.Percent() != 40 || cov.Gaps() != 3 {
		t.Errorf("coverage %+v (%d %%), want 2 of 5 held, 40 %%", cov, cov.Percent())
	}
	if c := m.CompetenceCoverage(0); c.Required != 3 || c.Held != 1 {
		t.Errorf("incident coverage %+v, want 1 of 3", c)
	}
	if c := m.RoleCoverage(access.Agent, 1); c.Required != 1 || c.Held != 0 {
		t.Errorf("agents' change coverage %+v, want 0 of 1 (Taylor, by team)", c)
	}
	if c := m.PersonCoverage(4); c.Required != 0 || c.Percent() != 100 {
		t.Errorf("Sam's coverage %+v, want nothing required, 100 %%", c)
	}
	// A day later Riley's assessment has lapsed too.
	if got := sms.Assess(change, people[2], sms.Holdings(nil, nil, appraisals), "2027-03-11").State; got != sms.GapExpired {
		t.Errorf("Riley a day after the assessment's last day: %s, want %s", got, sms.GapExpired)
	}
	if (sms.Coverage{}).Percent() != 100 {
		t.Error("coverage with nothing required: want 100 %")
	}
}

// The better of two holdings counts: the higher level, and at the same
// level the one that lasts longer.
func TestAssessPrefersBestHolding(t *testing.T) {
	c := sms.Competence{Meta: record.Meta{ID: 1}, Level: 2, Roles: "agent"}
	p := sms.Person{ID: 5, Role: access.Agent}
	hs := []sms.Holding{
		{UserID: 5, CompetenceID: 1, Level: 2, Until: "2027-05-01", SourceID: 1},
		{UserID: 5, CompetenceID: 1, Level: 2, Until: "", SourceID: 2},
		{UserID: 5, CompetenceID: 1, Level: 1, Until: "", SourceID: 3},
		{UserID: 6, CompetenceID: 1, Level: 4, SourceID: 4},
	}
	if got := sms.Assess(c, p, hs, "2027-01-01"); got.State != sms.Held || got.SourceID != 2 || got.Until != "" {
		t.Errorf("assess: %+v, want held through 2 for good", got)
	}
}

// Expiry: a certificate counts through its last day; a course's validity
// sets it; completions and sessions refuse days out of order.
func TestExpiryAndDays(t *testing.T) {
	x := sms.Completion{Status: "completed", CompletedOn: "2026-01-01", ExpiresOn: "2027-01-01"}
	if x.Expired("2027-01-01") || !x.Valid("2027-01-01") || !x.Expired("2027-01-02") || x.Valid("2027-01-02") {
		t.Error("a certificate must count through its last day and no later")
	}
	if (sms.Completion{Status: "attended"}).Valid("2026-01-01") {
		t.Error("an attended course is not a completed one")
	}
	if got := (sms.Course{ValidityMonths: 24}).ExpiryFrom("2026-02-15"); got != "2028-02-15" {
		t.Errorf("expiry from a 24-month course: %s, want 2028-02-15", got)
	}
	if got := (sms.Course{}).ExpiryFrom("2026-02-15"); got != "" {
		t.Errorf("expiry from a course that does not expire: %q", got)
	}
	for _, tc := range []struct {
		in    sms.CompletionInput
		field string
	}{
		{sms.CompletionInput{CourseID: 1, UserID: 1, Status: "completed"}, "completed_on"},
		{sms.CompletionInput{CourseID: 1, UserID: 1, Status: "completed", CompletedOn: "2026-05-01", ExpiresOn: "2026-04-30"}, "expires_on"},
		{sms.CompletionInput{CourseID: 1, UserID: 1, Status: "enrolled", ExpiresOn: "2026-04-30"}, "expires_on"},
		{sms.CompletionInput{CourseID: 1, UserID: 1, Status: "attended", CompletedOn: "2026-04-30"}, "completed_on"},
		{sms.CompletionInput{CourseID: 1, UserID: 1, Status: "passed"}, "status"},
		{sms.CompletionInput{UserID: 1}, "course_id"},
		{sms.CompletionInput{CourseID: 1}, "user_id"},
	} {
		tc.in.Normalize()
		if err := tc.in.Validate(); !fieldsOf(err)[tc.field] {
			t.Errorf("%+v: %v, want an error on %s", tc.in, err, tc.field)
		}
	}
	ok := sms.CompletionInput{CourseID: 1, UserID: 1, Status: "completed", CompletedOn: "2026-05-01", ExpiresOn: "2027-05-01"}
	if err := ok.Validate(); err != nil {
		t.Errorf("a good completion: %v", err)
	}
	s := sms.CourseSessionInput{CourseID: 1, StartsOn: "2026-05-02", EndsOn: "2026-05-01"}
	if err := s.Validate(); !fieldsOf(err)["ends_on"] {
		t.Errorf("a session ending before it starts: %v, want an error on ends_on", err)
	}
	a := sms.AppraisalInput{UserID: 1, CompetenceID: 1, Level: 5, AssessorID: 2, AssessedOn: "2026-05-02"}
	if err := a.Validate(); !fieldsOf(err)["level"] {
		t.Errorf("an appraisal at level 5: %v, want an error on level", err)
	}
	c := sms.CompetenceInput{Name: "x", Roles: []access.Role{access.Requester}}
	c.Normalize()
	if err := c.Validate(); !fieldsOf(err)["roles"] {
		t.Errorf("a competence required of requesters: %v, want an error on roles", err)
	}
}
