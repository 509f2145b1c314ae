package web

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/web/i18n"
)

// The shared template functions: prev counts back one, dict pairs keys
// with values and refuses an odd list, query writes the non-empty pairs
// as a query string.
func TestTemplateFuncs(t *testing.T) {
	prev := funcs["prev"].(func(int64) int64)
	if got := prev(7); got != 6 {
		t.Errorf("prev(7) = %d", got)
	}
	dict := funcs["dict"].(func(...any) (map[string]any, error))
	got, err := dict("a", 1, "b", "two", 3, true)
	if want := map[string]any{"a": 1, "b": "two", "3": true}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("dict: %v %v, want %v", got, err, want)
	}
	if got, err := dict(); err != nil || len(got) != 0 {
		t.Errorf("dict(): %v %v, want an empty map", got, err)
	}
	if _, err := dict("a", 1, "b"); err == nil {
		t.Error("dict of an odd list: no error")
	}
	query := funcs["query"].(func(...any) string)
	if got := query("q", "change", "page", 0, "owner", "", "state", "open"); got != "?q=change&state=open" {
		t.Errorf("query: %q", got)
	}
	if got := query("q", "", "n", 0); got != "" {
		t.Errorf("query of nothing: %q, want empty", got)
	}
	if got := query("q", "x", "dangling"); got != "?q=x" {
		t.Errorf("query with a key without value: %q", got)
	}
}

// slug, initials and the audit trail's values, as the pages show them.
func TestTemplateFuncsText(t *testing.T) {
	for in, want := range map[string]string{"Team members": "team-members", "  Risks & opportunities!": "risks-opportunities", "8.3 Service": "8-3-service", "": "", "--": ""} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Alex Morgan": "AM", "alex": "A", "Mary Ann de Vries": "MV", "": "", "émile zola": "ÉZ"} {
		if got := initials(in); got != want {
			t.Errorf("initials(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"": "—", "null": "—", `""`: "(empty)", `"text"`: "text", "42": "42", "[1,2]": "[1,2]", "true": "true"} {
		if got := auditValue(json.RawMessage(in)); got != want {
			t.Errorf("auditValue(%s) = %q, want %q", in, got, want)
		}
	}
}

// timep writes a time in the reader's zone, and nothing for none; a
// shared part that does not exist is an error, not an empty string.
func TestTemplateFuncsLocale(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc := cat.Locale("en", nil)
	fm, st := funcsWithStatic(loc)
	timep := fm["timep"].(func(*time.Time) string)
	if got := timep(nil); got != "" {
		t.Errorf("timep(nil) = %q", got)
	}
	at := time.Date(2026, 12, 6, 15, 4, 0, 0, time.UTC)
	if got, want := timep(&at), loc.Time(at); got != want || got == "" {
		t.Errorf("timep = %q, want %q", got, want)
	}
	base, err := parseBase(fm)
	if err != nil {
		t.Fatal(err)
	}
	st.base = base
	if _, err := st.render("no-such-part"); err == nil {
		t.Error("rendering a part that does not exist: no error")
	}
}

// A locale's parsed templates are kept, up to maxTemplateSets locales;
// past that, a locale's are parsed for each page.
func TestTemplateFuncsSetsKept(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b templateSet) bool { return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer() }
	p := &Pages{}
	p.setCount.Store(maxTemplateSets - 1)
	en := cat.Locale("en", nil)
	first, err := p.templates(en)
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.templates(en)
	if err != nil || !same(first, again) {
		t.Errorf("the %dth locale's templates were not kept", maxTemplateSets)
	}
	de := cat.Locale("de", nil)
	first, err = p.templates(de)
	if err != nil {
		t.Fatal(err)
	}
	if again, err = p.templates(de); err != nil || same(first, again) {
		t.Errorf("past %d locales, a locale's templates were kept", maxTemplateSets)
	}
}

// The navigation puts the kinds' lists, the platform's other pages and
// the areas' own links together, area by area in the areas' order and by
// place within an area, whatever order they are gathered in.
func TestTemplateFuncsNavigation(t *testing.T) {
	one, two := record.Area{Name: "One", Order: 1}, record.Area{Name: "Two", Order: 2}
	kind := func(entity string, area record.Area, order int) record.Kind {
		return record.Kind{Entity: entity, Label: entity, Plural: entity, Read: "x.read", Write: "x.write", History: "x.read", Area: area, Nav: &record.Nav{Order: order}}
	}
	kinds, err := record.NewRegistry(kind("gamma", two, 5), kind("alpha", one, 30), kind("beta", one, 10))
	if err != nil {
		t.Fatal(err)
	}
	areas := []Area{{Name: "one", Links: []Link{{Label: "Readiness", Href: "/readiness", Area: one, Order: 20}, {Label: "Board", Href: "/board", Area: two, Order: 1}}}}
	var got []string
	for _, e := range navigation(kinds, areas) {
		got = append(got, e.href)
	}
	want := []string{"/", "/beta", "/readiness", "/alpha", "/board", "/gamma", "/audit"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("navigation %v, want %v", got, want)
	}
}
