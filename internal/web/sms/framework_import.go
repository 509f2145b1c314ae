package sms

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// ImportPage loads a framework from a file pasted into the form.
type ImportPage struct {
	web.Base
	Form ui.Form
}

func (pg *pages) renderImport(w http.ResponseWriter, r *http.Request, rq *web.Request, status int, text, msg string) error {
	page := ImportPage{Base: rq.Base}
	page.Title, page.Crumbs = "Load a framework", crumbs()
	page.Form = ui.Form{ID: "import-form", Action: "/frameworks/import", CSRF: rq.Base.CSRF, Submit: "Load framework", Cancel: "/frameworks", Message: msg,
		Fields: []ui.Field{{Name: "document", Label: "Framework file", Type: "textarea", Rows: 18, Required: true, Value: text,
			Help: "Starts with format: conform-framework/1, then the framework's code, name and requirements."}}}
	if msg != "" {
		page.Form.Fields[0].Error = msg
		page.Form.Message = rq.T("The file was not loaded; nothing changed.")
	}
	return pg.p.Render(w, r, status, "sms/framework_import", page)
}

func (pg *pages) importForm(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	return pg.renderImport(w, r, rq, http.StatusOK, "", "")
}

func (pg *pages) importFile(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	text := r.PostFormValue("document")
	loaded, err := pg.c.Import(r.Context(), rq.Auth.Actor, []byte(text))
	var ps sms.Problems
	switch {
	case err == nil:
		done := "saved"
		if loaded.New {
			done = "created"
		}
		http.Redirect(w, r, fmt.Sprintf("%s?done=%s", frameworkHref(loaded.Framework.ID), done), http.StatusSeeOther)
		return nil
	case errors.As(err, &ps):
		lines := make([]string, len(ps))
		for i, p := range ps {
			lines[i] = problem(rq, p)
		}
		return pg.renderImport(w, r, rq, http.StatusUnprocessableEntity, text, strings.Join(lines, "; "))
	case errs.Is(err, errs.Invalid):
		return pg.renderImport(w, r, rq, http.StatusUnprocessableEntity, text, err.Error())
	}
	return err
}

// problem says where a mistake in the file is in the reader's language;
// the reason is in English, unless it is one people meet often.
func problem(rq *web.Request, p sms.Problem) string {
	reason := rq.L.Lookup(p.Reason)
	switch {
	case p.Line > 0 && p.Field != "":
		return rq.T("line %d: %s %s", p.Line, p.Field, reason)
	case p.Line > 0:
		return rq.T("line %d: %s", p.Line, reason)
	case p.Field != "":
		return p.Field + " " + reason
	}
	return reason
}
