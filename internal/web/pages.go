package web

import (
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template/parse"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/record"
)

// Every page template is declared, with the shared partials (from the
// _*.html files) it calls and whether it defines "partial", the fragment
// that htmx asks for. Mount checks the declarations against the templates
// and refuses to start on a mismatch: an undeclared file, a page calling a
// template that exists nowhere (which html/template would only find out
// when the page is shown), a partial not declared.

// Page declares one page template.
type Page struct {
	Name     string   // the file's name without .html
	Uses     []string // shared partials the page calls
	Fragment bool     // defines "partial"
}

// Area is a part of the product with pages of its own, in a package of
// its own (internal/web/<area>): its templates, each page declared, and
// the routes it registers. Its pages render as "<area name>/<page>".
type Area struct {
	Name      string
	Templates fs.FS // <page>.html files at its root
	Pages     []Page
	Routes    func(p *Pages, mux guard.Registrar)
	// Home, when set, gives the area's cards on the home page for the
	// reader (their actions, what is overdue); none when it has nothing
	// for them.
	Home func(ctx context.Context, rq *Request) ([]Section, error)
	// Related, when set, gives sections for the page of any record made
	// with Resource, of whatever kind (the requirements a record is
	// evidence for); none when it has nothing on that record.
	Related func(ctx context.Context, rq *Request, entity string, id int64) ([]Section, error)
	// Links are the area's pages in the navigation that are not a kind's
	// list (a kind's list is there by its declaration).
	Links []Link
}

// Link is a page in the navigation: where it sits (its area, and its
// order among the area's entries, kinds included), who sees it, and the
// summary its card on the home page shows.
type Link struct {
	Label, Href, Icon, Summary string
	Perm                       access.Permission
	Area                       record.Area
	Order                      int
}

// platformPages declares the platform's page templates (templates/).
var platformPages = []Page{
	{Name: "account", Uses: []string{"field-error", "form-error", "icon", "ui-empty"}},
	{Name: "audit", Uses: []string{"changes", "form-error", "icon", "ui-empty", "ui-field"}},
	{Name: "audit_verify"},
	{Name: "audit_security", Uses: []string{"form-error", "icon", "ui-empty"}},
	{Name: "audit_entry", Uses: []string{"changes"}},
	{Name: "choices", Uses: []string{"ui-choices"}, Fragment: true},
	{Name: "error", Uses: []string{"icon"}},
	{Name: "gallery", Uses: []string{"ui-badge", "ui-actions", "ui-filter", "ui-table", "ui-tabs", "ui-dl", "ui-form", "section"}},
	{Name: "home", Uses: []string{"icon", "section"}},
	{Name: "form", Uses: []string{"ui-form"}},
	{Name: "jump", Uses: []string{"icon"}, Fragment: true},
	{Name: "list", Uses: []string{"section", "ui-filter", "ui-table"}, Fragment: true},
	{Name: "record", Uses: []string{"form-error", "ui-tabs", "history", "ui-dl", "section"}},
	{Name: "login", Uses: []string{"field-error", "form-error", "icon"}},
	{Name: "login_mfa", Uses: []string{"field-error", "form-error", "mfa-steps"}},
	{Name: "mfa_codes", Uses: []string{"icon"}},
	{Name: "mfa_setup", Uses: []string{"field-error", "form-error", "mfa-steps", "icon"}},
	{Name: "team_form", Uses: []string{"field-error", "form-error", "icon"}, Fragment: true},
	{Name: "tokens", Uses: []string{"field-error", "form-error", "icon", "ui-table"}},
}

// parsePages parses an area's page templates over base (the layout and
// the shared partials) and checks them against their declarations. prefix
// is "" for the platform and "<area>/" for an area.
func parsePages(base *template.Template, fm template.FuncMap, files fs.FS, pages []Page, prefix string, into templateSet) error {
	shared := map[string]bool{}
	for _, t := range base.Templates() {
		shared[t.Name()] = true
	}
	declared := map[string]Page{}
	for _, pg := range pages {
		if _, dup := declared[pg.Name]; dup {
			return fmt.Errorf("page %s%s is declared twice", prefix, pg.Name)
		}
		declared[pg.Name] = pg
	}
	names, err := fs.Glob(files, "*.html")
	if err != nil {
		return err
	}
	found := map[string]bool{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		found[name] = true
		pg, ok := declared[name]
		if !ok {
			return fmt.Errorf("template %s%s.html is not declared as a page", prefix, name)
		}
		src, err := fs.ReadFile(files, n)
		if err != nil {
			return err
		}
		own, err := template.New(name).Funcs(fm).Parse(string(src))
		if err != nil {
			return fmt.Errorf("parse template %s%s: %w", prefix, n, err)
		}
		if err := checkPage(prefix, pg, own, shared); err != nil {
			return err
		}
		t := template.Must(base.Clone())
		if _, err := t.New(path.Base(n)).Parse(string(src)); err != nil {
			return fmt.Errorf("parse template %s%s: %w", prefix, n, err)
		}
		into[prefix+name] = t
	}
	for _, pg := range pages {
		if !found[pg.Name] {
			return fmt.Errorf("page %s%s is declared but has no template file", prefix, pg.Name)
		}
	}
	return nil
}

// checkPage holds one page's own templates to its declaration.
func checkPage(prefix string, pg Page, own *template.Template, shared map[string]bool) error {
	defined := map[string]bool{}
	for _, t := range own.Templates() {
		if t.Tree != nil {
			defined[t.Name()] = true
		}
	}
	if !defined["content"] {
		return fmt.Errorf("page %s%s defines no \"content\"", prefix, pg.Name)
	}
	if defined["partial"] != pg.Fragment {
		return fmt.Errorf("page %s%s: declared Fragment %v, but it defines \"partial\": %v", prefix, pg.Name, pg.Fragment, defined["partial"])
	}
	for _, u := range pg.Uses {
		if !shared[u] {
			return fmt.Errorf("page %s%s uses %q, which no shared template defines", prefix, pg.Name, u)
		}
	}
	for _, t := range own.Templates() {
		if t.Tree == nil {
			continue
		}
		for _, called := range calls(t.Tree.Root) {
			if !defined[called] && !slices.Contains(pg.Uses, called) {
				return fmt.Errorf("page %s%s calls template %q, which it neither defines nor declares among the shared ones it uses", prefix, pg.Name, called)
			}
		}
	}
	return nil
}

// calls lists the templates a parse tree calls.
func calls(n parse.Node) []string {
	var out []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.TemplateNode:
			out = append(out, n.Name)
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	walk(n)
	return out
}

// HomeCards joins an area's cards on the home page, in order: each card
// gives none, one or more sections for the reader.
func HomeCards(cards ...func(ctx context.Context, rq *Request) ([]Section, error)) func(ctx context.Context, rq *Request) ([]Section, error) {
	return func(ctx context.Context, rq *Request) ([]Section, error) {
		var out []Section
		for _, card := range cards {
			s, err := card(ctx, rq)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
		return out, nil
	}
}
