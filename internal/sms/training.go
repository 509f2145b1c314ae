package sms

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/record"
)

// Competence, training and awareness (clauses 7.2 and 7.3).
//
// A competence is something people must be able to do for the SMS
// ("handle a major incident", "assess the risk of a change"), required at
// a level of the scale below of everyone in some roles, of the members of
// some teams, or both: a role says what someone does in the SMS
// everywhere, a team where they do it (the service desk, the change
// advisory board). A person holds a competence through a course they
// completed whose certificate has not expired, or through a direct
// assessment of their competence; the matrix sets what is required
// against what is held, and every required competence not held is a gap.

// CompetenceLevels is the scale competences are required and held at.
var CompetenceLevels = []Code{{"1", "1 · Aware"}, {"2", "2 · Practitioner"}, {"3", "3 · Proficient"}, {"4", "4 · Expert"}}

// LevelHelp explains the competence scale, on every field that uses it.
const LevelHelp = "1 Aware: knows what it is and whom to ask. 2 Practitioner: does it with guidance. 3 Proficient: does it alone to the expected standard. 4 Expert: teaches others and improves how it is done."

// LevelLabel names a level of the scale.
func LevelLabel(level int64) string {
	for _, c := range CompetenceLevels {
		if c.Code == strconv.FormatInt(level, 10) {
			return c.Label
		}
	}
	return strconv.FormatInt(level, 10)
}

// Competence is an ability the SMS requires of people in some roles or
// teams, at a level.
type Competence struct {
	record.Meta
	Name        string `json:"name"`
	Description string `json:"description"`
	// Level is the level required of those it is required of.
	Level int64 `json:"level"`
	// Roles are the roles it is required of, their codes separated by
	// commas in the order of access.Roles.
	Roles   string  `json:"roles"`
	TeamIDs []int64 `json:"team_ids"`
}

// RoleList is the roles the competence is required of.
func (c Competence) RoleList() []access.Role {
	var out []access.Role
	for r := range strings.SplitSeq(c.Roles, ",") {
		if r != "" {
			out = append(out, access.Role(r))
		}
	}
	return out
}

// TrainingRoles are the roles a competence may be required of: the
// provider's own staff, not customers or outside auditors.
func TrainingRoles() []access.Role {
	var out []access.Role
	for _, r := range access.Roles {
		if r.Staff() {
			out = append(out, r)
		}
	}
	return out
}

// CompetenceInput is what a competence is made of, whole.
type CompetenceInput struct {
	Name, Description string
	Level             int64
	Roles             []access.Role
	TeamIDs           []int64
}

// Normalize trims the input, fills the default level and puts the roles
// and teams in order, each once.
func (in *CompetenceInput) Normalize() {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	if in.Level == 0 {
		in.Level = 2
	}
	slices.SortFunc(in.Roles, func(a, b access.Role) int { return slices.Index(access.Roles, a) - slices.Index(access.Roles, b) })
	in.Roles = slices.Compact(in.Roles)
	slices.Sort(in.TeamIDs)
	in.TeamIDs = slices.Compact(in.TeamIDs)
}

// Validate checks every field.
func (in CompetenceInput) Validate() error {
	var c errs.Checker
	lineField(&c, "name", in.Name, true)
	proseField(&c, "description", in.Description)
	c.Check(in.Level >= 1 && in.Level <= 4, "level", "must be 1 (aware), 2 (practitioner), 3 (proficient) or 4 (expert)")
	for _, r := range in.Roles {
		if !slices.Contains(TrainingRoles(), r) {
			c.Add("roles", "must name staff roles: "+string(r)+" is not one")
			break
		}
	}
	for _, id := range in.TeamIDs {
		if id <= 0 {
			c.Add("team_ids", "must name teams by their ids")
			break
		}
	}
	return c.Err()
}

// Set puts the input into the competence.
func (in CompetenceInput) Set(c *Competence) {
	roles := make([]string, len(in.Roles))
	for i, r := range in.Roles {
		roles[i] = string(r)
	}
	c.Name, c.Description, c.Level, c.Roles, c.TeamIDs = in.Name, in.Description, in.Level, strings.Join(roles, ","), slices.Clone(in.TeamIDs)
	if c.TeamIDs == nil {
		c.TeamIDs = []int64{}
	}
}

// CompetenceUpdate changes a competence; nil fields stay as they are.
type CompetenceUpdate struct {
	Name, Description *string
	Level             *int64
	Roles             *[]access.Role
	TeamIDs           *[]int64
}

// Apply returns c with the update applied, as the input it must pass.
func (up CompetenceUpdate) Apply(c Competence) CompetenceInput {
	in := CompetenceInput{Name: c.Name, Description: c.Description, Level: c.Level, Roles: c.RoleList(), TeamIDs: slices.Clone(c.TeamIDs)}
	assignString(&in.Name, up.Name)
	assignString(&in.Description, up.Description)
	if up.Level != nil {
		in.Level = *up.Level
	}
	if up.Roles != nil {
		in.Roles = slices.Clone(*up.Roles)
	}
	if up.TeamIDs != nil {
		in.TeamIDs = slices.Clone(*up.TeamIDs)
	}
	return in
}

// Course is training that teaches competences: completing it brings a
// person to the course's level in each of them, until its certificate
// expires.
type Course struct {
	record.Meta
	Title       string `json:"title"`
	Description string `json:"description"`
	// Provider is who gives it: "internal", or the training company.
	Provider string `json:"provider"`
	Level    int64  `json:"level"`
	// ValidityMonths is how long a certificate of it is valid; 0: for good.
	ValidityMonths int64   `json:"validity_months"`
	CompetenceIDs  []int64 `json:"competence_ids"`
}

// CourseInput is what a course is made of, whole.
type CourseInput struct {
	Title, Description, Provider string
	Level, ValidityMonths        int64
	CompetenceIDs                []int64
}

// Normalize trims the input and fills the defaults.
func (in *CourseInput) Normalize() {
	in.Title, in.Description, in.Provider = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), strings.TrimSpace(in.Provider)
	if in.Level == 0 {
		in.Level = 2
	}
	slices.Sort(in.CompetenceIDs)
	in.CompetenceIDs = slices.Compact(in.CompetenceIDs)
}

// Validate checks every field.
func (in CourseInput) Validate() error {
	var c errs.Checker
	lineField(&c, "title", in.Title, true)
	proseField(&c, "description", in.Description)
	lineField(&c, "provider", in.Provider, false)
	c.Check(in.Level >= 1 && in.Level <= 4, "level", "must be 1 (aware), 2 (practitioner), 3 (proficient) or 4 (expert)")
	c.Check(in.ValidityMonths >= 0 && in.ValidityMonths <= 120, "validity_months", "must be between 0 (no expiry) and 120 months")
	for _, id := range in.CompetenceIDs {
		if id <= 0 {
			c.Add("competence_ids", "must name competences by their ids")
			break
		}
	}
	return c.Err()
}

// Set puts the input into the course.
func (in CourseInput) Set(c *Course) {
	c.Title, c.Description, c.Provider, c.Level, c.ValidityMonths = in.Title, in.Description, in.Provider, in.Level, in.ValidityMonths
	c.CompetenceIDs = slices.Clone(in.CompetenceIDs)
	if c.CompetenceIDs == nil {
		c.CompetenceIDs = []int64{}
	}
}

// CourseUpdate changes a course; nil fields stay as they are.
type CourseUpdate struct {
	Title, Description, Provider *string
	Level, ValidityMonths        *int64
	CompetenceIDs                *[]int64
}

// Apply returns c with the update applied, as the input it must pass.
func (up CourseUpdate) Apply(c Course) CourseInput {
	in := CourseInput{c.Title, c.Description, c.Provider, c.Level, c.ValidityMonths, slices.Clone(c.CompetenceIDs)}
	assignString(&in.Title, up.Title)
	assignString(&in.Description, up.Description)
	assignString(&in.Provider, up.Provider)
	if up.Level != nil {
		in.Level = *up.Level
	}
	if up.ValidityMonths != nil {
		in.ValidityMonths = *up.ValidityMonths
	}
	if up.CompetenceIDs != nil {
		in.CompetenceIDs = slices.Clone(*up.CompetenceIDs)
	}
	return in
}

// ExpiryFrom is the day a certificate of the course earned on day
// expires, "" when it does not.
func (c Course) ExpiryFrom(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if c.ValidityMonths == 0 || err != nil {
		return ""
	}
	return d.AddDate(0, int(c.ValidityMonths), 0).Format(time.DateOnly)
}

// CourseSession is one running of a course: its days, trainer and place.
type CourseSession struct {
	record.Meta
	CourseID int64  `json:"course_id"`
	StartsOn string `json:"starts_on"`
	// EndsOn is the last day, "" for a session of one day.
	EndsOn  string `json:"ends_on"`
	Trainer string `json:"trainer"`
	// Place is a room or an address, or for an online session its link.
	Place  string `json:"place"`
	Online bool   `json:"online"`
	Notes  string `json:"notes"`
}

// LastDay is the session's last day.
func (s CourseSession) LastDay() string { return orElse(s.EndsOn, s.StartsOn) }

// CourseSessionInput is what a session is made of, whole.
type CourseSessionInput struct {
	CourseID                                int64
	StartsOn, EndsOn, Trainer, Place, Notes string
	Online                                  bool
}

// Normalize trims the input.
func (in *CourseSessionInput) Normalize() {
	for _, s := range []*string{&in.StartsOn, &in.EndsOn, &in.Trainer, &in.Place, &in.Notes} {
		*s = strings.TrimSpace(*s)
	}
	if in.EndsOn == in.StartsOn {
		in.EndsOn = ""
	}
}

// Validate checks every field.
func (in CourseSessionInput) Validate() error {
	var c errs.Checker
	c.Check(in.CourseID > 0, "course_id", "is required: choose the course")
	if dayField(&c, "starts_on", in.StartsOn, true) && dayField(&c, "ends_on", in.EndsOn, false) && in.EndsOn != "" {
		c.Check(in.EndsOn > in.StartsOn, "ends_on", "must not be before the first day")
	}
	lineField(&c, "trainer", in.Trainer, false)
	lineField(&c, "place", in.Place, false)
	proseField(&c, "notes", in.Notes)
	return c.Err()
}

// Set puts the input into the session.
func (in CourseSessionInput) Set(s *CourseSession) {
	s.CourseID, s.StartsOn, s.EndsOn, s.Trainer, s.Place, s.Online, s.Notes = in.CourseID, in.StartsOn, in.EndsOn, in.Trainer, in.Place, in.Online, in.Notes
}

// CourseSessionUpdate changes a session; nil fields stay as they are. Its
// course never changes: its attendance is that course's.
type CourseSessionUpdate struct {
	StartsOn, EndsOn, Trainer, Place, Notes *string
	Online                                  *bool
}

// Apply returns s with the update applied, as the input it must pass.
func (up CourseSessionUpdate) Apply(s CourseSession) CourseSessionInput {
	in := CourseSessionInput{s.CourseID, s.StartsOn, s.EndsOn, s.Trainer, s.Place, s.Notes, s.Online}
	for dst, src := range map[*string]*string{&in.StartsOn: up.StartsOn, &in.EndsOn: up.EndsOn, &in.Trainer: up.Trainer, &in.Place: up.Place, &in.Notes: up.Notes} {
		assignString(dst, src)
	}
	if up.Online != nil {
		in.Online = *up.Online
	}
	return in
}

// Completion is one person's attendance and result in a course: enrolled,
// attended, completed (with the day and, for a course whose certificate
// expires, its expiry), or absent; with its evidence.
type Completion struct {
	record.Meta
	CourseID int64 `json:"course_id"`
	// SessionID is the session attended; nil for a course taken on one's
	// own (e-learning, an outside exam).
	SessionID   *int64 `json:"session_id"`
	UserID      int64  `json:"user_id"`
	Status      string `json:"status"`
	CompletedOn string `json:"completed_on"`
	// ExpiresOn is the day the certificate stops being valid; "" for none.
	ExpiresOn string `json:"expires_on"`
	// Evidence is a note or a link to the certificate or the record of
	// the result.
	Evidence string `json:"evidence"`
	// The certificate, when uploaded: the stored file's hash ("" for
	// none), the name it was uploaded under, its type and size.
	CertificateHash string `json:"certificate_hash"`
	CertificateName string `json:"certificate_name"`
	CertificateType string `json:"certificate_type"`
	CertificateSize int64  `json:"certificate_size"`
}

// Certificate is the uploaded certificate; ok is false when there is none.
func (c Completion) Certificate() (f files.File, ok bool) {
	return files.File{Hash: c.CertificateHash, Name: c.CertificateName, Type: c.CertificateType, Size: c.CertificateSize}, c.CertificateHash != ""
}

// SetCertificate puts an uploaded certificate's file into the completion.
func (c *Completion) SetCertificate(f files.File) {
	c.CertificateHash, c.CertificateName, c.CertificateType, c.CertificateSize = f.Hash, f.Name, f.Type, f.Size
}

// CompletionStatuses are what became of a person's place on a course.
var CompletionStatuses = []Code{{"enrolled", "Enrolled"}, {"attended", "Attended"}, {"completed", "Completed"}, {"absent", "Did not attend"}}

// Expired reports whether the completion's certificate has expired by
// today ("2006-01-02"): its last valid day is before today.
func (c Completion) Expired(today string) bool { return c.ExpiresOn != "" && c.ExpiresOn < today }

// Valid reports whether the completion makes its holder competent today:
// completed, and its certificate not expired.
func (c Completion) Valid(today string) bool { return c.Status == "completed" && !c.Expired(today) }

// CompletionInput is what a completion is made of, whole.
type CompletionInput struct {
	CourseID, UserID                         int64
	SessionID                                *int64
	Status, CompletedOn, ExpiresOn, Evidence string
	// Certificate, when set, is an uploaded certificate to keep with it.
	Certificate *files.Upload
}

// Normalize trims the input and fills the default status.
func (in *CompletionInput) Normalize() {
	in.CompletedOn, in.ExpiresOn, in.Evidence = strings.TrimSpace(in.CompletedOn), strings.TrimSpace(in.ExpiresOn), strings.TrimSpace(in.Evidence)
	if in.Status == "" {
		in.Status = "enrolled"
	}
	if in.SessionID != nil && *in.SessionID == 0 {
		in.SessionID = nil
	}
}

// Validate checks every field and that the days agree with the status:
// only a completion has a day and an expiry, and the expiry comes after
// the day.
func (in CompletionInput) Validate() error {
	var c errs.Checker
	c.Check(in.CourseID > 0, "course_id", "is required: choose the course")
	c.Check(in.UserID > 0, "user_id", "is required: choose the person")
	c.Check(in.SessionID == nil || *in.SessionID > 0, "session_id", "must name a session by its id")
	c.Check(known(CompletionStatuses, in.Status), "status", "must be enrolled, attended, completed or absent")
	if in.Status == "completed" {
		dayField(&c, "completed_on", in.CompletedOn, true)
	} else {
		c.Check(in.CompletedOn == "", "completed_on", "is only for a completed course")
	}
	if in.ExpiresOn != "" {
		if in.Status != "completed" {
			c.Add("expires_on", "is only for a completed course's certificate")
		} else if dayField(&c, "expires_on", in.ExpiresOn, false) && !c.Has("completed_on") {
			c.Check(in.ExpiresOn > in.CompletedOn, "expires_on", "must be after the day the course was completed")
		}
	}
	if utf8.RuneCountInString(in.Evidence) > 2000 || strings.ContainsRune(in.Evidence, 0) {
		c.Add("evidence", "must be at most 2000 characters")
	}
	if in.Certificate != nil && in.Status != "completed" {
		c.Add("certificate", "is only for a completed course")
	}
	return c.Err()
}

// Set puts the input into the completion.
func (in CompletionInput) Set(c *Completion) {
	c.CourseID, c.UserID, c.Status, c.CompletedOn, c.ExpiresOn, c.Evidence = in.CourseID, in.UserID, in.Status, in.CompletedOn, in.ExpiresOn, in.Evidence
	c.SessionID = nil
	if in.SessionID != nil {
		id := *in.SessionID
		c.SessionID = &id
	}
}

// CompletionUpdate changes a completion; nil fields stay as they are.
// Its course and person never change. SessionID 0 takes the session away.
type CompletionUpdate struct {
	SessionID                                *int64
	Status, CompletedOn, ExpiresOn, Evidence *string
	// Certificate, when set, replaces the certificate.
	Certificate *files.Upload
}

// Apply returns c with the update applied, as the input it must pass.
func (up CompletionUpdate) Apply(c Completion) CompletionInput {
	in := CompletionInput{CourseID: c.CourseID, UserID: c.UserID, SessionID: c.SessionID, Status: c.Status, CompletedOn: c.CompletedOn, ExpiresOn: c.ExpiresOn, Evidence: c.Evidence,
		Certificate: up.Certificate}
	if up.SessionID != nil {
		id := *up.SessionID
		in.SessionID = &id
	}
	for dst, src := range map[*string]*string{&in.Status: up.Status, &in.CompletedOn: up.CompletedOn, &in.ExpiresOn: up.ExpiresOn, &in.Evidence: up.Evidence} {
		assignString(dst, src)
	}
	return in
}

// Appraisal is a direct assessment of one person's competence: someone
// who can judge saw them work and records the level they hold, without a
// course; it may be valid until a day.
type Appraisal struct {
	record.Meta
	UserID       int64  `json:"user_id"`
	CompetenceID int64  `json:"competence_id"`
	Level        int64  `json:"level"`
	AssessedOn   string `json:"assessed_on"`
	ExpiresOn    string `json:"expires_on"`
	AssessorID   int64  `json:"assessor_id"`
	Notes        string `json:"notes"`
}

// Expired reports whether the appraisal no longer holds by today.
func (a Appraisal) Expired(today string) bool { return a.ExpiresOn != "" && a.ExpiresOn < today }

// AppraisalInput is what an appraisal is made of, whole.
type AppraisalInput struct {
	UserID, CompetenceID, Level, AssessorID int64
	AssessedOn, ExpiresOn, Notes            string
}

// Normalize trims the input.
func (in *AppraisalInput) Normalize() {
	in.AssessedOn, in.ExpiresOn, in.Notes = strings.TrimSpace(in.AssessedOn), strings.TrimSpace(in.ExpiresOn), strings.TrimSpace(in.Notes)
}

// Validate checks every field.
func (in AppraisalInput) Validate() error {
	var c errs.Checker
	c.Check(in.UserID > 0, "user_id", "is required: choose the person assessed")
	c.Check(in.CompetenceID > 0, "competence_id", "is required: choose the competence")
	c.Check(in.Level >= 1 && in.Level <= 4, "level", "must be 1 (aware), 2 (practitioner), 3 (proficient) or 4 (expert)")
	c.Check(in.AssessorID > 0, "assessor_id", "is required: choose who assessed")
	if dayField(&c, "assessed_on", in.AssessedOn, true) && dayField(&c, "expires_on", in.ExpiresOn, false) && in.ExpiresOn != "" {
		c.Check(in.ExpiresOn > in.AssessedOn, "expires_on", "must be after the day of the assessment")
	}
	proseField(&c, "notes", in.Notes)
	return c.Err()
}

// Set puts the input into the appraisal.
func (in AppraisalInput) Set(a *Appraisal) {
	a.UserID, a.CompetenceID, a.Level, a.AssessorID, a.AssessedOn, a.ExpiresOn, a.Notes = in.UserID, in.CompetenceID, in.Level, in.AssessorID, in.AssessedOn, in.ExpiresOn, in.Notes
}

// AppraisalUpdate changes an appraisal; nil fields stay as they are. Its
// person and competence never change.
type AppraisalUpdate struct {
	Level, AssessorID            *int64
	AssessedOn, ExpiresOn, Notes *string
}

// Apply returns a with the update applied, as the input it must pass.
func (up AppraisalUpdate) Apply(a Appraisal) AppraisalInput {
	in := AppraisalInput{a.UserID, a.CompetenceID, a.Level, a.AssessorID, a.AssessedOn, a.ExpiresOn, a.Notes}
	if up.Level != nil {
		in.Level = *up.Level
	}
	if up.AssessorID != nil {
		in.AssessorID = *up.AssessorID
	}
	for dst, src := range map[*string]*string{&in.AssessedOn: up.AssessedOn, &in.ExpiresOn: up.ExpiresOn, &in.Notes: up.Notes} {
		assignString(dst, src)
	}
	return in
}

// lineField checks a single line of at most 200 characters.
func lineField(c *errs.Checker, field, s string, required bool) {
	switch {
	case s == "" && required:
		c.Add(field, "is required")
	case utf8.RuneCountInString(s) > 200 || strings.ContainsAny(s, "\x00\r\n"):
		c.Add(field, "must be a single line of at most 200 characters")
	}
}

// proseField checks a text of at most 4000 characters.
func proseField(c *errs.Checker, field, s string) {
	c.Check(utf8.RuneCountInString(s) <= 4000 && !strings.ContainsRune(s, 0), field, "must be at most 4000 characters")
}

// dayField checks a day "2006-01-02" and reports whether it is one (or,
// optional, empty).
func dayField(c *errs.Checker, field, s string, required bool) bool {
	if s == "" {
		if required {
			c.Add(field, "is required: a date such as 2027-01-31")
		}
		return !required
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		c.Add(field, "must be a date such as 2027-01-31")
		return false
	}
	return true
}

func assignString(dst, src *string) {
	if src != nil {
		*dst = *src
	}
}

func orElse(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// SessionName names a session by its course and days.
func SessionName(course string, s CourseSession) string {
	if s.EndsOn == "" {
		return course + ", " + s.StartsOn
	}
	return course + ", " + s.StartsOn + " to " + s.EndsOn
}
