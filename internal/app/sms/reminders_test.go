package sms_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
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

// A reader of a document in force is asked once per version to
// acknowledge it, until they do; its owner is reminded of its review
// when due; an evidence item's owner is reminded once
// per review-by day when it falls within two weeks or is past.
func TestDocumentAndEvidenceReminders(t *testing.T) {
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
		unread := func(u access.Actor, topic string) int {
			t.Helper()
			list, _, err := a.ListNotifications(ctx, u, store.NotificationFilter{Unread: true})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range list {
				if x.Topic == topic {
					n++
				}
			}
			return n
		}

		// A policy the agents must read, approved: the agent is asked; the
		// manager, not a reader, is not. A draft asks nobody.
		policy, err := c.CreateDocument(ctx, managerActor, sms.DocumentInput{Title: "Service management policy", OwnerID: manager.ID,
			ApproverIDs: []int64{manager.ID}, SelfApproval: true, AudienceRoles: string(access.Agent), ReviewMonths: 12})
		if err != nil {
			t.Fatal(err)
		}
		approve := func(content string) {
			t.Helper()
			v, err := c.CreateDocumentVersion(ctx, managerActor, policy.ID, sms.VersionInput{Content: content})
			if err != nil {
				t.Fatal(err)
			}
			inReview := "in_review"
			if _, err := c.UpdateDocumentVersion(ctx, managerActor, v.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.ApproveDocumentVersion(ctx, managerActor, v.ID, 0); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := a.SendReminders(ctx); err != nil || n != 0 {
			t.Errorf("with the policy still a draft: sent %d, %v; want 0", n, err)
		}
		approve("# Our commitment")
		if n, err := a.SendReminders(ctx); err != nil || n != 1 || unread(agentActor, "acknowledge") != 1 || unread(managerActor, "acknowledge") != 0 {
			t.Errorf("policy approved: sent %d, %v; agent %d, manager %d to acknowledge; want 1, 1, 0", n, err, unread(agentActor, "acknowledge"), unread(managerActor, "acknowledge"))
		}
		if n, _ := a.SendReminders(ctx); n != 0 {
			t.Errorf("sent again for the same version: %d, want 0", n)
		}
		if _, err := c.Acknowledge(ctx, agentActor, policy.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.MarkAllNotificationsRead(ctx, agentActor); err != nil {
			t.Fatal(err)
		}
		if n, _ := a.SendReminders(ctx); n != 0 {
			t.Errorf("sent after the agent acknowledged: %d, want 0", n)
		}
		// A new version asks again.
		approve("# Our commitment, revised")
		if n, _ := a.SendReminders(ctx); n != 1 || unread(agentActor, "acknowledge") != 1 {
			t.Errorf("a new version: sent %d, agent has %d to acknowledge; want 1 and 1", n, unread(agentActor, "acknowledge"))
		}

		// Last reviewed long ago: its owner is reminded of the review, once.
		long := "2020-01-01"
		if _, err := c.UpdateDocument(ctx, managerActor, policy.ID, 0, sms.DocumentUpdate{ReviewedOn: &long}); err != nil {
			t.Fatal(err)
		}
		if n, _ := a.SendReminders(ctx); n != 1 || unread(managerActor, "review_due") != 1 {
			t.Errorf("a review overdue: sent %d, the owner has %d; want 1 and 1", n, unread(managerActor, "review_due"))
		}
		if n, _ := a.SendReminders(ctx); n != 0 {
			t.Errorf("the review reminded again: %d, want 0", n)
		}

		// Evidence: one to review within two weeks, one far off.
		reqs, _, err := c.ListRequirements(ctx, managerActor, store.RequirementFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		ev := func(title, reviewBy string) sms.Evidence {
			t.Helper()
			e, err := c.CreateEvidence(ctx, managerActor, sms.EvidenceInput{Title: title, Kind: "url", URL: "https://example.com/" + reviewBy,
				RequirementID: reqs[0].ID, OwnerID: agent.ID, ReviewBy: reviewBy}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		soon := ev("SLA report", day(10))
		ev("Supplier contract", day(60))
		if n, _ := a.SendReminders(ctx); n != 1 || unread(agentActor, "evidence_expiring") != 1 {
			t.Errorf("evidence due for review in 10 days: sent %d, agent has %d; want 1 and 1", n, unread(agentActor, "evidence_expiring"))
		}
		if n, _ := a.SendReminders(ctx); n != 0 {
			t.Errorf("evidence reminded again: %d, want 0", n)
		}
		// Reviewed, and due again in five days: reminded again.
		if _, err := c.UpdateEvidence(ctx, managerActor, soon.ID, 0, sms.EvidenceUpdate{ReviewBy: ptr(day(5))}, nil); err != nil {
			t.Fatal(err)
		}
		if n, _ := a.SendReminders(ctx); n != 1 || unread(agentActor, "evidence_expiring") != 2 {
			t.Errorf("evidence with a new review-by day: sent %d, agent has %d; want 1 and 2", n, unread(agentActor, "evidence_expiring"))
		}
	})
}
