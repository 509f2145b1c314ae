package assurance

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Code is a stored value with its label, for states, types and results:
// the management system's, so one list serves both areas.
type Code = sms.Code

// Labels maps codes to their labels, for a kind's enumerated field.
func Labels(codes []Code) map[string]string {
	m := make(map[string]string, len(codes))
	for _, c := range codes {
		m[c.Code] = c.Label
	}
	return m
}

// LabelOf is the label of a code, the code itself when unknown.
func LabelOf(codes []Code, code string) string {
	for _, c := range codes {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// known reports whether code is one of codes.
func known(codes []Code, code string) bool {
	return slices.ContainsFunc(codes, func(c Code) bool { return c.Code == code })
}

// codeList writes codes as "a, b or c" for a refusal.
func codeList(codes []Code) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = c.Code
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// Ref names a record of any kind by its entity and id: a record sampled
// by an auditor, or one that shows a finding.
type Ref struct {
	Entity string `json:"entity"`
	ID     int64  `json:"id"`
}

// Refs is a list of records, stored as JSON.
type Refs []Ref

// MarshalJSON writes no records as an empty list.
func (rs Refs) MarshalJSON() ([]byte, error) {
	if rs == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]Ref(rs))
}

// Value stores the records as JSON.
func (rs Refs) Value() (driver.Value, error) {
	b, err := rs.MarshalJSON()
	return string(b), err
}

// Scan reads records stored as JSON.
func (rs *Refs) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*rs = Refs{}
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("refs: cannot read %T", src)
	}
	var out []Ref
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("refs: %w", err)
	}
	if out == nil {
		out = []Ref{}
	}
	*rs = out
	return nil
}

// normalizeRefs trims, drops duplicates and keeps the order given.
func normalizeRefs(rs Refs) Refs {
	out := Refs{}
	for _, r := range rs {
		r.Entity = strings.TrimSpace(r.Entity)
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// checkRefs refuses a malformed list of records naming field.
func checkRefs(c *errs.Checker, field string, rs Refs) {
	if len(rs) > 50 {
		c.Add(field, "must name at most 50 records")
		return
	}
	for _, r := range rs {
		if r.Entity == "" || r.ID <= 0 {
			c.Add(field, "must name each record by its kind and id, such as evidence 3")
			return
		}
	}
}

// ParseRefs reads records written as "evidence 3, incident 12" (or
// "evidence:3"); a part that is not a kind and an id is refused naming
// field.
func ParseRefs(field, s string) (Refs, error) {
	out := Refs{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		part = strings.TrimSpace(strings.ReplaceAll(part, ":", " "))
		if part == "" {
			continue
		}
		var r Ref
		if n, err := fmt.Sscanf(part, "%s %d", &r.Entity, &r.ID); n != 2 || err != nil || r.ID <= 0 {
			return nil, errs.Field(field, fmt.Sprintf("%q is not a record: write its kind and id, such as evidence 3", part))
		}
		out = append(out, r)
	}
	return normalizeRefs(out), nil
}

// String writes records as ParseRefs reads them.
func (rs Refs) String() string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = fmt.Sprintf("%s %d", r.Entity, r.ID)
	}
	return strings.Join(s, ", ")
}

// checkDay refuses a day that is not "2006-01-02"; empty is allowed
// unless required.
func checkDay(c *errs.Checker, field, day string, required bool) bool {
	if day == "" {
		if required {
			c.Add(field, "is required: give a date such as 2027-01-31")
			return false
		}
		return true
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		c.Add(field, "must be a date such as 2027-01-31")
		return false
	}
	return true
}

// checkLine refuses a required single line over max characters.
func checkLine(c *errs.Checker, field, s string, max int, required string) {
	switch {
	case s == "" && required != "":
		c.Add(field, "is required: "+required)
	case utf8.RuneCountInString(s) > max || strings.ContainsAny(s, "\x00\r\n"):
		c.Add(field, fmt.Sprintf("must be a single line of at most %d characters", max))
	}
}

// checkText refuses a text over max characters.
func checkText(c *errs.Checker, field, s string, max int) {
	c.Check(utf8.RuneCountInString(s) <= max && !strings.ContainsRune(s, 0), field, fmt.Sprintf("must be at most %d characters", max))
}

// normalizeIDs sorts ids and drops duplicates.
func normalizeIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	if out == nil {
		return []int64{}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func checkIDs(c *errs.Checker, field string, ids []int64) {
	for _, id := range ids {
		if id <= 0 {
			c.Add(field, "must name records by their ids")
			return
		}
	}
}
