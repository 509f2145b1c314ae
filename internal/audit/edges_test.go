package audit_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/audit"
)

// TestHashLongFields: an entry of any length hashes, and its hash changes
// with its content; long names and diffs are real (a document's text).
func TestHashLongFields(t *testing.T) {
	long := strings.Repeat("x", 5000)
	base := audit.Entry{Seq: 1, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ActorName: "Ann", Entity: "team", Action: audit.Update, Diff: "[]"}
	for name, e := range map[string]audit.Entry{
		"actor name": func(e audit.Entry) audit.Entry { e.ActorName = long; return e }(base),
		"entity":     func(e audit.Entry) audit.Entry { e.Entity = long; return e }(base),
		"diff": func(e audit.Entry) audit.Entry {
			e.Diff = `[{"field":"text","before":"` + long + `","after":""}]`
			return e
		}(base),
	} {
		h := audit.Hash(audit.Genesis, e)
		if len(h) != 64 || h == audit.Hash(audit.Genesis, base) || h != audit.Hash(audit.Genesis, e) {
			t.Errorf("long %s: hash %q, want a stable SHA-256 of its own", name, h)
		}
	}
}

// TestVerifierFinishSaysWhere: the problems at the end of the chain name
// the entries involved, as an auditor reads them.
func TestVerifierFinishSaysWhere(t *testing.T) {
	e1 := audit.Entry{Seq: 1, ActorName: "Ann", Entity: "team", Action: audit.Create, Diff: "[]", PrevHash: audit.Genesis}
	e1.Hash = audit.Hash(audit.Genesis, e1)
	v := audit.NewVerifier()
	if p := v.Next(e1); p != nil {
		t.Fatal(p)
	}
	p := v.Finish(3, "whatever")
	if p == nil || p.Seq != 2 || p.Reason != "missing: the chain ends at 1 but the head records 3" {
		t.Errorf("head past the chain: %+v", p)
	}
	if p := v.Finish(0, ""); p == nil || p.Seq != 1 || p.Reason != "not recorded in the chain head (added outside Conform)" {
		t.Errorf("entry past the head: %+v", p)
	}
}

// TestReadCheckpointOfAnEmptyTrail: a checkpoint signed before the first
// entry (seq 0) is a checkpoint; a negative seq is not.
func TestReadCheckpointOfAnEmptyTrail(t *testing.T) {
	priv, _, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	empty := audit.Sign(priv, 0, audit.Genesis, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	line, _ := json.Marshal(empty)
	lines, err := audit.ReadCheckpoints(strings.NewReader(string(line) + "\n"))
	if err != nil || len(lines) != 1 || lines[0].Seq != 0 {
		t.Fatalf("checkpoint of an empty trail: %v, %v", lines, err)
	}
	negative := empty
	negative.Seq = -1
	line, _ = json.Marshal(negative)
	if _, err := audit.ReadCheckpoints(strings.NewReader(string(line) + "\n")); err == nil || !strings.Contains(err.Error(), "line 1 is not a checkpoint") {
		t.Errorf("checkpoint at entry -1: %v, want line 1 refused", err)
	}
}
