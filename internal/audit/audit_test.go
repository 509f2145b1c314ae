package audit

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type rec struct {
	ID      int64    `json:"id"`
	Version int64    `json:"version"`
	Name    string   `json:"name"`
	Tags    []string `json:"tags"`
	Secret  string   `json:"-"`
}

func TestDiff(t *testing.T) {
	before := rec{ID: 1, Version: 1, Name: "a", Tags: []string{"x"}, Secret: "s1"}
	after := rec{ID: 1, Version: 2, Name: "b", Tags: []string{"x"}, Secret: "s2"}
	got, err := Diff(before, after)
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{{Field: "name", Before: json.RawMessage(`"a"`), After: json.RawMessage(`"b"`)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("update diff (-want +got):\n%s", diff)
	}
	created, _ := Diff(nil, after)
	if len(created) != 2 || created[0].Field != "name" || string(created[0].Before) != "null" || created[1].Field != "tags" {
		t.Errorf("create diff = %+v, want name and tags from null, no id, version or secret", created)
	}
	deleted, _ := Diff(&before, (*rec)(nil))
	if len(deleted) != 2 || string(deleted[0].After) != "null" {
		t.Errorf("delete diff = %+v, want fields to null", deleted)
	}
}

func entry(seq int64, prev string) Entry {
	e := Entry{Seq: seq, At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), ActorID: 7, ActorName: "Ann", Via: "token",
		Entity: "team", EntityID: 9, Action: Update, Diff: `[{"field":"name","before":"a","after":"b"}]`, PrevHash: prev}
	e.Hash = Hash(prev, e)
	return e
}

func TestHashCoversEveryField(t *testing.T) {
	base := entry(1, Genesis)
	mutations := map[string]func(*Entry){
		"seq":      func(e *Entry) { e.Seq = 2 },
		"at":       func(e *Entry) { e.At = e.At.Add(time.Microsecond) },
		"actor id": func(e *Entry) { e.ActorID = 8 },
		"actor":    func(e *Entry) { e.ActorName = "Bob" },
		"via":      func(e *Entry) { e.Via = "session" },
		"entity":   func(e *Entry) { e.Entity = "user" },
		"id":       func(e *Entry) { e.EntityID = 10 },
		"action":   func(e *Entry) { e.Action = Delete },
		"diff":     func(e *Entry) { e.Diff = "[]" },
	}
	for name, mutate := range mutations {
		e := base
		mutate(&e)
		if Hash(Genesis, e) == base.Hash {
			t.Errorf("changing %s leaves the hash unchanged", name)
		}
	}
	if Hash("1"+Genesis[1:], base) == base.Hash {
		t.Error("changing the previous hash leaves the hash unchanged")
	}
	// Length prefixes: moving a character between fields changes the hash.
	a, b := base, base
	a.ActorName, a.Via = "Annt", "oken"
	if Hash(Genesis, a) == Hash(Genesis, b) {
		t.Error("field boundaries are not part of the hash")
	}
}

func TestVerifier(t *testing.T) {
	e1 := entry(1, Genesis)
	e2 := entry(2, e1.Hash)
	e3 := entry(3, e2.Hash)

	v := NewVerifier()
	for _, e := range []Entry{e1, e2, e3} {
		if p := v.Next(e); p != nil {
			t.Fatalf("intact chain: %v", p)
		}
	}
	if p := v.Finish(3, e3.Hash); p != nil {
		t.Errorf("intact chain end: %v", p)
	}

	tampered := e2
	tampered.ActorName = "Mallory"
	v = NewVerifier()
	v.Next(e1)
	if p := v.Next(tampered); p == nil || p.Seq != 2 {
		t.Errorf("altered entry: %v, want entry 2", p)
	}

	v = NewVerifier()
	v.Next(e1)
	if p := v.Next(e3); p == nil || p.Seq != 2 {
		t.Errorf("removed entry: %v, want entry 2 named missing", p)
	}

	v = NewVerifier()
	v.Next(e1)
	v.Next(e2)
	if p := v.Finish(3, e3.Hash); p == nil || p.Seq != 3 {
		t.Errorf("removed last entry: %v, want entry 3", p)
	}
}
