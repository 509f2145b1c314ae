// Package i18n is the pages' message catalogue: every string people read
// on a page is looked up here, by its English text, in the language the
// reader chose (or their browser asks for), with plural forms and numbers
// and times formatted for that language and shown in the reader's time
// zone.
//
// The catalogue is JSON files in messages/: <code>.json for each language
// and <part>.<code>.json for a part of it kept apart (an area's or a
// kind's texts), the English text as key, the translation as value, or
// for a message that depends on a count an object of plural forms ("one",
// "other", "=0"). Two files of a language may share a key only if they
// translate it alike. English holds
// every key too (mostly as themselves), so that a test can hold every
// language to the same set of keys.
package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

//go:embed messages/*.json
var files embed.FS

// Default is the language of a reader who asks for none we have.
const Default = "en"

// Catalog is every language's messages.
type Catalog struct {
	builder *catalog.Builder
	tags    []language.Tag
	matcher language.Matcher
	keys    map[string][]string // language code: its keys, sorted
	// plain holds, by language, every message without verbs already
	// translated: most of a page's texts, looked up without formatting.
	plain    map[string]map[string]string
	printers map[string]*message.Printer
}

// Load reads the embedded catalogue.
func Load() (*Catalog, error) { return load(files) }

func load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "messages/*.json")
	if err != nil {
		return nil, err
	}
	c := &Catalog{builder: catalog.NewBuilder(catalog.Fallback(language.English)), keys: map[string][]string{}, printers: map[string]*message.Printer{}}
	// A language's messages are in messages/<code>.json and in any number
	// of messages/<part>.<code>.json beside it (one per area or kind, so
	// that work on different kinds touches different files); a key in
	// more than one of them must be translated alike in each.
	byLang := map[string][]string{}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".json")
		lang := base[strings.LastIndex(base, ".")+1:]
		byLang[lang] = append(byLang[lang], name)
	}
	langs := make([]string, 0, len(byLang))
	for lang := range byLang {
		langs = append(langs, lang)
	}
	// English first: the matcher falls back to the first tag.
	slices.SortFunc(langs, func(a, b string) int {
		if a == Default {
			return -1
		}
		if b == Default {
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, code := range langs {
		tag, err := language.Parse(code)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", byLang[code][0], err)
		}
		from := map[string]string{}
		values := map[string]string{}
		for _, name := range byLang[code] {
			raw, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			var msgs map[string]json.RawMessage
			if err := json.Unmarshal(raw, &msgs); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for key, v := range msgs {
				if other, ok := from[key]; ok {
					// Two parts may share a message if they say the same.
					if values[key] == compact(v) {
						continue
					}
					return nil, fmt.Errorf("%s: message %q is in %s too, translated otherwise", name, key, other)
				}
				from[key], values[key] = name, compact(v)
				if err := c.set(tag, key, v); err != nil {
					return nil, fmt.Errorf("%s: message %q: %w", name, key, err)
				}
				c.keys[code] = append(c.keys[code], key)
			}
		}
		sort.Strings(c.keys[code])
		c.tags = append(c.tags, tag)
	}
	if len(c.tags) == 0 {
		return nil, fmt.Errorf("no message catalogue")
	}
	c.matcher = language.NewMatcher(c.tags)
	c.plain = map[string]map[string]string{}
	for _, tag := range c.tags {
		lang := code(tag)
		p := message.NewPrinter(tag, message.Catalog(c.builder))
		c.printers[lang] = p
		c.plain[lang] = map[string]string{}
		for _, k := range c.keys[Default] {
			if !strings.Contains(k, "%") {
				c.plain[lang][k] = p.Sprintf(k)
			}
		}
	}
	return c, nil
}

// compact is a message's value without the JSON's layout, to compare two.
func compact(v json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}

// set adds one message: a string, or plural forms of a count given as the
// message's first argument.
func (c *Catalog) set(tag language.Tag, key string, v json.RawMessage) error {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return c.builder.SetString(tag, key, s)
	}
	var forms map[string]string
	if err := json.Unmarshal(v, &forms); err != nil {
		return fmt.Errorf("want a string or an object of plural forms")
	}
	if forms["other"] == "" {
		return fmt.Errorf("plural forms need \"other\"")
	}
	var cases []any
	for _, sel := range []string{"=0", "=1", "one", "few", "many", "other"} {
		if f, ok := forms[sel]; ok {
			cases = append(cases, sel, f)
		}
	}
	if len(cases) != 2*len(forms) {
		return fmt.Errorf("plural forms are =0, =1, one, few, many and other")
	}
	return c.builder.Set(tag, key, plural.Selectf(1, "%d", cases...))
}

// Languages are the languages the catalogue has, by code.
func (c *Catalog) Languages() []string {
	out := make([]string, len(c.tags))
	for i, t := range c.tags {
		out[i] = code(t)
	}
	return out
}

// Keys are a language's message keys, sorted.
func (c *Catalog) Keys(lang string) []string { return c.keys[lang] }

// Has reports whether the catalogue has a language.
func (c *Catalog) Has(lang string) bool { return c.printers[lang] != nil }

// Match picks the language for a reader: theirs if they chose one we
// have, else the best match for their browser's Accept-Language, else the
// installation's.
func (c *Catalog) Match(chosen, acceptLanguage, installation string) string {
	if c.Has(chosen) {
		return chosen
	}
	if acceptLanguage != "" {
		if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(tags) > 0 {
			tag, _, conf := c.matcher.Match(tags...)
			if conf != language.No {
				return code(tag)
			}
		}
	}
	if c.Has(installation) {
		return installation
	}
	return Default
}

func code(t language.Tag) string {
	base, _ := t.Base()
	return base.String()
}

// Locale is how pages speak to one reader: language and time zone.
type Locale struct {
	Lang string
	Zone *time.Location
	p    *message.Printer
	cat  *Catalog
}

// Locale returns the locale of a language (one the catalogue has) and a
// time zone (UTC when nil).
func (c *Catalog) Locale(lang string, zone *time.Location) *Locale {
	if !c.Has(lang) {
		lang = Default
	}
	if zone == nil {
		zone = time.UTC
	}
	return &Locale{Lang: lang, Zone: zone, p: c.printers[lang], cat: c}
}

// T translates a message; args fill its verbs (%s, %d) as fmt does, and
// for plural messages the first is the count.
func (l *Locale) T(key string, args ...any) string {
	if len(args) == 0 {
		if s, ok := l.cat.plain[l.Lang][key]; ok {
			return s
		}
	}
	return l.p.Sprintf(key, args...)
}

// Lookup translates a declared text (a kind's label, a column heading)
// that may also be none the catalogue has: that comes back as it is,
// never read for verbs.
func (l *Locale) Lookup(s string) string {
	if t, ok := l.cat.plain[l.Lang][s]; ok {
		return t
	}
	return s
}

// timeLayouts are how each language writes a date and time; the zone's
// abbreviation follows.
var timeLayouts = map[string]struct{ dateTime, date string }{
	"en": {"2006-01-02 15:04", "2006-01-02"},
	"de": {"02.01.2006 15:04", "02.01.2006"},
}

// Time writes a time in the reader's zone and language, labelled with
// the zone ("2026-11-30 14:05 CET").
func (l *Locale) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(l.Zone)
	return t.Format(l.layouts().dateTime) + " " + zoneName(t)
}

// In is the locale in another time zone.
func (l *Locale) In(zone *time.Location) *Locale {
	c := *l
	c.Zone = zone
	return &c
}

// Date writes a day in the reader's language.
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.Zone).Format(l.layouts().date)
}

// Number writes a number with the language's digit grouping.
func (l *Locale) Number(n int) string { return l.p.Sprintf("%d", n) }

func (l *Locale) layouts() struct{ dateTime, date string } {
	if f, ok := timeLayouts[l.Lang]; ok {
		return f
	}
	return timeLayouts[Default]
}

// zoneName is the zone's abbreviation, or its offset where the zone has
// none ("+03").
func zoneName(t time.Time) string {
	name, _ := t.Zone()
	return name
}
