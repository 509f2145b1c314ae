package store

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Competences is the competences table; the teams a competence is
// required of live in competence_teams.
var Competences = NewTable(TableDef[sms.Competence]{
	Name: "competences", Entity: sms.CompetenceKind.Entity,
	Columns: []Column[sms.Competence]{
		Col("name", func(c *sms.Competence) any { return &c.Name }),
		Col("description", func(c *sms.Competence) any { return &c.Description }),
		Col("level", func(c *sms.Competence) any { return &c.Level }),
		Col("roles", func(c *sms.Competence) any { return &c.Roles }),
	},
	Unique: []Unique{{Index: "competences_name", Column: "name", Field: "name", Reason: "is already used by another competence"}},
	Sets: []IDSet[sms.Competence]{{Table: "competence_teams", Owner: "competence_id", Member: "team_id",
		Field: func(c *sms.Competence) *[]int64 { return &c.TeamIDs },
		Missing: func(id int64) error {
			return errs.Field("team_ids", fmt.Sprintf("names team %d, which does not exist", id))
		}}},
})

// Courses is the courses table; the competences a course teaches live in
// course_competences.
var Courses = NewTable(TableDef[sms.Course]{
	Name: "courses", Entity: sms.CourseKind.Entity,
	Columns: []Column[sms.Course]{
		Col("title", func(c *sms.Course) any { return &c.Title }),
		Col("description", func(c *sms.Course) any { return &c.Description }),
		Col("provider", func(c *sms.Course) any { return &c.Provider }),
		Col("level", func(c *sms.Course) any { return &c.Level }),
		Col("validity_months", func(c *sms.Course) any { return &c.ValidityMonths }),
	},
	Unique: []Unique{{Index: "courses_title", Column: "title", Field: "title", Reason: "is already used by another course"}},
	Sets: []IDSet[sms.Course]{{Table: "course_competences", Owner: "course_id", Member: "competence_id",
		Field: func(c *sms.Course) *[]int64 { return &c.CompetenceIDs },
		Missing: func(id int64) error {
			return errs.Field("competence_ids", fmt.Sprintf("names competence %d, which does not exist", id))
		}}},
})

// CourseSessions is the course sessions table.
var CourseSessions = NewTable(TableDef[sms.CourseSession]{
	Name: "course_sessions", Entity: sms.CourseSessionKind.Entity,
	Columns: []Column[sms.CourseSession]{
		Col("course_id", func(s *sms.CourseSession) any { return &s.CourseID }),
		Col("starts_on", func(s *sms.CourseSession) any { return &s.StartsOn }),
		Col("ends_on", func(s *sms.CourseSession) any { return &s.EndsOn }),
		Col("trainer", func(s *sms.CourseSession) any { return &s.Trainer }),
		Col("place", func(s *sms.CourseSession) any { return &s.Place }),
		Col("online", func(s *sms.CourseSession) any { return &s.Online }),
		Col("notes", func(s *sms.CourseSession) any { return &s.Notes }),
	},
	ForeignKeys: []ForeignKey{{Column: "course_id", Field: "course_id", Reason: "names no course"}},
})

// Completions is the course completions table: a person's place on a
// course.
var Completions = NewTable(TableDef[sms.Completion]{
	Name: "course_completions", Entity: sms.CompletionKind.Entity,
	Columns: []Column[sms.Completion]{
		Col("course_id", func(c *sms.Completion) any { return &c.CourseID }),
		Col("session_id", func(c *sms.Completion) any { return &c.SessionID }),
		Col("user_id", func(c *sms.Completion) any { return &c.UserID }),
		Col("status", func(c *sms.Completion) any { return &c.Status }),
		Col("completed_on", func(c *sms.Completion) any { return &c.CompletedOn }),
		Col("expires_on", func(c *sms.Completion) any { return &c.ExpiresOn }),
		Col("evidence", func(c *sms.Completion) any { return &c.Evidence }),
		Col("certificate_hash", func(c *sms.Completion) any { return &c.CertificateHash }),
		Col("certificate_name", func(c *sms.Completion) any { return &c.CertificateName }),
		Col("certificate_type", func(c *sms.Completion) any { return &c.CertificateType }),
		Col("certificate_size", func(c *sms.Completion) any { return &c.CertificateSize }),
	},
	Unique: []Unique{{Index: "course_completions_session_user", Field: "user_id", Reason: "already has a place in this session"}},
	ForeignKeys: []ForeignKey{
		{Column: "course_id", Field: "course_id", Reason: "names no course"},
		{Column: "session_id", Field: "session_id", Reason: "names no session"},
		{Column: "user_id", Field: "user_id", Reason: "names no user"},
	},
})

// Appraisals is the direct assessments of competence.
var Appraisals = NewTable(TableDef[sms.Appraisal]{
	Name: "competence_appraisals", Entity: sms.AppraisalKind.Entity,
	Columns: []Column[sms.Appraisal]{
		Col("user_id", func(a *sms.Appraisal) any { return &a.UserID }),
		Col("competence_id", func(a *sms.Appraisal) any { return &a.CompetenceID }),
		Col("level", func(a *sms.Appraisal) any { return &a.Level }),
		Col("assessed_on", func(a *sms.Appraisal) any { return &a.AssessedOn }),
		Col("expires_on", func(a *sms.Appraisal) any { return &a.ExpiresOn }),
		Col("assessor_id", func(a *sms.Appraisal) any { return &a.AssessorID }),
		Col("notes", func(a *sms.Appraisal) any { return &a.Notes }),
	},
	ForeignKeys: []ForeignKey{
		{Column: "user_id", Field: "user_id", Reason: "names no user"},
		{Column: "competence_id", Field: "competence_id", Reason: "names no competence"},
		{Column: "assessor_id", Field: "assessor_id", Reason: "names no user"},
	},
})

// everyPage reads a listing to its end.
func everyPage[T any](list func(cursor string) ([]T, string, error)) ([]T, error) {
	var out []T
	cursor := ""
	for {
		page, next, err := list(cursor)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// CompetenceFilter narrows a listing of competences.
type CompetenceFilter struct {
	IDs    []int64
	Query  string // part of the name
	Role   access.Role
	TeamID int64
	Cursor string
	Limit  int
}

// ListCompetences returns a page of competences by id.
func (db *DB) ListCompetences(ctx context.Context, f CompetenceFilter) ([]sms.Competence, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(name) LIKE ?", likePattern(f.Query))
	}
	if f.Role != "" {
		w.add("(',' || roles || ',') LIKE ?", "%,"+string(f.Role)+",%")
	}
	if f.TeamID != 0 {
		w.add("id IN (SELECT competence_id FROM competence_teams WHERE team_id = ?)", f.TeamID)
	}
	return Competences.List(ctx, db.reader(), w, f.Limit)
}

// AllCompetences reads every competence.
func (db *DB) AllCompetences(ctx context.Context) ([]sms.Competence, error) {
	return everyPage(func(cursor string) ([]sms.Competence, string, error) {
		return db.ListCompetences(ctx, CompetenceFilter{Cursor: cursor, Limit: MaxLimit})
	})
}

// GetCompetence reads one competence with its teams.
func (db *DB) GetCompetence(ctx context.Context, id int64) (sms.Competence, error) {
	return Competences.Get(ctx, db.reader(), id)
}

// CreateCompetence adds a competence with its audit entry.
func (tx *Tx) CreateCompetence(ctx context.Context, actor access.Actor, c *sms.Competence) error {
	return Competences.Insert(ctx, tx, actor, c)
}

// UpdateCompetence changes a competence read at version (0: any).
func (tx *Tx) UpdateCompetence(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Competence) error) (sms.Competence, error) {
	_, after, err := Competences.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteCompetence removes a competence read at version (0: any).
func (tx *Tx) DeleteCompetence(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Competence) error) error {
	_, err := Competences.Delete(ctx, tx, actor, id, version, check)
	return err
}

// CompetenceUses counts, in the transaction, the courses that teach a
// competence and its direct assessments.
func (tx *Tx) CompetenceUses(ctx context.Context, id int64) (courses, appraisals int, err error) {
	row := tx.queryRow(ctx, "SELECT (SELECT count(*) FROM course_competences WHERE competence_id = ?), (SELECT count(*) FROM competence_appraisals WHERE competence_id = ?)", id, id)
	if err := row.Scan(&courses, &appraisals); err != nil {
		return 0, 0, tx.db.fault(err, "count the uses of a competence")
	}
	return courses, appraisals, nil
}

// CourseFilter narrows a listing of courses.
type CourseFilter struct {
	IDs          []int64
	Query        string // part of the title
	CompetenceID int64  // only courses that teach it
	Cursor       string
	Limit        int
}

// ListCourses returns a page of courses by id.
func (db *DB) ListCourses(ctx context.Context, f CourseFilter) ([]sms.Course, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(title) LIKE ?", likePattern(f.Query))
	}
	if f.CompetenceID != 0 {
		w.add("id IN (SELECT course_id FROM course_competences WHERE competence_id = ?)", f.CompetenceID)
	}
	return Courses.List(ctx, db.reader(), w, f.Limit)
}

// AllCourses reads every course.
func (db *DB) AllCourses(ctx context.Context) ([]sms.Course, error) {
	return everyPage(func(cursor string) ([]sms.Course, string, error) {
		return db.ListCourses(ctx, CourseFilter{Cursor: cursor, Limit: MaxLimit})
	})
}

// GetCourse reads one course with its competences.
func (db *DB) GetCourse(ctx context.Context, id int64) (sms.Course, error) {
	return Courses.Get(ctx, db.reader(), id)
}

// GetCourse reads one course in the transaction.
func (tx *Tx) GetCourse(ctx context.Context, id int64) (sms.Course, error) {
	return Courses.Get(ctx, tx.conn, id)
}

// CreateCourse adds a course with its audit entry.
func (tx *Tx) CreateCourse(ctx context.Context, actor access.Actor, c *sms.Course) error {
	return Courses.Insert(ctx, tx, actor, c)
}

// UpdateCourse changes a course read at version (0: any).
func (tx *Tx) UpdateCourse(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Course) error) (sms.Course, error) {
	_, after, err := Courses.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteCourse removes a course read at version (0: any).
func (tx *Tx) DeleteCourse(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Course) error) error {
	_, err := Courses.Delete(ctx, tx, actor, id, version, check)
	return err
}

// CourseUses counts, in the transaction, a course's sessions and
// completions.
func (tx *Tx) CourseUses(ctx context.Context, id int64) (sessions, completions int, err error) {
	row := tx.queryRow(ctx, "SELECT (SELECT count(*) FROM course_sessions WHERE course_id = ?), (SELECT count(*) FROM course_completions WHERE course_id = ?)", id, id)
	if err := row.Scan(&sessions, &completions); err != nil {
		return 0, 0, tx.db.fault(err, "count the uses of a course")
	}
	return sessions, completions, nil
}

// CourseSessionFilter narrows a listing of sessions.
type CourseSessionFilter struct {
	IDs      []int64
	CourseID int64
	From     string // only sessions ending on or after this day
	Cursor   string
	Limit    int
}

// ListCourseSessions returns a page of sessions by id.
func (db *DB) ListCourseSessions(ctx context.Context, f CourseSessionFilter) ([]sms.CourseSession, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.CourseID != 0 {
		w.add("course_id = ?", f.CourseID)
	}
	if f.From != "" {
		w.add("(CASE WHEN ends_on = '' THEN starts_on ELSE ends_on END) >= ?", f.From)
	}
	return CourseSessions.List(ctx, db.reader(), w, f.Limit)
}

// GetCourseSession reads one session.
func (db *DB) GetCourseSession(ctx context.Context, id int64) (sms.CourseSession, error) {
	return CourseSessions.Get(ctx, db.reader(), id)
}

// GetCourseSession reads one session in the transaction.
func (tx *Tx) GetCourseSession(ctx context.Context, id int64) (sms.CourseSession, error) {
	return CourseSessions.Get(ctx, tx.conn, id)
}

// CreateCourseSession adds a session with its audit entry.
func (tx *Tx) CreateCourseSession(ctx context.Context, actor access.Actor, s *sms.CourseSession) error {
	return CourseSessions.Insert(ctx, tx, actor, s)
}

// UpdateCourseSession changes a session read at version (0: any).
func (tx *Tx) UpdateCourseSession(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.CourseSession) error) (sms.CourseSession, error) {
	_, after, err := CourseSessions.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteCourseSession removes a session read at version (0: any).
func (tx *Tx) DeleteCourseSession(ctx context.Context, actor access.Actor, id, version int64, check func(sms.CourseSession) error) error {
	_, err := CourseSessions.Delete(ctx, tx, actor, id, version, check)
	return err
}

// CourseSessionUses counts, in the transaction, the completions of a session.
func (tx *Tx) CourseSessionUses(ctx context.Context, id int64) (int, error) {
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM course_completions WHERE session_id = ?", id).Scan(&n); err != nil {
		return 0, tx.db.fault(err, "count the completions of a session")
	}
	return n, nil
}

// CompletionFilter narrows a listing of completions.
type CompletionFilter struct {
	IDs       []int64
	CourseID  int64
	SessionID int64
	UserID    int64
	Status    string
	// ExpiredBefore: only completed ones whose certificate's last valid
	// day is before this day ("2006-01-02").
	ExpiredBefore string
	// ExpiringBy: only completed ones whose certificate expires on or
	// before this day, expired or not.
	ExpiringBy string
	Cursor     string
	Limit      int
}

// ListCompletions returns a page of completions by id.
func (db *DB) ListCompletions(ctx context.Context, f CompletionFilter) ([]sms.Completion, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.CourseID != 0 {
		w.add("course_id = ?", f.CourseID)
	}
	if f.SessionID != 0 {
		w.add("session_id = ?", f.SessionID)
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.ExpiredBefore != "" {
		w.add("status = 'completed' AND expires_on <> '' AND expires_on < ?", f.ExpiredBefore)
	}
	if f.ExpiringBy != "" {
		w.add("status = 'completed' AND expires_on <> '' AND expires_on <= ?", f.ExpiringBy)
	}
	return Completions.List(ctx, db.reader(), w, f.Limit)
}

// AllCompletions reads every completion that is completed.
func (db *DB) AllCompletions(ctx context.Context) ([]sms.Completion, error) {
	return everyPage(func(cursor string) ([]sms.Completion, string, error) {
		return db.ListCompletions(ctx, CompletionFilter{Status: "completed", Cursor: cursor, Limit: MaxLimit})
	})
}

// GetCompletion reads one completion.
func (db *DB) GetCompletion(ctx context.Context, id int64) (sms.Completion, error) {
	return Completions.Get(ctx, db.reader(), id)
}

// CreateCompletion adds a completion with its audit entry.
func (tx *Tx) CreateCompletion(ctx context.Context, actor access.Actor, c *sms.Completion) error {
	return Completions.Insert(ctx, tx, actor, c)
}

// UpdateCompletion changes a completion read at version (0: any).
func (tx *Tx) UpdateCompletion(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Completion) error) (sms.Completion, error) {
	_, after, err := Completions.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteCompletion removes a completion read at version (0: any).
func (tx *Tx) DeleteCompletion(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Completion) error) error {
	_, err := Completions.Delete(ctx, tx, actor, id, version, check)
	return err
}

// AppraisalFilter narrows a listing of direct assessments of competence.
type AppraisalFilter struct {
	IDs          []int64
	UserID       int64
	CompetenceID int64
	Cursor       string
	Limit        int
}

// ListAppraisals returns a page of appraisals by id.
func (db *DB) ListAppraisals(ctx context.Context, f AppraisalFilter) ([]sms.Appraisal, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if f.CompetenceID != 0 {
		w.add("competence_id = ?", f.CompetenceID)
	}
	return Appraisals.List(ctx, db.reader(), w, f.Limit)
}

// AllAppraisals reads every appraisal.
func (db *DB) AllAppraisals(ctx context.Context) ([]sms.Appraisal, error) {
	return everyPage(func(cursor string) ([]sms.Appraisal, string, error) {
		return db.ListAppraisals(ctx, AppraisalFilter{Cursor: cursor, Limit: MaxLimit})
	})
}

// GetAppraisal reads one appraisal.
func (db *DB) GetAppraisal(ctx context.Context, id int64) (sms.Appraisal, error) {
	return Appraisals.Get(ctx, db.reader(), id)
}

// CreateAppraisal adds an appraisal with its audit entry.
func (tx *Tx) CreateAppraisal(ctx context.Context, actor access.Actor, a *sms.Appraisal) error {
	return Appraisals.Insert(ctx, tx, actor, a)
}

// UpdateAppraisal changes an appraisal read at version (0: any).
func (tx *Tx) UpdateAppraisal(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Appraisal) error) (sms.Appraisal, error) {
	_, after, err := Appraisals.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteAppraisal removes an appraisal read at version (0: any).
func (tx *Tx) DeleteAppraisal(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Appraisal) error) error {
	_, err := Appraisals.Delete(ctx, tx, actor, id, version, check)
	return err
}
