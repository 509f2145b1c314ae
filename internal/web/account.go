package web

import (
	"github.com/conform-itsm/conform/internal/web/ui"
	"net/http"
	"strings"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
)

// AccountPage shows the signed-in user's account, where they are signed
// in, and the password form.
type AccountPage struct {
	Base
	U        account.User
	Sessions []SessionRow
	Error    string
	Fields   FieldErrors
	// MFA is the user's two-factor sign-in; MFAForm names the MFA form
	// whose errors Error and Fields are ("disable", "codes"), "" for the
	// password form.
	MFA     app.MFAStatus
	MFAForm string
	// MFARoles are the roles to choose from for who must sign in with a
	// second factor; only administrators get them.
	MFARoles []MFARoleChoice
	Done     string // what was just done, from the address's done=
	// Themes and Languages are the preferences' choices; TimeZones the
	// names offered while typing one.
	Themes    []struct{ Code, Label string }
	Languages []struct{ Code, Label string }
	TimeZones []string
}

// commonTimeZones are offered as the time zone is typed; any IANA name
// is accepted.
var commonTimeZones = []string{"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Vienna",
	"Europe/Zurich", "Europe/Amsterdam", "Europe/Brussels", "Europe/Madrid", "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw",
	"Europe/Athens", "Europe/Helsinki", "Europe/Istanbul", "America/New_York", "America/Chicago", "America/Denver",
	"America/Los_Angeles", "America/Toronto", "America/Sao_Paulo", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
	"Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "Africa/Johannesburg"}

// SessionRow is one place the user is signed in.
type SessionRow struct {
	account.Session
	Browser string // the browser and system, as people name them
	Current bool   // the browser showing the page
}

// browserName names a browser from its User-Agent, "Firefox 128 on
// Windows", or "" when it cannot tell.
func browserName(ua string) string {
	return browserNameIn(ua, func(b, s string) string { return b + " on " + s })
}

// browserNameIn is browserName with "browser on system" written by on,
// in the reader's language.
func browserNameIn(ua string, on func(browser, system string) string) string {
	system := ""
	for _, s := range []struct{ mark, name string }{
		{"Windows", "Windows"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Android", "Android"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.mark) {
			system = s.name
			break
		}
	}
	browser := ""
	for _, b := range []struct{ mark, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"HeadlessChrome/", "Chrome (headless)"},
		{"Chrome/", "Chrome"}, {"CriOS/", "Chrome"}, {"Version/", "Safari"},
	} {
		if i := strings.Index(ua, b.mark); i >= 0 {
			v := ua[i+len(b.mark):]
			if j := strings.IndexAny(v, ". "); j >= 0 {
				v = v[:j]
			}
			browser = b.name + " " + v
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return on(browser, system)
	case browser != "":
		return browser
	}
	return system
}

func (p *Pages) accountPage(r *http.Request, rq *Request) (AccountPage, error) {
	ctx, actor := r.Context(), rq.Auth.Actor
	u, err := p.app.GetUser(ctx, actor, actor.UserID)
	page := AccountPage{Base: rq.Base, U: u, Fields: FieldErrors{}}
	page.Title = "Your account"
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Themes, page.Languages, page.TimeZones = account.Themes, account.Languages, commonTimeZones
	if err != nil {
		return page, err
	}
	if page.MFA, err = p.app.MFAStatus(ctx, actor); err != nil {
		return page, err
	}
	if page.MFARoles, err = p.mfaRoleChoices(r, actor); err != nil {
		return page, err
	}
	page.Done = accountDone[r.URL.Query().Get("done")]
	ss, err := p.app.ListSessions(ctx, actor)
	for _, s := range ss {
		page.Sessions = append(page.Sessions, SessionRow{Session: s, Browser: browserNameIn(s.UserAgent, func(b, sys string) string { return rq.T("%s on %s", b, sys) }), Current: rq.Auth.Session != nil && rq.Auth.Session.ID == s.ID})
	}
	return page, err
}

// endSession signs the user out of one of their sessions.
func (p *Pages) endSession(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	err = p.app.EndSession(r.Context(), rq.Auth.Actor, id, FormInt(r, "version"))
	next := "/account?done=session"
	if rq.Auth.Session != nil && rq.Auth.Session.ID == id {
		next = "/login" // this very browser
	}
	return FormDone(w, r, err, next, func(status int, msg string, _ FieldErrors) error {
		page, perr := p.accountPage(r, rq)
		if perr != nil {
			return perr
		}
		page.Error = msg
		return p.Render(w, r, status, "account", page)
	})
}

// endOtherSessions signs the user out everywhere but this browser.
func (p *Pages) endOtherSessions(w http.ResponseWriter, r *http.Request, rq *Request) error {
	var keep int64
	if rq.Auth.Session != nil {
		keep = rq.Auth.Session.ID
	}
	_, err := p.app.EndOtherSessions(r.Context(), rq.Auth.Actor, keep)
	return FormDone(w, r, err, "/account?done=sessions", func(int, string, FieldErrors) error { return err })
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
