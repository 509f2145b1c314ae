package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/web/i18n"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// Resource is a kind's pages, written once for every kind: the list
// (filter bar, data table, paging, empty state), the record (its fields,
// related sections, history tab, delete behind a confirmation), and the
// create and edit forms (error summary, fields, messages beside them). A
// kind gives its declaration and the few functions below; the routes,
// permissions, titles, breadcrumbs, flashes and error handling come from
// here. A kind whose pages need more writes its own handlers beside it.
type Resource[T any, PT interface {
	*T
	record.Based
}] struct {
	Kind record.Kind
	// Subtitle says, under the list's title, what these records are.
	Subtitle string
	// Empty is the list with nothing in it yet; its action to create the
	// first record is added for those who may.
	Empty ui.Empty
	// Columns are the list's columns; the first leads to the record.
	Columns []Column[T]
	// Filters are the list's filter fields besides the name search, with
	// the values of the request's query.
	Filters func(q url.Values) []ui.Field
	// List returns a page of records for the query (q: the search, and the
	// filters' fields) after cursor, and the next page's cursor.
	List func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]T, string, error)
	Get  func(ctx context.Context, actor access.Actor, id int64) (T, error)
	// Name is the record's name, the title of its page; Title, when set,
	// is that title in the reader's language (a revision's number in
	// words).
	Name    func(T) string
	Title   func(rq *Request, rec T) string
	Badges  func(T) []ui.Badge
	Details func(ctx context.Context, rq *Request, rec T) []ui.Item
	// Related are more sections of the record's page (its members, its
	// users), each a card.
	Related func(ctx context.Context, rq *Request, rec T) ([]Section, error)
	// Fields are the form's fields showing rec's values (the zero record
	// when creating); posted values replace them when the form comes back
	// with errors or a search of a picker.
	Fields func(fc FormContext, rec T) ([]ui.Field, error)
	Create func(ctx context.Context, actor access.Actor, form url.Values) (T, error)
	Update func(ctx context.Context, actor access.Actor, id, version int64, form url.Values) (T, error)
	// Delete, when set, deletes a record read at version; MayDelete says
	// whether to offer it for a record, DeleteText what deleting does.
	Delete     func(ctx context.Context, actor access.Actor, id, version int64) error
	MayDelete  func(T) bool
	DeleteText func(T) string
	// More are further actions on a record for the page header's menu
	// (deactivate, revoke), for those who may write.
	More func(rq *Request, rec T) []ui.Action
	// Multipart sends the form as multipart/form-data, for a field of
	// Type "file" (the use case takes the file with Uploaded).
	Multipart bool
	// Crumbs, when set, lead to a record's page (and its form) through
	// the record it belongs to, instead of through the kind's list.
	Crumbs func(rec T) []ui.Crumb
	// ListActions are more buttons in the list's header (a report on the
	// records), for those who may read them.
	ListActions []ui.Action
	// Lead, when set, are cards above the list (the scope in force above
	// all its revisions).
	Lead func(ctx context.Context, rq *Request) ([]Section, error)
	// MayEdit, when set, says whether to offer a record's edit form (a
	// revision once approved no longer changes).
	MayEdit func(T) bool
}

// FormContext is what a kind's form fields may depend on: the caller,
// whether the record is new, and what was posted (nil when the form is
// first shown).
type FormContext struct {
	Ctx      context.Context
	Actor    access.Actor
	L        *i18n.Locale
	Creating bool
	Posted   url.Values
	// Query is the address's query, to preset a new record's choices
	// (/course-sessions/new?course_id=3).
	Query url.Values
}

// Column is a list column: its heading and what it shows of a record.
// A column of references (Ref, the entity, and RefID) shows the records
// referred to by name, linked, all names of a page found at once; RefOf
// does the same for a reference whose kind differs from record to record
// (an action's source), giving the entity and id of each ("" for none).
type Column[T any] struct {
	ui.Column
	Value func(T) ui.Value
	Ref   string
	RefID func(T) int64
	RefOf func(T) (entity string, id int64)
}

// Section is a card on a record's page.
type Section struct {
	Title   string
	Help    string
	Form    *ui.Form
	Items   []ui.Item
	Table   *ui.Table
	Heatmap *ui.Heatmap
	Empty   *ui.Empty
	Actions []ui.Action
	// HTML is trusted HTML the server made (a document's rendered
	// Markdown), shown as the card's body.
	HTML  template.HTML
	Chart *ui.Chart
}

// ListPage is a kind's list.
type ListPage struct {
	Base
	Sections []Section
	Filter   ui.Filter
	Table    ui.Table
}

// RecordPage is a record's page.
type RecordPage struct {
	Base
	Tabs     []ui.Tab
	Items    []ui.Item
	Sections []Section
	History  []HistoryEntry
	Showing  string // "details" or "history"
	Error    string
}

// FormPage is a record's create or edit form.
type FormPage struct {
	Base
	Form ui.Form
}

// Register adds the kind's pages: GET /<kind>, /<kind>/{id}; with Fields,
// GET /<kind>/{id}/edit and POST /<kind>/{id}, and with Create as well
// GET /<kind>/new and POST /<kind> (a kind without them registers forms
// of its own; one whose records are made with another's has no Create);
// with Delete, POST /<kind>/{id}/delete.
func (res Resource[T, PT]) Register(p *Pages, mux guard.Registrar) {
	base := "/" + res.Kind.Path()
	p.Handle(mux, "GET "+base, res.Kind.Read, res.list(p))
	p.Handle(mux, "GET "+base+"/{id}", res.Kind.Read, res.show(p))
	if res.Fields != nil && res.Create != nil {
		p.Handle(mux, "GET "+base+"/new", res.Kind.Write, res.form(p, true))
		p.Handle(mux, "POST "+base, res.Kind.Write, res.save(p, true))
	}
	if res.Fields != nil {
		p.Handle(mux, "GET "+base+"/{id}/edit", res.Kind.Write, res.form(p, false))
		p.Handle(mux, "POST "+base+"/{id}", res.Kind.Write, res.save(p, false))
	}
	if res.Delete != nil {
		p.Handle(mux, "POST "+base+"/{id}/delete", res.Kind.Write, res.delete(p))
	}
}

func (res Resource[T, PT]) href(id int64) string {
	return fmt.Sprintf("/%s/%d", res.Kind.Path(), id)
}

func (res Resource[T, PT]) crumbs() []ui.Crumb {
	return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: res.Kind.Plural, Href: "/" + res.Kind.Path()}}
}

// titleOf is a record's title for the reader: Title when set, else its
// name.
func (res Resource[T, PT]) titleOf(rq *Request, rec T) string {
	if res.Title != nil {
		return res.Title(rq, rec)
	}
	return res.Name(rec)
}

// crumbsOf leads to a record: through Crumbs when set.
func (res Resource[T, PT]) crumbsOf(rec T) []ui.Crumb {
	if res.Crumbs != nil {
		return res.Crumbs(rec)
	}
	return res.crumbs()
}

func (res Resource[T, PT]) list(p *Pages) PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *Request) error {
		q := r.URL.Query()
		recs, next, err := res.List(r.Context(), rq.Auth.Actor, q, q.Get("cursor"))
		if err != nil {
			return err
		}
		path := "/" + res.Kind.Path()
		page := ListPage{Base: rq.Base}
		page.Title, page.Subtitle = res.Kind.Plural, res.Subtitle
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}}
		// A kind with a form of its own but no Create is made with another
		// record (an assessment's results): no "New" for it.
		mayWrite := rq.Auth.Actor.Can(res.Kind.Write) && (res.Create != nil || res.Fields == nil)
		newRecord := ui.Action{Label: rq.L.Lookup(KindPhrase(res.Kind, "New")), Icon: "plus", Style: ui.Primary, Href: path + "/new"}
		if mayWrite {
			page.Actions = []ui.Action{newRecord}
		}
		page.Actions = append(page.Actions, res.ListActions...)
		page.Filter = ui.Filter{Action: path, Target: "records",
			Fields: []ui.Field{{Name: "q", Label: "Search by name", Value: q.Get("q"), Placeholder: rq.L.Lookup(KindPhrase(res.Kind, "Name"))}}}
		if res.Filters != nil {
			page.Filter.Fields = append(page.Filter.Fields, res.Filters(q)...)
		}
		t := ui.Table{ID: "records", Caption: res.Kind.Plural, Empty: res.Empty}
		if mayWrite && t.Empty.Action == nil {
			t.Empty.Action = &newRecord
		}
		for _, c := range res.Columns {
			t.Columns = append(t.Columns, c.Column)
		}
		refs, err := refNames(r.Context(), p, rq.Auth.Actor, res.Columns, recs)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			row := ui.Row{Href: res.href(PT(&rec).Base().ID)}
			for i, c := range res.Columns {
				var v ui.Value
				switch {
				case c.Ref != "":
					v = refs(c.Ref, c.RefID(rec))
				case c.RefOf != nil:
					if e, id := c.RefOf(rec); e != "" {
						v = refs(e, id)
					}
				default:
					v = c.Value(rec)
				}
				if i == 0 && v.Href == "" {
					v.Href = row.Href
				}
				row.Cells = append(row.Cells, v)
			}
			t.Rows = append(t.Rows, row)
		}
		for _, f := range page.Filter.Fields {
			if f.Value != "" {
				t.Filtered = true
			}
		}
		t.Pager = pager(path, q, next)
		page.Table = t
		if res.Lead != nil && r.Header.Get("HX-Request") == "" {
			if page.Sections, err = res.Lead(r.Context(), rq); err != nil {
				return err
			}
		}
		return p.Render(w, r, http.StatusOK, "list", page)
	}
}

// refNames finds the names of the records the reference columns of a
// list refer to, one lookup per column, and returns how to show one.
func refNames[T any](ctx context.Context, p *Pages, actor access.Actor, cols []Column[T], recs []T) (func(entity string, id int64) ui.Value, error) {
	wanted := map[string][]int64{}
	for _, c := range cols {
		for _, rec := range recs {
			switch {
			case c.Ref != "":
				wanted[c.Ref] = append(wanted[c.Ref], c.RefID(rec))
			case c.RefOf != nil:
				if e, id := c.RefOf(rec); e != "" {
					wanted[e] = append(wanted[e], id)
				}
			}
		}
	}
	names := map[string]map[int64]string{}
	for entity, ids := range wanted {
		m, err := p.app.Names(ctx, actor, entity, ids)
		if err != nil {
			return nil, err
		}
		names[entity] = m
	}
	return func(entity string, id int64) ui.Value {
		name, ok := names[entity][id]
		if !ok {
			return ui.Value{}
		}
		return ui.Linked(name, p.recordHref(entity, id))
	}, nil
}

// pager links the next page (keeping the query) and, past the first, the
// first one.
func pager(path string, q url.Values, next string) ui.Pager {
	var pg ui.Pager
	keep := url.Values{}
	for k, v := range q {
		if k != "cursor" && k != "done" && len(v) > 0 && v[0] != "" {
			keep[k] = v
		}
	}
	if next != "" {
		n := cloneValues(keep)
		n.Set("cursor", next)
		pg.Next = path + "?" + n.Encode()
	}
	if q.Get("cursor") != "" {
		pg.First = path
		if len(keep) > 0 {
			pg.First += "?" + keep.Encode()
		}
	}
	return pg
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func (res Resource[T, PT]) show(p *Pages) PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *Request) error {
		return res.renderRecord(p, w, r, rq, http.StatusOK, "")
	}
}

func (res Resource[T, PT]) renderRecord(p *Pages, w http.ResponseWriter, r *http.Request, rq *Request, status int, msg string) error {
	return res.renderRecordWith(p, w, r, rq, status, msg, nil)
}

// renderRecordWith shows a record's page; adjust, when set, changes its
// sections first (marking the errors of a section's form).
func (res Resource[T, PT]) renderRecordWith(p *Pages, w http.ResponseWriter, r *http.Request, rq *Request, status int, msg string, adjust func([]Section)) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	rec, err := res.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	meta := PT(&rec).Base()
	page := RecordPage{Base: rq.Base, Error: msg, Showing: "details"}
	page.Title, page.Crumbs = res.titleOf(rq, rec), res.crumbsOf(rec)
	page.Subtitle = rq.T(KindPhrase(res.Kind, "Number"), res.Kind.Number(meta.ID))
	if res.Badges != nil {
		page.TitleBadges = res.Badges(rec)
	}
	if actor.Can(res.Kind.Write) {
		if res.MayEdit == nil || res.MayEdit(rec) {
			page.Actions = []ui.Action{{Label: "Edit", Icon: "pencil", Href: res.href(meta.ID) + "/edit"}}
		}
		if res.Delete != nil && (res.MayDelete == nil || res.MayDelete(rec)) {
			text := "It disappears from every list; its history stays in the audit trail."
			if res.DeleteText != nil {
				text = res.DeleteText(rec)
			}
			label := rq.L.Lookup(KindPhrase(res.Kind, "Delete"))
			page.Menu = []ui.Action{{Label: label, Icon: "trash", Style: ui.Destructive, Post: res.href(meta.ID) + "/delete", CSRF: rq.Base.CSRF,
				Hidden:  []ui.Hidden{{Name: "version", Value: fmt.Sprint(meta.Version)}},
				Confirm: &ui.Confirm{Title: rq.T(KindPhrase(res.Kind, "Delete?"), res.titleOf(rq, rec)), Text: text, Button: label}}}
		}
		if res.More != nil {
			page.Menu = append(res.More(rq, rec), page.Menu...)
		}
	}
	if page.History, err = p.RecordHistory(ctx, actor, res.Kind.Entity, meta.ID); err != nil {
		return err
	}
	here := res.href(meta.ID)
	if r.URL.Query().Get("tab") == "history" {
		page.Showing = "history"
	} else {
		if res.Details != nil {
			page.Items = res.Details(ctx, rq, rec)
		}
		page.Items = append(page.Items, ui.Item{Label: "Created", Value: ui.At(meta.CreatedAt)}, ui.Item{Label: "Last changed", Value: ui.At(meta.UpdatedAt)})
		if res.Related != nil {
			if page.Sections, err = res.Related(ctx, rq, rec); err != nil {
				return err
			}
			if adjust != nil {
				adjust(page.Sections)
			}
		}
		more, err := p.areasRelated(ctx, rq, res.Kind.Entity, meta.ID)
		if err != nil {
			return err
		}
		page.Sections = append(page.Sections, more...)
	}
	page.Tabs = []ui.Tab{{Label: "Details", Href: here, Current: page.Showing == "details"},
		{Label: "History", Href: here + "?tab=history", Current: page.Showing == "history", Count: len(page.History)}}
	return p.Render(w, r, status, "record", page)
}

func (res Resource[T, PT]) form(p *Pages, creating bool) PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *Request) error {
		var rec T
		if !creating {
			id, err := PathID(r)
			if err != nil {
				return err
			}
			if rec, err = res.Get(r.Context(), rq.Auth.Actor, id); err != nil {
				return err
			}
		}
		return res.renderForm(p, w, r, rq, http.StatusOK, rec, creating, "", nil)
	}
}

func (res Resource[T, PT]) renderForm(p *Pages, w http.ResponseWriter, r *http.Request, rq *Request, status int, rec T, creating bool, msg string, fields FieldErrors) error {
	meta := PT(&rec).Base()
	page := FormPage{Base: rq.Base}
	page.Crumbs = res.crumbs()
	fc := FormContext{Ctx: r.Context(), Actor: rq.Auth.Actor, L: rq.L, Creating: creating, Query: r.URL.Query()}
	if r.Method == http.MethodPost {
		fc.Posted = r.PostForm
	}
	fields0, err := res.Fields(fc, rec)
	if err != nil {
		return err
	}
	f := ui.Form{ID: "record-form", CSRF: rq.Base.CSRF, Fields: fields0, Message: msg, Multipart: res.Multipart}
	if creating {
		page.Title = rq.L.Lookup(KindPhrase(res.Kind, "New"))
		f.Action, f.Submit, f.Cancel = "/"+res.Kind.Path(), rq.L.Lookup(KindPhrase(res.Kind, "Create")), "/"+res.Kind.Path()
	} else {
		page.Title = rq.T("Edit %s", res.titleOf(rq, rec))
		page.Crumbs = append(res.crumbsOf(rec), ui.Crumb{Label: res.titleOf(rq, rec), Href: res.href(meta.ID)})
		f.Action, f.Submit, f.Cancel = res.href(meta.ID), "Save changes", res.href(meta.ID)
		f.Hidden = []ui.Hidden{{Name: "version", Value: fmt.Sprint(meta.Version)}}
	}
	if r.Method == http.MethodPost {
		refill(f.Fields, r.PostForm)
		if v := r.PostFormValue("version"); v != "" && !creating {
			f.Hidden = []ui.Hidden{{Name: "version", Value: v}}
		}
	}
	for _, m := range f.SetErrors(fields) {
		f.Message = strings.TrimSpace(f.Message + " " + m)
	}
	page.Form = f
	return p.Render(w, r, status, "form", page)
}

// refill puts the posted values back into the form's fields.
func refill(fields []ui.Field, form url.Values) {
	for i := range fields {
		f := &fields[i]
		switch f.Type {
		case "checkbox":
			f.Checked = form.Get(f.Name) != ""
		case "checkboxes", "radios", "select", "picker":
			if f.Picker != nil {
				f.Picker.Value = form.Get(f.Picker.Query)
			}
			posted := form[f.Name]
			for j := range f.Options {
				f.Options[j].Selected = slices.Contains(posted, f.Options[j].Value)
			}
			f.Value = form.Get(f.Name)
		default:
			f.Value = form.Get(f.Name)
		}
	}
}

func (res Resource[T, PT]) save(p *Pages, creating bool) PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *Request) error {
		ctx, actor := r.Context(), rq.Auth.Actor
		var (
			rec T
			err error
			id  int64
		)
		if !creating {
			if id, err = PathID(r); err != nil {
				return err
			}
		}
		if strings.HasPrefix(r.PostFormValue("_action"), "find") {
			// A picker's search without JavaScript: the form again, with
			// what was found and what was typed, saving nothing.
			if !creating {
				if rec, err = res.Get(ctx, actor, id); err != nil {
					return err
				}
			}
			return res.renderForm(p, w, r, rq, http.StatusOK, rec, creating, "", nil)
		}
		if creating {
			rec, err = res.Create(ctx, actor, r.PostForm)
			if err == nil {
				id = PT(&rec).Base().ID
			}
		} else {
			rec, err = res.Update(ctx, actor, id, FormInt(r, "version"), r.PostForm)
		}
		done := "saved"
		if creating {
			done = "created"
		}
		return FormDone(w, r, err, res.href(id)+"?done="+done, func(status int, msg string, fields FieldErrors) error {
			var shown T
			if !creating {
				// Show the record as stored, under the values posted.
				if cur, gerr := res.Get(ctx, actor, id); gerr == nil {
					shown = cur
				}
			}
			return res.renderForm(p, w, r, rq, status, shown, creating, msg, fields)
		})
	}
}

func (res Resource[T, PT]) delete(p *Pages) PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *Request) error {
		id, err := PathID(r)
		if err != nil {
			return err
		}
		err = res.Delete(r.Context(), rq.Auth.Actor, id, FormInt(r, "version"))
		return FormDone(w, r, err, "/"+res.Kind.Path()+"?done=deleted", func(status int, msg string, _ FieldErrors) error {
			return res.renderRecord(p, w, r, rq, status, msg)
		})
	}
}

// areasRelated are the sections the areas give for any record's page
// (Area.Related).
func (p *Pages) areasRelated(ctx context.Context, rq *Request, entity string, id int64) ([]Section, error) {
	var out []Section
	for _, a := range p.areas {
		if a.Related == nil {
			continue
		}
		ss, err := a.Related(ctx, rq, entity, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ss...)
	}
	return out, nil
}

// KindPhrase is a message made of a kind's label, by what it says:
// "New" (New team), "Create" (Create team), "Delete" (Delete team),
// "Delete?" (Delete team %s?), "Name" (Team name) and "Number" (Team
// %s). Each is a key of its own in the catalogue, as languages inflect
// them differently.
func KindPhrase(k record.Kind, what string) string {
	l := strings.ToLower(k.Label)
	switch what {
	case "New":
		return "New " + l
	case "Create":
		return "Create " + l
	case "Delete":
		return "Delete " + l
	case "Delete?":
		return "Delete " + l + " %s?"
	case "Name":
		return k.Label + " name"
	case "Number":
		return k.Label + " %s"
	}
	panic("no kind phrase " + what)
}

// kindPhrases are every phrase of a kind, for the catalogue's test.
var kindPhrases = []string{"New", "Create", "Delete", "Delete?", "Name", "Number"}

// Options turns a kind's enumerated values into choices, the selected one
// marked.
func Options(values []struct{ Code, Label string }, selected string) []ui.Option {
	out := make([]ui.Option, 0, len(values))
	for _, v := range values {
		out = append(out, ui.Option{Value: v.Code, Label: v.Label, Selected: v.Code == selected})
	}
	return out
}
