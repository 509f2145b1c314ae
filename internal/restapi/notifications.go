package restapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// Notification tells its user of something that needs them.
type Notification struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Topic     string     `json:"topic" enum:"assigned,due_soon,overdue,acknowledge,evidence_expiring,review_due" doc:"What about the record needs them."`
	Entity    string     `json:"entity" doc:"The kind of the record it is about, as in the audit trail (action, document ...)."`
	EntityID  int64      `json:"entity_id" doc:"The record's id."`
	Title     string     `json:"title" doc:"The record as it read when the notification was made."`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty" doc:"When its user marked it read; absent while unread."`
	Version   int64      `json:"version"`
}

func notificationOut(n account.Notification) Notification {
	return Notification{ID: n.ID, UserID: n.UserID, Topic: n.Topic, Entity: n.Entity, EntityID: n.EntityID, Title: n.Title, CreatedAt: n.CreatedAt,
		ReadAt: n.ReadAt, Version: n.Version}
}

type notificationListIn struct {
	PageParams
	Unread bool `query:"unread" doc:"Only those not yet read."`
}

type notificationPatchIn struct {
	IDParam
	IfMatch
	Body struct {
		Read bool `json:"read" doc:"true marks it read, false unread again."`
	}
}

// ReadAll answers marking every notification read.
type ReadAll struct {
	Marked int `json:"marked" doc:"How many were unread and are now read."`
}

func (api *API) registerNotifications() {
	k := account.NotificationKind
	RegisterList(api, k, "The caller's own notifications, the newest first: actions given to them, falling due or overdue, documents to acknowledge, evidence to review. Reminders make them every few minutes; each is made once.",
		func(ctx context.Context, actor access.Actor, in *notificationListIn) ([]account.Notification, string, error) {
			return api.app.ListNotifications(ctx, actor, store.NotificationFilter{Unread: in.Unread, Cursor: in.Cursor, Limit: in.Limit})
		}, notificationOut)
	RegisterGet(api, k, api.app.GetNotification, notificationOut)
	RegisterUpdate(api, k, "Marks it read or unread.", func(ctx context.Context, actor access.Actor, in *notificationPatchIn, version int64) (account.Notification, error) {
		return api.app.MarkNotification(ctx, actor, in.ID, version, in.Body.Read)
	}, notificationOut)
	Register(api, k.Write, huma.Operation{OperationID: "read-all-notifications", Method: http.MethodPost, Path: KindPath(k) + "/read-all", Tags: []string{k.Plural},
		Summary: "Mark every notification read", Description: "Marks all of the caller's unread notifications read and says how many."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body ReadAll }, error) {
			n, err := api.app.MarkAllNotificationsRead(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &struct{ Body ReadAll }{ReadAll{Marked: n}}, nil
		})
	api.RegisterHistory(k)
}
