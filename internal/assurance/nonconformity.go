package assurance

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

// Nonconformity is a requirement not met (clause 10.1), and what is done
// about it: the correction made at once, the root cause found, the
// corrective actions (actions of the source "nonconformity"), the check
// that they worked, and its closing.
type Nonconformity struct {
	record.Meta
	Title       string `json:"title"`
	Description string `json:"description"`
	// Severity is major or minor.
	Severity string `json:"severity"`
	// Origin is where it was found; SourceEntity and SourceID, when the
	// origin is a record (an audit finding, a complaint), name it.
	Origin        string `json:"origin"`
	SourceEntity  string `json:"source_entity"`
	SourceID      int64  `json:"source_id"`
	RequirementID int64  `json:"requirement_id"`
	OwnerID       int64  `json:"owner_id"`
	// RaisedOn is the day it was raised, "2006-01-02".
	RaisedOn string `json:"raised_on"`
	State    string `json:"state"`
	// RecurrenceOf is the latest earlier nonconformity against the same
	// requirement raised in the twelve months before this one; 0 for
	// none. Set once, when it is raised.
	RecurrenceOf int64 `json:"recurrence_of"`

	// The correction: what was done at once, by whom and when.
	Correction  string `json:"correction"`
	CorrectedBy *int64 `json:"corrected_by"`
	CorrectedOn string `json:"corrected_on"`

	// The root cause analysis: five whys or a category, with a summary.
	CauseMethod   string   `json:"cause_method"`
	Whys          []string `json:"whys"`
	CauseCategory string   `json:"cause_category"`
	CauseSummary  string   `json:"cause_summary"`
	AnalysedOn    string   `json:"analysed_on"`

	// The verification of effectiveness; a result of not_effective sent
	// the nonconformity back to root cause analysis.
	VerifiedBy         *int64 `json:"verified_by"`
	VerifiedOn         string `json:"verified_on"`
	VerificationResult string `json:"verification_result"`
	VerificationNote   string `json:"verification_note"`
	Evidence           []Ref  `json:"evidence"`

	ClosedOn string `json:"closed_on"`
}

// Severities of a nonconformity.
var Severities = []sms.Code{{Code: "major", Label: "Major"}, {Code: "minor", Label: "Minor"}}

// NCOrigins are where a nonconformity may be found.
var NCOrigins = []sms.Code{
	{Code: "internal_audit", Label: "Internal audit finding"},
	{Code: "external_audit", Label: "External audit finding"},
	{Code: "complaint", Label: "Complaint"},
	{Code: "monitoring", Label: "Monitoring and measurement"},
	{Code: "management_review", Label: "Management review"},
	{Code: "incident", Label: "Incident"},
	{Code: "other", Label: "Other"},
}

// NCStates are a nonconformity's states, in the order it goes through
// them.
var NCStates = []sms.Code{
	{Code: "open", Label: "Open"},
	{Code: "corrected", Label: "Corrected"},
	{Code: "analysed", Label: "Analysed"},
	{Code: "verified", Label: "Verified"},
	{Code: "closed", Label: "Closed"},
}

// CauseMethods are the two ways a root cause is recorded.
var CauseMethods = []sms.Code{{Code: "five_whys", Label: "Five whys"}, {Code: "category", Label: "Cause category"}}

// CauseCategories are the fixed list of kinds of root cause.
var CauseCategories = []sms.Code{
	{Code: "people", Label: "People"},
	{Code: "process", Label: "Process"},
	{Code: "technology", Label: "Technology"},
	{Code: "supplier", Label: "Supplier"},
	{Code: "information", Label: "Information"},
	{Code: "other", Label: "Other"},
}

// VerificationResults are what a verification of effectiveness finds.
var VerificationResults = []sms.Code{{Code: "effective", Label: "Effective"}, {Code: "not_effective", Label: "Not effective"}}

// MaxWhys is how many whys an analysis holds.
const MaxWhys = 5

// RecurrenceMonths is how far back an earlier nonconformity against the
// same requirement makes a new one recurring.
const RecurrenceMonths = 12

// Help texts shared by the declaration and the pages.
const (
	NCSeverityHelp = "Major: the SMS cannot be relied on to achieve its intended results, or a requirement is not met at all; a certification body verifies its correction before granting certification. Minor: a lapse that does not put the results at risk; the body accepts a plan and checks it at the next audit."
	NCOriginHelp   = "Where it was found. An audit finding, a complaint or an incident may be named as its source record."
	NCCauseHelp    = "Why it happened: ask why up to five times, each answer the cause of the one before, or choose the kind of cause; then sum up the root cause in a sentence."
	NCVerifyHelp   = "After the corrective actions are done, check that the nonconformity has not come back and the cause is gone. Not effective sends it back to root cause analysis."
)

// Closed reports whether nothing more is to be done.
func (n Nonconformity) Closed() bool { return n.State == "closed" }

// External reports whether the deadlines of a certification body apply.
func (n Nonconformity) External() bool { return n.Origin == "external_audit" }

// DayOK reports whether s is a day "2006-01-02".
func DayOK(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// AddDays is day plus n days ("" for a day that does not parse); month
// ends carry over as the calendar does (2027-01-31 plus 30 is 2027-03-02).
func AddDays(day string, n int64) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, int(n)).Format(time.DateOnly)
}

// RecurrenceSince is the first day on which an earlier nonconformity
// against the same requirement makes one raised on day recurring.
func RecurrenceSince(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return d.AddDate(0, -RecurrenceMonths, 0).Format(time.DateOnly)
}

func singleLine(c *errs.Checker, field, v string, max int, required string) {
	switch {
	case v == "" && required != "":
		c.Add(field, required)
	case utf8.RuneCountInString(v) > max || strings.ContainsAny(v, "\x00\r\n"):
		c.Add(field, fmt.Sprintf("must be a single line of at most %d characters", max))
	}
}

func longText(c *errs.Checker, field, v string, required string) {
	switch {
	case v == "" && required != "":
		c.Add(field, required)
	case utf8.RuneCountInString(v) > 4000 || strings.ContainsRune(v, 0):
		c.Add(field, "must be at most 4000 characters")
	}
}

// day checks a day field: required, a date, not before first (named
// after), not after today.
func day(c *errs.Checker, field, v, first, after, today string) {
	switch {
	case v == "":
		c.Add(field, "is required: a date such as 2027-01-31")
	case !DayOK(v):
		c.Add(field, "must be a date such as 2027-01-31")
	case first != "" && v < first:
		c.Add(field, fmt.Sprintf("is before %s (%s)", after, first))
	case today != "" && v > today:
		c.Add(field, "must not be in the future")
	}
}

// NonconformityInput is what a nonconformity is raised with, whole.
type NonconformityInput struct {
	Title, Description, Severity, Origin, SourceEntity, RaisedOn string
	SourceID, RequirementID, OwnerID                             int64
}

// Normalize trims the input and fills the defaults.
func (in *NonconformityInput) Normalize() {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	in.SourceEntity, in.RaisedOn = strings.TrimSpace(in.SourceEntity), strings.TrimSpace(in.RaisedOn)
	if in.Origin == "" {
		in.Origin = "other"
	}
	if in.SourceEntity == "" {
		in.SourceID = 0
	}
}

// Validate checks every field; today is the day it is now.
func (in NonconformityInput) Validate(today string) error {
	var c errs.Checker
	singleLine(&c, "title", in.Title, 200, "is required: say in a line what is not met")
	longText(&c, "description", in.Description, "")
	c.Check(known(Severities, in.Severity), "severity", "must be major or minor")
	c.Check(known(NCOrigins, in.Origin), "origin", "must be one of "+codeList(NCOrigins))
	switch {
	case in.SourceEntity != "" && in.SourceID <= 0:
		c.Add("source_id", "is required with a source kind: name the record it comes from")
	case in.SourceEntity == "" && in.SourceID != 0:
		c.Add("source_entity", "is required with a source record: say what kind of record it is")
	}
	c.Check(in.RequirementID > 0, "requirement_id", "is required: choose the requirement that is not met")
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who answers for it")
	day(&c, "raised_on", in.RaisedOn, "", "", today)
	return c.Err()
}

// Set puts the input into the nonconformity.
func (in NonconformityInput) Set(n *Nonconformity) {
	n.Title, n.Description, n.Severity, n.Origin = in.Title, in.Description, in.Severity, in.Origin
	n.SourceEntity, n.SourceID, n.RequirementID, n.OwnerID, n.RaisedOn = in.SourceEntity, in.SourceID, in.RequirementID, in.OwnerID, in.RaisedOn
	if n.State == "" {
		n.State = "open"
	}
	if n.Whys == nil {
		n.Whys = []string{}
	}
	if n.Evidence == nil {
		n.Evidence = []Ref{}
	}
}

// NonconformityUpdate changes a nonconformity's own fields; nil fields
// stay as they are. The steps are written by their own inputs.
type NonconformityUpdate struct {
	Title, Description, Severity, Origin, SourceEntity, RaisedOn *string
	SourceID, RequirementID, OwnerID                             *int64
}

// Apply returns n with the update applied, as the input it must pass.
func (up NonconformityUpdate) Apply(n Nonconformity) NonconformityInput {
	in := NonconformityInput{n.Title, n.Description, n.Severity, n.Origin, n.SourceEntity, n.RaisedOn, n.SourceID, n.RequirementID, n.OwnerID}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.Description: up.Description, &in.Severity: up.Severity,
		&in.Origin: up.Origin, &in.SourceEntity: up.SourceEntity, &in.RaisedOn: up.RaisedOn} {
		if src != nil {
			*dst = *src
		}
	}
	for dst, src := range map[*int64]*int64{&in.SourceID: up.SourceID, &in.RequirementID: up.RequirementID, &in.OwnerID: up.OwnerID} {
		if src != nil {
			*dst = *src
		}
	}
	return in
}

// CheckUpdate refuses a change to a closed nonconformity, and a raised-on
// day after a step already recorded.
func (n Nonconformity) CheckUpdate(in NonconformityInput) error {
	if n.Closed() {
		return errs.E(errs.Conflict, "%s is closed: it no longer changes", NonconformityKind.Number(n.ID))
	}
	for _, d := range []struct{ v, what string }{{n.CorrectedOn, "the correction"}, {n.AnalysedOn, "the root cause analysis"}, {n.VerifiedOn, "the verification"}} {
		if d.v != "" && in.RaisedOn > d.v {
			return errs.Field("raised_on", fmt.Sprintf("is after %s (%s)", d.what, d.v))
		}
	}
	return nil
}

// stateIn refuses a step from a state it does not follow, naming the
// states it does.
func (n Nonconformity) stateIn(step string, states ...string) error {
	if slices.Contains(states, n.State) {
		return nil
	}
	return errs.E(errs.Conflict, "%s is %s: %s is recorded only while it is %s", NonconformityKind.Number(n.ID), n.State, step, strings.Join(states, " or "))
}

// CorrectionInput is the correction: what was done at once.
type CorrectionInput struct {
	Correction, CorrectedOn string
	CorrectedBy             int64
}

// Normalize trims the input.
func (in *CorrectionInput) Normalize() {
	in.Correction, in.CorrectedOn = strings.TrimSpace(in.Correction), strings.TrimSpace(in.CorrectedOn)
}

// Correct records the correction: from open (it becomes corrected), or
// again while corrected, to revise it.
func (n *Nonconformity) Correct(in CorrectionInput, today string) error {
	if err := n.stateIn("a correction", "open", "corrected"); err != nil {
		return err
	}
	var c errs.Checker
	longText(&c, "correction", in.Correction, "is required: say what was done at once to contain it")
	c.Check(in.CorrectedBy > 0, "corrected_by", "is required: choose who made the correction")
	day(&c, "corrected_on", in.CorrectedOn, n.RaisedOn, "the day it was raised", today)
	if err := c.Err(); err != nil {
		return err
	}
	by := in.CorrectedBy
	n.Correction, n.CorrectedBy, n.CorrectedOn, n.State = in.Correction, &by, in.CorrectedOn, "corrected"
	return nil
}

// AnalysisInput is the root cause analysis.
type AnalysisInput struct {
	Method, Category, Summary, AnalysedOn string
	Whys                                  []string
}

// Normalize trims the input and drops empty whys at the end.
func (in *AnalysisInput) Normalize() {
	in.Method, in.Category, in.Summary, in.AnalysedOn = strings.TrimSpace(in.Method), strings.TrimSpace(in.Category), strings.TrimSpace(in.Summary), strings.TrimSpace(in.AnalysedOn)
	whys := make([]string, 0, len(in.Whys))
	for _, w := range in.Whys {
		whys = append(whys, strings.TrimSpace(w))
	}
	for len(whys) > 0 && whys[len(whys)-1] == "" {
		whys = whys[:len(whys)-1]
	}
	in.Whys = whys
	if in.Method == "" {
		in.Method = "five_whys"
	}
	if in.Method == "five_whys" {
		in.Category = ""
	} else {
		in.Whys = []string{}
	}
}

// Analyse records the root cause: from corrected (it becomes analysed),
// or again while analysed, to revise it.
func (n *Nonconformity) Analyse(in AnalysisInput, today string) error {
	if err := n.stateIn("a root cause analysis", "corrected", "analysed"); err != nil {
		return err
	}
	var c errs.Checker
	switch in.Method {
	case "five_whys":
		switch {
		case len(in.Whys) == 0:
			c.Add("whys", "is required: answer at least the first why")
		case len(in.Whys) > MaxWhys:
			c.Add("whys", fmt.Sprintf("holds at most %d whys", MaxWhys))
		case slices.Contains(in.Whys, ""):
			c.Add("whys", "must have no gaps: answer each why before the next")
		}
		for _, w := range in.Whys {
			if utf8.RuneCountInString(w) > 500 || strings.ContainsAny(w, "\x00\r\n") {
				c.Add("whys", "must each be a single line of at most 500 characters")
				break
			}
		}
	case "category":
		c.Check(known(CauseCategories, in.Category), "cause_category", "is required: choose one of "+codeList(CauseCategories))
	default:
		c.Add("cause_method", "must be five_whys or category")
	}
	longText(&c, "cause_summary", in.Summary, "is required: state the root cause in a sentence")
	first, after := n.RaisedOn, "the day it was raised"
	if n.CorrectedOn != "" {
		first, after = n.CorrectedOn, "the correction"
	}
	day(&c, "analysed_on", in.AnalysedOn, first, after, today)
	if err := c.Err(); err != nil {
		return err
	}
	n.CauseMethod, n.Whys, n.CauseCategory, n.CauseSummary, n.AnalysedOn, n.State = in.Method, slices.Clone(in.Whys), in.Category, in.Summary, in.AnalysedOn, "analysed"
	return nil
}

// VerificationInput is the check of effectiveness.
type VerificationInput struct {
	Result, Note, VerifiedOn string
	VerifiedBy               int64
	Evidence                 []Ref
}

// Normalize trims the input and drops repeated evidence.
func (in *VerificationInput) Normalize() {
	in.Result, in.Note, in.VerifiedOn = strings.TrimSpace(in.Result), strings.TrimSpace(in.Note), strings.TrimSpace(in.VerifiedOn)
	var ev []Ref
	for _, r := range in.Evidence {
		r.Entity = strings.TrimSpace(r.Entity)
		if !slices.Contains(ev, r) {
			ev = append(ev, r)
		}
	}
	if ev == nil {
		ev = []Ref{}
	}
	in.Evidence = ev
}

// Verify records the verification of effectiveness, while analysed, with
// its corrective actions as they stand: effective (it becomes verified)
// only once they are finished; not effective sends it back to root
// cause analysis (corrected).
func (n *Nonconformity) Verify(in VerificationInput, actions []sms.Action, today string) error {
	if err := n.stateIn("a verification", "analysed"); err != nil {
		return err
	}
	var c errs.Checker
	c.Check(known(VerificationResults, in.Result), "verification_result", "must be effective or not_effective")
	c.Check(in.VerifiedBy > 0, "verified_by", "is required: choose who checked")
	first, after := n.RaisedOn, "the day it was raised"
	if n.AnalysedOn != "" {
		first, after = n.AnalysedOn, "the root cause analysis"
	}
	if in.VerifiedOn != "" && DayOK(in.VerifiedOn) && in.VerifiedOn < n.RaisedOn {
		first, after = n.RaisedOn, "the day it was raised"
	}
	day(&c, "verified_on", in.VerifiedOn, first, after, today)
	longText(&c, "verification_note", in.Note, "")
	c.Check(len(in.Evidence) <= 20, "evidence", "may name at most 20 records")
	for _, r := range in.Evidence {
		if r.Entity == "" || r.ID <= 0 {
			c.Add("evidence", "must name each record by its kind and id")
			break
		}
	}
	if in.Result == "effective" {
		if gap := actionsGap(actions); gap != "" {
			c.Add("verification_result", "cannot be effective yet: "+gap)
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	by := in.VerifiedBy
	n.VerifiedBy, n.VerifiedOn, n.VerificationResult, n.VerificationNote, n.Evidence = &by, in.VerifiedOn, in.Result, in.Note, slices.Clone(in.Evidence)
	n.State = "verified"
	if in.Result == "not_effective" {
		n.State = "corrected"
	}
	return nil
}

// actionsGap says what keeps the corrective actions from counting as
// finished ("" when they do): every one done or cancelled, at least one
// done.
func actionsGap(actions []sms.Action) string {
	var open []string
	done := 0
	for _, a := range actions {
		switch {
		case !a.Closed():
			open = append(open, sms.ActionKind.Number(a.ID))
		case a.State == "done":
			done++
		}
	}
	switch {
	case len(open) == 1:
		return "1 action still open: " + open[0]
	case len(open) > 1:
		return fmt.Sprintf("%d actions still open: %s", len(open), strings.Join(open, ", "))
	case done == 0:
		return "no corrective action done"
	}
	return ""
}

// ClosureGaps says what keeps the nonconformity from being closed, given
// its corrective actions; nothing when it may be.
func (n Nonconformity) ClosureGaps(actions []sms.Action) []string {
	var out []string
	if n.CorrectedOn == "" {
		out = append(out, "correction not recorded")
	}
	if n.AnalysedOn == "" || n.State == "open" || n.State == "corrected" {
		out = append(out, "root cause not analysed")
	}
	if gap := actionsGap(actions); gap != "" {
		out = append(out, gap)
	}
	if n.State != "verified" || n.VerificationResult != "effective" {
		out = append(out, "effectiveness not verified")
	}
	return out
}

// Close closes the nonconformity on day closedOn, once nothing is
// missing; the refusal names all that is.
func (n *Nonconformity) Close(closedOn string, actions []sms.Action, today string) error {
	if n.Closed() {
		return errs.E(errs.Conflict, "%s is closed already", NonconformityKind.Number(n.ID))
	}
	var c errs.Checker
	first, after := n.RaisedOn, "the day it was raised"
	if n.VerifiedOn != "" {
		first, after = n.VerifiedOn, "the verification"
	}
	day(&c, "closed_on", closedOn, first, after, today)
	if err := c.Err(); err != nil {
		return err
	}
	if gaps := n.ClosureGaps(actions); len(gaps) > 0 {
		return errs.E(errs.Conflict, "%s cannot be closed yet: %s", NonconformityKind.Number(n.ID), strings.Join(gaps, "; "))
	}
	n.ClosedOn, n.State = closedOn, "closed"
	return nil
}

// Step is one step of the workflow as the record's page shows it.
type Step struct {
	Code, Label string
	Done        bool
	Current     bool
}

// Steps are the workflow's steps, each done or not, the current one (the
// next to do) marked; actions are its corrective actions.
func (n Nonconformity) Steps(actions []sms.Action) []Step {
	analysed := n.State == "analysed" || n.State == "verified" || n.State == "closed"
	steps := []Step{
		{Code: "raised", Label: "Raised", Done: true},
		{Code: "correction", Label: "Correction", Done: n.CorrectedOn != ""},
		{Code: "analysis", Label: "Root cause analysis", Done: analysed},
		{Code: "actions", Label: "Corrective actions", Done: len(actions) > 0 && actionsGap(actions) == ""},
		{Code: "verification", Label: "Effectiveness verified", Done: n.State == "verified" || n.State == "closed"},
		{Code: "closed", Label: "Closed", Done: n.State == "closed"},
	}
	for i := range steps {
		if !steps[i].Done {
			steps[i].Current = true
			break
		}
	}
	return steps
}

// NextStep is the step to do next ("" once closed).
func (n Nonconformity) NextStep(actions []sms.Action) string {
	for _, s := range n.Steps(actions) {
		if s.Current {
			return s.Code
		}
	}
	return ""
}
