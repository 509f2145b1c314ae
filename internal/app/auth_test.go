package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

const (
	rightPassword = "correct horse battery"
	wrongPassword = "wrong horse battery"
	freeFailures  = 5  // per account, as docs/accounts.md says
	freeAddr      = 20 // per address
	addr          = "198.51.100.7"
)

// signIn is an App on a fresh database whose clock stands still unless
// moved, and which counts every password it checks.
type signIn struct {
	app    *app.App
	cfg    store.Config
	clock  *storetest.Clock
	checks atomic.Int64
	user   account.User
	log    *slog.Logger // the App's log; nil for none
}

// newSignIn opens one on engine with one active user holding rightPassword.
func newSignIn(t *testing.T, e storetest.Engine) *signIn {
	t.Helper()
	return newSignInLogged(t, e, nil)
}

// newSignInLogged is newSignIn with the App logging to log.
func newSignInLogged(t *testing.T, e storetest.Engine, log *slog.Logger) *signIn {
	t.Helper()
	ctx := context.Background()
	s := &signIn{clock: storetest.NewClock(), cfg: storetest.Config(t, e), log: log}
	s.app = s.instance(t)
	org, err := s.app.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Provider", Kind: account.Provider})
	if err != nil {
		t.Fatal(err)
	}
	s.user, err = s.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "agent@example.com", Name: "An Agent", Role: access.Agent, OrgID: org.ID, Password: rightPassword})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// instance opens the database once more and builds an App over it, as
// another instance of Conform would. Hashes are cheap stand-ins; a check
// takes a few milliseconds, about as long as a real one, so that attempts
// sent together overlap.
func (s *signIn) instance(t *testing.T) *app.App {
	t.Helper()
	ctx := context.Background()
	cfg := s.cfg
	cfg.Now = s.clock.Now
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, db, s.log, app.Config{
		PasswordHasher: func(pw string) (string, error) { return "test$" + pw, nil },
		PasswordVerifier: func(hash, pw string) (bool, error) {
			s.checks.Add(1)
			time.Sleep(5 * time.Millisecond)
			return hash != "" && hash == "test$"+pw, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// eachEngine runs fn on a fresh signIn on every engine.
func eachEngine(t *testing.T, fn func(t *testing.T, s *signIn)) {
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) { fn(t, newSignIn(t, e)) })
	}
}

func (s *signIn) login(email, password string) error {
	return s.loginFrom(addr, email, password)
}

func (s *signIn) loginFrom(addr, email, password string) error {
	_, _, err := s.app.Login(context.Background(), email, password, addr, "test")
	return err
}

// together runs n attempts at once and returns how many ended in each code.
func together(n int, attempt func(i int) error) map[errs.Code]int {
	var mu sync.Mutex
	got := map[errs.Code]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			err := attempt(i)
			mu.Lock()
			got[errs.CodeOf(err)]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return got
}

// wantRefused checks that err refuses an attempt for wait, unchecked.
func (s *signIn) wantRefused(t *testing.T, what string, err error, checksBefore int64, wait time.Duration) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != errs.RateLimited || e.RetryAfter != wait {
		t.Errorf("%s: %v, want rate limited with %s to wait", what, err, wait)
	}
	if n := s.checks.Load() - checksBefore; n != 0 {
		t.Errorf("%s: %d passwords checked, want none", what, n)
	}
}

func TestSignInParallelAttemptsAreThrottledBeforeChecking(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		got := together(50, func(int) error { return s.login("agent@example.com", wrongPassword) })
		if n := s.checks.Load(); n > freeFailures {
			t.Errorf("50 wrong passwords sent at once: %d checked, want at most %d", n, freeFailures)
		}
		if got[errs.Unauthenticated] != int(s.checks.Load()) || got[errs.Unauthenticated]+got[errs.RateLimited] != 50 {
			t.Errorf("answers %v for %d checks, want one 401 per check and the rest rate limited", got, s.checks.Load())
		}
		before := s.checks.Load()
		s.wantRefused(t, "right password after the limit", s.login("agent@example.com", rightPassword), before, time.Second)
	})
}

func TestSignInThrottleHoldsAcrossInstances(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		apps := []*app.App{s.app, s.instance(t), s.instance(t)}
		together(60, func(i int) error {
			_, _, err := apps[i%len(apps)].Login(context.Background(), "agent@example.com", wrongPassword, addr, "test")
			return err
		})
		if n := s.checks.Load(); n > freeFailures {
			t.Errorf("60 wrong passwords sent at once to 3 instances: %d checked, want at most %d", n, freeFailures)
		}
	})
}

func TestSignInParallelAttemptsFromOneAddressAreThrottled(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		// A different account each time, so only the address's count stops them.
		together(60, func(i int) error { return s.login(fmt.Sprintf("nobody%d@example.com", i), wrongPassword) })
		if n := s.checks.Load(); n > freeAddr {
			t.Errorf("60 wrong sign-ins from one address at once: %d checked, want at most %d", n, freeAddr)
		}
	})
}

func TestSignInSlowsDownAndNeverLocks(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		// Each attempt from another address, so only the account's count
		// holds them up.
		n := 0
		login := func(password string) error {
			n++
			return s.loginFrom(fmt.Sprintf("203.0.113.%d", n), "agent@example.com", password)
		}
		for i := range freeFailures {
			if err := login(wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
				t.Fatalf("failure %d: %v, want the email or password is wrong", i+1, err)
			}
		}
		// Each failure past the limit doubles the wait, up to 15 minutes.
		wait := time.Second
		for failures := freeFailures; failures < freeFailures+14; failures++ {
			before := s.checks.Load()
			s.wantRefused(t, "attempt within the wait", login(rightPassword), before, wait)
			s.clock.Advance(wait - time.Second)
			// Refused attempts neither count nor lengthen the wait.
			s.wantRefused(t, "attempt a second before the end of the wait", login(wrongPassword), before, time.Second)
			s.clock.Advance(time.Second)
			if err := login(wrongPassword); errs.CodeOf(err) != errs.Unauthenticated || s.checks.Load() != before+1 {
				t.Fatalf("after %d failures and a %s wait: %v with %d checks, want one check and a wrong password", failures, wait, err, s.checks.Load()-before)
			}
			wait = min(2*wait, 15*time.Minute)
		}
		before := s.checks.Load()
		s.wantRefused(t, "attempt after many failures", login(rightPassword), before, 15*time.Minute)
		// Once the wait is over the owner signs in, and starts afresh.
		s.clock.Advance(15 * time.Minute)
		if err := login(rightPassword); err != nil {
			t.Fatalf("right password after the wait: %v", err)
		}
		for i := range freeFailures {
			if err := login(wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
				t.Fatalf("failure %d after a success: %v, want a fresh count", i+1, err)
			}
		}
	})
}

func TestSignInDeactivatedAnswersAsWrongPassword(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		off := false
		if _, err := s.app.UpdateUser(ctx, access.CLI, s.user.ID, s.user.Version, account.UserUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		wrong := s.login("agent@example.com", wrongPassword)
		right := s.login("agent@example.com", rightPassword)
		if right == nil || errs.CodeOf(right) != errs.CodeOf(wrong) || right.Error() != wrong.Error() {
			t.Errorf("deactivated account, right password: %v; want what a wrong one gets: %v", right, wrong)
		}
		if strings.Contains(right.Error(), "deactivated") {
			t.Errorf("deactivated account, right password: %q tells the password was right", right)
		}
		// The tries count: after the limit even the right password waits.
		for range freeFailures - 2 {
			s.login("agent@example.com", rightPassword)
		}
		before := s.checks.Load()
		s.wantRefused(t, "deactivated account after the limit", s.login("agent@example.com", rightPassword), before, time.Second)
	})
}

func TestChangePasswordThrottled(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		actor := s.user.Actor("session")
		const next = "a brand new password"
		got := together(50, func(int) error { return s.app.ChangePassword(ctx, actor, wrongPassword, next, 0) })
		if n := s.checks.Load(); n > freeFailures {
			t.Errorf("50 wrong current passwords at once: %d checked, want at most %d", n, freeFailures)
		}
		if got[errs.Invalid] != int(s.checks.Load()) || got[errs.Invalid]+got[errs.RateLimited] != 50 {
			t.Errorf("answers %v for %d checks, want one 422 per check and the rest rate limited", got, s.checks.Load())
		}
		before := s.checks.Load()
		s.wantRefused(t, "right current password after the limit", s.app.ChangePassword(ctx, actor, rightPassword, next, 0), before, time.Second)
		// The count is the account's own: signing in is not held up by it.
		if err := s.login("agent@example.com", rightPassword); err != nil {
			t.Errorf("sign-in while password changes wait: %v", err)
		}
		s.clock.Advance(time.Second)
		if err := s.app.ChangePassword(ctx, actor, rightPassword, next, 0); err != nil {
			t.Errorf("right current password after the wait: %v", err)
		}
	})
}
