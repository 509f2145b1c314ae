package web

import (
	"reflect"
	"testing"
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
