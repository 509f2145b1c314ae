package assurance_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
)

func TestAddMonthsKeepsWithinTheMonth(t *testing.T) {
	for _, c := range []struct {
		day  string
		n    int
		want string
	}{
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-02-29", 12, "2025-02-28"}, // never past 12 months
		{"2024-02-29", 48, "2028-02-29"},
		{"2025-12-15", 1, "2026-01-15"}, // over the year's end
		{"2025-12-31", 12, "2026-12-31"},
		{"2026-03-31", -3, "2025-12-31"},
		{"2026-05-31", -3, "2026-02-28"},
		{"nonsense", 1, ""},
	} {
		if got := assurance.AddMonths(c.day, c.n); got != c.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", c.day, c.n, got, c.want)
		}
	}
}

func TestDefaultExpiryIsTheDayBeforeTheThirdAnniversary(t *testing.T) {
	for day, want := range map[string]string{
		"2025-03-10": "2028-03-09",
		"2025-01-01": "2027-12-31", // over the year's end
		"2025-12-31": "2028-12-30",
		"2024-02-29": "2027-02-28", // the anniversary falls on 1 March
		"2025-03-01": "2028-02-29", // and the day before it in a leap year
	} {
		if got := assurance.DefaultExpiry(day); got != want {
			t.Errorf("DefaultExpiry(%s) = %s, want %s", day, got, want)
		}
	}
}

func TestPlanCertificateCycle(t *testing.T) {
	plan := func(start, expiry, firstDone string) []string {
		var out []string
		for _, p := range assurance.PlanCertificateCycle(start, expiry, firstDone) {
			out = append(out, p.Type+" "+p.DueBy)
		}
		return out
	}
	for _, c := range []struct {
		name, start, expiry, firstDone string
		want                           []string
	}{
		{"plain", "2025-03-10", "2028-03-09", "", []string{"surveillance_1 2026-03-10", "surveillance_2 2027-03-10", "recertification 2027-12-09"}},
		// The first done early: the second falls due by the end of the
		// next calendar year, so there is one in each calendar year.
		{"first done early", "2025-03-10", "2028-03-09", "2025-11-20", []string{"surveillance_1 2026-03-10", "surveillance_2 2026-12-31", "recertification 2027-12-09"}},
		{"first done late in its year", "2025-03-10", "2028-03-09", "2026-03-01", []string{"surveillance_1 2026-03-10", "surveillance_2 2027-03-10", "recertification 2027-12-09"}},
		{"29 February", "2024-02-29", "2027-02-28", "", []string{"surveillance_1 2025-02-28", "surveillance_2 2026-02-28", "recertification 2026-11-28"}},
		{"year's end", "2025-12-31", "2028-12-30", "", []string{"surveillance_1 2026-12-31", "surveillance_2 2027-12-31", "recertification 2028-09-30"}},
		{"year's start", "2026-01-01", "2028-12-31", "", []string{"surveillance_1 2027-01-01", "surveillance_2 2028-01-01", "recertification 2028-09-30"}},
		// A short certificate never plans past its recertification.
		{"short", "2025-03-10", "2026-06-30", "", []string{"surveillance_1 2026-03-10", "surveillance_2 2026-03-30", "recertification 2026-03-30"}},
	} {
		if diff := cmp.Diff(c.want, plan(c.start, c.expiry, c.firstDone)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
	if got := assurance.RenewalStart("2028-02-28"); got != "2028-02-29" {
		t.Errorf("renewal after 2028-02-28 starts %s, want 2028-02-29", got)
	}
}

func TestCertificateRulesNameTheField(t *testing.T) {
	base := assurance.CertificateInput{BodyID: 1, CertNumber: "X-1", Scope: "All", DecidedOn: "2026-03-01", IssuedOn: "2026-03-09"}
	ok := base
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	if ok.ExpiresOn != "2029-02-28" || ok.CycleStart != "2026-03-01" || ok.Standard != assurance.DefaultStandard || ok.ReminderDays != 60 || ok.Status != "active" {
		t.Errorf("defaults: %+v", ok)
	}
	for field, change := range map[string]func(*assurance.CertificateInput){
		"decided_on":         func(in *assurance.CertificateInput) { in.DecidedOn = "2026-03-10" },
		"expires_on":         func(in *assurance.CertificateInput) { in.ExpiresOn = "2026-03-08" },
		"issued_on":          func(in *assurance.CertificateInput) { in.IssuedOn = "9 March" },
		"body_id":            func(in *assurance.CertificateInput) { in.BodyID = 0 },
		"certificate_number": func(in *assurance.CertificateInput) { in.CertNumber = "" },
		"status":             func(in *assurance.CertificateInput) { in.Status = "expired" },
		"reminder_days":      func(in *assurance.CertificateInput) { in.ReminderDays = 400 },
	} {
		in := base
		change(&in)
		in.Normalize()
		if !names(in.Validate(), field) {
			t.Errorf("%s: got %v, want a refusal naming it", field, in.Validate())
		}
	}
}

func TestCertificateStateAndRisk(t *testing.T) {
	x := assurance.Certificate{Status: "active", ExpiresOn: "2028-03-09"}
	if st := x.State("2028-03-09"); st != "active" {
		t.Errorf("on its last day: %s, want active", st)
	}
	if st := x.State("2028-03-10"); st != "expired" {
		t.Errorf("after its last day: %s, want expired", st)
	}
	cycle := []assurance.PlannedAudit{{Type: assurance.Surveillance1, DueBy: "2026-03-10", DoneOn: "2026-02-01"},
		{Type: assurance.Surveillance2, DueBy: "2027-03-10"}, {Type: assurance.Recertification, DueBy: "2027-12-09"}}
	for today, want := range map[string]string{"2027-03-10": "", "2027-03-11": "suspension", "2029-01-01": ""} {
		if got := assurance.Risk(x, cycle, today); got != want {
			t.Errorf("risk on %s: %q, want %q", today, got, want)
		}
	}
	cycle[1].DoneOn = "2027-03-01"
	if got := assurance.Risk(x, cycle, "2027-12-10"); got != "lapse" {
		t.Errorf("recertification overdue: %q, want lapse", got)
	}
}

func TestBodyNeedsVerificationAfterAYear(t *testing.T) {
	b := assurance.CertificationBody{VerifiedOn: "2025-02-28"}
	if b.NeedsVerification("2026-02-28") {
		t.Error("checked a year ago to the day: flagged, want not")
	}
	if !b.NeedsVerification("2026-03-01") {
		t.Error("checked more than a year ago: not flagged")
	}
	if !(assurance.CertificationBody{}).NeedsVerification("2026-03-01") {
		t.Error("never checked: not flagged")
	}
	in := assurance.BodyInput{Name: "B", VerifiedOn: "2026-03-01"}
	in.Normalize()
	if err := in.Validate("2026-03-01"); !names(err, "verified_by") {
		t.Errorf("a day without who: %v, want a refusal naming verified_by", err)
	}
}

func TestICalFoldsEscapesAndEndsLinesWithCRLF(t *testing.T) {
	long := strings.Repeat("Überprüfung, Teil; ", 10)
	out := assurance.WriteICal("Cal", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), []assurance.CalendarEvent{
		{UID: "a-1@conform", Day: "2026-02-28", Summary: long, Description: "line one\nline two \\ end", URL: "https://x.example/actions/1"}})
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if strings.Contains(line, "\n") {
			t.Errorf("bare line feed in %q", line)
		}
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	for _, want := range []string{"DTSTART;VALUE=DATE:20260228\r\n", "DTEND;VALUE=DATE:20260301\r\n", "DTSTAMP:20260102T030405Z\r\n",
		`DESCRIPTION:line one\nline two \\ end`, `SUMMARY:Überprüfung\, Teil\; `} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("missing %q in\n%s", want, unfolded)
		}
	}
}

// names reports whether err refuses the field.
func names(err error, field string) bool {
	e := errs.As(err)
	if e == nil {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
