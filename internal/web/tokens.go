package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web/ui"
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
	Table     ui.Table
}

func (p *Pages) tokensPage(r *http.Request, rq *Request) (TokensPage, error) {
	ctx, actor := r.Context(), rq.Auth.Actor
	page := TokensPage{Base: rq.Base, Fields: FieldErrors{}, ShowOwner: actor.Can(access.TokensManage), Now: time.Now()}
	page.Title, page.Crumbs = "API tokens", []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Subtitle = "Scripts and integrations call the JSON API with a token (Authorization: Bearer cfm_…); a token acts with its user's role. Only a fingerprint of the secret is kept, so the secret is shown once."
	page.Actions = []ui.Action{{Label: "API reference", Icon: "external-link", Href: "/api/docs"}}
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
	page.Table = p.tokensTable(rq, page)
	return page, nil
}

// tokensTable lists the tokens, each with its revoke button behind a
// confirmation.
func (p *Pages) tokensTable(rq *Request, page TokensPage) ui.Table {
	t := ui.Table{Caption: "API tokens", Empty: ui.Empty{Icon: "key", Title: "No tokens yet",
		Text: "Create one for each script or integration, so that each can be revoked on its own."}}
	t.Columns = []ui.Column{{Label: "Name", Key: true, Sort: "text"}}
	if page.ShowOwner {
		t.Columns = append(t.Columns, ui.Column{Label: "User", Sort: "text"})
	}
	t.Columns = append(t.Columns, ui.Column{Label: "Starts with"}, ui.Column{Label: "Created", Sort: "time"}, ui.Column{Label: "Last used", Sort: "time"},
		ui.Column{Label: "Expires", Sort: "time"}, ui.Column{Label: "Status", Sort: "text"}, ui.Column{Label: "Manage"})
	for _, tok := range page.Tokens {
		row := ui.Row{Cells: []ui.Value{ui.Text(tok.Name)}}
		if page.ShowOwner {
			row.Cells = append(row.Cells, ui.Linked(page.Owners[tok.UserID], fmt.Sprintf("/users/%d", tok.UserID)))
		}
		status := ui.Badged("Active", ui.Success)
		switch {
		case tok.RevokedAt != nil:
			status = ui.Value{Badges: []ui.Badge{{Text: "Revoked", Tone: ui.Danger}}, Note: rq.T("on %s", rq.L.Date(*tok.RevokedAt))}
		case !tok.Active(page.Now):
			status = ui.Badged("Expired", ui.Warning)
		}
		row.Cells = append(row.Cells, ui.Value{Text: tok.Prefix + "…", Code: true}, ui.At(tok.CreatedAt),
			timeOr(tok.LastUsedAt, "never"), timeOr(tok.ExpiresAt, "never"), status, revokeAction(rq, tok))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// revokeAction is a token's revoke button, nothing once it is revoked.
func revokeAction(rq *Request, tok account.Token) ui.Value {
	if tok.RevokedAt != nil {
		return ui.Value{Empty: " "}
	}
	return ui.Value{Actions: []ui.Action{{Label: "Revoke", Name: rq.T("Revoke token %s", tok.Name), Icon: "x", Style: ui.Destructive, CSRF: rq.Base.CSRF,
		Post: fmt.Sprintf("/tokens/%d/revoke", tok.ID), Hidden: []ui.Hidden{{Name: "version", Value: fmt.Sprint(tok.Version)}},
		Confirm: &ui.Confirm{Title: rq.T("Revoke token %s?", tok.Name), Text: "Scripts and integrations using it are refused from now on, as are tokens made with it. This cannot be undone; create a new token if you need one again.", Button: "Revoke token"}}}}
}

// timeOr shows a time, or what its absence means.
func timeOr(t *time.Time, none string) ui.Value {
	if t == nil {
		return ui.Value{Empty: none}
	}
	return ui.At(*t)
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
