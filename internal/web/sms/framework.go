package sms

import (
	"net/http"

	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// FrameworkPage is a framework with its tree of requirements.
type FrameworkPage struct {
	web.Base
	Tabs    []ui.Tab
	Showing string // "details" or "history"
	Items   []ui.Item
	// Clauses are the top of the tree (for ISO/IEC 20000-1, clauses 4 to
	// 10), each with the requirements under it.
	Clauses []Clause
	Count   int
	History []web.HistoryEntry
	Empty   ui.Empty
}

// Clause is a requirement in the tree, linking to its page.
type Clause struct {
	Code, Title, Href string
	Children          []Clause
}

// tree turns requirements in tree order into nested clauses.
func tree(rs []sms.Requirement) []Clause {
	children := map[int64][]sms.Requirement{}
	for _, r := range rs {
		var parent int64
		if r.ParentID != nil {
			parent = *r.ParentID
		}
		children[parent] = append(children[parent], r)
	}
	var build func(parent int64) []Clause
	build = func(parent int64) []Clause {
		var out []Clause
		for _, r := range children[parent] {
			out = append(out, Clause{Code: r.Code, Title: r.Title, Href: requirementHref(r.ID), Children: build(r.ID)})
		}
		return out
	}
	return build(0)
}

func (pg *pages) framework(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	f, err := pg.c.GetFramework(ctx, actor, id)
	if err != nil {
		return err
	}
	page := FrameworkPage{Base: rq.Base, Showing: "details",
		Empty: ui.Empty{Icon: "clipboard-check", Title: "No requirements", Text: "This framework lists no requirements yet; load a new version of its file to add them."}}
	page.Title, page.Crumbs = f.Name, crumbs()
	page.Subtitle = rq.T("Framework %s", sms.FrameworkKind.Number(f.ID))
	if f.BuiltIn() {
		page.TitleBadges = []ui.Badge{builtIn}
	}
	here := frameworkHref(f.ID)
	page.Actions = []ui.Action{{Label: "Export", Icon: "arrow-down", Href: here + "/export", Name: rq.T("Export %s as a file", f.Name)}}
	if actor.Can(sms.FrameworkKind.Write) {
		page.Menu = []ui.Action{{Label: "Load a new version", Icon: "refresh", Href: "/frameworks/import"}}
	}
	if page.History, err = pg.p.RecordHistory(ctx, actor, sms.FrameworkKind.Entity, f.ID); err != nil {
		return err
	}
	if r.URL.Query().Get("tab") == "history" {
		page.Showing = "history"
	} else {
		rs, err := pg.c.Tree(ctx, actor, f.ID)
		if err != nil {
			return err
		}
		page.Clauses, page.Count = tree(rs), len(rs)
		excl := ui.Value{Badges: []ui.Badge{exclusions(f.AllowsExclusions)}, Note: f.ExclusionsNote}
		page.Items = []ui.Item{
			{Label: "Code", Value: ui.Value{Text: f.Code, Code: true}, Help: "The framework's stable identifier: a file with the same code loads a new version of it."},
			{Label: "Publisher", Value: ui.Text(f.Publisher)},
			{Label: "Requirements", Value: ui.Text(rq.L.Number(len(rs)))},
			{Label: "Exclusions", Value: excl, Help: "Whether an organisation may declare some of the framework's requirements not applicable to it."},
			{Label: "Description", Value: ui.Value{Text: f.Description, Long: true}},
		}
	}
	page.Tabs = []ui.Tab{{Label: "Requirements", Href: here, Current: page.Showing == "details"},
		{Label: "History", Href: here + "?tab=history", Current: page.Showing == "history", Count: len(page.History)}}
	return pg.p.Render(w, r, http.StatusOK, "sms/framework", page)
}

func (pg *pages) export(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	d, err := pg.c.Export(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	out, err := sms.Encode(d)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.Code+`.yaml"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(out)
	return err
}
