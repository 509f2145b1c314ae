package assurance

// Dashboard is what top management sees of the SMS and its
// certification at a glance, each figure read from the records and
// leading to them.
type Dashboard struct {
	Today string
	// Readiness is the latest assessment's overall readiness, in percent;
	// Assessed is false when there is none yet.
	Readiness  int
	Assessed   bool
	AssessHref string
	// Trend is the readiness of the latest assessments, oldest first.
	Trend []TrendPoint
	// Nonconformities open, by severity ("major", "minor") and age.
	NCs    map[string]AgeBuckets
	NCHref string
	// Overdue actions, and all open ones.
	OverdueActions, OpenActions int
	// Coverage of the current audit programme: requirements audited of
	// all; ProgrammeID 0 when there is no programme.
	ProgrammeID              int64
	ProgrammeTitle           string
	Audited, Requirements    int
	DocumentsOverdue         int
	DocumentsDueSoon         int
	TrainingHeld, TrainingOf int
	// Next is the next certification event; NextDay "" when none.
	Next NextEvent
}

// TrendPoint is one assessment's readiness.
type TrendPoint struct {
	AssessmentID int64
	Title, Day   string
	Percent      int
}

// AgeBuckets count open nonconformities by how long they have been open.
type AgeBuckets struct{ Under30, Under90, Older int }

// Total is every open one.
func (b AgeBuckets) Total() int { return b.Under30 + b.Under90 + b.Older }

// NextEvent is the next thing in the certification cycle.
type NextEvent struct {
	What, Day, Href string
	Days            int // from today
}

// DocumentsDueDays is how far ahead the dashboard counts documents due
// for review.
const DocumentsDueDays = 30
