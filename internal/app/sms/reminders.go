package sms

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
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
	open, err := app.EveryPage(func(cursor string) ([]sms.Action, string, error) {
		return c.db.ListActions(ctx, store.ActionFilter{Open: true, Cursor: cursor, Limit: store.MaxLimit})
	})
	var out []account.Notice
	for _, a := range open {
		out = append(out, actionNotices(a, today, soon)...)
	}
	return out, err
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

// EvidenceSoonDays is how many days before its review-by day an evidence
// item's owner is reminded to look at it again, and a document's owner of
// its periodic review.
const EvidenceSoonDays = 14

// evidenceReminders reminds the owner of each evidence item whose
// review-by day is within EvidenceSoonDays, or past: once per review-by
// day, so a review that moves the day on reminds again next time.
func (c *Catalogue) evidenceReminders(ctx context.Context, now time.Time) ([]account.Notice, error) {
	soon := now.UTC().AddDate(0, 0, EvidenceSoonDays+1).Format(time.DateOnly)
	evs, err := app.EveryPage(func(cursor string) ([]sms.Evidence, string, error) {
		return c.db.ListEvidence(ctx, store.EvidenceFilter{ExpiredOn: soon, Cursor: cursor, Limit: store.MaxLimit})
	})
	e := sms.EvidenceKind.Entity
	out := make([]account.Notice, 0, len(evs))
	for _, ev := range evs {
		out = append(out, account.Notice{UserID: ev.OwnerID, Topic: "evidence_expiring", Entity: e, EntityID: ev.ID, Title: ev.Title,
			Key: account.NoticeKey("evidence_expiring", e, ev.ID, ev.ReviewBy)})
	}
	return out, err
}

// documentReminders asks each reader of a document in force who has not
// acknowledged its current version to read it, once per version, so a
// new version asks again; and reminds its owner of its periodic review
// within EvidenceSoonDays of the day it is due, once per due day.
func (c *Catalogue) documentReminders(ctx context.Context, now time.Time) ([]account.Notice, error) {
	soon := now.UTC().AddDate(0, 0, EvidenceSoonDays+1).Format(time.DateOnly)
	ds, err := app.EveryPage(func(cursor string) ([]sms.ControlledDocument, string, error) {
		return c.db.ListDocuments(ctx, store.DocumentFilter{Status: "approved", Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	e := sms.DocumentKind.Entity
	var out []account.Notice
	for _, d := range ds {
		// Its periodic review, to its owner, within two weeks or past.
		if d.ReviewDueOn != "" && d.ReviewDueOn < soon {
			out = append(out, account.Notice{UserID: d.OwnerID, Topic: "review_due", Entity: e, EntityID: d.ID, Title: d.Title,
				Key: account.NoticeKey("review_due", e, d.ID, d.ReviewDueOn)})
		}
		done, err := c.completion(ctx, d)
		if err != nil {
			return nil, err
		}
		for _, u := range done.Pending() {
			out = append(out, account.Notice{UserID: u, Topic: "acknowledge", Entity: e, EntityID: d.ID, Title: d.Title,
				Key: account.NoticeKey("acknowledge", e, d.ID, d.CurrentVersion)})
		}
	}
	return out, nil
}
