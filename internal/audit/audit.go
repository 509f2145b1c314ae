// Package audit defines the audit trail: an append-only, hash-chained list
// of every create, update and delete of every record. Each entry's hash
// covers its content and the previous entry's hash, so altering or removing
// an entry breaks the chain from that point on.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Action is what happened to a record.
type Action string

const (
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
)

// Change is one field's value before and after. Before is null on create,
// After is null on delete.
type Change struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// Entry is one line of the trail.
type Entry struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	Via       string    `json:"via"`
	Entity    string    `json:"entity"`
	EntityID  int64     `json:"entity_id"`
	Action    Action    `json:"action"`
	Changes   []Change  `json:"changes"`
	// Diff is the stored JSON encoding of Changes; the hash covers these
	// exact bytes.
	Diff     string `json:"-"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Hash computes an entry's hash from its content (with Diff as stored)
// and the previous hash: SHA-256 over the fields, each length-prefixed so
// that no two different entries share an encoding, in the order previous
// hash, sequence number, then HashTail.
func Hash(prev string, e Entry) string {
	h := sha256.New()
	b := make([]byte, 0, 128)
	b = appendField(b, prev)
	b = appendField(b, strconv.FormatInt(e.Seq, 10))
	h.Write(b)
	h.Write(HashTail(e))
	return hex.EncodeToString(h.Sum(nil))
}

// HashTail is the encoding of the fields after the sequence number. It
// lets a database chain an entry itself (PostgreSQL does, in the same
// statement that advances the chain head), knowing only this and the
// previous hash.
func HashTail(e Entry) []byte {
	b := make([]byte, 0, 96+len(e.ActorName)+len(e.Entity)+len(e.Diff))
	b = appendField(b, e.At.UTC().Format(time.RFC3339Nano))
	b = appendField(b, strconv.FormatInt(e.ActorID, 10))
	b = appendField(b, e.ActorName)
	b = appendField(b, e.Via)
	b = appendField(b, e.Entity)
	b = appendField(b, strconv.FormatInt(e.EntityID, 10))
	b = appendField(b, string(e.Action))
	b = appendField(b, e.Diff)
	return b
}

func appendField(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// Redacted replaces the value of a secret field in a change.
var Redacted = json.RawMessage(`"[redacted]"`)

// Diff lists the fields that differ between before and after, which are
// values of the same struct type (or nil for create and delete). Fields are
// named by their json tags; fields tagged json:"-" and bookkeeping fields
// (version, updated_at, updated_by, created_at, created_by) are left out.
func Diff(before, after any) ([]Change, error) {
	b, err := fields(before)
	if err != nil {
		return nil, err
	}
	a, err := fields(after)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(a)+len(b))
	for k := range a {
		names = append(names, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var out []Change
	for _, k := range names {
		bv, av := b[k], a[k]
		if bytes.Equal(bv, av) {
			continue
		}
		out = append(out, Change{Field: k, Before: orNull(bv), After: orNull(av)})
	}
	return out, nil
}

var bookkeeping = map[string]bool{"id": true, "version": true, "updated_at": true, "updated_by": true, "created_at": true, "created_by": true}

func orNull(v json.RawMessage) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	return v
}

// EncodeChanges is the stored form of a change list.
func EncodeChanges(cs []Change) string {
	if len(cs) == 0 {
		return "[]"
	}
	raw, err := json.Marshal(cs)
	if err != nil {
		// Changes hold only RawMessage values that came from json.Marshal.
		panic(fmt.Sprintf("audit: encode changes: %v", err))
	}
	return string(raw)
}

// DecodeChanges parses the stored form.
func DecodeChanges(s string) ([]Change, error) {
	var cs []Change
	if err := json.Unmarshal([]byte(s), &cs); err != nil {
		return nil, fmt.Errorf("audit: decode changes: %w", err)
	}
	return cs, nil
}

// Problem is the first break found in a chain.
type Problem struct {
	Seq    int64  // the first entry that does not verify
	Reason string // why
}

func (p Problem) Error() string { return fmt.Sprintf("audit entry %d: %s", p.Seq, p.Reason) }

// Verifier checks entries one at a time in sequence order.
type Verifier struct {
	prev    string
	nextSeq int64
	count   int64
}

// NewVerifier starts at the beginning of the chain.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis, nextSeq: 1} }

// Next checks the next entry.
func (v *Verifier) Next(e Entry) *Problem {
	switch {
	case e.Seq != v.nextSeq:
		return &Problem{Seq: v.nextSeq, Reason: fmt.Sprintf("missing: the next entry found is %d", e.Seq)}
	case e.PrevHash != v.prev:
		return &Problem{Seq: e.Seq, Reason: "its link to the previous entry does not match (an earlier entry was altered or removed)"}
	case Hash(e.PrevHash, e) != e.Hash:
		return &Problem{Seq: e.Seq, Reason: "its content does not match its hash (the entry was altered)"}
	}
	v.prev = e.Hash
	v.nextSeq++
	v.count++
	return nil
}

// Finish checks the end of the chain against the recorded head (the last
// sequence number and hash), which catches removal of the newest entries.
func (v *Verifier) Finish(headSeq int64, headHash string) *Problem {
	switch {
	case headSeq >= v.nextSeq:
		return &Problem{Seq: v.nextSeq, Reason: fmt.Sprintf("missing: the chain ends at %d but the head records %d", v.nextSeq-1, headSeq)}
	case headSeq < v.nextSeq-1:
		return &Problem{Seq: headSeq + 1, Reason: "not recorded in the chain head (added outside Conform)"}
	case headSeq > 0 && headHash != v.prev:
		return &Problem{Seq: headSeq, Reason: "its hash does not match the chain head"}
	}
	return nil
}

// Count is the number of entries verified so far.
func (v *Verifier) Count() int64 { return v.count }
