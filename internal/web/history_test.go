package web

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/conform-itsm/conform/internal/web/i18n"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/record"
)

// fakeNames answers name lookups from a table, as App.Names does for an
// actor who sees only the records in it, and counts the lookups.
type fakeNames struct {
	names map[string]map[int64]string
	calls map[string]int
}

func (f *fakeNames) lookUp(_ context.Context, entity string, ids []int64) (map[int64]string, error) {
	f.calls[entity]++
	out := map[int64]string{}
	for _, id := range ids {
		if n, ok := f.names[entity][id]; ok {
			out[id] = n
		}
	}
	return out, nil
}

// newTestReader reads histories with the platform's kinds; users, teams
// and organisations have pages, tokens and sessions do not.
func newTestReader(t *testing.T, names map[string]map[int64]string) (historyReader, *fakeNames) {
	t.Helper()
	kinds, err := record.NewRegistry(account.Kinds()...)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeNames{names: names, calls: map[string]int{}}
	paged := func(k record.Kind) bool { return slices.Contains([]string{"user", "team", "organisation"}, k.Entity) }
	return historyReader{kinds: kinds, names: f.lookUp, paged: paged}, f
}

func raw(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readOne converts a single entry of entity and returns its changes.
func readOne(t *testing.T, h historyReader, entity string, action audit.Action, changes ...audit.Change) HistoryEntry {
	t.Helper()
	got, err := h.read(context.Background(), entity, []audit.Entry{{ActorName: "Ada", Via: "session", Entity: entity, EntityID: 1, Action: action, Changes: changes}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d history entries, want 1", len(got))
	}
	return got[0]
}

func TestHistoryFieldChanges(t *testing.T) {
	h, _ := newTestReader(t, map[string]map[int64]string{
		"user":         {5: "Ada Lovelace", 6: "Grace Hopper", 8: "Linus Torvalds"},
		"organisation": {3: "Contoso"},
	})
	null := json.RawMessage("null")
	long1, long2 := strings.Repeat("a", 200), strings.Repeat("é", 150)
	edit1 := "First line support for every service we run, from the desk on the ground floor, answering the phone, the portal and email during business hours."
	edit2 := "First line support for every service we run, from the desk on the ground floor, answering the phone, the portal and chat around the clock."
	tests := []struct {
		name   string
		entity string
		change audit.Change
		want   FieldChange
	}{
		{"text has its label", "user", audit.Change{Field: "name", Before: raw(t, "Ada"), After: raw(t, "Ada King")},
			FieldChange{Label: "Name", Before: Value{Text: "Ada"}, After: Value{Text: "Ada King"}}},
		{"empty and null text", "team", audit.Change{Field: "description", Before: null, After: raw(t, "")},
			FieldChange{Label: "Description", Before: Value{Text: "—", Empty: true}, After: Value{Text: "(empty)", Empty: true}}},
		{"enum shows its label", "user", audit.Change{Field: "role", Before: raw(t, "sms_manager"), After: raw(t, "process_owner")},
			FieldChange{Label: "Role", Before: Value{Text: "SMS manager", Declared: true}, After: Value{Text: "Process owner", Declared: true}}},
		{"unknown enum code shows the code", "user", audit.Change{Field: "role", Before: raw(t, "agent"), After: raw(t, "wizard")},
			FieldChange{Label: "Role", Before: Value{Text: "Agent", Declared: true}, After: Value{Text: "wizard"}}},
		{"flag", "user", audit.Change{Field: "active", Before: raw(t, true), After: raw(t, false)},
			FieldChange{Label: "Active", Before: Value{Text: "Yes", Declared: true}, After: Value{Text: "No", Declared: true}}},
		{"secret shows no value", "user", audit.Change{Field: "password", Before: audit.Redacted, After: audit.Redacted},
			FieldChange{Label: "Password", Secret: true}},
		{"time in UTC", "token", audit.Change{Field: "revoked_at", Before: null, After: raw(t, time.Date(2026, 3, 1, 10, 30, 0, 0, time.FixedZone("CET", 3600)))},
			FieldChange{Label: "Revoked", Before: Value{Text: "—", Empty: true}, After: Value{Text: "2026-03-01 09:30 UTC", Time: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)}}},
		{"ref linked by name", "user", audit.Change{Field: "organisation_id", Before: null, After: raw(t, 3)},
			FieldChange{Label: "Organisation", Before: Value{Text: "—", Empty: true}, After: Value{Text: "Contoso", Href: "/organisations/3"}}},
		{"ref out of sight shows its number", "user", audit.Change{Field: "organisation_id", Before: raw(t, 3), After: raw(t, 4)},
			FieldChange{Label: "Organisation", Before: Value{Text: "Contoso", Href: "/organisations/3"}, After: Value{Text: "ORG-000004"}}},
		{"ref list shows what was added and removed", "team", audit.Change{Field: "member_ids", Before: raw(t, []int64{5, 6, 7}), After: raw(t, []int64{6, 8, 9})},
			FieldChange{Label: "Members", List: true,
				Added:   []Value{{Text: "Linus Torvalds", Href: "/users/8"}, {Text: "USR-000009"}},
				Removed: []Value{{Text: "Ada Lovelace", Href: "/users/5"}, {Text: "USR-000007"}}}},
		{"ref list from null", "team", audit.Change{Field: "member_ids", Before: null, After: raw(t, []int64{6})},
			FieldChange{Label: "Members", List: true, Added: []Value{{Text: "Grace Hopper", Href: "/users/6"}}}},
		{"ref from a kind without pages links to a kind with pages", "session", audit.Change{Field: "user_id", Before: null, After: raw(t, 6)},
			FieldChange{Label: "User", Before: Value{Text: "—", Empty: true}, After: Value{Text: "Grace Hopper", Href: "/users/6"}}},
		{"long text summarised", "team", audit.Change{Field: "description", Before: raw(t, long1), After: raw(t, long2)},
			FieldChange{Label: "Description", Long: true, BeforeChars: 200, AfterChars: 150, Before: Value{Text: long1}, After: Value{Text: long2}}},
		{"long text edited shown word by word", "team", audit.Change{Field: "description", Before: raw(t, edit1), After: raw(t, edit2)},
			FieldChange{Label: "Description", Long: true, BeforeChars: len(edit1), AfterChars: len(edit2), Before: Value{Text: edit1}, After: Value{Text: edit2},
				Diff: []DiffPart{{Text: "…", Op: "gap"}, {Text: " ground floor, answering the phone, the portal and "},
					{Text: "email during business hours.", Op: "del"}, {Text: "chat around the clock.", Op: "ins"}}}},
		{"long text set", "organisation", audit.Change{Field: "description", Before: null, After: raw(t, long1)},
			FieldChange{Label: "Description", Long: true, AfterChars: 200, Before: Value{Empty: true}, After: Value{Text: long1}}},
		{"short long text shown whole", "organisation", audit.Change{Field: "description", Before: raw(t, "Shops."), After: raw(t, strings.Repeat("b", 120))},
			FieldChange{Label: "Description", Before: Value{Text: "Shops."}, After: Value{Text: strings.Repeat("b", 120)}}},
		{"unknown field keeps its name", "team", audit.Change{Field: "colour", Before: raw(t, "red"), After: raw(t, 7)},
			FieldChange{Label: "colour", Before: Value{Text: "red"}, After: Value{Text: "7"}}},
		{"unexpected shape shown as recorded", "team", audit.Change{Field: "member_ids", Before: raw(t, "five"), After: raw(t, []int64{5})},
			FieldChange{Label: "Members", Before: Value{Text: "five"}, After: Value{Text: "[5]"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readOne(t, h, tt.entity, audit.Update, tt.change)
			if diff := cmp.Diff([]FieldChange{tt.want}, got.Changes); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}

// A reference to a kind whose records have no pages of their own is
// named but never linked.
func TestHistoryLinksOnlyKindsWithPages(t *testing.T) {
	h, _ := newTestReader(t, map[string]map[int64]string{"user": {6: "Grace Hopper"}})
	h.paged = func(k record.Kind) bool { return k.Entity != "user" }
	got := readOne(t, h, "token", audit.Create, audit.Change{Field: "user_id", Before: json.RawMessage("null"), After: raw(t, 6)})
	if diff := cmp.Diff(Value{Text: "Grace Hopper"}, got.Changes[0].After); diff != "" {
		t.Errorf("reference to a kind without pages (-want +got):\n%s", diff)
	}
}

func TestHistoryEntries(t *testing.T) {
	h, names := newTestReader(t, map[string]map[int64]string{"user": {5: "Ada Lovelace"}})
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	entries := []audit.Entry{
		{At: at, ActorName: "Grace", Via: "token", Entity: "team", EntityID: 1, Action: audit.Delete},
		{At: at, ActorName: "Grace", Via: "session", Entity: "team", EntityID: 1, Action: audit.Update, Changes: []audit.Change{
			{Field: "member_ids", Before: raw(t, []int64{5}), After: raw(t, []int64{5, 6})},
			{Field: "description", Before: raw(t, "x"), After: raw(t, "y")},
			{Field: "colour", Before: raw(t, "red"), After: raw(t, "blue")},
			{Field: "name", Before: raw(t, "Desk"), After: raw(t, "Service desk")},
		}},
		{At: at, ActorName: "system", Via: "cli", Entity: "team", EntityID: 1, Action: audit.Create, Changes: []audit.Change{
			{Field: "member_ids", Before: json.RawMessage("null"), After: raw(t, []int64{5, 7})},
		}},
	}
	got, err := h.read(context.Background(), "team", entries)
	if err != nil {
		t.Fatal(err)
	}
	var actions, labels []string
	for _, e := range got {
		actions = append(actions, e.Action)
	}
	for _, c := range got[1].Changes {
		labels = append(labels, c.Label)
	}
	if want := []string{"Deleted", "Changed", "Created"}; !slices.Equal(actions, want) {
		t.Errorf("actions: got %v, want %v", actions, want)
	}
	if want := []string{"Name", "Description", "Members", "colour"}; !slices.Equal(labels, want) {
		t.Errorf("changes in the order the kind declares its fields: got %v, want %v", labels, want)
	}
	if got[1].Who != "Grace" || got[1].Via != "session" || !got[1].At.Equal(at) {
		t.Errorf("who and when: got %q via %q at %v, want Grace via session at %v", got[1].Who, got[1].Via, got[1].At, at)
	}
	if want := map[string]int{"user": 1}; !cmp.Equal(names.calls, want) {
		t.Errorf("name lookups: got %v, want one for users however many values refer to them", names.calls)
	}
}

// The history template shows the view model: links, what was added and
// removed, and a long text behind a disclosure.
func TestHistoryTemplate(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := &Pages{cat: cat}
	set, err := p.parse(cat.Locale("en", nil))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := newTestReader(t, map[string]map[int64]string{"user": {5: "Ada <Lovelace>", 8: "Linus"}})
	long := strings.Repeat("word ", 40)
	entries, err := h.read(context.Background(), "team", []audit.Entry{{ActorName: "Grace", Via: "session", Action: audit.Update, Changes: []audit.Change{
		{Field: "member_ids", Before: raw(t, []int64{5, 7}), After: raw(t, []int64{8})},
		{Field: "description", Before: raw(t, long), After: raw(t, "Short.")},
		{Field: "name", Before: raw(t, "Desk"), After: raw(t, "Service desk")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	render := func(entries []HistoryEntry) string {
		var b bytes.Buffer
		if err := set["record"].ExecuteTemplate(&b, "history", entries); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	out := render(entries)
	for _, want := range []string{
		`<h2 id="history-title" class="section-title mb-1">History</h2>`,
		`<td data-label="What"><span class="badge tone tone-blue">Changed</span></td>`,
		`<span class="field">Members</span>: <span class="added">added <a href="/users/8">Linus</a></span>; <span class="removed">removed <a href="/users/5">Ada &lt;Lovelace&gt;</a>, USR-000007</span>`,
		`<span class="field">Description</span>: changed (200 <span aria-hidden="true">→</span><span class="visually-hidden">to</span> 6 characters)`,
		`<summary>Show both versions</summary>`,
		`<dd class="before">` + long + `</dd>`,
		`<span class="before">Desk</span> <span aria-hidden="true">→</span><span class="visually-hidden">changed to</span> <span class="after">Service desk</span>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("history does not contain %s:\n%s", want, out)
		}
	}
	if n := strings.Count(out, long); n != 1 {
		t.Errorf("the long text appears %d times, want once (behind the disclosure)", n)
	}
	// A long text edited in part shows its change word by word, marked.
	edited, err := h.read(context.Background(), "team", []audit.Entry{{ActorName: "Grace", Via: "session", Action: audit.Update, Changes: []audit.Change{
		{Field: "description", Before: raw(t, long+"in the morning"), After: raw(t, long+"around the clock")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	out = render(edited)
	for _, want := range []string{
		`<p class="diff"><span class="gap" title="unchanged text left out">…</span>`,
		`word <del><span class="visually-hidden">removed: </span>in </del><ins><span class="visually-hidden">added: </span>around </ins>the <del><span class="visually-hidden">removed: </span>morning</del><ins><span class="visually-hidden">added: </span>clock</ins></p>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("edited long text does not contain %s:\n%s", want, out)
		}
	}
	if out := render(nil); !strings.Contains(out, "No history shown") {
		t.Errorf("empty history:\n%s", out)
	}
}
