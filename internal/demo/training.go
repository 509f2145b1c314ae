package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// loadTraining adds the provider's competences (by role and by team),
// the courses that teach them with past and coming sessions, who
// attended and completed what, one certificate expired (Taylor's major
// incident course) and a direct assessment (Riley's), so the matrix shows
// coverage and its gaps.
func loadTraining(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	sys := access.System
	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	user := func(name string) (int64, error) {
		u, err := db.UserByEmail(ctx, name+"@northwind.example")
		return u.ID, err
	}
	team := func(name string) (int64, error) {
		ts, _, err := db.ListTeams(ctx, store.TeamFilter{Query: name, Limit: 1})
		if err != nil || len(ts) == 0 {
			return 0, fmt.Errorf("demo training: team %s: %v", name, err)
		}
		return ts[0].ID, nil
	}
	teams := map[string]int64{}
	for _, n := range []string{"Service desk", "Infrastructure", "Change advisory board", "SMS implementation team"} {
		id, err := team(n)
		if err != nil {
			return err
		}
		teams[n] = id
	}
	staff := []access.Role{access.Admin, access.SMSManager, access.ProcessOwner, access.Agent, access.InternalAuditor, access.TopManagement}
	comps := map[string]sms.Competence{}
	for _, in := range []sms.CompetenceInput{
		{Name: "Incident and major incident handling", Level: 2, Roles: []access.Role{access.Agent}, TeamIDs: []int64{teams["Service desk"], teams["Infrastructure"]},
			Description: "Records, classifies and resolves incidents against their targets; recognises a major incident, declares it and follows the major incident procedure."},
		{Name: "Change risk assessment", Level: 3, TeamIDs: []int64{teams["Change advisory board"]},
			Description: "Judges a change's risk and impact on services, its back-out plan and its timing against the change schedule."},
		{Name: "ISO/IEC 20000-1 fundamentals", Level: 2, Roles: []access.Role{access.SMSManager, access.ProcessOwner}, TeamIDs: []int64{teams["SMS implementation team"]},
			Description: "Knows what the standard asks of the SMS and of each process, and where the organisation's own policy and procedures answer it."},
		{Name: "Internal auditing", Level: 3, Roles: []access.Role{access.InternalAuditor},
			Description: "Plans and runs an audit against criteria, samples evidence, writes findings that stand, and stays independent of the area audited."},
		{Name: "Information security awareness", Level: 1, Roles: staff,
			Description: "Knows the information security policy, how to spot and report a security incident, and how to handle customers' data."},
	} {
		v, err := c.CreateCompetence(ctx, sys, in)
		if err != nil {
			return fmt.Errorf("demo competence %s: %w", in.Name, err)
		}
		comps[in.Name] = v
	}
	courses := map[string]sms.Course{}
	for _, in := range []sms.CourseInput{
		{Title: "ISO/IEC 20000-1 Foundation", Provider: "Certify Academy", Level: 2, ValidityMonths: 36, CompetenceIDs: []int64{comps["ISO/IEC 20000-1 fundamentals"].ID},
			Description: "Two days on the standard's clauses, the certification cycle and the SMS's documented information; ends with a one-hour exam."},
		{Title: "Major incident handling", Provider: "In house", Level: 2, ValidityMonths: 24, CompetenceIDs: []int64{comps["Incident and major incident handling"].ID},
			Description: "The incident process, priorities and targets, the major incident procedure, with a simulated major incident."},
		{Title: "Change advisory board practice", Provider: "In house", Level: 3, CompetenceIDs: []int64{comps["Change risk assessment"].ID},
			Description: "Assessing real changes from the last quarter with the CAB chair."},
		{Title: "Security awareness e-learning", Provider: "In house (e-learning)", Level: 1, ValidityMonths: 12, CompetenceIDs: []int64{comps["Information security awareness"].ID},
			Description: "Forty minutes online, renewed every year."},
		{Title: "Internal auditor (ISO 19011)", Provider: "Certify Academy", Level: 3, ValidityMonths: 36, CompetenceIDs: []int64{comps["Internal auditing"].ID}},
	} {
		v, err := c.CreateCourse(ctx, sys, in)
		if err != nil {
			return fmt.Errorf("demo course %s: %w", in.Title, err)
		}
		courses[in.Title] = v
	}
	sessions := map[string]sms.CourseSession{}
	for _, s := range []struct {
		key    string
		course string
		in     sms.CourseSessionInput
	}{
		{"foundation-spring", "ISO/IEC 20000-1 Foundation", sms.CourseSessionInput{StartsOn: day(-120), EndsOn: day(-119), Trainer: "Dana Whitfield", Place: "Northwind office, room Atlas"}},
		{"foundation-next", "ISO/IEC 20000-1 Foundation", sms.CourseSessionInput{StartsOn: day(20), EndsOn: day(21), Trainer: "Dana Whitfield", Place: "https://meet.certify.example/20000-foundation", Online: true}},
		{"major-old", "Major incident handling", sms.CourseSessionInput{StartsOn: day(-800), Trainer: "Sam Patel", Place: "Northwind office, room Atlas"}},
		{"major", "Major incident handling", sms.CourseSessionInput{StartsOn: day(-60), Trainer: "Jordan Lee", Place: "Northwind office, room Atlas"}},
		{"major-next", "Major incident handling", sms.CourseSessionInput{StartsOn: day(10), Trainer: "Jordan Lee", Place: "Northwind office, room Atlas",
			Notes: "For Taylor, whose certificate has expired, and new joiners."}},
		{"cab", "Change advisory board practice", sms.CourseSessionInput{StartsOn: day(-30), Trainer: "Jordan Lee", Place: "CAB room"}},
		{"audit", "Internal auditor (ISO 19011)", sms.CourseSessionInput{StartsOn: day(-310), EndsOn: day(-308), Trainer: "Ana Souza", Place: "Certify Academy, Leeds"}},
	} {
		s.in.CourseID = courses[s.course].ID
		v, err := c.CreateCourseSession(ctx, sys, s.in)
		if err != nil {
			return fmt.Errorf("demo session %s: %w", s.key, err)
		}
		sessions[s.key] = v
	}
	for _, x := range []struct {
		who, course, session, status, on, expires, evidence string
	}{
		{"sam.patel", "ISO/IEC 20000-1 Foundation", "foundation-spring", "completed", day(-119), "", "Certificate CA-20K-4471, exam 86 %."},
		{"jordan.lee", "ISO/IEC 20000-1 Foundation", "foundation-spring", "completed", day(-119), "", "Certificate CA-20K-4472, exam 78 %."},
		{"drew.okafor", "ISO/IEC 20000-1 Foundation", "foundation-spring", "completed", day(-119), "", "Certificate CA-20K-4473, exam 91 %."},
		{"riley.chen", "ISO/IEC 20000-1 Foundation", "foundation-next", "enrolled", "", "", ""},
		{"pat.lindqvist", "ISO/IEC 20000-1 Foundation", "foundation-next", "enrolled", "", "", ""},
		// Taylor's certificate has expired: the competence counts as a gap until the next session.
		{"taylor.kim", "Major incident handling", "major-old", "completed", day(-800), day(-70), "Attendance list and simulation score sheet, 2 of 2 scenarios passed."},
		{"taylor.kim", "Major incident handling", "major-next", "enrolled", "", "", ""},
		{"casey.novak", "Major incident handling", "major", "completed", day(-60), "", "Simulation score sheet: declared the major incident within 10 minutes."},
		{"jordan.lee", "Change advisory board practice", "cab", "completed", day(-30), "", "Signed off by the CAB chair."},
		{"sam.patel", "Change advisory board practice", "cab", "completed", day(-30), "", "Signed off by the CAB chair."},
		{"riley.chen", "Change advisory board practice", "cab", "attended", "", "", "Attended; the assessed changes are still to be reviewed."},
		{"drew.okafor", "Internal auditor (ISO 19011)", "audit", "completed", day(-308), "", "Certificate CA-IA-1180."},
		{"admin", "Security awareness e-learning", "", "completed", day(-90), "", "Completion report from the e-learning platform."},
		{"sam.patel", "Security awareness e-learning", "", "completed", day(-30), "", "Completion report from the e-learning platform."},
		{"riley.chen", "Security awareness e-learning", "", "completed", day(-200), "", "Completion report from the e-learning platform."},
		{"casey.novak", "Security awareness e-learning", "", "completed", day(-120), "", "Completion report from the e-learning platform."},
		{"taylor.kim", "Security awareness e-learning", "", "completed", day(-100), "", "Completion report from the e-learning platform."},
		{"drew.okafor", "Security awareness e-learning", "", "completed", day(-50), "", "Completion report from the e-learning platform."},
		{"pat.lindqvist", "Security awareness e-learning", "", "completed", day(-10), "", "Completion report from the e-learning platform."},
		{"jordan.lee", "Security awareness e-learning", "", "enrolled", "", "", ""},
	} {
		id, err := user(x.who)
		if err != nil {
			return fmt.Errorf("demo completion: %s: %w", x.who, err)
		}
		in := sms.CompletionInput{CourseID: courses[x.course].ID, UserID: id, Status: x.status, CompletedOn: x.on, ExpiresOn: x.expires, Evidence: x.evidence}
		if x.session != "" {
			s := sessions[x.session].ID
			in.SessionID = &s
		}
		if x.who == "sam.patel" && x.session == "foundation-spring" {
			in.Certificate = &files.Upload{Name: "CA-20K-4471.pdf", Data: []byte("%PDF-1.4\n% Certify Academy certificate CA-20K-4471: Sam Patel, ISO/IEC 20000-1 Foundation\n%%EOF\n")}
		}
		if _, err := c.CreateCompletion(ctx, sys, in); err != nil {
			return fmt.Errorf("demo completion %s on %s: %w", x.who, x.course, err)
		}
	}
	riley, err := user("riley.chen")
	if err != nil {
		return err
	}
	sam, err := user("sam.patel")
	if err != nil {
		return err
	}
	_, err = c.CreateAppraisal(ctx, sys, sms.AppraisalInput{UserID: riley, CompetenceID: comps["Incident and major incident handling"].ID, Level: 3,
		AssessedOn: day(-45), ExpiresOn: day(320), AssessorID: sam,
		Notes: "Led the recovery of the storage outage as incident manager; the post-incident review found the procedure followed throughout."})
	if err != nil {
		return fmt.Errorf("demo competence assessment: %w", err)
	}
	return nil
}
