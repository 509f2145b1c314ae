package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The plan's columns and links on both engines: start day and progress
// kept, dependencies in action_dependencies read back with the action and
// in lists, one that does not exist refused on depends_on, the filters
// by source, by what an action blocks and the recent ones, and an action
// others wait for not deleted.
func TestActionPlanTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, actor := context.Background(), access.System
		org := mustOrg(t, db, "Provider", account.Provider)
		casey := mustUser(t, db, "casey@example.com", org.ID)
		create := func(a sms.Action) sms.Action {
			t.Helper()
			a.OwnerID, a.Priority = casey.ID, "medium"
			if a.State == "" {
				a.State = "open"
			}
			if a.DependsOn == nil {
				a.DependsOn = []int64{}
			}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateAction(ctx, actor, &a) }); err != nil {
				t.Fatalf("create %q: %v", a.Title, err)
			}
			return a
		}
		scope := create(sms.Action{Title: "Scope", Source: "plan", StartOn: "2027-01-04", DueOn: "2027-01-29", State: "done", Progress: 100})
		policy := create(sms.Action{Title: "Policy", Source: "plan", StartOn: "2027-02-01", DueOn: "2027-03-01", Progress: 40, DependsOn: []int64{scope.ID}})
		audit := create(sms.Action{Title: "Audit", Source: "objective", DependsOn: []int64{policy.ID, scope.ID}})

		got, err := db.GetAction(ctx, audit.ID)
		if err != nil || !slices.Equal(got.DependsOn, []int64{scope.ID, policy.ID}) {
			t.Errorf("audit's dependencies: %v (%v), want [%d %d]", got.DependsOn, err, scope.ID, policy.ID)
		}
		got, _ = db.GetAction(ctx, policy.ID)
		if got.StartOn != "2027-02-01" || got.Progress != 40 {
			t.Errorf("policy read back: start %q progress %d, want 2027-02-01 and 40", got.StartOn, got.Progress)
		}

		err = db.InTx(ctx, func(tx *store.Tx) error {
			a := sms.Action{Title: "Ghost", OwnerID: casey.ID, State: "open", Priority: "low", Source: "plan", DependsOn: []int64{audit.ID + 1000}}
			return tx.CreateAction(ctx, actor, &a)
		})
		if fe := errs.As(err); fe == nil || len(fe.Fields) == 0 || fe.Fields[0].Field != "depends_on" {
			t.Errorf("a dependency that does not exist: %v, want an error on depends_on", err)
		}

		list := func(f store.ActionFilter) []int64 {
			t.Helper()
			as, _, err := db.ListActions(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range as {
				ids = append(ids, a.ID)
				if a.ID == audit.ID && len(a.DependsOn) != 2 {
					t.Errorf("listed audit: dependencies %v, want two", a.DependsOn)
				}
			}
			return ids
		}
		if got := list(store.ActionFilter{Blocks: scope.ID}); !slices.Equal(got, []int64{policy.ID, audit.ID}) {
			t.Errorf("blocked by scope: %v, want policy and audit", got)
		}
		if got := list(store.ActionFilter{Source: "objective"}); !slices.Equal(got, []int64{audit.ID}) {
			t.Errorf("from objectives: %v, want audit", got)
		}
		tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
		if got := list(store.ActionFilter{Recent: tomorrow}); !slices.Equal(got, []int64{policy.ID, audit.ID}) {
			t.Errorf("open or closed since tomorrow: %v, want the open ones", got)
		}
		if got := list(store.ActionFilter{Recent: "2000-01-01"}); len(got) != 3 {
			t.Errorf("open or closed since 2000: %v, want all three", got)
		}

		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteAction(ctx, actor, scope.ID, 0, nil) })
		if !errs.Is(err, errs.Conflict) {
			t.Errorf("delete an action others wait for: %v, want a conflict", err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.UpdateAction(ctx, actor, audit.ID, 0, func(a *sms.Action) error { a.DependsOn = []int64{policy.ID}; return nil }); err != nil {
				return err
			}
			graph, err := tx.ActionDependencies(ctx)
			if err != nil {
				return err
			}
			if !slices.Equal(graph[audit.ID], []int64{policy.ID}) || !slices.Equal(graph[policy.ID], []int64{scope.ID}) {
				t.Errorf("graph %v, want audit after policy after scope", graph)
			}
			return tx.DeleteAction(ctx, actor, audit.ID, 0, nil)
		})
		if err != nil {
			t.Fatalf("change and delete audit: %v", err)
		}
		if got := list(store.ActionFilter{Blocks: policy.ID}); len(got) != 0 {
			t.Errorf("blocked by policy after audit's deletion: %v, want none (its links went with it)", got)
		}
	})
}
