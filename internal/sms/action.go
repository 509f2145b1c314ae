package sms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Action is one thing to do in the management system, whatever asked for
// it: a gap in an assessment, a risk's treatment, a step of the plan, an
// objective (and later audit findings, nonconformities, reviews). One kind
// for all, so that "my actions" and "overdue" are one list.
type Action struct {
	record.Meta
	Title       string `json:"title"`
	Description string `json:"description"`
	OwnerID     int64  `json:"owner_id"`
	// StartOn is the day work starts, "2006-01-02"; "" for not planned
	// (the timeline then starts it on the day it was made).
	StartOn string `json:"start_on"`
	// DueOn is the day it is due, "2006-01-02"; "" for none.
	DueOn string `json:"due_on"`
	// Progress is how much is done, in per cent: 100 when done.
	Progress int64 `json:"progress"`
	// DependsOn are the actions this one waits for, by id.
	DependsOn []int64 `json:"depends_on"`
	State     string  `json:"state"`
	Priority  string  `json:"priority"`
	// Source says what asked for the action; SourceID, for a source that
	// is a record, which one: of the kind ActionSources names for it (the
	// requirement of a gap, the risk a treatment is for).
	Source   string `json:"source"`
	SourceID int64  `json:"source_id"`
}

// A code with its label, for states, priorities and sources.
type Code struct{ Code, Label string }

// ActionStates are an action's states, in the order it goes through them.
var ActionStates = []Code{{"open", "Open"}, {"in_progress", "In progress"}, {"done", "Done"}, {"cancelled", "Cancelled"}}

// Priorities rank actions.
var Priorities = []Code{{"low", "Low"}, {"medium", "Medium"}, {"high", "High"}}

// ActionSource is one thing that may ask for an action. Entity, when set,
// is the kind of record the action's SourceID then names, required; a
// source without one names no record.
type ActionSource struct{ Code, Label, Entity string }

// ActionSources are what may ask for an action, in the order forms offer
// them. Adding a source, or a record kind to one, is adding or changing
// its line: validation, the API's enumeration, the pages and the record's
// list of its actions read it from here.
var ActionSources = []ActionSource{
	{"plan", "Implementation plan", ""},
	{"gap", "Gap against a requirement", "requirement"},
	{"risk", "Risk treatment", "risk"},
	{"objective", "Objective", ""},
	{"nonconformity", "Nonconformity", "nonconformity"},
	{"review", "Management review", "management_review"},
	{"improvement", "Improvement", "improvement"},
	{"other", "Other", ""},
}

// SourceCodes are the sources' codes with their labels.
func SourceCodes() []Code {
	out := make([]Code, len(ActionSources))
	for i, s := range ActionSources {
		out[i] = Code{s.Code, s.Label}
	}
	return out
}

// SourceOf returns the source of a code.
func SourceOf(code string) (ActionSource, bool) {
	for _, s := range ActionSources {
		if s.Code == code {
			return s, true
		}
	}
	return ActionSource{}, false
}

// SourceFor returns the source whose records are of entity.
func SourceFor(entity string) (ActionSource, bool) {
	for _, s := range ActionSources {
		if s.Entity != "" && s.Entity == entity {
			return s, true
		}
	}
	return ActionSource{}, false
}

// Closed reports whether the action needs nothing more.
func (a Action) Closed() bool { return a.State == "done" || a.State == "cancelled" }

// Overdue reports whether the action is open past its due day.
func (a Action) Overdue(today string) bool { return !a.Closed() && a.DueOn != "" && a.DueOn < today }

// ActionInput is what an action is made of, whole (create, or a form's
// save); ActionUpdate changes some of it.
type ActionInput struct {
	Title, Description, DueOn, State, Priority, Source string
	OwnerID, SourceID                                  int64
	StartOn                                            string
	Progress                                           int64
	DependsOn                                          []int64
}

// Normalize trims the input and fills the defaults.
func (in *ActionInput) Normalize() {
	in.Title, in.Description, in.DueOn = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), strings.TrimSpace(in.DueOn)
	in.StartOn = strings.TrimSpace(in.StartOn)
	if in.State == "" {
		in.State = "open"
	}
	if in.Priority == "" {
		in.Priority = "medium"
	}
	if in.Source == "" {
		in.Source = "plan"
	}
	// Done is all done.
	if in.State == "done" {
		in.Progress = 100
	}
	in.DependsOn = normalizeIDs(in.DependsOn)
}

// Validate checks every field.
func (in ActionInput) Validate() error {
	var c errs.Checker
	switch {
	case in.Title == "":
		c.Add("title", "is required")
	case utf8.RuneCountInString(in.Title) > 200 || strings.ContainsAny(in.Title, "\x00\r\n"):
		c.Add("title", "must be a single line of at most 200 characters")
	}
	c.Check(utf8.RuneCountInString(in.Description) <= 4000 && !strings.ContainsRune(in.Description, 0), "description", "must be at most 4000 characters")
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who will do it")
	startOK := true
	if in.StartOn != "" {
		_, err := time.Parse(time.DateOnly, in.StartOn)
		startOK = err == nil
		c.Check(startOK, "start_on", "must be a date such as 2027-01-31")
	}
	if in.DueOn != "" {
		_, err := time.Parse(time.DateOnly, in.DueOn)
		c.Check(err == nil, "due_on", "must be a date such as 2027-01-31")
		if err == nil && startOK && in.StartOn != "" && in.DueOn < in.StartOn {
			c.Add("due_on", "is before the start day")
		}
	}
	switch {
	case in.Progress < 0 || in.Progress > 100:
		c.Add("progress", "must be a whole number from 0 to 100")
	case in.Progress == 100 && (in.State == "open" || in.State == "in_progress"):
		c.Add("progress", "is 100 % only when the action is done: set its state to done, or give less")
	}
	for _, id := range in.DependsOn {
		if id <= 0 {
			c.Add("depends_on", "must name actions by their ids")
			break
		}
	}
	c.Check(known(ActionStates, in.State), "state", "must be open, in_progress, done or cancelled")
	c.Check(known(Priorities, in.Priority), "priority", "must be low, medium or high")
	if src, ok := SourceOf(in.Source); !ok {
		c.Add("source", "is not a known source")
	} else if src.Entity != "" {
		c.Check(in.SourceID > 0, "source_id", "is required: name the record the action comes from")
	} else {
		c.Check(in.SourceID == 0, "source_id", "must be empty: this source names no record")
	}
	return c.Err()
}

// ActionUpdate changes an action; nil fields stay as they are.
type ActionUpdate struct {
	Title, Description, DueOn, State, Priority, Source *string
	OwnerID, SourceID                                  *int64
	StartOn                                            *string
	Progress                                           *int64
	DependsOn                                          *[]int64
}

// Apply returns a with the update applied, as the input it must pass.
func (up ActionUpdate) Apply(a Action) ActionInput {
	in := ActionInput{a.Title, a.Description, a.DueOn, a.State, a.Priority, a.Source, a.OwnerID, a.SourceID, a.StartOn, a.Progress, slices.Clone(a.DependsOn)}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.Description: up.Description, &in.DueOn: up.DueOn, &in.State: up.State, &in.Priority: up.Priority, &in.Source: up.Source, &in.StartOn: up.StartOn} {
		if src != nil {
			*dst = *src
		}
	}
	if up.OwnerID != nil {
		in.OwnerID = *up.OwnerID
	}
	if up.SourceID != nil {
		in.SourceID = *up.SourceID
	}
	if up.DependsOn != nil {
		in.DependsOn = slices.Clone(*up.DependsOn)
	}
	switch {
	case up.Progress != nil:
		in.Progress = *up.Progress
	case a.State == "done" && in.State != "done" && in.State != "cancelled":
		// Reopened without a figure: not all done any more, so the
		// progress the action had before it was done is unknown.
		in.Progress = 0
	}
	return in
}

// Set puts the input into the action.
func (in ActionInput) Set(a *Action) {
	a.Title, a.Description, a.DueOn, a.State, a.Priority, a.Source, a.OwnerID, a.SourceID = in.Title, in.Description, in.DueOn, in.State, in.Priority, in.Source, in.OwnerID, in.SourceID
	a.StartOn, a.Progress, a.DependsOn = in.StartOn, in.Progress, slices.Clone(in.DependsOn)
	if a.DependsOn == nil {
		a.DependsOn = []int64{}
	}
}

func known(codes []Code, c string) bool {
	for _, k := range codes {
		if k.Code == c {
			return true
		}
	}
	return false
}

// Labels maps codes to their labels, for a kind's enumerated field.
func Labels(codes []Code) map[string]string {
	m := make(map[string]string, len(codes))
	for _, c := range codes {
		m[c.Code] = c.Label
	}
	return m
}
