package markdown_test

import (
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/markdown"
)

// TestHTMLIsSafe: script, raw HTML and links that run script never reach
// the page, whatever the spelling; ordinary Markdown renders.
func TestHTMLIsSafe(t *testing.T) {
	for _, tc := range []struct {
		name, src  string
		want, deny []string
	}{
		{"heading and list", "# Policy\n\n- one\n- **two**", []string{"<h2", "<li>one</li>", "<strong>two</strong>"}, []string{"<h1"}},
		{"script tag", "Hello <script>alert(1)</script>", []string{"Hello"}, []string{"<script", "alert(1)</script>"}},
		{"raw html block", "<div onclick=\"x()\">hi</div>\n\ntext", []string{"text"}, []string{"<div", "onclick"}},
		{"inline img onerror", "a <img src=x onerror=alert(1)> b", nil, []string{"<img", "onerror"}},
		{"javascript link", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript:"}},
		{"javascript link, mixed case and blanks", "[x](JaVaScRiPt:alert(1))", nil, []string{"alert(1)\""}},
		{"javascript autolink", "<javascript:alert(1)>", nil, []string{"href=\"javascript"}},
		{"data image link", "![x](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:text/html"}},
		{"safe link", "[site](https://example.com/a?b=1)", []string{`href="https://example.com/a?b=1"`}, nil},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := markdown.HTML(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			out := string(h)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("got %q, want it to contain %q", out, w)
				}
			}
			for _, d := range tc.deny {
				if strings.Contains(strings.ToLower(out), strings.ToLower(d)) {
					t.Errorf("got %q, which contains %q", out, d)
				}
			}
		})
	}
}

// TestUnsafeLinks: the check behind refusing a text names each address
// that would run script, and nothing else.
func TestUnsafeLinks(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"[a](https://x.example) and [b](/documents/1) and [c](#top)", 0},
		{"[a](javascript:alert(1))", 1},
		{"[a]( JAVASCRIPT:alert(1))", 1},
		{"[a](<java\tscript:alert(1)>)", 1},
		{"<vbscript:msgbox>", 1},
		{"![i](data:image/svg+xml;base64,AAAA) [f](file:///etc/passwd)", 2},
		{"the word javascript: in prose is fine", 0},
		{"`[a](javascript:x)` in code is fine", 0},
	} {
		if got := markdown.UnsafeLinks(tc.src); len(got) != tc.want {
			t.Errorf("UnsafeLinks(%q) = %q, want %d", tc.src, got, tc.want)
		}
	}
}
