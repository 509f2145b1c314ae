package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// AuditPage browses the trail with filters.
type AuditPage struct {
	Base
	Entries  []audit.Entry
	Next     string
	Entity   string
	EntityID string
	ActorID  string
	Action   string
	From     string
	To       string
	Error    string
	Entities []string
}

// VerifyPage shows the result of walking the chain.
type VerifyPage struct {
	Base
	Result store.VerifyResult
}

func parseDay(s string) (*time.Time, bool) {
	if s == "" {
		return nil, true
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, false
	}
	return &t, true
}

func (p *Pages) auditList(w http.ResponseWriter, r *http.Request, rq *Request) error {
	q := r.URL.Query()
	page := AuditPage{Base: rq.Base, Entity: q.Get("entity"), EntityID: q.Get("entity_id"), ActorID: q.Get("actor_id"), Action: q.Get("action"),
		From: q.Get("from"), To: q.Get("to"), Entities: p.app.Kinds().Entities()}
	page.Title = "Audit trail"
	f := store.AuditFilter{Entity: page.Entity, Action: audit.Action(page.Action), Cursor: q.Get("cursor")}
	var c errs.Checker
	if page.EntityID != "" {
		n, err := strconv.ParseInt(page.EntityID, 10, 64)
		c.Check(err == nil && n > 0, "entity_id", "must be a record number")
		f.EntityID = n
	}
	if page.ActorID != "" {
		n, err := strconv.ParseInt(page.ActorID, 10, 64)
		c.Check(err == nil && n >= 0, "actor_id", "must be a user number")
		f.ActorID = n
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
		page.Entries, page.Next, err = p.app.ListAudit(r.Context(), rq.Auth.Actor, f)
	}
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			return err
		}
		page.Error = err.Error()
		return p.Render(w, r, http.StatusUnprocessableEntity, "audit", page)
	}
	return p.Render(w, r, http.StatusOK, "audit", page)
}

func (p *Pages) auditVerify(w http.ResponseWriter, r *http.Request, rq *Request) error {
	res, err := p.app.VerifyAudit(r.Context(), rq.Auth.Actor)
	if err != nil {
		return err
	}
	page := VerifyPage{Base: rq.Base, Result: res}
	page.Title = "Audit trail verification"
	return p.Render(w, r, http.StatusOK, "audit_verify", page)
}

// historyLength is how many of a record's newest audit entries its page shows.
const historyLength = 50

// recordHistory is the newest part of a record's audit trail for its page,
// as people read it (see history.go); empty, not an error, for an actor
// who may see the record but not the trail.
func (p *Pages) RecordHistory(ctx context.Context, actor access.Actor, entity string, id int64) ([]HistoryEntry, error) {
	h, _, err := p.app.History(ctx, actor, entity, id, "", historyLength)
	if errs.Is(err, errs.Forbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return p.historyReader(actor).read(ctx, entity, h)
}
