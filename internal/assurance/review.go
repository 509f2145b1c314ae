package assurance

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

// ManagementReview is one review of the management system by top
// management (clause 9.3): when it is planned and held, who chairs and
// attends it, the input pack assembled from live records when it is
// prepared and frozen when it is held, and its results: minutes,
// decisions and (as actions whose source is the review) output actions.
type ManagementReview struct {
	record.Meta
	Title string `json:"title"`
	// PlannedOn and HeldOn are days, "2006-01-02"; HeldOn is "" until
	// the review is held.
	PlannedOn   string  `json:"planned_on"`
	HeldOn      string  `json:"held_on"`
	ChairID     int64   `json:"chair_id"`
	AttendeeIDs []int64 `json:"attendee_ids"`
	// IntervalMonths is how long after this review the next one is due;
	// the next review's suggested day is the latest held review's day
	// plus its interval.
	IntervalMonths int64  `json:"interval_months"`
	State          string `json:"state"`
	// PreparedOn is the day the input pack was last assembled.
	PreparedOn string `json:"prepared_on"`
	// Pack is the input pack as JSON text (a ReviewPack), assembled when
	// the review is prepared; once it is held the text is frozen and
	// PackHash is its SHA-256, in hex.
	Pack      string   `json:"pack"`
	PackHash  string   `json:"pack_hash"`
	Minutes   string   `json:"minutes"`
	Decisions []string `json:"decisions"`
	// ApprovedBy and ApprovedOn record who approved the minutes and when
	// (0 and "" until then).
	ApprovedBy int64  `json:"approved_by"`
	ApprovedOn string `json:"approved_on"`
}

// ReviewStates are a review's states, in the order it goes through them.
var ReviewStates = []sms.Code{{Code: "planned", Label: "Planned"}, {Code: "prepared", Label: "Prepared"}, {Code: "held", Label: "Held"},
	{Code: "approved", Label: "Minutes approved"}, {Code: "cancelled", Label: "Cancelled"}}

// ReviewIntervals are the intervals offered between reviews, in months.
var ReviewIntervals = []int64{3, 6, 12}

// Frozen reports whether the review's input pack no longer changes.
func (r ManagementReview) Frozen() bool { return r.State == "held" || r.State == "approved" }

// Closed reports whether nothing of the review changes any more.
func (r ManagementReview) Closed() bool { return r.State == "approved" || r.State == "cancelled" }

// NextDue is the day the next review is due after this one: its held day
// (or, not held yet, its planned day) plus its interval.
func (r ManagementReview) NextDue() string {
	day := r.HeldOn
	if day == "" {
		day = r.PlannedOn
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, int(r.IntervalMonths), 0).Format(time.DateOnly)
}

// HashPack is the SHA-256 of a pack's stored text, in hex.
func HashPack(pack string) string {
	sum := sha256.Sum256([]byte(pack))
	return hex.EncodeToString(sum[:])
}

// ReviewPack is the input pack of a review: a section per input the
// standard asks a review to consider, each saying where its figures came
// from.
type ReviewPack struct {
	// AssembledOn is the day the pack was assembled, Since the day of the
	// last review held before it ("" for the first review).
	AssembledOn string        `json:"assembled_on"`
	Since       string        `json:"since"`
	Sections    []PackSection `json:"sections"`
}

// PackSection is one part of the pack.
type PackSection struct {
	// Input is the letter of the input it answers ("a" to "k"); Key
	// names the section, unique in the pack.
	Input string `json:"input"`
	Key   string `json:"key"`
	Title string `json:"title"`
	// Query says in words what was read, as of which day.
	Query string `json:"query"`
	// Empty says plainly that there is nothing, when there is nothing.
	Empty string     `json:"empty,omitempty"`
	Facts []PackFact `json:"facts,omitempty"`
	Rows  []PackRow  `json:"rows,omitempty"`
	// Href leads to the records the section was read from.
	Href string `json:"href,omitempty"`
}

// PackFact is a figure of a section ("Open actions: 3").
type PackFact struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// PackRow is a record a section names, linked.
type PackRow struct {
	Entity string `json:"entity"`
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Name   string `json:"name"`
	Detail string `json:"detail"`
	Href   string `json:"href"`
}

// Encode writes the pack as the JSON text that is stored and hashed.
func (p ReviewPack) Encode() (string, error) {
	b, err := json.Marshal(p)
	return string(b), err
}

// DecodePack reads a stored pack; "" is no pack.
func DecodePack(s string) (ReviewPack, error) {
	var p ReviewPack
	if s == "" {
		return p, nil
	}
	err := json.Unmarshal([]byte(s), &p)
	return p, err
}

// ReviewInput is what a review is made of, whole (create, or the form).
type ReviewInput struct {
	Title, PlannedOn, HeldOn, Minutes string
	ChairID, IntervalMonths           int64
	AttendeeIDs                       []int64
	Decisions                         []string
}

// Normalize trims the input and fills the defaults.
func (in *ReviewInput) Normalize() {
	in.Title, in.PlannedOn, in.HeldOn, in.Minutes = strings.TrimSpace(in.Title), strings.TrimSpace(in.PlannedOn), strings.TrimSpace(in.HeldOn), strings.TrimSpace(in.Minutes)
	if in.IntervalMonths == 0 {
		in.IntervalMonths = 12
	}
	ds := in.Decisions[:0:0]
	for _, d := range in.Decisions {
		if d = strings.TrimSpace(d); d != "" {
			ds = append(ds, d)
		}
	}
	in.Decisions = ds
	slices.Sort(in.AttendeeIDs)
	in.AttendeeIDs = slices.Compact(in.AttendeeIDs)
}

// Validate checks every field.
func (in ReviewInput) Validate() error {
	var c errs.Checker
	switch {
	case in.Title == "":
		c.Add("title", "is required")
	case utf8.RuneCountInString(in.Title) > 200 || strings.ContainsAny(in.Title, "\x00\r\n"):
		c.Add("title", "must be a single line of at most 200 characters")
	}
	if in.PlannedOn == "" {
		c.Add("planned_on", "is required: the day the review is planned for")
	} else {
		c.Check(isReviewDay(in.PlannedOn), "planned_on", "must be a date such as 2027-01-31")
	}
	if in.HeldOn != "" {
		c.Check(isReviewDay(in.HeldOn), "held_on", "must be a date such as 2027-01-31")
	}
	c.Check(in.ChairID > 0, "chair_id", "is required: choose who chairs the review, from top management or the SMS managers")
	c.Check(in.IntervalMonths >= 1 && in.IntervalMonths <= 24, "interval_months", "must be a whole number of months from 1 to 24")
	c.Check(utf8.RuneCountInString(in.Minutes) <= 20000 && !strings.ContainsRune(in.Minutes, 0), "minutes", "must be at most 20000 characters")
	for _, d := range in.Decisions {
		if utf8.RuneCountInString(d) > 500 || strings.ContainsAny(d, "\x00\r\n") {
			c.Add("decisions", "must each be a single line of at most 500 characters")
			break
		}
	}
	c.Check(len(in.Decisions) <= 50, "decisions", "must be at most 50")
	for _, id := range in.AttendeeIDs {
		if id <= 0 {
			c.Add("attendee_ids", "must name users by their ids")
			break
		}
	}
	return c.Err()
}

// Set puts the input into the review.
func (in ReviewInput) Set(r *ManagementReview) {
	r.Title, r.PlannedOn, r.HeldOn, r.Minutes, r.ChairID, r.IntervalMonths = in.Title, in.PlannedOn, in.HeldOn, in.Minutes, in.ChairID, in.IntervalMonths
	r.AttendeeIDs, r.Decisions = slices.Clone(in.AttendeeIDs), slices.Clone(in.Decisions)
	if r.AttendeeIDs == nil {
		r.AttendeeIDs = []int64{}
	}
	if r.Decisions == nil {
		r.Decisions = []string{}
	}
}

// ReviewUpdate changes a review; nil fields stay as they are. Pack is
// there to be refused: the pack is assembled by preparing the review,
// and frozen once it is held.
type ReviewUpdate struct {
	Title, PlannedOn, HeldOn, Minutes *string
	ChairID, IntervalMonths           *int64
	AttendeeIDs                       *[]int64
	Decisions                         *[]string
	Pack                              *string
}

// Apply returns r with the update applied, as the input it must pass, or
// the refusal of a change the review's state no longer allows, naming
// the field.
func (up ReviewUpdate) Apply(r ManagementReview) (ReviewInput, error) {
	in := ReviewInput{Title: r.Title, PlannedOn: r.PlannedOn, HeldOn: r.HeldOn, Minutes: r.Minutes, ChairID: r.ChairID, IntervalMonths: r.IntervalMonths,
		AttendeeIDs: slices.Clone(r.AttendeeIDs), Decisions: slices.Clone(r.Decisions)}
	switch {
	case up.Pack != nil && r.Frozen():
		return in, errs.Field("pack", fmt.Sprintf("is frozen since the review was held on %s (SHA-256 %s); it is never changed or recomputed", r.HeldOn, shortHash(r.PackHash)))
	case up.Pack != nil:
		return in, errs.Field("pack", "is assembled from the live records by preparing the review, never written by hand")
	case r.State == "approved":
		return in, errs.E(errs.Conflict, "the minutes of %s are approved: the review no longer changes", ManagementReviewKind.Number(r.ID))
	case r.State == "cancelled":
		return in, errs.E(errs.Conflict, "%s is cancelled and no longer changes", ManagementReviewKind.Number(r.ID))
	case r.Frozen() && up.HeldOn != nil && *up.HeldOn != r.HeldOn:
		return in, errs.Field("held_on", "is fixed once the review is held, as its input pack is frozen as of that day")
	case r.Frozen() && up.PlannedOn != nil && *up.PlannedOn != r.PlannedOn:
		return in, errs.Field("planned_on", "is fixed once the review is held")
	case !r.Frozen() && up.HeldOn != nil && strings.TrimSpace(*up.HeldOn) != "":
		return in, errs.Field("held_on", "is set by holding the review, once it is prepared")
	}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.PlannedOn: up.PlannedOn, &in.HeldOn: up.HeldOn, &in.Minutes: up.Minutes} {
		if src != nil {
			*dst = *src
		}
	}
	if up.ChairID != nil {
		in.ChairID = *up.ChairID
	}
	if up.IntervalMonths != nil {
		in.IntervalMonths = *up.IntervalMonths
	}
	if up.AttendeeIDs != nil {
		in.AttendeeIDs = slices.Clone(*up.AttendeeIDs)
	}
	if up.Decisions != nil {
		in.Decisions = slices.Clone(*up.Decisions)
	}
	return in, nil
}

// CanPrepare refuses to (re)assemble the pack of a review that is held,
// approved or cancelled.
func (r ManagementReview) CanPrepare() error {
	if r.State != "planned" && r.State != "prepared" {
		return errs.Field("state", fmt.Sprintf("is %s: only a planned or prepared review has its input pack assembled", r.State))
	}
	return nil
}

// CanHold refuses to hold a review that is not prepared, or on a day out
// of order: before its pack was assembled, or after today.
func (r ManagementReview) CanHold(heldOn, today string) error {
	var c errs.Checker
	if r.State != "prepared" {
		c.Add("state", fmt.Sprintf("is %s: prepare the review first, so that it is held with its input pack", r.State))
	}
	switch {
	case heldOn == "":
		c.Add("held_on", "is required: the day the review was held")
	case !isReviewDay(heldOn):
		c.Add("held_on", "must be a date such as 2027-01-31")
	case heldOn > today:
		c.Add("held_on", "must not be in the future")
	case r.PreparedOn != "" && heldOn < r.PreparedOn:
		c.Add("held_on", fmt.Sprintf("is before %s, the day the input pack was assembled", r.PreparedOn))
	}
	return c.Err()
}

// CanApprove refuses to approve the minutes of a review not held, or
// held without minutes.
func (r ManagementReview) CanApprove() error {
	if r.State != "held" {
		return errs.Field("state", fmt.Sprintf("is %s: only the minutes of a held review are approved", r.State))
	}
	if strings.TrimSpace(r.Minutes) == "" {
		return errs.Field("minutes", "are empty: record the minutes before approving them")
	}
	return nil
}

// CanCancel refuses to cancel a review that has been held.
func (r ManagementReview) CanCancel() error {
	if r.State != "planned" && r.State != "prepared" {
		return errs.Field("state", fmt.Sprintf("is %s: only a review not yet held can be cancelled", r.State))
	}
	return nil
}

func shortHash(hash string) string {
	if len(hash) > 12 {
		return hash[:12] + "…"
	}
	return hash
}

func isReviewDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
