package web

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/conform-itsm/conform/internal/web/i18n"
)

// TestPageDeclarationsChecked: an area's templates are held to their
// declarations when the pages are mounted, so that a mistake shows at
// start rather than when someone opens the page.
func TestPageDeclarationsChecked(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fm := funcsFor(cat.Locale("en", nil))
	base, err := parseBase(fm)
	if err != nil {
		t.Fatal(err)
	}
	good := `{{define "content"}}{{template "form-error" .}}<div id="list">{{template "partial" .}}</div>{{end}}
{{define "partial"}}{{template "row" .}}{{end}}
{{define "row"}}<p>row</p>{{end}}`
	cases := []struct {
		name  string
		files fstest.MapFS
		pages []Page
		want  string // part of the error; "" for none
	}{
		{"as declared", fstest.MapFS{"notes.html": {Data: []byte(good)}},
			[]Page{{Name: "notes", Uses: []string{"form-error"}, Fragment: true}}, ""},
		{"a file not declared", fstest.MapFS{"notes.html": {Data: []byte(good)}, "stray.html": {Data: []byte(`{{define "content"}}{{end}}`)}},
			[]Page{{Name: "notes", Uses: []string{"form-error"}, Fragment: true}}, "stray.html is not declared"},
		{"a page without its file", fstest.MapFS{"notes.html": {Data: []byte(good)}},
			[]Page{{Name: "notes", Uses: []string{"form-error"}, Fragment: true}, {Name: "gone"}}, "gone is declared but has no template file"},
		{"a shared partial used but not declared", fstest.MapFS{"notes.html": {Data: []byte(good)}},
			[]Page{{Name: "notes", Fragment: true}}, `calls template "form-error"`},
		{"a shared partial that does not exist", fstest.MapFS{"notes.html": {Data: []byte(good)}},
			[]Page{{Name: "notes", Uses: []string{"form-error", "no-such-part"}, Fragment: true}}, `"no-such-part", which no shared template defines`},
		{"a call to nothing", fstest.MapFS{"notes.html": {Data: []byte(`{{define "content"}}{{if .}}{{template "typo" .}}{{end}}{{end}}`)}},
			[]Page{{Name: "notes"}}, `calls template "typo"`},
		{"a fragment not declared", fstest.MapFS{"notes.html": {Data: []byte(good)}},
			[]Page{{Name: "notes", Uses: []string{"form-error"}}}, `declared Fragment false`},
		{"no content", fstest.MapFS{"notes.html": {Data: []byte(`{{define "body"}}{{end}}`)}},
			[]Page{{Name: "notes"}}, `defines no "content"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := templateSet{}
			err := parsePages(base, fm, c.files, c.pages, "notes/", got)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("got %v, want the pages parsed", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want an error saying %q", err, c.want)
			case c.want == "" && (got["notes/notes"] == nil || got["notes/notes"].Lookup("partial") == nil || got["notes/notes"].Lookup("layout") == nil):
				t.Fatalf("the page is not registered as notes/notes with its partial and the layout: %v", got)
			}
		})
	}
}
