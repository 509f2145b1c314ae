package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/errs"
)

// TestSignInAddressThrottle: an address gets freeAddr failed sign-ins,
// over any accounts, then waits; the people who sign in from it
// successfully (many behind one office address) never use its attempts up,
// and a success does not wipe its failures, or one valid account would let
// an attacker guess on forever. Refused attempts give the address nothing
// back beyond what was not checked.
func TestSignInAddressThrottle(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		// Successes do not count against the address.
		for i := range freeAddr + 5 {
			if err := s.login("agent@example.com", rightPassword); err != nil {
				t.Fatalf("success %d from one address: %v", i+1, err)
			}
		}
		// Failures do, over any accounts, up to the limit.
		for i := range freeAddr - 1 {
			if err := s.login(fmt.Sprintf("nobody%d@example.com", i), wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
				t.Fatalf("failure %d: %v, want the email or password is wrong", i+1, err)
			}
		}
		// A success in between neither counts nor wipes the failures.
		if err := s.login("agent@example.com", rightPassword); err != nil {
			t.Fatalf("success with one failure left: %v", err)
		}
		if err := s.login("nobody-last@example.com", wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("the last free failure: %v, want the email or password is wrong", err)
		}
		before := s.checks.Load()
		s.wantRefused(t, "the address's next attempt, right password", s.login("agent@example.com", rightPassword), before, time.Second)
		s.wantRefused(t, "the address's next attempt, another account", s.login("someone@example.com", wrongPassword), before, time.Second)
		// Another address is not held up.
		if err := s.loginFrom("192.0.2.1", "agent@example.com", rightPassword); err != nil {
			t.Errorf("another address: %v", err)
		}
		// After the wait the address has one more try.
		s.clock.Advance(time.Second)
		if err := s.login("agent@example.com", rightPassword); err != nil {
			t.Errorf("after the wait: %v", err)
		}
	})
}

// TestSignInSuccessClearsTheAccountsFailures: the account's failures
// before a success are forgotten; a count that carried over would throttle
// its owner after fewer failures.
func TestSignInSuccessClearsTheAccountsFailures(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		n := 0
		login := func(password string) error {
			n++ // each from another address, so only the account counts
			return s.loginFrom(fmt.Sprintf("203.0.113.%d", n), "agent@example.com", password)
		}
		for round := range 3 {
			for i := range freeFailures - 1 {
				if err := login(wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
					t.Fatalf("round %d, failure %d: %v, want the email or password is wrong", round+1, i+1, err)
				}
			}
			if err := login(rightPassword); err != nil {
				t.Fatalf("round %d, success after %d failures: %v", round+1, freeFailures-1, err)
			}
		}
		// Without a success in between, the limit holds.
		for range freeFailures {
			_ = login(wrongPassword)
		}
		before := s.checks.Load()
		s.wantRefused(t, "after the limit", login(rightPassword), before, time.Second)
	})
}

// TestSignInWaitIsWholeSeconds: what is left of a wait is said in whole
// seconds, rounded up, as Retry-After has them: never 0 while the wait
// lasts, never more than a second past its end.
func TestSignInWaitIsWholeSeconds(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		n := 0
		login := func(password string) error {
			n++
			return s.loginFrom(fmt.Sprintf("203.0.113.%d", n), "agent@example.com", password)
		}
		for range freeFailures {
			_ = login(wrongPassword)
		}
		// The fifth failure set a wait of a second, the sixth (after it)
		// one of two.
		check := func(advance, left time.Duration) {
			t.Helper()
			s.clock.Advance(advance)
			before := s.checks.Load()
			s.wantRefused(t, fmt.Sprintf("%s later", advance), login(rightPassword), before, left)
		}
		check(0, time.Second)
		check(300*time.Millisecond, time.Second)
		check(600*time.Millisecond, time.Second) // 100 ms left
		s.clock.Advance(100 * time.Millisecond)
		if err := login(wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("at the end of the wait: %v, want the password checked", err)
		}
		check(0, 2*time.Second)
		check(1500*time.Millisecond, time.Second) // 500 ms left
		check(400*time.Millisecond, time.Second)  // 100 ms left
	})
}
