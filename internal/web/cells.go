package web

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/web/i18n"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// Table rows and their cells are the bulk of a long page (an assessment's
// 77 requirements, a list of 100 records): written by html/template, each
// cell's dozen conditions cost reflection, and such a page spent most of
// its time there. cells writes them in Go instead, escaped as
// html/template escapes them, so the "ui-table" and "ui-value" templates
// and these functions give the same HTML (TestCellsMatchTheTemplate).
type cells struct {
	loc *i18n.Locale
	st  *staticParts // the locale's parsed templates, for a cell's buttons
}

// rows writes a table's body rows.
func (c cells) rows(t ui.Table) (template.HTML, error) {
	var b strings.Builder
	labels := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		labels[i] = c.loc.Lookup(col.Label)
	}
	for _, r := range t.Rows {
		b.WriteString("<tr")
		if r.Href != "" {
			b.WriteString(` data-href="`)
			writeURL(&b, r.Href)
			b.WriteByte('"')
		}
		b.WriteByte('>')
		for i, v := range r.Cells {
			if i >= len(t.Columns) {
				break
			}
			col := t.Columns[i]
			b.WriteString(`<td data-label="`)
			writeEscaped(&b, labels[i])
			b.WriteByte('"')
			switch {
			case col.Key:
				b.WriteString(` class="key"`)
			case col.Numeric:
				b.WriteString(` class="text-end"`)
			}
			b.WriteByte('>')
			if err := c.write(&b, v); err != nil {
				return "", err
			}
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String()), nil // #nosec G203: every value written is escaped above
}

// value writes one value, as the "ui-value" template does.
func (c cells) value(v ui.Value) (template.HTML, error) {
	var b strings.Builder
	if err := c.write(&b, v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // #nosec G203: every value written is escaped
}

func (c cells) write(b *strings.Builder, v ui.Value) error {
	tag := func(open, text, close string) {
		b.WriteString(open)
		writeEscaped(b, text)
		b.WriteString(close)
	}
	switch {
	case v.Hidden:
		tag(`<span class="visually-hidden">`, c.loc.Lookup(v.Text), "</span>")
	case v.Href != "":
		b.WriteString(`<a href="`)
		writeURL(b, v.Href)
		tag(`">`, v.Text, "</a>")
	case v.Long:
		tag(`<span class="long-text">`, v.Text, "</span>")
	case v.Code:
		tag("<code>", v.Text, "</code>")
	case !v.Time.IsZero():
		tag(`<time datetime="`, v.Time.UTC().Format(time.RFC3339), `">`)
		tag("", c.loc.Time(v.Time), "</time>")
	case !v.Day.IsZero():
		tag(`<time datetime="`, v.Day.Format(time.DateOnly), `">`)
		tag("", c.loc.In(time.UTC).Date(v.Day), "</time>")
	case v.Text != "":
		writeEscaped(b, v.Text)
	}
	for _, bd := range v.Badges {
		tag(` <span class="badge `, bd.Tone.Class(), `">`)
		tag("", c.loc.Lookup(bd.Text), "</span>")
	}
	for i, l := range v.Links {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`<a href="`)
		writeURL(b, l.Href)
		tag(`">`, l.Text, "</a>")
	}
	if len(v.Actions) > 0 {
		b.WriteString(`<div class="btn-list btn-list-sm">`)
		for _, a := range v.Actions {
			if err := c.st.base.ExecuteTemplate(b, "ui-action", a); err != nil {
				return err
			}
		}
		b.WriteString("</div>")
	}
	if v.Text == "" && v.Time.IsZero() && v.Day.IsZero() && len(v.Badges) == 0 && len(v.Links) == 0 && len(v.Actions) == 0 {
		empty := v.Empty
		if empty == "" {
			empty = "—"
		}
		tag(`<span class="text-secondary">`, c.loc.Lookup(empty), "</span>")
	}
	if v.Note != "" {
		tag(`<div class="small text-secondary">`, c.loc.Lookup(v.Note), "</div>")
	}
	if p := v.Progress; p != nil {
		value, limit := strconv.Itoa(p.Value), strconv.Itoa(p.Max)
		b.WriteString(`<progress class="progress progress-lg mt-2" value="` + value + `" max="` + limit + `" aria-label="`)
		writeEscaped(b, c.loc.Lookup(p.Label))
		b.WriteString(`">` + value + "/" + limit + "</progress>")
	}
	return nil
}

// writeEscaped writes s as html/template writes text and attribute
// values: the characters that could end a value or start markup, and
// "+" (which UTF-7 could read as markup), as entities.
func writeEscaped(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case 0:
			rep = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// writeURL writes an address as html/template writes one in an href: an
// address with a scheme other than http, https or mailto is replaced by
// "#ZgotmplZ" (never a javascript: link); the rest is percent-encoded
// where it must be, then escaped as an attribute value.
func writeURL(b *strings.Builder, u string) {
	if i := strings.IndexByte(u, ':'); i >= 0 && !strings.Contains(u[:i], "/") {
		switch strings.ToLower(u[:i]) {
		case "http", "https", "mailto":
		default:
			b.WriteString("#ZgotmplZ")
			return
		}
	}
	var n strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~%", c) >= 0:
		default:
			const hex = "0123456789abcdef"
			n.WriteByte('%')
			n.WriteByte(hex[c>>4])
			n.WriteByte(hex[c&15])
			continue
		}
		n.WriteByte(c)
	}
	writeEscaped(b, n.String())
}
