// Package markdown turns the Markdown people write into controlled
// documents into HTML that is safe to show: raw HTML is never passed
// through (goldmark leaves it out unless told otherwise, and we never
// tell it), and a link or image whose address runs script or reads local
// files is refused when the text is saved and dropped if one is met when
// it is shown.
package markdown

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// md is stateless once built: goldmark's parser and renderer are safe for
// concurrent use.
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList))

// unsafeSchemes are the address schemes a document may not link to.
var unsafeSchemes = []string{"javascript:", "vbscript:", "data:", "file:"}

// UnsafeLinks lists the addresses of src's links and images that would run
// script or reach outside the web (javascript:, vbscript:, data:, file:),
// in the order they appear.
func UnsafeLinks(src string) []string {
	doc := md.Parser().Parse(text.NewReader([]byte(src)))
	var bad []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch l := n.(type) {
		case *ast.Link:
			dest = l.Destination
		case *ast.Image:
			dest = l.Destination
		case *ast.AutoLink:
			dest = l.URL([]byte(src))
		default:
			return ast.WalkContinue, nil
		}
		if Unsafe(string(dest)) {
			bad = append(bad, string(dest))
		}
		return ast.WalkContinue, nil
	})
	return bad
}

// Unsafe reports whether an address uses a scheme a document may not link
// to. Browsers ignore case, leading blanks and control characters and tabs
// or newlines inside the scheme, so the check does too.
func Unsafe(dest string) bool {
	var b strings.Builder
	for _, r := range strings.ToLower(dest) {
		if r > ' ' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	for _, p := range unsafeSchemes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// HTML renders src. Raw HTML in it comes out as a comment saying it was
// left out; links with unsafe addresses lose them. Headings go one level
// down (# becomes h2), as the page around the text has its own h1.
func HTML(src string) (template.HTML, error) {
	doc := md.Parser().Parse(text.NewReader([]byte(src)))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Heading:
			l.Level = min(l.Level+1, 6)
		case *ast.Link:
			if Unsafe(string(l.Destination)) {
				l.Destination = nil
			}
		case *ast.Image:
			if Unsafe(string(l.Destination)) {
				l.Destination = nil
			}
		}
		return ast.WalkContinue, nil
	})
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, []byte(src), doc); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	// The renderer escapes text and attributes, and without html.WithUnsafe
	// writes no raw HTML, so its output may be trusted as HTML.
	return template.HTML(buf.String()), nil //nolint:gosec // see above
}
