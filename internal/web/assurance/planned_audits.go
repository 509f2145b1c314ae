package assurance

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// plannedAuditPages are the pages of the audits planned in certificates'
// cycles.
func plannedAuditPages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.PlannedAudit, *assurance.PlannedAudit] {
	k := assurance.PlannedAuditKind
	return web.Resource[assurance.PlannedAudit, *assurance.PlannedAudit]{
		Kind:     k,
		Subtitle: "The audits that keep and renew the certificates, each due by a day. A surveillance audit not done by its day puts the certificate at risk of suspension.",
		Empty: ui.Empty{Icon: "route", Title: "No audits planned",
			Text: "Recording a certificate plans its surveillance and recertification audits."},
		Columns: []web.Column[assurance.PlannedAudit]{
			{Column: ui.Column{Label: "Audit", Key: true, Sort: "text"}, Value: func(a assurance.PlannedAudit) ui.Value {
				return ui.Text(assurance.LabelOf(assurance.CycleAuditTypes, a.Type))
			}},
			{Column: ui.Column{Label: "Certificate", Sort: "text"}, Ref: assurance.CertificateKind.Entity, RefID: func(a assurance.PlannedAudit) int64 { return a.CertificateID }},
			{Column: ui.Column{Label: "Due by", Sort: "time"}, Value: func(a assurance.PlannedAudit) ui.Value { return certDay(a.DueBy) }},
			{Column: ui.Column{Label: "Planned on", Sort: "time"}, Value: func(a assurance.PlannedAudit) ui.Value { return optionalDay(a.PlannedOn, "Not booked") }},
			{Column: ui.Column{Label: "Status", Sort: "text"}, Value: func(a assurance.PlannedAudit) ui.Value {
				return ui.Value{Badges: []ui.Badge{plannedBadge(a, c.Today())}}
			}},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "state", Label: "Status", Type: "select", Options: choices([]assurance.Code{{Code: "", Label: "Not done"}, {Code: "overdue", Label: "Overdue"}, {Code: "all", Label: "Any"}}, q.Get("state"))},
				{Name: "type", Label: "Type", Type: "select", Options: choices(append([]assurance.Code{{Code: "", Label: "Any"}}, assurance.CycleAuditTypes...), q.Get("type"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.PlannedAudit, string, error) {
			f := store.PlannedAuditFilter{Type: q.Get("type"), Cursor: cursor}
			switch q.Get("state") {
			case "":
				f.Open = true
			case "overdue":
				f.Open, f.DueUntil = true, assurance.AddDays(c.Today(), -1)
			}
			return c.ListPlannedAudits(ctx, actor, f)
		},
		Get:  c.GetPlannedAudit,
		Name: func(a assurance.PlannedAudit) string { return assurance.LabelOf(assurance.CycleAuditTypes, a.Type) },
		Title: func(rq *web.Request, a assurance.PlannedAudit) string {
			return rq.L.Lookup(assurance.LabelOf(assurance.CycleAuditTypes, a.Type))
		},
		Badges: func(a assurance.PlannedAudit) []ui.Badge { return []ui.Badge{plannedBadge(a, c.Today())} },
		Crumbs: func(a assurance.PlannedAudit) []ui.Crumb {
			ck := assurance.CertificateKind
			return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: ck.Plural, Href: "/" + ck.Path()}, {Label: ck.Number(a.CertificateID), Href: fmt.Sprintf("/%s/%d", ck.Path(), a.CertificateID)}}
		},
		Details: func(ctx context.Context, rq *web.Request, a assurance.PlannedAudit) []ui.Item {
			audit := ui.Value{Empty: "None linked yet"}
			if a.AuditID != 0 {
				audit = ui.Text(strconv.FormatInt(a.AuditID, 10))
			}
			return []ui.Item{
				{Label: "Certificate", Value: p.Ref(ctx, rq.Auth.Actor, assurance.CertificateKind.Entity, a.CertificateID)},
				{Label: "Type", Value: ui.Text(assurance.LabelOf(assurance.CycleAuditTypes, a.Type))},
				{Label: "Due by", Help: "The last day the audit may be done without risking the certificate.", Value: certDay(a.DueBy)},
				{Label: "Planned on", Help: "The day booked with the certification body.", Value: optionalDay(a.PlannedOn, "Not booked")},
				{Label: "Done on", Value: optionalDay(a.DoneOn, "Not done")},
				{Label: "Audit", Help: "The audit record that holds its findings, when there is one.", Value: audit},
				{Label: "Notes", Value: ui.Value{Text: a.Notes, Long: true}},
			}
		},
		Fields: func(fc web.FormContext, a assurance.PlannedAudit) ([]ui.Field, error) {
			var fields []ui.Field
			if fc.Creating {
				cert := a.CertificateID
				if cert == 0 {
					cert = certAtoi(fc.Query.Get("certificate_id"))
				}
				if fc.Posted != nil {
					cert = certAtoi(fc.Posted.Get("certificate_id"))
				}
				certs, _, err := c.ListCertificates(fc.Ctx, fc.Actor, store.CertificateFilter{Limit: store.MaxLimit})
				if err != nil {
					return nil, err
				}
				cf := ui.Field{Name: "certificate_id", Label: "Certificate", Type: "select", Required: true, Value: strconv.FormatInt(cert, 10)}
				cf.Options = append(cf.Options, ui.Option{Value: "", Label: fc.L.Lookup("Choose a certificate")})
				for _, x := range certs {
					cf.Options = append(cf.Options, ui.Option{Value: strconv.FormatInt(x.ID, 10), Label: assuranceapp.CertificateName(x), Selected: x.ID == cert})
				}
				typ := a.Type
				if typ == "" {
					typ = assurance.SpecialAudit
				}
				fields = append(fields, cf, ui.Field{Name: "type", Label: "Type", Type: "select", Value: typ, Options: choices(assurance.CycleAuditTypes, typ)})
			}
			audit := ""
			if a.AuditID != 0 {
				audit = strconv.FormatInt(a.AuditID, 10)
			}
			return append(fields,
				ui.Field{Name: "due_by", Label: "Due by", Type: "date", Value: a.DueBy, Required: true, Help: "The last day the audit may be done without risking the certificate."},
				ui.Field{Name: "planned_on", Label: "Planned on", Type: "date", Value: a.PlannedOn, Help: "The day booked with the certification body."},
				ui.Field{Name: "done_on", Label: "Done on", Type: "date", Value: a.DoneOn, Help: "The first surveillance done moves the second's due-by day into the calendar year after it."},
				ui.Field{Name: "audit_id", Label: "Audit", Type: "number", Value: audit, Help: "The number of the audit record that holds its findings, when there is one."},
				ui.Field{Name: "notes", Label: "Notes", Type: "textarea", Rows: 3, Value: a.Notes},
			), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.PlannedAudit, error) {
			in, err := plannedInput(f)
			if err != nil {
				return assurance.PlannedAudit{}, err
			}
			return c.CreatePlannedAudit(ctx, actor, in)
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.PlannedAudit, error) {
			in, err := plannedInput(f)
			if err != nil {
				return assurance.PlannedAudit{}, err
			}
			return c.UpdatePlannedAudit(ctx, actor, id, version, assurance.PlannedAuditUpdate{DueBy: &in.DueBy, PlannedOn: &in.PlannedOn, DoneOn: &in.DoneOn, AuditID: &in.AuditID, Notes: &in.Notes})
		},
		Delete: c.DeletePlannedAudit,
		DeleteText: func(assurance.PlannedAudit) string {
			return "It leaves the certificate's cycle; its history stays in the audit trail."
		},
	}
}

func plannedInput(f url.Values) (assurance.PlannedAuditInput, error) {
	in := assurance.PlannedAuditInput{CertificateID: certAtoi(f.Get("certificate_id")), Type: f.Get("type"), DueBy: f.Get("due_by"), PlannedOn: f.Get("planned_on"),
		DoneOn: f.Get("done_on"), Notes: f.Get("notes")}
	if s := f.Get("audit_id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return in, errs.Field("audit_id", "must be an audit's number, or empty for none")
		}
		in.AuditID = n
	}
	return in, nil
}

func optionalDay(day, none string) ui.Value {
	if day == "" {
		return ui.Value{Empty: none}
	}
	return certDay(day)
}

// plannedBadge says where a planned audit stands.
func plannedBadge(a assurance.PlannedAudit, today string) ui.Badge {
	switch {
	case a.DoneOn != "":
		return ui.Badge{Text: "Done", Tone: ui.Success}
	case a.Overdue(today):
		return ui.Badge{Text: "Overdue", Tone: ui.Danger}
	case a.PlannedOn != "":
		return ui.Badge{Text: "Booked", Tone: ui.Info}
	}
	return ui.Badge{Text: "To book", Tone: ui.Warning}
}

// cycleTable is a certificate's planned audits.
func cycleTable(rq *web.Request, cycle []assurance.PlannedAudit, today string) ui.Table {
	t := ui.Table{Caption: "Planned audits", Columns: []ui.Column{{Label: "Audit", Key: true}, {Label: "Due by"}, {Label: "Planned on"}, {Label: "Done on"}, {Label: "Status"}},
		Empty: ui.Empty{Icon: "route", Title: "No audits planned", Text: "Add the audits of this certificate's cycle."}}
	for _, a := range cycle {
		href := fmt.Sprintf("/%s/%d", assurance.PlannedAuditKind.Path(), a.ID)
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(rq.L.Lookup(assurance.LabelOf(assurance.CycleAuditTypes, a.Type)), href), certDay(a.DueBy),
			optionalDay(a.PlannedOn, "Not booked"), optionalDay(a.DoneOn, "Not done"), {Badges: []ui.Badge{plannedBadge(a, today)}}}})
	}
	return t
}
