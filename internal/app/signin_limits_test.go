package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// A sign-in's email, password and code are held to their lengths: at the
// limit they are checked as usual (a wrong password), one over it they are
// refused, naming the field, before anything is looked up.
func TestSignInInputLimits(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	ctx := context.Background()
	email := func(n int) string { return strings.Repeat("e", n-len("@example.com")) + "@example.com" }
	for _, c := range []struct {
		name  string
		in    app.SignInInput
		field string // "" for no refusal of the input
	}{
		{"email of 254", app.SignInInput{Email: email(254), Password: wrongPassword}, ""},
		{"email of 255", app.SignInInput{Email: email(255), Password: wrongPassword}, "email"},
		{"password of 256", app.SignInInput{Email: s.user.Email, Password: strings.Repeat("p", 256)}, ""},
		{"password of 257", app.SignInInput{Email: s.user.Email, Password: strings.Repeat("p", 257)}, "password"},
		{"code of 64", app.SignInInput{Email: s.user.Email, Password: wrongPassword, Code: strings.Repeat("1", 64)}, ""},
		{"code of 65", app.SignInInput{Email: s.user.Email, Password: wrongPassword, Code: strings.Repeat("1", 65)}, "code"},
	} {
		before := s.checks.Load()
		c.in.RemoteAddr = addr
		_, err := s.app.SignIn(ctx, c.in)
		e := errs.As(err)
		switch {
		case c.field == "" && errs.CodeOf(err) != errs.Unauthenticated:
			t.Errorf("%s: %v, want it checked and refused as a wrong password", c.name, err)
		case c.field != "" && (errs.CodeOf(err) != errs.Invalid || e == nil || len(e.Fields) != 1 || e.Fields[0].Field != c.field):
			t.Errorf("%s: %v, want %s refused as too long", c.name, err, c.field)
		case c.field != "" && s.checks.Load() != before:
			t.Errorf("%s: a password was checked for input refused unread", c.name)
		}
		s.clock.Advance(app.DefaultConfig().SessionIdle) // past any slowing down
	}
}

// EveryPage reads page after page until one hands on no cursor, and
// stops at an error.
func TestEveryPageListing(t *testing.T) {
	pages := map[string][]int{"": {1, 2}, "b": {3}, "c": {4, 5}}
	next := map[string]string{"": "b", "b": "c", "c": ""}
	got, err := app.EveryPage(func(cursor string) ([]int, string, error) { return pages[cursor], next[cursor], nil })
	if err != nil || len(got) != 5 || got[0] != 1 || got[4] != 5 {
		t.Errorf("every page: %v, %v; want 1 to 5", got, err)
	}
	boom := errors.New("the store is gone")
	got, err = app.EveryPage(func(cursor string) ([]int, string, error) {
		if cursor == "b" {
			return nil, "", boom
		}
		return pages[cursor], next[cursor], nil
	})
	if !errors.Is(err, boom) || got != nil {
		t.Errorf("a failing page: %v, %v; want the error and nothing", got, err)
	}
}

// An attempt refused for the account's throttle checks no password, so
// the address gets its attempt back, quietly.
func TestSignInThrottledAccountGivesTheAddressItsAttemptBack(t *testing.T) {
	var log bytes.Buffer
	s := newSignInLogged(t, storetest.SQLite, slog.New(slog.NewTextHandler(&log, nil)))
	for range freeFailures {
		if err := s.login(s.user.Email, wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("wrong password: %v", err)
		}
	}
	if err := s.login(s.user.Email, wrongPassword); errs.CodeOf(err) != errs.RateLimited {
		t.Fatalf("past the account's free failures: %v, want slowed down", err)
	}
	// Enough refusals more to pass the address's own limit, had they
	// counted: another account from the same address is still checked.
	for range freeAddr {
		if err := s.login(s.user.Email, wrongPassword); errs.CodeOf(err) != errs.RateLimited {
			t.Fatalf("still slowed down: %v", err)
		}
	}
	if err := s.login("someone.else@example.com", wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
		t.Errorf("another account from the same address: %v, want its password checked", err)
	}
	if strings.Contains(log.String(), "uncount") {
		t.Errorf("giving the attempt back logged a failure:\n%s", log.String())
	}
}

// While the account is slowed down, a code only helps an account whose
// second factor is on: one merely offered (set up, never confirmed)
// leaves the throttle's answer as it is.
func TestSignInWithCodeNeedsTheSecondFactorOn(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	code := offeredCode(t, s)
	for range freeFailures {
		if err := s.login(s.user.Email, wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("wrong password: %v", err)
		}
	}
	_, err := s.app.SignIn(context.Background(), app.SignInInput{Email: s.user.Email, Password: rightPassword, Code: code(), RemoteAddr: addr})
	if errs.CodeOf(err) != errs.RateLimited {
		t.Errorf("a code of a second factor never turned on: %v, want still slowed down", err)
	}
}

// A sign-in waiting for its second step ends when the account is
// deactivated meanwhile: the step can be neither shown nor finished.
func TestSignInPendingEndsWhenTheAccountIsDeactivated(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	ctx := context.Background()
	pending, code := waitingForCode(t, s)
	if _, err := s.app.GetPendingSignIn(ctx, pending); err != nil {
		t.Fatalf("the waiting sign-in: %v", err)
	}
	off := false
	if _, err := s.app.UpdateUser(ctx, access.CLI, s.user.ID, 0, account.UserUpdate{Active: &off}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.GetPendingSignIn(ctx, pending); errs.CodeOf(err) != errs.Unauthenticated {
		t.Errorf("shown after the account was deactivated: %v, want ended", err)
	}
	if res, err := s.app.FinishSignIn(ctx, pending, code()); errs.CodeOf(err) != errs.Unauthenticated || res.Secret != "" {
		t.Errorf("finished after the account was deactivated: %+v, %v; want ended, no session", res, err)
	}
}

// The second step checks a code of up to 64 characters and refuses a
// longer one unread; a cancelled sign-in is gone.
func TestSignInSecondStepCodeLengthAndCancel(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	ctx := context.Background()
	pending, _ := waitingForCode(t, s)
	for n, want := range map[int]string{64: "is wrong", 65: "at most 64 characters"} {
		_, err := s.app.FinishSignIn(ctx, pending, strings.Repeat("1", n))
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "code" || !strings.Contains(e.Fields[0].Reason, want) {
			t.Errorf("a code of %d characters: %v, want the code refused: %s", n, err, want)
		}
	}
	if err := s.app.CancelSignIn(ctx, pending); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.GetPendingSignIn(ctx, pending); errs.CodeOf(err) != errs.Unauthenticated {
		t.Errorf("a cancelled sign-in: %v, want it gone", err)
	}
}

// waitingForCode turns s's user's second factor on and starts a sign-in,
// which waits for its code: its cookie secret, and the code of the moment.
func waitingForCode(t *testing.T, s *signIn) (pending string, code func() string) {
	t.Helper()
	ctx := context.Background()
	code = offeredCode(t, s)
	if _, err := s.app.EnableMFA(ctx, s.user.Actor("session"), code()); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(time.Minute) // the next code
	r, err := s.app.SignIn(ctx, app.SignInInput{Email: s.user.Email, Password: rightPassword, RemoteAddr: addr})
	if err != nil || r.Pending == "" {
		t.Fatalf("first step: %+v, %v; want a sign-in waiting for its code", r, err)
	}
	return r.Pending, code
}

// offeredCode offers s's user a second factor (set up, not yet on) and
// returns the code its app would show at the clock's time.
func offeredCode(t *testing.T, s *signIn) func() string {
	t.Helper()
	offer, err := s.app.OfferMFA(context.Background(), s.user.Actor("session"))
	if err != nil {
		t.Fatal(err)
	}
	return func() string {
		c, err := app.TOTPCode(offer.Secret, app.TOTPStep(s.clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}
