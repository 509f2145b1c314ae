package audit

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// A Checkpoint is the chain head (the newest entry's sequence number and
// hash) at a time, signed with an Ed25519 key kept outside the database.
// Copies kept outside the database let anyone holding the public key show
// later that the trail was not rewritten, cut short or rolled back to an
// older backup: the entry a checkpoint names must still be there with the
// same hash.
type Checkpoint struct {
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`
	Key       string    `json:"key"` // the public key that signed it, ed25519:<base64>
	Signature string    `json:"sig"` // base64 Ed25519 signature of Message()
}

// KeyPrefix starts the text form of a public key.
const KeyPrefix = "ed25519:"

// Message is the text a checkpoint's signature covers. It is documented
// (docs/operations.md) so that a checkpoint can be checked with other
// tools than Conform.
func (c Checkpoint) Message() []byte {
	return []byte("conform audit checkpoint\nseq " + strconv.FormatInt(c.Seq, 10) + "\nhash " + c.Hash + "\nat " + c.At.UTC().Format(time.RFC3339Nano) + "\n")
}

// Sign makes the checkpoint of the head seq, hash at a time.
func Sign(key ed25519.PrivateKey, seq int64, hash string, at time.Time) Checkpoint {
	c := Checkpoint{Seq: seq, Hash: hash, At: at.UTC(), Key: PublicKeyText(key.Public().(ed25519.PublicKey))}
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.Message()))
	return c
}

// Verify checks the checkpoint's signature against a trusted public key,
// not against the key it names (anyone can name their own key).
func (c Checkpoint) Verify(trusted ed25519.PublicKey) error {
	if c.Key != PublicKeyText(trusted) {
		return fmt.Errorf("it was signed with key %s, not with the trusted key %s", c.Key, PublicKeyText(trusted))
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(trusted, c.Message(), sig) {
		return errors.New("its signature does not match its content (the checkpoint was altered or forged)")
	}
	return nil
}

// PublicKeyText is the text form of a public key: ed25519:<base64>.
func PublicKeyText(pub ed25519.PublicKey) string {
	return KeyPrefix + base64.StdEncoding.EncodeToString(pub)
}

// GenerateKey makes a new signing key and its PEM (PKCS #8) encoding, the
// form of the key file.
func GenerateKey() (ed25519.PrivateKey, []byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	return priv, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParsePrivateKey reads a signing key: a PEM "PRIVATE KEY" block (PKCS #8,
// as Conform writes and openssl genpkey -algorithm ed25519 makes), or the
// base64 of the 32-byte seed (handy in an environment variable).
func ParsePrivateKey(text string) (ed25519.PrivateKey, error) {
	text = strings.TrimSpace(text)
	if block, _ := pem.Decode([]byte(text)); block != nil {
		if block.Type != "PRIVATE KEY" {
			return nil, fmt.Errorf("holds a PEM %q block, not a PRIVATE KEY", block.Type)
		}
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("is not a PKCS #8 private key: %v", err)
		}
		priv, ok := k.(ed25519.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("holds a %T, not an Ed25519 key", k)
		}
		return priv, nil
	}
	seed, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("is neither a PEM private key nor the base64 of a 32-byte Ed25519 seed")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// ParsePublicKey reads a public key in its text form (ed25519:<base64>),
// as bare base64, or as a PEM "PUBLIC KEY" block.
func ParsePublicKey(text string) (ed25519.PublicKey, error) {
	text = strings.TrimSpace(text)
	if block, _ := pem.Decode([]byte(text)); block != nil {
		if block.Type != "PUBLIC KEY" {
			return nil, fmt.Errorf("holds a PEM %q block, not a PUBLIC KEY", block.Type)
		}
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("is not a public key: %v", err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("holds a %T, not an Ed25519 key", k)
		}
		return pub, nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(text, KeyPrefix))
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("is not an Ed25519 public key (ed25519:<base64 of 32 bytes>, or PEM)")
	}
	return ed25519.PublicKey(raw), nil
}

// PublicKeyPEM is a public key as a PEM "PUBLIC KEY" block, for openssl.
func PublicKeyPEM(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		// An Ed25519 public key always marshals.
		panic(fmt.Sprintf("audit: marshal public key: %v", err))
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// Line is one checkpoint of a log, with the line it was read from.
type Line struct {
	Number int
	Checkpoint
}

// ReadCheckpoints reads a checkpoint log: one JSON object a line, blank
// lines skipped. A line that is not a checkpoint is an error naming it.
func ReadCheckpoints(r io.Reader) ([]Line, error) {
	var out []Line
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var c Checkpoint
		d := json.NewDecoder(strings.NewReader(text))
		d.DisallowUnknownFields()
		if err := d.Decode(&c); err != nil {
			return nil, fmt.Errorf("line %d is not a checkpoint: %v", n, err)
		}
		if c.Seq < 0 || c.Hash == "" || c.At.IsZero() || c.Key == "" || c.Signature == "" {
			return nil, fmt.Errorf("line %d is not a checkpoint: seq, hash, at, key and sig are all required", n)
		}
		out = append(out, Line{Number: n, Checkpoint: c})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read checkpoints after line %d: %w", n, err)
	}
	return out, nil
}

// CheckpointProblem says which checkpoint failed and why.
type CheckpointProblem struct {
	Line   int // in the log, 0 when the checkpoint did not come from one
	Seq    int64
	At     time.Time
	Reason string
}

func (p CheckpointProblem) Error() string {
	where := "checkpoint"
	if p.Line > 0 {
		where = fmt.Sprintf("checkpoint on line %d", p.Line)
	}
	return fmt.Sprintf("%s (entry %d, signed %s): %s", where, p.Seq, p.At.UTC().Format(time.RFC3339), p.Reason)
}

// CheckCheckpoint holds one checkpoint to the trusted key and to the trail
// as it is now: hashes holds the hash of each entry a checkpoint names
// that the trail still has, head is the trail's newest entry. Any problem
// is returned; nil means the trail still holds the entry the checkpoint
// signed, unchanged.
func CheckCheckpoint(l Line, trusted ed25519.PublicKey, hashes map[int64]string, head int64) *CheckpointProblem {
	fail := func(reason string) *CheckpointProblem {
		return &CheckpointProblem{Line: l.Number, Seq: l.Seq, At: l.At, Reason: reason}
	}
	if err := l.Verify(trusted); err != nil {
		return fail(err.Error())
	}
	if l.Seq == 0 {
		return nil // signed an empty trail: nothing to find
	}
	got, ok := hashes[l.Seq]
	switch {
	case !ok:
		return fail(fmt.Sprintf("the trail ends at entry %d and no longer holds entry %d: entries were removed from its end, or an older backup was restored", head, l.Seq))
	case got != l.Hash:
		return fail(fmt.Sprintf("entry %d now has hash %s, not the signed %s: the trail was rewritten at or before entry %d (or an older backup was restored and written to since)", l.Seq, got, l.Hash, l.Seq))
	}
	return nil
}
