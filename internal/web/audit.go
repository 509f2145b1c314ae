package web

import (
	"context"
	"github.com/conform-itsm/conform/internal/web/ui"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// AuditPage browses the trail with filters.
type AuditPage struct {
	Base
	Entries  []AuditRow
	Next     string
	Show     string // "changes" (record changes), "signins" (sign-ins and sign-outs) or "all"
	Entity   string
	EntityID string
	ActorID  string
	Action   string
	From     string
	To       string
	Error    string
	Kinds    []KindOption
	// User is the filter's user picker, which finds people by name.
	UserFilter ui.Field
}

// AuditRow is one entry of the trail with a link to its record.
type AuditRow struct {
	audit.Entry
	Record string // the record's kind and number, "Team TEAM-000005"
	Href   string // its page, if it has one and still exists
}

// KindOption is a kind in a filter's choices.
type KindOption struct{ Value, Label string }

// AuditEntryPage shows one entry with its place in the chain.
type AuditEntryPage struct {
	Base
	E AuditRow
}

// auditRow links an entry to its record.
func (p *Pages) auditRow(e audit.Entry) AuditRow {
	row := AuditRow{Entry: e, Record: e.Entity + " " + strconv.FormatInt(e.EntityID, 10)}
	if k, ok := p.app.Kinds().Get(e.Entity); ok {
		row.Record = k.Label + " " + k.Number(e.EntityID)
		if p.hasRecordPage(k) && e.Action != audit.Delete {
			row.Href = "/" + k.Path() + "/" + strconv.FormatInt(e.EntityID, 10)
		}
	}
	return row
}

// VerifyPage shows the result of walking the chain, and the public key
// and latest signed checkpoint for an auditor to keep.
type VerifyPage struct {
	Base
	Result      store.VerifyResult
	Checkpoints app.CheckpointStatus
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
	var err error
	q := r.URL.Query()
	page := AuditPage{Base: rq.Base, Show: q.Get("show"), Entity: q.Get("entity"), EntityID: q.Get("entity_id"), ActorID: q.Get("actor_id"), Action: q.Get("action"),
		From: q.Get("from"), To: q.Get("to")}
	for _, k := range p.app.Kinds().All() {
		page.Kinds = append(page.Kinds, KindOption{Value: k.Entity, Label: k.Label})
	}
	page.Title, page.Crumbs = "Audit trail", []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Subtitle = "Every change to every record: who, when, and each field before and after. Each entry's hash covers the previous one's, so an altered or removed entry breaks the chain (evidence for ISO/IEC 20000-1 clause 7.5.4). Sign-ins are kept apart from changes: choose them under Show."
	page.Actions = auditActions(rq)
	f := store.AuditFilter{Entity: page.Entity, Action: audit.Action(page.Action), Cursor: q.Get("cursor")}
	var c errs.Checker
	// Sign-ins and sign-outs are kept apart from the changes to records.
	session := account.SessionKind.Entity
	switch page.Show {
	case "", "changes":
		page.Show = "changes"
		if f.Entity == "" {
			f.NotEntity = session
		}
	case "signins":
		f.Entity = session
	case "all":
	default:
		c.Add("show", "must be changes, signins or all")
	}
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
	if page.UserFilter, err = p.auditUserField(r, rq, f.ActorID); err != nil {
		return err
	}
	err = c.Err()
	if err == nil {
		var es []audit.Entry
		es, page.Next, err = p.app.ListAudit(r.Context(), rq.Auth.Actor, f)
		for _, e := range es {
			page.Entries = append(page.Entries, p.auditRow(e))
		}
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

func (p *Pages) auditEntry(w http.ResponseWriter, r *http.Request, rq *Request) error {
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil || seq <= 0 {
		return errs.E(errs.NotFound, "no such audit entry: %q", r.PathValue("seq"))
	}
	e, err := p.app.GetAuditEntry(r.Context(), rq.Auth.Actor, seq)
	if err != nil {
		return err
	}
	page := AuditEntryPage{Base: rq.Base, E: p.auditRow(e)}
	page.Title = rq.T("Audit entry %d", seq)
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: "Audit trail", Href: "/audit"}}
	page.Actions = auditActions(rq)
	return p.Render(w, r, http.StatusOK, "audit_entry", page)
}

func (p *Pages) auditVerify(w http.ResponseWriter, r *http.Request, rq *Request) error {
	res, err := p.app.VerifyAudit(r.Context(), rq.Auth.Actor)
	if err != nil {
		return err
	}
	cps, err := p.app.CheckpointStatus(r.Context(), rq.Auth.Actor)
	if err != nil {
		return err
	}
	page := VerifyPage{Base: rq.Base, Result: res, Checkpoints: cps}
	page.Title = "Audit trail verification"
	page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: "Audit trail", Href: "/audit"}}
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

// auditActions are the audit pages' header actions.
func auditActions(rq *Request) []ui.Action {
	if !rq.Auth.Actor.Can(access.AuditVerify) {
		return nil
	}
	return []ui.Action{{Label: "Verify the chain", Icon: "shield-check", Href: "/audit/verify"}}
}

// auditUserField is the audit trail's user filter: a picker that finds
// people by name, "Anyone" when none is chosen.
func (p *Pages) auditUserField(r *http.Request, rq *Request, chosen int64) (ui.Field, error) {
	qq := r.URL.Query().Get("actor_id_q")
	opts, more, err := p.userChoices(r.Context(), rq.Auth.Actor, qq, chosen, "")
	if err != nil {
		return ui.Field{}, err
	}
	if chosen == 0 && len(opts) > 0 {
		opts[0].Label = anyone
	}
	u := url.Values{"field": {"actor_id"}, "none": {anyone}}
	return ui.Field{Name: "actor_id", Label: "User", Type: "picker", Options: opts,
		Picker: &ui.Picker{Query: "actor_id_q", Value: qq, URL: "/pickers/users?" + u.Encode(), Label: "Find a person", More: more}}, nil
}
