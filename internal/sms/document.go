package sms

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/conform-itsm/conform/internal/errs"
)

// The framework file: one framework, its requirements as a tree, and its
// cross-references to requirements of other frameworks, in YAML or JSON
// (docs/frameworks.md describes it for users). Conform reads it with
// Parse, which names the line and the field of every mistake, and writes
// it with Encode; what Encode writes, Parse reads back unchanged.

// Format is the value of a framework file's format field.
const Format = "conform-framework/1"

// Limits of a framework file.
const (
	MaxDocumentBytes = 4 << 20
	MaxRequirements  = 5000
	MaxDepth         = 10
	MaxQuestions     = 20
	MaxMappings      = 20000
)

// Document is a framework as a file holds it.
type Document struct {
	Format           string       `yaml:"format" json:"format"`
	Code             string       `yaml:"code" json:"code"`
	Name             string       `yaml:"name" json:"name"`
	Publisher        string       `yaml:"publisher,omitempty" json:"publisher,omitempty"`
	Description      string       `yaml:"description,omitempty" json:"description,omitempty"`
	AllowsExclusions bool         `yaml:"allows_exclusions" json:"allows_exclusions"`
	ExclusionsNote   string       `yaml:"exclusions_note,omitempty" json:"exclusions_note,omitempty"`
	Requirements     []DocClause  `yaml:"requirements" json:"requirements"`
	Mappings         []DocMapping `yaml:"mappings,omitempty" json:"mappings,omitempty"`
}

// DocClause is a requirement in a file, with the requirements under it.
type DocClause struct {
	Code         string      `yaml:"code" json:"code"`
	Title        string      `yaml:"title" json:"title"`
	Plain        string      `yaml:"plain,omitempty" json:"plain,omitempty"`
	Auditor      string      `yaml:"auditor,omitempty" json:"auditor,omitempty"`
	Evidence     string      `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	Questions    []string    `yaml:"questions,omitempty" json:"questions,omitempty"`
	Requirements []DocClause `yaml:"requirements,omitempty" json:"requirements,omitempty"`
	// Line is where the requirement was read (0: not read from a file).
	Line int `yaml:"-" json:"-"`
}

// DocMapping is a cross-reference in a file: from a requirement of this
// framework to one of another framework, named by codes.
type DocMapping struct {
	From      string   `yaml:"from" json:"from"`
	Framework string   `yaml:"framework" json:"framework"`
	To        string   `yaml:"to" json:"to"`
	Relation  Relation `yaml:"relation" json:"relation"`
	Note      string   `yaml:"note,omitempty" json:"note,omitempty"`
	Line      int      `yaml:"-" json:"-"`
}

// Guidance is the clause's guidance as stored.
func (c DocClause) Guidance() Guidance {
	return Guidance{Plain: c.Plain, Auditor: c.Auditor, Evidence: c.Evidence, Questions: strings.Join(c.Questions, "\n")}
}

// Walk calls fn with every requirement of the document, parents before
// their children, with its parent's code ("" at the top).
func (d Document) Walk(fn func(c DocClause, parent string)) {
	var walk func(cs []DocClause, parent string)
	walk = func(cs []DocClause, parent string) {
		for _, c := range cs {
			fn(c, parent)
			walk(c.Requirements, c.Code)
		}
	}
	walk(d.Requirements, "")
}

// Count is the number of requirements in the document.
func (d Document) Count() int {
	n := 0
	d.Walk(func(DocClause, string) { n++ })
	return n
}

// Problem is one mistake in a framework file: where, which field, why.
type Problem struct {
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (p Problem) String() string {
	switch {
	case p.Line > 0 && p.Field != "":
		return fmt.Sprintf("line %d: %s %s", p.Line, p.Field, p.Reason)
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Reason)
	case p.Field != "":
		return p.Field + " " + p.Reason
	}
	return p.Reason
}

// Problems are the mistakes found in a framework file.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

// Err is an Invalid error naming each problem's field, its reason
// starting with the line; the Problems stay reachable with errors.As.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	e := &errs.Error{Code: errs.Invalid, Message: "the framework file has mistakes", Err: ps}
	for _, p := range ps {
		field, reason := p.Field, p.Reason
		if field == "" {
			field = "document"
		}
		if p.Line > 0 {
			reason = fmt.Sprintf("(line %d) %s", p.Line, reason)
		}
		e.Fields = append(e.Fields, errs.FieldError{Field: field, Reason: reason})
	}
	return e
}

// maxProblems caps how many mistakes one reading reports.
const maxProblems = 50

type parser struct {
	problems Problems
	codes    map[string]int // requirement code to the line it was first given on
	count    int
}

func (p *parser) add(n *yaml.Node, field, format string, args ...any) {
	if len(p.problems) >= maxProblems {
		return
	}
	line := 0
	if n != nil {
		line = n.Line
	}
	p.problems = append(p.problems, Problem{Line: line, Field: field, Reason: fmt.Sprintf(format, args...)})
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse reads a framework file, YAML or JSON, and checks it, reporting
// every mistake (up to fifty) with its line and field.
func Parse(data []byte) (Document, error) {
	var d Document
	if len(data) > MaxDocumentBytes {
		return d, Problems{{Reason: fmt.Sprintf("the file is %d bytes; a framework file may be at most %d", len(data), MaxDocumentBytes)}}.Err()
	}
	if !utf8.Valid(data) {
		return d, Problems{{Reason: "the file is not UTF-8 text"}}.Err()
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		msg := err.Error()
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			return d, Problems{{Line: line, Reason: "cannot be read: " + m[2]}}.Err()
		}
		return d, Problems{{Reason: "cannot be read: " + strings.TrimPrefix(msg, "yaml: ")}}.Err()
	}
	if len(root.Content) == 0 {
		return d, Problems{{Reason: "the file is empty"}}.Err()
	}
	p := &parser{codes: map[string]int{}}
	d = p.document(root.Content[0])
	return d, p.problems.Err()
}

// fields reads a mapping's keys, refusing keys it does not know and keys
// given twice; it returns each known key's value.
func (p *parser) fields(n *yaml.Node, path string, known ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind == yaml.AliasNode {
		p.add(n, path, "uses an alias (*name); write the value out instead")
		return out
	}
	if n.Kind != yaml.MappingNode {
		p.add(n, path, "must be a mapping of fields (key: value)")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := join(path, k.Value)
		switch {
		case !contains(known, k.Value):
			p.add(k, name, "is not a field here; the fields are %s", strings.Join(known, ", "))
		case out[k.Value] != nil:
			p.add(k, name, "is given twice")
		default:
			out[k.Value] = v
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// text reads a text field: trimmed, at most max characters, one line
// unless multiline.
func (p *parser) text(m map[string]*yaml.Node, parent *yaml.Node, path, key string, required bool, max int, multiline bool) string {
	field := join(path, key)
	n := m[key]
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		if required {
			p.add(parent, field, "is required")
		}
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		p.add(n, field, "must be text")
		return ""
	}
	s := strings.TrimSpace(n.Value)
	switch {
	case required && s == "":
		p.add(n, field, "is required")
	case utf8.RuneCountInString(s) > max:
		p.add(n, field, "must be at most %d characters", max)
	case !multiline && strings.ContainsAny(s, "\r\n"):
		p.add(n, field, "must be on one line")
	}
	return s
}

var (
	frameworkCode   = regexp.MustCompile(`^[a-z0-9][a-z0-9.:-]{0,59}$`)
	requirementCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)
)

func (p *parser) document(n *yaml.Node) Document {
	var d Document
	m := p.fields(n, "", "format", "code", "name", "publisher", "description", "allows_exclusions", "exclusions_note", "requirements", "mappings")
	if n.Kind != yaml.MappingNode {
		return d
	}
	d.Format = p.text(m, n, "", "format", true, 100, false)
	if d.Format != "" && d.Format != Format {
		p.add(m["format"], "format", "must be %s (this version of Conform reads no other)", Format)
	}
	d.Code = p.text(m, n, "", "code", true, 60, false)
	if d.Code != "" && !frameworkCode.MatchString(d.Code) {
		p.add(m["code"], "code", "must be lower-case letters, digits, dots, colons and dashes, starting with a letter or digit")
	}
	d.Name = p.text(m, n, "", "name", true, 200, false)
	d.Publisher = p.text(m, n, "", "publisher", false, 200, false)
	d.Description = p.text(m, n, "", "description", false, 4000, true)
	if v := m["allows_exclusions"]; v != nil {
		if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
			p.add(v, "allows_exclusions", "must be true or false")
		} else {
			d.AllowsExclusions = v.Value == "true" || v.Value == "True" || v.Value == "TRUE"
		}
	} else {
		p.add(n, "allows_exclusions", "is required: say true if an organisation may declare requirements not applicable, false if not")
	}
	d.ExclusionsNote = p.text(m, n, "", "exclusions_note", false, 2000, true)
	if v := m["requirements"]; v == nil {
		p.add(n, "requirements", "is required: list the framework's requirements")
	} else {
		d.Requirements = p.clauses(v, "requirements", 1)
		if len(d.Requirements) == 0 && v.Kind == yaml.SequenceNode {
			p.add(v, "requirements", "must list at least one requirement")
		}
	}
	if v := m["mappings"]; v != nil {
		d.Mappings = p.mappings(v, d.Code)
	}
	return d
}

func (p *parser) sequence(n *yaml.Node, path string) []*yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.add(n, path, "must be a list")
		return nil
	}
	return n.Content
}

func (p *parser) clauses(n *yaml.Node, path string, depth int) []DocClause {
	items := p.sequence(n, path)
	if len(items) > 0 && depth > MaxDepth {
		p.add(n, path, "nests requirements more than %d levels deep", MaxDepth)
		return nil
	}
	var out []DocClause
	for i, item := range items {
		at := fmt.Sprintf("%s[%d]", path, i)
		p.count++
		if p.count == MaxRequirements+1 {
			p.add(item, at, "is one requirement too many: a framework may have at most %d", MaxRequirements)
		}
		m := p.fields(item, at, "code", "title", "plain", "auditor", "evidence", "questions", "requirements")
		if item.Kind != yaml.MappingNode {
			continue
		}
		c := DocClause{Line: item.Line}
		c.Code = p.text(m, item, at, "code", true, 40, false)
		if c.Code != "" {
			if !requirementCode.MatchString(c.Code) {
				p.add(m["code"], join(at, "code"), "must be letters, digits, dots, dashes and underscores, starting with a letter or digit (such as 8.6.1)")
			} else if first, dup := p.codes[c.Code]; dup {
				p.add(m["code"], join(at, "code"), "%s is already the code of the requirement on line %d; each code names one requirement", c.Code, first)
			} else {
				p.codes[c.Code] = m["code"].Line
			}
		}
		c.Title = p.text(m, item, at, "title", true, 300, false)
		c.Plain = p.text(m, item, at, "plain", false, 4000, true)
		c.Auditor = p.text(m, item, at, "auditor", false, 4000, true)
		c.Evidence = p.text(m, item, at, "evidence", false, 4000, true)
		if v := m["questions"]; v != nil {
			qs := p.sequence(v, join(at, "questions"))
			if len(qs) > MaxQuestions {
				p.add(v, join(at, "questions"), "lists %d questions; at most %d", len(qs), MaxQuestions)
			}
			for j, q := range qs {
				field := fmt.Sprintf("%s.questions[%d]", at, j)
				if q.Kind != yaml.ScalarNode {
					p.add(q, field, "must be text")
					continue
				}
				s := strings.TrimSpace(q.Value)
				switch {
				case s == "":
					p.add(q, field, "is empty; leave it out or write the question")
				case utf8.RuneCountInString(s) > 500:
					p.add(q, field, "must be at most 500 characters")
				case strings.ContainsAny(s, "\r\n"):
					p.add(q, field, "must be on one line")
				default:
					c.Questions = append(c.Questions, s)
				}
			}
		}
		if v := m["requirements"]; v != nil {
			c.Requirements = p.clauses(v, join(at, "requirements"), depth+1)
		}
		out = append(out, c)
	}
	return out
}

func (p *parser) mappings(n *yaml.Node, self string) []DocMapping {
	items := p.sequence(n, "mappings")
	if len(items) > MaxMappings {
		p.add(n, "mappings", "lists %d cross-references; at most %d", len(items), MaxMappings)
		return nil
	}
	seen := map[[3]string]int{}
	var out []DocMapping
	for i, item := range items {
		at := fmt.Sprintf("mappings[%d]", i)
		m := p.fields(item, at, "from", "framework", "to", "relation", "note")
		if item.Kind != yaml.MappingNode {
			continue
		}
		x := DocMapping{Line: item.Line}
		x.From = p.text(m, item, at, "from", true, 40, false)
		if x.From != "" {
			if _, ok := p.codes[x.From]; !ok {
				p.add(m["from"], join(at, "from"), "names %s, which is not a requirement of this framework", x.From)
			}
		}
		x.Framework = p.text(m, item, at, "framework", true, 60, false)
		if x.Framework != "" && x.Framework == self {
			p.add(m["framework"], join(at, "framework"), "names this framework; cross-references join requirements of two different frameworks")
		}
		x.To = p.text(m, item, at, "to", true, 40, false)
		rel := p.text(m, item, at, "relation", false, 20, false)
		x.Relation = Relation(rel)
		switch {
		case rel == "":
			x.Relation = Related
		case !x.Relation.Valid():
			p.add(m["relation"], join(at, "relation"), "must be equivalent, partial or related")
		}
		x.Note = p.text(m, item, at, "note", false, 1000, true)
		key := [3]string{x.From, x.Framework, x.To}
		if first, dup := seen[key]; dup && x.From != "" && x.To != "" {
			p.add(item, at, "repeats the cross-reference on line %d", first)
		} else {
			seen[key] = item.Line
		}
		out = append(out, x)
	}
	return out
}

// Encode writes a framework file in YAML, as Parse reads it.
func Encode(d Document) ([]byte, error) {
	d.Format = Format
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode framework %s: %w", d.Code, err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
