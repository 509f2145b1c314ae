package web

import (
	"bytes"
	"html/template"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/web/i18n"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// The templates cells replaced, as they were: a value and a table's rows.
const cellTemplates = `{{define "ref-value"}}
{{- if .Hidden}}<span class="visually-hidden">{{tr .Text}}</span>
{{- else if .Href}}<a href="{{.Href}}">{{.Text}}</a>
{{- else if .Long}}<span class="long-text">{{.Text}}</span>
{{- else if .Code}}<code>{{.Text}}</code>
{{- else if not .Time.IsZero}}<time datetime="{{iso .Time}}">{{time .Time}}</time>
{{- else if not .Day.IsZero}}<time datetime="{{.Day.Format "2006-01-02"}}">{{day .Day}}</time>
{{- else if .Text}}{{.Text}}{{end}}
{{- range .Badges}} {{template "ui-badge" .}}{{end}}
{{- with .Links}}{{range $i, $l := .}}{{if $i}}, {{end}}<a href="{{$l.Href}}">{{$l.Text}}</a>{{end}}{{end}}
{{- with .Actions}}<div class="btn-list btn-list-sm">{{range .}}{{template "ui-action" .}}{{end}}</div>{{end}}
{{- if and (not .Text) (.Time.IsZero) (.Day.IsZero) (not .Badges) (not .Links) (not .Actions)}}<span class="text-secondary">{{tr (or .Empty "—")}}</span>{{end}}
{{- with .Note}}<div class="small text-secondary">{{tr .}}</div>{{end}}
{{- with .Progress}}<progress class="progress progress-lg mt-2" value="{{.Value}}" max="{{.Max}}" aria-label="{{tr .Label}}">{{.Value}}/{{.Max}}</progress>{{end}}
{{- end}}
{{define "ref-rows"}}{{range .Rows}}<tr{{with .Href}} data-href="{{.}}"{{end}}>{{range $i, $v := .Cells}}{{with index $.Columns $i}}<td data-label="{{tr .Label}}"{{if .Key}} class="key"{{else if .Numeric}} class="text-end"{{end}}>{{template "ref-value" $v}}</td>{{end}}{{end}}</tr>
{{end}}{{end}}`

// Cells written in Go are the HTML the templates wrote, escaping
// included, for every kind of value: text with markup in it, links safe
// and unsafe, times, days, badges, buttons, empty values, notes, bars.
func TestCellsMatchTheTemplate(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "de"} {
		loc := cat.Locale(lang, time.FixedZone("CET", 3600))
		fm, st := funcsWithStatic(loc)
		base, err := parseBase(fm)
		if err != nil {
			t.Fatal(err)
		}
		ref := template.Must(template.Must(base.Clone()).Parse(cellTemplates))
		st.base = base
		c := cells{loc: loc, st: st}
		at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		values := []ui.Value{
			{},
			{Empty: "No certificate"},
			{Text: `<script>alert("x" + 'y') & é</script>`},
			{Text: "Open", Href: "/actions?state=open&owner=1"},
			{Text: "odd", Href: "/évidence/a b(1)?q=x y'z\"<>"},
			{Text: "evil", Href: "javascript:alert(1)"},
			{Text: "Evil", Href: "JavaScript:alert(1)"},
			{Text: "data", Href: "data:text/html,<b>"},
			{Text: "mail", Href: "mailto:a@example.com"},
			{Text: "web", Href: "https://example.com/x?y=1+2"},
			{Text: "Actions", Hidden: true},
			{Text: "line one\nline two", Long: true},
			{Text: "cfm_abc", Code: true},
			{Time: at},
			{Day: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
			{Text: "Risk", Badges: []ui.Badge{{Text: "Open", Tone: ui.Warning}, {Text: "Done", Tone: ui.Neutral}}},
			{Badges: []ui.Badge{{Text: "Implemented", Tone: ui.Success}}, Note: "Not started"},
			{Links: []ui.Link{{Text: "8.6", Href: "/requirements/1"}, {Text: "<b>", Href: "/x?a=1&b=2"}}},
			{Text: "75 %", Progress: &ui.Progress{Value: 75, Max: 100, Label: "Readiness"}},
			{Actions: []ui.Action{{Label: "Revoke", Icon: "trash", Style: ui.Destructive, Post: "/tokens/1/revoke", CSRF: "tok<en>",
				Hidden: []ui.Hidden{{Name: "back", Value: "/a?b=c&d"}}, Confirm: &ui.Confirm{Title: "Revoke it?", Text: "It stops working.", Button: "Revoke"}},
				{Label: "Edit", Href: "/tokens/1/edit", Name: "Edit token 1"}}},
		}
		for _, v := range values {
			var want bytes.Buffer
			if err := ref.ExecuteTemplate(&want, "ref-value", v); err != nil {
				t.Fatal(err)
			}
			got, err := c.value(v)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want.String() {
				t.Errorf("%s: value %+v:\n got %s\nwant %s", lang, v, got, want.String())
			}
		}
		table := ui.Table{Columns: []ui.Column{{Label: "Number", Key: true}, {Label: "Due", Numeric: true}, {Label: "State"}},
			Rows: []ui.Row{
				{Href: "/actions/1", Cells: values[2:5]},
				{Cells: values[13:16]},
				{Href: "/a b", Cells: values[5:8]},
			}}
		var want bytes.Buffer
		if err := ref.ExecuteTemplate(&want, "ref-rows", table); err != nil {
			t.Fatal(err)
		}
		got, err := c.rows(table)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%s: rows:\n got %s\nwant %s", lang, got, want.String())
		}
	}
}
