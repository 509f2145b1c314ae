package sms

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Objective is one of the SMS's measurable objectives (clause 6.2): what
// the organisation means to achieve, how it is measured, and the target.
// Its values are recorded over time, each an ObjectiveValue.
type Objective struct {
	record.Meta
	Statement string `json:"statement"`
	OwnerID   int64  `json:"owner_id"`
	// Measure says what is measured and how ("share of incidents resolved
	// within the agreed time, from the incident records").
	Measure string  `json:"measure"`
	Unit    string  `json:"unit"`
	Target  float64 `json:"target"`
	// Direction says which way is better: "higher" (the target is a
	// floor) or "lower" (a ceiling).
	Direction string `json:"direction"`
	Frequency string `json:"frequency"`
	// Source is where its values come from: "manual" (recorded by people)
	// today; a live query over operational records later.
	Source string `json:"source"`
	Notes  string `json:"notes"`
}

// ObjectiveValue is one measurement of an objective on a day.
type ObjectiveValue struct {
	record.Meta
	ObjectiveID int64 `json:"objective_id"`
	// On is the day the value was measured for, "2006-01-02".
	On    string  `json:"on"`
	Value float64 `json:"value"`
	Note  string  `json:"note"`
}

// Directions say which way an objective's value is better.
var Directions = []Code{{"higher", "Higher is better"}, {"lower", "Lower is better"}}

// ObjectiveFrequencies say how often an objective is measured.
var ObjectiveFrequencies = []Code{{"weekly", "Weekly"}, {"monthly", "Monthly"}, {"quarterly", "Quarterly"}, {"yearly", "Yearly"}}

// ObjectiveSources say where an objective's values come from. Only
// manual values exist today; a live query over operational records is
// the next source.
var ObjectiveSources = []Code{{"manual", "Recorded by hand"}}

// Meets reports whether v meets the objective's target.
func (o Objective) Meets(v float64) bool {
	if o.Direction == "lower" {
		return v <= o.Target
	}
	return v >= o.Target
}

// Standing is where an objective stands by its latest value: "met",
// "missed" or "none" (no value yet).
func (o Objective) Standing(latest *ObjectiveValue) string {
	switch {
	case latest == nil:
		return "none"
	case o.Meets(latest.Value):
		return "met"
	}
	return "missed"
}

// FormatNumber writes a measured number as people read it: no exponent,
// no trailing zeros.
func FormatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// ParseNumber reads a number typed by a person, a decimal comma allowed.
func ParseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// ObjectiveInput is what an objective is made of, whole.
type ObjectiveInput struct {
	Statement, Measure, Unit, Direction, Frequency, Source, Notes string
	OwnerID                                                       int64
	Target                                                        float64
}

// Normalize trims the input and fills the defaults.
func (in *ObjectiveInput) Normalize() {
	in.Statement, in.Measure, in.Unit, in.Notes = strings.TrimSpace(in.Statement), strings.TrimSpace(in.Measure), strings.TrimSpace(in.Unit), strings.TrimSpace(in.Notes)
	if in.Direction == "" {
		in.Direction = "higher"
	}
	if in.Frequency == "" {
		in.Frequency = "monthly"
	}
	if in.Source == "" {
		in.Source = "manual"
	}
}

// Validate checks every field.
func (in ObjectiveInput) Validate() error {
	var c errs.Checker
	switch {
	case in.Statement == "":
		c.Add("statement", "is required: say what the SMS means to achieve")
	case utf8.RuneCountInString(in.Statement) > 300 || strings.ContainsAny(in.Statement, "\x00\r\n"):
		c.Add("statement", "must be a single line of at most 300 characters")
	}
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who answers for the objective")
	c.Check(in.Measure != "", "measure", "is required: say what is measured and how")
	c.Check(utf8.RuneCountInString(in.Measure) <= 1000 && !strings.ContainsRune(in.Measure, 0), "measure", "must be at most 1000 characters")
	c.Check(utf8.RuneCountInString(in.Unit) <= 30 && !strings.ContainsAny(in.Unit, "\x00\r\n"), "unit", "must be a single line of at most 30 characters, such as % or hours")
	c.Check(!math.IsNaN(in.Target) && !math.IsInf(in.Target, 0), "target", "must be a number")
	c.Check(known(Directions, in.Direction), "direction", "must be higher or lower")
	c.Check(known(ObjectiveFrequencies, in.Frequency), "frequency", "must be weekly, monthly, quarterly or yearly")
	c.Check(known(ObjectiveSources, in.Source), "source", "must be manual: values from a live query are not available yet")
	c.Check(utf8.RuneCountInString(in.Notes) <= 4000 && !strings.ContainsRune(in.Notes, 0), "notes", "must be at most 4000 characters")
	return c.Err()
}

// Set puts the input into the objective.
func (in ObjectiveInput) Set(o *Objective) {
	o.Statement, o.OwnerID, o.Measure, o.Unit, o.Target = in.Statement, in.OwnerID, in.Measure, in.Unit, in.Target
	o.Direction, o.Frequency, o.Source, o.Notes = in.Direction, in.Frequency, in.Source, in.Notes
}

// ObjectiveUpdate changes an objective; nil fields stay as they are.
type ObjectiveUpdate struct {
	Statement, Measure, Unit, Direction, Frequency, Source, Notes *string
	OwnerID                                                       *int64
	Target                                                        *float64
}

// Apply returns o with the update applied, as the input it must pass.
func (up ObjectiveUpdate) Apply(o Objective) ObjectiveInput {
	in := ObjectiveInput{Statement: o.Statement, Measure: o.Measure, Unit: o.Unit, Direction: o.Direction, Frequency: o.Frequency,
		Source: o.Source, Notes: o.Notes, OwnerID: o.OwnerID, Target: o.Target}
	for dst, src := range map[*string]*string{&in.Statement: up.Statement, &in.Measure: up.Measure, &in.Unit: up.Unit,
		&in.Direction: up.Direction, &in.Frequency: up.Frequency, &in.Source: up.Source, &in.Notes: up.Notes} {
		if src != nil {
			*dst = *src
		}
	}
	if up.OwnerID != nil {
		in.OwnerID = *up.OwnerID
	}
	if up.Target != nil {
		in.Target = *up.Target
	}
	return in
}

// ValueInput is what a value is made of, whole.
type ValueInput struct {
	ObjectiveID int64
	On, Note    string
	Value       float64
}

// Normalize trims the input.
func (in *ValueInput) Normalize() {
	in.On, in.Note = strings.TrimSpace(in.On), strings.TrimSpace(in.Note)
}

// Validate checks every field; today is the day it is now, "2006-01-02",
// as a value cannot be measured for a day still to come.
func (in ValueInput) Validate(today string) error {
	var c errs.Checker
	c.Check(in.ObjectiveID > 0, "objective_id", "is required: choose the objective measured")
	if in.On == "" {
		c.Add("on", "is required: the day the value was measured for")
	} else if _, err := time.Parse(time.DateOnly, in.On); err != nil {
		c.Add("on", "must be a date such as 2027-01-31")
	} else if in.On > today {
		c.Add("on", "must not be in the future")
	}
	c.Check(!math.IsNaN(in.Value) && !math.IsInf(in.Value, 0), "value", "must be a number")
	c.Check(utf8.RuneCountInString(in.Note) <= 1000 && !strings.ContainsRune(in.Note, 0), "note", "must be at most 1000 characters")
	return c.Err()
}

// Set puts the input into the value.
func (in ValueInput) Set(v *ObjectiveValue) {
	v.ObjectiveID, v.On, v.Value, v.Note = in.ObjectiveID, in.On, in.Value, in.Note
}

// ValueUpdate changes a value; its objective never changes.
type ValueUpdate struct {
	On, Note *string
	Value    *float64
}

// Apply returns v with the update applied, as the input it must pass.
func (up ValueUpdate) Apply(v ObjectiveValue) ValueInput {
	in := ValueInput{ObjectiveID: v.ObjectiveID, On: v.On, Note: v.Note, Value: v.Value}
	if up.On != nil {
		in.On = *up.On
	}
	if up.Note != nil {
		in.Note = *up.Note
	}
	if up.Value != nil {
		in.Value = *up.Value
	}
	return in
}
