package assurance_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// A nonconformity's owner is told once that its next deadline is near
// and once that it has passed; again when the deadline moves.
func TestNonconformityReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _, c := withAreas(t, db)
		u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "owner@example.com", Name: "Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		owner := u.Actor("session")
		fw, err := db.FrameworkByCode(ctx, sms.BuiltInCode)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := db.RequirementTree(ctx, fw.ID)
		if err != nil || len(tree) < 2 {
			t.Fatalf("requirements: %d %v", len(tree), err)
		}
		day := func(d int) string { return time.Now().UTC().AddDate(0, 0, d).Format(time.DateOnly) }
		raise := func(title string, raised int, req int64) assurance.Nonconformity {
			t.Helper()
			n, err := c.CreateNonconformity(ctx, owner, assurance.NonconformityInput{Title: title, Severity: "major", Origin: "incident",
				RequirementID: req, OwnerID: u.ID, RaisedOn: day(raised)})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Internal major: plan within 30 days.
		raise("Plan due in four days", -26, tree[0].ID)
		late := raise("Plan five days late", -35, tree[1].ID)
		raise("Plan far off", -1, tree[1].ID)

		topics := func() []string {
			list, _, err := a.ListNotifications(ctx, owner, store.NotificationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range list {
				if n.Entity != assurance.NonconformityKind.Entity {
					t.Errorf("notification about %s, want a nonconformity", n.Entity)
				}
				out = append(out, n.Topic+":"+n.Title)
			}
			sort.Strings(out)
			return out
		}
		send := func(want int) {
			t.Helper()
			n, err := a.SendReminders(ctx)
			if err != nil || n != want {
				t.Errorf("sent %d (%v), want %d", n, err, want)
			}
		}
		send(2)
		send(0)
		if got := topics(); len(got) != 2 || got[0] != "due_soon:Plan due in four days" || got[1] != "overdue:Plan five days late" {
			t.Errorf("notifications %v, want due soon for the first and overdue for the second", got)
		}
		// Raised earlier: its plan was due earlier, a new deadline.
		raised := day(-40)
		if _, err := c.UpdateNonconformity(ctx, owner, late.ID, late.Version, assurance.NonconformityUpdate{RaisedOn: &raised}); err != nil {
			t.Fatal(err)
		}
		send(1)
		send(0)
		if got := topics(); len(got) != 3 {
			t.Errorf("notifications %v, want a second overdue once the deadline moved", got)
		}
	})
}
