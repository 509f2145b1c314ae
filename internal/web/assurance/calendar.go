package assurance

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// calendarPath is the page of one's calendar address.
const calendarPath = "/calendar"

var calendarLink = web.Link{Label: "Calendar feed", Href: calendarPath, Icon: "calendar", Perm: access.SignedIn, Area: assurance.Area, Order: 90,
	Summary: "Your actions, the certification cycle and your documents' reviews in your own calendar application."}

// CertificationSectionsPage is a page of cards.
type CertificationSectionsPage struct {
	web.Base
	Sections []web.Section
}

// calendarPage shows the reader's calendar address: the one in force
// (never its secret again), a new one's address once, revoking and
// replacing it.
func calendarPage(c *assuranceapp.Catalogue, p *web.Pages, r *http.Request, rq *web.Request, secret string) (CertificationSectionsPage, error) {
	page := CertificationSectionsPage{Base: rq.Base}
	page.Title, page.Crumbs = "Calendar feed", []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Subtitle = "Subscribe to your calendar address in your calendar application (Outlook, Google Calendar, Apple Calendar, Thunderbird) to see your open actions' due days, the certification cycle's audits and your documents' reviews. The address is secret: anyone who has it sees these days and titles, so keep it to yourself and replace it if it leaks."
	toks, _, err := c.ListCalendarTokens(r.Context(), rq.Auth.Actor, store.CalendarTokenFilter{Limit: store.MaxLimit})
	if err != nil {
		return page, err
	}
	if secret != "" {
		addr := feedBase(r) + calendarPath + "/" + secret + ".ics"
		page.Sections = append(page.Sections, web.Section{Title: "Your new calendar address",
			Help:  "Copy it now into your calendar application's “subscribe” or “add from URL”; it will not be shown again.",
			Items: []ui.Item{{Label: "Address", Value: ui.Value{Text: addr, Code: true}}}})
	}
	s := web.Section{Title: "Your calendar address"}
	if len(toks) == 0 {
		s.Empty = &ui.Empty{Icon: "calendar", Title: "No calendar address yet", Text: "Make one, then subscribe to it in your calendar application."}
		s.Actions = []ui.Action{{Label: "Make a calendar address", Icon: "plus", Style: ui.Primary, Post: calendarPath, CSRF: rq.Base.CSRF}}
	}
	for _, t := range toks {
		s.Items = append(s.Items,
			ui.Item{Label: "Starts with", Value: ui.Value{Text: t.Prefix + "…", Code: true}},
			ui.Item{Label: "Made", Value: ui.At(t.CreatedAt)},
			ui.Item{Label: "Last used", Value: timeOrNever(t)},
			ui.Item{Label: "Uses", Value: ui.Text(fmt.Sprint(t.Uses))})
		s.Actions = append(s.Actions,
			ui.Action{Label: "Replace the address", Icon: "refresh", Post: calendarPath, CSRF: rq.Base.CSRF,
				Confirm: &ui.Confirm{Title: "Replace your calendar address?", Text: "The address in use stops working at once; subscribe to the new one in your calendar application.", Button: "Replace the address"}},
			ui.Action{Label: "Revoke", Icon: "x", Style: ui.Destructive, Post: fmt.Sprintf("%s/%d/revoke", calendarPath, t.ID), CSRF: rq.Base.CSRF,
				Hidden:  []ui.Hidden{{Name: "version", Value: fmt.Sprint(t.Version)}},
				Confirm: &ui.Confirm{Title: "Revoke your calendar address?", Text: "Calendars subscribed to it get nothing more from now on. You can make a new address later.", Button: "Revoke"}})
	}
	page.Sections = append(page.Sections, s)
	return page, nil
}

func timeOrNever(t assurance.CalendarToken) ui.Value {
	if t.LastUsedAt == nil {
		return ui.Value{Empty: "never"}
	}
	return ui.At(*t.LastUsedAt)
}

// feedBase is the installation's address as the browser reached it.
func feedBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// calendarRoutes are the calendar address's page, its making, revoking
// and the feed itself (no session: the secret is the key).
func calendarRoutes(p *web.Pages, c *assuranceapp.Catalogue, handle func(pattern string, perm access.Permission, h web.PageHandler)) {
	handle("GET "+calendarPath, access.SignedIn, func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		page, err := calendarPage(c, p, r, rq, "")
		if err != nil {
			return err
		}
		return p.Render(w, r, http.StatusOK, "assurance/certification_sections", page)
	})
	handle("POST "+calendarPath, access.SignedIn, func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		_, secret, err := c.CreateCalendarToken(r.Context(), rq.Auth.Actor)
		if err != nil {
			return err
		}
		page, err := calendarPage(c, p, r, rq, secret)
		if err != nil {
			return err
		}
		page.Flash = "Calendar address made."
		return p.Render(w, r, http.StatusCreated, "assurance/certification_sections", page)
	})
	handle("POST "+calendarPath+"/{id}/revoke", access.SignedIn, func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		if _, err := c.RevokeCalendarToken(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version")); err != nil {
			return err
		}
		http.Redirect(w, r, calendarPath+"?done=saved", http.StatusSeeOther)
		return nil
	})
	handle("GET "+calendarPath+"/{file}", access.Public, func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
		if !ok {
			return errs.E(errs.NotFound, "no such calendar")
		}
		ics, err := c.CalendarFeed(r.Context(), secret, feedBase(r))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Cache-Control", "private, no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		_, err = w.Write([]byte(ics))
		return err
	})
}
