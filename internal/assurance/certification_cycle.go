package assurance

import "time"

// The certification cycle, as certification bodies run it for ISO/IEC
// 20000-1 (ISO/IEC 17021-1, ISO/IEC 20000-6): a certificate is valid for
// three years from its cycle's start (the certification decision, or the
// old expiry for a renewal); a first surveillance audit no later than 12
// months after the start, a second in the next calendar year, and the
// recertification audit completed before expiry. Days are "2006-01-02"
// strings in UTC, as everywhere.

// ValidYears is how long a certificate is valid.
const ValidYears = 3

// RecertificationLeadMonths is how long before expiry the recertification
// audit is planned to be done by, so that the body can decide on the new
// certificate before the old one expires.
const RecertificationLeadMonths = 3

// DefaultReminderDays is how many days ahead of a planned audit's due day
// the SMS managers are reminded of it, unless the certificate says other.
const DefaultReminderDays = 60

// The types of planned audit in a cycle.
const (
	Surveillance1   = "surveillance_1"
	Surveillance2   = "surveillance_2"
	Recertification = "recertification"
	SpecialAudit    = "special"
)

// parseDay parses a day; ok is false for anything else.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func format(t time.Time) string { return t.Format(time.DateOnly) }

// AddMonths moves a day by n months, keeping the day of the month where
// the month has it and otherwise taking the month's last day (31 January
// plus one month is 28 or 29 February, never March): a limit such as "no
// later than 12 months after" is never overshot.
func AddMonths(s string, n int) string {
	t, ok := parseDay(s)
	if !ok {
		return ""
	}
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return format(time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC))
}

// DefaultExpiry is the last day of a certificate whose cycle starts on
// start: the day before the third anniversary. A cycle starting on 29
// February ends on 28 February three years on (the anniversary falls on
// 1 March in a year without 29 February).
func DefaultExpiry(start string) string {
	t, ok := parseDay(start)
	if !ok {
		return ""
	}
	return format(t.AddDate(ValidYears, 0, -1))
}

// RenewalStart is the first day of the cycle that follows a certificate
// expiring on expiry: the new cycle runs on from the old expiry.
func RenewalStart(expiry string) string { return AddDays(expiry, 1) }

// PlannedDue is the due-by day of one audit of a cycle.
type PlannedDue struct {
	Type  string
	DueBy string
}

// PlanCertificateCycle plans the audits of a cycle that starts on start and ends on
// expiry. firstDone is the day the first surveillance was done ("" while
// it is not): the second must fall in the calendar year after the first
// (so that there is at least one surveillance a calendar year), and no
// later than 24 months after the start.
//   - surveillance 1: no later than 12 months after the start;
//   - surveillance 2: no later than 24 months after the start, and no
//     later than the end of the calendar year after the first's;
//   - recertification: RecertificationLeadMonths before expiry.
func PlanCertificateCycle(start, expiry, firstDone string) []PlannedDue {
	s1 := AddMonths(start, 12)
	s2 := AddMonths(start, 24)
	first := s1
	if firstDone != "" {
		first = firstDone
	}
	if t, ok := parseDay(first); ok {
		if endOfNext := format(time.Date(t.Year()+1, 12, 31, 0, 0, 0, 0, time.UTC)); endOfNext < s2 {
			s2 = endOfNext
		}
	}
	recert := AddMonths(expiry, -RecertificationLeadMonths)
	// A short certificate (an expiry chosen earlier than the default)
	// never plans an audit after its recertification.
	if recert < s2 {
		s2 = recert
	}
	if recert < s1 {
		s1 = recert
	}
	return []PlannedDue{{Surveillance1, s1}, {Surveillance2, s2}, {Recertification, recert}}
}

// ReminderFrom is the first day a planned audit due by dueBy is reminded
// of, lead days ahead.
func ReminderFrom(dueBy string, lead int) string { return AddDays(dueBy, int64(-lead)) }

// ParseDay reads a day, "2006-01-02".
func ParseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
