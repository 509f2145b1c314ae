package sms_test

import (
	"slices"
	"testing"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// The plan's rules on an action: the start day before the due day,
// progress from 0 to 100 and 100 only when done, done setting it.
func TestActionPlanValidation(t *testing.T) {
	base := sms.ActionInput{Title: "Write the policy", OwnerID: 1}
	for _, tc := range []struct {
		name   string
		change func(*sms.ActionInput)
		field  string // "" for valid
		reason string
	}{
		{"start and due", func(in *sms.ActionInput) { in.StartOn, in.DueOn = "2027-01-01", "2027-02-01" }, "", ""},
		{"same day", func(in *sms.ActionInput) { in.StartOn, in.DueOn = "2027-01-01", "2027-01-01" }, "", ""},
		{"due before start", func(in *sms.ActionInput) { in.StartOn, in.DueOn = "2027-02-01", "2027-01-31" }, "due_on", "is before the start day"},
		{"start not a day", func(in *sms.ActionInput) { in.StartOn = "soon" }, "start_on", "must be a date such as 2027-01-31"},
		{"progress below", func(in *sms.ActionInput) { in.Progress = -1 }, "progress", "must be a whole number from 0 to 100"},
		{"progress above", func(in *sms.ActionInput) { in.Progress = 101 }, "progress", "must be a whole number from 0 to 100"},
		{"100 while open", func(in *sms.ActionInput) { in.Progress = 100 }, "progress", "is 100 % only when the action is done: set its state to done, or give less"},
		{"100 when cancelled", func(in *sms.ActionInput) { in.Progress, in.State = 100, "cancelled" }, "", ""},
		{"done sets 100", func(in *sms.ActionInput) { in.Progress, in.State = 30, "done" }, "", ""},
		{"bad dependency id", func(in *sms.ActionInput) { in.DependsOn = []int64{0} }, "depends_on", "must name actions by their ids"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.change(&in)
			in.Normalize()
			err := in.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				if in.State == "done" && in.Progress != 100 {
					t.Errorf("done: progress %d, want 100", in.Progress)
				}
				return
			}
			if got := fieldReason(err, tc.field); got != tc.reason {
				t.Errorf("got %v, want %s: %s", err, tc.field, tc.reason)
			}
		})
	}
}

// Reopening a done action without saying how far it is sets progress 0;
// the dependencies are kept sorted and once each.
func TestActionUpdateProgress(t *testing.T) {
	a := sms.Action{Title: "x", OwnerID: 1, State: "done", Progress: 100, Priority: "medium", Source: "plan", DependsOn: []int64{3}}
	open := "in_progress"
	in := sms.ActionUpdate{State: &open}.Apply(a)
	in.Normalize()
	if in.Progress != 0 || in.Validate() != nil {
		t.Errorf("reopened: progress %d (%v), want 0 and valid", in.Progress, in.Validate())
	}
	deps := []int64{7, 3, 7}
	in = sms.ActionUpdate{DependsOn: &deps}.Apply(a)
	in.Normalize()
	if !slices.Equal(in.DependsOn, []int64{3, 7}) {
		t.Errorf("dependencies %v, want [3 7]", in.DependsOn)
	}
}

// Cycles are found through any length of dependencies and named by
// number from the action back to itself; an action waiting for itself
// is refused on its own.
func TestDependencyCycles(t *testing.T) {
	graph := map[int64][]int64{7: {5}, 5: {3}, 4: {2}}
	for _, tc := range []struct {
		name   string
		id     int64
		deps   []int64
		reason string
	}{
		{"none", 3, []int64{4}, ""},
		{"new action", 0, []int64{3, 7}, ""},
		{"itself", 3, []int64{3}, "names the action itself: an action cannot wait for itself"},
		{"two", 5, []int64{7}, "would make a cycle: ACT-000005 → ACT-000007 → ACT-000005"},
		{"three", 3, []int64{7}, "would make a cycle: ACT-000003 → ACT-000007 → ACT-000005 → ACT-000003"},
		{"through a side branch", 3, []int64{4, 7}, "would make a cycle: ACT-000003 → ACT-000007 → ACT-000005 → ACT-000003"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sms.CheckDependencies(tc.id, tc.deps, graph)
			if got := fieldReason(err, "depends_on"); got != tc.reason {
				t.Errorf("got %q (%v), want %q", got, err, tc.reason)
			}
		})
	}
	if got := sms.FindCycle(9, []int64{1}, map[int64][]int64{1: {2}, 2: {1}}); got != nil {
		t.Errorf("a cycle not through the action: %v, want none (it does not close one)", got)
	}
}

// Waiting and OutOfOrder: an action started before what it waits for is
// done is out of order; a cancelled dependency holds nothing back.
func TestOutOfOrder(t *testing.T) {
	deps := []sms.Action{{State: "open"}, {State: "cancelled"}, {State: "done"}}
	for i := range deps {
		deps[i].ID = int64(i + 1)
	}
	a := sms.Action{State: "in_progress", DependsOn: []int64{1, 2, 3}}
	w := a.Waiting(deps)
	if len(w) != 1 || w[0].ID != 1 || !a.OutOfOrder(w) {
		t.Errorf("waiting %v, want only action 1, out of order", w)
	}
	a.State = "open"
	if a.OutOfOrder(w) {
		t.Errorf("an open action is not out of order")
	}
}

func fieldReason(err error, field string) string {
	if e := errs.As(err); e != nil {
		for _, f := range e.Fields {
			if f.Field == field {
				return f.Reason
			}
		}
	}
	return ""
}
