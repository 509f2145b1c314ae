package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// loadEvidence adds evidence of every kind to requirements of the
// built-in framework: uploaded files, links to records (a team, a
// gap's action), web addresses on the intranet and controlled documents,
// some current, some due soon, some expired (the policy's, on an
// implemented requirement, so that readiness counts it as partly).
func loadEvidence(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	fw, err := db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return fmt.Errorf("demo evidence: the built-in framework: %w", err)
	}
	tree, err := db.RequirementTree(ctx, fw.ID)
	if err != nil {
		return err
	}
	reqs := map[string]int64{}
	for _, r := range tree {
		reqs[r.Code] = r.ID
	}
	user := func(email string) int64 {
		u, _ := db.UserByEmail(ctx, email)
		return u.ID
	}
	teams, _, err := db.ListTeams(ctx, store.TeamFilter{Query: "Service desk", Limit: 1})
	if err != nil || len(teams) == 0 {
		return fmt.Errorf("demo evidence: the service desk team: %v", err)
	}
	gap, _, err := c.ListActions(ctx, access.System, store.ActionFilter{Query: "major incident", Limit: 1})
	if err != nil || len(gap) == 0 {
		return fmt.Errorf("demo evidence: the major incident action: %v", err)
	}
	policy, _, err := c.ListDocuments(ctx, access.System, store.DocumentFilter{Query: "service management policy", Limit: 1})
	if err != nil || len(policy) == 0 {
		return fmt.Errorf("demo evidence: the policy document: %v", err)
	}
	day := func(d int) string { return time.Now().UTC().AddDate(0, 0, d).Format(time.DateOnly) }
	procedure := []byte("%PDF-1.4\n% Northwind IT Services: incident management procedure, version 2.1, approved by Jordan Lee\n" +
		"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	kpis := []byte("month,incidents,resolved_in_target,major\n2026-07,412,391,1\n2026-08,388,371,0\n2026-09,405,380,2\n")
	for _, e := range []struct {
		code, title, owner, review, kind, notes string
		refEntity                               string
		refID                                   int64
		url                                     string
		file                                    *files.Upload
	}{
		{"8.6.1", "Incident management procedure v2.1, signed", "jordan.lee@northwind.example", day(200), sms.EvidenceFile,
			"The procedure as approved; the major incident section is still to come (see the gap action).", "", 0, "",
			&files.Upload{Field: "file", Name: "incident-procedure-v2.1.pdf", Data: procedure}},
		{"8.6.1", "Major incident definition (in progress)", "casey.novak@northwind.example", day(20), sms.EvidenceRecord,
			"The gap action that will give us the definition.", sms.ActionKind.Entity, gap[0].ID, "", nil},
		{"9.1", "Incident figures, third quarter", "casey.novak@northwind.example", day(60), sms.EvidenceFile,
			"Exported from the ticketing system every month.", "", 0, "", &files.Upload{Field: "file", Name: "incident-kpis-q3.csv", Data: kpis}},
		{"7.1", "Service desk team and its members", "sam.patel@northwind.example", day(300), sms.EvidenceRecord,
			"Shows the people assigned to first-line support.", account.TeamKind.Entity, teams[0].ID, "", nil},
		{"5.2", "Service management policy on the intranet", "sam.patel@northwind.example", day(-15), sms.EvidenceURL,
			"Review overdue: the page still shows last year's version.", "", 0, "https://intranet.northwind.example/sms/policy", nil},
		{"5.2", "Service management policy (controlled document)", "sam.patel@northwind.example", day(-2), sms.EvidenceDocument,
			"The policy in force, from the document register.", sms.DocumentEntity, policy[0].ID, "", nil},
		{"8.5.1", "Change advisory board minutes", "riley.chen@northwind.example", day(10), sms.EvidenceURL,
			"Minutes of every Tuesday meeting.", "", 0, "https://wiki.northwind.example/cab/minutes", nil},
	} {
		id, ok := reqs[e.code]
		if !ok {
			return fmt.Errorf("demo evidence: no requirement %s", e.code)
		}
		in := sms.EvidenceInput{Title: e.title, Notes: e.notes, RequirementID: id, OwnerID: user(e.owner), ReviewBy: e.review, Kind: e.kind,
			RefEntity: e.refEntity, RefID: e.refID, URL: e.url}
		if _, err := c.CreateEvidence(ctx, access.System, in, e.file); err != nil {
			return fmt.Errorf("demo evidence %q: %w", e.title, err)
		}
	}
	return nil
}
