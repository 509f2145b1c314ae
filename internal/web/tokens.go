package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// TokensPage lists API tokens and shows a new token's secret once.
type TokensPage struct {
	Base
	Tokens    []account.Token
	Owners    map[int64]string
	ShowOwner bool
	NewSecret string
	NewName   string
	Name      string
	Expires   string
	Error     string
	Fields    FieldErrors
	Now       time.Time
}

func (p *Pages) tokensPage(r *http.Request, rq *Request) (TokensPage, error) {
	ctx, actor := r.Context(), rq.Auth.Actor
	page := TokensPage{Base: rq.Base, Fields: FieldErrors{}, ShowOwner: actor.Can(access.TokensManage), Now: time.Now()}
	page.Title = "API tokens"
	var err error
	if page.Tokens, _, err = p.app.ListTokens(ctx, actor, store.TokenFilter{Limit: store.MaxLimit, IncludeRevoked: true}); err != nil {
		return page, err
	}
	if page.ShowOwner {
		page.Owners = map[int64]string{}
		for _, t := range page.Tokens {
			if _, ok := page.Owners[t.UserID]; !ok {
				if u, err := p.app.GetUser(ctx, actor, t.UserID); err == nil {
					page.Owners[t.UserID] = u.Name
				}
			}
		}
	}
	return page, nil
}

func (p *Pages) tokensList(w http.ResponseWriter, r *http.Request, rq *Request) error {
	page, err := p.tokensPage(r, rq)
	if err != nil {
		return err
	}
	return p.Render(w, r, http.StatusOK, "tokens", page)
}

func (p *Pages) tokenCreate(w http.ResponseWriter, r *http.Request, rq *Request) error {
	in := account.TokenInput{Name: r.PostFormValue("name")}
	exp := strings.TrimSpace(r.PostFormValue("expires"))
	var dateErr bool
	if exp != "" {
		t, err := time.Parse("2006-01-02", exp)
		if err != nil {
			dateErr = true
		} else {
			in.ExpiresAt = &t
		}
	}
	var secret string
	var err error
	var tok account.Token
	if !dateErr {
		tok, secret, err = p.app.CreateToken(r.Context(), rq.Auth.Actor, in)
	}
	page, perr := p.tokensPage(r, rq)
	if perr != nil {
		return perr
	}
	switch {
	case dateErr:
		page.Error, page.Fields = "Please correct the fields marked below.", FieldErrors{"expires_at": "must be a date such as 2027-01-31"}
	case err != nil:
		fields, msg, ok := formErrors(err)
		if !ok {
			return err
		}
		page.Error, page.Fields = msg, fields
	}
	if page.Error != "" {
		page.Name, page.Expires = in.Name, exp
		return p.Render(w, r, http.StatusUnprocessableEntity, "tokens", page)
	}
	page.NewSecret, page.NewName = secret, tok.Name
	return p.Render(w, r, http.StatusCreated, "tokens", page)
}

func (p *Pages) tokenRevoke(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	if _, err := p.app.RevokeToken(r.Context(), rq.Auth.Actor, id, FormInt(r, "version")); err != nil {
		return err
	}
	http.Redirect(w, r, "/tokens?done=revoked", http.StatusSeeOther)
	return nil
}
