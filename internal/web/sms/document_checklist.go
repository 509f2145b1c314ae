package sms

import (
	"net/http"
	"strconv"
	"strings"

	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// SectionsPage is a page of cards: the checklist, a person's reading.
type SectionsPage struct {
	web.Base
	Sections []web.Section
}

// checklistIntro says what the checklist is, on the page and in the docs.
const checklistIntro = "The documented information ISO/IEC 20000-1:2018 asks an organisation to keep, item by item, each with the document that fulfils it. An item counts as covered once its document has an approved version in force. Records Conform keeps as live data (incidents, changes, audits) are evidence, not documents, and are not listed."

// checklist shows the documented information checklist, its coverage and
// the missing items, and for those who maintain documents the form that
// maps each item to its document.
func checklist(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		return renderChecklist(p, c, w, r, rq, http.StatusOK, "", nil)
	}
}

func renderChecklist(p *web.Pages, c *smsapp.Catalogue, w http.ResponseWriter, r *http.Request, rq *web.Request, status int, msg string, fields web.FieldErrors) error {
	ctx, actor := r.Context(), rq.Auth.Actor
	cov, err := c.DocumentCoverage(ctx, actor)
	if err != nil {
		return err
	}
	page := SectionsPage{Base: rq.Base}
	page.Title, page.Subtitle = "Documented information checklist", checklistIntro
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.DocumentKind.Plural, Href: "/" + sms.DocumentKind.Path()}}
	summary := web.Section{Title: "Coverage", Items: []ui.Item{{Label: "Required documents approved", Value: checklistValue(rq, cov)}}}
	var missing []string
	for _, i := range cov.Missing() {
		missing = append(missing, i.Clause+" "+rq.L.Lookup(i.Title))
	}
	if len(missing) > 0 {
		summary.Items = append(summary.Items, ui.Item{Label: "Missing", Value: ui.Value{Text: strings.Join(missing, "\n"), Long: true}})
	}
	table := web.Section{Title: "Checklist", Table: &ui.Table{ID: "checklist", Caption: "Documented information checklist",
		Columns: []ui.Column{{Label: "Clause"}, {Label: "Documented information", Key: true}, {Label: "Document"}, {Label: "Covered"}}}}
	for _, i := range cov.Items {
		doc := ui.Value{Empty: "None mapped yet"}
		if i.DocumentID != 0 {
			doc = ui.Linked(i.DocumentTitle, documentHref(i.DocumentID))
			doc.Badges = documentBadges(sms.ControlledDocument{Status: i.DocumentStatus})
		}
		covered := ui.Badged("Missing", ui.Warning)
		if i.Covered() {
			covered = ui.Badged("Covered", ui.Success)
		}
		name := ui.Value{Text: rq.L.Lookup(i.Title), Note: i.About}
		table.Table.Rows = append(table.Table.Rows, ui.Row{Cells: []ui.Value{ui.Text(i.Clause), name, doc, covered}})
	}
	page.Sections = []web.Section{summary, table}
	if actor.Can(sms.RequiredDocumentKind.Write) {
		ds, _, err := c.ListDocuments(ctx, actor, store.DocumentFilter{Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		form := &ui.Form{ID: "checklist-form", Action: "/document-checklist", CSRF: rq.Base.CSRF, Submit: "Save the mapping", Message: msg}
		for _, i := range cov.Items {
			chosen := i.DocumentID
			if r.Method == http.MethodPost {
				chosen, _ = strconv.ParseInt(r.PostFormValue(i.Code), 10, 64)
			}
			opts := []ui.Option{{Value: "0", Label: "None yet", Selected: chosen == 0}}
			for _, d := range ds {
				opts = append(opts, ui.Option{Value: strconv.FormatInt(d.ID, 10), Label: d.Title + " (" + sms.DocumentKind.Number(d.ID) + ")", Selected: d.ID == chosen})
			}
			form.Fields = append(form.Fields, ui.Field{Name: i.Code, Label: i.Clause + " " + i.Title, Type: "select", Options: opts, Help: i.About})
		}
		for _, m := range form.SetErrors(fields) {
			form.Message += " " + m
		}
		page.Sections = append(page.Sections, web.Section{Title: "Map the checklist",
			Help: "Choose the document that fulfils each item; several items may share one document.", Form: form})
	}
	return p.Render(w, r, status, "sms/documents_sections", page)
}

// saveChecklist maps every item of the checklist as the form says, each
// change audited; an item left as it was is not written.
func saveChecklist(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		ctx, actor := r.Context(), rq.Auth.Actor
		cov, err := c.DocumentCoverage(ctx, actor)
		if err != nil {
			return err
		}
		for _, i := range cov.Items {
			v := r.PostFormValue(i.Code)
			if v == "" {
				continue
			}
			id, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil || id == i.DocumentID {
				continue
			}
			if err := c.MapRequiredDocument(ctx, actor, i.Code, id); err != nil {
				return web.FormDone(w, r, err, "", func(status int, msg string, fields web.FieldErrors) error {
					if f, ok := fields["document_id"]; ok {
						fields = web.FieldErrors{i.Code: f}
					}
					return renderChecklist(p, c, w, r, rq, status, msg, fields)
				})
			}
		}
		http.Redirect(w, r, "/document-checklist?done=saved", http.StatusSeeOther)
		return nil
	}
}

// checklistValue is the checklist's coverage in words, with its bar.
func checklistValue(rq *web.Request, cov sms.ChecklistCoverage) ui.Value {
	return ui.Value{Text: rq.T("%d of %d required documents approved", cov.Approved, cov.Total()),
		Progress: &ui.Progress{Value: cov.Approved, Max: cov.Total(), Label: "Required documents approved"}}
}

// reading shows the documents a person is asked to read and whether they
// acknowledged each: the reader's own, or with ?user= another's.
func reading(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		ctx, actor := r.Context(), rq.Auth.Actor
		userID := actor.UserID
		if u := r.URL.Query().Get("user"); u != "" {
			userID, _ = strconv.ParseInt(u, 10, 64)
		}
		user, err := p.App().GetUser(ctx, actor, userID)
		if err != nil {
			return err
		}
		rs, err := c.Readings(ctx, actor, userID)
		if err != nil {
			return err
		}
		page := SectionsPage{Base: rq.Base}
		page.Title = rq.T("Documents for %s to read", user.Name)
		if userID == actor.UserID {
			page.Title = "Your documents to read"
		}
		page.Subtitle = "The documents in force given to this person to read, by role, team or name, and whether they acknowledged the version in force."
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.DocumentKind.Plural, Href: "/" + sms.DocumentKind.Path()}}
		done := 0
		t := &ui.Table{Caption: "Documents to read", Columns: []ui.Column{{Label: "Document", Key: true}, {Label: "Version in force"}, {Label: "Acknowledged"}},
			Empty: ui.Empty{Icon: "file-text", Title: "Nothing to read", Text: "No document in force is given to this person's role, teams or name."}}
		for _, x := range rs {
			href := documentHref(x.Document.ID)
			state := ui.Badged("Not yet", ui.Warning)
			if x.Acknowledged {
				state, done = ui.Value{Time: x.At, Badges: []ui.Badge{{Text: "Acknowledged", Tone: ui.Success}}}, done+1
			}
			t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(x.Document.Title, href), ui.Text(rq.T("Version %d", x.Document.CurrentVersion)), state}})
		}
		pct := 100
		if len(rs) > 0 {
			pct = done * 100 / len(rs)
		}
		page.Sections = []web.Section{
			{Title: "Completion", Items: []ui.Item{
				{Label: "Person", Value: ui.Linked(user.Name, "/users/"+strconv.FormatInt(user.ID, 10))},
				{Label: "Acknowledged", Value: ui.Value{Text: rq.T("%d of %d documents", done, len(rs)), Progress: &ui.Progress{Value: pct, Max: 100, Label: "Acknowledged"}}}}},
			{Title: "Documents", Table: t},
		}
		return p.Render(w, r, http.StatusOK, "sms/documents_sections", page)
	}
}
