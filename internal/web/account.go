package web

import (
	"net/http"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
)

// AccountPage shows the signed-in user's account and the password form.
type AccountPage struct {
	Base
	U      account.User
	Error  string
	Fields FieldErrors
}

func (p *Pages) accountPage(r *http.Request, rq *Request) (AccountPage, error) {
	u, err := p.app.GetUser(r.Context(), rq.Auth.Actor, rq.Auth.Actor.UserID)
	page := AccountPage{Base: rq.Base, U: u, Fields: FieldErrors{}}
	page.Title = "Your account"
	return page, err
}

func (p *Pages) account(w http.ResponseWriter, r *http.Request, rq *Request) error {
	page, err := p.accountPage(r, rq)
	if err != nil {
		return err
	}
	return p.Render(w, r, http.StatusOK, "account", page)
}

func (p *Pages) changePassword(w http.ResponseWriter, r *http.Request, rq *Request) error {
	var sid int64
	if rq.Auth.Session != nil {
		sid = rq.Auth.Session.ID
	}
	err := p.app.ChangePassword(r.Context(), rq.Auth.Actor, r.PostFormValue("current_password"), r.PostFormValue("new_password"), sid)
	if errs.CodeOf(err) == errs.RateLimited {
		// Too many wrong current passwords: the form again, saying how long to wait.
		page, perr := p.accountPage(r, rq)
		if perr != nil {
			return perr
		}
		page.Error = guard.PublicMessage(err)
		guard.RetryAfter(w, err)
		return p.Render(w, r, guard.Status(err), "account", page)
	}
	return FormDone(w, r, err, "/account?done=password", func(status int, msg string, fields FieldErrors) error {
		page, err := p.accountPage(r, rq)
		if err != nil {
			return err
		}
		page.Error, page.Fields = msg, fields
		return p.Render(w, r, status, "account", page)
	})
}
