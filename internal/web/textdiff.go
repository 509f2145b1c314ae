package web

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DiffPart is one run of a word-level comparison of two texts.
type DiffPart struct {
	Text string
	Op   string // "" unchanged, "ins" added, "del" removed, "gap" unchanged words left out
}

// diffContext is how many unchanged words are kept beside a change; a
// longer unchanged run is shortened to that many on each side of a gap.
const diffContext = 8

// maxDiffCells bounds the comparison's table (words before × words after,
// once the common beginning and end are set aside); beyond it wordDiff
// gives up and the history shows the two versions instead.
const maxDiffCells = 1 << 20

// wordDiff compares two texts word by word and returns the text once with
// what was removed and what was added marked, long unchanged stretches
// shortened. ok is false when the texts are too large and too different to
// compare here.
func wordDiff(before, after string) (parts []DiffPart, ok bool) {
	a, b := words(before), words(after)
	// The common beginning and end need no table.
	pre := 0
	for pre < len(a) && pre < len(b) && same(a[pre], b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && same(a[len(a)-1-suf], b[len(b)-1-suf]) {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)*len(mb) > maxDiffCells {
		return nil, false
	}
	var out []DiffPart
	add := func(op, text string) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			return
		}
		out = append(out, DiffPart{Text: text, Op: op})
	}
	for _, w := range b[:pre] {
		add("", w)
	}
	// Longest common subsequence of the middle, by a table of suffixes.
	n, m := len(ma), len(mb)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if same(ma[i], mb[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && same(ma[i], mb[j]):
			add("", mb[j])
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			add("del", ma[i]) // what went comes before what replaced it
			i++
		default:
			add("ins", mb[j])
			j++
		}
	}
	for _, w := range b[len(b)-suf:] {
		add("", w)
	}
	return shorten(out), true
}

// words splits a text into words, each with the white space after it (the
// first with any before it too), so that joining them gives the text.
func words(s string) []string {
	var out []string
	start, i := 0, 0
	skip := func(space bool) {
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) != space {
				return
			}
			i += size
		}
	}
	skip(true)
	for i < len(s) {
		skip(false)
		skip(true)
		out = append(out, s[start:i])
		start = i
	}
	if start < len(s) {
		out = append(out, s[start:]) // white space alone
	}
	return out
}

func same(x, y string) bool { return strings.TrimSpace(x) == strings.TrimSpace(y) }

// shorten keeps diffContext unchanged words beside each change and puts a
// gap for the rest.
func shorten(parts []DiffPart) []DiffPart {
	var out []DiffPart
	for k, p := range parts {
		if p.Op != "" {
			out = append(out, p)
			continue
		}
		ws := words(p.Text)
		keepHead := diffContext // after a change
		keepTail := diffContext // before a change
		if k == 0 {
			keepHead = 0
		}
		if k == len(parts)-1 {
			keepTail = 0
		}
		if len(ws) <= keepHead+keepTail+diffContext || len(parts) == 1 {
			out = append(out, p)
			continue
		}
		if keepHead > 0 {
			out = append(out, DiffPart{Text: strings.Join(ws[:keepHead], "")})
		}
		out = append(out, DiffPart{Text: "…", Op: "gap"})
		if keepTail > 0 {
			out = append(out, DiffPart{Text: " " + strings.TrimLeft(strings.Join(ws[len(ws)-keepTail:], ""), " \t\n")})
		}
	}
	return out
}
