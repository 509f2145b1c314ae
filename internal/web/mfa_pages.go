package web

import (
	"github.com/conform-itsm/conform/internal/web/ui"
	"net/http"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
)

// MFASetupPage sets two-factor sign-in up from the account page.
type MFASetupPage struct {
	LoginMFAPage
}

// MFARoleChoice is one role in the choice of who must sign in with a
// second factor.
type MFARoleChoice struct {
	Role     access.Role
	Label    string
	Required bool
	Fixed    bool // administrators always must
}

// accountDone says what was just done on the account page.
var accountDone = map[string]string{
	"mfa-off":    "Two-factor sign-in is off. You sign in with your password alone.",
	"mfa-policy": "Saved. Users of the roles chosen set up a second factor at their next sign-in.",
}

// mfaRoleChoices lists the roles for the choice of who must sign in with
// a second factor, for those who may make it.
func (p *Pages) mfaRoleChoices(r *http.Request, actor access.Actor) ([]MFARoleChoice, error) {
	if !actor.Can(access.UsersWrite) {
		return nil, nil
	}
	required, err := p.app.MFARequiredRoles(r.Context())
	if err != nil {
		return nil, err
	}
	var out []MFARoleChoice
	for _, role := range access.Roles {
		c := MFARoleChoice{Role: role, Label: role.Label(), Fixed: role == access.Admin}
		for _, q := range required {
			c.Required = c.Required || q == role
		}
		out = append(out, c)
	}
	return out, nil
}

// mfaSetup shows a new key to set two-factor sign-in up with.
func (p *Pages) mfaSetup(w http.ResponseWriter, r *http.Request, rq *Request) error {
	offer, err := p.app.OfferMFA(r.Context(), rq.Auth.Actor)
	if errs.CodeOf(err) == errs.Conflict {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	page := MFASetupPage{LoginMFAPage{Base: rq.Base, Secret: offer.Secret, Fields: FieldErrors{}}}
	page.Title = "Set up two-factor sign-in"
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: "Your account", Href: "/account"}}
	if page.QR, err = qrDataURI(offer.URI); err != nil {
		return err
	}
	return p.Render(w, r, http.StatusOK, "mfa_setup", page)
}

// mfaEnable switches two-factor sign-in on with the first code, and shows
// the recovery codes once.
func (p *Pages) mfaEnable(w http.ResponseWriter, r *http.Request, rq *Request) error {
	codes, err := p.app.EnableMFA(r.Context(), rq.Auth.Actor, r.PostFormValue("code"))
	if err == nil {
		page := RecoveryCodesPage{Base: rq.Base, Codes: codes, Next: "/account"}
		page.Title = "Your recovery codes"
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: "Your account", Href: "/account"}}
		return p.Render(w, r, http.StatusOK, "mfa_codes", page)
	}
	code := errs.CodeOf(err)
	if code != errs.Invalid && code != errs.RateLimited {
		return err
	}
	offer, pending, oerr := p.app.PendingMFAOffer(r.Context(), rq.Auth.Actor)
	if oerr != nil {
		return oerr
	}
	if !pending {
		http.Redirect(w, r, "/account/mfa", http.StatusSeeOther)
		return nil
	}
	page := MFASetupPage{LoginMFAPage{Base: rq.Base, Secret: offer.Secret, Fields: FieldErrors{}}}
	page.Title = "Set up two-factor sign-in"
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: "Your account", Href: "/account"}}
	if page.QR, oerr = qrDataURI(offer.URI); oerr != nil {
		return oerr
	}
	if code == errs.RateLimited {
		page.Error = guard.PublicMessage(err)
		guard.RetryAfter(w, err)
	} else {
		page.Fields, page.Error, _ = formErrors(err)
	}
	return p.Render(w, r, guard.Status(err), "mfa_setup", page)
}

// accountAgain shows the account page again with an MFA form's error.
func (p *Pages) accountAgain(w http.ResponseWriter, r *http.Request, rq *Request, form string, err error) error {
	page, perr := p.accountPage(r, rq)
	if perr != nil {
		return perr
	}
	page.MFAForm = form
	if errs.CodeOf(err) == errs.RateLimited {
		page.Error = guard.PublicMessage(err)
		guard.RetryAfter(w, err)
	} else if fields, msg, ok := formErrors(err); ok {
		page.Error, page.Fields = msg, fields
	} else {
		return err
	}
	return p.Render(w, r, guard.Status(err), "account", page)
}

// mfaDisable switches two-factor sign-in off, with the password and a code.
func (p *Pages) mfaDisable(w http.ResponseWriter, r *http.Request, rq *Request) error {
	err := p.app.DisableMFA(r.Context(), rq.Auth.Actor, r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		return p.accountAgain(w, r, rq, "disable", err)
	}
	http.Redirect(w, r, "/account?done=mfa-off", http.StatusSeeOther)
	return nil
}

// mfaRecoveryCodes replaces the recovery codes, once a code is given.
func (p *Pages) mfaRecoveryCodes(w http.ResponseWriter, r *http.Request, rq *Request) error {
	codes, err := p.app.RegenerateRecoveryCodes(r.Context(), rq.Auth.Actor, r.PostFormValue("code"))
	if err != nil {
		return p.accountAgain(w, r, rq, "codes", err)
	}
	page := RecoveryCodesPage{Base: rq.Base, Codes: codes, Next: "/account"}
	page.Title = "Your new recovery codes"
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: "Your account", Href: "/account"}}
	return p.Render(w, r, http.StatusOK, "mfa_codes", page)
}

// mfaPolicy sets the roles that must sign in with a second factor.
func (p *Pages) mfaPolicy(w http.ResponseWriter, r *http.Request, rq *Request) error {
	var roles []access.Role
	for _, v := range r.PostForm["role"] {
		roles = append(roles, access.Role(v))
	}
	err := p.app.SetMFARequiredRoles(r.Context(), rq.Auth.Actor, roles)
	if err != nil {
		return p.accountAgain(w, r, rq, "policy", err)
	}
	http.Redirect(w, r, "/account?done=mfa-policy", http.StatusSeeOther)
	return nil
}
