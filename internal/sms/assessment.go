package sms

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Assessment is a dated gap-analysis campaign over a framework: where the
// organisation stands against each of its requirements on that day. Each
// requirement gets a Result, made with the assessment.
type Assessment struct {
	record.Meta
	FrameworkID int64  `json:"framework_id"`
	Title       string `json:"title"`
	// StartedOn is the day the campaign started, "2006-01-02".
	StartedOn string `json:"started_on"`
	State     string `json:"state"`
	Notes     string `json:"notes"`
}

// AssessmentStates are an assessment's states: open while it is worked,
// closed when it stands as a record of that day.
var AssessmentStates = []Code{{"open", "Open"}, {"closed", "Closed"}}

// AssessmentInput is what an assessment is made of, whole.
type AssessmentInput struct {
	FrameworkID                    int64
	Title, StartedOn, State, Notes string
}

// Normalize trims the input and fills the defaults.
func (in *AssessmentInput) Normalize() {
	in.Title, in.StartedOn, in.Notes = strings.TrimSpace(in.Title), strings.TrimSpace(in.StartedOn), strings.TrimSpace(in.Notes)
	if in.State == "" {
		in.State = "open"
	}
}

// Validate checks every field.
func (in AssessmentInput) Validate() error {
	var c errs.Checker
	c.Check(in.FrameworkID > 0, "framework_id", "is required: choose the framework to assess against")
	switch {
	case in.Title == "":
		c.Add("title", "is required")
	case utf8.RuneCountInString(in.Title) > 200 || strings.ContainsAny(in.Title, "\x00\r\n"):
		c.Add("title", "must be a single line of at most 200 characters")
	}
	if in.StartedOn == "" {
		c.Add("started_on", "is required: the day the assessment started")
	} else if _, err := time.Parse(time.DateOnly, in.StartedOn); err != nil {
		c.Add("started_on", "must be a date such as 2027-01-31")
	}
	c.Check(known(AssessmentStates, in.State), "state", "must be open or closed")
	c.Check(utf8.RuneCountInString(in.Notes) <= 4000 && !strings.ContainsRune(in.Notes, 0), "notes", "must be at most 4000 characters")
	return c.Err()
}

// Set puts the input into the assessment.
func (in AssessmentInput) Set(a *Assessment) {
	a.FrameworkID, a.Title, a.StartedOn, a.State, a.Notes = in.FrameworkID, in.Title, in.StartedOn, in.State, in.Notes
}

// AssessmentUpdate changes an assessment; nil fields stay as they are.
// Its framework never changes: its results are that framework's.
type AssessmentUpdate struct {
	Title, StartedOn, State, Notes *string
}

// Apply returns a with the update applied, as the input it must pass.
func (up AssessmentUpdate) Apply(a Assessment) AssessmentInput {
	in := AssessmentInput{a.FrameworkID, a.Title, a.StartedOn, a.State, a.Notes}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.StartedOn: up.StartedOn, &in.State: up.State, &in.Notes: up.Notes} {
		if src != nil {
			*dst = *src
		}
	}
	return in
}

// Result is where one requirement stands in one assessment.
type Result struct {
	record.Meta
	AssessmentID  int64  `json:"assessment_id"`
	RequirementID int64  `json:"requirement_id"`
	Status        string `json:"status"`
	// Maturity rates how well the requirement is met, 0 (nothing) to 5
	// (optimised), in the spirit of the usual capability scales.
	Maturity int64 `json:"maturity"`
	// OwnerID is who answers for it; nil for no one yet.
	OwnerID *int64 `json:"owner_id"`
	// Justification says why a requirement is not applicable; required
	// then, and only then.
	Justification string `json:"justification"`
	Notes         string `json:"notes"`
	// Answers are the replies to the requirement's self-assessment
	// questions (assessment_answers.go).
	Answers Answers `json:"answers"`
}

// ResultStatuses are where a requirement can stand. NotApplicable is
// only for frameworks that allow exclusions.
var ResultStatuses = []Code{{"not_started", "Not started"}, {"partial", "Partly implemented"}, {"implemented", "Implemented"}, {"not_applicable", "Not applicable"}}

// NotApplicable is the status of an excluded requirement.
const NotApplicable = "not_applicable"

// MaxMaturity is the top of the maturity scale.
const MaxMaturity = 5

// ResultUpdate changes a result; nil fields stay as they are. A zero
// OwnerID (pointing at 0) takes the owner away.
type ResultUpdate struct {
	Status, Justification, Notes *string
	Maturity, OwnerID            *int64
	// Answers change the replies to the requirement's questions, each
	// named by its number; Result.SetAnswers applies them.
	Answers []AnswerChange
}

// Apply changes r by the update, trimmed, then checks it: exclusions says
// whether the assessment's framework allows "not applicable".
func (up ResultUpdate) Apply(r *Result, exclusions bool) error {
	if up.Status != nil {
		r.Status = strings.TrimSpace(*up.Status)
	}
	if up.Justification != nil {
		r.Justification = strings.TrimSpace(*up.Justification)
	}
	if up.Notes != nil {
		r.Notes = strings.TrimSpace(*up.Notes)
	}
	if up.Maturity != nil {
		r.Maturity = *up.Maturity
	}
	if up.OwnerID != nil {
		r.OwnerID = nil
		if *up.OwnerID != 0 {
			id := *up.OwnerID
			r.OwnerID = &id
		}
	}
	return r.Validate(exclusions)
}

// Validate checks every field of a result.
func (r Result) Validate(exclusions bool) error {
	var c errs.Checker
	switch {
	case !known(ResultStatuses, r.Status):
		c.Add("status", "must be not_started, partial, implemented or not_applicable")
	case r.Status == NotApplicable && !exclusions:
		c.Add("status", "cannot be not_applicable: this framework allows no exclusions (ISO/IEC 20000-1's scope limits the services, never the clauses)")
	case r.Status == NotApplicable && r.Justification == "":
		c.Add("justification", "is required for a requirement that is not applicable: say why")
	case r.Status != NotApplicable && r.Justification != "":
		c.Add("justification", "is only for a requirement that is not applicable; use the notes")
	}
	c.Check(r.Maturity >= 0 && r.Maturity <= MaxMaturity, "maturity", "must be from 0 to 5")
	c.Check(r.OwnerID == nil || *r.OwnerID > 0, "owner_id", "must name a user")
	c.Check(utf8.RuneCountInString(r.Justification) <= 4000 && !strings.ContainsRune(r.Justification, 0), "justification", "must be at most 4000 characters")
	c.Check(utf8.RuneCountInString(r.Notes) <= 4000 && !strings.ContainsRune(r.Notes, 0), "notes", "must be at most 4000 characters")
	return c.Err()
}

// Readiness is how far an assessment, or a part of it, is from every
// requirement implemented: docs/assessments.md gives the formula.
type Readiness struct {
	Implemented, Partial, NotStarted, NotApplicable int
	// Expired are the implemented requirements whose evidence has all
	// expired, counted as partly implemented (AddResult).
	Expired int
}

// Tally counts results by status.
func Tally(rs []Result) Readiness {
	var r Readiness
	for _, x := range rs {
		r.Add(x.Status)
	}
	return r
}

// Add counts one result's status.
func (r *Readiness) Add(status string) {
	switch status {
	case "implemented":
		r.Implemented++
	case "partial":
		r.Partial++
	case NotApplicable:
		r.NotApplicable++
	default:
		r.NotStarted++
	}
}

// Applicable is the number of requirements that count.
func (r Readiness) Applicable() int { return r.Implemented + r.Partial + r.NotStarted }

// Percent is the readiness in whole percent, rounded down so that 100
// means every applicable requirement implemented: (implemented + ½ ×
// partial) ÷ applicable. Nothing applicable is 0.
func (r Readiness) Percent() int {
	n := r.Applicable()
	if n == 0 {
		return 0
	}
	return (2*r.Implemented - r.Expired + r.Partial) * 100 / (2 * n)
}
