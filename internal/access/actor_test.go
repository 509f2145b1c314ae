package access

import "testing"

// TestActorString: messages name a person with their id, and the command
// line or the system by name alone.
func TestActorString(t *testing.T) {
	if got := CLI.String(); got != "command line" {
		t.Errorf("CLI: %q", got)
	}
	if got := (Actor{UserID: 3, Name: "Ann"}).String(); got != "Ann (#3)" {
		t.Errorf("a user: %q, want Ann (#3)", got)
	}
}
