package sms

import (
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
)

// The implementation plan: actions with a start day, progress and the
// actions each waits for. The dependencies form a graph that must stay
// free of cycles, or no action in the cycle could ever start in order.

// CheckDependencies refuses, on depends_on, an action (id; 0 for a new
// one) that waits for itself, or whose dependencies deps would close a
// cycle in graph (every other action's dependencies, by id). The cycle is
// named by the actions' numbers, from the action back to itself.
func CheckDependencies(id int64, deps []int64, graph map[int64][]int64) error {
	if id != 0 && slices.Contains(deps, id) {
		return errs.Field("depends_on", "names the action itself: an action cannot wait for itself")
	}
	if id == 0 {
		return nil // nothing can depend on an action not yet made
	}
	if path := FindCycle(id, deps, graph); path != nil {
		nums := make([]string, len(path))
		for i, p := range path {
			nums[i] = ActionKind.Number(p)
		}
		return errs.Field("depends_on", "would make a cycle: "+strings.Join(nums, " → "))
	}
	return nil
}

// FindCycle returns a path of dependencies from id back to id, if id
// waiting for deps closes one in graph (graph's own entry for id is not
// read: deps stand for it); nil if there is none. The path is found
// depth first in the order of the ids, so the same graph names the same
// cycle.
func FindCycle(id int64, deps []int64, graph map[int64][]int64) []int64 {
	seen := map[int64]bool{}
	var path []int64
	var walk func(n int64) bool
	walk = func(n int64) bool {
		if n == id {
			return true
		}
		if seen[n] {
			return false
		}
		seen[n] = true
		path = append(path, n)
		next := slices.Clone(graph[n])
		slices.Sort(next)
		for _, m := range next {
			if walk(m) {
				return true
			}
		}
		path = path[:len(path)-1]
		return false
	}
	for _, d := range normalizeIDs(deps) {
		path = path[:0]
		if walk(d) {
			return append(append([]int64{id}, path...), id)
		}
	}
	return nil
}

// Waiting lists the dependencies of a, among deps (the actions it waits
// for, as read), that are not done yet: work on a that starts or ends
// before them goes out of order. A cancelled dependency no longer holds
// anything back.
func (a Action) Waiting(deps []Action) []Action {
	var out []Action
	for _, d := range deps {
		if slices.Contains(a.DependsOn, d.ID) && d.State != "done" && d.State != "cancelled" {
			out = append(out, d)
		}
	}
	return out
}

// OutOfOrder reports whether a has started or finished (in progress or
// done) while some of its dependencies, waiting, are not done.
func (a Action) OutOfOrder(waiting []Action) bool {
	return len(waiting) > 0 && (a.State == "in_progress" || a.State == "done")
}

// normalizeIDs sorts ids and drops repeats; nil stays empty.
func normalizeIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	if out == nil {
		return []int64{}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
