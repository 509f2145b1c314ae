package web

import (
	"net/http"
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
)

// LoginPage is the sign-in form.
type LoginPage struct {
	Base
	Email  string
	Next   string
	Error  string
	Fields FieldErrors
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") || strings.ContainsAny(s, "\r\n") {
		return "/"
	}
	return s
}

func (p *Pages) loginForm(w http.ResponseWriter, r *http.Request, rq *Request) error {
	if rq.Base.SignedIn {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	rq.Base.Title = "Sign in"
	return p.Render(w, r, http.StatusOK, "login", LoginPage{Base: rq.Base, Next: safeNext(r.URL.Query().Get("next"))})
}

func (p *Pages) login(w http.ResponseWriter, r *http.Request, rq *Request) error {
	email, password, next := r.PostFormValue("email"), r.PostFormValue("password"), safeNext(r.PostFormValue("next"))
	s, secret, err := p.app.Login(r.Context(), email, password, clientAddr(r.Context()), r.UserAgent())
	if err != nil {
		page := LoginPage{Base: rq.Base, Email: email, Next: next, Fields: FieldErrors{}}
		page.Title = "Sign in"
		switch errs.CodeOf(err) {
		case errs.Invalid:
			page.Fields, page.Error, _ = formErrors(err)
		case errs.Unauthenticated, errs.RateLimited:
			page.Error = guard.PublicMessage(err)
			guard.RetryAfter(w, err)
		default:
			return err
		}
		return p.Render(w, r, guard.Status(err), "login", page)
	}
	secure := p.cfg.SecureCookies || r.TLS != nil
	maxAge := int(s.ExpiresAt.Sub(s.CreatedAt).Seconds())
	http.SetCookie(w, sessionCookie(secret, maxAge, secure))
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (p *Pages) logout(w http.ResponseWriter, r *http.Request, rq *Request) error {
	if rq.Auth.Session != nil {
		if err := p.app.Logout(r.Context(), rq.Auth.Actor, rq.Auth.Session.ID); err != nil {
			return err
		}
	}
	ClearSessionCookie(w, r, p.cfg.SecureCookies)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
