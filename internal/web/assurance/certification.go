package assurance

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// certificationPage declares certification's own template.
var certificationPage = web.Page{Name: "certification_sections", Uses: []string{"section"}}

// registerCertification adds certification's pages: bodies,
// certificates with their cycle and renewal, planned audits, the
// calendar address and its feed.
func registerCertification(p *web.Pages, c *assuranceapp.Catalogue, mux guard.Registrar) {
	bodyPages(p, c).Register(p, mux)
	p.Handle(mux, "POST /"+assurance.CertificationBodyKind.Path()+"/{id}/verify", assurance.CertificationBodyKind.Write, verifyBody(c))
	certificatePages(p, c).Register(p, mux)
	ck := assurance.CertificateKind
	p.Handle(mux, "GET /"+ck.Path()+"/{id}/renew", ck.Write, renew(c, p))
	p.Handle(mux, "POST /"+ck.Path()+"/{id}/renew", ck.Write, renew(c, p))
	plannedAuditPages(p, c).Register(p, mux)
	calendarRoutes(p, c, func(pattern string, perm access.Permission, h web.PageHandler) { p.Handle(mux, pattern, perm, h) })
}

// certificationHome is the home page's card of the certificates at risk,
// for the SMS managers and top management, who answer for keeping it.
func certificationHome(c *assuranceapp.Catalogue) func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
	return func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
		actor := rq.Auth.Actor
		if actor.Role != access.SMSManager && actor.Role != access.TopManagement {
			return nil, nil
		}
		risky, err := c.AtRisk(ctx, actor)
		if err != nil || len(risky) == 0 {
			return nil, err
		}
		s := web.Section{Title: "Certification at risk", Help: "A planned audit of a certificate in force is past its due-by day and not done: a missed surveillance audit leads to suspension.",
			Table: &ui.Table{Caption: "Certificates at risk", Columns: []ui.Column{{Label: "Certificate", Key: true}, {Label: "Overdue audit"}, {Label: "Due by"}}}}
		today := c.Today()
		for _, st := range risky {
			href := fmt.Sprintf("/%s/%d", assurance.CertificateKind.Path(), st.ID)
			for _, a := range st.Cycle {
				if a.Overdue(today) {
					s.Table.Rows = append(s.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(assuranceapp.CertificateName(st.Certificate), href),
						{Text: rq.L.Lookup(assurance.LabelOf(assurance.CycleAuditTypes, a.Type)), Badges: []ui.Badge{{Text: "Overdue", Tone: ui.Danger}}}, certDay(a.DueBy)}})
				}
			}
		}
		s.Actions = []ui.Action{{Label: "Certificates at risk", Href: "/" + assurance.CertificateKind.Path() + "?risk=1"}}
		return []web.Section{s}, nil
	}
}
