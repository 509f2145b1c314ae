package restapi

import (
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// The API reference at /api/docs: one plain page made from the OpenAPI
// document, every operation with its permission, parameters and answers.
// It loads nothing from elsewhere (the usual reference viewers fetch their
// scripts from a CDN), so it works offline and under a strict
// Content-Security-Policy.

type docsOp struct {
	ID, Method, Path, Summary, Description string
	Params                                 []docsParam
	Body                                   string // the request body's schema name, if any
	Answers                                []docsAnswer
}

type docsParam struct{ Name, In, Description string }

type docsAnswer struct{ Status, Description, Schema string }

type docsTag struct {
	Name string
	Ops  []docsOp
}

type docsPage struct {
	Title, Version, Description string
	Tags                        []docsTag
}

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} reference</title>
</head>
<body>
<main>
<h1>{{.Title}} <small>{{.Version}}</small></h1>
<p>{{.Description}}</p>
<p>The machine-readable document: <a href="/api/openapi.json">OpenAPI 3.1</a>,
<a href="/api/openapi-3.0.json">OpenAPI 3.0</a> (for generators that read 3.0 only).</p>
<nav aria-label="Operations"><ul>
{{range .Tags}}<li><a href="#{{.Name}}">{{.Name}}</a></li>
{{end}}</ul></nav>
{{range .Tags}}<section id="{{.Name}}">
<h2>{{.Name}}</h2>
{{range .Ops}}<article id="{{.ID}}">
<h3><code>{{.Method}} {{.Path}}</code> {{.Summary}}</h3>
{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Params}}<h4>Parameters</h4>
<dl>{{range .Params}}<dt><code>{{.Name}}</code> ({{.In}})</dt><dd>{{.Description}}</dd>{{end}}</dl>{{end}}
{{if .Body}}<h4>Body</h4><p><code>{{.Body}}</code> as <code>application/json</code></p>{{end}}
<h4>Answers</h4>
<table><thead><tr><th scope="col">status</th><th scope="col">meaning</th><th scope="col">body</th></tr></thead><tbody>
{{range .Answers}}<tr><td>{{.Status}}</td><td>{{.Description}}</td><td>{{if .Schema}}<code>{{.Schema}}</code>{{end}}</td></tr>
{{end}}</tbody></table>
</article>
{{end}}</section>
{{end}}</main>
</body>
</html>
`))

// docs builds the reference page's data from the document.
func docs(doc *huma.OpenAPI) docsPage {
	page := docsPage{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description}
	byTag := map[string][]docsOp{}
	for path, item := range doc.Paths {
		for _, m := range []struct {
			method string
			op     *huma.Operation
		}{{"GET", item.Get}, {"POST", item.Post}, {"PUT", item.Put}, {"PATCH", item.Patch}, {"DELETE", item.Delete}} {
			if m.op == nil {
				continue
			}
			op := docsOp{ID: m.op.OperationID, Method: m.method, Path: path, Summary: m.op.Summary, Description: m.op.Description}
			for _, p := range m.op.Parameters {
				op.Params = append(op.Params, docsParam{Name: p.Name, In: p.In, Description: p.Description})
			}
			if rb := m.op.RequestBody; rb != nil {
				if c := rb.Content["application/json"]; c != nil && c.Schema != nil {
					op.Body = schemaName(c.Schema)
				}
			}
			for status, r := range m.op.Responses {
				a := docsAnswer{Status: status, Description: r.Description}
				for _, c := range r.Content {
					if c.Schema != nil {
						a.Schema = schemaName(c.Schema)
					}
				}
				op.Answers = append(op.Answers, a)
			}
			slices.SortFunc(op.Answers, func(a, b docsAnswer) int { return strings.Compare(a.Status, b.Status) })
			tag := "Other"
			if len(m.op.Tags) > 0 {
				tag = m.op.Tags[0]
			}
			byTag[tag] = append(byTag[tag], op)
		}
	}
	for name, ops := range byTag {
		slices.SortFunc(ops, func(a, b docsOp) int {
			if c := strings.Compare(a.Path, b.Path); c != 0 {
				return c
			}
			return strings.Compare(a.Method, b.Method)
		})
		page.Tags = append(page.Tags, docsTag{Name: name, Ops: ops})
	}
	slices.SortFunc(page.Tags, func(a, b docsTag) int { return strings.Compare(a.Name, b.Name) })
	return page
}

func schemaName(s *huma.Schema) string {
	if s.Ref != "" {
		return strings.TrimPrefix(s.Ref, "#/components/schemas/")
	}
	if s.Type == huma.TypeArray && s.Items != nil {
		return "array of " + schemaName(s.Items)
	}
	return s.Type
}

// serveDocs answers GET /api/docs.
func (api *API) serveDocs(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := docsTemplate.Execute(w, docs(api.huma.OpenAPI())); err != nil {
		http.Error(w, "the reference could not be made", http.StatusInternalServerError)
	}
}
