package web

import (
	"context"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/web/i18n"
)

type localeKey struct{}

// locale is how the pages speak to the reader of r: in the language they
// chose, else the one their browser asks for, else the installation's;
// in the time zone they chose, else the installation's.
func (p *Pages) locale(r *http.Request, a app.Authenticated) *i18n.Locale {
	lang := p.cat.Match(a.Prefs.Language, r.Header.Get("Accept-Language"), p.cfg.Language)
	name := a.Prefs.TimeZone
	if name == "" {
		name = p.cfg.TimeZone
	}
	return p.cat.Locale(lang, loadZone(name))
}

// withLocale keeps the reader's locale in the request for Render.
func withLocale(r *http.Request, loc *i18n.Locale) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), localeKey{}, loc))
}

// localeOf is the locale the request was given, or works it out.
func (p *Pages) localeOf(r *http.Request) *i18n.Locale {
	if loc, ok := r.Context().Value(localeKey{}).(*i18n.Locale); ok {
		return loc
	}
	a, _ := app.AuthFrom(r.Context())
	return p.locale(r, a)
}

var zones sync.Map // name: *time.Location

// loadZone finds a time zone by its IANA name, UTC for "" or an unknown
// name; each is read from the zone database once.
func loadZone(name string) *time.Location {
	if name == "" || name == "UTC" {
		return time.UTC
	}
	if z, ok := zones.Load(name); ok {
		return z.(*time.Location)
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	zones.Store(name, z)
	return z
}

// T translates a message into the reader's language (see package i18n).
func (rq *Request) T(key string, args ...any) string { return rq.L.T(key, args...) }

// isoDay is a day as records keep it, 2006-01-02, standing alone in a
// text.
var isoDay = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// Day writes a day kept as 2006-01-02 in the reader's language, as the
// day template function and ui.Value.Day do; any other text (empty, or
// not a day) stays as it is. For sentences made with a day in them.
func (rq *Request) Day(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return rq.L.In(time.UTC).Date(d)
}

// Days writes every day kept as 2006-01-02 in a text in the reader's
// language: for texts made before they reach the page, such as a frozen
// audit report's "2026-03-01 – 2026-03-02".
func (rq *Request) Days(s string) string {
	return isoDay.ReplaceAllStringFunc(s, rq.Day)
}
