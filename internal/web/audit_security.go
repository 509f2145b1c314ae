package web

import (
	"github.com/conform-itsm/conform/internal/web/ui"
	"net/http"
	"strconv"
	"time"

	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// SecurityEventsPage lists failed and throttled sign-ins, refusals and API
// token use, kept apart from the audit trail.
type SecurityEventsPage struct {
	Base
	Events []audit.SecurityEvent
	Next   string
	Kind   string
	UserID string
	From   string
	To     string
	Error  string
	Kinds  []KindOption
}

func (p *Pages) auditSecurity(w http.ResponseWriter, r *http.Request, rq *Request) error {
	q := r.URL.Query()
	page := SecurityEventsPage{Base: rq.Base, Kind: q.Get("kind"), UserID: q.Get("user_id"), From: q.Get("from"), To: q.Get("to")}
	page.Title = "Security events"
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: "Audit trail", Href: "/audit"}}
	page.Subtitle = "Failed and throttled sign-ins, refused requests and the use of API tokens (once per token every few minutes). They are not changes to records, so they are kept apart from the audit trail, outside its hash chain, and only for a set time."
	for _, k := range audit.SecurityKinds {
		page.Kinds = append(page.Kinds, KindOption{Value: string(k), Label: k.Label()})
	}
	f := store.SecurityEventFilter{Kind: audit.SecurityKind(page.Kind), Cursor: q.Get("cursor")}
	var c errs.Checker
	if page.UserID != "" {
		n, err := strconv.ParseInt(page.UserID, 10, 64)
		c.Check(err == nil && n > 0, "user_id", "must be a user number")
		f.UserID = n
	}
	from, ok := parseDay(page.From)
	c.Check(ok, "from", "must be a date such as 2026-01-31")
	to, ok := parseDay(page.To)
	c.Check(ok, "to", "must be a date such as 2026-01-31")
	if to != nil {
		end := to.Add(24 * time.Hour) // the whole "to" day
		to = &end
	}
	f.From, f.To = from, to
	err := c.Err()
	if err == nil {
		page.Events, page.Next, err = p.app.ListSecurityEvents(r.Context(), rq.Auth.Actor, f)
	}
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			return err
		}
		page.Error = err.Error()
		return p.Render(w, r, http.StatusUnprocessableEntity, "audit_security", page)
	}
	return p.Render(w, r, http.StatusOK, "audit_security", page)
}
