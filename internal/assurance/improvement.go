package assurance

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

// Improvement is an opportunity for continual improvement (clause
// 10.2): where it came from, who raised it, its evaluation against the
// documented criteria, the decision on it, and the benefit expected and
// realised, measured before and after.
type Improvement struct {
	record.Meta
	Title       string `json:"title"`
	Description string `json:"description"`
	Source      string `json:"source"`
	// SourceEntity and SourceRef optionally name the record it came from
	// (an audit, a review, a complaint): "" and 0 for none.
	SourceEntity string `json:"source_entity"`
	SourceRef    int64  `json:"source_ref"`
	SubmittedBy  int64  `json:"submitted_by"`
	SubmittedOn  string `json:"submitted_on"`
	// Benefit, Effort, Risk and Alignment are the evaluation, each 1 to 5
	// (0: not evaluated yet).
	Benefit   int64  `json:"benefit"`
	Effort    int64  `json:"effort"`
	Risk      int64  `json:"risk"`
	Alignment int64  `json:"alignment"`
	State     string `json:"state"`
	// ApprovedBy and ApprovedOn record the decision (approval or
	// rejection): who took it and when; 0 and "" before.
	ApprovedBy int64  `json:"approved_by"`
	ApprovedOn string `json:"approved_on"`
	// ExpectedBenefit and RealisedBenefit say in words what it brings;
	// the measure (Unit) is taken before and after.
	ExpectedBenefit string   `json:"expected_benefit"`
	RealisedBenefit string   `json:"realised_benefit"`
	Unit            string   `json:"unit"`
	Before          *float64 `json:"before"`
	After           *float64 `json:"after"`
}

// ImprovementStates are an improvement's states, in the order it goes
// through them.
var ImprovementStates = []sms.Code{{Code: "submitted", Label: "Submitted"}, {Code: "evaluated", Label: "Evaluated"}, {Code: "approved", Label: "Approved"},
	{Code: "rejected", Label: "Rejected"}, {Code: "in_progress", Label: "In progress"}, {Code: "implemented", Label: "Implemented"},
	{Code: "confirmed", Label: "Benefit confirmed"}}

// ImprovementSources are where an opportunity comes from.
var ImprovementSources = []sms.Code{{Code: "audit", Label: "Audit"}, {Code: "review", Label: "Management review"}, {Code: "complaint", Label: "Complaint"},
	{Code: "suggestion", Label: "Staff suggestion"}, {Code: "monitoring", Label: "Monitoring and measurement"}, {Code: "other", Label: "Other"}}

// Criteria are the documented criteria an opportunity is evaluated
// against, each scored 1 (least) to 5 (most).
var Criteria = []sms.Code{{Code: "benefit", Label: "Benefit"}, {Code: "effort", Label: "Effort"}, {Code: "risk", Label: "Risk"}, {Code: "alignment", Label: "Alignment with objectives"}}

// PriorityFormula says how the priority is worked out, for the pages and
// docs/improvement.md.
const PriorityFormula = "Priority = 2 × benefit + 2 × alignment + (6 − effort) + (6 − risk), from 6 to 30: high from 22, medium from 14, low below."

// Evaluated reports whether every criterion has a score.
func (i Improvement) Evaluated() bool {
	return i.Benefit > 0 && i.Effort > 0 && i.Risk > 0 && i.Alignment > 0
}

// Priority is the evaluation's priority (PriorityFormula), 0 before it
// is evaluated: benefit and alignment with the objectives count twice,
// as they are why an improvement is made; effort and risk count against.
func (i Improvement) Priority() int64 {
	if !i.Evaluated() {
		return 0
	}
	return 2*i.Benefit + 2*i.Alignment + (6 - i.Effort) + (6 - i.Risk)
}

// PriorityBand is "high", "medium" or "low" by the priority, "" before
// the evaluation.
func (i Improvement) PriorityBand() string {
	switch p := i.Priority(); {
	case p == 0:
		return ""
	case p >= 22:
		return "high"
	case p >= 14:
		return "medium"
	}
	return "low"
}

// Open reports whether the improvement still asks for work or a
// decision.
func (i Improvement) Open() bool { return i.State != "rejected" && i.State != "confirmed" }

// improvementSteps are the states each state may move to.
var improvementSteps = map[string][]string{
	"submitted":   {"evaluated"},
	"evaluated":   {"approved", "rejected"},
	"approved":    {"in_progress"},
	"in_progress": {"implemented"},
	"implemented": {"confirmed"},
}

// NextStates are the states the improvement may move to.
func (i Improvement) NextStates() []string { return improvementSteps[i.State] }

// CanMove refuses a move the lifecycle does not allow, or one whose
// conditions are not met, naming the field that stops it.
func (i Improvement) CanMove(to string) error {
	allowed := false
	for _, s := range improvementSteps[i.State] {
		allowed = allowed || s == to
	}
	if !allowed {
		why := fmt.Sprintf("is %s and cannot become %s", i.State, to)
		if next := improvementSteps[i.State]; len(next) > 0 {
			why += ": it may become " + strings.Join(next, " or ")
		}
		switch {
		case (to == "approved" || to == "rejected") && i.State == "submitted":
			why = "is submitted: evaluate the opportunity against the criteria before deciding on it"
		case to == "approved" || to == "rejected":
			why = fmt.Sprintf("is %s: only an evaluated opportunity is approved or rejected", i.State)
		}
		return errs.Field("state", why)
	}
	var c errs.Checker
	switch to {
	case "evaluated":
		for _, cr := range Criteria {
			c.Check(i.score(cr.Code) > 0, cr.Code, "is required: score it from 1 to 5 before the opportunity counts as evaluated")
		}
	case "confirmed":
		c.Check(i.RealisedBenefit != "", "realised_benefit", "is required: say what the improvement brought")
		c.Check(i.After != nil, "after", "is required: the measure taken after the improvement")
	}
	return c.Err()
}

func (i Improvement) score(criterion string) int64 {
	switch criterion {
	case "benefit":
		return i.Benefit
	case "effort":
		return i.Effort
	case "risk":
		return i.Risk
	}
	return i.Alignment
}

// ImprovementInput is what an improvement is made of, whole.
type ImprovementInput struct {
	Title, Description, Source, SourceEntity, SubmittedOn string
	SourceRef, SubmittedBy                                int64
	Benefit, Effort, Risk, Alignment                      int64
	ExpectedBenefit, RealisedBenefit, Unit                string
	Before, After                                         *float64
}

// Normalize trims the input and fills the defaults.
func (in *ImprovementInput) Normalize() {
	for _, s := range []*string{&in.Title, &in.Description, &in.Source, &in.SourceEntity, &in.SubmittedOn, &in.ExpectedBenefit, &in.RealisedBenefit, &in.Unit} {
		*s = strings.TrimSpace(*s)
	}
	if in.Source == "" {
		in.Source = "suggestion"
	}
	if in.SourceRef == 0 {
		in.SourceEntity = ""
	}
}

// Validate checks every field; today is the day it is now, as nothing is
// submitted in the future.
func (in ImprovementInput) Validate(today string) error {
	var c errs.Checker
	switch {
	case in.Title == "":
		c.Add("title", "is required: say what could be improved")
	case utf8.RuneCountInString(in.Title) > 200 || strings.ContainsAny(in.Title, "\x00\r\n"):
		c.Add("title", "must be a single line of at most 200 characters")
	}
	for field, v := range map[string]string{"description": in.Description, "expected_benefit": in.ExpectedBenefit, "realised_benefit": in.RealisedBenefit} {
		c.Check(utf8.RuneCountInString(v) <= 4000 && !strings.ContainsRune(v, 0), field, "must be at most 4000 characters")
	}
	c.Check(knownReviewCode(ImprovementSources, in.Source), "source", "must be audit, review, complaint, suggestion, monitoring or other")
	c.Check(in.SourceRef >= 0, "source_ref", "must name a record by its id")
	c.Check(in.SourceRef == 0 || in.SourceEntity != "", "source_entity", "is required with a source record: say which kind of record it is")
	c.Check(in.SubmittedBy > 0, "submitted_by", "is required: who raised the opportunity")
	switch {
	case in.SubmittedOn == "":
		c.Add("submitted_on", "is required: the day it was raised")
	case !isReviewDay(in.SubmittedOn):
		c.Add("submitted_on", "must be a date such as 2027-01-31")
	case in.SubmittedOn > today:
		c.Add("submitted_on", "must not be in the future")
	}
	for field, v := range map[string]int64{"benefit": in.Benefit, "effort": in.Effort, "risk": in.Risk, "alignment": in.Alignment} {
		c.Check(v >= 0 && v <= 5, field, "must be a score from 1 to 5")
	}
	c.Check(utf8.RuneCountInString(in.Unit) <= 30 && !strings.ContainsAny(in.Unit, "\x00\r\n"), "unit", "must be a single line of at most 30 characters, such as % or hours")
	for field, v := range map[string]*float64{"before": in.Before, "after": in.After} {
		c.Check(v == nil || (!math.IsNaN(*v) && !math.IsInf(*v, 0)), field, "must be a number")
	}
	return c.Err()
}

// Set puts the input into the improvement.
func (in ImprovementInput) Set(i *Improvement) {
	i.Title, i.Description, i.Source, i.SourceEntity, i.SourceRef = in.Title, in.Description, in.Source, in.SourceEntity, in.SourceRef
	i.SubmittedBy, i.SubmittedOn = in.SubmittedBy, in.SubmittedOn
	i.Benefit, i.Effort, i.Risk, i.Alignment = in.Benefit, in.Effort, in.Risk, in.Alignment
	i.ExpectedBenefit, i.RealisedBenefit, i.Unit, i.Before, i.After = in.ExpectedBenefit, in.RealisedBenefit, in.Unit, in.Before, in.After
}

// ImprovementUpdate changes an improvement; nil fields stay as they are.
// Before and After set to NaN clear the measure.
type ImprovementUpdate struct {
	Title, Description, Source, SourceEntity, SubmittedOn *string
	SourceRef, SubmittedBy                                *int64
	Benefit, Effort, Risk, Alignment                      *int64
	ExpectedBenefit, RealisedBenefit, Unit                *string
	Before, After                                         **float64
}

// Apply returns i with the update applied, as the input it must pass, or
// the refusal of a change its state no longer allows.
func (up ImprovementUpdate) Apply(i Improvement) (ImprovementInput, error) {
	in := ImprovementInput{Title: i.Title, Description: i.Description, Source: i.Source, SourceEntity: i.SourceEntity, SubmittedOn: i.SubmittedOn,
		SourceRef: i.SourceRef, SubmittedBy: i.SubmittedBy, Benefit: i.Benefit, Effort: i.Effort, Risk: i.Risk, Alignment: i.Alignment,
		ExpectedBenefit: i.ExpectedBenefit, RealisedBenefit: i.RealisedBenefit, Unit: i.Unit, Before: i.Before, After: i.After}
	decided := i.State != "submitted" && i.State != "evaluated"
	for _, s := range []struct {
		name     string
		dst, src *int64
	}{{"benefit", &in.Benefit, up.Benefit}, {"effort", &in.Effort, up.Effort}, {"risk", &in.Risk, up.Risk}, {"alignment", &in.Alignment, up.Alignment}} {
		if s.src == nil || *s.src == *s.dst {
			continue
		}
		if decided {
			return in, errs.Field(s.name, fmt.Sprintf("is fixed once the opportunity is %s: the decision was taken on this evaluation", i.State))
		}
		*s.dst = *s.src
	}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.Description: up.Description, &in.Source: up.Source, &in.SourceEntity: up.SourceEntity,
		&in.SubmittedOn: up.SubmittedOn, &in.ExpectedBenefit: up.ExpectedBenefit, &in.RealisedBenefit: up.RealisedBenefit, &in.Unit: up.Unit} {
		if src != nil {
			*dst = *src
		}
	}
	for dst, src := range map[*int64]*int64{&in.SourceRef: up.SourceRef, &in.SubmittedBy: up.SubmittedBy} {
		if src != nil {
			*dst = *src
		}
	}
	if up.Before != nil {
		in.Before = *up.Before
	}
	if up.After != nil {
		in.After = *up.After
	}
	return in, nil
}

// CheckDecisionDay refuses a decision day before the submission.
func (i Improvement) CheckDecisionDay(on string) error {
	if on < i.SubmittedOn {
		return errs.Field("approved_on", fmt.Sprintf("is before %s, the day the opportunity was submitted", i.SubmittedOn))
	}
	return nil
}

func knownReviewCode(codes []sms.Code, c string) bool {
	for _, k := range codes {
		if k.Code == c {
			return true
		}
	}
	return false
}
