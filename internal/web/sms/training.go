package sms

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// The pages of competence, training and awareness (7.2, 7.3): the
// competences with who must hold them, the courses with their sessions
// and attendance, direct assessments, and the competence matrix.

// todayUTC is today's day, "2006-01-02".
func todayUTC() string { return time.Now().UTC().Format(time.DateOnly) }

// expiringWithin is how soon an expiry is worth a warning.
const expiringWithin = 30

// levelValue shows a level of the competence scale, named in the
// reader's language.
func levelValue(level int64) ui.Value {
	return ui.Value{Badges: []ui.Badge{{Text: sms.LevelLabel(level), Tone: ui.Neutral}}}
}

// levelChoices are the competence scale's levels as choices.
func levelChoices(selected int64) []ui.Option {
	return choices(sms.CompetenceLevels, strconv.FormatInt(selected, 10))
}

func formInt(f url.Values, name string) int64 {
	n, _ := strconv.ParseInt(f.Get(name), 10, 64)
	return n
}

func formIDs(f url.Values, name string) []int64 {
	out := []int64{}
	for _, v := range f[name] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// rolesValue shows the roles a competence is required of, as badges
// (which the reader's language names).
func rolesValue(c sms.Competence) ui.Value {
	v := ui.Value{Empty: "No role"}
	for _, r := range c.RoleList() {
		v.Badges = append(v.Badges, ui.Badge{Text: r.Label(), Tone: ui.Neutral})
	}
	return v
}

// cellValue shows one person against one competence, its state in words
// (never by colour alone) and the level held; withUntil adds how long a
// held level lasts.
func cellValue(rq *web.Request, cell sms.Cell, withUntil bool) ui.Value {
	if cell.State == sms.NotRequired {
		v := ui.Value{Empty: "Not required"}
		if cell.Level > 0 {
			v = ui.Value{Text: rq.T("Level %d held", cell.Level), Note: "Not required"}
		}
		return v
	}
	tone := map[string]ui.Tone{sms.Held: ui.Success, sms.GapMissing: ui.Danger, sms.GapLevel: ui.Warning, sms.GapExpired: ui.Danger}[cell.State]
	v := ui.Value{Badges: []ui.Badge{{Text: label(sms.CellStates, cell.State), Tone: tone}}}
	if cell.Level > 0 {
		v.Note = rq.T("Level %d (%d required)", cell.Level, cell.Need)
	} else {
		v.Note = rq.T("Level %d required", cell.Need)
	}
	if withUntil && cell.State == sms.Held && cell.Until != "" {
		v.Note += " · " + rq.T("until %s", cell.Until)
	}
	return v
}

// expiryValue shows a certificate's expiry, flagged once it has passed
// and warned of in the month before.
func expiryValue(c sms.Completion) ui.Value {
	if c.Status != "completed" {
		return ui.Value{Empty: "No certificate"}
	}
	if c.ExpiresOn == "" {
		return ui.Value{Empty: "Does not expire"}
	}
	v := dayValue(c.ExpiresOn)
	today := todayUTC()
	switch {
	case c.Expired(today):
		v.Badges = []ui.Badge{{Text: "Expired", Tone: ui.Danger}}
	case c.ExpiresOn <= time.Now().UTC().AddDate(0, 0, expiringWithin).Format(time.DateOnly):
		v.Badges = []ui.Badge{{Text: "Expires soon", Tone: ui.Warning}}
	}
	return v
}

func completionBadge(status string) ui.Badge {
	tone := map[string]ui.Tone{"enrolled": ui.Neutral, "attended": ui.Info, "completed": ui.Success, "absent": ui.Warning}[status]
	return ui.Badge{Text: label(sms.CompletionStatuses, status), Tone: tone}
}

func competenceHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.CompetenceKind.Path(), id) }
func courseHref(id int64) string     { return fmt.Sprintf("/%s/%d", sms.CourseKind.Path(), id) }
func sessionHref(id int64) string    { return fmt.Sprintf("/%s/%d", sms.CourseSessionKind.Path(), id) }
func completionHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.CompletionKind.Path(), id) }

// matrixHref is the competence matrix.
const matrixHref = "/competences/matrix"

// competencePages are the competences' pages.
func competencePages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Competence, *sms.Competence] {
	return web.Resource[sms.Competence, *sms.Competence]{
		Kind:     sms.CompetenceKind,
		Subtitle: "What people must be able to do for the service management system (clause 7.2), at which level, and of whom it is required: by role, by team, or both.",
		Empty: ui.Empty{Icon: "user-circle", Title: "No competences yet",
			Text: "Add the competences your services need (for example handling a major incident), say which roles or teams need them, then add the courses that teach them."},
		ListActions: []ui.Action{{Label: "Competence matrix", Icon: "list-details", Href: matrixHref}},
		Columns: []web.Column[sms.Competence]{
			{Column: ui.Column{Label: "Name", Key: true, Sort: "text"}, Value: func(v sms.Competence) ui.Value { return ui.Text(v.Name) }},
			{Column: ui.Column{Label: "Level required", Sort: "text"}, Value: func(v sms.Competence) ui.Value { return levelValue(v.Level) }},
			{Column: ui.Column{Label: "Required of roles"}, Value: rolesValue},
		},
		Filters: func(q url.Values) []ui.Field {
			opts := []sms.Code{{Code: "", Label: "Any role"}}
			for _, r := range sms.TrainingRoles() {
				opts = append(opts, sms.Code{Code: string(r), Label: r.Label()})
			}
			return []ui.Field{{Name: "role", Label: "Required of", Type: "select", Options: choices(opts, q.Get("role"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Competence, string, error) {
			return c.ListCompetences(ctx, actor, store.CompetenceFilter{Query: q.Get("q"), Role: access.Role(q.Get("role")), Cursor: cursor})
		},
		Get:  c.GetCompetence,
		Name: func(v sms.Competence) string { return v.Name },
		Details: func(ctx context.Context, rq *web.Request, v sms.Competence) []ui.Item {
			teams := ui.Value{Empty: "No team"}
			for _, id := range v.TeamIDs {
				ref := p.Ref(ctx, rq.Auth.Actor, account.TeamKind.Entity, id)
				teams.Links = append(teams.Links, ui.Link{Text: ref.Text, Href: ref.Href})
			}
			return []ui.Item{
				{Label: "Level required", Help: sms.LevelHelp, Value: levelValue(v.Level)},
				{Label: "Required of roles", Help: "Everyone in these roles must hold the competence.", Value: rolesValue(v)},
				{Label: "Required of teams", Help: "Every member of these teams must hold the competence, whatever their role.", Value: teams},
				{Label: "Description", Value: ui.Value{Text: v.Description, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, v sms.Competence) ([]web.Section, error) {
			return competenceSections(ctx, c, rq, v)
		},
		Fields: func(fc web.FormContext, v sms.Competence) ([]ui.Field, error) {
			level := v.Level
			if level == 0 {
				level = 2
			}
			var roleOpts []ui.Option
			for _, r := range sms.TrainingRoles() {
				roleOpts = append(roleOpts, ui.Option{Value: string(r), Label: r.Label(), Selected: slices.Contains(v.RoleList(), r)})
			}
			teams, _, err := p.App().ListTeams(fc.Ctx, fc.Actor, store.TeamFilter{Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			var teamOpts []ui.Option
			for _, t := range teams {
				teamOpts = append(teamOpts, ui.Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name, Selected: slices.Contains(v.TeamIDs, t.ID)})
			}
			fields := []ui.Field{
				{Name: "name", Label: "Name", Value: v.Name, Required: true, Placeholder: "Handling a major incident"},
				{Name: "level", Label: "Level required", Type: "select", Value: strconv.FormatInt(level, 10), Options: levelChoices(level), Help: sms.LevelHelp},
				{Name: "roles", Label: "Required of roles", Type: "checkboxes", Options: roleOpts, Help: "Everyone in these roles must hold the competence."},
			}
			if len(teamOpts) > 0 {
				fields = append(fields, ui.Field{Name: "team_ids", Label: "Required of teams", Type: "checkboxes", Options: teamOpts,
					Help: "Every member of these teams must hold the competence, whatever their role."})
			}
			return append(fields, ui.Field{Name: "description", Label: "Description", Type: "textarea", Rows: 4, Value: v.Description,
				Help: "What someone who holds it can do, and how one can tell."}), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Competence, error) {
			return c.CreateCompetence(ctx, actor, competenceInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Competence, error) {
			in := competenceInput(f)
			return c.UpdateCompetence(ctx, actor, id, version, sms.CompetenceUpdate{Name: &in.Name, Description: &in.Description, Level: &in.Level,
				Roles: &in.Roles, TeamIDs: &in.TeamIDs})
		},
		Delete: c.DeleteCompetence,
		DeleteText: func(sms.Competence) string {
			return "It leaves the matrix; its history stays in the audit trail. A competence a course teaches, or a direct assessment names, cannot be deleted."
		},
	}
}

func competenceInput(f url.Values) sms.CompetenceInput {
	in := sms.CompetenceInput{Name: f.Get("name"), Description: f.Get("description"), Level: formInt(f, "level"), TeamIDs: formIDs(f, "team_ids")}
	if in.Level == 0 {
		in.Level = -1 // refused, naming the field
	}
	for _, r := range f["roles"] {
		in.Roles = append(in.Roles, access.Role(r))
	}
	return in
}

// competenceSections are, on a competence's page, who must hold it and
// whether they do, and the courses that teach it.
func competenceSections(ctx context.Context, c *smsapp.Catalogue, rq *web.Request, v sms.Competence) ([]web.Section, error) {
	actor := rq.Auth.Actor
	m, err := c.Matrix(ctx, actor, todayUTC())
	if err != nil {
		return nil, err
	}
	j := slices.IndexFunc(m.Competences, func(x sms.Competence) bool { return x.ID == v.ID })
	holders := web.Section{Title: "Who must hold it", Table: &ui.Table{Caption: "Who must hold it",
		Columns: []ui.Column{{Label: "Person", Key: true}, {Label: "Role"}, {Label: "Standing"}},
		Empty:   ui.Empty{Icon: "users", Title: "Required of nobody yet", Text: "Choose the roles or teams that need this competence."}}}
	if j >= 0 {
		cov := m.CompetenceCoverage(j)
		holders.Help = rq.T("%d of %d people it is required of hold it.", cov.Held, cov.Required)
		for i, person := range m.People {
			cell := m.Cells[i][j]
			if cell.Need == 0 {
				continue
			}
			href := matrixHref + "?person=" + strconv.FormatInt(person.ID, 10)
			holders.Table.Rows = append(holders.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(person.Name, href), ui.Text(rq.L.Lookup(person.Role.Label())), cellValue(rq, cell, true)}})
		}
	}
	crs, _, err := c.ListCourses(ctx, actor, store.CourseFilter{CompetenceID: v.ID, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	taught := web.Section{Title: "Courses that teach it", Table: &ui.Table{Caption: "Courses that teach it",
		Columns: []ui.Column{{Label: "Course", Key: true}, {Label: "Level reached"}},
		Empty:   ui.Empty{Icon: "device-desktop", Title: "No course teaches it yet", Text: "Add a course and choose this competence among those it teaches; or record a direct assessment of someone's competence."}}}
	for _, co := range crs {
		taught.Table.Rows = append(taught.Table.Rows, ui.Row{Href: courseHref(co.ID), Cells: []ui.Value{ui.Linked(co.Title, courseHref(co.ID)), levelValue(co.Level)}})
	}
	return []web.Section{holders, taught}, nil
}

// coursePages are the courses' pages; a course's page shows its sessions
// and everyone's attendance.
func coursePages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Course, *sms.Course] {
	return web.Resource[sms.Course, *sms.Course]{
		Kind:     sms.CourseKind,
		Subtitle: "Training that teaches the competences: completing a course brings each competence it teaches to the course's level, until its certificate expires.",
		Empty: ui.Empty{Icon: "device-desktop", Title: "No courses yet",
			Text: "Add the training that teaches your competences, in house or outside, then its sessions and who attended."},
		ListActions: []ui.Action{{Label: "Competence matrix", Icon: "list-details", Href: matrixHref}},
		Columns: []web.Column[sms.Course]{
			{Column: ui.Column{Label: "Title", Key: true, Sort: "text"}, Value: func(v sms.Course) ui.Value { return ui.Text(v.Title) }},
			{Column: ui.Column{Label: "Given by", Sort: "text"}, Value: func(v sms.Course) ui.Value { return ui.Value{Text: v.Provider, Empty: "Not said"} }},
			{Column: ui.Column{Label: "Level reached", Sort: "text"}, Value: func(v sms.Course) ui.Value { return levelValue(v.Level) }},
			{Column: ui.Column{Label: "Certificate valid for (months)", Numeric: true}, Value: validityValue},
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Course, string, error) {
			return c.ListCourses(ctx, actor, store.CourseFilter{Query: q.Get("q"), CompetenceID: formInt(q, "competence_id"), Cursor: cursor})
		},
		Get:  c.GetCourse,
		Name: func(v sms.Course) string { return v.Title },
		Details: func(ctx context.Context, rq *web.Request, v sms.Course) []ui.Item {
			comps := ui.Value{Empty: "None yet"}
			for _, id := range v.CompetenceIDs {
				ref := p.Ref(ctx, rq.Auth.Actor, sms.CompetenceKind.Entity, id)
				comps.Links = append(comps.Links, ui.Link{Text: ref.Text, Href: ref.Href})
			}
			return []ui.Item{
				{Label: "Given by", Value: ui.Value{Text: v.Provider, Empty: "Not said"}},
				{Label: "Competences taught", Value: comps},
				{Label: "Level reached", Help: "The level of each competence taught that completing the course brings. " + sms.LevelHelp, Value: levelValue(v.Level)},
				{Label: "Certificate valid for (months)", Help: "How long a certificate of the course stays valid; after it, the competences it taught count as gaps again.", Value: validityValue(v)},
				{Label: "Description", Value: ui.Value{Text: v.Description, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, v sms.Course) ([]web.Section, error) {
			return courseSections(ctx, c, p, rq, v)
		},
		Fields: func(fc web.FormContext, v sms.Course) ([]ui.Field, error) {
			level := v.Level
			if level == 0 {
				level = 2
			}
			comps, err := c.ListCompetencesAll(fc.Ctx, fc.Actor)
			if err != nil {
				return nil, err
			}
			var opts []ui.Option
			for _, cm := range comps {
				opts = append(opts, ui.Option{Value: strconv.FormatInt(cm.ID, 10), Label: cm.Name, Selected: slices.Contains(v.CompetenceIDs, cm.ID)})
			}
			fields := []ui.Field{
				{Name: "title", Label: "Title", Value: v.Title, Required: true, Placeholder: "Major incident handling"},
				{Name: "provider", Label: "Given by", Value: v.Provider, Help: "In house, or the training company."},
			}
			if len(opts) > 0 {
				fields = append(fields, ui.Field{Name: "competence_ids", Label: "Competences taught", Type: "checkboxes", Options: opts})
			}
			return append(fields,
				ui.Field{Name: "level", Label: "Level reached", Type: "select", Value: strconv.FormatInt(level, 10), Options: levelChoices(level),
					Help: "The level of each competence taught that completing the course brings. " + sms.LevelHelp},
				ui.Field{Name: "validity_months", Label: "Certificate valid for (months)", Type: "number", Value: strconv.FormatInt(v.ValidityMonths, 10),
					Help: "How long a certificate stays valid; 0 for good. A completion's expiry is counted from the day it was completed."},
				ui.Field{Name: "description", Label: "Description", Type: "textarea", Rows: 4, Value: v.Description},
			), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Course, error) {
			return c.CreateCourse(ctx, actor, courseInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Course, error) {
			in := courseInput(f)
			return c.UpdateCourse(ctx, actor, id, version, sms.CourseUpdate{Title: &in.Title, Description: &in.Description, Provider: &in.Provider,
				Level: &in.Level, ValidityMonths: &in.ValidityMonths, CompetenceIDs: &in.CompetenceIDs})
		},
		Delete: c.DeleteCourse,
		DeleteText: func(sms.Course) string {
			return "Only a course without sessions or attendance can be deleted: those are the record of who was trained."
		},
	}
}

func courseInput(f url.Values) sms.CourseInput {
	in := sms.CourseInput{Title: f.Get("title"), Description: f.Get("description"), Provider: f.Get("provider"), Level: formInt(f, "level"),
		CompetenceIDs: formIDs(f, "competence_ids")}
	if in.Level == 0 {
		in.Level = -1
	}
	months, err := strconv.ParseInt(strings.TrimSpace(f.Get("validity_months")), 10, 64)
	switch {
	case strings.TrimSpace(f.Get("validity_months")) == "":
	case err != nil:
		in.ValidityMonths = -1 // refused, naming the field
	default:
		in.ValidityMonths = months
	}
	return in
}

func validityValue(v sms.Course) ui.Value {
	if v.ValidityMonths == 0 {
		return ui.Value{Empty: "Does not expire"}
	}
	return ui.Text(strconv.FormatInt(v.ValidityMonths, 10))
}

// courseSections are a course's sessions and everyone's attendance.
func courseSections(ctx context.Context, c *smsapp.Catalogue, p *web.Pages, rq *web.Request, v sms.Course) ([]web.Section, error) {
	actor := rq.Auth.Actor
	ss, cs, err := c.CourseRecords(ctx, actor, v.ID)
	if err != nil {
		return nil, err
	}
	id := strconv.FormatInt(v.ID, 10)
	mayWrite := actor.Can(sms.CourseKind.Write)
	sessionsSec := web.Section{Title: "Sessions", Table: &ui.Table{Caption: "Sessions",
		Columns: []ui.Column{{Label: "Days", Key: true}, {Label: "Trainer"}, {Label: "Place"}},
		Empty:   ui.Empty{Icon: "device-desktop", Title: "No sessions yet", Text: "Add the days the course runs, with its trainer and place."}}}
	addSession := ui.Action{Label: "Add a session", Icon: "plus", Href: "/" + sms.CourseSessionKind.Path() + "/new?course_id=" + id}
	record := ui.Action{Label: "Record attendance", Icon: "plus", Href: "/" + sms.CompletionKind.Path() + "/new?course_id=" + id}
	if mayWrite {
		sessionsSec.Actions = []ui.Action{addSession}
	}
	for _, s := range ss {
		place := ui.Value{Text: s.Place, Empty: "Not said"}
		if s.Online {
			place.Badges = []ui.Badge{{Text: "Online", Tone: ui.Info}}
		}
		sessionsSec.Table.Rows = append(sessionsSec.Table.Rows, ui.Row{Href: sessionHref(s.ID), Cells: []ui.Value{
			ui.Linked(sessionDays(s), sessionHref(s.ID)), {Text: s.Trainer, Empty: "Not said"}, place}})
	}
	att, err := attendanceSection(ctx, p, rq, cs, ss)
	if err != nil {
		return nil, err
	}
	if mayWrite {
		att.Actions = []ui.Action{record}
	}
	return []web.Section{sessionsSec, att}, nil
}

func sessionDays(s sms.CourseSession) string {
	if s.EndsOn == "" {
		return s.StartsOn
	}
	return s.StartsOn + " – " + s.EndsOn
}

// attendanceSection lists completions: who, which session, what became
// of it, and the certificate's expiry, flagged once passed.
func attendanceSection(ctx context.Context, p *web.Pages, rq *web.Request, cs []sms.Completion, ss []sms.CourseSession) (web.Section, error) {
	sec := web.Section{Title: "Attendance and completion", Table: &ui.Table{Caption: "Attendance and completion",
		Columns: []ui.Column{{Label: "Person", Key: true}, {Label: "Session"}, {Label: "Status"}, {Label: "Completed on"}, {Label: "Certificate expires"}},
		Empty:   ui.Empty{Icon: "users", Title: "Nobody recorded yet", Text: "Record who enrolled, attended and completed the course, with the evidence."}}}
	ids := make([]int64, 0, len(cs))
	for _, x := range cs {
		ids = append(ids, x.UserID)
	}
	names, err := p.App().Names(ctx, rq.Auth.Actor, account.UserKind.Entity, ids)
	if err != nil {
		return sec, err
	}
	days := map[int64]string{}
	for _, s := range ss {
		days[s.ID] = sessionDays(s)
	}
	expired := 0
	for _, x := range cs {
		session := ui.Value{Empty: "On their own"}
		if x.SessionID != nil {
			session = ui.Linked(days[*x.SessionID], sessionHref(*x.SessionID))
		}
		done := ui.Value{Empty: "Not yet"}
		if x.CompletedOn != "" {
			done = dayValue(x.CompletedOn)
		}
		if x.Status == "completed" && x.Expired(todayUTC()) {
			expired++
		}
		sec.Table.Rows = append(sec.Table.Rows, ui.Row{Href: completionHref(x.ID), Cells: []ui.Value{
			ui.Linked(names[x.UserID], completionHref(x.ID)), session, {Badges: []ui.Badge{completionBadge(x.Status)}}, done, expiryValue(x)}})
	}
	if expired > 0 {
		sec.Help = rq.T("%d certificates have expired: the competences they gave count as gaps until renewed.", expired)
	}
	return sec, nil
}

// sessionPages are a course's sessions' pages, reached through the course.
func sessionPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.CourseSession, *sms.CourseSession] {
	titles := func(ctx context.Context, actor access.Actor, id int64) string {
		co, err := c.GetCourse(ctx, actor, id)
		if err != nil {
			return ""
		}
		return co.Title
	}
	return web.Resource[sms.CourseSession, *sms.CourseSession]{
		Kind:     sms.CourseSessionKind,
		Subtitle: "Each running of a course: its days, trainer and place. Open a course to see its sessions.",
		Empty:    ui.Empty{Icon: "device-desktop", Title: "No sessions yet", Text: "Open a course and add the days it runs."},
		Columns: []web.Column[sms.CourseSession]{
			{Column: ui.Column{Label: "Days", Key: true, Sort: "text"}, Value: func(s sms.CourseSession) ui.Value { return ui.Text(sessionDays(s)) }},
			{Column: ui.Column{Label: "Course"}, Ref: sms.CourseKind.Entity, RefID: func(s sms.CourseSession) int64 { return s.CourseID }},
			{Column: ui.Column{Label: "Trainer"}, Value: func(s sms.CourseSession) ui.Value { return ui.Value{Text: s.Trainer, Empty: "Not said"} }},
			{Column: ui.Column{Label: "Place"}, Value: func(s sms.CourseSession) ui.Value { return ui.Value{Text: s.Place, Empty: "Not said"} }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "when", Label: "When", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Any day"}, {Code: "coming", Label: "To come"}}, q.Get("when"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.CourseSession, string, error) {
			f := store.CourseSessionFilter{CourseID: formInt(q, "course_id"), Cursor: cursor}
			if q.Get("when") == "coming" {
				f.From = todayUTC()
			}
			return c.ListCourseSessions(ctx, actor, f)
		},
		Get: c.GetCourseSession,
		Name: func(s sms.CourseSession) string {
			return sessionDays(s)
		},
		Crumbs: func(s sms.CourseSession) []ui.Crumb {
			return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.CourseKind.Plural, Href: "/" + sms.CourseKind.Path()},
				{Label: titles(context.Background(), access.System, s.CourseID), Href: courseHref(s.CourseID)}}
		},
		Badges: func(s sms.CourseSession) []ui.Badge {
			if s.Online {
				return []ui.Badge{{Text: "Online", Tone: ui.Info}}
			}
			return nil
		},
		Details: func(ctx context.Context, rq *web.Request, s sms.CourseSession) []ui.Item {
			return []ui.Item{
				{Label: "Course", Value: p.Ref(ctx, rq.Auth.Actor, sms.CourseKind.Entity, s.CourseID)},
				{Label: "First day", Value: dayValue(s.StartsOn)},
				{Label: "Last day", Value: dayValue(s.LastDay())},
				{Label: "Trainer", Value: ui.Value{Text: s.Trainer, Empty: "Not said"}},
				{Label: "Place", Help: "A room or an address; for an online session, its link.", Value: ui.Value{Text: s.Place, Empty: "Not said"}},
				{Label: "Notes", Value: ui.Value{Text: s.Notes, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, s sms.CourseSession) ([]web.Section, error) {
			cs, _, err := c.ListCompletions(ctx, rq.Auth.Actor, store.CompletionFilter{SessionID: s.ID, Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			sec, err := attendanceSection(ctx, p, rq, cs, []sms.CourseSession{s})
			if err == nil && rq.Auth.Actor.Can(sms.CompletionKind.Write) {
				sec.Actions = []ui.Action{{Label: "Record attendance", Icon: "plus",
					Href: fmt.Sprintf("/%s/new?course_id=%d&session_id=%d", sms.CompletionKind.Path(), s.CourseID, s.ID)}}
			}
			return []web.Section{sec}, err
		},
		Fields: func(fc web.FormContext, s sms.CourseSession) ([]ui.Field, error) {
			var fields []ui.Field
			if fc.Creating {
				course := formInt(fc.Query, "course_id")
				if fc.Posted != nil {
					course = formInt(fc.Posted, "course_id")
				}
				opts, err := courseOptions(fc, c, course)
				if err != nil {
					return nil, err
				}
				fields = append(fields, ui.Field{Name: "course_id", Label: "Course", Type: "select", Options: opts, Required: true,
					Help: "The course this session runs. It cannot be changed later."})
			}
			return append(fields,
				ui.Field{Name: "starts_on", Label: "First day", Type: "date", Value: s.StartsOn, Required: true},
				ui.Field{Name: "ends_on", Label: "Last day", Type: "date", Value: s.EndsOn, Help: "Leave empty for a session of one day."},
				ui.Field{Name: "trainer", Label: "Trainer", Value: s.Trainer},
				ui.Field{Name: "place", Label: "Place", Value: s.Place, Help: "A room or an address; for an online session, its link."},
				ui.Field{Name: "online", Label: "Online", Type: "checkbox", Checked: s.Online},
				ui.Field{Name: "notes", Label: "Notes", Type: "textarea", Rows: 3, Value: s.Notes},
			), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.CourseSession, error) {
			return c.CreateCourseSession(ctx, actor, sms.CourseSessionInput{CourseID: formInt(f, "course_id"), StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on"),
				Trainer: f.Get("trainer"), Place: f.Get("place"), Online: f.Get("online") != "", Notes: f.Get("notes")})
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.CourseSession, error) {
			starts, ends, trainer, place, notes, online := f.Get("starts_on"), f.Get("ends_on"), f.Get("trainer"), f.Get("place"), f.Get("notes"), f.Get("online") != ""
			return c.UpdateCourseSession(ctx, actor, id, version, sms.CourseSessionUpdate{StartsOn: &starts, EndsOn: &ends, Trainer: &trainer, Place: &place,
				Notes: &notes, Online: &online})
		},
		Delete: c.DeleteCourseSession,
		DeleteText: func(sms.CourseSession) string {
			return "Only a session nobody is recorded on can be deleted."
		},
	}
}

// courseOptions are every course as choices, the chosen one selected.
func courseOptions(fc web.FormContext, c *smsapp.Catalogue, chosen int64) ([]ui.Option, error) {
	crs, _, err := c.ListCourses(fc.Ctx, fc.Actor, store.CourseFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	opts := []ui.Option{{Value: "", Label: "Choose a course"}}
	for _, co := range crs {
		opts = append(opts, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Title, Selected: co.ID == chosen})
	}
	return opts, nil
}

// completion is a completion with the names its page shows.
type completion struct {
	sms.Completion
	person string
	course sms.Course
}

// completionPages are attendance and completion, person by person.
func completionPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[completion, *completion] {
	return web.Resource[completion, *completion]{
		Kind:     sms.CompletionKind,
		Subtitle: "Who enrolled on, attended and completed each course, with the evidence and the certificate's expiry. Expired certificates count as gaps in the competence matrix.",
		Empty: ui.Empty{Icon: "users", Title: "No attendance recorded yet",
			Text: "Open a course and record who attended and completed it."},
		ListActions: []ui.Action{{Label: "Competence matrix", Icon: "list-details", Href: matrixHref}},
		Multipart:   true,
		Columns: []web.Column[completion]{
			{Column: ui.Column{Label: "Person", Key: true, Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(x completion) int64 { return x.UserID }},
			{Column: ui.Column{Label: "Course", Sort: "text"}, Ref: sms.CourseKind.Entity, RefID: func(x completion) int64 { return x.CourseID }},
			{Column: ui.Column{Label: "Status", Sort: "text"}, Value: func(x completion) ui.Value { return ui.Value{Badges: []ui.Badge{completionBadge(x.Status)}} }},
			{Column: ui.Column{Label: "Completed on", Sort: "time"}, Value: func(x completion) ui.Value {
				if x.CompletedOn == "" {
					return ui.Value{Empty: "Not yet"}
				}
				return dayValue(x.CompletedOn)
			}},
			{Column: ui.Column{Label: "Certificate expires", Sort: "time"}, Value: func(x completion) ui.Value { return expiryValue(x.Completion) }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "status", Label: "Status", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any status"}}, sms.CompletionStatuses...), q.Get("status"))},
				{Name: "certificate", Label: "Certificate", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Any"},
					{Code: "expired", Label: "Expired"}, {Code: "soon", Label: "Expired or expiring within a month"}}, q.Get("certificate"))},
				{Name: "mine", Label: "Person", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Anyone"}, {Code: "1", Label: "Mine"}}, q.Get("mine"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]completion, string, error) {
			f := store.CompletionFilter{Status: q.Get("status"), CourseID: formInt(q, "course_id"), Cursor: cursor}
			switch q.Get("certificate") {
			case "expired":
				f.ExpiredBefore = todayUTC()
			case "soon":
				f.ExpiringBy = time.Now().UTC().AddDate(0, 0, expiringWithin).Format(time.DateOnly)
			}
			if q.Get("mine") != "" {
				f.UserID = actor.UserID
			}
			cs, next, err := c.ListCompletions(ctx, actor, f)
			out := make([]completion, len(cs))
			for i, x := range cs {
				out[i] = completion{Completion: x}
			}
			return out, next, err
		},
		Get: func(ctx context.Context, actor access.Actor, id int64) (completion, error) {
			x, err := c.GetCompletion(ctx, actor, id)
			if err != nil {
				return completion{}, err
			}
			out := completion{Completion: x}
			if out.course, err = c.GetCourse(ctx, actor, x.CourseID); err != nil {
				return out, err
			}
			names, err := p.App().Names(ctx, actor, account.UserKind.Entity, []int64{x.UserID})
			out.person = names[x.UserID]
			return out, err
		},
		Name: func(x completion) string { return x.person + ": " + x.course.Title },
		Crumbs: func(x completion) []ui.Crumb {
			return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.CourseKind.Plural, Href: "/" + sms.CourseKind.Path()}, {Label: x.course.Title, Href: courseHref(x.CourseID)}}
		},
		Badges: func(x completion) []ui.Badge {
			out := []ui.Badge{completionBadge(x.Status)}
			if x.Status == "completed" && x.Expired(todayUTC()) {
				out = append(out, ui.Badge{Text: "Certificate expired", Tone: ui.Danger})
			}
			return out
		},
		Details: func(ctx context.Context, rq *web.Request, x completion) []ui.Item {
			actor := rq.Auth.Actor
			session := ui.Value{Empty: "Taken on their own"}
			if x.SessionID != nil {
				session = p.Ref(ctx, actor, sms.CourseSessionKind.Entity, *x.SessionID)
			}
			done := ui.Value{Empty: "Not yet"}
			if x.CompletedOn != "" {
				done = dayValue(x.CompletedOn)
			}
			return []ui.Item{
				{Label: "Person", Value: p.Ref(ctx, actor, account.UserKind.Entity, x.UserID)},
				{Label: "Course", Value: p.Ref(ctx, actor, sms.CourseKind.Entity, x.CourseID)},
				{Label: "Session", Value: session},
				{Label: "Status", Value: ui.Value{Badges: []ui.Badge{completionBadge(x.Status)}}},
				{Label: "Completed on", Value: done},
				{Label: "Certificate expires on", Help: "The last day the certificate is valid; after it, the competences the course taught count as gaps again.", Value: expiryValue(x.Completion)},
				{Label: "Evidence", Help: "Where the proof is: the certificate's number or a link to it, the exam result, the attendance list.", Value: ui.Value{Text: x.Evidence, Long: true, Empty: "None recorded"}},
				{Label: "Certificate file", Value: certificateValue(rq, x.Completion)},
			}
		},
		Fields: func(fc web.FormContext, x completion) ([]ui.Field, error) {
			return completionFields(fc, p, c, x.Completion)
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (completion, error) {
			in := completionInput(f)
			in.Certificate = uploadedCertificate(ctx)
			x, err := c.CreateCompletion(ctx, actor, in)
			return completion{Completion: x}, err
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (completion, error) {
			in := completionInput(f)
			session := int64(0)
			if in.SessionID != nil {
				session = *in.SessionID
			}
			x, err := c.UpdateCompletion(ctx, actor, id, version, sms.CompletionUpdate{SessionID: &session, Status: &in.Status, CompletedOn: &in.CompletedOn,
				ExpiresOn: &in.ExpiresOn, Evidence: &in.Evidence, Certificate: uploadedCertificate(ctx)})
			return completion{Completion: x}, err
		},
		Delete: c.DeleteCompletion,
		DeleteText: func(completion) string {
			return "The record of this person's place on the course goes, and with it any competence it gave them; its history stays in the audit trail."
		},
	}
}

func completionInput(f url.Values) sms.CompletionInput {
	in := sms.CompletionInput{CourseID: formInt(f, "course_id"), UserID: formInt(f, "user_id"), Status: f.Get("status"),
		CompletedOn: f.Get("completed_on"), ExpiresOn: f.Get("expires_on"), Evidence: f.Get("evidence")}
	if s := formInt(f, "session_id"); s > 0 {
		in.SessionID = &s
	}
	return in
}

// completionFields are a completion's form: on a new one, the course
// (preset from the course's page) and the person; then the session, the
// status and its days, and the evidence.
func completionFields(fc web.FormContext, p *web.Pages, c *smsapp.Catalogue, x sms.Completion) ([]ui.Field, error) {
	course, user := x.CourseID, x.UserID
	session := int64(0)
	if x.SessionID != nil {
		session = *x.SessionID
	}
	if fc.Creating {
		course, session = formInt(fc.Query, "course_id"), formInt(fc.Query, "session_id")
	}
	if fc.Posted != nil {
		user, session = formInt(fc.Posted, "user_id"), formInt(fc.Posted, "session_id")
		if fc.Creating {
			course = formInt(fc.Posted, "course_id")
		}
	}
	var fields []ui.Field
	if fc.Creating {
		opts, err := courseOptions(fc, c, course)
		if err != nil {
			return nil, err
		}
		people, err := p.UserPicker(fc, "user_id", "Person", user, access.TrainingRead)
		if err != nil {
			return nil, err
		}
		people.Required = true
		fields = append(fields, ui.Field{Name: "course_id", Label: "Course", Type: "select", Options: opts, Required: true}, people)
	}
	ss, _, err := c.ListCourseSessions(fc.Ctx, fc.Actor, store.CourseSessionFilter{CourseID: course, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	titles := map[int64]string{}
	if course == 0 {
		crs, _, err := c.ListCourses(fc.Ctx, fc.Actor, store.CourseFilter{Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, co := range crs {
			titles[co.ID] = co.Title
		}
	}
	sessionOpts := []ui.Option{{Value: "", Label: "None: taken on their own"}}
	for _, s := range ss {
		name := sessionDays(s)
		if course == 0 {
			name = sms.SessionName(titles[s.CourseID], s)
		}
		sessionOpts = append(sessionOpts, ui.Option{Value: strconv.FormatInt(s.ID, 10), Label: name, Selected: s.ID == session})
	}
	status := or(x.Status, "enrolled")
	if fc.Creating && x.Status == "" {
		status = "completed"
	}
	return append(fields,
		ui.Field{Name: "session_id", Label: "Session", Type: "select", Options: sessionOpts, Help: "The session attended, of the same course."},
		ui.Field{Name: "status", Label: "Status", Type: "radios", Value: status, Options: choices(sms.CompletionStatuses, status)},
		ui.Field{Name: "completed_on", Label: "Completed on", Type: "date", Value: x.CompletedOn, Help: "Required for a completed course; empty otherwise."},
		ui.Field{Name: "expires_on", Label: "Certificate expires on", Type: "date", Value: x.ExpiresOn,
			Help: "The last day the certificate is valid. Left empty, the course's validity counts from the day completed."},
		ui.Field{Name: "evidence", Label: "Evidence", Type: "textarea", Rows: 3, Value: x.Evidence,
			Help: "Where the proof is: the certificate's number or a link to it, the exam result, the attendance list. Clause 7.2 asks for evidence of competence to be kept."},
		ui.Field{Name: "certificate", Label: "Certificate file", Type: "file", Accept: files.Accepted(),
			Help: "For a completed course: the certificate as a PDF, an image or an office document. A new file replaces the one kept; leave empty to keep it."},
	), nil
}

// uploadedCertificate is the certificate file the form brought, if any.
func uploadedCertificate(ctx context.Context) *files.Upload {
	if up, ok := web.Uploaded(ctx, "certificate"); ok {
		return &up
	}
	return nil
}

// certificateHref is where a completion's certificate downloads.
func certificateHref(id int64) string { return completionHref(id) + "/certificate" }

// certificateValue links a completion's uploaded certificate.
func certificateValue(rq *web.Request, x sms.Completion) ui.Value {
	f, ok := x.Certificate()
	if !ok {
		return ui.Value{Empty: "None uploaded"}
	}
	v := ui.Linked(f.Name, certificateHref(x.ID))
	v.Note = rq.T("%d KiB", (f.Size+1023)/1024)
	return v
}

// certificate answers GET /course-completions/{id}/certificate: the
// uploaded certificate, as a download, for whoever may see the
// completion.
func certificate(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		f, data, err := c.CertificateOf(r.Context(), rq.Auth.Actor, id)
		if err != nil {
			return err
		}
		web.ServeFile(w, r, f, data)
		return nil
	}
}

// appraisalPages are direct assessments of competence.
func appraisalPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Appraisal, *sms.Appraisal] {
	return web.Resource[sms.Appraisal, *sms.Appraisal]{
		Kind:     sms.AppraisalKind,
		Subtitle: "Competence judged directly, without a course: someone who can judge saw the person work and records the level they hold.",
		Empty: ui.Empty{Icon: "user-circle", Title: "No direct assessments yet",
			Text: "Record a person's competence when experience, not a course, shows it: an observed major incident, a reviewed change."},
		ListActions: []ui.Action{{Label: "Competence matrix", Icon: "list-details", Href: matrixHref}},
		Columns: []web.Column[sms.Appraisal]{
			{Column: ui.Column{Label: "Person", Key: true, Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(a sms.Appraisal) int64 { return a.UserID }},
			{Column: ui.Column{Label: "Competence", Sort: "text"}, Ref: sms.CompetenceKind.Entity, RefID: func(a sms.Appraisal) int64 { return a.CompetenceID }},
			{Column: ui.Column{Label: "Level held", Sort: "text"}, Value: func(a sms.Appraisal) ui.Value { return levelValue(a.Level) }},
			{Column: ui.Column{Label: "Assessed on", Sort: "time"}, Value: func(a sms.Appraisal) ui.Value { return dayValue(a.AssessedOn) }},
			{Column: ui.Column{Label: "Valid until", Sort: "time"}, Value: appraisalExpiry},
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Appraisal, string, error) {
			return c.ListAppraisals(ctx, actor, store.AppraisalFilter{CompetenceID: formInt(q, "competence_id"), UserID: formInt(q, "user_id"), Cursor: cursor})
		},
		Get:  c.GetAppraisal,
		Name: func(a sms.Appraisal) string { return sms.AppraisalKind.Number(a.ID) },
		Badges: func(a sms.Appraisal) []ui.Badge {
			if a.Expired(todayUTC()) {
				return []ui.Badge{{Text: "Expired", Tone: ui.Danger}}
			}
			return nil
		},
		Details: func(ctx context.Context, rq *web.Request, a sms.Appraisal) []ui.Item {
			actor := rq.Auth.Actor
			return []ui.Item{
				{Label: "Person", Value: p.Ref(ctx, actor, account.UserKind.Entity, a.UserID)},
				{Label: "Competence", Value: p.Ref(ctx, actor, sms.CompetenceKind.Entity, a.CompetenceID)},
				{Label: "Level held", Help: sms.LevelHelp, Value: levelValue(a.Level)},
				{Label: "Assessed on", Value: dayValue(a.AssessedOn)},
				{Label: "Valid until", Help: "The last day the assessment counts; empty for good.", Value: appraisalExpiry(a)},
				{Label: "Assessed by", Value: p.Ref(ctx, actor, account.UserKind.Entity, a.AssessorID)},
				{Label: "Notes", Value: ui.Value{Text: a.Notes, Long: true}},
			}
		},
		Fields: func(fc web.FormContext, a sms.Appraisal) ([]ui.Field, error) {
			user, comp, assessor := a.UserID, a.CompetenceID, a.AssessorID
			if fc.Creating {
				user, comp, assessor = formInt(fc.Query, "user_id"), formInt(fc.Query, "competence_id"), fc.Actor.UserID
			}
			if fc.Posted != nil {
				user, comp, assessor = formInt(fc.Posted, "user_id"), formInt(fc.Posted, "competence_id"), formInt(fc.Posted, "assessor_id")
			}
			level := a.Level
			if level == 0 {
				level = 2
			}
			var fields []ui.Field
			if fc.Creating {
				people, err := p.UserPicker(fc, "user_id", "Person", user, access.TrainingRead)
				if err != nil {
					return nil, err
				}
				people.Required = true
				comps, err := c.ListCompetencesAll(fc.Ctx, fc.Actor)
				if err != nil {
					return nil, err
				}
				opts := []ui.Option{{Value: "", Label: "Choose a competence"}}
				for _, cm := range comps {
					opts = append(opts, ui.Option{Value: strconv.FormatInt(cm.ID, 10), Label: cm.Name, Selected: cm.ID == comp})
				}
				fields = append(fields, people, ui.Field{Name: "competence_id", Label: "Competence", Type: "select", Options: opts, Required: true})
			}
			assessors, err := p.UserPicker(fc, "assessor_id", "Assessed by", assessor, access.TrainingRead)
			if err != nil {
				return nil, err
			}
			assessors.Required, assessors.Help = true, "Someone other than the person assessed, able to judge the competence."
			assessed := a.AssessedOn
			if fc.Creating && assessed == "" {
				assessed = todayUTC()
			}
			return append(fields,
				ui.Field{Name: "level", Label: "Level held", Type: "select", Value: strconv.FormatInt(level, 10), Options: levelChoices(level), Help: sms.LevelHelp},
				ui.Field{Name: "assessed_on", Label: "Assessed on", Type: "date", Value: assessed, Required: true},
				ui.Field{Name: "expires_on", Label: "Valid until", Type: "date", Value: a.ExpiresOn, Help: "The last day the assessment counts; empty for good."},
				assessors,
				ui.Field{Name: "notes", Label: "Notes", Type: "textarea", Rows: 4, Value: a.Notes, Help: "What was observed: the work seen, the questions asked, where the record is."},
			), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Appraisal, error) {
			level := formInt(f, "level")
			return c.CreateAppraisal(ctx, actor, sms.AppraisalInput{UserID: formInt(f, "user_id"), CompetenceID: formInt(f, "competence_id"), Level: level,
				AssessedOn: f.Get("assessed_on"), ExpiresOn: f.Get("expires_on"), AssessorID: formInt(f, "assessor_id"), Notes: f.Get("notes")})
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Appraisal, error) {
			level, assessor := formInt(f, "level"), formInt(f, "assessor_id")
			on, until, notes := f.Get("assessed_on"), f.Get("expires_on"), f.Get("notes")
			return c.UpdateAppraisal(ctx, actor, id, version, sms.AppraisalUpdate{Level: &level, AssessorID: &assessor, AssessedOn: &on, ExpiresOn: &until, Notes: &notes})
		},
		Delete: c.DeleteAppraisal,
	}
}

func appraisalExpiry(a sms.Appraisal) ui.Value {
	if a.ExpiresOn == "" {
		return ui.Value{Empty: "For good"}
	}
	v := dayValue(a.ExpiresOn)
	if a.Expired(todayUTC()) {
		v.Badges = []ui.Badge{{Text: "Expired", Tone: ui.Danger}}
	}
	return v
}
