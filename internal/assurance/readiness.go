package assurance

import (
	"fmt"
	"strings"
)

// Readiness answers "could we pass the stage 1 audit today?": a list of
// checks, each read from live records, passing or failing with what
// fails and where to put it right.
type Readiness struct {
	Checks []ReadinessCheck
	Today  string // the day it was read, "2006-01-02"
}

// ReadinessCheck is one thing the stage 1 audit looks at.
type ReadinessCheck struct {
	Key   string // stable, for the API: "scope", "documents" ...
	Label string // "Scope approved"
	Help  string // why the auditor looks at it
	Pass  bool
	// Details say where it stands, in words and figures, a sentence
	// each: "17 of 19 required documents approved.", "Missing: ...".
	Details []Phrase
	// Href is where to see it; Fix, when it fails, what to do there.
	Href, Fix string
}

// Phrase is a sentence with figures or names in it: a format for the
// message catalogue ("%d of %d required documents approved.") and its
// arguments, so a page says it in the reader's language. An argument
// that is a list of strings is written as one, comma-separated.
type Phrase struct {
	Format string
	Args   []any
}

// Say adds a sentence to the check's details.
func (c *ReadinessCheck) Say(format string, args ...any) {
	c.Details = append(c.Details, Phrase{Format: format, Args: args})
}

// Detail is the details in English, one sentence after another.
func (c ReadinessCheck) Detail() string {
	var b strings.Builder
	for i, p := range c.Details {
		if i > 0 {
			b.WriteByte(' ')
		}
		args := make([]any, len(p.Args))
		for i, a := range p.Args {
			if list, ok := a.([]string); ok {
				a = strings.Join(list, ", ")
			}
			args[i] = a
		}
		fmt.Fprintf(&b, p.Format, args...)
	}
	return b.String()
}

// Ready reports whether every check passes.
func (r Readiness) Ready() bool {
	for _, c := range r.Checks {
		if !c.Pass {
			return false
		}
	}
	return len(r.Checks) > 0
}

// Passed counts the checks that pass.
func (r Readiness) Passed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Pass {
			n++
		}
	}
	return n
}

// The thresholds the checks hold the records to (docs/readiness.md).
const (
	// ClauseThreshold is the readiness, in percent, every top-level
	// clause must reach in the latest assessment.
	ClauseThreshold = 80
	// TrainingThreshold is the training coverage, in percent, the SMS
	// must reach.
	TrainingThreshold = 90
)
