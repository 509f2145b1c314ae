package assurance

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// findingPages are the findings' pages: raised from a checklist line
// (the form comes filled in from it) or from the audit's page.
func findingPages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.Finding, *assurance.Finding] {
	return web.Resource[assurance.Finding, *assurance.Finding]{
		Kind:     assurance.FindingKind,
		Subtitle: "What audits found against the requirements: nonconformities, observations and opportunities for improvement.",
		Empty:    ui.Empty{Icon: "flag", Title: "No findings yet", Text: "Findings are recorded during an audit, from its checklist's lines or from its page."},
		Columns: []web.Column[assurance.Finding]{
			{Column: ui.Column{Label: "Finding", Key: true, Sort: "text"}, Value: func(f assurance.Finding) ui.Value { return ui.Text(firstLine(f.Statement)) }},
			{Column: ui.Column{Label: "Type", Sort: "text"}, Value: func(f assurance.Finding) ui.Value { return ui.Value{Badges: []ui.Badge{findingBadge(f.Type)}} }},
			{Column: ui.Column{Label: "Requirement", Sort: "text"}, Ref: sms.RequirementKind.Entity, RefID: func(f assurance.Finding) int64 { return f.RequirementID }},
			{Column: ui.Column{Label: "Audit", Sort: "text"}, Ref: assurance.AuditKind.Entity, RefID: func(f assurance.Finding) int64 { return f.AuditID }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "type", Label: "Type", Type: "select", Options: choices(append([]assurance.Code{{Code: "", Label: "Any type"}}, assurance.FindingTypes...), q.Get("type"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.Finding, string, error) {
			audit, _ := strconv.ParseInt(q.Get("audit_id"), 10, 64)
			return c.ListFindings(ctx, actor, store.FindingFilter{Query: q.Get("q"), Type: q.Get("type"), AuditID: audit, Cursor: cursor})
		},
		Get: c.GetFinding,
		Name: func(f assurance.Finding) string {
			return assurance.FindingKind.Number(f.ID) + " " + firstLine(f.Statement)
		},
		Badges: func(f assurance.Finding) []ui.Badge { return []ui.Badge{findingBadge(f.Type)} },
		Crumbs: func(f assurance.Finding) []ui.Crumb {
			return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.AuditKind.Plural, Href: "/" + assurance.AuditKind.Path()},
				{Label: assurance.AuditKind.Number(f.AuditID), Href: auditHref(f.AuditID)}}
		},
		Details: func(ctx context.Context, rq *web.Request, f assurance.Finding) []ui.Item {
			actor := rq.Auth.Actor
			shown := ui.Value{Empty: "None named"}
			for _, r := range f.Records {
				v := p.Ref(ctx, actor, r.Entity, r.ID)
				if v.Text == "" {
					v = ui.Text(fmt.Sprintf("%s %d", r.Entity, r.ID))
				}
				shown.Links = append(shown.Links, ui.Link{Text: v.Text, Href: v.Href})
			}
			return []ui.Item{
				{Label: "Audit", Value: p.Ref(ctx, actor, assurance.AuditKind.Entity, f.AuditID)},
				{Label: "Requirement", Value: p.Ref(ctx, actor, sms.RequirementKind.Entity, f.RequirementID)},
				{Label: "Statement", Value: ui.Value{Text: f.Statement, Long: true}},
				{Label: "Shown by", Help: "The evidence and records that show it.", Value: shown},
				{Label: "Auditee", Help: "Who answers for dealing with it.", Value: refOr(ctx, p, actor, f.OwnerID)},
			}
		},
		Fields: func(fc web.FormContext, f assurance.Finding) ([]ui.Field, error) {
			ctx, actor := fc.Ctx, fc.Actor
			records := f.Records.String()
			reqCode := ""
			owner := deref(f.OwnerID)
			if fc.Creating {
				q := fc.Query
				f.AuditID, _ = strconv.ParseInt(q.Get("audit_id"), 10, 64)
				f.RequirementID, _ = strconv.ParseInt(q.Get("requirement_id"), 10, 64)
				if item, err := strconv.ParseInt(q.Get("item_id"), 10, 64); err == nil {
					f.ItemID = &item
				}
				f.Type = q.Get("type")
			}
			if fc.Posted != nil {
				fp := fc.Posted
				f.AuditID, _ = strconv.ParseInt(fp.Get("audit_id"), 10, 64)
				f.Type, f.Statement, records, reqCode = fp.Get("type"), fp.Get("statement"), fp.Get("records"), fp.Get("requirement")
				owner, _ = strconv.ParseInt(fp.Get("owner_id"), 10, 64)
			}
			reqs, err := c.Requirements(ctx, actor)
			if err != nil {
				return nil, err
			}
			if reqCode == "" {
				reqCode = clauseCodes(reqs, []int64{f.RequirementID})
			}
			as, _, err := c.ListAudits(ctx, actor, store.AuditListFilter{Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			auditOpts := []ui.Option{{Value: "", Label: "Choose an audit", Selected: f.AuditID == 0}}
			for _, a := range as {
				if a.Working() || a.ID == f.AuditID {
					auditOpts = append(auditOpts, ui.Option{Value: strconv.FormatInt(a.ID, 10), Label: assurance.AuditKind.Number(a.ID) + " " + a.Title, Selected: a.ID == f.AuditID})
				}
			}
			owners, err := p.UserPicker(fc, "owner_id", "Auditee", owner, access.AuditsRead)
			if err != nil {
				return nil, err
			}
			owners.Help = "Who answers for dealing with it: usually the owner of the process or document concerned."
			fields := []ui.Field{}
			if fc.Creating {
				fields = append(fields, ui.Field{Name: "audit_id", Label: "Audit", Type: "select", Options: auditOpts, Required: true})
			}
			return append(fields,
				ui.Field{Name: "requirement", Label: "Requirement", Value: reqCode, Required: true, Placeholder: "8.5.1",
					Help: "The clause number the finding is against; it must be in the audit's scope."},
				ui.Field{Name: "type", Label: "Type", Type: "radios", Value: f.Type, Options: choices(assurance.FindingTypes, f.Type), Required: true,
					Help: "Major: the SMS fails to achieve what it should. Minor: a lapse that does not. Observation and opportunity for improvement need no formal answer."},
				ui.Field{Name: "statement", Label: "Statement", Type: "textarea", Rows: 4, Value: f.Statement, Required: true,
					Help: "What was found, against which requirement, and the evidence seen."},
				ui.Field{Name: "records", Label: "Records that show it", Value: records, Placeholder: "evidence 3, document 2",
					Help: "Each as its kind and id, separated by commas."},
				owners,
			), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.Finding, error) {
			in, err := findingInput(ctx, c, actor, f)
			if err != nil {
				return assurance.Finding{}, err
			}
			if item, err := strconv.ParseInt(f.Get("item_id"), 10, 64); err == nil {
				in.ItemID = &item
			}
			return c.CreateFinding(ctx, actor, in)
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.Finding, error) {
			in, err := findingInput(ctx, c, actor, f)
			if err != nil {
				return assurance.Finding{}, err
			}
			return c.UpdateFinding(ctx, actor, id, version, assurance.FindingUpdate{RequirementID: &in.RequirementID, Type: &in.Type, Statement: &in.Statement,
				Records: &in.Records, OwnerID: ptr(deref(in.OwnerID))})
		},
		Delete: c.DeleteFinding,
	}
}

func ptr(v int64) *int64 { return &v }

// findingInput reads a finding's form.
func findingInput(ctx context.Context, c *assuranceapp.Catalogue, actor access.Actor, f url.Values) (assurance.FindingInput, error) {
	reqs, err := c.Requirements(ctx, actor)
	if err != nil {
		return assurance.FindingInput{}, err
	}
	req, err := clauseIDs(reqs, "requirement_id", f.Get("requirement"))
	if err != nil {
		return assurance.FindingInput{}, err
	}
	recs, err := assurance.ParseRefs("records", f.Get("records"))
	if err != nil {
		return assurance.FindingInput{}, err
	}
	audit, _ := strconv.ParseInt(f.Get("audit_id"), 10, 64)
	owner, _ := strconv.ParseInt(f.Get("owner_id"), 10, 64)
	in := assurance.FindingInput{AuditID: audit, Type: f.Get("type"), Statement: f.Get("statement"), Records: recs, OwnerID: &owner}
	if len(req) > 0 {
		in.RequirementID = req[0]
	}
	return in, nil
}
