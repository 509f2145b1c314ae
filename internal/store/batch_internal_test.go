package store

import (
	"context"
	"testing"
)

// TestWithdrawPassesOnTheLead: a queued unit whose caller gives up just as
// the lead is handed to it must pass the lead on to the next unit, or the
// queue would wait for a leader that has gone; with nobody left, the
// batcher must be free for the next caller.
func TestWithdrawPassesOnTheLead(t *testing.T) {
	newUnit := func() *unit { return &unit{ctx: context.Background(), done: make(chan bool, 1)} }
	b := &batcher{leading: true}
	x, y := newUnit(), newUnit()
	b.queue = []*unit{x, y}
	x.done <- true // the lead, handed to x as its caller gave up
	if !b.withdraw(x) {
		t.Fatal("withdraw: got false, want x taken out of the queue")
	}
	select {
	case lead := <-y.done:
		if !lead {
			t.Error("y was answered instead of being handed the lead")
		}
	default:
		t.Fatal("the lead was not passed on to y")
	}
	if len(b.queue) != 1 || b.queue[0] != y || !b.leading {
		t.Errorf("queue %v, leading %v; want y alone and a leader", b.queue, b.leading)
	}

	// The last unit gives up as it is handed the lead: nobody leads.
	y.done <- true
	if !b.withdraw(y) || b.leading || len(b.queue) != 0 {
		t.Errorf("after the last unit gave up: queue %v, leading %v; want empty and no leader", b.queue, b.leading)
	}

	// A unit already taken into a batch cannot withdraw: its caller must
	// wait for the batch's outcome.
	z := newUnit()
	if b.withdraw(z) {
		t.Error("withdraw of a unit not in the queue: got true, want false")
	}
}
