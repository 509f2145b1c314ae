package web

import (
	"net/http"

	"github.com/conform-itsm/conform/internal/account"
)

// AccountPage shows the signed-in user's account and the password form.
type AccountPage struct {
	Base
	U      account.User
	Error  string
	Fields FieldErrors
}

func (p *Pages) accountPage(r *http.Request, rq *request) (AccountPage, error) {
	u, err := p.app.GetUser(r.Context(), rq.auth.Actor, rq.auth.Actor.UserID)
	page := AccountPage{Base: rq.base, U: u, Fields: FieldErrors{}}
	page.Title = "Your account"
	return page, err
}

func (p *Pages) account(w http.ResponseWriter, r *http.Request, rq *request) error {
	page, err := p.accountPage(r, rq)
	if err != nil {
		return err
	}
	return p.render(w, r, http.StatusOK, "account", page)
}

func (p *Pages) changePassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	var sid int64
	if rq.auth.Session != nil {
		sid = rq.auth.Session.ID
	}
	err := p.app.ChangePassword(r.Context(), rq.auth.Actor, r.PostFormValue("current_password"), r.PostFormValue("new_password"), sid)
	return formDone(w, r, err, "/account?done=password", func(status int, msg string, fields FieldErrors) error {
		page, err := p.accountPage(r, rq)
		if err != nil {
			return err
		}
		page.Error, page.Fields = msg, fields
		return p.render(w, r, status, "account", page)
	})
}
