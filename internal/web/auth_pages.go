package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"net/http"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/conform-itsm/conform/internal/app"
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
	// ShowCode offers the one-time code field: the account is being slowed
	// down, and a password with a second factor still gets in.
	ShowCode bool
}

// LoginMFAPage is the second step of signing in: a code from the user's
// authenticator app, or setting one up first.
type LoginMFAPage struct {
	Base
	Email   string
	Setup   bool
	Secret  string       // to type into the app, when setting up
	QR      template.URL // the same as a QR code (a PNG data: URI)
	Expires time.Time
	Error   string
	Fields  FieldErrors
}

// RecoveryCodesPage shows new recovery codes, once.
type RecoveryCodesPage struct {
	Base
	Codes []string
	Next  string
}

// The sign-in form's CSRF token lives in a cookie of its own, since there
// is no session yet; the form echoes it. A sign-in waiting for its second
// step is bound to the browser by another cookie. Each takes the __Host-
// prefix when sent over TLS only, as the session cookie does.
const (
	LoginCSRFCookie       = "conform_login"
	SecureLoginCSRFCookie = "__Host-conform_login"
	PendingCookie         = "conform_signin"
	SecurePendingCookie   = "__Host-conform_signin"
	loginCSRFLifetime     = 2 * time.Hour
)

func (p *Pages) secure(r *http.Request) bool { return p.cfg.SecureCookies || r.TLS != nil }

func authCookie(name, secureName, value string, maxAge int, secure bool) *http.Cookie {
	if secure {
		name = secureName
	}
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
}

func cookieValue(r *http.Request, names ...string) string {
	for _, n := range names {
		if c, err := r.Cookie(n); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

func validLoginToken(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// loginToken returns the browser's sign-in CSRF token, making (and
// setting) a new one if it has none or renew is set.
func (p *Pages) loginToken(w http.ResponseWriter, r *http.Request, renew bool) (string, error) {
	if tok := cookieValue(r, SecureLoginCSRFCookie, LoginCSRFCookie); !renew && validLoginToken(tok) {
		return tok, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b)
	http.SetCookie(w, authCookie(LoginCSRFCookie, SecureLoginCSRFCookie, tok, int(loginCSRFLifetime.Seconds()), p.secure(r)))
	return tok, nil
}

// loginTokenOK reports whether a sign-in form echoes the token in the
// browser's cookie.
func loginTokenOK(r *http.Request) bool {
	want := cookieValue(r, SecureLoginCSRFCookie, LoginCSRFCookie)
	got := r.PostFormValue("_csrf")
	return validLoginToken(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
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
	tok, err := p.loginToken(w, r, false)
	if err != nil {
		return err
	}
	page := LoginPage{Base: rq.Base, Next: safeNext(r.URL.Query().Get("next"))}
	page.Title, page.CSRF = "Sign in", tok
	return p.Render(w, r, http.StatusOK, "login", page)
}

func (p *Pages) login(w http.ResponseWriter, r *http.Request, rq *Request) error {
	email, next := r.PostFormValue("email"), safeNext(r.PostFormValue("next"))
	page := LoginPage{Base: rq.Base, Email: email, Next: next, Fields: FieldErrors{}}
	page.Title = "Sign in"
	if !loginTokenOK(r) {
		// Signs nobody in, and says so; the form comes back with a new
		// token, so a person whose form had expired can go on.
		tok, err := p.loginToken(w, r, true)
		if err != nil {
			return err
		}
		page.CSRF = tok
		page.Error = "This sign-in form has expired or did not come from Conform, so nobody was signed in. Sign in again with this form."
		return p.Render(w, r, http.StatusForbidden, "login", page)
	}
	page.CSRF = r.PostFormValue("_csrf")
	res, err := p.app.SignIn(r.Context(), app.SignInInput{Email: email, Password: r.PostFormValue("password"), Code: r.PostFormValue("code"),
		Next: next, RemoteAddr: clientAddr(r.Context()), UserAgent: r.UserAgent()})
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid:
			page.Fields, page.Error, _ = formErrors(err)
		case errs.RateLimited:
			page.Error = guard.PublicMessage(err) + ". If you sign in with a second factor, you can sign in now with your password and a code from your app."
			page.ShowCode = true
			guard.RetryAfter(w, err)
		case errs.Unauthenticated:
			page.Error = guard.PublicMessage(err)
			page.ShowCode = r.PostFormValue("code") != ""
		default:
			return err
		}
		return p.Render(w, r, guard.Status(err), "login", page)
	}
	secure := p.secure(r)
	if res.Pending != "" {
		maxAge := int(time.Until(res.PendingExpires).Seconds())
		http.SetCookie(w, authCookie(PendingCookie, SecurePendingCookie, res.Pending, max(maxAge, 60), secure))
		http.Redirect(w, r, "/login/mfa", http.StatusSeeOther)
		return nil
	}
	p.startSession(w, r, res)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// startSession sets the cookie of a session just opened.
func (p *Pages) startSession(w http.ResponseWriter, r *http.Request, res app.SignInResult) {
	s := res.Session
	maxAge := int(s.ExpiresAt.Sub(s.CreatedAt).Seconds())
	http.SetCookie(w, sessionCookie(res.Secret, maxAge, p.secure(r)))
}

func clearPending(w http.ResponseWriter, r *http.Request) {
	for _, name := range []string{SecurePendingCookie, PendingCookie} {
		if _, err := r.Cookie(name); err == nil {
			http.SetCookie(w, authCookie(PendingCookie, SecurePendingCookie, "", -1, name == SecurePendingCookie))
		}
	}
}

// qrDataURI draws content as a QR code, a PNG in a data: URI.
func qrDataURI(content string) (template.URL, error) {
	png, err := qrcode.Encode(content, qrcode.Medium, 256)
	if err != nil {
		return "", err
	}
	// The URI is made here from an encoded PNG, never from input.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// loginMFAPage is the second step's page for the pending sign-in ps.
func (p *Pages) loginMFAPage(rq *Request, ps app.PendingSignIn) (LoginMFAPage, error) {
	page := LoginMFAPage{Base: rq.Base, Email: ps.Email, Setup: ps.Setup, Expires: ps.ExpiresAt, Fields: FieldErrors{}}
	page.CSRF = ps.CSRF
	page.Title = "Enter your code"
	if ps.Setup {
		page.Title = "Set up two-factor sign-in"
		page.Secret = ps.Offer.Secret
		qr, err := qrDataURI(ps.Offer.URI)
		if err != nil {
			return page, err
		}
		page.QR = qr
	}
	return page, nil
}

// pendingOrRestart reads the browser's pending sign-in; when there is none
// (expired, finished, never started) it sends the browser to sign in again.
func (p *Pages) pendingOrRestart(w http.ResponseWriter, r *http.Request) (app.PendingSignIn, string, bool, error) {
	secret := cookieValue(r, SecurePendingCookie, PendingCookie)
	ps, err := p.app.GetPendingSignIn(r.Context(), secret)
	if errs.CodeOf(err) == errs.Unauthenticated {
		clearPending(w, r)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return ps, "", false, nil
	}
	return ps, secret, err == nil, err
}

func (p *Pages) loginMFAForm(w http.ResponseWriter, r *http.Request, rq *Request) error {
	if rq.Base.SignedIn {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	ps, _, ok, err := p.pendingOrRestart(w, r)
	if !ok {
		return err
	}
	page, err := p.loginMFAPage(rq, ps)
	if err != nil {
		return err
	}
	return p.Render(w, r, http.StatusOK, "login_mfa", page)
}

func (p *Pages) loginMFA(w http.ResponseWriter, r *http.Request, rq *Request) error {
	ps, secret, ok, err := p.pendingOrRestart(w, r)
	if !ok {
		return err
	}
	page, err := p.loginMFAPage(rq, ps)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("_csrf")), []byte(ps.CSRF)) != 1 {
		page.Error = "This form has expired or did not come from Conform, so nobody was signed in. Enter the code again."
		return p.Render(w, r, http.StatusForbidden, "login_mfa", page)
	}
	if r.PostFormValue("cancel") != "" {
		if err := p.app.CancelSignIn(r.Context(), secret); err != nil {
			return err
		}
		clearPending(w, r)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	res, err := p.app.FinishSignIn(r.Context(), secret, r.PostFormValue("code"))
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid:
			page.Fields, page.Error, _ = formErrors(err)
		case errs.RateLimited:
			page.Error = guard.PublicMessage(err)
			guard.RetryAfter(w, err)
		case errs.Unauthenticated:
			clearPending(w, r)
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return nil
		default:
			return err
		}
		return p.Render(w, r, guard.Status(err), "login_mfa", page)
	}
	clearPending(w, r)
	p.startSession(w, r, res)
	next := safeNext(res.Next)
	if len(res.RecoveryCodes) > 0 {
		codes := RecoveryCodesPage{Base: rq.Base, Codes: res.RecoveryCodes, Next: next}
		codes.Title = "Your recovery codes"
		return p.Render(w, r, http.StatusOK, "mfa_codes", codes)
	}
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
