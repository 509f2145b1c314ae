package sms

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Risk is one entry of the register of risks and opportunities (clause
// 6.1): something that could go wrong for the SMS or the services (a
// risk), or could go better (an opportunity), rated on the scales before
// and after its treatment.
type Risk struct {
	record.Meta
	Title       string `json:"title"`
	Description string `json:"description"`
	Category    string `json:"category"`
	// Kind is "risk" or "opportunity".
	Kind           string  `json:"kind"`
	ServiceIDs     []int64 `json:"service_ids"`
	RequirementIDs []int64 `json:"requirement_ids"`
	OwnerID        int64   `json:"owner_id"`
	// Likelihood and Impact are levels of the scales (1 the lowest),
	// before any treatment: the inherent rating.
	Likelihood int64 `json:"likelihood"`
	Impact     int64 `json:"impact"`
	// ResidualLikelihood and ResidualImpact are the rating expected once
	// the treatment is in place.
	ResidualLikelihood int64  `json:"residual_likelihood"`
	ResidualImpact     int64  `json:"residual_impact"`
	Treatment          string `json:"treatment"`
	// AcceptedBy is who accepted the risk as it stands (nil: nobody yet),
	// AcceptedOn the day they did ("" with nobody).
	AcceptedBy *int64 `json:"accepted_by"`
	AcceptedOn string `json:"accepted_on"`
	// ReviewOn is the day the risk is to be looked at again; "" for none.
	ReviewOn string `json:"review_on"`
	State    string `json:"state"`
}

// RiskCategories group the risks.
var RiskCategories = []Code{
	{"service", "Service delivery"},
	{"supplier", "Supplier"},
	{"security", "Information security"},
	{"continuity", "Continuity"},
	{"capacity", "Capacity and performance"},
	{"compliance", "Legal and compliance"},
	{"people", "People and skills"},
	{"other", "Other"},
}

// RiskKinds say whether an entry threatens or promises.
var RiskKinds = []Code{{"risk", "Risk"}, {"opportunity", "Opportunity"}}

// RiskTreatments are what is done about a risk.
var RiskTreatments = []Code{{"mitigate", "Mitigate"}, {"accept", "Accept"}, {"transfer", "Transfer"}, {"avoid", "Avoid"}}

// RiskStates are a risk's states.
var RiskStates = []Code{{"open", "Open"}, {"closed", "Closed"}}

// RiskBands name the ranges of a score, lowest first.
var RiskBands = []Code{{"low", "Low"}, {"medium", "Medium"}, {"high", "High"}, {"critical", "Critical"}}

// Help texts on the register's fields, shared by the declaration and the
// pages.
const (
	RiskInherentHelp  = "How likely it is and how much it would matter today, with the controls already in place but before the treatment chosen here."
	RiskResidualHelp  = "The rating expected once the treatment is in place: what is left of the risk. It is never above the inherent rating; for an opportunity, treatment may raise it."
	RiskAcceptedHelp  = "Accepting a risk is a management decision to live with it as it stands, recorded with who took it and when. Required when the treatment is accept; it may also record the acceptance of what is left after another treatment."
	RiskTreatmentHelp = "Mitigate: act to lower the likelihood or the impact; accept: live with it, with a named person's acceptance; transfer: hand it to another party, such as an insurer or a supplier; avoid: stop what causes it."
	RiskReviewHelp    = "The day the risk is to be looked at again; past it, an open risk is flagged as overdue for review."
)

// RiskScore is a rating's score: likelihood times impact.
func RiskScore(likelihood, impact int64) int64 { return likelihood * impact }

// InherentScore is the risk's score before treatment.
func (r Risk) InherentScore() int64 { return RiskScore(r.Likelihood, r.Impact) }

// ResidualScore is the risk's score once treated.
func (r Risk) ResidualScore() int64 { return RiskScore(r.ResidualLikelihood, r.ResidualImpact) }

// ReviewOverdue reports whether an open risk is past its review day.
func (r Risk) ReviewOverdue(today string) bool {
	return r.State == "open" && r.ReviewOn != "" && r.ReviewOn < today
}

// RiskLevel is one step of a scale.
type RiskLevel struct {
	Label       string `json:"label"`
	Description string `json:"description"`
}

// RiskScales are the likelihood and impact scales every risk is rated on,
// and the bands of the scores: one record for the whole register.
type RiskScales struct {
	record.Meta
	Likelihood []RiskLevel `json:"likelihood"`
	Impact     []RiskLevel `json:"impact"`
	// MediumFrom, HighFrom and CriticalFrom are the lowest scores of the
	// medium, high and critical bands; below MediumFrom a score is low.
	MediumFrom   int64 `json:"medium_from"`
	HighFrom     int64 `json:"high_from"`
	CriticalFrom int64 `json:"critical_from"`
}

// MinRiskLevels and MaxRiskLevels bound the length of a scale.
const (
	MinRiskLevels = 3
	MaxRiskLevels = 5
)

// DefaultRiskScales are the scales the register starts with: five levels
// each, bands at 5, 10 and 17.
func DefaultRiskScales() RiskScales {
	return RiskScales{
		Likelihood: []RiskLevel{
			{"Rare", "Could happen only in exceptional circumstances; not expected within five years."},
			{"Unlikely", "Could happen, but not expected within a year."},
			{"Possible", "Might well happen within a year."},
			{"Likely", "Expected to happen within a year, perhaps more than once."},
			{"Almost certain", "Happens often or is happening now."},
		},
		Impact: []RiskLevel{
			{"Negligible", "Hardly noticed by customers; handled within normal work."},
			{"Minor", "Some users affected briefly; no agreed target missed."},
			{"Moderate", "A service degraded or a service level target missed; customers notice."},
			{"Major", "A service down for many customers, a serious breach of agreement or of law."},
			{"Severe", "Lasting harm to customers, to the organisation's standing or to its certification."},
		},
		MediumFrom: 5, HighFrom: 10, CriticalFrom: 17,
	}
}

// MaxScore is the highest score the scales allow.
func (s RiskScales) MaxScore() int64 { return int64(len(s.Likelihood) * len(s.Impact)) }

// Band is the band a score falls in.
func (s RiskScales) Band(score int64) string {
	switch {
	case score >= s.CriticalFrom:
		return "critical"
	case score >= s.HighFrom:
		return "high"
	case score >= s.MediumFrom:
		return "medium"
	}
	return "low"
}

// BandRange is the lowest and highest score of a band; ok is false for a
// band that does not exist.
func (s RiskScales) BandRange(band string) (lo, hi int64, ok bool) {
	switch band {
	case "low":
		return 1, s.MediumFrom - 1, true
	case "medium":
		return s.MediumFrom, s.HighFrom - 1, true
	case "high":
		return s.HighFrom, s.CriticalFrom - 1, true
	case "critical":
		return s.CriticalFrom, s.MaxScore(), true
	}
	return 0, 0, false
}

// RiskLevelLabel is a level's label, with its number ("3 · Possible").
func RiskLevelLabel(levels []RiskLevel, n int64) string {
	if n < 1 || n > int64(len(levels)) {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d · %s", n, levels[n-1].Label)
}

// RiskScalesInput is what the scales are made of, whole.
type RiskScalesInput struct {
	Likelihood, Impact                 []RiskLevel
	MediumFrom, HighFrom, CriticalFrom int64
}

// Normalize trims the labels and descriptions.
func (in *RiskScalesInput) Normalize() {
	for _, l := range []*[]RiskLevel{&in.Likelihood, &in.Impact} {
		levels := slices.Clone(*l)
		for i := range levels {
			levels[i].Label, levels[i].Description = strings.TrimSpace(levels[i].Label), strings.TrimSpace(levels[i].Description)
		}
		*l = levels
	}
}

// Validate checks both scales and the bands.
func (in RiskScalesInput) Validate() error {
	var c errs.Checker
	for _, sc := range []struct {
		name   string
		levels []RiskLevel
	}{{"likelihood", in.Likelihood}, {"impact", in.Impact}} {
		if n := len(sc.levels); n < MinRiskLevels || n > MaxRiskLevels {
			c.Add(sc.name, fmt.Sprintf("must have from %d to %d levels", MinRiskLevels, MaxRiskLevels))
			continue
		}
		seen := map[string]bool{}
		for i, l := range sc.levels {
			switch {
			case l.Label == "":
				c.Add(sc.name, fmt.Sprintf("level %d needs a label", i+1))
			case utf8.RuneCountInString(l.Label) > 40 || strings.ContainsAny(l.Label, "\x00\r\n"):
				c.Add(sc.name, fmt.Sprintf("level %d: the label must be a single line of at most 40 characters", i+1))
			case seen[strings.ToLower(l.Label)]:
				c.Add(sc.name, fmt.Sprintf("level %d: the label %q is used by another level", i+1, l.Label))
			}
			seen[strings.ToLower(l.Label)] = true
			if utf8.RuneCountInString(l.Description) > 300 || strings.ContainsRune(l.Description, 0) {
				c.Add(sc.name, fmt.Sprintf("level %d: the description must be at most 300 characters", i+1))
			}
		}
	}
	max := int64(len(in.Likelihood) * len(in.Impact))
	c.Check(in.MediumFrom > 1, "medium_from", "must be above 1, so that the low band holds a score")
	c.Check(in.HighFrom > in.MediumFrom, "high_from", "must be above where the medium band starts")
	c.Check(in.CriticalFrom > in.HighFrom, "critical_from", "must be above where the high band starts")
	c.Check(in.CriticalFrom <= max, "critical_from", fmt.Sprintf("must be at most %d, the highest score the scales allow", max))
	return c.Err()
}

// Set puts the input into the scales.
func (in RiskScalesInput) Set(s *RiskScales) {
	s.Likelihood, s.Impact = slices.Clone(in.Likelihood), slices.Clone(in.Impact)
	s.MediumFrom, s.HighFrom, s.CriticalFrom = in.MediumFrom, in.HighFrom, in.CriticalFrom
}

// Input is the scales as an input, to change some of it.
func (s RiskScales) Input() RiskScalesInput {
	return RiskScalesInput{Likelihood: slices.Clone(s.Likelihood), Impact: slices.Clone(s.Impact),
		MediumFrom: s.MediumFrom, HighFrom: s.HighFrom, CriticalFrom: s.CriticalFrom}
}

// RiskInput is what a risk is made of, whole.
type RiskInput struct {
	Title, Description, Category, Kind, Treatment, AcceptedOn, ReviewOn, State string
	OwnerID                                                                    int64
	AcceptedBy                                                                 *int64
	Likelihood, Impact, ResidualLikelihood, ResidualImpact                     int64
	ServiceIDs, RequirementIDs                                                 []int64
}

// Normalize trims the input, fills the defaults and puts the lists in
// order. A residual rating left out (0) is the inherent one: nothing
// treated yet.
func (in *RiskInput) Normalize() {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	in.AcceptedOn, in.ReviewOn = strings.TrimSpace(in.AcceptedOn), strings.TrimSpace(in.ReviewOn)
	if in.Kind == "" {
		in.Kind = "risk"
	}
	if in.Treatment == "" {
		in.Treatment = "mitigate"
	}
	if in.State == "" {
		in.State = "open"
	}
	if in.AcceptedBy != nil && *in.AcceptedBy == 0 {
		in.AcceptedBy = nil
	}
	if in.ResidualLikelihood == 0 {
		in.ResidualLikelihood = in.Likelihood
	}
	if in.ResidualImpact == 0 {
		in.ResidualImpact = in.Impact
	}
	for _, l := range []*[]int64{&in.ServiceIDs, &in.RequirementIDs} {
		s := slices.Clone(*l)
		slices.Sort(s)
		*l = slices.Compact(s)
		if *l == nil {
			*l = []int64{}
		}
	}
}

// Validate checks every field against the scales in force; today is the
// day it is now ("2006-01-02"), as an acceptance cannot be dated later.
func (in RiskInput) Validate(s RiskScales, today string) error {
	var c errs.Checker
	switch {
	case in.Title == "":
		c.Add("title", "is required: say in a line what could happen")
	case utf8.RuneCountInString(in.Title) > 200 || strings.ContainsAny(in.Title, "\x00\r\n"):
		c.Add("title", "must be a single line of at most 200 characters")
	}
	c.Check(utf8.RuneCountInString(in.Description) <= 4000 && !strings.ContainsRune(in.Description, 0), "description", "must be at most 4000 characters")
	c.Check(known(RiskCategories, in.Category), "category", "must be one of "+codeList(RiskCategories))
	c.Check(known(RiskKinds, in.Kind), "kind", "must be risk or opportunity")
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who answers for the risk")
	nl, ni := int64(len(s.Likelihood)), int64(len(s.Impact))
	level := func(field string, v, n int64, scale string) bool {
		ok := v >= 1 && v <= n
		c.Check(ok, field, fmt.Sprintf("must be a level of the %s scale, from 1 to %d", scale, n))
		return ok
	}
	okL, okI := level("likelihood", in.Likelihood, nl, "likelihood"), level("impact", in.Impact, ni, "impact")
	okRL, okRI := level("residual_likelihood", in.ResidualLikelihood, nl, "likelihood"), level("residual_impact", in.ResidualImpact, ni, "impact")
	if in.Kind == "risk" {
		c.Check(!okL || !okRL || in.ResidualLikelihood <= in.Likelihood, "residual_likelihood",
			"may not be above the inherent likelihood: a treatment does not make a risk more likely")
		c.Check(!okI || !okRI || in.ResidualImpact <= in.Impact, "residual_impact",
			"may not be above the inherent impact: a treatment does not make a risk worse")
	}
	c.Check(known(RiskTreatments, in.Treatment), "treatment", "must be mitigate, accept, transfer or avoid")
	c.Check(known(RiskStates, in.State), "state", "must be open or closed")
	switch {
	case in.AcceptedBy == nil && in.Treatment == "accept":
		c.Add("accepted_by", "is required when the treatment is accept: name who accepted the risk")
	case in.AcceptedBy == nil && in.AcceptedOn != "":
		c.Add("accepted_by", "is required with an acceptance day: name who accepted the risk")
	case in.AcceptedBy != nil && *in.AcceptedBy < 0:
		c.Add("accepted_by", "must name a user")
	}
	if in.AcceptedOn == "" {
		c.Check(in.AcceptedBy == nil, "accepted_on", "is required with an acceptor: the day the risk was accepted")
	} else if _, err := time.Parse(time.DateOnly, in.AcceptedOn); err != nil {
		c.Add("accepted_on", "must be a date such as 2027-01-31")
	} else {
		c.Check(in.AcceptedOn <= today, "accepted_on", "must not be in the future")
	}
	if in.ReviewOn != "" {
		_, err := time.Parse(time.DateOnly, in.ReviewOn)
		c.Check(err == nil, "review_on", "must be a date such as 2027-01-31")
	}
	for _, l := range []struct {
		name string
		ids  []int64
	}{{"service_ids", in.ServiceIDs}, {"requirement_ids", in.RequirementIDs}} {
		if slices.ContainsFunc(l.ids, func(id int64) bool { return id <= 0 }) {
			c.Add(l.name, "must hold record ids, each above 0")
		}
		c.Check(len(l.ids) <= 100, l.name, "may name at most 100 records")
	}
	return c.Err()
}

// Set puts the input into the risk.
func (in RiskInput) Set(r *Risk) {
	r.Title, r.Description, r.Category, r.Kind, r.Treatment, r.State = in.Title, in.Description, in.Category, in.Kind, in.Treatment, in.State
	r.OwnerID, r.AcceptedBy, r.AcceptedOn, r.ReviewOn = in.OwnerID, in.AcceptedBy, in.AcceptedOn, in.ReviewOn
	r.Likelihood, r.Impact, r.ResidualLikelihood, r.ResidualImpact = in.Likelihood, in.Impact, in.ResidualLikelihood, in.ResidualImpact
	r.ServiceIDs, r.RequirementIDs = slices.Clone(in.ServiceIDs), slices.Clone(in.RequirementIDs)
}

// RiskUpdate changes a risk; nil fields stay as they are. An acceptor of
// 0 takes the acceptance away (with an empty accepted_on).
type RiskUpdate struct {
	Title, Description, Category, Kind, Treatment, AcceptedOn, ReviewOn, State *string
	OwnerID, AcceptedBy                                                        *int64
	Likelihood, Impact, ResidualLikelihood, ResidualImpact                     *int64
	ServiceIDs, RequirementIDs                                                 *[]int64
}

// Apply returns r with the update applied, as the input it must pass.
func (up RiskUpdate) Apply(r Risk) RiskInput {
	in := RiskInput{Title: r.Title, Description: r.Description, Category: r.Category, Kind: r.Kind, Treatment: r.Treatment,
		AcceptedOn: r.AcceptedOn, ReviewOn: r.ReviewOn, State: r.State, OwnerID: r.OwnerID, AcceptedBy: r.AcceptedBy,
		Likelihood: r.Likelihood, Impact: r.Impact, ResidualLikelihood: r.ResidualLikelihood, ResidualImpact: r.ResidualImpact,
		ServiceIDs: r.ServiceIDs, RequirementIDs: r.RequirementIDs}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.Description: up.Description, &in.Category: up.Category, &in.Kind: up.Kind,
		&in.Treatment: up.Treatment, &in.AcceptedOn: up.AcceptedOn, &in.ReviewOn: up.ReviewOn, &in.State: up.State} {
		if src != nil {
			*dst = *src
		}
	}
	for dst, src := range map[*int64]*int64{&in.OwnerID: up.OwnerID, &in.Likelihood: up.Likelihood, &in.Impact: up.Impact,
		&in.ResidualLikelihood: up.ResidualLikelihood, &in.ResidualImpact: up.ResidualImpact} {
		if src != nil {
			*dst = *src
		}
	}
	if up.AcceptedBy != nil {
		by := *up.AcceptedBy
		in.AcceptedBy = &by
	}
	for dst, src := range map[*[]int64]*[]int64{&in.ServiceIDs: up.ServiceIDs, &in.RequirementIDs: up.RequirementIDs} {
		if src != nil {
			*dst = *src
		}
	}
	return in
}
