package sms

// The certification journey: the stages an organisation goes through to
// be ready for its certification audit, in the order a certification
// guide walks them, each with checks computed from live records.

// JourneyCheck is one thing a stage needs, with how far it is.
type JourneyCheck struct {
	Label string // "Scope approved", "Required documents approved"
	// Have of Want: a count ("12 of 19"), or for a yes-or-no check (Want
	// 0) Have 1 for yes.
	Have, Want int
	// Percent shows the figure as a percentage of Want, not "Have of Want".
	Percent bool
	// Info is shown, but does not hold the stage back.
	Info bool
	Href string // where to see it, or do it
	Help string // what it means and why it matters
}

// Done reports whether the check is met.
func (c JourneyCheck) Done() bool {
	if c.Want == 0 {
		return c.Have > 0
	}
	return c.Have >= c.Want
}

// JourneyStage is one stage of the journey.
type JourneyStage struct {
	Key, Title, About string
	Checks            []JourneyCheck
	// Next is the next thing to do in this stage, with where to do it.
	Next, NextHref string
}

// Stage states.
const (
	StageNotStarted = "not_started"
	StageUnderWay   = "under_way"
	StageDone       = "done"
)

// State is done when every check that holds the stage back is met, under
// way when any check has made a start, and otherwise not started.
func (s JourneyStage) State() string {
	done, started, counted := true, false, 0
	for _, c := range s.Checks {
		if c.Info {
			continue
		}
		counted++
		if !c.Done() {
			done = false
		}
		if c.Have > 0 {
			started = true
		}
	}
	switch {
	case counted > 0 && done:
		return StageDone
	case started:
		return StageUnderWay
	}
	return StageNotStarted
}

// Blockers are the checks that hold the stage back.
func (s JourneyStage) Blockers() []JourneyCheck {
	var out []JourneyCheck
	for _, c := range s.Checks {
		if !c.Info && !c.Done() {
			out = append(out, c)
		}
	}
	return out
}

// Journey is the stages, in order.
type Journey struct {
	Stages []JourneyStage
}

// Done counts the stages done.
func (j Journey) Done() int {
	n := 0
	for _, s := range j.Stages {
		if s.State() == StageDone {
			n++
		}
	}
	return n
}

// Current is the first stage not done (len(Stages) when all are).
func (j Journey) Current() int {
	for i, s := range j.Stages {
		if s.State() != StageDone {
			return i
		}
	}
	return len(j.Stages)
}

// Ready reports whether every stage is done: the SMS is ready for its
// stage 1 audit.
func (j Journey) Ready() bool { return len(j.Stages) > 0 && j.Current() == len(j.Stages) }
