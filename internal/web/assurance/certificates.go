package assurance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// certificatePages are the certificates' pages; a certificate's page
// shows its cycle of planned audits and what an overdue one risks.
func certificatePages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.Certificate, *assurance.Certificate] {
	k := assurance.CertificateKind
	return web.Resource[assurance.Certificate, *assurance.Certificate]{
		Kind:     k,
		Subtitle: "The SMS's certificates: valid for three years, kept by a surveillance audit in each of the first two years and renewed by a recertification audit before expiry.",
		Empty: ui.Empty{Icon: "certificate", Title: "No certificates yet",
			Text: "Once the certification body decides to certify, record the certificate: its cycle of audits is planned from the decision."},
		Columns: []web.Column[assurance.Certificate]{
			{Column: ui.Column{Label: "Certificate", Key: true, Sort: "text"}, Value: func(x assurance.Certificate) ui.Value { return ui.Text(assuranceapp.CertificateName(x)) }},
			{Column: ui.Column{Label: "Certification body", Sort: "text"}, Ref: assurance.CertificationBodyKind.Entity, RefID: func(x assurance.Certificate) int64 { return x.BodyID }},
			{Column: ui.Column{Label: "Expires on", Sort: "time"}, Value: func(x assurance.Certificate) ui.Value { return certDay(x.ExpiresOn) }},
			{Column: ui.Column{Label: "Status", Sort: "text"}, Value: func(x assurance.Certificate) ui.Value {
				return ui.Value{Badges: certBadges(c, x)}
			}},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "state", Label: "Status", Type: "select", Options: choices(append([]assurance.Code{{Code: "", Label: "Any"}}, assurance.CertificateStates...), q.Get("state"))},
				{Name: "risk", Label: "Risk", Type: "select", Options: choices([]assurance.Code{{Code: "", Label: "Any"}, {Code: "1", Label: "At risk"}}, q.Get("risk"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.Certificate, string, error) {
			return c.ListCertificates(ctx, actor, store.CertificateFilter{Query: q.Get("q"), State: q.Get("state"), AtRisk: q.Get("risk") != "", Cursor: cursor})
		},
		Get:    c.GetCertificate,
		Name:   assuranceapp.CertificateName,
		Badges: func(x assurance.Certificate) []ui.Badge { return certBadges(c, x) },
		Details: func(ctx context.Context, rq *web.Request, x assurance.Certificate) []ui.Item {
			items := []ui.Item{
				{Label: "Certification body", Value: p.Ref(ctx, rq.Auth.Actor, assurance.CertificationBodyKind.Entity, x.BodyID)},
				{Label: "Certificate number", Value: ui.Value{Text: x.CertNumber, Code: true}},
				{Label: "Standard and edition", Value: ui.Text(x.Standard)},
				{Label: "Issued on", Value: certDay(x.IssuedOn)},
				{Label: "Certification decision on", Value: certDay(x.DecidedOn)},
				{Label: "Cycle starts on", Help: "The decision for a first certificate; the day after the old expiry for a renewal.", Value: certDay(x.CycleStart)},
				{Label: "Expires on", Value: certDay(x.ExpiresOn)},
				{Label: "Remind days ahead", Help: "How many days before each planned audit's due day the SMS managers are reminded.", Value: ui.Text(strconv.FormatInt(x.ReminderDays, 10))},
			}
			if x.PreviousID != 0 {
				items = append(items, ui.Item{Label: "Renews", Value: p.Ref(ctx, rq.Auth.Actor, k.Entity, x.PreviousID)})
			}
			return append(items, ui.Item{Label: "Scope", Value: ui.Value{Text: x.Scope, Long: true}})
		},
		Related: func(ctx context.Context, rq *web.Request, x assurance.Certificate) ([]web.Section, error) {
			s, err := c.CertificateStanding(ctx, rq.Auth.Actor, x.ID)
			if err != nil {
				return nil, err
			}
			var out []web.Section
			switch s.Risk {
			case "suspension":
				out = append(out, web.Section{Title: "At risk of suspension",
					Help: "A surveillance audit is past its due-by day and not done. Without it the certification body suspends the certificate; book the audit with the body now."})
			case "lapse":
				out = append(out, web.Section{Title: "At risk of lapsing",
					Help: "The recertification audit is past its planned day and not done. If it is not completed before expiry, the certificate lapses."})
			}
			t := cycleTable(rq, s.Cycle, c.Today())
			cycle := web.Section{Title: "Certification cycle", Table: &t,
				Help: "Planned from the cycle's start: the first surveillance no later than 12 months after it, the second in the next calendar year, the recertification 3 months before expiry."}
			if rq.Auth.Actor.Can(k.Write) {
				cycle.Actions = append(cycle.Actions, ui.Action{Label: "Add an audit", Icon: "plus", Href: fmt.Sprintf("/%s/new?certificate_id=%d", assurance.PlannedAuditKind.Path(), x.ID)})
				if s.State != "withdrawn" {
					cycle.Actions = append(cycle.Actions, ui.Action{Label: "Record the renewal", Icon: "refresh", Href: fmt.Sprintf("/%s/%d/renew", k.Path(), x.ID)})
				}
			}
			return append(out, cycle), nil
		},
		Fields: func(fc web.FormContext, x assurance.Certificate) ([]ui.Field, error) {
			bodyField, err := bodyChoice(fc, c, x.BodyID, "", "The body that issued it. A body marked to verify has had its accreditation checked more than a year ago or never: check it before booking.")
			if err != nil {
				return nil, err
			}
			status := x.Status
			if status == "" {
				status = "active"
			}
			std := x.Standard
			if std == "" {
				std = assurance.DefaultStandard
			}
			days := "60"
			if x.ReminderDays != 0 {
				days = strconv.FormatInt(x.ReminderDays, 10)
			}
			return []ui.Field{
				bodyField,
				{Name: "certificate_number", Label: "Certificate number", Value: x.CertNumber, Required: true, Help: "The number the body gave the certificate."},
				{Name: "standard", Label: "Standard and edition", Value: std},
				{Name: "scope", Label: "Scope", Type: "textarea", Rows: 3, Value: x.Scope, Required: true, Help: "The services and the organisation the certificate covers, as it says."},
				{Name: "decided_on", Label: "Certification decision on", Type: "date", Value: x.DecidedOn, Required: true, Help: "The day the body decided to certify; the cycle's audits are planned from it."},
				{Name: "issued_on", Label: "Issued on", Type: "date", Value: x.IssuedOn, Required: true, Help: "On or after the decision."},
				{Name: "expires_on", Label: "Expires on", Type: "date", Value: x.ExpiresOn, Help: "Leave empty for the day before the cycle's third anniversary."},
				{Name: "status", Label: "Status", Type: "select", Value: status, Options: choices(assurance.CertificateStatuses, status), Help: "As the body decided; expired follows from the expiry day."},
				{Name: "reminder_days", Label: "Remind days ahead", Type: "number", Value: days, Help: "How many days before each planned audit's due day the SMS managers are reminded."},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.Certificate, error) {
			return c.CreateCertificate(ctx, actor, certificateInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.Certificate, error) {
			in := certificateInput(f)
			return c.UpdateCertificate(ctx, actor, id, version, assurance.CertificateUpdate{BodyID: &in.BodyID, CertNumber: &in.CertNumber, Standard: &in.Standard,
				Scope: &in.Scope, IssuedOn: &in.IssuedOn, DecidedOn: &in.DecidedOn, ExpiresOn: &in.ExpiresOn, Status: &in.Status, ReminderDays: &in.ReminderDays})
		},
		Delete: c.DeleteCertificate,
		DeleteText: func(assurance.Certificate) string {
			return "It leaves every list with its planned audits; their history stays in the audit trail. A certificate a renewal names cannot be deleted."
		},
	}
}

func certificateInput(f url.Values) assurance.CertificateInput {
	return assurance.CertificateInput{BodyID: certAtoi(f.Get("body_id")), CertNumber: f.Get("certificate_number"), Standard: f.Get("standard"), Scope: f.Get("scope"),
		IssuedOn: f.Get("issued_on"), DecidedOn: f.Get("decided_on"), ExpiresOn: f.Get("expires_on"), Status: f.Get("status"), ReminderDays: certAtoi(f.Get("reminder_days"))}
}

// bodyChoice is the choice of certification body, each whose credentials
// need checking marked so; none is the label of choosing no body, ""
// when one is required.
func bodyChoice(fc web.FormContext, c *assuranceapp.Catalogue, chosen int64, none, help string) (ui.Field, error) {
	if fc.Posted != nil {
		chosen = certAtoi(fc.Posted.Get("body_id"))
	}
	list, _, err := c.ListCertificationBodies(fc.Ctx, fc.Actor, store.CertificationBodyFilter{Limit: store.MaxLimit})
	if err != nil {
		return ui.Field{}, err
	}
	f := ui.Field{Name: "body_id", Label: "Certification body", Type: "select", Required: none == "", Value: strconv.FormatInt(chosen, 10), Help: help}
	f.Options = append(f.Options, ui.Option{Value: "", Label: fc.L.Lookup(or(none, "Choose a certification body")), Selected: chosen == 0})
	for _, b := range list {
		label := b.Name
		if b.NeedsVerification(c.Today()) {
			label = fc.L.T("%s (verify before booking)", b.Name)
		}
		f.Options = append(f.Options, ui.Option{Value: strconv.FormatInt(b.ID, 10), Label: label, Selected: b.ID == chosen})
	}
	return f, nil
}

// certBadges are a certificate's state and risk.
func certBadges(c *assuranceapp.Catalogue, x assurance.Certificate) []ui.Badge {
	st := x.State(c.Today())
	tone := map[string]ui.Tone{"active": ui.Success, "suspended": ui.Danger, "withdrawn": ui.Neutral, "expired": ui.Neutral}[st]
	out := []ui.Badge{{Text: assurance.LabelOf(assurance.CertificateStates, st), Tone: tone}}
	s, err := c.Standings(context.Background(), []assurance.Certificate{x})
	if err == nil {
		switch s[0].Risk {
		case "suspension":
			out = append(out, ui.Badge{Text: "Suspension risk", Tone: ui.Danger})
		case "lapse":
			out = append(out, ui.Badge{Text: "Recertification overdue", Tone: ui.Danger})
		}
	}
	return out
}

// certificateTable lists certificates, linked.
func certificateTable(rq *web.Request, c *assuranceapp.Catalogue, list []assurance.Certificate, caption string) ui.Table {
	t := ui.Table{Caption: caption, Columns: []ui.Column{{Label: "Certificate", Key: true}, {Label: "Expires on"}, {Label: "Status"}},
		Empty: ui.Empty{Icon: "certificate", Title: "No certificates", Text: "None recorded for this body."}}
	for _, x := range list {
		href := fmt.Sprintf("/%s/%d", assurance.CertificateKind.Path(), x.ID)
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(assuranceapp.CertificateName(x), href), certDay(x.ExpiresOn), {Badges: certBadges(c, x)}}})
	}
	return t
}

// renewForm is the form of a certificate's renewal.
func renewForm(rq *web.Request, x assurance.Certificate, f url.Values) ui.Form {
	path := fmt.Sprintf("/%s/%d", assurance.CertificateKind.Path(), x.ID)
	return ui.Form{ID: "renew-form", Action: path + "/renew", CSRF: rq.Base.CSRF, Submit: "Record the renewal", Cancel: path, Fields: []ui.Field{
		{Name: "certificate_number", Label: "New certificate number", Value: f.Get("certificate_number"), Required: true},
		{Name: "recertified_on", Label: "Recertification audit done on", Type: "date", Value: f.Get("recertified_on"), Help: "Marks this cycle's recertification audit done."},
		{Name: "decided_on", Label: "Certification decision on", Type: "date", Value: f.Get("decided_on"), Required: true},
		{Name: "issued_on", Label: "Issued on", Type: "date", Value: f.Get("issued_on"), Required: true},
		{Name: "expires_on", Label: "Expires on", Type: "date", Value: f.Get("expires_on"), Help: rq.T("Leave empty for three years on from the old expiry, %s.", x.ExpiresOn)},
		{Name: "scope", Label: "Scope", Type: "textarea", Rows: 3, Value: f.Get("scope"), Help: "Leave empty to keep the old certificate's scope."},
	}}
}

// renew shows and takes the renewal form: the new certificate runs on
// from the old expiry.
func renew(c *assuranceapp.Catalogue, p *web.Pages) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		x, err := c.GetCertificate(r.Context(), rq.Auth.Actor, id)
		if err != nil {
			return err
		}
		k := assurance.CertificateKind
		page := web.FormPage{Base: rq.Base}
		page.Title = rq.T("Renew %s", assuranceapp.CertificateName(x))
		page.Subtitle = "Record the certificate the body issued after the recertification audit. Its cycle runs on from the day after this certificate's expiry, and its audits are planned as for a first certificate."
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: k.Plural, Href: "/" + k.Path()}, {Label: assuranceapp.CertificateName(x), Href: fmt.Sprintf("/%s/%d", k.Path(), id)}}
		if r.Method != http.MethodPost {
			page.Form = renewForm(rq, x, url.Values{})
			return p.Render(w, r, http.StatusOK, "form", page)
		}
		f := r.PostForm
		made, err := c.RenewCertificate(r.Context(), rq.Auth.Actor, id, assurance.RenewalInput{CertNumber: f.Get("certificate_number"), Scope: f.Get("scope"),
			IssuedOn: f.Get("issued_on"), DecidedOn: f.Get("decided_on"), ExpiresOn: f.Get("expires_on"), RecertifiedOn: f.Get("recertified_on")})
		return web.FormDone(w, r, err, fmt.Sprintf("/%s/%d?done=created", k.Path(), made.ID), func(status int, msg string, fields web.FieldErrors) error {
			page.Form = renewForm(rq, x, f)
			for _, m := range page.Form.SetErrors(fields) {
				msg += " " + m
			}
			page.Form.Message = msg
			return p.Render(w, r, status, "form", page)
		})
	}
}
