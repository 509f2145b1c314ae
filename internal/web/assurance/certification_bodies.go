package assurance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// verifyBadge flags a body whose credentials need checking before
// booking it.
var verifyBadge = ui.Badge{Text: "Verify before booking", Tone: ui.Warning}

// bodyPages are the certification bodies' pages.
func bodyPages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.CertificationBody, *assurance.CertificationBody] {
	k := assurance.CertificationBodyKind
	return web.Resource[assurance.CertificationBody, *assurance.CertificationBody]{
		Kind:     k,
		Subtitle: "The bodies that audit and certify the SMS, with their accreditation. Check a body's accreditation in the accreditation body's register before booking it, and again every year.",
		Empty: ui.Empty{Icon: "building", Title: "No certification bodies yet",
			Text: "Record the bodies you consider, with their accreditation, and check that it covers ISO/IEC 20000-1."},
		Columns: []web.Column[assurance.CertificationBody]{
			{Column: ui.Column{Label: "Name", Key: true, Sort: "text"}, Value: func(b assurance.CertificationBody) ui.Value { return ui.Text(b.Name) }},
			{Column: ui.Column{Label: "Accreditation body", Sort: "text"}, Value: func(b assurance.CertificationBody) ui.Value { return ui.Text(b.AccreditationBody) }},
			{Column: ui.Column{Label: "Accredited for ISO/IEC 20000-1", Sort: "text"}, Value: func(b assurance.CertificationBody) ui.Value { return coversValue(b.Covers20000) }},
			{Column: ui.Column{Label: "Credentials verified on", Sort: "time"}, Value: func(b assurance.CertificationBody) ui.Value { return verifiedValue(b, c.Today()) }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "verified", Label: "Credentials", Type: "select", Options: choices([]assurance.Code{{Code: "", Label: "Any"}, {Code: "due", Label: "To verify"}}, q.Get("verified"))},
				{Name: "covers", Label: "Accredited for ISO/IEC 20000-1", Type: "select", Options: choices(append([]assurance.Code{{Code: "", Label: "Any"}}, assurance.Answers...), q.Get("covers"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.CertificationBody, string, error) {
			f := store.CertificationBodyFilter{Query: q.Get("q"), Cursor: cursor}
			if q.Get("verified") == "due" {
				f.UnverifiedSince = c.UnverifiedSince()
			}
			if cv := q.Get("covers"); cv != "" {
				f.Covers20000 = cv
			}
			return c.ListCertificationBodies(ctx, actor, f)
		},
		Get:  c.GetCertificationBody,
		Name: func(b assurance.CertificationBody) string { return b.Name },
		Badges: func(b assurance.CertificationBody) []ui.Badge {
			if b.NeedsVerification(c.Today()) {
				return []ui.Badge{verifyBadge}
			}
			return []ui.Badge{{Text: "Verified", Tone: ui.Success}}
		},
		Details: func(ctx context.Context, rq *web.Request, b assurance.CertificationBody) []ui.Item {
			verifiedBy := ui.Value{Empty: "Nobody yet"}
			if b.VerifiedBy != 0 {
				verifiedBy = p.Ref(ctx, rq.Auth.Actor, account.UserKind.Entity, b.VerifiedBy)
			}
			return []ui.Item{
				{Label: "Accreditation body", Value: ui.Text(b.AccreditationBody)},
				{Label: "Accreditation number", Value: ui.Value{Text: b.AccreditationNumber, Code: b.AccreditationNumber != ""}},
				{Label: "Accredited for ISO/IEC 20000-1", Help: "Whether the accreditation covers certifying service management systems to ISO/IEC 20000-1 (under ISO/IEC 20000-6).", Value: coversValue(b.Covers20000)},
				{Label: "Credentials verified on", Help: "A check older than a year, or none, asks for another before booking the body.", Value: verifiedValue(b, c.Today())},
				{Label: "Verified by", Value: verifiedBy},
				{Label: "Accreditation scope", Value: ui.Value{Text: b.AccreditationScope, Long: true}},
				{Label: "Contacts", Value: ui.Value{Text: b.Contacts, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, b assurance.CertificationBody) ([]web.Section, error) {
			list, _, err := c.ListCertificates(ctx, rq.Auth.Actor, store.CertificateFilter{BodyID: b.ID, Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			t := certificateTable(rq, c, list, "Certificates it issued")
			as, _, err := c.ListAudits(ctx, rq.Auth.Actor, store.AuditListFilter{BodyID: b.ID, Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			at := &ui.Table{Caption: "Audits it runs", Columns: []ui.Column{{Label: "Audit", Key: true, Sort: "text"}, {Label: "Type", Sort: "text"},
				{Label: "Planned start", Sort: "time"}, {Label: "State", Sort: "text"}},
				Empty: ui.Empty{Icon: "checklist", Title: "No audits", Text: "No audit names this body yet."}}
			for _, a := range as {
				at.Rows = append(at.Rows, ui.Row{Href: auditHref(a.ID), Cells: []ui.Value{ui.Linked(a.Title, auditHref(a.ID)),
					ui.Text(assurance.LabelOf(assurance.AuditTypes, a.Type)), dayValue(a.PlannedStart), {Badges: []ui.Badge{auditStateBadge(a.State)}}}})
			}
			return []web.Section{{Title: "Certificates", Table: &t}, {Title: "Audits", Table: at}}, nil
		},
		More: func(rq *web.Request, b assurance.CertificationBody) []ui.Action {
			return []ui.Action{{Label: "Record credentials verified today", Icon: "shield-check", CSRF: rq.Base.CSRF,
				Post: fmt.Sprintf("/%s/%d/verify", k.Path(), b.ID), Hidden: []ui.Hidden{{Name: "version", Value: fmt.Sprint(b.Version)}}}}
		},
		Fields: func(fc web.FormContext, b assurance.CertificationBody) ([]ui.Field, error) {
			covers := b.Covers20000
			if covers == "" {
				covers = "unknown"
			}
			return []ui.Field{
				{Name: "name", Label: "Name", Value: b.Name, Required: true},
				{Name: "accreditation_body", Label: "Accreditation body", Value: b.AccreditationBody, Help: "Who accredits the certification body, such as the national accreditation body."},
				{Name: "accreditation_number", Label: "Accreditation number", Value: b.AccreditationNumber},
				{Name: "covers_20000", Label: "Accredited for ISO/IEC 20000-1", Type: "select", Value: covers, Options: choices(assurance.Answers, covers),
					Help: "Whether the accreditation covers certifying service management systems to ISO/IEC 20000-1 (under ISO/IEC 20000-6)."},
				{Name: "accreditation_scope", Label: "Accreditation scope", Type: "textarea", Rows: 3, Value: b.AccreditationScope, Help: "What the accreditation covers, as the accreditation body's register says."},
				{Name: "contacts", Label: "Contacts", Type: "textarea", Rows: 3, Value: b.Contacts},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.CertificationBody, error) {
			return c.CreateCertificationBody(ctx, actor, bodyInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.CertificationBody, error) {
			in := bodyInput(f)
			return c.UpdateCertificationBody(ctx, actor, id, version, assurance.BodyUpdate{Name: &in.Name, AccreditationBody: &in.AccreditationBody,
				AccreditationNumber: &in.AccreditationNumber, AccreditationScope: &in.AccreditationScope, Covers20000: &in.Covers20000, Contacts: &in.Contacts})
		},
		Delete: c.DeleteCertificationBody,
		DeleteText: func(assurance.CertificationBody) string {
			return "It leaves every list; its history stays in the audit trail. A body that issued a certificate, or that an audit names, cannot be deleted."
		},
	}
}

func bodyInput(f url.Values) assurance.BodyInput {
	return assurance.BodyInput{Name: f.Get("name"), AccreditationBody: f.Get("accreditation_body"), AccreditationNumber: f.Get("accreditation_number"),
		AccreditationScope: f.Get("accreditation_scope"), Covers20000: f.Get("covers_20000"), Contacts: f.Get("contacts")}
}

// verifyBody answers "Record credentials verified today".
func verifyBody(c *assuranceapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		if _, err := c.VerifyCertificationBody(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version")); err != nil {
			return err
		}
		http.Redirect(w, r, fmt.Sprintf("/%s/%d?done=saved", assurance.CertificationBodyKind.Path(), id), http.StatusSeeOther)
		return nil
	}
}

func coversValue(v string) ui.Value {
	tone := map[string]ui.Tone{"yes": ui.Success, "no": ui.Danger, "unknown": ui.Warning}[v]
	return ui.Badged(assurance.LabelOf(assurance.Answers, v), tone)
}

func verifiedValue(b assurance.CertificationBody, today string) ui.Value {
	v := certDay(b.VerifiedOn)
	if b.VerifiedOn == "" {
		v = ui.Value{}
	}
	if b.NeedsVerification(today) {
		v.Badges = []ui.Badge{verifyBadge}
	}
	return v
}

// certDay shows a day in the reader's format.
func certDay(day string) ui.Value {
	if d, err := assurance.ParseDay(day); err == nil {
		return ui.Value{Day: d}
	}
	return ui.Value{Text: day}
}

func certAtoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
