package sms

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// DueSoonDays is how many days ahead of its due day an action's owner is
// reminded of it.
const DueSoonDays = 3

// actionReminders finds, among the open actions, those given to their
// owner by someone else (once per owner), falling due within DueSoonDays
// and overdue (once per due day each, so moving the day reminds again).
// Days are the installation's calendar days in UTC.
func (c *Catalogue) actionReminders(ctx context.Context, now time.Time) ([]account.Notice, error) {
	today := now.UTC().Format(time.DateOnly)
	soon := now.UTC().AddDate(0, 0, DueSoonDays).Format(time.DateOnly)
	var out []account.Notice
	cursor := ""
	for {
		page, next, err := c.db.ListActions(ctx, store.ActionFilter{Open: true, Cursor: cursor, Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, a := range page {
			out = append(out, actionNotices(a, today, soon)...)
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

func actionNotices(a sms.Action, today, soon string) []account.Notice {
	e := sms.ActionKind.Entity
	notice := func(topic string, what any) account.Notice {
		return account.Notice{UserID: a.OwnerID, Topic: topic, Entity: e, EntityID: a.ID, Title: a.Title, Key: account.NoticeKey(topic, e, a.ID, what)}
	}
	var out []account.Notice
	// Given by someone else: the last to change it was not the owner.
	if a.UpdatedBy != a.OwnerID {
		out = append(out, notice("assigned", a.OwnerID))
	}
	switch {
	case a.DueOn == "":
	case a.DueOn < today:
		out = append(out, notice("overdue", a.DueOn))
	case a.DueOn <= soon:
		out = append(out, notice("due_soon", a.DueOn))
	}
	return out
}
