package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
)

// LoadAudits adds the audit programme and the audits with their findings,
// after LoadSMS, whose records they audit, and LoadCertification, whose
// verified body runs the stage 1 audit.
func LoadAudits(ctx context.Context, c *assuranceapp.Catalogue, db *store.DB) error {
	return loadAudits(ctx, c, db)
}

// loadAudits adds a three-year audit programme with its cycle planned, a
// completed internal audit of clauses 4 to 7 and part of clause 8 with a
// worked checklist, five findings and its report issued, and the
// certification body's stage 1 audit, planned, shared with its lead
// auditor.
func loadAudits(ctx context.Context, c *assuranceapp.Catalogue, db *store.DB) error {
	sys := access.System
	user := func(email string) int64 {
		u, err := db.UserByEmail(ctx, email)
		if err != nil {
			return 0
		}
		return u.ID
	}
	auditor, manager := user("drew.okafor@northwind.example"), user("sam.patel@northwind.example")
	today := time.Now().UTC()
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	start := today.AddDate(0, -4, 0)
	prog, err := c.CreateProgramme(ctx, sys, assurance.ProgrammeInput{Title: fmt.Sprintf("Internal audit programme %d–%d", start.Year(), start.AddDate(3, 0, -1).Year()),
		StartOn: day(start), EndOn: day(start.AddDate(3, 0, -1)), OwnerID: manager,
		Notes: "Covers every clause once in the three-year certification cycle: the management system each year, clause 8 a share a year."})
	if err != nil {
		return err
	}
	reqs, err := c.Requirements(ctx, sys)
	if err != nil {
		return err
	}
	clause := map[string]int64{}
	for _, r := range reqs {
		clause[r.Code] = r.ID
	}
	codes := func(cs ...string) []int64 {
		out := make([]int64, len(cs))
		for i, c := range cs {
			out[i] = clause[c]
		}
		return out
	}
	pid := prog.ID
	lead := auditor
	a, err := c.CreateAudit(ctx, sys, assurance.AuditInput{ProgrammeID: &pid, Title: "Management system and service design, year 1",
		RequirementIDs: codes("4", "5", "6", "7", "8.2", "8.3"),
		Criteria:       "ISO/IEC 20000-1:2018, the service management policy and plan, the SLAs and supplier contracts",
		PlannedStart:   day(today.AddDate(0, 0, -45)), PlannedEnd: day(today.AddDate(0, 0, -43)), LeadAuditorID: &lead, TeamIDs: []int64{manager}})
	if err != nil {
		return err
	}
	st := "in_progress"
	held := day(today.AddDate(0, 0, -44))
	if a, err = c.UpdateAudit(ctx, sys, a.ID, a.Version, assurance.AuditUpdate{State: &st, ActualStart: &held}); err != nil {
		return err
	}
	ev, _, err := c.SMS().ListEvidence(ctx, sys, store.EvidenceFilter{Limit: 3})
	if err != nil {
		return err
	}
	sampled := assurance.Refs{}
	for _, e := range ev {
		sampled = append(sampled, assurance.Ref{Entity: "evidence", ID: e.ID})
	}
	special := map[string]struct{ result, notes string }{
		"8.3.3":   {"major_nc", "Two of the five customer SLAs have expired and are not renewed; service is delivered against targets nobody agreed."},
		"7.2":     {"minor_nc", "Competence records exist for the service desk but not for the two newest change coordinators."},
		"6.2.2":   {"minor_nc", "The plan to reach the availability objective names no owner for three of its actions."},
		"7.4":     {"observation", "The communication plan is followed, but the supplier reviews it names are held ad hoc."},
		"8.2.4":   {"ofi", "The service catalogue could show each offering's support hours, which customers ask for."},
		"4.4":     {"conforming", "The SMS, its processes and their interactions are described in the service management plan."},
		"5.2.1":   {"conforming", "Policy approved by top management and published on the intranet."},
		"8.3.4.1": {"conforming", "Supplier contracts sampled: hosting and network."},
	}
	lines, err := c.Checklist(ctx, sys, a.ID)
	if err != nil {
		return err
	}
	byReq := map[int64]string{}
	for _, r := range reqs {
		byReq[r.ID] = r.Code
	}
	for _, l := range lines {
		s, ok := special[byReq[l.RequirementID]]
		if !ok {
			s.result = "conforming"
		}
		an := assurance.Answer{RequirementID: l.RequirementID, Result: &s.result, Notes: &s.notes}
		if ok && len(sampled) > 0 {
			an.Sampled = &sampled
		}
		if _, err := c.AnswerChecklist(ctx, sys, a.ID, 0, an); err != nil {
			return fmt.Errorf("answer %s: %w", byReq[l.RequirementID], err)
		}
	}
	lineOf := map[int64]int64{}
	for _, l := range lines {
		lineOf[l.RequirementID] = l.ID
	}
	owner := user("jordan.lee@northwind.example")
	for _, f := range []struct{ code, typ, statement string }{
		{"8.3.3", "major_nc", "Service level agreements for two customers expired and were not renewed, so the services are run against targets that are not agreed. The SLA register shows no review for over a year."},
		{"7.2", "minor_nc", "No competence records for the two change coordinators who joined this year; their training is planned but not recorded."},
		{"6.2.2", "minor_nc", "Three actions of the plan to achieve the availability objective have no owner and no due day."},
		{"7.4", "observation", "Supplier reviews named in the communication plan happen, but not on the planned dates and without minutes."},
		{"8.2.4", "ofi", "Showing each offering's support hours in the service catalogue would answer the question customers ask most."},
	} {
		item := lineOf[clause[f.code]]
		if _, err := c.CreateFinding(ctx, sys, assurance.FindingInput{AuditID: a.ID, RequirementID: clause[f.code], Type: f.typ, Statement: f.statement,
			Records: sampled, OwnerID: &owner, ItemID: &item}); err != nil {
			return fmt.Errorf("finding on %s: %w", f.code, err)
		}
	}
	st = "completed"
	end := day(today.AddDate(0, 0, -43))
	summary := fmt.Sprintf("Two days on site and remotely. The management system is established and largely followed; the service level agreements of two customers are the one serious gap. %d lines answered: one major and two minor nonconformities, one observation, one opportunity for improvement.", len(lines))
	conclusion := "The SMS conforms in the scope audited except for the major nonconformity on SLAs, which must be corrected and its corrective action verified before the stage 2 audit."
	if a, err = c.UpdateAudit(ctx, sys, a.ID, 0, assurance.AuditUpdate{State: &st, ActualEnd: &end, Summary: &summary, Conclusion: &conclusion}); err != nil {
		return err
	}
	if _, err := c.IssueReport(ctx, access.Actor{Name: "Drew Okafor", UserID: auditor, Role: access.InternalAuditor, Via: "system"}, a.ID, 0); err != nil {
		return err
	}
	if _, err := c.GenerateAudits(ctx, sys, prog.ID); err != nil {
		return err
	}
	body, err := verifiedBody(ctx, c)
	if err != nil {
		return err
	}
	stage1, err := c.CreateAudit(ctx, sys, assurance.AuditInput{Origin: "external", Type: "stage1", Title: "Certification stage 1: documentation and readiness review",
		BodyID: &body, RequirementIDs: codes("4", "5", "6", "7", "8", "9", "10"),
		Criteria:     "ISO/IEC 20000-1:2018; the certification body's audit plan",
		PlannedStart: day(today.AddDate(0, 0, 40)), PlannedEnd: day(today.AddDate(0, 0, 41))})
	if err != nil {
		return err
	}
	// The certification body's lead auditor reads the stage 1 audit's
	// scope and evidence ahead of it, until a month after it.
	_, err = c.CreateAuditorAccess(ctx, sys, assurance.AccessInput{AuditID: stage1.ID, UserID: user("quinn.harper@certify.example"),
		ExpiresOn: day(today.AddDate(0, 0, 71)), Note: "Document review ahead of stage 1, as agreed with Certa Assurance."})
	return err
}

// verifiedBody is the certification body accredited for ISO/IEC 20000-1
// whose accreditation was checked within the year.
func verifiedBody(ctx context.Context, c *assuranceapp.Catalogue) (int64, error) {
	bodies, _, err := c.ListCertificationBodies(ctx, access.System, store.CertificationBodyFilter{Covers20000: "yes", Limit: store.MaxLimit})
	if err != nil {
		return 0, err
	}
	for _, b := range bodies {
		if !b.NeedsVerification(c.Today()) {
			return b.ID, nil
		}
	}
	return 0, fmt.Errorf("no verified certification body to run the stage 1 audit: load the certification first")
}
