package audit

import "testing"

// TestVerifierCatchesRehashedNewestEntry: the newest entry altered and
// given a hash that fits its new content still links to the entry before
// it, so only the chain head, which recorded the old hash, can tell.
func TestVerifierCatchesRehashedNewestEntry(t *testing.T) {
	e1 := entry(1, Genesis)
	e2 := entry(2, e1.Hash)
	forged := e2
	forged.ActorName = "Mallory"
	forged.Hash = Hash(forged.PrevHash, forged)

	v := NewVerifier()
	for _, e := range []Entry{e1, forged} {
		if p := v.Next(e); p != nil {
			t.Fatalf("entry %d on its own: %v; the test needs a forgery the links cannot see", e.Seq, p)
		}
	}
	p := v.Finish(2, e2.Hash)
	if p == nil || p.Seq != 2 {
		t.Fatalf("re-hashed newest entry against the head: %v, want entry 2 named", p)
	}
	if p.Reason != "its hash does not match the chain head" {
		t.Errorf("reason %q", p.Reason)
	}
	if v.Count() != 2 {
		t.Errorf("count %d, want 2", v.Count())
	}
}

// TestVerifierFinishOnEmptyAndExtraEntries: an empty chain with an empty
// head holds; a head that names fewer entries than the chain has names
// the first one it does not know.
func TestVerifierFinishOnEmptyAndExtraEntries(t *testing.T) {
	if p := NewVerifier().Finish(0, ""); p != nil {
		t.Errorf("empty chain: %v", p)
	}
	if p := NewVerifier().Finish(0, "something"); p != nil {
		t.Errorf("empty chain, head hash ignored at 0: %v", p)
	}
	e1 := entry(1, Genesis)
	e2 := entry(2, e1.Hash)
	v := NewVerifier()
	v.Next(e1)
	v.Next(e2)
	if p := v.Finish(1, e1.Hash); p == nil || p.Seq != 2 {
		t.Errorf("entry added outside the head: %v, want entry 2", p)
	}
	v = NewVerifier()
	v.Next(e1)
	if p := v.Finish(2, e1.Hash); p == nil || p.Seq != 2 {
		t.Errorf("head past the chain: %v, want entry 2 missing", p)
	}
	if p := v.Finish(1, e1.Hash); p != nil {
		t.Errorf("head at the end: %v", p)
	}
}
