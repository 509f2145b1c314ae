// Package ui holds the typed components every page is built from: a page
// handler fills these values and the shared templates (templates/_ui.html)
// draw them, so no page hand-rolls its own table, form, badge or empty
// state. docs/ui.md says which component to use when.
package ui

import (
	"time"
)

// Tone is a colour with one meaning everywhere: a status or role badge in
// the same tone means the same kind of thing on every page.
type Tone string

const (
	Neutral Tone = ""       // no judgement: a kind, a plain label
	Info    Tone = "blue"   // in progress, informational
	Success Tone = "green"  // done, active, conforming
	Warning Tone = "yellow" // needs attention soon
	Danger  Tone = "red"    // failed, overdue, nonconforming, revoked
	Accent  Tone = "purple" // elevated: administrators, the provider
)

// Class is the badge's CSS class (app.css gives each tone colours that
// keep a 4.5:1 contrast in both colour schemes).
func (t Tone) Class() string {
	if t == Neutral {
		return "tone tone-gray"
	}
	return "tone tone-" + string(t)
}

// Badge is a short status or role label in a tone.
type Badge struct {
	Text string
	Tone Tone
}

// Link is a name that leads to a record.
type Link struct {
	Text, Href string
}

// Value is what a table cell or a described field shows. Set what applies:
// text (linked when Href is set), badges, a time, a list of links, a
// muted second line.
type Value struct {
	Text   string
	Href   string
	Badges []Badge
	Time   time.Time
	Day    time.Time // a day without a time of day, in the reader's format
	Links  []Link
	Note   string // a muted second line
	Long   bool   // prose: line breaks kept
	Code   bool   // an identifier or secret prefix, in monospace
	Empty  string // shown when there is nothing else; "—" when unset
	Hidden bool   // the text is for screen readers only (an icon stands in)
	// Actions are buttons in a table cell (revoke, end), each a small one.
	Actions []Action
	// Progress, when set, is a bar under the text, which should say the
	// same figure in words for those who do not see the bar.
	Progress *Progress
}

// Progress is a share of something done, drawn as a bar.
type Progress struct {
	Value, Max int
	Label      string // names the bar for screen readers: "Readiness"
}

// Text is a plain value.
func Text(s string) Value { return Value{Text: s} }

// Linked is a name leading to its record.
func Linked(text, href string) Value { return Value{Text: text, Href: href} }

// Badged is a value shown as one badge.
func Badged(text string, tone Tone) Value { return Value{Badges: []Badge{{Text: text, Tone: tone}}} }

// At is a time.
func At(t time.Time) Value { return Value{Time: t} }

// Style is an action's weight.
type Style string

const (
	Primary     Style = "primary"   // the one main thing to do on the page
	Secondary   Style = "secondary" // other things to do
	Destructive Style = "danger"    // destroys or takes away: always with a Confirm
)

// Action is a button: a link (Href) or a form that posts (Post) with
// hidden fields, for example the version a delete was read at.
type Action struct {
	Label   string
	Icon    string // a Tabler icon name from the sprite
	Style   Style
	Href    string
	Post    string
	Hidden  []Hidden
	CSRF    string
	Confirm *Confirm // required for Destructive
	Name    string   // accessible name when Label alone is ambiguous
}

// Hidden is a hidden form field.
type Hidden struct {
	Name, Value string
}

// Confirm is the dialog a destructive action asks through: what will
// happen, and the button that does it.
type Confirm struct {
	Title  string // "Delete team Service desk?"
	Text   string // what will happen, and what will not
	Button string // "Delete team"
}

// Empty is what a list or section shows with nothing in it: what this is,
// what to do next, and the button that does it.
type Empty struct {
	Icon   string
	Title  string
	Text   string
	Action *Action
}

// Column is a table column.
type Column struct {
	Label string
	// Key columns stay in view on a phone, where each row becomes a card
	// and the key column its title.
	Key bool
	// Sort lets people sort the rows by this column: "text", "number" or
	// "time". The rows shown are sorted in the browser; the order of pages
	// stays the server's.
	Sort    string
	Numeric bool
}

// Row is a table row; Href, when set, is where the row leads.
type Row struct {
	Href  string
	Cells []Value
}

// Table is a data table with its empty state and paging.
type Table struct {
	ID      string // the element htmx replaces when a filter changes
	Caption string // for screen readers
	Columns []Column
	Rows    []Row
	Empty   Empty
	// Filtered says the rows were narrowed by a filter, so an empty table
	// says nothing matched rather than that there is nothing yet.
	Filtered bool
	Pager    Pager
}

// Pager moves through a list page by page.
type Pager struct {
	Next  string // the next page's address, "" on the last page
	First string // the first page's address when not on it
}

// Item is one described field of a record.
type Item struct {
	Label string
	Help  string
	Value Value
}

// Tab is one section of a record's page.
type Tab struct {
	Label   string
	Href    string
	Current bool
	Count   int // shown beside the label when positive
}

// Crumb is one step of the breadcrumbs, from the home page down.
type Crumb struct {
	Label, Href string
}

// Option is one choice of a select, radio or checkbox group.
type Option struct {
	Value, Label, Help string
	Selected           bool
}

// Field is one form field.
type Field struct {
	Name  string
	Label string
	Help  string // shown under the field; ISO-specific fields say what they mean here
	// Type is the input's type ("text", "email", "password", "search",
	// "number", "date"), or "textarea", "select", "radios", "checkbox" or
	// "checkboxes".
	Type         string
	Value        string
	Options      []Option
	Checked      bool
	Required     bool
	Error        string
	Placeholder  string
	Autocomplete string
	Rows         int
	Autofocus    bool
	// Accept, for Type "file", lists the file types offered (".pdf,.png").
	Accept string
	// Picker, for Type "picker", is a choice among many records: a search
	// box narrows the choices offered, which always include the chosen one.
	Picker *Picker
}

// Picker is the search of a "picker" field.
type Picker struct {
	Query string // the search box's name, "org_q"
	Value string // what was searched for
	URL   string // where htmx posts the search for the choices (ui-choices)
	Label string // "Find an organisation"
	More  bool   // more records match than are offered
	// Include, when set, is a selector of more fields the search sends
	// (the field choosing the kind of record searched).
	Include string
}

// Choices are a picker's choices as its search finds them.
type Choices struct {
	Options []Option
	Query   string
	More    bool
}

// ID is the field's element id.
func (f Field) ID() string { return "f-" + f.Name }

// Form is a form with its fields, the error summary at its top and its
// buttons.
type Form struct {
	ID      string
	Action  string
	CSRF    string
	Hidden  []Hidden
	Fields  []Field
	Message string // what went wrong with the whole form
	Submit  string
	Cancel  string // where Cancel leads; no Cancel when empty
	// Multipart sends the form as multipart/form-data, for a field of
	// Type "file".
	Multipart bool
}

// Problem is one entry of the error summary, linking to its field.
type Problem struct {
	ID, Label, Message string
}

// Problems lists the fields in error, in form order, for the summary.
func (f Form) Problems() []Problem {
	var out []Problem
	for _, fd := range f.Fields {
		if fd.Error != "" {
			out = append(out, Problem{ID: fd.ID(), Label: fd.Label, Message: fd.Error})
		}
	}
	return out
}

// SetErrors marks the fields named in errs (by field name) and returns
// the messages of names no field has, so they are shown in the summary.
func (f *Form) SetErrors(errs map[string]string) (unplaced []string) {
	for name, msg := range errs {
		found := false
		for i := range f.Fields {
			if f.Fields[i].Name == name {
				f.Fields[i].Error, found = msg, true
			}
		}
		if !found {
			unplaced = append(unplaced, msg)
		}
	}
	return unplaced
}

// Filter is the filter bar above a list: a search box and choices that
// narrow it, applied as they change (htmx) or with the Filter button.
type Filter struct {
	Action string // the list's address
	Target string // the table's element id
	Fields []Field
}

// Heatmap is a tree of items coloured by their status, such as an
// assessment's requirements clause by clause. It is drawn as a table, a
// row per group with its figure and its items as tiles, each tile saying
// its status in words too, so colour is never the only sign.
type Heatmap struct {
	Caption string
	// Legend names each tone's meaning, with a count.
	Legend []Badge
	Rows   []HeatRow
}

// HeatRow is a group of the heatmap: a top-level clause.
type HeatRow struct {
	Label, Href string
	Figure      string // the group's figure ("42 %")
	Cells       []HeatCell
}

// HeatCell is one item: its code, its status in words and tone, and the
// page it leads to; Title is the item's full name, for the tooltip and
// screen readers.
type HeatCell struct {
	Code, Title, Status, Href string
	Tone                      Tone
	Current                   bool // the item being looked at
}
