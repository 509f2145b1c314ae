package audit_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/audit"
)

func TestCheckpointMessageAndKeys(t *testing.T) {
	priv, pemKey, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if k, err := audit.ParsePrivateKey(string(pemKey)); err != nil || !k.Equal(priv) {
		t.Fatalf("PEM key does not read back: %v", err)
	}
	if k, err := audit.ParsePrivateKey(base64.StdEncoding.EncodeToString(priv.Seed())); err != nil || !k.Equal(priv) {
		t.Fatalf("seed does not read back: %v", err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	for _, text := range []string{audit.PublicKeyText(pub), audit.PublicKeyPEM(pub), strings.TrimPrefix(audit.PublicKeyText(pub), "ed25519:")} {
		if k, err := audit.ParsePublicKey(text); err != nil || !k.Equal(pub) {
			t.Errorf("public key %q does not read back: %v", text, err)
		}
	}
	for _, bad := range []string{"", "nope", base64.StdEncoding.EncodeToString([]byte("short")), audit.PublicKeyPEM(pub)} {
		if _, err := audit.ParsePrivateKey(bad); err == nil {
			t.Errorf("ParsePrivateKey(%q) took it", bad)
		}
	}

	at := time.Date(2026, 3, 2, 9, 0, 0, 123000, time.UTC)
	cp := audit.Sign(priv, 42, "ab12", at)
	// The signed text is documented in docs/operations.md; it must not change.
	want := "conform audit checkpoint\nseq 42\nhash ab12\nat 2026-03-02T09:00:00.000123Z\n"
	if string(cp.Message()) != want {
		t.Errorf("message %q, want %q", cp.Message(), want)
	}
	if err := cp.Verify(pub); err != nil {
		t.Errorf("own checkpoint: %v", err)
	}
	line, _ := json.Marshal(cp)
	lines, err := audit.ReadCheckpoints(strings.NewReader("\n" + string(line) + "\n\n" + string(line) + "\n"))
	if err != nil || len(lines) != 2 || lines[0].Number != 2 || lines[1].Number != 4 {
		t.Fatalf("read %v, %v; want lines 2 and 4", lines, err)
	}
	if err := lines[1].Verify(pub); err != nil {
		t.Errorf("checkpoint read back: %v", err)
	}
	for _, bad := range []string{"{}", "not json", `{"seq":1,"hash":"x","at":"2026-01-01T00:00:00Z","key":"k","sig":"s","extra":1}`} {
		if _, err := audit.ReadCheckpoints(strings.NewReader(string(line) + "\n" + bad + "\n")); err == nil || !strings.Contains(err.Error(), "line 2 is not a checkpoint") {
			t.Errorf("log with %q: %v, want line 2 named", bad, err)
		}
	}
}
