package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
)

// Notifications is the notifications table.
var Notifications = NewTable(TableDef[account.Notification]{
	Name: "notifications", Entity: account.NotificationKind.Entity,
	Columns: []Column[account.Notification]{
		Col("user_id", func(n *account.Notification) any { return &n.UserID }),
		Col("topic", func(n *account.Notification) any { return &n.Topic }),
		Col("entity", func(n *account.Notification) any { return &n.Entity }),
		Col("entity_id", func(n *account.Notification) any { return &n.EntityID }),
		Col("title", func(n *account.Notification) any { return &n.Title }),
		Col("dedup_key", func(n *account.Notification) any { return &n.Key }),
		Col("read_at", func(n *account.Notification) any { return &n.ReadAt }),
	},
	Unique:      []Unique{{Index: "notifications_key", Column: "dedup_key", Field: "key", Reason: "was already sent to this user"}},
	ForeignKeys: []ForeignKey{{Column: "user_id", Field: "user_id", Reason: "names no user"}},
})

// NotificationFilter narrows a listing of one user's notifications.
type NotificationFilter struct {
	UserID int64
	Unread bool
	Cursor string
	Limit  int
}

// ListNotifications returns a page of a user's notifications, the newest
// first.
func (db *DB) ListNotifications(ctx context.Context, f NotificationFilter) ([]account.Notification, string, error) {
	w := whereBuilder{}
	w.add("user_id = ?", f.UserID)
	if f.Cursor != "" {
		k, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		w.add("id < ?", k)
	}
	if f.Unread {
		w.add("read_at IS NULL")
	}
	limit := clampLimit(f.Limit)
	rows, err := db.reader().query(ctx, "SELECT "+Notifications.Columns()+" FROM notifications"+w.sql()+fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit+1), w.args...)
	if err != nil {
		return nil, "", db.fault(err, "list notifications")
	}
	return collectPage(rows, limit, Notifications.Scan, func(n account.Notification) int64 { return n.ID })
}

// CountUnreadNotifications counts a user's unread notifications.
func (db *DB) CountUnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := db.reader().queryRow(ctx, "SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", userID).Scan(&n); err != nil {
		return 0, db.fault(err, "count notifications")
	}
	return n, nil
}

// GetNotification reads one notification.
func (db *DB) GetNotification(ctx context.Context, id int64) (account.Notification, error) {
	return Notifications.Get(ctx, db.reader(), id)
}

// NotificationSent reports, in the transaction, whether a user already
// has a notification with key.
func (tx *Tx) NotificationSent(ctx context.Context, userID int64, key string) (bool, error) {
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM notifications WHERE user_id = ? AND dedup_key = ?", userID, key).Scan(&n); err != nil {
		return false, tx.db.fault(err, "look for a notification")
	}
	return n > 0, nil
}

// SentKeys reports which of the notices their users already have a
// notification for (same user, same key), as "user id:key" in the set
// returned: one query per few hundred notices, so reminders that find the
// same notices on every run skip those sent before without a transaction
// each.
func (db *DB) SentKeys(ctx context.Context, notices []account.Notice) (map[string]bool, error) {
	sent := map[string]bool{}
	for chunk := range slices.Chunk(notices, 400) {
		users, keys := map[int64]bool{}, map[string]bool{}
		for _, n := range chunk {
			users[n.UserID], keys[n.Key] = true, true
		}
		w := whereBuilder{}
		w.in("user_id", slices.Collect(maps.Keys(users)))
		var args []any
		for k := range keys {
			args = append(args, k)
		}
		w.add("dedup_key IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+")", args...)
		rows, err := db.reader().query(ctx, "SELECT user_id, dedup_key FROM notifications"+w.sql(), w.args...)
		if err != nil {
			return nil, db.fault(err, "look for notifications sent")
		}
		for rows.Next() {
			var user int64
			var key string
			if err := rows.Scan(&user, &key); err != nil {
				rows.Close()
				return nil, db.fault(err, "look for notifications sent")
			}
			sent[SentKey(user, key)] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, db.fault(err, "look for notifications sent")
		}
	}
	return sent, nil
}

// SentKey is how SentKeys names a user's notice.
func SentKey(userID int64, key string) string { return strconv.FormatInt(userID, 10) + ":" + key }

// UnreadNotificationIDs lists a user's unread notifications, in the
// transaction.
func (tx *Tx) UnreadNotificationIDs(ctx context.Context, userID int64) ([]int64, error) {
	return Notifications.IDsWhere(ctx, tx, "user_id = ? AND read_at IS NULL", userID)
}

// CreateNotification adds a notification with its audit entry.
func (tx *Tx) CreateNotification(ctx context.Context, actor access.Actor, n *account.Notification) error {
	return Notifications.Insert(ctx, tx, actor, n)
}

// UpdateNotification changes a notification read at version (0: any).
func (tx *Tx) UpdateNotification(ctx context.Context, actor access.Actor, id, version int64, change func(*account.Notification) error) (account.Notification, error) {
	_, after, err := Notifications.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteNotification removes a notification read at version (0: any).
func (tx *Tx) DeleteNotification(ctx context.Context, actor access.Actor, id, version int64, check func(account.Notification) error) error {
	_, err := Notifications.Delete(ctx, tx, actor, id, version, check)
	return err
}
