package restapi

import (
	"slices"
	"testing"

	"github.com/conform-itsm/conform/internal/errs"
)

// TestIfMatchVersions: what If-Match accepts, as the versions a change may
// apply to (nil: any), stale (no strong tag of ours) or malformed.
func TestIfMatchVersions(t *testing.T) {
	for _, c := range []struct {
		header string
		want   []int64
		code   errs.Code
	}{
		{"", nil, ""},
		{"*", nil, ""},
		{" * ", nil, ""},
		{`"3"`, []int64{3}, ""},
		{` "3" `, []int64{3}, ""},
		{`"3","4"`, []int64{3, 4}, ""},
		{`"3", W/"4", "5"`, []int64{3, 5}, ""},
		{`W/"3"`, nil, errs.Stale},
		{`"0"`, nil, errs.Stale},
		{`"-2"`, nil, errs.Stale},
		{`"x"`, nil, errs.Stale},
		{`""`, nil, errs.Stale},
		{`3`, nil, errs.Malformed},
		{`"3`, nil, errs.Malformed},
		{`3"`, nil, errs.Malformed},
		{`"`, nil, errs.Malformed},
		{`W/3`, nil, errs.Malformed},
		{`"3", 4`, nil, errs.Malformed},
		{`"3",`, nil, errs.Malformed},
		{`*, "3"`, nil, errs.Malformed},
	} {
		got, err := IfMatch{IfMatch: c.header}.versions()
		if !slices.Equal(got, c.want) || errs.CodeOf(err) != c.code {
			t.Errorf("If-Match %q: %v, %v; want %v and code %q", c.header, got, err, c.want, c.code)
		}
		if c.code != "" && err != nil && errs.As(err) == nil {
			t.Errorf("If-Match %q: error %v is not a domain error", c.header, err)
		}
	}
}

// TestAtVersions: each accepted version is tried until one is not stale;
// any other answer stops at once; without If-Match the change runs once
// with 0 (any version).
func TestAtVersions(t *testing.T) {
	current := int64(5)
	var tried []int64
	change := func(v int64) (int64, error) {
		tried = append(tried, v)
		switch {
		case v == 7:
			return 0, errs.E(errs.Conflict, "conflict")
		case v != 0 && v != current:
			return 0, errs.E(errs.Stale, "stale")
		}
		return current + 1, nil
	}
	for _, c := range []struct {
		header string
		tried  []int64
		want   int64
		code   errs.Code
	}{
		{"", []int64{0}, 6, ""},
		{`"5"`, []int64{5}, 6, ""},
		{`"3", "5", "9"`, []int64{3, 5}, 6, ""},
		{`"3", "4"`, []int64{3, 4}, 0, errs.Stale},
		{`"7", "5"`, []int64{7}, 0, errs.Conflict},
		{`W/"5"`, nil, 0, errs.Stale},
		{`5`, nil, 0, errs.Malformed},
	} {
		tried = nil
		got, err := atVersions(IfMatch{IfMatch: c.header}, change)
		if got != c.want || errs.CodeOf(err) != c.code || !slices.Equal(tried, c.tried) {
			t.Errorf("If-Match %q: %d, %v after trying %v; want %d, code %q after trying %v", c.header, got, err, tried, c.want, c.code, c.tried)
		}
	}
}
