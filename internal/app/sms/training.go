package sms

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Competences, courses, their sessions and completions, and direct
// assessments of competence are read by all staff and kept by the SMS
// managers (access.TrainingWrite).
var (
	competences = app.Scope[sms.Competence]{Kind: sms.CompetenceKind}
	courses     = app.Scope[sms.Course]{Kind: sms.CourseKind}
	sessions    = app.Scope[sms.CourseSession]{Kind: sms.CourseSessionKind}
	completions = app.Scope[sms.Completion]{Kind: sms.CompletionKind}
	appraisals  = app.Scope[sms.Appraisal]{Kind: sms.AppraisalKind}
)

// ListCompetences lists competences.
func (c *Catalogue) ListCompetences(ctx context.Context, actor access.Actor, f store.CompetenceFilter) ([]sms.Competence, string, error) {
	if err := competences.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListCompetences(ctx, f)
}

// GetCompetence reads one competence.
func (c *Catalogue) GetCompetence(ctx context.Context, actor access.Actor, id int64) (sms.Competence, error) {
	return competences.Get(ctx, actor, id, c.db.GetCompetence)
}

// CreateCompetence adds a competence.
func (c *Catalogue) CreateCompetence(ctx context.Context, actor access.Actor, in sms.CompetenceInput) (sms.Competence, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, competences.Kind.Write, "create competences", in.Validate, func(tx *store.Tx) (sms.Competence, error) {
		var v sms.Competence
		in.Set(&v)
		return v, tx.CreateCompetence(ctx, actor, &v)
	})
}

// UpdateCompetence changes a competence read at version (0: any).
func (c *Catalogue) UpdateCompetence(ctx context.Context, actor access.Actor, id, version int64, up sms.CompetenceUpdate) (sms.Competence, error) {
	return app.Change(ctx, c.app, actor, competences.Kind.Write, "change competences", nil, func(tx *store.Tx) (sms.Competence, error) {
		return tx.UpdateCompetence(ctx, actor, id, version, competences.GuardChange(actor, id, func(v *sms.Competence) error {
			in := up.Apply(*v)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			in.Set(v)
			return nil
		}))
	})
}

// DeleteCompetence removes a competence no course teaches and no direct
// assessment names; otherwise it is refused, saying what points to it.
func (c *Catalogue) DeleteCompetence(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, competences.Kind.Write, "delete competences", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteCompetence(ctx, actor, id, version, competences.Guard(actor, id, func(sms.Competence) error {
			nc, na, err := tx.CompetenceUses(ctx, id)
			if err != nil {
				return err
			}
			if nc+na > 0 {
				return errs.E(errs.Conflict, "the competence is in use: %d courses teach it and %d direct assessments name it; take it out of the courses and delete the assessments first", nc, na)
			}
			return nil
		}))
	}))
	return err
}

// ListCourses lists courses.
func (c *Catalogue) ListCourses(ctx context.Context, actor access.Actor, f store.CourseFilter) ([]sms.Course, string, error) {
	if err := courses.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListCourses(ctx, f)
}

// GetCourse reads one course.
func (c *Catalogue) GetCourse(ctx context.Context, actor access.Actor, id int64) (sms.Course, error) {
	return courses.Get(ctx, actor, id, c.db.GetCourse)
}

// CreateCourse adds a course.
func (c *Catalogue) CreateCourse(ctx context.Context, actor access.Actor, in sms.CourseInput) (sms.Course, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, courses.Kind.Write, "create courses", in.Validate, func(tx *store.Tx) (sms.Course, error) {
		var v sms.Course
		in.Set(&v)
		return v, tx.CreateCourse(ctx, actor, &v)
	})
}

// UpdateCourse changes a course read at version (0: any). Certificates
// already issued keep their expiry.
func (c *Catalogue) UpdateCourse(ctx context.Context, actor access.Actor, id, version int64, up sms.CourseUpdate) (sms.Course, error) {
	return app.Change(ctx, c.app, actor, courses.Kind.Write, "change courses", nil, func(tx *store.Tx) (sms.Course, error) {
		return tx.UpdateCourse(ctx, actor, id, version, courses.GuardChange(actor, id, func(v *sms.Course) error {
			in := up.Apply(*v)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			in.Set(v)
			return nil
		}))
	})
}

// DeleteCourse removes a course that has no sessions and no completions:
// those are the record of who was trained, so it is refused, saying how
// many there are.
func (c *Catalogue) DeleteCourse(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, courses.Kind.Write, "delete courses", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteCourse(ctx, actor, id, version, courses.Guard(actor, id, func(sms.Course) error {
			ns, nc, err := tx.CourseUses(ctx, id)
			if err != nil {
				return err
			}
			if ns+nc > 0 {
				return errs.E(errs.Conflict, "the course has %d sessions and %d attendance records, which are the record of who was trained; it cannot be deleted", ns, nc)
			}
			return nil
		}))
	}))
	return err
}

// ListCourseSessions lists sessions.
func (c *Catalogue) ListCourseSessions(ctx context.Context, actor access.Actor, f store.CourseSessionFilter) ([]sms.CourseSession, string, error) {
	if err := sessions.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListCourseSessions(ctx, f)
}

// GetCourseSession reads one session.
func (c *Catalogue) GetCourseSession(ctx context.Context, actor access.Actor, id int64) (sms.CourseSession, error) {
	return sessions.Get(ctx, actor, id, c.db.GetCourseSession)
}

// CreateCourseSession adds a session to a course.
func (c *Catalogue) CreateCourseSession(ctx context.Context, actor access.Actor, in sms.CourseSessionInput) (sms.CourseSession, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, sessions.Kind.Write, "create course sessions", in.Validate, func(tx *store.Tx) (sms.CourseSession, error) {
		var v sms.CourseSession
		if _, err := tx.GetCourse(ctx, in.CourseID); errs.Is(err, errs.NotFound) {
			return v, errs.Field("course_id", "names no course")
		} else if err != nil {
			return v, err
		}
		in.Set(&v)
		return v, tx.CreateCourseSession(ctx, actor, &v)
	})
}

// UpdateCourseSession changes a session read at version (0: any).
func (c *Catalogue) UpdateCourseSession(ctx context.Context, actor access.Actor, id, version int64, up sms.CourseSessionUpdate) (sms.CourseSession, error) {
	return app.Change(ctx, c.app, actor, sessions.Kind.Write, "change course sessions", nil, func(tx *store.Tx) (sms.CourseSession, error) {
		return tx.UpdateCourseSession(ctx, actor, id, version, sessions.GuardChange(actor, id, func(v *sms.CourseSession) error {
			in := up.Apply(*v)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			in.Set(v)
			return nil
		}))
	})
}

// DeleteCourseSession removes a session nobody was booked on.
func (c *Catalogue) DeleteCourseSession(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, sessions.Kind.Write, "delete course sessions", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteCourseSession(ctx, actor, id, version, sessions.Guard(actor, id, func(sms.CourseSession) error {
			n, err := tx.CourseSessionUses(ctx, id)
			if err != nil {
				return err
			}
			if n > 0 {
				return errs.E(errs.Conflict, "%d people are recorded on this session; delete their attendance first", n)
			}
			return nil
		}))
	}))
	return err
}

// ListCompletions lists completions.
func (c *Catalogue) ListCompletions(ctx context.Context, actor access.Actor, f store.CompletionFilter) ([]sms.Completion, string, error) {
	if err := completions.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListCompletions(ctx, f)
}

// GetCompletion reads one completion.
func (c *Catalogue) GetCompletion(ctx context.Context, actor access.Actor, id int64) (sms.Completion, error) {
	return completions.Get(ctx, actor, id, c.db.GetCompletion)
}

// CreateCompletion records a person's place on a course. A completion
// without an expiry of a course whose certificates expire gets the
// course's.
func (c *Catalogue) CreateCompletion(ctx context.Context, actor access.Actor, in sms.CompletionInput) (sms.Completion, error) {
	in.Normalize()
	cert, err := c.checkCertificate(in.Certificate)
	if err != nil {
		return sms.Completion{}, err
	}
	return app.Change(ctx, c.app, actor, completions.Kind.Write, "record course completions", in.Validate, func(tx *store.Tx) (sms.Completion, error) {
		var v sms.Completion
		course, err := c.checkCompletion(ctx, tx, in)
		if err != nil {
			return v, err
		}
		if in.Status == "completed" && in.ExpiresOn == "" {
			in.ExpiresOn = course.ExpiryFrom(in.CompletedOn)
		}
		in.Set(&v)
		if in.Certificate != nil {
			if err := app.StoreFile(ctx, tx, cert, *in.Certificate); err != nil {
				return v, err
			}
			v.SetCertificate(cert)
		}
		return v, tx.CreateCompletion(ctx, actor, &v)
	})
}

// checkCertificate checks an uploaded certificate (none: nothing to do)
// against the size limit and the types kept, before any transaction.
func (c *Catalogue) checkCertificate(up *files.Upload) (files.File, error) {
	if up == nil {
		return files.File{}, nil
	}
	if up.Field == "" {
		up.Field = "certificate"
	}
	return c.app.CheckUpload(*up)
}

// CertificateOf reads a completion's uploaded certificate for a reader
// who may see the completion.
func (c *Catalogue) CertificateOf(ctx context.Context, actor access.Actor, id int64) (files.File, []byte, error) {
	v, err := c.GetCompletion(ctx, actor, id)
	if err != nil {
		return files.File{}, nil, err
	}
	f, ok := v.Certificate()
	if !ok {
		return f, nil, errs.E(errs.NotFound, "course completion %d has no certificate uploaded", id)
	}
	data, err := c.app.FileContent(ctx, f)
	return f, data, err
}

// UpdateCompletion changes a completion read at version (0: any). When it
// becomes completed without an expiry, it gets the course's.
func (c *Catalogue) UpdateCompletion(ctx context.Context, actor access.Actor, id, version int64, up sms.CompletionUpdate) (sms.Completion, error) {
	cert, err := c.checkCertificate(up.Certificate)
	if err != nil {
		return sms.Completion{}, err
	}
	return app.Change(ctx, c.app, actor, completions.Kind.Write, "change course completions", nil, func(tx *store.Tx) (sms.Completion, error) {
		return tx.UpdateCompletion(ctx, actor, id, version, completions.GuardChange(actor, id, func(v *sms.Completion) error {
			in := up.Apply(*v)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			course, err := c.checkCompletion(ctx, tx, in)
			if err != nil {
				return err
			}
			if in.Status == "completed" && v.Status != "completed" && in.ExpiresOn == "" {
				in.ExpiresOn = course.ExpiryFrom(in.CompletedOn)
			}
			in.Set(v)
			if in.Certificate != nil {
				if err := app.StoreFile(ctx, tx, cert, *in.Certificate); err != nil {
					return err
				}
				v.SetCertificate(cert)
			}
			return nil
		}))
	})
}

// DeleteCompletion removes a completion read at version (0: any).
func (c *Catalogue) DeleteCompletion(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, completions.Kind.Write, "delete course completions", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteCompletion(ctx, actor, id, version, completions.Guard(actor, id, nil))
	}))
	return err
}

// checkCompletion refuses a course that does not exist, a session of
// another course, a completion before the session began, and a person
// who is not one of the provider's active staff, naming the field.
func (c *Catalogue) checkCompletion(ctx context.Context, tx *store.Tx, in sms.CompletionInput) (sms.Course, error) {
	course, err := tx.GetCourse(ctx, in.CourseID)
	if errs.Is(err, errs.NotFound) {
		return course, errs.Field("course_id", "names no course")
	} else if err != nil {
		return course, err
	}
	if in.SessionID != nil {
		s, err := tx.GetCourseSession(ctx, *in.SessionID)
		switch {
		case errs.Is(err, errs.NotFound):
			return course, errs.Field("session_id", "names no session")
		case err != nil:
			return course, err
		case s.CourseID != in.CourseID:
			return course, errs.Field("session_id", "is a session of another course")
		case in.CompletedOn != "" && in.CompletedOn < s.StartsOn:
			return course, errs.Field("completed_on", "must not be before the session's first day, "+s.StartsOn)
		}
	}
	return course, c.checkStaff(ctx, "user_id", in.UserID)
}

// checkStaff refuses a person who does not exist, is deactivated or is
// not one of the provider's staff.
func (c *Catalogue) checkStaff(ctx context.Context, field string, id int64) error {
	u, err := c.app.GetUser(ctx, access.CLI, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field(field, "names no user")
	case err != nil:
		return err
	case !u.Active:
		return errs.Field(field, "names a deactivated user")
	case !u.Role.Staff():
		return errs.Field(field, "names a user who is not one of the provider's staff")
	}
	return nil
}

// ListAppraisals lists direct assessments of competence.
func (c *Catalogue) ListAppraisals(ctx context.Context, actor access.Actor, f store.AppraisalFilter) ([]sms.Appraisal, string, error) {
	if err := appraisals.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListAppraisals(ctx, f)
}

// GetAppraisal reads one direct assessment of competence.
func (c *Catalogue) GetAppraisal(ctx context.Context, actor access.Actor, id int64) (sms.Appraisal, error) {
	return appraisals.Get(ctx, actor, id, c.db.GetAppraisal)
}

// CreateAppraisal records a direct assessment of someone's competence.
func (c *Catalogue) CreateAppraisal(ctx context.Context, actor access.Actor, in sms.AppraisalInput) (sms.Appraisal, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, appraisals.Kind.Write, "record competence assessments", in.Validate, func(tx *store.Tx) (sms.Appraisal, error) {
		var v sms.Appraisal
		if err := c.checkAppraisal(ctx, in); err != nil {
			return v, err
		}
		in.Set(&v)
		return v, tx.CreateAppraisal(ctx, actor, &v)
	})
}

// UpdateAppraisal changes an appraisal read at version (0: any).
func (c *Catalogue) UpdateAppraisal(ctx context.Context, actor access.Actor, id, version int64, up sms.AppraisalUpdate) (sms.Appraisal, error) {
	return app.Change(ctx, c.app, actor, appraisals.Kind.Write, "change competence assessments", nil, func(tx *store.Tx) (sms.Appraisal, error) {
		return tx.UpdateAppraisal(ctx, actor, id, version, appraisals.GuardChange(actor, id, func(v *sms.Appraisal) error {
			in := up.Apply(*v)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if err := c.checkAppraisal(ctx, in); err != nil {
				return err
			}
			in.Set(v)
			return nil
		}))
	})
}

// DeleteAppraisal removes an appraisal read at version (0: any).
func (c *Catalogue) DeleteAppraisal(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, appraisals.Kind.Write, "delete competence assessments", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteAppraisal(ctx, actor, id, version, appraisals.Guard(actor, id, nil))
	}))
	return err
}

func (c *Catalogue) checkAppraisal(ctx context.Context, in sms.AppraisalInput) error {
	if err := c.checkStaff(ctx, "user_id", in.UserID); err != nil {
		return err
	}
	if err := c.checkStaff(ctx, "assessor_id", in.AssessorID); err != nil {
		return err
	}
	if in.AssessorID == in.UserID {
		return errs.Field("assessor_id", "must be someone other than the person assessed")
	}
	if _, err := c.db.GetCompetence(ctx, in.CompetenceID); errs.Is(err, errs.NotFound) {
		return errs.Field("competence_id", "names no competence")
	} else if err != nil {
		return err
	}
	return nil
}

// Matrix sets the provider's active staff against every competence on
// day today ("2006-01-02"): who must hold which, and who does, through a
// completed course whose certificate has not expired or a direct
// assessment. People are in name order, competences in name order.
func (c *Catalogue) Matrix(ctx context.Context, actor access.Actor, today string) (sms.Matrix, error) {
	if err := competences.MayRead(actor, "see the competence matrix of"); err != nil {
		return sms.Matrix{}, err
	}
	comps, err := c.db.AllCompetences(ctx)
	if err != nil {
		return sms.Matrix{}, err
	}
	crs, err := c.db.AllCourses(ctx)
	if err != nil {
		return sms.Matrix{}, err
	}
	done, err := c.db.AllCompletions(ctx)
	if err != nil {
		return sms.Matrix{}, err
	}
	aps, err := c.db.AllAppraisals(ctx)
	if err != nil {
		return sms.Matrix{}, err
	}
	people, err := c.staff(ctx)
	if err != nil {
		return sms.Matrix{}, err
	}
	slices.SortFunc(comps, func(a, b sms.Competence) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return sms.NewMatrix(people, comps, sms.Holdings(crs, done, aps), today), nil
}

// staff are the provider's active staff with their teams, by name.
func (c *Catalogue) staff(ctx context.Context) ([]sms.Person, error) {
	provider, err := c.db.ProviderOrganisation(ctx)
	if err != nil {
		return nil, fmt.Errorf("competence matrix: %w", err)
	}
	active := true
	users, err := app.EveryPage(func(cursor string) ([]account.User, string, error) {
		return c.db.ListUsers(ctx, store.UserFilter{OrgID: provider.ID, Active: &active, Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	teams, err := app.EveryPage(func(cursor string) ([]account.Team, string, error) {
		return c.db.ListTeams(ctx, store.TeamFilter{Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	member := map[int64][]int64{}
	for _, t := range teams {
		for _, u := range t.MemberIDs {
			member[u] = append(member[u], t.ID)
		}
	}
	var out []sms.Person
	for _, u := range users {
		if u.Role.Staff() {
			out = append(out, sms.Person{ID: u.ID, Name: u.Name, Role: u.Role, TeamIDs: member[u.ID]})
		}
	}
	slices.SortFunc(out, func(a, b sms.Person) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}

// TrainingCoverage is the share of required competences held on day
// today, over every person and every competence required of them: the
// figure the certification journey shows for training.
func (c *Catalogue) TrainingCoverage(ctx context.Context, actor access.Actor, today string) (sms.Coverage, error) {
	m, err := c.Matrix(ctx, actor, today)
	if err != nil {
		return sms.Coverage{}, err
	}
	return m.Coverage(), nil
}

// CourseRecords reads a course's sessions, by first day, and its
// completions.
func (c *Catalogue) CourseRecords(ctx context.Context, actor access.Actor, courseID int64) ([]sms.CourseSession, []sms.Completion, error) {
	if err := sessions.MayRead(actor, "list"); err != nil {
		return nil, nil, err
	}
	ss, err := app.EveryPage(func(cursor string) ([]sms.CourseSession, string, error) {
		return c.db.ListCourseSessions(ctx, store.CourseSessionFilter{CourseID: courseID, Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(ss, func(a, b sms.CourseSession) int { return strings.Compare(a.StartsOn, b.StartsOn) })
	cs, err := app.EveryPage(func(cursor string) ([]sms.Completion, string, error) {
		return c.db.ListCompletions(ctx, store.CompletionFilter{CourseID: courseID, Cursor: cursor, Limit: store.MaxLimit})
	})
	return ss, cs, err
}

// ListCompetencesAll reads every competence, by name, for a form's
// choices.
func (c *Catalogue) ListCompetencesAll(ctx context.Context, actor access.Actor) ([]sms.Competence, error) {
	if err := competences.MayRead(actor, "list"); err != nil {
		return nil, err
	}
	out, err := c.db.AllCompetences(ctx)
	slices.SortFunc(out, func(a, b sms.Competence) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out, err
}
