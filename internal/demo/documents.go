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

// continuityPDF is a one-page PDF standing in for a scanned plan.
const continuityPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// loadDocuments adds the provider's controlled documents, in every state:
// the service management policy in its second approved version, read by
// some of the staff and still to be read by others (one of them read
// only the first); the scope, the objectives and the catalogue approved;
// the change management policy approved but overdue for review; the
// major incident procedure in review with one of two approvals; the
// service management plan a draft; the information security policy
// withdrawn; the continuity plan's first draft an uploaded file. The
// checklist maps most of them, so it is partly covered.
func loadDocuments(ctx context.Context, c *smsapp.Catalogue, db *store.DB) error {
	people := map[string]access.Actor{}
	person := func(name string) (access.Actor, error) {
		if a, ok := people[name]; ok {
			return a, nil
		}
		u, err := db.UserByEmail(ctx, name+"@northwind.example")
		if err != nil {
			return access.Actor{}, fmt.Errorf("demo documents: %s: %w", name, err)
		}
		people[name] = u.Actor("demo")
		return people[name], nil
	}
	for _, n := range []string{"sam.patel", "jordan.lee", "riley.chen", "pat.lindqvist", "casey.novak", "taylor.kim", "drew.okafor"} {
		if _, err := person(n); err != nil {
			return err
		}
	}
	sam, jordan, riley, pat := people["sam.patel"], people["jordan.lee"], people["riley.chen"], people["pat.lindqvist"]
	teams, _, err := db.ListTeams(ctx, store.TeamFilter{Query: "SMS implementation", Limit: 1})
	if err != nil || len(teams) == 0 {
		return fmt.Errorf("demo documents: the implementation team: %v", err)
	}
	clause := func(codes ...string) ([]int64, error) {
		var out []int64
		for _, code := range codes {
			rs, _, err := c.ListRequirements(ctx, access.System, store.RequirementFilter{Query: code, Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				if r.Code == code {
					out = append(out, r.ID)
				}
			}
		}
		return out, nil
	}
	inReview, withdrawn := "in_review", "withdrawn"
	// version writes a version as author, submits it, and has it approved
	// by the approvers given (none: it stays where it got to).
	version := func(doc sms.ControlledDocument, author access.Actor, content, note string, submit bool, approvers ...access.Actor) (sms.DocumentVersion, error) {
		v, err := c.CreateDocumentVersion(ctx, author, doc.ID, sms.VersionInput{Content: content, ChangeNote: note})
		if err != nil || !submit {
			return v, err
		}
		if v, err = c.UpdateDocumentVersion(ctx, author, v.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
			return v, err
		}
		for _, a := range approvers {
			if v, err = c.ApproveDocumentVersion(ctx, a, v.ID, 0); err != nil {
				return v, err
			}
		}
		return v, nil
	}
	type docSpec struct {
		item string
		in   sms.DocumentInput
	}
	made := map[string]sms.ControlledDocument{}
	for _, d := range []docSpec{
		{"policy", sms.DocumentInput{Title: "Service management policy", Type: "policy", OwnerID: sam.UserID, Classification: "internal", ReviewMonths: 12,
			Summary: "Top management's commitment to delivering services that meet agreed requirements and to improving the SMS.", ApproverIDs: []int64{pat.UserID, sam.UserID},
			AudienceRoles: "process_owner,agent", AudienceTeamIDs: []int64{teams[0].ID}}},
		{"scope", sms.DocumentInput{Title: "Scope of the service management system", Type: "other", OwnerID: sam.UserID, ReviewMonths: 12,
			Summary: "The managed workplace and hosting services for our three customers, delivered from the Leeds office and the Manchester data centre.", ApproverIDs: []int64{pat.UserID}}},
		{"objectives", sms.DocumentInput{Title: "Service management objectives 2027", Type: "plan", OwnerID: sam.UserID, ReviewMonths: 12, ApproverIDs: []int64{pat.UserID},
			AudienceRoles: "process_owner"}},
		{"catalogue", sms.DocumentInput{Title: "Service catalogue", Type: "record", OwnerID: jordan.UserID, ReviewMonths: 6, ApproverIDs: []int64{sam.UserID}}},
		{"change_policy", sms.DocumentInput{Title: "Change management policy", Type: "policy", OwnerID: jordan.UserID, ReviewMonths: 6, ApproverIDs: []int64{sam.UserID},
			AudienceTeamIDs: []int64{}, AudienceRoles: "agent"}},
		{"major_incident", sms.DocumentInput{Title: "Major incident procedure", Type: "procedure", OwnerID: jordan.UserID, ReviewMonths: 12,
			ApproverIDs: []int64{sam.UserID, riley.UserID}, Quorum: 2, AudienceRoles: "agent"}},
		{"plan", sms.DocumentInput{Title: "Service management plan", Type: "plan", OwnerID: sam.UserID, ReviewMonths: 12, ApproverIDs: []int64{pat.UserID}}},
		{"security_policy", sms.DocumentInput{Title: "Information security policy (2024)", Type: "policy", OwnerID: sam.UserID, Classification: "confidential",
			ReviewMonths: 12, ApproverIDs: []int64{pat.UserID}}},
		{"continuity_plan", sms.DocumentInput{Title: "Service continuity plan", Type: "plan", OwnerID: riley.UserID, Classification: "restricted", ReviewMonths: 12,
			ApproverIDs: []int64{sam.UserID, pat.UserID}}},
	} {
		switch d.item {
		case "policy":
			d.in.RequirementIDs, err = clause("5.1", "5.2")
		case "major_incident":
			d.in.RequirementIDs, err = clause("8.6.1")
		case "change_policy":
			d.in.RequirementIDs, err = clause("8.5.1.1")
		}
		if err != nil {
			return err
		}
		doc, err := c.CreateDocument(ctx, sam, d.in)
		if err != nil {
			return fmt.Errorf("demo document %q: %w", d.in.Title, err)
		}
		made[d.item] = doc
	}

	steps := []struct {
		item, content, note string
		author              access.Actor
		submit              bool
		approvers           []access.Actor
	}{
		{"policy", policyV1, "First issue", sam, true, []access.Actor{pat}},
		{"scope", scopeText, "First issue", sam, true, []access.Actor{pat}},
		{"objectives", objectivesText, "Objectives for 2027", sam, true, []access.Actor{pat}},
		{"catalogue", catalogueText, "First issue", jordan, true, []access.Actor{sam}},
		{"change_policy", changeText, "First issue", jordan, true, []access.Actor{sam}},
		{"major_incident", incidentText, "First issue, after the gap found in the assessment", jordan, true, []access.Actor{sam}},
		{"plan", "# Service management plan\n\nTo be written: objectives, resources, roles and the processes' interfaces.", "Outline", sam, false, nil},
		{"security_policy", "# Information security policy\n\nReplaced by the group's policy; kept on record.", "Issue of 2024", sam, true, []access.Actor{pat}},
	}
	for _, s := range steps {
		if _, err := version(made[s.item], s.author, s.content, s.note, s.submit, s.approvers...); err != nil {
			return fmt.Errorf("demo document %q: %w", made[s.item].Title, err)
		}
	}
	// The continuity plan's first draft is the signed copy, uploaded.
	if _, err := c.CreateDocumentVersion(ctx, riley, made["continuity_plan"].ID, sms.VersionInput{ChangeNote: "The plan as signed off in the last exercise"},
		files.Upload{Field: "file", Name: "service-continuity-plan.pdf", Data: []byte(continuityPDF)}); err != nil {
		return fmt.Errorf("demo continuity plan: %w", err)
	}
	// The policy: Taylor read the first version; then the second came.
	if _, err := c.Acknowledge(ctx, people["taylor.kim"], made["policy"].ID); err != nil {
		return fmt.Errorf("demo acknowledgement: %w", err)
	}
	if _, err := version(made["policy"], sam, policyV2, "Adds the commitment to continual improvement and the objectives' owners", true, pat); err != nil {
		return fmt.Errorf("demo policy version 2: %w", err)
	}
	for _, n := range []string{"casey.novak", "jordan.lee", "drew.okafor"} {
		if _, err := c.Acknowledge(ctx, people[n], made["policy"].ID); err != nil {
			return fmt.Errorf("demo acknowledgement by %s: %w", n, err)
		}
	}
	if _, err := c.Acknowledge(ctx, people["taylor.kim"], made["change_policy"].ID); err != nil {
		return fmt.Errorf("demo acknowledgement: %w", err)
	}
	// The old security policy withdrawn.
	cur, err := c.CurrentVersion(ctx, sam, made["security_policy"].ID)
	if err != nil {
		return err
	}
	if _, err := c.UpdateDocumentVersion(ctx, sam, cur.ID, 0, smsapp.VersionUpdate{State: &withdrawn}); err != nil {
		return fmt.Errorf("demo withdrawal: %w", err)
	}
	// The change policy's last review was eight months ago: overdue.
	long := time.Now().UTC().AddDate(0, -8, 0).Format(time.DateOnly)
	if _, err := c.UpdateDocument(ctx, sam, made["change_policy"].ID, 0, sms.DocumentUpdate{ReviewedOn: &long}); err != nil {
		return err
	}
	for item, d := range made {
		if err := c.MapRequiredDocument(ctx, sam, item, d.ID); err != nil {
			return fmt.Errorf("demo checklist %s: %w", item, err)
		}
	}
	return nil
}

const policyV1 = `# Service management policy

Northwind IT Services delivers managed workplace and hosting services that meet the requirements agreed with our customers.

## Our commitments

- We plan, deliver and improve our services through a service management system that meets ISO/IEC 20000-1:2018.
- We agree service levels with every customer and report on them monthly.
- We manage risks to our services and to the information they hold.

Approved by the managing director.`

const policyV2 = `# Service management policy

Northwind IT Services delivers managed workplace and hosting services that meet the requirements agreed with our customers.

## Our commitments

- We plan, deliver and improve our services through a service management system that meets ISO/IEC 20000-1:2018.
- We agree service levels with every customer and report on them monthly.
- We manage risks to our services and to the information they hold.
- We set measurable service management objectives each year, each with an owner, and review them at every management review.
- We improve continually: every nonconformity, complaint and idea is recorded and followed up.

## Roles

| Role | Answers for |
| --- | --- |
| Managing director | this policy and the resources the SMS needs |
| SMS manager | running the SMS and reporting on it |
| Process owners | their processes, measures and procedures |

Everyone who delivers our services reads this policy and confirms they understood it.`

const scopeText = `# Scope of the service management system

The SMS covers the **managed workplace** and **hosting** services Northwind IT Services delivers to Contoso Retail, Fabrikam Health and Tailspin Logistics, from the Leeds office and the Manchester data centre.

Suppliers within the SMS: the data centre operator and the network carrier, managed as external suppliers.`

const objectivesText = `# Service management objectives 2027

1. Resolve 95 % of priority 1 incidents within 4 hours (owner: Jordan Lee).
2. Keep customer satisfaction at 4.2 out of 5 or better (owner: Sam Patel).
3. No change causes a priority 1 incident (owner: Jordan Lee).`

const catalogueText = `# Service catalogue

- **Managed workplace**: laptops, collaboration tools and the service desk, 7:00 to 19:00 on working days.
- **Hosting**: virtual servers and databases in the Manchester data centre, monitored around the clock.`

const changeText = `# Change management policy

Every change to a service or a configuration item in the CMDB goes through change management.

- **Major changes** (a new service, or the removal of one) go through service design and transition first.
- **Emergency changes** are approved by the duty manager and reviewed at the next advisory board.`

const incidentText = `# Major incident procedure

A major incident is a priority 1 incident affecting more than one customer or a whole site.

1. The service desk declares it and calls the duty manager.
2. The duty manager leads the response and informs the customers every hour.
3. After resolution, problem management reviews it within five working days.`
