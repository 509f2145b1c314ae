package web_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"html/template"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/areas"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/store/storetest"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/i18n"
)

// Every string people read on a page goes through the message catalogue,
// and every language has every message. These tests read the templates
// and the pages' Go code, the platform's and every area's, the way a
// translator would: they fail on a text in a template outside {{t "…"}},
// on a message used (by a page, a kind of any area or a role) but missing
// from a language, and on a language lacking a message another has.

var (
	// userAttrs are the attributes people read (or hear).
	userAttrs = []string{"placeholder", "aria-label", "title", "alt", "data-confirm-title", "data-confirm-text", "data-confirm-button"}
	attr      = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9:_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')`)
	entity    = regexp.MustCompile(`&[a-zA-Z#0-9]+;`)
)

// untranslated lists the literal texts of a template people would read:
// text between tags, and the values of the attributes above. The
// template is flattened first, every action standing in as \x00, so that
// a tag split by actions is read whole.
func untranslated(t *template.Template) []string {
	var b strings.Builder
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.TextNode:
			b.Write(n.Text)
		case *parse.IfNode:
			b.WriteByte(0)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			b.WriteByte(0)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			b.WriteByte(0)
			walk(n.List)
			walk(n.ElseList)
		default:
			b.WriteByte(0)
		}
	}
	var out []string
	for _, tt := range t.Templates() {
		if tt.Tree == nil {
			continue
		}
		b.Reset()
		walk(tt.Tree.Root)
		out = append(out, readHTML(b.String())...)
	}
	return out
}

// readHTML finds the texts people read in a piece of HTML.
func readHTML(s string) []string {
	var out []string
	text := func(t string) {
		t = entity.ReplaceAllString(t, " ")
		if hasWords(t) {
			out = append(out, strings.Join(strings.Fields(strings.ReplaceAll(t, "\x00", " ")), " "))
		}
	}
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			text(s)
			break
		}
		text(s[:i])
		s = s[i:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		// The tag ends at the first > outside quotes.
		end, quote := -1, byte(0)
		for j := 1; j < len(s) && end < 0; j++ {
			switch c := s[j]; {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				end = j
			}
		}
		if end < 0 {
			break
		}
		// Commands and keys in <code> and <kbd> are the same in every
		// language.
		for _, el := range []string{"code", "kbd"} {
			if strings.HasPrefix(s, "<"+el+">") || strings.HasPrefix(s, "<"+el+" ") {
				if close := strings.Index(s, "</"+el+">"); close > end {
					end = close + len("</"+el+">") - 1
				}
			}
		}
		for _, m := range attr.FindAllStringSubmatch(s[:end], -1) {
			if slices.Contains(userAttrs, strings.ToLower(m[1])) && hasWords(m[2]+m[3]) {
				out = append(out, m[1]+"="+strings.ReplaceAll(m[2]+m[3], "\x00", "…"))
			}
		}
		s = s[end+1:]
	}
	return out
}

// notWords are texts that are the same in every language.
var notWords = []string{"Conform", "K"}

func hasWords(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !slices.Contains(notWords, w) {
			return true
		}
	}
	return false
}

// templateKeys lists the messages a template asks for by literal key:
// the first argument of t, and the strings given to tr.
func templateKeys(t *template.Template) []string {
	var out []string
	var walk func(n parse.Node)
	walkPipe := func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for _, cmd := range p.Cmds {
			for i, arg := range cmd.Args {
				if id, ok := arg.(*parse.IdentifierNode); ok && (id.Ident == "t" || id.Ident == "tr") && i+1 < len(cmd.Args) {
					if s, ok := cmd.Args[i+1].(*parse.StringNode); ok {
						out = append(out, s.Text)
					}
				}
				if pn, ok := arg.(*parse.PipeNode); ok {
					walk(pn)
				}
			}
		}
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walkPipe(n.Pipe)
		case *parse.PipeNode:
			walkPipe(n)
		case *parse.TemplateNode:
			walkPipe(n.Pipe)
		case *parse.IfNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			walk(tt.Tree.Root)
		}
	}
	return out
}

// shownFields are the fields of the pages' values whose literal texts
// people read; the shared components show them in the reader's language.
var shownFields = []string{"Title", "Subtitle", "Label", "Text", "Help", "Placeholder", "Message", "Submit", "Button",
	"Caption", "Empty", "Note", "Flash", "Group", "Error", "Done", "summary", "label"}

// goKeys lists the texts the pages' Go code in dir gives people:
// arguments of T and Lookup, and literal values of the fields above.
func goKeys(t *testing.T, dir string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		lit := func(e ast.Expr) (string, bool) {
			b, ok := e.(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(b.Value)
			return s, err == nil && hasWords(s)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "T" || sel.Sel.Name == "Lookup") && len(n.Args) > 0 {
					if s, ok := lit(n.Args[0]); ok {
						keys[s] = fset.Position(n.Pos()).String()
					}
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && slices.Contains(shownFields, sel.Sel.Name) && i < len(n.Rhs) {
						if s, ok := lit(n.Rhs[i]); ok {
							keys[s] = fset.Position(n.Pos()).String()
						}
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && slices.Contains(shownFields, id.Name) {
					if s, ok := lit(n.Value); ok {
						keys[s] = fset.Position(n.Pos()).String()
					}
				}
			}
			return true
		})
	}
	return keys
}

// pageSource is a set of pages: its templates and the directory of the
// Go code that fills them.
type pageSource struct {
	name      string // "" for the platform, else the area's
	templates fs.FS  // its <page>.html (and the platform's _*.html) at the root
	dir       string // its Go package, relative to internal/web
}

// shown is what the pages show: the platform's and every area's pages,
// and every kind, as the App registers them when Conform starts.
type shown struct {
	sources []pageSource
	kinds   []record.Kind
}

func whatPagesShow(t *testing.T) shown {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, storetest.Open(t, storetest.SQLite), nil, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	as, err := areas.Add(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	platform, err := fs.Sub(web.TemplateFiles, "templates")
	if err != nil {
		t.Fatal(err)
	}
	s := shown{sources: []pageSource{{templates: platform, dir: "."}}, kinds: a.Kinds().All()}
	for _, sa := range as.Server() {
		// An area's pages live in the package named after it.
		s.sources = append(s.sources, pageSource{name: sa.Pages.Name, templates: sa.Pages.Templates, dir: sa.Pages.Name})
	}
	// Every package here with templates is an area's, so none is missed.
	dirs, err := filepath.Glob("*/templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		pkg := filepath.Dir(d)
		if !slices.ContainsFunc(s.sources, func(p pageSource) bool { return p.dir == pkg }) {
			t.Errorf("%s has templates but is no area's pages; name its web.Area %q", pkg, pkg)
		}
	}
	for _, p := range s.sources {
		if gos, _ := filepath.Glob(filepath.Join(p.dir, "*.go")); len(gos) == 0 {
			t.Errorf("area %s: no Go code in %s/; an area's pages are in the package named after it", p.name, p.dir)
		}
	}
	return s
}

// templateNames lists a source's template files.
func templateNames(t *testing.T, p pageSource) []string {
	t.Helper()
	names, err := fs.Glob(p.templates, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		// An area whose pages are all drawn by the shared components has
		// no templates; its folder must still be there, with its README.
		if _, err := fs.Stat(p.templates, "README.md"); err != nil {
			t.Fatalf("%s: no templates, and no README saying the folder is meant empty", p.where(""))
		}
	}
	return names
}

// where names a template file for a message.
func (p pageSource) where(name string) string {
	return filepath.Join(p.dir, "templates", name)
}

func TestTemplatesHaveNoTextOutsideTheCatalogue(t *testing.T) {
	for _, p := range whatPagesShow(t).sources {
		for _, name := range templateNames(t, p) {
			for _, s := range untranslated(parseOne(t, p, name)) {
				t.Errorf("%s: %q is not in the message catalogue; write it as {{t %q}}", p.where(name), s, s)
			}
		}
	}
}

func TestEveryMessageInEveryLanguage(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	pages := whatPagesShow(t)
	want := map[string]string{} // key: where it is used
	for _, p := range pages.sources {
		for _, name := range templateNames(t, p) {
			for _, k := range templateKeys(parseOne(t, p, name)) {
				want[k] = p.where(name)
			}
		}
		for k, at := range goKeys(t, p.dir) {
			want[k] = at
		}
	}
	// What the kinds of every area and the roles declare is shown too.
	for _, k := range pages.kinds {
		want[k.Label], want[k.Plural] = "kind "+k.Entity, "kind "+k.Entity
		want[k.Area.Name] = "area of " + k.Entity
		for _, f := range k.Fields {
			want[f.Label] = "field " + k.Entity + "." + f.Name
			if f.Help != "" {
				want[f.Help] = "help of " + k.Entity + "." + f.Name
			}
			for _, v := range f.Values {
				want[v] = "value of " + k.Entity + "." + f.Name
			}
		}
		if k.Nav != nil && k.Nav.Summary != "" {
			want[k.Nav.Summary] = "summary of " + k.Entity
		}
	}
	for _, k := range []record.Kind{account.UserKind, account.TeamKind, account.OrganisationKind} { // the kinds on a Resource
		for _, what := range web.KindPhrases {
			want[web.KindPhrase(k, what)] = "phrase " + what + " of " + k.Entity
		}
	}
	// The error pages' titles, and the messages people most often meet.
	for _, status := range web.ShownStatuses {
		want[http.StatusText(status)] = "status " + strconv.Itoa(status)
	}
	for _, m := range web.CommonMessages {
		want[m] = "a common message"
	}
	for _, r := range access.Roles {
		want[r.Label()], want[r.Description()] = "role "+string(r), "role "+string(r)
	}
	langs := cat.Languages()
	if len(langs) < 2 {
		t.Fatalf("catalogue languages: %v, want English and at least one other", langs)
	}
	for _, lang := range langs {
		have := map[string]bool{}
		for _, k := range cat.Keys(lang) {
			have[k] = true
		}
		var missing []string
		for k, at := range want {
			if !have[k] && hasWords(k) {
				missing = append(missing, at+": "+strconv.Quote(k))
			}
		}
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("%s.json lacks %s", lang, m)
		}
	}
	en := cat.Keys(i18n.Default)
	for _, lang := range langs {
		if keys := cat.Keys(lang); !slices.Equal(keys, en) {
			for _, k := range en {
				if !slices.Contains(keys, k) {
					t.Errorf("%s.json lacks %q, which en.json has", lang, k)
				}
			}
			for _, k := range keys {
				if !slices.Contains(en, k) {
					t.Errorf("%s.json has %q, which en.json lacks", lang, k)
				}
			}
		}
	}
}

// parseOne parses one template file on its own, with every function.
func parseOne(t *testing.T, p pageSource, name string) *template.Template {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	src, err := fs.ReadFile(p.templates, name)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := template.New(name).Funcs(web.FuncsFor(cat.Locale(i18n.Default, nil))).Parse(string(src))
	if err != nil {
		t.Fatalf("%s: %v", p.where(name), err)
	}
	return tmpl
}
