package audit_test

import (
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/audit"
)

// TestDiffOfCreateAndDelete: a created record's fields are before null,
// a deleted one's after null, each its own value on the other side.
func TestDiffOfCreateAndDelete(t *testing.T) {
	type rec struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	created, err := audit.Diff(nil, rec{Name: "a", N: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.Change{{Field: "n", Before: json.RawMessage("null"), After: json.RawMessage("2")}, {Field: "name", Before: json.RawMessage("null"), After: json.RawMessage(`"a"`)}}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("create (-want +got):\n%s", diff)
	}
	deleted, err := audit.Diff(&rec{Name: "a", N: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want = []audit.Change{{Field: "n", Before: json.RawMessage("2"), After: json.RawMessage("null")}, {Field: "name", Before: json.RawMessage(`"a"`), After: json.RawMessage("null")}}
	if diff := cmp.Diff(want, deleted); diff != "" {
		t.Errorf("delete (-want +got):\n%s", diff)
	}
	// A map diffs by its keys, as a record does by its fields.
	m, err := audit.Diff(map[string]int{"a": 1, "b": 2}, map[string]int{"a": 1, "b": 3})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]audit.Change{{Field: "b", Before: json.RawMessage("2"), After: json.RawMessage("3")}}, m); diff != "" {
		t.Errorf("map (-want +got):\n%s", diff)
	}
}

// TestChangesStoredForm: a change list is stored as JSON, an empty one as
// [], and reads back as it was; a stored form that is not a list is an
// error.
func TestChangesStoredForm(t *testing.T) {
	if got := audit.EncodeChanges(nil); got != "[]" {
		t.Errorf("no changes: %q, want []", got)
	}
	cs := []audit.Change{{Field: "name", Before: json.RawMessage(`"a"`), After: json.RawMessage(`"b"`)}}
	stored := audit.EncodeChanges(cs)
	if stored != `[{"field":"name","before":"a","after":"b"}]` {
		t.Errorf("stored %s", stored)
	}
	back, err := audit.DecodeChanges(stored)
	if err != nil || !cmp.Equal(back, cs) {
		t.Errorf("read back %v, %v", back, err)
	}
	if _, err := audit.DecodeChanges(`{"not":"a list"}`); err == nil {
		t.Error("an object read as a change list")
	}
}

// TestCheckCheckpoint: a checkpoint holds while the trail has the entry it
// signed with the same hash; a bad signature, a missing entry and a
// changed hash are each named; an empty trail's checkpoint always holds.
func TestCheckCheckpoint(t *testing.T) {
	priv, _, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	other, _, _ := audit.GenerateKey()
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	line := audit.Line{Number: 3, Checkpoint: audit.Sign(priv, 7, "h7", at)}
	hashes := map[int64]string{7: "h7"}
	if p := audit.CheckCheckpoint(line, pub, hashes, 9); p != nil {
		t.Errorf("intact: %v", p)
	}
	for name, c := range map[string]struct {
		line   audit.Line
		hashes map[int64]string
		words  string
	}{
		"another key":   {audit.Line{Number: 3, Checkpoint: audit.Sign(other, 7, "h7", at)}, hashes, "not with the trusted key"},
		"entry removed": {line, map[int64]string{}, "the trail ends at entry 9 and no longer holds entry 7"},
		"entry changed": {line, map[int64]string{7: "other"}, "entry 7 now has hash other, not the signed h7"},
	} {
		p := audit.CheckCheckpoint(c.line, pub, c.hashes, 9)
		if p == nil || !strings.Contains(p.Error(), c.words) || p.Line != 3 || p.Seq != 7 {
			t.Errorf("%s: %v, want line 3, entry 7, saying %q", name, p, c.words)
			continue
		}
		if want := "checkpoint on line 3 (entry 7, signed 2026-05-01T12:00:00Z): "; !strings.HasPrefix(p.Error(), want) {
			t.Errorf("%s: %q, want it to begin %q", name, p.Error(), want)
		}
	}
	empty := audit.Line{Checkpoint: audit.Sign(priv, 0, audit.Genesis, at)}
	if p := audit.CheckCheckpoint(empty, pub, nil, 0); p != nil {
		t.Errorf("empty trail: %v", p)
	}
	forged := empty
	forged.Signature = line.Signature
	p := audit.CheckCheckpoint(forged, pub, nil, 0)
	if p == nil || p.Error() != "checkpoint (entry 0, signed 2026-05-01T12:00:00Z): "+p.Reason {
		t.Errorf("a checkpoint not from a log, badly signed: %v", p)
	}
}
