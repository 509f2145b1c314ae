package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
)

// JumpPage lists the records whose name holds what was typed in the jump
// box; htmx asks for the list alone, under the box.
type JumpPage struct {
	Base
	Q       string
	Results []JumpResult
}

// JumpResult is one record found, with its page.
type JumpResult struct {
	Kind   string // the kind's label
	Name   string
	Detail string
	Href   string
}

// jumpPerKind is how many records of each kind the jump box offers.
const jumpPerKind = 5

func (p *Pages) jump(w http.ResponseWriter, r *http.Request, rq *Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	found, err := p.app.Search(r.Context(), rq.Auth.Actor, q, jumpPerKind)
	if errs.Is(err, errs.Invalid) {
		found, err = nil, nil // an over-long query finds nothing
	}
	if err != nil {
		return err
	}
	page := JumpPage{Base: rq.Base, Q: q, Results: p.jumpResults(found)}
	page.Title = "Jump to"
	return p.Render(w, r, http.StatusOK, "jump", page)
}

func (p *Pages) jumpResults(found []app.Found) []JumpResult {
	out := make([]JumpResult, 0, len(found))
	for _, f := range found {
		k, ok := p.app.Kinds().Get(f.Entity)
		if !ok || !p.hasRecordPage(k) {
			continue
		}
		out = append(out, JumpResult{Kind: k.Label, Name: f.Name, Detail: f.Detail, Href: "/" + k.Path() + "/" + strconv.FormatInt(f.ID, 10)})
	}
	return out
}
