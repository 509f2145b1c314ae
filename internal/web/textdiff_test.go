package web

import (
	"strconv"
	"strings"
	"testing"
)

func render(parts []DiffPart) string {
	var b strings.Builder
	for _, p := range parts {
		switch p.Op {
		case "ins":
			b.WriteString("{+" + p.Text + "+}")
		case "del":
			b.WriteString("[-" + p.Text + "-]")
		case "gap":
			b.WriteString("…")
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func TestWordDiff(t *testing.T) {
	for _, c := range []struct{ before, after, want string }{
		{"the quick brown fox", "the quick red fox", "the quick [-brown -]{+red +}fox"},
		{"one two three", "one two three four", "one two three {+four+}"},
		{"alpha beta gamma", "beta gamma", "[-alpha -]beta gamma"},
		{"a b c", "a b c", "a b c"},
		{"", "new text", "{+new text+}"},
	} {
		parts, ok := wordDiff(c.before, c.after)
		if got := render(parts); !ok || got != c.want {
			t.Errorf("wordDiff(%q, %q) = %q (ok %v), want %q", c.before, c.after, got, ok, c.want)
		}
	}
}

func TestWordDiffShortensUnchangedStretches(t *testing.T) {
	var long []string
	for i := range 60 {
		long = append(long, "w"+strconv.Itoa(i))
	}
	before := strings.Join(long, " ")
	after := strings.Replace(before, long[30]+" "+long[31], long[30]+" inserted "+long[31], 1)
	parts, ok := wordDiff(before, after)
	got := render(parts)
	if !ok || !strings.Contains(got, "{+inserted +}") || strings.Count(got, "…") != 2 || len(got) > len(after) {
		t.Errorf("a one-word change in a long text: %q (ok %v), want the change with a few words either side and the rest shortened", got, ok)
	}
	// Joined without the marks, the parts give the new text when nothing is shortened.
	parts, _ = wordDiff("keep this line\nand change that one", "keep this line\nand alter that one")
	var joined strings.Builder
	for _, p := range parts {
		if p.Op != "del" {
			joined.WriteString(p.Text)
		}
	}
	if joined.String() != "keep this line\nand alter that one" {
		t.Errorf("unchanged and added parts give %q, want the new text with its line break", joined.String())
	}
}

func TestWordDiffGivesUpOnHugeRewrites(t *testing.T) {
	a := strings.Repeat("a ", 1500)
	b := strings.Repeat("b ", 1500)
	if _, ok := wordDiff(a, b); ok {
		t.Error("a 1500 × 1500 word rewrite was compared; want it left to the two versions")
	}
}
