package app_test

import (
	"bytes"
	"context"
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

// A session's last use is written at most once a minute, and a session
// idle for longer than the idle limit ends: both to the microsecond (the store's clock).
func TestSessionIdleAndTouch(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			var log bytes.Buffer
			s := newSignInLogged(t, e, slog.New(slog.NewTextHandler(&log, nil)))
			_, secret, err := s.app.Login(ctx, s.user.Email, rightPassword, addr, "test")
			if err != nil {
				t.Fatal(err)
			}
			lastSeen := func() time.Time {
				t.Helper()
				a, err := s.app.AuthenticateSession(ctx, secret)
				if err != nil {
					t.Fatalf("at %s: %v", s.clock, err)
				}
				return a.Session.LastSeenAt
			}
			start := s.clock.Now()
			s.clock.Advance(time.Minute)
			lastSeen() // a minute is not stale yet: not written
			if got := lastSeen(); !got.Equal(start) {
				t.Errorf("used a minute after its last use: last seen %s, want it left at %s", got, start)
			}
			s.clock.Advance(time.Microsecond)
			lastSeen() // now it is: written
			if got := lastSeen(); !got.Equal(s.clock.Now()) {
				t.Errorf("used just over a minute after: last seen %s, want %s", got, s.clock.Now())
			}
			idle := app.DefaultConfig().SessionIdle
			s.clock.Advance(idle)
			lastSeen() // idle exactly the limit: still on, and written
			s.clock.Advance(idle + time.Microsecond)
			if _, err := s.app.AuthenticateSession(ctx, secret); errs.CodeOf(err) != errs.Unauthenticated {
				t.Errorf("idle past the limit: %v, want the session ended", err)
			}
			if strings.Contains(log.String(), "touch session") {
				t.Errorf("writing the last use logged a failure:\n%s", log.String())
			}
		})
	}
}

// A session's or a token's secret over 200 characters is refused unread;
// one of 200 is looked up (and, here, not found).
func TestSessionAndTokenSecretLength(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	ctx := context.Background()
	for n, want := range map[int]string{200: "your session has ended", 201: "no session"} {
		_, err := s.app.AuthenticateSession(ctx, strings.Repeat("s", n))
		if errs.CodeOf(err) != errs.Unauthenticated || !strings.Contains(err.Error(), want) {
			t.Errorf("a session secret of %d characters: %v, want %q", n, err, want)
		}
	}
	for n, want := range map[int]string{200: "not valid", 201: "malformed"} {
		_, err := s.app.AuthenticateToken(ctx, app.TokenPrefix+strings.Repeat("t", n-len(app.TokenPrefix)))
		if errs.CodeOf(err) != errs.Unauthenticated || !strings.Contains(err.Error(), want) {
			t.Errorf("a token of %d characters: %v, want %q", n, err, want)
		}
	}
}

// A token's last use is written on its first use, then at most once a
// minute, with nothing logged.
func TestTokenLastUseTouch(t *testing.T) {
	ctx := context.Background()
	var log bytes.Buffer
	s := newSignInLogged(t, storetest.SQLite, slog.New(slog.NewTextHandler(&log, nil)))
	tok, secret, err := s.app.CreateToken(ctx, access.CLI, account.TokenInput{UserID: s.user.ID, Name: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	use := func() *time.Time {
		t.Helper()
		if _, err := s.app.AuthenticateToken(ctx, secret); err != nil {
			t.Fatalf("at %s: %v", s.clock, err)
		}
		got, err := s.app.GetToken(ctx, access.CLI, tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.LastUsedAt
	}
	first := s.clock.Now()
	if got := use(); got == nil || !got.Equal(first) {
		t.Fatalf("first use: last used %v, want %s", got, first)
	}
	// A token is remembered for a few seconds; each step below outlasts
	// that, so each use reads the token again.
	s.clock.Advance(50 * time.Second)
	use()
	s.clock.Advance(10 * time.Second) // a minute exactly: not stale yet
	if got := use(); !got.Equal(first) {
		t.Errorf("used a minute after: last used %s, want it left at %s", got, first)
	}
	s.clock.Advance(10 * time.Second)
	if got := use(); !got.Equal(s.clock.Now()) {
		t.Errorf("used 70 seconds after: last used %s, want %s", got, s.clock.Now())
	}
	if strings.Contains(log.String(), "touch token") {
		t.Errorf("writing the last use logged a failure:\n%s", log.String())
	}
}

// Signing out everywhere else ends every other session, keeps the one
// asked for, and counts what it ended.
func TestSessionsEndedEverywhereElse(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	ctx := context.Background()
	var secrets []string
	var keep int64
	for i := range 3 {
		sess, secret, err := s.app.Login(ctx, s.user.Email, rightPassword, addr, "browser")
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, secret)
		if i == 1 {
			keep = sess.ID
		}
	}
	n, err := s.app.EndOtherSessions(ctx, s.user.Actor("session"), keep)
	if err != nil || n != 2 {
		t.Errorf("signed out everywhere else: %d ended (%v), want 2", n, err)
	}
	for i, secret := range secrets {
		_, err := s.app.AuthenticateSession(ctx, secret)
		if ended := errs.CodeOf(err) == errs.Unauthenticated; ended != (i != 1) {
			t.Errorf("session %d after signing out everywhere else: %v", i, err)
		}
	}
}

// A deleted user's API token stops working at once, though tokens are
// remembered for a few seconds; deleting the last administrator is
// refused and changes nothing.
func TestTokenOfADeletedUserEndsAtOnce(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	ctx := context.Background()
	admin, err := s.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "admin@example.com", Name: "An Admin", Role: access.Admin})
	if err != nil {
		t.Fatal(err)
	}
	token := func(u account.User) string {
		_, secret, err := s.app.CreateToken(ctx, access.CLI, account.TokenInput{UserID: u.ID, Name: "ci"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.app.AuthenticateToken(ctx, secret); err != nil { // now remembered
			t.Fatal(err)
		}
		return secret
	}
	agentToken, adminToken := token(s.user), token(admin)
	if err := s.app.DeleteUser(ctx, access.CLI, s.user.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.AuthenticateToken(ctx, agentToken); errs.CodeOf(err) != errs.Unauthenticated {
		t.Errorf("the deleted user's token: %v, want refused at once", err)
	}
	if err := s.app.DeleteUser(ctx, access.CLI, admin.ID, 0); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("deleting the last administrator: %v, want a conflict", err)
	}
	s.clock.Advance(time.Minute) // past the token cache: read from the store
	if _, err := s.app.AuthenticateToken(ctx, adminToken); err != nil {
		t.Errorf("the last administrator's token after the refused delete: %v, want it kept", err)
	}
}
