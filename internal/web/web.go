// Package web serves Conform's HTML pages: server-rendered templates with
// htmx for partial updates, browser sessions and CSRF tokens. Every page
// declares the permission it needs, like every API operation.
package web

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/web/i18n"
	"github.com/conform-itsm/conform/internal/web/ui"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// SessionCookie names the browser session cookie; SecureSessionCookie is
// its name when it is sent over TLS only, with the __Host- prefix that
// keeps subdomains and plain HTTP from setting it.
const (
	SessionCookie       = "conform_session"
	SecureSessionCookie = "__Host-conform_session"
)

// SessionFrom returns the session cookie's value, "" if there is none.
func SessionFrom(r *http.Request) string {
	for _, name := range []string{SecureSessionCookie, SessionCookie} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

// maxForm caps the size of a submitted form.
const maxForm = 1 << 20

// Config tunes the pages.
type Config struct {
	SecureCookies bool
	Version       string
	// Language and TimeZone are the installation's: for readers who chose
	// none and whose browser asks for no language the pages have.
	Language string
	TimeZone string
}

// Pages is the registered web UI.
type Pages struct {
	app      *app.App
	log      *slog.Logger
	cfg      Config
	cat      *i18n.Catalog
	areas    []Area
	sets     sync.Map // locale key: templateSet
	setCount atomic.Int64
	routes   []guard.Route
	nav      []navEntry
	// detailPages holds the patterns of GET /<kind>/{id} pages, worked out
	// once the routes are registered: which records links may lead to.
	detailPages map[string]bool
}

// Mount parses the templates, the platform's and each area's, checks them
// against their declarations (failing fast on an error) and registers
// every page on mux.
func Mount(mux guard.Registrar, a *app.App, log *slog.Logger, cfg Config, areas ...Area) (*Pages, error) {
	p := &Pages{app: a, log: log, cfg: cfg, nav: navigation(a.Kinds(), areas)}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	p.cat, p.areas = cat, areas
	// Parse the templates at start, in the installation's language: a
	// template error, or a page not matching its declaration, stops the
	// start. Other languages and time zones are parsed when first asked
	// for (the templates are the same, only their words differ), so an
	// installation keeps in memory only the sets its readers use.
	if _, err := p.templates(cat.Locale(cat.Match("", "", cfg.Language), loadZone(cfg.TimeZone))); err != nil {
		return nil, err
	}
	as, err := staticAssets()
	if err != nil {
		return nil, err
	}
	p.routes = append(p.routes, guard.Route{Method: http.MethodGet, Pattern: "/static/", Perm: access.Public, Surface: "page"})
	mux.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		as.serve(w, r, func() { p.Unrouted(w, r, http.StatusNotFound, "There is nothing at this address.") })
	})
	p.register(mux)
	for _, area := range areas {
		area.Routes(p, mux)
	}
	p.detailPages = map[string]bool{}
	for _, r := range p.routes {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Pattern, "/{id}") {
			p.detailPages[r.Pattern] = true
		}
	}
	return p, nil
}

// App is the use cases the pages call.
func (p *Pages) App() *app.App { return p.app }

// Routes lists every page with its permission.
func (p *Pages) Routes() []guard.Route { return slices.Clone(p.routes) }

// funcs are the template functions every language shares; funcsFor adds
// those that speak the reader's language.
var funcs = template.FuncMap{
	// asset is a static file's address under its content-hashed name.
	"asset": func(name string) (string, error) {
		as, err := staticAssets()
		if err != nil {
			return "", err
		}
		return as.URL(name), nil
	},
	"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"initials": initials,
	"slug":     slug,
	"choices": func(opts []ui.Option, q string, more bool) ui.Choices {
		return ui.Choices{Options: opts, Query: q, More: more}
	},
	"actionBadge": func(action string) ui.Badge {
		tone := ui.Neutral
		switch action {
		case "Created":
			tone = ui.Success
		case "Changed":
			tone = ui.Info
		case "Deleted", "Revoked":
			tone = ui.Danger
		}
		return ui.Badge{Text: action, Tone: tone}
	},
	"prev":      func(n int64) int64 { return n - 1 },
	"value":     auditValue,
	"contains":  func(list []int64, v int64) bool { return slices.Contains(list, v) },
	"roleLabel": func(r access.Role) string { return r.Label() },
	"list":      func(s ...string) []string { return s },
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict needs key and value pairs")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m, nil
	},
	"query": func(kv ...any) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			s := fmt.Sprint(kv[i+1])
			if s != "" && s != "0" {
				v.Set(fmt.Sprint(kv[i]), s)
			}
		}
		if len(v) == 0 {
			return ""
		}
		return "?" + v.Encode()
	},
}

// slug makes an element id from a title: "Team members" gives
// "team-members".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// initials are the first letters of a name's first and last words, for
// the user's avatar.
func initials(name string) string {
	words := strings.Fields(name)
	out := ""
	for i, w := range words {
		if i == 0 || i == len(words)-1 {
			r, _ := utf8.DecodeRuneInString(w)
			out += strings.ToUpper(string(r))
		}
	}
	return out
}

// auditValue shows a recorded field value (JSON) for people: text without
// its quotes, a dash for no value, anything else as recorded.
func auditValue(raw json.RawMessage) string {
	var s string
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "—"
	case json.Unmarshal(raw, &s) == nil:
		if s == "" {
			return "(empty)"
		}
		return s
	}
	return string(raw)
}

// funcsFor is the template functions for a locale: t translates, time
// and date write times in the reader's language and zone, num writes a
// number.
func funcsFor(loc *i18n.Locale) template.FuncMap {
	fm, _ := funcsWithStatic(loc)
	return fm
}

// funcsWithStatic is funcsFor, with the parts its "static" function
// renders once the shared templates are parsed.
func funcsWithStatic(loc *i18n.Locale) (template.FuncMap, *staticParts) {
	fm := maps.Clone(funcs)
	st := &staticParts{}
	fm["static"] = st.render
	fm["t"] = loc.T
	fm["tr"] = loc.Lookup
	fm["time"] = loc.Time
	fm["timep"] = func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return loc.Time(*t)
	}
	fm["date"] = loc.Date
	// day writes a calendar day as it is, in no time zone.
	fm["day"] = func(t time.Time) string { return loc.In(time.UTC).Date(t) }
	fm["num"] = loc.Number
	c := cells{loc: loc, st: st}
	fm["rows"], fm["cell"] = c.rows, c.value
	fm["zone"] = func() string { return loc.Zone.String() }
	return fm, st
}

// staticParts renders once, for a locale, the shared templates that hold
// nothing of the page or the reader but their language (the dialogs of
// the layout), and keeps the result.
type staticParts struct {
	base *template.Template
	m    sync.Map // name: template.HTML
}

func (st *staticParts) render(name string) (template.HTML, error) {
	if h, ok := st.m.Load(name); ok {
		return h.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := st.base.ExecuteTemplate(&buf, name, nil); err != nil {
		return "", err
	}
	h := template.HTML(buf.String()) // #nosec: the output of our own template, escaped by it
	st.m.Store(name, h)
	return h, nil
}

// parseBase parses the layout and the shared partials (templates/_*.html).
func parseBase(fm template.FuncMap) (*template.Template, error) {
	base, err := template.New("base").Funcs(fm).ParseFS(templateFiles, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout templates: %w", err)
	}
	return base, nil
}

// templateSet is every page's template, for one locale.
type templateSet map[string]*template.Template

// maxTemplateSets caps the locales (language and time zone) whose parsed
// templates are kept; others are parsed for each page.
const maxTemplateSets = 64

// parse parses the platform's and the areas' templates for a locale,
// checking them against their declarations.
func (p *Pages) parse(loc *i18n.Locale) (templateSet, error) {
	fm, st := funcsWithStatic(loc)
	base, err := parseBase(fm)
	if err != nil {
		return nil, err
	}
	platform, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	set := templateSet{}
	if err := parsePages(base, fm, platform, platformPages, "", set); err != nil {
		return nil, err
	}
	// Only now: a template cannot be cloned for a page once executed.
	defer func() { st.base = base }()
	for _, a := range p.areas {
		if err := parsePages(base, fm, a.Templates, a.Pages, a.Name+"/", set); err != nil {
			return nil, fmt.Errorf("area %s: %w", a.Name, err)
		}
	}
	return set, nil
}

// templates are the parsed templates for a locale, parsed once and kept.
func (p *Pages) templates(loc *i18n.Locale) (templateSet, error) {
	key := loc.Lang + "|" + loc.Zone.String()
	if s, ok := p.sets.Load(key); ok {
		return s.(templateSet), nil
	}
	s, err := p.parse(loc)
	if err != nil {
		return nil, err
	}
	if p.setCount.Add(1) <= maxTemplateSets {
		p.sets.Store(key, s)
	}
	return s, nil
}

// Request is what a page handler gets besides the writer and the HTTP
// request: the caller and what every page's layout needs.
type Request struct {
	Auth app.Authenticated
	Base Base
	L    *i18n.Locale // the reader's language and time zone
}

type PageHandler func(w http.ResponseWriter, r *http.Request, rq *Request) error

// Handle registers a page that needs perm; an area's pages register
// through it too. h's error is shown as the error page.
func (p *Pages) Handle(mux guard.Registrar, pattern string, perm access.Permission, h PageHandler) {
	method, route, _ := strings.Cut(pattern, " ")
	p.routes = append(p.routes, guard.Route{Method: method, Pattern: strings.TrimSuffix(route, "{$}"), Perm: perm, Surface: "page"})
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		pageHeaders(w)
		auth, err := guard.Check(r.Context(), perm)
		if err != nil {
			if errs.Is(err, errs.Unauthenticated) {
				if r.Method == http.MethodGet {
					http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
			}
			p.renderError(w, r, auth, err)
			return
		}
		if r.Method == http.MethodPost && isMultipart(r) {
			if r, err = parseMultipart(w, r, p.app.MaxUpload()); err != nil {
				p.renderError(w, r, auth, uploadError(err))
				return
			}
		} else if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil {
				p.renderError(w, r, auth, errs.E(errs.Invalid, "the form could not be read: %v", err))
				return
			}
		}
		loc := p.locale(r, auth)
		r = withLocale(r, loc)
		rq := &Request{Auth: auth, Base: p.base(r, auth), L: loc}
		if err := h(w, r, rq); err != nil {
			p.renderError(w, r, auth, err)
		}
	})
}

// pageHeaders sets the security headers of every page.
func pageHeaders(w http.ResponseWriter) {
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
}

// Unrouted shows the error page for a request no page takes: 404, or 405
// (with Allow set by the caller) when the address takes other methods.
func (p *Pages) Unrouted(w http.ResponseWriter, r *http.Request, status int, msg string) {
	pageHeaders(w)
	a, _ := app.AuthFrom(r.Context())
	b := p.base(r, a)
	b.Title = http.StatusText(status)
	if err := p.Render(w, r, status, "error", ErrorPage{Base: b, Status: status, Message: msg}); err != nil {
		p.log.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, msg, status)
	}
}

// Base is what every page's layout needs: the shell (navigation, user,
// colour scheme) and the page header (breadcrumbs, title, subtitle, the
// primary action and the secondary ones in a menu).
type Base struct {
	Title       string
	TitleBadges []ui.Badge
	Subtitle    string
	Crumbs      []ui.Crumb
	Actions     []ui.Action // shown as buttons, the primary one first
	Menu        []ui.Action // shown in the "more actions" menu
	Path        string
	SignedIn    bool
	User        access.Actor
	CSRF        string
	Nav         []NavItem
	Flash       string
	Theme       string // "system", "light" or "dark"
	Lang        string // the page's language
	Unread      int    // the reader's unread notifications, on the bell
	// AppVersion is Conform's version; not Version, which form pages use
	// for the record's version.
	AppVersion string
}

// NavItem is a link in the navigation, shown only if the user may follow
// it; Group, on the first link of an area, names the area.
type NavItem struct {
	Label   string
	Href    string
	Icon    string
	Group   string
	Current bool
}

// navEntry is a place in the navigation: a kind's list or another page.
type navEntry struct {
	label, href, summary, icon string
	perm                       access.Permission
	area                       record.Area
	order                      int
}

// otherPages are the pages in the navigation that are not a kind's list.
var otherPages = []navEntry{
	{label: "Audit trail", href: "/audit", icon: "history", perm: access.AuditRead, area: record.Administration, order: 35,
		summary: "Every change to every record, hash-chained so tampering shows."},
}

// navigation lists, in order, the kinds that declare a place in the
// navigation and the other pages, grouped by area; Home comes first,
// outside the areas. The account is in the user's menu.
func navigation(kinds *record.Registry, areas []Area) []navEntry {
	var entries []navEntry
	for _, k := range kinds.All() {
		if k.Nav != nil {
			entries = append(entries, navEntry{label: k.Plural, href: "/" + k.Path(), icon: k.Nav.Icon, summary: k.Nav.Summary, perm: k.Read, area: k.Area, order: k.Nav.Order})
		}
	}
	entries = append(entries, otherPages...)
	for _, a := range areas {
		for _, l := range a.Links {
			entries = append(entries, navEntry{label: l.Label, href: l.Href, icon: l.Icon, summary: l.Summary, perm: l.Perm, area: l.Area, order: l.Order})
		}
	}
	slices.SortStableFunc(entries, func(a, b navEntry) int {
		if a.area.Order != b.area.Order {
			return a.area.Order - b.area.Order
		}
		return a.order - b.order
	})
	home := navEntry{label: "Home", href: "/", icon: "home", perm: access.SignedIn}
	return append([]navEntry{home}, entries...)
}

func (p *Pages) base(r *http.Request, a app.Authenticated) Base {
	b := Base{Path: r.URL.Path, AppVersion: p.cfg.Version, Theme: "system", Lang: p.localeOf(r).Lang}
	if a.Actor.Role != "" {
		b.SignedIn = true
		b.User = a.Actor
		if a.Session != nil {
			b.CSRF = a.Session.CSRF
		}
		b.Theme = themeOf(a)
		if n, err := p.app.UnreadNotifications(r.Context(), a.Actor); err == nil {
			b.Unread = n
		} else {
			p.log.Warn("count notifications", "err", err)
		}
		group := ""
		for _, n := range p.nav {
			if a.Actor.Can(n.perm) {
				cur := r.URL.Path == n.href || (n.href != "/" && strings.HasPrefix(r.URL.Path, n.href+"/"))
				item := NavItem{Label: n.label, Href: n.href, Icon: n.icon, Current: cur}
				if n.area.Name != group {
					item.Group, group = n.area.Name, n.area.Name
				}
				b.Nav = append(b.Nav, item)
			}
		}
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		b.Flash = "Saved."
	case "created":
		b.Flash = "Created."
	case "deleted":
		b.Flash = "Deleted."
	case "revoked":
		b.Flash = "Token revoked; it no longer works."
	case "password":
		b.Flash = "Password changed. Your other sessions have been signed out."
	case "example":
		b.Flash = "Nothing was deleted: that was an example."
	case "mfa-reset":
		b.Flash = "Two-factor sign-in reset. The user was signed out everywhere and sets a new second factor up when their role needs one."
	case "planned":
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		b.Flash = p.localeOf(r).T("%d actions added to the plan from the gaps.", n)
	case "approved":
		b.Flash = "Approved."
	case "password-set":
		b.Flash = "Password set. The user's open sessions have ended."
	case "session":
		b.Flash = "Signed out there."
	case "sessions":
		b.Flash = "Signed out everywhere else."
	}
	return b
}

// Render writes a page (an area's as "<area>/<page>"); with HX-Request and a "partial" template, only that
// part is rendered.
func (p *Pages) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	return p.render(w, r, status, name, data, false)
}

// RenderFragment writes a page's "partial" alone, for htmx to put into
// a page already shown.
func (p *Pages) RenderFragment(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	return p.render(w, r, status, name, data, true)
}

// render writes the page name, or its "partial" alone: as a fragment, or
// for htmx swapping part of a page (not a boosted link, which gets the
// whole page).
func (p *Pages) render(w http.ResponseWriter, r *http.Request, status int, name string, data any, fragment bool) error {
	set, err := p.templates(p.localeOf(r))
	if err != nil {
		return err
	}
	t, ok := set[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	exec := "layout"
	if fragment || r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" && t.Lookup("partial") != nil {
		exec = "partial"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, exec, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = buf.WriteTo(w)
	return err
}

// ErrorPage shows what went wrong.
type ErrorPage struct {
	Base
	Status    int
	Message   string
	RequestID string // for a fault on our side: what to quote when reporting it
	Reload    string // for a stale or conflicting change: the page to read again
}

func (p *Pages) renderError(w http.ResponseWriter, r *http.Request, a app.Authenticated, err error) {
	status := guard.Status(err)
	if status >= 500 {
		p.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		status = http.StatusRequestEntityTooLarge
	}
	guard.RetryAfter(w, err)
	b := p.base(r, a)
	b.Title = http.StatusText(status)
	page := ErrorPage{Base: b, Status: status, Message: guard.PublicMessage(err)}
	if status >= 500 {
		page.RequestID = w.Header().Get("X-Request-Id")
	}
	if status == http.StatusConflict || status == http.StatusPreconditionFailed {
		page.Reload = sameSiteReferer(r)
	}
	if rerr := p.Render(w, r, status, "error", page); rerr != nil {
		p.log.ErrorContext(r.Context(), "render error page", "err", rerr)
		http.Error(w, guard.PublicMessage(err), status)
	}
}

// sameSiteReferer is the page a request came from, when it is one of ours,
// or the home page.
func sameSiteReferer(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || !strings.HasPrefix(ref.Path, "/") {
		return "/"
	}
	return ref.RequestURI()
}

// CSRFValid reports whether an unsafe request carries the session's CSRF
// token, in the X-CSRF-Token header (htmx) or the _csrf form field.
func CSRFValid(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
		got = r.PostFormValue("_csrf")
	} else if got == "" && isMultipart(r) {
		got = multipartCSRF(r)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// RefuseCSRF answers a request that failed the CSRF check.
func RefuseCSRF(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte("This form has expired or did not come from Conform. Go back, reload the page and try again.\n"))
}

func sessionCookie(value string, maxAge int, secure bool) *http.Cookie {
	name := SessionCookie
	if secure {
		name = SecureSessionCookie
	}
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
}

// ClearSessionCookie removes a stale session cookie.
func ClearSessionCookie(w http.ResponseWriter, r *http.Request, secure bool) {
	cleared := false
	for _, name := range []string{SecureSessionCookie, SessionCookie} {
		if _, err := r.Cookie(name); err == nil {
			http.SetCookie(w, sessionCookie("", -1, name == SecureSessionCookie))
			cleared = true
		}
	}
	if !cleared {
		http.SetCookie(w, sessionCookie("", -1, secure || r.TLS != nil))
	}
}

type addrKey struct{}

// WithClientAddr records the client's address for sign-in throttling.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addrKey{}, addr)
}

func clientAddr(ctx context.Context) string {
	s, _ := ctx.Value(addrKey{}).(string)
	return s
}

// ClientAddr is the client's address, as the server recorded it.
func ClientAddr(ctx context.Context) string { return clientAddr(ctx) }

func PathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "no such record: %q", r.PathValue("id"))
	}
	return id, nil
}

func FormInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return n
}

// FieldErrors maps a field to its error message for a form.
type FieldErrors map[string]string

// formErrors splits an error into per-field messages and a general one;
// it returns ok=false for errors that are not about the input.
func formErrors(err error) (FieldErrors, string, bool) {
	e := errs.As(err)
	if e == nil {
		return nil, "", false
	}
	switch e.Code {
	case errs.Invalid:
		fe := FieldErrors{}
		for _, f := range e.Fields {
			fe[f.Field] = f.Reason
		}
		return fe, "Please correct the fields marked below.", true
	case errs.Stale, errs.Conflict:
		return FieldErrors{}, e.Message, true
	}
	return nil, "", false
}

func guardStatus(err error) int { return guard.Status(err) }

// formDone ends a form's submission. Without an error it sends the browser
// on to next. An error the user can put right (bad fields, a stale
// version, a conflict) shows the page again through again, with the
// status the API would give, the message and the fields to mark; any other
// error goes up to the error page.
func FormDone(w http.ResponseWriter, r *http.Request, err error, next string, again func(status int, msg string, fields FieldErrors) error) error {
	if err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	fields, msg, ok := formErrors(err)
	if !ok {
		return err
	}
	return again(guardStatus(err), msg, fields)
}

// themeOf is the colour scheme a signed-in user chose.
func themeOf(a app.Authenticated) string {
	if t := a.Prefs.Theme; t == "light" || t == "dark" {
		return t
	}
	return "system"
}
