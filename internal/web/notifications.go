package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// notificationPages are one's notifications: the list (the bell's page),
// opening one (its record's page), marking one or all read.
func (p *Pages) notificationPages(mux guard.Registrar) {
	k := account.NotificationKind
	p.Handle(mux, "GET /"+k.Path(), k.Read, p.notificationsList)
	p.Handle(mux, "GET /"+k.Path()+"/{id}", k.Read, p.notificationOpen)
	p.Handle(mux, "POST /"+k.Path()+"/{id}/read", k.Write, p.notificationMark)
	p.Handle(mux, "POST /"+k.Path()+"/read-all", k.Write, p.notificationsReadAll)
}

// topicTones colour the topics: what is late stands out.
var topicTones = map[string]ui.Tone{"overdue": ui.Danger, "due_soon": ui.Warning, "evidence_expiring": ui.Warning, "review_due": ui.Warning}

func (p *Pages) notificationsList(w http.ResponseWriter, r *http.Request, rq *Request) error {
	unread := r.URL.Query().Get("show") == "unread"
	f := store.NotificationFilter{Unread: unread, Cursor: r.URL.Query().Get("cursor"), Limit: store.DefaultLimit}
	list, next, err := p.app.ListNotifications(r.Context(), rq.Auth.Actor, f)
	if err != nil {
		return err
	}
	page := ListPage{Base: rq.Base}
	page.Title, page.Crumbs = "Notifications", []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Subtitle = "What needs you: actions given to you, falling due or overdue, documents to read and acknowledge, evidence of yours to review. Conform checks every few minutes and tells you of each once."
	if rq.Base.Unread > 0 {
		page.Actions = []ui.Action{{Label: "Mark all read", Icon: "check", Style: ui.Primary, Post: "/" + account.NotificationKind.Path() + "/read-all", CSRF: rq.Base.CSRF}}
	}
	page.Filter = ui.Filter{Action: "/" + account.NotificationKind.Path(), Target: "records", Fields: []ui.Field{
		{Name: "show", Label: "Show", Type: "select", Options: []ui.Option{{Value: "", Label: "All", Selected: !unread}, {Value: "unread", Label: "Unread", Selected: unread}}},
	}}
	t := ui.Table{Caption: "Notifications", Empty: ui.Empty{Icon: "bell", Title: "Nothing needs you",
		Text: "You are told here when an action is given to you, falls due or is overdue, when a document asks you to read and acknowledge it, and when evidence you own is due for review."}}
	if unread {
		t.Empty = ui.Empty{Icon: "circle-check", Title: "All read", Text: "Every notification has been read. Clear the filter to see them all."}
	}
	t.Columns = []ui.Column{{Label: "About", Key: true}, {Label: "Topic"}, {Label: "Received", Sort: "time"}, {Label: "Status"}, {Label: "Manage"}}
	labels := topicLabels()
	for _, n := range list {
		status, verb, read := ui.Badged("Unread", ui.Info), "Mark read", true
		if n.ReadAt != nil {
			status, verb, read = ui.Value{Text: rq.T("Read")}, "Mark unread", false
		}
		about := ui.Linked(n.Title, fmt.Sprintf("/%s/%d", account.NotificationKind.Path(), n.ID))
		if k, ok := p.app.Kinds().Get(n.Entity); ok {
			about.Note = rq.L.Lookup(k.Label) + " " + k.Number(n.EntityID)
		}
		row := ui.Row{Cells: []ui.Value{about, ui.Badged(labels[n.Topic], topicTones[n.Topic]), ui.At(n.CreatedAt), status,
			{Actions: []ui.Action{{Label: verb, Name: rq.T("%s: %s", rq.T(verb), n.Title), Icon: "check", CSRF: rq.Base.CSRF,
				Post:   fmt.Sprintf("/%s/%d/read", account.NotificationKind.Path(), n.ID),
				Hidden: []ui.Hidden{{Name: "version", Value: fmt.Sprint(n.Version)}, {Name: "read", Value: strconv.FormatBool(read)}}}}}}}
		t.Rows = append(t.Rows, row)
	}
	if next != "" || f.Cursor != "" {
		if next != "" {
			t.Pager.Next = "?" + pagerQuery(unread, next)
		}
		if f.Cursor != "" {
			t.Pager.First = "/" + account.NotificationKind.Path()
			if unread {
				t.Pager.First += "?show=unread"
			}
		}
	}
	page.Table = t
	return p.Render(w, r, http.StatusOK, "list", page)
}

func pagerQuery(unread bool, cursor string) string {
	q := "cursor=" + cursor
	if unread {
		q = "show=unread&" + q
	}
	return q
}

func topicLabels() map[string]string {
	m := map[string]string{}
	for _, t := range account.Topics {
		m[t.Code] = t.Label
	}
	return m
}

// notificationOpen goes to the record a notification is about (marking
// it read is a POST of its own: a GET changes nothing).
func (p *Pages) notificationOpen(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	n, err := p.app.GetNotification(r.Context(), rq.Auth.Actor, id)
	if err != nil {
		return err
	}
	to := "/" + account.NotificationKind.Path()
	if k, ok := p.app.Kinds().Get(n.Entity); ok && p.hasRecordPage(k) {
		to = fmt.Sprintf("/%s/%d", k.Path(), n.EntityID)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (p *Pages) notificationMark(w http.ResponseWriter, r *http.Request, rq *Request) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	read, _ := strconv.ParseBool(r.PostFormValue("read"))
	if _, err := p.app.MarkNotification(r.Context(), rq.Auth.Actor, id, FormInt(r, "version"), read); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+account.NotificationKind.Path()+"?done=saved", http.StatusSeeOther)
	return nil
}

func (p *Pages) notificationsReadAll(w http.ResponseWriter, r *http.Request, rq *Request) error {
	if _, err := p.app.MarkAllNotificationsRead(r.Context(), rq.Auth.Actor); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+account.NotificationKind.Path()+"?done=saved", http.StatusSeeOther)
	return nil
}
