package sms

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Competence is an ability the SMS requires of people in some roles or
// teams, at a level.
type Competence struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number" doc:"Human number, CMP-000001."`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Level       int64     `json:"level" minimum:"1" maximum:"4" doc:"The level required: 1 aware, 2 practitioner, 3 proficient, 4 expert."`
	Roles       []string  `json:"roles" doc:"The roles it is required of."`
	TeamIDs     []int64   `json:"team_ids" doc:"The teams whose members it is required of."`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

func competenceOut(c sms.Competence) Competence {
	roles := []string{}
	for _, r := range c.RoleList() {
		roles = append(roles, string(r))
	}
	return Competence{ID: c.ID, Number: sms.CompetenceKind.Number(c.ID), Name: c.Name, Description: c.Description, Level: c.Level, Roles: roles,
		TeamIDs: nonNil(c.TeamIDs), CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy, UpdatedAt: c.UpdatedAt, UpdatedBy: c.UpdatedBy, Version: c.Version}
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func roles(in []string) []access.Role {
	out := make([]access.Role, len(in))
	for i, r := range in {
		out[i] = access.Role(r)
	}
	return out
}

type competenceCreateIn struct {
	Body struct {
		Name        string   `json:"name" maxLength:"200"`
		Description string   `json:"description,omitempty" maxLength:"4000"`
		Level       int64    `json:"level,omitempty" minimum:"0" maximum:"4" doc:"2 when left out."`
		Roles       []string `json:"roles,omitempty" maxItems:"10" enum:"admin,sms_manager,process_owner,agent,internal_auditor,top_management"`
		TeamIDs     []int64  `json:"team_ids,omitempty" maxItems:"100"`
	}
}

type competencePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Name        *string   `json:"name,omitempty" maxLength:"200"`
		Description *string   `json:"description,omitempty" maxLength:"4000"`
		Level       *int64    `json:"level,omitempty" minimum:"1" maximum:"4"`
		Roles       *[]string `json:"roles,omitempty" maxItems:"10" enum:"admin,sms_manager,process_owner,agent,internal_auditor,top_management" doc:"Replaces the roles."`
		TeamIDs     *[]int64  `json:"team_ids,omitempty" maxItems:"100" doc:"Replaces the teams."`
	}
}

type competenceListIn struct {
	restapi.PageParams
	Q      string `query:"q" maxLength:"100" doc:"Part of the name."`
	Role   string `query:"role" enum:"admin,sms_manager,process_owner,agent,internal_auditor,top_management" doc:"Only competences required of this role."`
	TeamID int64  `query:"team_id" minimum:"0" doc:"Only competences required of this team's members."`
}

// Course is training that teaches competences.
type Course struct {
	ID             int64     `json:"id"`
	Number         string    `json:"number" doc:"Human number, CRS-000001."`
	Title          string    `json:"title"`
	Description    string    `json:"description"`
	Provider       string    `json:"provider" doc:"Who gives it."`
	Level          int64     `json:"level" doc:"The level of each competence taught that completing it brings."`
	ValidityMonths int64     `json:"validity_months" doc:"How long its certificates are valid; 0 for good."`
	CompetenceIDs  []int64   `json:"competence_ids" doc:"The competences it teaches."`
	CreatedAt      time.Time `json:"created_at"`
	CreatedBy      int64     `json:"created_by"`
	UpdatedAt      time.Time `json:"updated_at"`
	UpdatedBy      int64     `json:"updated_by"`
	Version        int64     `json:"version"`
}

func courseOut(c sms.Course) Course {
	return Course{ID: c.ID, Number: sms.CourseKind.Number(c.ID), Title: c.Title, Description: c.Description, Provider: c.Provider, Level: c.Level,
		ValidityMonths: c.ValidityMonths, CompetenceIDs: nonNil(c.CompetenceIDs), CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy, UpdatedAt: c.UpdatedAt,
		UpdatedBy: c.UpdatedBy, Version: c.Version}
}

// CourseDetail is a course with its sessions and completions.
type CourseDetail struct {
	Course
	Sessions    []CourseSession `json:"sessions" doc:"Its sessions, by first day."`
	Completions []Completion    `json:"completions" doc:"Everyone's place on it."`
}

type courseWith struct {
	sms.Course
	sessions    []sms.CourseSession
	completions []sms.Completion
}

type courseCreateIn struct {
	Body struct {
		Title          string  `json:"title" maxLength:"200"`
		Description    string  `json:"description,omitempty" maxLength:"4000"`
		Provider       string  `json:"provider,omitempty" maxLength:"200"`
		Level          int64   `json:"level,omitempty" minimum:"0" maximum:"4" doc:"2 when left out."`
		ValidityMonths int64   `json:"validity_months,omitempty" minimum:"0" maximum:"120"`
		CompetenceIDs  []int64 `json:"competence_ids,omitempty" maxItems:"100"`
	}
}

type coursePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title          *string  `json:"title,omitempty" maxLength:"200"`
		Description    *string  `json:"description,omitempty" maxLength:"4000"`
		Provider       *string  `json:"provider,omitempty" maxLength:"200"`
		Level          *int64   `json:"level,omitempty" minimum:"1" maximum:"4"`
		ValidityMonths *int64   `json:"validity_months,omitempty" minimum:"0" maximum:"120"`
		CompetenceIDs  *[]int64 `json:"competence_ids,omitempty" maxItems:"100" doc:"Replaces the competences."`
	}
}

type courseListIn struct {
	restapi.PageParams
	Q            string `query:"q" maxLength:"100" doc:"Part of the title."`
	CompetenceID int64  `query:"competence_id" minimum:"0" doc:"Only courses that teach this competence."`
}

// CourseSession is one running of a course.
type CourseSession struct {
	ID        int64     `json:"id"`
	Number    string    `json:"number" doc:"Human number, CSN-000001."`
	CourseID  int64     `json:"course_id"`
	StartsOn  string    `json:"starts_on" doc:"The first day (2006-01-02)."`
	EndsOn    string    `json:"ends_on" doc:"The last day; empty for one day."`
	Trainer   string    `json:"trainer"`
	Place     string    `json:"place" doc:"A room or an address; for an online session, its link."`
	Online    bool      `json:"online"`
	Notes     string    `json:"notes"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

func sessionOut(s sms.CourseSession) CourseSession {
	return CourseSession{ID: s.ID, Number: sms.CourseSessionKind.Number(s.ID), CourseID: s.CourseID, StartsOn: s.StartsOn, EndsOn: s.EndsOn, Trainer: s.Trainer,
		Place: s.Place, Online: s.Online, Notes: s.Notes, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Version: s.Version}
}

type sessionCreateIn struct {
	Body struct {
		CourseID int64  `json:"course_id" minimum:"1"`
		StartsOn string `json:"starts_on" maxLength:"10" doc:"2006-01-02"`
		EndsOn   string `json:"ends_on,omitempty" maxLength:"10" doc:"2006-01-02; not before starts_on."`
		Trainer  string `json:"trainer,omitempty" maxLength:"200"`
		Place    string `json:"place,omitempty" maxLength:"200"`
		Online   bool   `json:"online,omitempty"`
		Notes    string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type sessionPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		StartsOn *string `json:"starts_on,omitempty" maxLength:"10"`
		EndsOn   *string `json:"ends_on,omitempty" maxLength:"10"`
		Trainer  *string `json:"trainer,omitempty" maxLength:"200"`
		Place    *string `json:"place,omitempty" maxLength:"200"`
		Online   *bool   `json:"online,omitempty"`
		Notes    *string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type sessionListIn struct {
	restapi.PageParams
	CourseID int64  `query:"course_id" minimum:"0" doc:"Only this course's sessions."`
	From     string `query:"from" maxLength:"10" doc:"Only sessions that end on or after this day (2006-01-02): today's for those to come."`
}

// Completion is one person's place on a course.
type Completion struct {
	ID          int64            `json:"id"`
	Number      string           `json:"number" doc:"Human number, CPL-000001."`
	CourseID    int64            `json:"course_id"`
	SessionID   *int64           `json:"session_id" doc:"The session attended; null for a course taken on one's own."`
	UserID      int64            `json:"user_id"`
	Status      string           `json:"status" enum:"enrolled,attended,completed,absent"`
	CompletedOn string           `json:"completed_on" doc:"The day it was completed; empty unless completed."`
	ExpiresOn   string           `json:"expires_on" doc:"The certificate's last valid day; empty for none."`
	Expired     bool             `json:"expired" doc:"Completed, and the certificate's last valid day has passed."`
	Evidence    string           `json:"evidence" doc:"A note or a link: where the proof of completion is."`
	Certificate *CertificateFile `json:"certificate,omitempty" doc:"The uploaded certificate; absent when none. PUT /api/v1/course-completions/{id}/certificate uploads it; GET downloads it."`
	CreatedAt   time.Time        `json:"created_at"`
	CreatedBy   int64            `json:"created_by"`
	UpdatedAt   time.Time        `json:"updated_at"`
	UpdatedBy   int64            `json:"updated_by"`
	Version     int64            `json:"version"`
}

// CertificateFile is an uploaded certificate: its name, type, size and
// the SHA-256 of its content.
type CertificateFile struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size" doc:"In bytes."`
	SHA256 string `json:"sha256"`
}

func completionOut(c sms.Completion) Completion {
	var cert *CertificateFile
	if f, ok := c.Certificate(); ok {
		cert = &CertificateFile{Name: f.Name, Type: f.Type, Size: f.Size, SHA256: f.Hash}
	}
	return Completion{Certificate: cert, ID: c.ID, Number: sms.CompletionKind.Number(c.ID), CourseID: c.CourseID, SessionID: c.SessionID, UserID: c.UserID, Status: c.Status,
		CompletedOn: c.CompletedOn, ExpiresOn: c.ExpiresOn, Expired: c.Status == "completed" && c.Expired(today()), Evidence: c.Evidence,
		CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy, UpdatedAt: c.UpdatedAt, UpdatedBy: c.UpdatedBy, Version: c.Version}
}

func today() string { return time.Now().UTC().Format(time.DateOnly) }

type completionCreateIn struct {
	Body struct {
		CourseID    int64  `json:"course_id" minimum:"1"`
		SessionID   int64  `json:"session_id,omitempty" minimum:"0" doc:"The session attended, of the same course; 0 or left out for none."`
		UserID      int64  `json:"user_id" minimum:"1"`
		Status      string `json:"status,omitempty" enum:"enrolled,attended,completed,absent" doc:"enrolled when left out."`
		CompletedOn string `json:"completed_on,omitempty" maxLength:"10" doc:"Required when completed (2006-01-02)."`
		ExpiresOn   string `json:"expires_on,omitempty" maxLength:"10" doc:"The certificate's last valid day; left out, the course's validity decides it."`
		Evidence    string `json:"evidence,omitempty" maxLength:"2000"`
	}
}

type completionPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		SessionID   *int64  `json:"session_id,omitempty" minimum:"0" doc:"0 takes the session away."`
		Status      *string `json:"status,omitempty" enum:"enrolled,attended,completed,absent"`
		CompletedOn *string `json:"completed_on,omitempty" maxLength:"10"`
		ExpiresOn   *string `json:"expires_on,omitempty" maxLength:"10"`
		Evidence    *string `json:"evidence,omitempty" maxLength:"2000"`
	}
}

type completionListIn struct {
	restapi.PageParams
	CourseID  int64  `query:"course_id" minimum:"0"`
	SessionID int64  `query:"session_id" minimum:"0"`
	UserID    int64  `query:"user_id" minimum:"0" doc:"Only this person's."`
	Status    string `query:"status" enum:"enrolled,attended,completed,absent"`
	Expired   bool   `query:"expired" doc:"Only completed ones whose certificate has expired."`
}

// Appraisal is a direct assessment of someone's competence.
type Appraisal struct {
	ID           int64     `json:"id"`
	Number       string    `json:"number" doc:"Human number, CAP-000001."`
	UserID       int64     `json:"user_id" doc:"The person assessed."`
	CompetenceID int64     `json:"competence_id"`
	Level        int64     `json:"level" doc:"The level found: 1 aware, 2 practitioner, 3 proficient, 4 expert."`
	AssessedOn   string    `json:"assessed_on"`
	ExpiresOn    string    `json:"expires_on" doc:"The last day it counts; empty for good."`
	AssessorID   int64     `json:"assessor_id" doc:"Who assessed."`
	Notes        string    `json:"notes"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int64     `json:"version"`
}

func appraisalOut(a sms.Appraisal) Appraisal {
	return Appraisal{ID: a.ID, Number: sms.AppraisalKind.Number(a.ID), UserID: a.UserID, CompetenceID: a.CompetenceID, Level: a.Level, AssessedOn: a.AssessedOn,
		ExpiresOn: a.ExpiresOn, AssessorID: a.AssessorID, Notes: a.Notes, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}

type appraisalCreateIn struct {
	Body struct {
		UserID       int64  `json:"user_id" minimum:"1"`
		CompetenceID int64  `json:"competence_id" minimum:"1"`
		Level        int64  `json:"level" minimum:"0" maximum:"4"`
		AssessedOn   string `json:"assessed_on" maxLength:"10" doc:"2006-01-02"`
		ExpiresOn    string `json:"expires_on,omitempty" maxLength:"10"`
		AssessorID   int64  `json:"assessor_id" minimum:"1" doc:"Someone other than the person assessed."`
		Notes        string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type appraisalPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Level      *int64  `json:"level,omitempty" minimum:"1" maximum:"4"`
		AssessedOn *string `json:"assessed_on,omitempty" maxLength:"10"`
		ExpiresOn  *string `json:"expires_on,omitempty" maxLength:"10"`
		AssessorID *int64  `json:"assessor_id,omitempty" minimum:"1"`
		Notes      *string `json:"notes,omitempty" maxLength:"4000"`
	}
}

type appraisalListIn struct {
	restapi.PageParams
	UserID       int64 `query:"user_id" minimum:"0"`
	CompetenceID int64 `query:"competence_id" minimum:"0"`
}

// MatrixCell is one person against one competence.
type MatrixCell struct {
	CompetenceID int64  `json:"competence_id"`
	State        string `json:"state" enum:"held,gap_missing,gap_level,gap_expired,not_required" doc:"held; a gap (not held, level too low, expired); or not required."`
	Required     int64  `json:"required" doc:"The level required; 0 when not required."`
	Level        int64  `json:"level" doc:"The best level held today; 0 for none."`
	Until        string `json:"until" doc:"The last day the level held counts; empty for good."`
}

// MatrixRow is one person's competences.
type MatrixRow struct {
	UserID   int64        `json:"user_id"`
	Name     string       `json:"name"`
	Role     string       `json:"role"`
	Coverage Coverage     `json:"coverage"`
	Cells    []MatrixCell `json:"cells"`
}

// Coverage is how many required competences are held.
type Coverage struct {
	Percent  int `json:"percent" doc:"held ÷ required, in whole percent rounded down; 100 when nothing is required."`
	Required int `json:"required" doc:"Competences required, counted once per person."`
	Held     int `json:"held"`
	Gaps     int `json:"gaps"`
}

func coverageOut(c sms.Coverage) Coverage {
	return Coverage{Percent: c.Percent(), Required: c.Required, Held: c.Held, Gaps: c.Gaps()}
}

// MatrixOut is the competence matrix.
type MatrixOut struct {
	Day         string       `json:"day" doc:"The day it holds for."`
	Coverage    Coverage     `json:"coverage"`
	Competences []Competence `json:"competences"`
	People      []MatrixRow  `json:"people"`
}

// registerTraining adds the operations of competences, courses, their
// sessions and completions, direct assessments and the matrix.
func registerTraining(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.CompetenceKind
	restapi.Register(api, k.Read, huma.Operation{OperationID: "competence-matrix", Method: http.MethodGet, Path: restapi.KindPath(k) + "/matrix",
		Tags: []string{k.Plural}, Summary: "The competence matrix",
		Description: "Every active staff member against every competence, today: required or not, held (through a completed course whose certificate has not expired, or a direct assessment) or a gap, and the coverage: required competences held ÷ required."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body MatrixOut }, error) {
			day := today()
			m, err := c.Matrix(ctx, actor, day)
			if err != nil {
				return nil, err
			}
			out := MatrixOut{Day: day, Coverage: coverageOut(m.Coverage()), Competences: mapOut(m.Competences, competenceOut), People: []MatrixRow{}}
			for i, p := range m.People {
				row := MatrixRow{UserID: p.ID, Name: p.Name, Role: string(p.Role), Coverage: coverageOut(m.PersonCoverage(i)), Cells: []MatrixCell{}}
				for j, cell := range m.Cells[i] {
					row.Cells = append(row.Cells, MatrixCell{CompetenceID: m.Competences[j].ID, State: cell.State, Required: cell.Need, Level: cell.Level, Until: cell.Until})
				}
				out.People = append(out.People, row)
			}
			return &struct{ Body MatrixOut }{out}, nil
		})
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *competenceListIn) ([]sms.Competence, string, error) {
		return c.ListCompetences(ctx, actor, store.CompetenceFilter{Query: in.Q, Role: access.Role(in.Role), TeamID: in.TeamID, Cursor: in.Cursor, Limit: in.Limit})
	}, competenceOut)
	restapi.RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *competenceCreateIn) (sms.Competence, error) {
		b := in.Body
		return c.CreateCompetence(ctx, actor, sms.CompetenceInput{Name: b.Name, Description: b.Description, Level: b.Level, Roles: roles(b.Roles), TeamIDs: b.TeamIDs})
	}, competenceOut)
	restapi.RegisterGet(api, k, c.GetCompetence, competenceOut)
	restapi.RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *competencePatchIn, version int64) (sms.Competence, error) {
		b := in.Body
		up := sms.CompetenceUpdate{Name: b.Name, Description: b.Description, Level: b.Level, TeamIDs: b.TeamIDs}
		if b.Roles != nil {
			rs := roles(*b.Roles)
			up.Roles = &rs
		}
		return c.UpdateCompetence(ctx, actor, in.ID, version, up)
	}, competenceOut)
	restapi.RegisterDelete(api, k, "", "Refused (409) while a course teaches it or a direct assessment names it.", c.DeleteCompetence)
	api.RegisterHistory(k)

	ck := sms.CourseKind
	restapi.RegisterList(api, ck, "", func(ctx context.Context, actor access.Actor, in *courseListIn) ([]sms.Course, string, error) {
		return c.ListCourses(ctx, actor, store.CourseFilter{Query: in.Q, CompetenceID: in.CompetenceID, Cursor: in.Cursor, Limit: in.Limit})
	}, courseOut)
	restapi.RegisterCreate(api, ck, "", func(ctx context.Context, actor access.Actor, in *courseCreateIn) (sms.Course, error) {
		b := in.Body
		return c.CreateCourse(ctx, actor, sms.CourseInput{Title: b.Title, Description: b.Description, Provider: b.Provider, Level: b.Level,
			ValidityMonths: b.ValidityMonths, CompetenceIDs: b.CompetenceIDs})
	}, courseOut)
	restapi.RegisterGet(api, ck, func(ctx context.Context, actor access.Actor, id int64) (courseWith, error) {
		co, err := c.GetCourse(ctx, actor, id)
		if err != nil {
			return courseWith{}, err
		}
		ss, cs, err := c.CourseRecords(ctx, actor, id)
		return courseWith{Course: co, sessions: ss, completions: cs}, err
	}, func(w courseWith) CourseDetail {
		return CourseDetail{Course: courseOut(w.Course), Sessions: mapOut(w.sessions, sessionOut), Completions: mapOut(w.completions, completionOut)}
	})
	restapi.RegisterUpdate(api, ck, "Certificates already issued keep their expiry.", func(ctx context.Context, actor access.Actor, in *coursePatchIn, version int64) (sms.Course, error) {
		b := in.Body
		return c.UpdateCourse(ctx, actor, in.ID, version, sms.CourseUpdate{Title: b.Title, Description: b.Description, Provider: b.Provider, Level: b.Level,
			ValidityMonths: b.ValidityMonths, CompetenceIDs: b.CompetenceIDs})
	}, courseOut)
	restapi.RegisterDelete(api, ck, "", "Refused (409) once it has sessions or attendance: they are the record of who was trained.", c.DeleteCourse)
	api.RegisterHistory(ck)

	sk := sms.CourseSessionKind
	restapi.RegisterList(api, sk, "", func(ctx context.Context, actor access.Actor, in *sessionListIn) ([]sms.CourseSession, string, error) {
		return c.ListCourseSessions(ctx, actor, store.CourseSessionFilter{CourseID: in.CourseID, From: in.From, Cursor: in.Cursor, Limit: in.Limit})
	}, sessionOut)
	restapi.RegisterCreate(api, sk, "", func(ctx context.Context, actor access.Actor, in *sessionCreateIn) (sms.CourseSession, error) {
		b := in.Body
		return c.CreateCourseSession(ctx, actor, sms.CourseSessionInput{CourseID: b.CourseID, StartsOn: b.StartsOn, EndsOn: b.EndsOn, Trainer: b.Trainer,
			Place: b.Place, Online: b.Online, Notes: b.Notes})
	}, sessionOut)
	restapi.RegisterGet(api, sk, c.GetCourseSession, sessionOut)
	restapi.RegisterUpdate(api, sk, "The course never changes.", func(ctx context.Context, actor access.Actor, in *sessionPatchIn, version int64) (sms.CourseSession, error) {
		b := in.Body
		return c.UpdateCourseSession(ctx, actor, in.ID, version, sms.CourseSessionUpdate{StartsOn: b.StartsOn, EndsOn: b.EndsOn, Trainer: b.Trainer,
			Place: b.Place, Online: b.Online, Notes: b.Notes})
	}, sessionOut)
	restapi.RegisterDelete(api, sk, "", "Refused (409) while anyone is recorded on it.", c.DeleteCourseSession)
	api.RegisterHistory(sk)

	pk := sms.CompletionKind
	restapi.RegisterList(api, pk, "", func(ctx context.Context, actor access.Actor, in *completionListIn) ([]sms.Completion, string, error) {
		f := store.CompletionFilter{CourseID: in.CourseID, SessionID: in.SessionID, UserID: in.UserID, Status: in.Status, Cursor: in.Cursor, Limit: in.Limit}
		if in.Expired {
			f.ExpiredBefore = today()
		}
		return c.ListCompletions(ctx, actor, f)
	}, completionOut)
	restapi.RegisterCreate(api, pk, "A completed course without expires_on gets the course's validity from completed_on.",
		func(ctx context.Context, actor access.Actor, in *completionCreateIn) (sms.Completion, error) {
			b := in.Body
			var session *int64
			if b.SessionID != 0 {
				session = &b.SessionID
			}
			return c.CreateCompletion(ctx, actor, sms.CompletionInput{CourseID: b.CourseID, SessionID: session, UserID: b.UserID, Status: b.Status,
				CompletedOn: b.CompletedOn, ExpiresOn: b.ExpiresOn, Evidence: b.Evidence})
		}, completionOut)
	restapi.RegisterGet(api, pk, c.GetCompletion, completionOut)
	restapi.RegisterUpdate(api, pk, "The course and the person never change. Becoming completed without an expiry gives the course's.",
		func(ctx context.Context, actor access.Actor, in *completionPatchIn, version int64) (sms.Completion, error) {
			b := in.Body
			return c.UpdateCompletion(ctx, actor, in.ID, version, sms.CompletionUpdate{SessionID: b.SessionID, Status: b.Status, CompletedOn: b.CompletedOn,
				ExpiresOn: b.ExpiresOn, Evidence: b.Evidence})
		}, completionOut)
	restapi.Register(api, pk.Write, huma.Operation{OperationID: "upload-course-completion-certificate", Method: http.MethodPut, Path: restapi.ItemPath(pk) + "/certificate",
		Tags: []string{pk.Plural}, Summary: "Upload a completion's certificate", MaxBodyBytes: 2 * api.App().MaxUpload(),
		Errors:      []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge},
		Description: "The body is the certificate, replacing any the completion had. " + acceptedFiles(api)},
		func(ctx context.Context, actor access.Actor, in *fileIn) (*restapi.Tagged[Completion], error) {
			up := in.upload()
			v, err := restapi.AtVersions(in.IfMatch, func(version int64) (sms.Completion, error) {
				return c.UpdateCompletion(ctx, actor, in.ID, version, sms.CompletionUpdate{Certificate: &up})
			})
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[Completion]{ETag: restapi.ETag(v.Version), Body: completionOut(v)}, nil
		})
	fileBodies(api.OpenAPI().Paths[restapi.ItemPath(pk)+"/certificate"].Put)
	restapi.Register(api, pk.Read, huma.Operation{OperationID: "download-course-completion-certificate", Method: http.MethodGet, Path: restapi.ItemPath(pk) + "/certificate",
		Tags: []string{pk.Plural}, Summary: "Download a completion's certificate",
		Description: "The uploaded certificate, as an attachment, with X-Content-Type-Options: nosniff and a sandboxing Content-Security-Policy; 404 when the completion has none.",
		Responses:   fileAnswer},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*fileOut, error) {
			f, data, err := c.CertificateOf(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return download(f, data), nil
		})
	restapi.RegisterDelete(api, pk, "", "", c.DeleteCompletion)
	api.RegisterHistory(pk)

	ak := sms.AppraisalKind
	restapi.RegisterList(api, ak, "", func(ctx context.Context, actor access.Actor, in *appraisalListIn) ([]sms.Appraisal, string, error) {
		return c.ListAppraisals(ctx, actor, store.AppraisalFilter{UserID: in.UserID, CompetenceID: in.CompetenceID, Cursor: in.Cursor, Limit: in.Limit})
	}, appraisalOut)
	restapi.RegisterCreate(api, ak, "", func(ctx context.Context, actor access.Actor, in *appraisalCreateIn) (sms.Appraisal, error) {
		b := in.Body
		return c.CreateAppraisal(ctx, actor, sms.AppraisalInput{UserID: b.UserID, CompetenceID: b.CompetenceID, Level: b.Level, AssessedOn: b.AssessedOn,
			ExpiresOn: b.ExpiresOn, AssessorID: b.AssessorID, Notes: b.Notes})
	}, appraisalOut)
	restapi.RegisterGet(api, ak, c.GetAppraisal, appraisalOut)
	restapi.RegisterUpdate(api, ak, "The person and the competence never change.", func(ctx context.Context, actor access.Actor, in *appraisalPatchIn, version int64) (sms.Appraisal, error) {
		b := in.Body
		return c.UpdateAppraisal(ctx, actor, in.ID, version, sms.AppraisalUpdate{Level: b.Level, AssessedOn: b.AssessedOn, ExpiresOn: b.ExpiresOn,
			AssessorID: b.AssessorID, Notes: b.Notes})
	}, appraisalOut)
	restapi.RegisterDelete(api, ak, "", "", c.DeleteAppraisal)
	api.RegisterHistory(ak)
}

func mapOut[A, B any](in []A, f func(A) B) []B {
	out := make([]B, 0, len(in))
	for _, a := range in {
		out = append(out, f(a))
	}
	return out
}
