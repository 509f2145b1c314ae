package web

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/record"
)

// A record's History section reads its audit entries through the kind's
// declaration: labels instead of field names, enum labels instead of
// codes, references by name and linked. The audit trail page and the
// JSON API keep the values as recorded.

// HistoryEntry is one line of a record's history as people read it.
type HistoryEntry struct {
	At      time.Time
	Who     string
	Via     string
	Action  string // "Created", "Changed", "Deleted"
	Changes []FieldChange
}

// FieldChange is one field's change. Secret, List and Long say how it is
// shown; otherwise as Before changed to After.
type FieldChange struct {
	Label         string
	Before, After Value
	// Secret: only that it changed; the trail holds no value.
	Secret bool
	// List: a list of references, shown as what was added and removed
	// rather than both whole lists.
	List           bool
	Added, Removed []Value
	// Long: a long text, shown by its length with both versions (Before
	// and After, in full) behind a disclosure.
	Long                    bool
	BeforeChars, AfterChars int
	// Diff is a long text's change word by word, when it could be worked out.
	Diff []DiffPart
}

// Value is a recorded value as shown.
type Value struct {
	Text  string
	Href  string // the page of the record referred to, if it may be followed
	Empty bool   // no value, or empty text
	// Declared says Text is a label the kind declares (an enumerated
	// value's, Yes or No), which the page shows in the reader's language.
	Declared bool
	// Time is set for a recorded time, shown in the reader's zone.
	Time time.Time
}

// longText is how many characters a text may have before the history
// stops showing it whole on both sides of a change.
const longText = 120

// nameFunc returns the names of those records of entity among ids that
// the viewer may see; others are left out.
type nameFunc func(ctx context.Context, entity string, ids []int64) (map[int64]string, error)

// historyReader turns one record's audit entries into its history.
type historyReader struct {
	kinds *record.Registry
	names nameFunc
	// paged reports whether a kind's records have pages of their own,
	// for references to link to.
	paged func(record.Kind) bool
}

// historyReader reads histories for actor: references are named only if
// the actor may see the record referred to.
func (p *Pages) historyReader(actor access.Actor) historyReader {
	return historyReader{
		kinds: p.app.Kinds(),
		names: func(ctx context.Context, entity string, ids []int64) (map[int64]string, error) {
			return p.app.Names(ctx, actor, entity, ids)
		},
		paged: p.hasRecordPage,
	}
}

// hasRecordPage reports whether a page for each of the kind's records,
// /<path>/{id}, is registered (tokens, for one, have only a list).
func (p *Pages) hasRecordPage(k record.Kind) bool { return p.detailPages["/"+k.Path()+"/{id}"] }

var actionLabels = map[audit.Action]string{audit.Create: "Created", audit.Update: "Changed", audit.Delete: "Deleted"}

// read converts entries of one record of entity, looking up the names
// of the records they refer to once per kind referred to.
func (h historyReader) read(ctx context.Context, entity string, entries []audit.Entry) ([]HistoryEntry, error) {
	kind, _ := h.kinds.Get(entity) // an undeclared kind shows its fields by their names
	names, err := h.lookUp(ctx, kind, entries)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryEntry, 0, len(entries))
	for _, e := range entries {
		he := HistoryEntry{At: e.At, Who: e.ActorName, Via: e.Via, Action: actionLabels[e.Action]}
		if he.Action == "" {
			he.Action = string(e.Action)
		}
		changes := slices.Clone(e.Changes)
		// In the order the kind declares its fields; undeclared ones last.
		slices.SortStableFunc(changes, func(a, b audit.Change) int { return fieldOrder(kind, a.Field) - fieldOrder(kind, b.Field) })
		for _, c := range changes {
			he.Changes = append(he.Changes, h.change(kind, c, names))
		}
		out = append(out, he)
	}
	return out, nil
}

func fieldOrder(k record.Kind, name string) int {
	if i := slices.IndexFunc(k.Fields, func(f record.Field) bool { return f.Name == name }); i >= 0 {
		return i
	}
	return len(k.Fields)
}

// lookUp finds the names of every record the entries refer to, one
// lookup per kind referred to.
func (h historyReader) lookUp(ctx context.Context, kind record.Kind, entries []audit.Entry) (map[string]map[int64]string, error) {
	wanted := map[string][]int64{}
	for _, e := range entries {
		for _, c := range e.Changes {
			f, ok := kind.Field(c.Field)
			if !ok || (f.Display != record.Ref && f.Display != record.RefList) {
				continue
			}
			for _, raw := range []json.RawMessage{c.Before, c.After} {
				if ids, ok := refIDs(f, raw); ok {
					wanted[f.Ref] = append(wanted[f.Ref], ids...)
				}
			}
		}
	}
	names := make(map[string]map[int64]string, len(wanted))
	for entity, ids := range wanted {
		if len(ids) == 0 {
			continue
		}
		slices.Sort(ids)
		m, err := h.names(ctx, entity, slices.Compact(ids))
		if err != nil {
			return nil, err
		}
		names[entity] = m
	}
	return names, nil
}

// refIDs reads the ids a Ref or RefList value holds; null holds none. ok
// is false for a value of another shape, which is then shown as recorded.
func refIDs(f record.Field, raw json.RawMessage) (ids []int64, ok bool) {
	if isNull(raw) {
		return nil, true
	}
	if f.Display == record.Ref {
		var id int64
		if json.Unmarshal(raw, &id) != nil {
			return nil, false
		}
		if id == 0 {
			return nil, true
		}
		return []int64{id}, true
	}
	if json.Unmarshal(raw, &ids) != nil {
		return nil, false
	}
	return ids, true
}

func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// change shows one recorded change as the field's declaration says.
func (h historyReader) change(kind record.Kind, c audit.Change, names map[string]map[int64]string) FieldChange {
	f, ok := kind.Field(c.Field)
	if !ok {
		// Nothing recorded is hidden: an undeclared field shows by name.
		return FieldChange{Label: c.Field, Before: rawValue(c.Before), After: rawValue(c.After)}
	}
	fc := FieldChange{Label: f.Label}
	switch f.Display {
	case record.Secret:
		fc.Secret = true
		return fc
	case record.RefList:
		before, okB := refIDs(f, c.Before)
		after, okA := refIDs(f, c.After)
		if okB && okA {
			fc.List = true
			for _, id := range after {
				if !slices.Contains(before, id) {
					fc.Added = append(fc.Added, h.ref(f.Ref, id, names))
				}
			}
			for _, id := range before {
				if !slices.Contains(after, id) {
					fc.Removed = append(fc.Removed, h.ref(f.Ref, id, names))
				}
			}
			return fc
		}
	case record.LongText:
		before, after := textOf(c.Before), textOf(c.After)
		nb, na := utf8.RuneCountInString(before), utf8.RuneCountInString(after)
		if nb > longText || na > longText {
			fc.Long, fc.BeforeChars, fc.AfterChars = true, nb, na
			fc.Before = Value{Text: before, Empty: before == ""}
			fc.After = Value{Text: after, Empty: after == ""}
			if before != "" && after != "" {
				if d, ok := wordDiff(before, after); ok && mostlyKept(d, before, after) {
					fc.Diff = d
				}
			}
			return fc
		}
	}
	fc.Before, fc.After = h.value(f, c.Before, names), h.value(f, c.After, names)
	return fc
}

// value shows one recorded value of a field that is neither a secret nor
// a list; a value of an unexpected shape is shown as recorded.
func (h historyReader) value(f record.Field, raw json.RawMessage, names map[string]map[int64]string) Value {
	if isNull(raw) {
		return rawValue(raw)
	}
	switch f.Display {
	case record.Ref:
		if ids, ok := refIDs(f, raw); ok && len(ids) == 1 {
			return h.ref(f.Ref, ids[0], names)
		}
	case record.Enum:
		var code string
		if json.Unmarshal(raw, &code) == nil && code != "" {
			if label, ok := f.Values[code]; ok {
				return Value{Text: label, Declared: true}
			}
		}
	case record.Flag:
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			if b {
				return Value{Text: "Yes", Declared: true}
			}
			return Value{Text: "No", Declared: true}
		}
	case record.Time:
		var t time.Time
		if json.Unmarshal(raw, &t) == nil {
			return Value{Text: t.UTC().Format("2006-01-02 15:04 UTC"), Time: t}
		}
	}
	return rawValue(raw)
}

// ref shows a reference: the record's name linked to its page, or, for
// a record the viewer may not see or that is gone, its number.
func (h historyReader) ref(entity string, id int64, names map[string]map[int64]string) Value {
	k, _ := h.kinds.Get(entity)
	name, ok := names[entity][id]
	if !ok || name == "" {
		return Value{Text: k.Number(id)}
	}
	v := Value{Text: name}
	if h.paged(k) {
		v.Href = "/" + k.Path() + "/" + strconv.FormatInt(id, 10)
	}
	return v
}

// rawValue shows a value as recorded, as the audit trail page does.
func rawValue(raw json.RawMessage) Value {
	return Value{Text: auditValue(raw), Empty: isNull(raw) || string(raw) == `""`}
}

// textOf is a recorded text; "" for null or a value of another shape.
func textOf(raw json.RawMessage) string {
	var s string
	if isNull(raw) || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// mostlyKept reports whether a word-level change leaves at least a third
// of the longer text as it was; a text rewritten wholesale reads better as
// its two versions than as everything struck out and everything added.
func mostlyKept(parts []DiffPart, before, after string) bool {
	kept := 0
	for _, p := range parts {
		if p.Op == "" || p.Op == "gap" {
			kept++
		}
	}
	if kept == 0 {
		return false
	}
	changed := 0
	for _, p := range parts {
		if p.Op == "ins" || p.Op == "del" {
			changed += len(words(p.Text))
		}
	}
	return changed*3 <= 2*max(len(words(before)), len(words(after)))
}

// recordHref is the address of a record's page, "" when its kind has none.
func (p *Pages) recordHref(entity string, id int64) string {
	k, ok := p.app.Kinds().Get(entity)
	if !ok || !p.hasRecordPage(k) {
		return ""
	}
	return fmt.Sprintf("/%s/%d", k.Path(), id)
}
