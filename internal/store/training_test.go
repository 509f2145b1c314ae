package store_test

import (
	"context"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The training tables on both engines: a competence's teams and a
// course's competences kept in link tables; a session's completions
// unique per person; a team or competence that does not exist refused on
// its field; the listings' filters, the expired ones among them.
func TestTrainingTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, actor := context.Background(), access.System
		org := mustOrg(t, db, "Provider", account.Provider)
		casey, taylor := mustUser(t, db, "casey@example.com", org.ID), mustUser(t, db, "taylor@example.com", org.ID)
		var team account.Team
		var incident, change sms.Competence
		var course sms.Course
		var session sms.CourseSession
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			if team, err = tx.CreateTeam(ctx, actor, account.TeamInput{Name: "Service desk", MemberIDs: []int64{casey.ID}}); err != nil {
				return err
			}
			incident = sms.Competence{Name: "Major incidents", Level: 2, Roles: "agent,process_owner", TeamIDs: []int64{team.ID}}
			if err := tx.CreateCompetence(ctx, actor, &incident); err != nil {
				return err
			}
			change = sms.Competence{Name: "Change risk", Level: 3, TeamIDs: []int64{}}
			if err := tx.CreateCompetence(ctx, actor, &change); err != nil {
				return err
			}
			course = sms.Course{Title: "Incident handling", Level: 2, ValidityMonths: 24, CompetenceIDs: []int64{incident.ID, change.ID}}
			if err := tx.CreateCourse(ctx, actor, &course); err != nil {
				return err
			}
			session = sms.CourseSession{CourseID: course.ID, StartsOn: "2026-05-04", EndsOn: "2026-05-05", Online: true}
			if err := tx.CreateCourseSession(ctx, actor, &session); err != nil {
				return err
			}
			for _, c := range []sms.Completion{
				{CourseID: course.ID, SessionID: &session.ID, UserID: casey.ID, Status: "completed", CompletedOn: "2026-05-05", ExpiresOn: "2026-12-31"},
				{CourseID: course.ID, SessionID: &session.ID, UserID: taylor.ID, Status: "completed", CompletedOn: "2026-05-05", ExpiresOn: "2028-05-05"},
				{CourseID: course.ID, UserID: taylor.ID, Status: "enrolled"}, // on their own, again: no session, no clash
			} {
				if err := tx.CreateCompletion(ctx, actor, &c); err != nil {
					return err
				}
			}
			return tx.CreateAppraisal(ctx, actor, &sms.Appraisal{UserID: taylor.ID, CompetenceID: change.ID, Level: 3, AssessedOn: "2026-06-01", AssessorID: casey.ID})
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.GetCompetence(ctx, incident.ID)
		if err != nil || len(got.TeamIDs) != 1 || got.TeamIDs[0] != team.ID || got.Roles != "agent,process_owner" {
			t.Errorf("competence read back: %+v %v", got, err)
		}
		gotCourse, err := db.GetCourse(ctx, course.ID)
		if err != nil || len(gotCourse.CompetenceIDs) != 2 || gotCourse.ValidityMonths != 24 {
			t.Errorf("course read back: %+v %v", gotCourse, err)
		}
		if s, err := db.GetCourseSession(ctx, session.ID); err != nil || !s.Online || s.EndsOn != "2026-05-05" {
			t.Errorf("session read back: %+v %v", s, err)
		}
		for _, tc := range []struct {
			name string
			f    store.CompetenceFilter
			want int
		}{
			{"by role", store.CompetenceFilter{Role: access.ProcessOwner}, 1},
			{"by a role that is a prefix of none", store.CompetenceFilter{Role: "agen"}, 0},
			{"by team", store.CompetenceFilter{TeamID: team.ID}, 1},
			{"by name", store.CompetenceFilter{Query: "RISK"}, 1},
		} {
			if cs, _, err := db.ListCompetences(ctx, tc.f); err != nil || len(cs) != tc.want {
				t.Errorf("competences %s: %d (%v), want %d", tc.name, len(cs), err, tc.want)
			}
		}
		if cs, _, err := db.ListCourses(ctx, store.CourseFilter{CompetenceID: change.ID}); err != nil || len(cs) != 1 {
			t.Errorf("courses teaching change risk: %d (%v), want 1", len(cs), err)
		}
		for _, tc := range []struct {
			name string
			f    store.CompletionFilter
			want int
		}{
			{"of the session", store.CompletionFilter{SessionID: session.ID}, 2},
			{"of a person", store.CompletionFilter{UserID: taylor.ID}, 2},
			{"completed", store.CompletionFilter{Status: "completed"}, 2},
			{"expired before 2027", store.CompletionFilter{ExpiredBefore: "2027-01-01"}, 1},
			{"not yet expired on their last day", store.CompletionFilter{ExpiredBefore: "2026-12-31"}, 0},
			{"expiring by 2028-05-05", store.CompletionFilter{ExpiringBy: "2028-05-05"}, 2},
		} {
			if cs, _, err := db.ListCompletions(ctx, tc.f); err != nil || len(cs) != tc.want {
				t.Errorf("completions %s: %d (%v), want %d", tc.name, len(cs), err, tc.want)
			}
		}
		if ss, _, err := db.ListCourseSessions(ctx, store.CourseSessionFilter{From: "2026-05-05"}); err != nil || len(ss) != 1 {
			t.Errorf("sessions ending on or after their last day: %d (%v), want 1", len(ss), err)
		}
		if ss, _, err := db.ListCourseSessions(ctx, store.CourseSessionFilter{From: "2026-05-06"}); err != nil || len(ss) != 0 {
			t.Errorf("sessions to come after they ended: %d (%v), want 0", len(ss), err)
		}
		all, err := db.AllCompletions(ctx)
		if err != nil || len(all) != 2 {
			t.Errorf("every completed completion: %d (%v), want 2", len(all), err)
		}
		var nc, na, ns, ncp int
		err = db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			if nc, na, err = tx.CompetenceUses(ctx, change.ID); err != nil {
				return err
			}
			ns, ncp, err = tx.CourseUses(ctx, course.ID)
			return err
		})
		if err != nil || nc != 1 || na != 1 || ns != 1 || ncp != 3 {
			t.Errorf("uses: competence %d courses %d appraisals, course %d sessions %d completions (%v); want 1 1 1 3", nc, na, ns, ncp, err)
		}

		// Refusals name the field and write nothing.
		for _, tc := range []struct {
			name, field string
			write       func(tx *store.Tx) error
		}{
			{"a second place in one session", "user_id", func(tx *store.Tx) error {
				return tx.CreateCompletion(ctx, actor, &sms.Completion{CourseID: course.ID, SessionID: &session.ID, UserID: casey.ID, Status: "enrolled"})
			}},
			{"a team that does not exist", "team_ids", func(tx *store.Tx) error {
				return tx.CreateCompetence(ctx, actor, &sms.Competence{Name: "Ghost team", Level: 1, TeamIDs: []int64{987654}})
			}},
			{"a competence that does not exist", "competence_ids", func(tx *store.Tx) error {
				return tx.CreateCourse(ctx, actor, &sms.Course{Title: "Ghost", Level: 1, CompetenceIDs: []int64{987654}})
			}},
			{"a duplicate name", "name", func(tx *store.Tx) error {
				return tx.CreateCompetence(ctx, actor, &sms.Competence{Name: "Change risk", Level: 1, TeamIDs: []int64{}})
			}},
			{"a session of no course", "course_id", func(tx *store.Tx) error {
				return tx.CreateCourseSession(ctx, actor, &sms.CourseSession{CourseID: 987654, StartsOn: "2026-01-01"})
			}},
		} {
			before := trainingAuditCount(t, db)
			err := db.InTx(ctx, tc.write)
			if e := errs.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
				t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
			}
			if n := trainingAuditCount(t, db); n != before {
				t.Errorf("%s: %d audit entries written, want none", tc.name, n-before)
			}
		}

		// A change to the teams replaces them, audited.
		updated, err := func() (sms.Competence, error) {
			var out sms.Competence
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				out, err = tx.UpdateCompetence(ctx, actor, change.ID, change.Version, func(c *sms.Competence) error {
					c.TeamIDs = []int64{team.ID}
					return nil
				})
				return err
			})
			return out, err
		}()
		if err != nil || len(updated.TeamIDs) != 1 || updated.Version != change.Version+1 {
			t.Errorf("teams changed: %+v %v", updated, err)
		}
	})
}

func trainingAuditCount(t *testing.T, db *store.DB) int64 {
	t.Helper()
	n, err := db.CountAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
