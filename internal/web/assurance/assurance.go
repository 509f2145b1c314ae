// Package assurance is the pages of audits, nonconformities and
// corrective action, management review, continual improvement and
// certification.
package assurance

import (
	"embed"
	"io/fs"

	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/web"
)

//go:embed templates
var templates embed.FS

// pages holds what the handlers share.
type pages struct {
	p *web.Pages
	c *assuranceapp.Catalogue
}

// Area is the area's pages.
func Area(c *assuranceapp.Catalogue) web.Area {
	tmpl, err := fs.Sub(templates, "templates")
	if err != nil {
		panic(err) // the embedded folder is there at build time
	}
	return web.Area{
		Name:      "assurance",
		Templates: tmpl,
		Pages: []web.Page{
			{Name: "readiness", Uses: []string{"icon", "ui-badge"}},
			{Name: "dashboard", Uses: []string{"section", "icon"}},
			certificationPage,
			sharedPage,
			{Name: "audit_checklist", Uses: []string{"ui-dl", "icon"}, Fragment: true},
			{Name: "audit_line", Uses: []string{"ui-dl", "icon", "section"}},
			{Name: "audit_coverage", Uses: []string{"ui-value", "ui-badge", "icon"}},
			{Name: "audit_report", Uses: []string{"ui-dl", "ui-action", "ui-badge", "icon"}},
		},
		Links: []web.Link{dashboardLink, readinessLink, calendarLink},
		Home:  web.HomeCards(sharedHome(c), dashboardHome(c), certificationHome(c)),
		Routes: func(p *web.Pages, mux guard.Registrar) {
			pg := &pages{p: p, c: c}
			p.Handle(mux, "GET "+readinessLink.Href, readinessLink.Perm, pg.readiness)
			p.Handle(mux, "GET "+dashboardLink.Href, dashboardLink.Perm, pg.dashboard)
			registerAudits(pg, mux)
			registerNonconformities(p, c, mux)
			registerReviews(p, c, mux)
			registerImprovements(p, c, mux)
			registerCertification(p, c, mux)
		},
	}
}
