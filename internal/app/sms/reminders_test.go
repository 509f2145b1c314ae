package sms_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Reminders tell an action's owner once that it was given to them, that
// it falls due and that it is overdue (again when its due day moves);
// only its owner reads and marks the notification; two instances sending
// at once send each notice once.
func TestActionRemindersSentOnceToTheOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		mk := func(email string, role access.Role) account.User {
			u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: email, Name: email, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		agent, manager := mk("agent@example.com", access.Agent), mk("manager@example.com", access.SMSManager)
		agentActor, managerActor := agent.Actor("session"), manager.Actor("session")
		day := func(d int) string { return time.Now().UTC().AddDate(0, 0, d).Format(time.DateOnly) }

		late, err := c.CreateAction(ctx, managerActor, sms.ActionInput{Title: "Write the change policy", OwnerID: agent.ID, DueOn: day(-2)})
		if err != nil {
			t.Fatal(err)
		}
		// Taken on by the manager themself: no "assigned"; far off: nothing else.
		if _, err := c.CreateAction(ctx, managerActor, sms.ActionInput{Title: "Plan the review", OwnerID: manager.ID, DueOn: day(30)}); err != nil {
			t.Fatal(err)
		}
		// Done: nothing, however late.
		if _, err := c.CreateAction(ctx, managerActor, sms.ActionInput{Title: "Old", OwnerID: manager.ID, DueOn: day(-9), State: "done"}); err != nil {
			t.Fatal(err)
		}

		// Two instances at once: each notice is sent once.
		var wg sync.WaitGroup
		sent := make([]int, 2)
		for i := range sent {
			wg.Go(func() {
				n, err := a.SendReminders(ctx)
				if err != nil {
					t.Error(err)
				}
				sent[i] = n
			})
		}
		wg.Wait()
		if sent[0]+sent[1] != 2 {
			t.Errorf("sent %v at once; want 2 in all (assigned and overdue)", sent)
		}
		topics := func(u access.Actor) []string {
			list, _, err := a.ListNotifications(ctx, u, store.NotificationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range list {
				if n.Entity != sms.ActionKind.Entity {
					t.Errorf("notification about %s %d, want an action", n.Entity, n.EntityID)
				}
				out = append(out, n.Topic)
			}
			sort.Strings(out)
			return out
		}
		if got := topics(agentActor); len(got) != 2 || got[0] != "assigned" || got[1] != "overdue" {
			t.Errorf("the agent's notifications: %v, want assigned and overdue", got)
		}
		if got := topics(managerActor); len(got) != 0 {
			t.Errorf("the manager's notifications: %v, want none", got)
		}
		// Again: nothing new.
		if n, err := a.SendReminders(ctx); err != nil || n != 0 {
			t.Errorf("sent again: %d, %v; want 0", n, err)
		}
		// The due day moves to the day after tomorrow: due soon, once.
		if _, err := c.UpdateAction(ctx, managerActor, late.ID, 0, sms.ActionUpdate{DueOn: ptr(day(2))}); err != nil {
			t.Fatal(err)
		}
		if n, err := a.SendReminders(ctx); err != nil || n != 1 {
			t.Errorf("sent after the due day moved: %d, %v; want 1 (due soon)", n, err)
		}
		if n, err := a.UnreadNotifications(ctx, agentActor); err != nil || n != 3 {
			t.Errorf("the agent's unread: %d, %v; want 3", n, err)
		}

		// Only its owner reads and marks one.
		list, _, _ := a.ListNotifications(ctx, agentActor, store.NotificationFilter{})
		first := list[0]
		if _, err := a.GetNotification(ctx, managerActor, first.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another's notification read: %v, want not found", err)
		}
		if _, err := a.MarkNotification(ctx, managerActor, first.ID, 0, true); !errs.Is(err, errs.NotFound) {
			t.Errorf("another's notification marked: %v, want not found", err)
		}
		read, err := a.MarkNotification(ctx, agentActor, first.ID, first.Version, true)
		if err != nil || read.ReadAt == nil {
			t.Fatalf("mark read: %+v, %v", read, err)
		}
		if _, err := a.MarkNotification(ctx, agentActor, first.ID, first.Version, false); !errs.Is(err, errs.Stale) {
			t.Errorf("marking at an old version: %v, want stale", err)
		}
		if unread, _, _ := a.ListNotifications(ctx, agentActor, store.NotificationFilter{Unread: true}); len(unread) != 2 {
			t.Errorf("unread after marking one: %d, want 2", len(unread))
		}
		if n, err := a.MarkAllNotificationsRead(ctx, agentActor); err != nil || n != 2 {
			t.Errorf("mark all read: %d, %v; want 2", n, err)
		}
		if n, _ := a.UnreadNotifications(ctx, agentActor); n != 0 {
			t.Errorf("unread after marking all: %d", n)
		}
	})
}

func ptr[T any](v T) *T { return &v }
