package web

import (
	"net/http"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// GalleryPage shows every shared component in each of its states, for
// those who build pages and for the browser tests' screenshots.
type GalleryPage struct {
	Base
	Tones      []ui.Badge
	Roles      []ui.Badge
	Table      ui.Table
	Empty      ui.Table
	NoMatch    ui.Table
	Items      []ui.Item
	Form       ui.Form
	FormErrors ui.Form
	Filter     ui.Filter
	Tabs       []ui.Tab
	Buttons    []ui.Action
	Section    Section
}

func (p *Pages) gallery(w http.ResponseWriter, r *http.Request, rq *Request) error {
	csrf := rq.Base.CSRF
	at := time.Date(2026, 11, 3, 14, 5, 0, 0, time.UTC)
	page := GalleryPage{Base: rq.Base}
	page.Title, page.Subtitle = "Components", "Every shared component in each of its states. docs/ui.md says when to use which."
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}}
	page.TitleBadges = []ui.Badge{{Text: "Developers", Tone: ui.Info}}
	page.Actions = []ui.Action{{Label: "Primary action", Icon: "plus", Style: ui.Primary, Href: "#buttons"}, {Label: "Secondary", Icon: "pencil", Href: "#buttons"}}
	page.Menu = []ui.Action{{Label: "Another action", Icon: "copy", Href: "#buttons"},
		{Label: "Delete example", Icon: "trash", Style: ui.Destructive, Post: "/dev/components", CSRF: csrf,
			Confirm: &ui.Confirm{Title: "Delete the example?", Text: "Nothing is deleted: this is the confirmation every destructive action asks through.", Button: "Delete example"}}}
	page.Tones = []ui.Badge{{Text: "Neutral", Tone: ui.Neutral}, {Text: "Info", Tone: ui.Info}, {Text: "Success", Tone: ui.Success},
		{Text: "Warning", Tone: ui.Warning}, {Text: "Danger", Tone: ui.Danger}, {Text: "Accent", Tone: ui.Accent}}
	for _, r := range []string{"admin", "sms_manager", "internal_auditor", "requester"} {
		page.Roles = append(page.Roles, roleBadge(access.Role(r)))
	}
	cols := []ui.Column{{Label: "Name", Key: true, Sort: "text"}, {Label: "Status", Sort: "text"}, {Label: "Owner"}, {Label: "Changed", Sort: "time"}, {Label: "Count", Sort: "number", Numeric: true}}
	page.Table = ui.Table{ID: "gallery-table", Caption: "Example records", Columns: cols,
		Pager: ui.Pager{Next: "/dev/components?cursor=2", First: "/dev/components"}}
	for i, name := range []string{"Service desk", "Change advisory board", "Major incident team"} {
		page.Table.Rows = append(page.Table.Rows, ui.Row{Href: "#table", Cells: []ui.Value{
			ui.Text(name), ui.Badged([]string{"Active", "Draft", "Retired"}[i], []ui.Tone{ui.Success, ui.Info, ui.Neutral}[i]),
			ui.Linked("Casey Novak", "#table"), ui.At(at.Add(-time.Duration(i) * 26 * time.Hour)), ui.Text([]string{"12", "3", "40"}[i])}})
	}
	empty := ui.Empty{Icon: "inbox", Title: "No records yet", Text: "Say what these records are and what to do next.",
		Action: &ui.Action{Label: "Create the first", Icon: "plus", Style: ui.Primary, Href: "#empty"}}
	page.Empty = ui.Table{Caption: "Empty", Columns: cols, Empty: empty}
	page.NoMatch = ui.Table{Caption: "Filtered", Columns: cols, Filtered: true}
	page.Items = []ui.Item{
		{Label: "Text", Value: ui.Text("A short value")},
		{Label: "Link", Value: ui.Linked("Casey Novak", "#description")},
		{Label: "Badges", Value: ui.Value{Badges: []ui.Badge{{Text: "Administrator", Tone: ui.Accent}, {Text: "Active", Tone: ui.Success}}}},
		{Label: "Time", Value: ui.At(at)},
		{Label: "With help", Help: "ISO-specific fields say what they mean here.", Value: ui.Value{Text: "Value", Note: "A muted note under it"}},
		{Label: "Empty", Value: ui.Value{}},
		{Label: "Long text", Value: ui.Value{Text: "Prose keeps its line breaks.\nA second line.", Long: true}},
		{Label: "Links", Value: ui.Value{Links: []ui.Link{{Text: "Casey Novak", Href: "#description"}, {Text: "Morgan Diaz", Href: "#description"}}}},
		{Label: "Progress", Value: ui.Value{Text: "39 %", Note: "The figure in words too", Progress: &ui.Progress{Value: 39, Max: 100, Label: "Progress"}}},
	}
	fields := func() []ui.Field {
		return []ui.Field{
			{Name: "g-name", Label: "Name", Required: true, Value: "Service desk"},
			{Name: "g-kind", Label: "Kind", Type: "select", Options: []ui.Option{{Value: "a", Label: "First"}, {Value: "b", Label: "Second", Selected: true}}, Help: "Help text under a field."},
			{Name: "g-choice", Label: "Choice", Type: "radios", Options: []ui.Option{{Value: "a", Label: "One", Help: "What one means.", Selected: true}, {Value: "b", Label: "Other", Help: "What the other means."}}},
			{Name: "g-text", Label: "Description", Type: "textarea", Rows: 3},
			{Name: "g-flag", Label: "Active", Type: "checkbox", Checked: true, Help: "A checkbox with its help."},
		}
	}
	page.Form = ui.Form{ID: "gallery-form", Action: "#forms", CSRF: csrf, Fields: fields(), Submit: "Save", Cancel: "#forms"}
	page.FormErrors = ui.Form{ID: "gallery-form-errors", Action: "#forms", CSRF: csrf, Fields: fields(), Submit: "Save", Cancel: "#forms",
		Message: "Please correct the fields marked below."}
	page.FormErrors.Fields[0].Value = ""
	page.FormErrors.SetErrors(map[string]string{"g-name": "is required", "g-text": "must be at most 2,000 characters"})
	page.Filter = ui.Filter{Action: "/dev/components", Target: "gallery-table", Fields: []ui.Field{
		{Name: "q", Label: "Search by name", Placeholder: "Name"},
		{Name: "status", Label: "Status", Type: "select", Options: []ui.Option{{Value: "", Label: "Any status"}, {Value: "active", Label: "Active"}}}}}
	page.Tabs = []ui.Tab{{Label: "Details", Href: "#tabs", Current: true}, {Label: "History", Href: "#tabs", Count: 4}, {Label: "Related", Href: "#tabs"}}
	page.Buttons = []ui.Action{{Label: "Primary", Icon: "plus", Style: ui.Primary, Href: "#buttons"}, {Label: "Secondary", Icon: "pencil", Href: "#buttons"},
		{Label: "Destructive", Icon: "trash", Style: ui.Destructive, Post: "/dev/components", CSRF: csrf,
			Confirm: &ui.Confirm{Title: "Delete the example?", Text: "Nothing is deleted here.", Button: "Delete"}}}
	page.Section = Section{Title: "A related section", Help: "A card on a record's page, such as a team's members.", Table: &page.Table}
	return p.Render(w, r, http.StatusOK, "gallery", page)
}

// galleryPost answers the gallery's example destructive action: nothing
// happens but the flash.
func (p *Pages) galleryPost(w http.ResponseWriter, r *http.Request, rq *Request) error {
	http.Redirect(w, r, "/dev/components?done=example", http.StatusSeeOther)
	return nil
}
