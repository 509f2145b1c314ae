package web

import (
	"net/http"

	"github.com/conform-itsm/conform/internal/account"
)

// themeChange answers the colour scheme choice in the user's menu: it
// saves the choice and goes back to the page it was made on.
func (p *Pages) themeChange(w http.ResponseWriter, r *http.Request, rq *Request) error {
	theme := r.PostFormValue("theme")
	_, err := p.app.SetPreferences(r.Context(), rq.Auth.Actor, 0, account.PreferencesUpdate{Theme: &theme})
	if err != nil {
		return err
	}
	http.Redirect(w, r, sameSiteReferer(r), http.StatusSeeOther)
	return nil
}

// preferencesChange saves the preferences form of the account page.
func (p *Pages) preferencesChange(w http.ResponseWriter, r *http.Request, rq *Request) error {
	theme, lang, tz := r.PostFormValue("theme"), r.PostFormValue("language"), r.PostFormValue("time_zone")
	_, err := p.app.SetPreferences(r.Context(), rq.Auth.Actor, FormInt(r, "version"), account.PreferencesUpdate{Theme: &theme, Language: &lang, TimeZone: &tz})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=saved#preferences", http.StatusSeeOther)
	return nil
}
