package sms

import (
	"net/http"

	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// FrameworksPage lists the frameworks.
type FrameworksPage struct {
	web.Base
	Table ui.Table
}

func (pg *pages) frameworks(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	ctx, actor := r.Context(), rq.Auth.Actor
	fws, next, err := pg.c.ListFrameworks(ctx, actor, store.FrameworkFilter{Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	counts, err := pg.c.RequirementCounts(ctx, actor)
	if err != nil {
		return err
	}
	page := FrameworksPage{Base: rq.Base}
	page.Title, page.Crumbs = sms.FrameworkKind.Plural, []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Subtitle = "The standards the SMS answers to, their requirements and our guidance on each."
	load := ui.Action{Label: "Load a framework", Icon: "plus", Style: ui.Primary, Href: "/frameworks/import"}
	if actor.Can(sms.FrameworkKind.Write) {
		page.Actions = []ui.Action{load}
	}
	t := ui.Table{ID: "frameworks", Caption: "Frameworks",
		Columns: []ui.Column{{Label: "Name", Key: true, Sort: "text"}, {Label: "Code"}, {Label: "Requirements", Numeric: true, Sort: "number"}, {Label: "Exclusions"}},
		Empty:   ui.Empty{Icon: "clipboard-check", Title: "No frameworks yet", Text: "Load a framework from a file to see its requirements here."}}
	for _, f := range fws {
		href := frameworkHref(f.ID)
		name := ui.Linked(f.Name, href)
		if f.BuiltIn() {
			name.Badges = []ui.Badge{builtIn}
		}
		name.Note = f.Publisher
		excl := ui.Value{Badges: []ui.Badge{exclusions(f.AllowsExclusions)}}
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{name, {Text: f.Code, Code: true}, ui.Text(rq.L.Number(counts[f.ID])), excl}})
	}
	if next != "" {
		t.Pager.Next = "/frameworks?cursor=" + next
	}
	page.Table = t
	return pg.p.Render(w, r, http.StatusOK, "sms/frameworks", page)
}
