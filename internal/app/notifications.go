package app

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// notifications are each person's own: nobody reads or marks another's.
var notifications = Scope[account.Notification]{Kind: account.NotificationKind, Owner: func(n account.Notification) int64 { return n.UserID }}

// Reminder finds, at now, the notices an area wants sent: actions falling
// due, documents to acknowledge. It may return notices sent before: each
// key is sent once.
type Reminder func(ctx context.Context, now time.Time) ([]account.Notice, error)

// ListNotifications lists the actor's own notifications, the newest first.
func (a *App) ListNotifications(ctx context.Context, actor access.Actor, f store.NotificationFilter) ([]account.Notification, string, error) {
	if err := notifications.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	f.UserID = actor.UserID
	if f.UserID == 0 {
		return nil, "", nil
	}
	return a.db.ListNotifications(ctx, f)
}

// UnreadNotifications counts the actor's unread notifications (0 for
// callers who are no person).
func (a *App) UnreadNotifications(ctx context.Context, actor access.Actor) (int, error) {
	if actor.UserID == 0 {
		return 0, nil
	}
	return a.db.CountUnreadNotifications(ctx, actor.UserID)
}

// GetNotification reads one of the actor's notifications.
func (a *App) GetNotification(ctx context.Context, actor access.Actor, id int64) (account.Notification, error) {
	return notifications.Get(ctx, actor, id, a.db.GetNotification)
}

// MarkNotification marks one of the actor's notifications read or unread,
// read at version (0: any). Marking it as it already is changes nothing.
func (a *App) MarkNotification(ctx context.Context, actor access.Actor, id, version int64, read bool) (account.Notification, error) {
	return Change(ctx, a, actor, notifications.Kind.Write, "mark notifications", nil, func(tx *store.Tx) (account.Notification, error) {
		return tx.UpdateNotification(ctx, actor, id, version, notifications.GuardChange(actor, id, func(n *account.Notification) error {
			switch {
			case read && n.ReadAt == nil:
				t := a.db.Now()
				n.ReadAt = &t
			case !read:
				n.ReadAt = nil
			}
			return nil
		}))
	})
}

// MarkAllNotificationsRead marks every unread notification of the actor's
// read, and says how many.
func (a *App) MarkAllNotificationsRead(ctx context.Context, actor access.Actor) (int, error) {
	return Change(ctx, a, actor, notifications.Kind.Write, "mark notifications", nil, func(tx *store.Tx) (int, error) {
		ids, err := tx.UnreadNotificationIDs(ctx, actor.UserID)
		if err != nil {
			return 0, err
		}
		now := a.db.Now()
		for _, id := range ids {
			if _, err := tx.UpdateNotification(ctx, actor, id, 0, func(n *account.Notification) error {
				n.ReadAt = &now
				return nil
			}); err != nil {
				return 0, err
			}
		}
		return len(ids), nil
	})
}

// SendReminders asks every area's reminders for their notices and sends
// those not sent before, each once (a user never gets two notifications
// with one key), as the system. It answers how many it sent. A reminder
// that fails is logged and the others still run.
func (a *App) SendReminders(ctx context.Context) (int, error) {
	now := a.db.Now()
	sent := 0
	var firstErr error
	for _, name := range slices.Sorted(maps.Keys(a.reminders)) {
		notices, err := a.reminders[name](ctx, now)
		if err != nil {
			a.log.Error("reminder", "reminder", name, "err", err)
			firstErr = cmpOr(firstErr, err)
			continue
		}
		before, err := a.db.SentKeys(ctx, notices)
		if err != nil {
			return sent, err
		}
		for _, n := range notices {
			if before[store.SentKey(n.UserID, n.Key)] {
				continue
			}
			if err := n.Validate(); err != nil {
				a.log.Error("reminder", "reminder", name, "err", err)
				firstErr = cmpOr(firstErr, err)
				continue
			}
			made, err := a.send(ctx, n)
			if err != nil {
				return sent, err
			}
			if made {
				sent++
			}
		}
	}
	return sent, firstErr
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// send makes one notice's notification unless its user already has it.
// Two instances racing on one notice: the unique key lets one insert
// through; the other's transaction fails on it and finds it sent.
func (a *App) send(ctx context.Context, n account.Notice) (bool, error) {
	made := false
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		made = false
		if sent, err := tx.NotificationSent(ctx, n.UserID, n.Key); err != nil || sent {
			return err
		}
		made = true
		return tx.CreateNotification(ctx, access.System, &account.Notification{UserID: n.UserID, Topic: n.Topic, Entity: n.Entity, EntityID: n.EntityID, Title: n.Title, Key: n.Key})
	})
	if errs.Is(err, errs.Conflict) || errs.Is(err, errs.Invalid) {
		// Sent meanwhile by another instance (the key's unique index), or
		// to a user deleted meanwhile (the foreign key): nothing to send.
		return false, nil
	}
	return made, err
}
