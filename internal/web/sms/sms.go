// Package sms is the management system's pages: the requirements
// catalogue (frameworks, each framework's tree of requirements, each
// requirement with our guidance and its cross-references) and loading a
// framework from a file. The words on each page are in its template and
// in the Go file of that page.
package sms

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

//go:embed templates/*.html
var templates embed.FS

// pages holds what the handlers share.
type pages struct {
	p *web.Pages
	c *smsapp.Catalogue
}

// Area is the management system's pages.
func Area(c *smsapp.Catalogue) web.Area {
	tmpl, err := fs.Sub(templates, "templates")
	if err != nil {
		panic(err) // the embedded folder is there at build time
	}
	return web.Area{
		Name:      "sms",
		Templates: tmpl,
		Pages: []web.Page{
			{Name: "frameworks", Uses: []string{"ui-table", "ui-empty", "icon"}},
			{Name: "framework", Uses: []string{"ui-tabs", "ui-dl", "history", "ui-empty", "icon"}},
			{Name: "requirement", Uses: []string{"ui-tabs", "ui-dl", "history", "ui-table", "ui-empty", "icon", "ui-action"}},
			{Name: "framework_import", Uses: []string{"ui-form"}},
			{Name: "training_matrix", Uses: []string{"ui-filter", "section", "icon"}, Fragment: true},
			{Name: "journey", Uses: []string{"icon", "ui-badge"}},
			{Name: "documents_sections", Uses: []string{"section"}},
			{Name: "assessment_work", Uses: []string{"ui-dl", "ui-heatmap", "icon"}, Fragment: true},
			{Name: "assessment_compare", Uses: []string{"ui-dl", "ui-badge", "ui-table", "ui-empty"}},
			{Name: "process_map", Uses: []string{"ui-badge", "ui-empty"}},
			{Name: "raci_matrix", Uses: []string{"ui-dl", "ui-table"}},
			{Name: "timeline", Uses: []string{"ui-filter", "ui-empty", "ui-action", "ui-badge", "icon"}, Fragment: true},
			{Name: "risk_matrix", Uses: []string{"ui-badge", "ui-empty"}},
			{Name: "risk_scales", Uses: []string{"ui-badge", "ui-form"}},
		},
		Links: []web.Link{journeyLink},
		Routes: func(p *web.Pages, mux guard.Registrar) {
			pg := &pages{p: p, c: c}
			p.Handle(mux, "GET "+journeyPath, journeyLink.Perm, pg.journey)
			fk, rk := sms.FrameworkKind, sms.RequirementKind
			p.Handle(mux, "GET /"+fk.Path(), fk.Read, pg.frameworks)
			p.Handle(mux, "GET /"+fk.Path()+"/import", fk.Write, pg.importForm)
			p.Handle(mux, "POST /"+fk.Path()+"/import", fk.Write, pg.importFile)
			p.Handle(mux, "GET /"+fk.Path()+"/{id}", fk.Read, pg.framework)
			p.Handle(mux, "GET /"+fk.Path()+"/{id}/export", fk.Read, pg.export)
			p.Handle(mux, "GET /"+rk.Path()+"/{id}", rk.Read, pg.requirement)
			p.Handle(mux, "GET "+timelinePath, sms.ActionKind.Read, timeline(p, c))
			actionPages(p, c).Register(p, mux)
			p.Handle(mux, "POST /assessments/{id}/plan", sms.ActionKind.Write, planFromGaps(c))
			assessmentPages(p, c).Register(p, mux)
			assessmentWorkRoutes(pg, mux)
			resultPages(p, c).Register(p, mux)
			registerTraining(p, c, mux)
			evidencePages(p, c).Register(p, mux)
			p.Handle(mux, "GET /"+sms.EvidenceKind.Path()+"/{id}/file", sms.EvidenceKind.Read, evidenceFile(c))
			registerDocumentPages(p, c, mux)
			servicePages(p, c).Register(p, mux)
			scopePages(p, c).Register(p, mux)
			p.Handle(mux, "POST /"+sms.ScopeKind.Path()+"/{id}/approve", access.ScopesApprove, approveScope(c))
			contextIssuePages(p, c).Register(p, mux)
			interestedPartyPages(c).Register(p, mux)
			communicationPages(p, c).Register(p, mux)
			registerProcesses(p, mux, c)
			registerRisks(p, c, mux)
		},
		Home:    web.HomeCards(journeyHome(c), actionsHome(c), documentsHome(c)),
		Related: evidenceFor(c),
	}
}

func frameworkHref(id int64) string   { return fmt.Sprintf("/%s/%d", sms.FrameworkKind.Path(), id) }
func requirementHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.RequirementKind.Path(), id) }

// builtIn marks the framework that comes with Conform.
var builtIn = ui.Badge{Text: "Built in", Tone: ui.Info}

// exclusions says whether a framework allows exclusions.
func exclusions(allowed bool) ui.Badge {
	if allowed {
		return ui.Badge{Text: "Allowed", Tone: ui.Warning}
	}
	return ui.Badge{Text: "Not allowed", Tone: ui.Neutral}
}

// crumbs lead from home to the frameworks and on.
func crumbs(more ...ui.Crumb) []ui.Crumb {
	return append([]ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.FrameworkKind.Plural, Href: "/" + sms.FrameworkKind.Path()}}, more...)
}
