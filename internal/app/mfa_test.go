package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// RFC 6238 appendix B, SHA-1, cut to six digits.
func TestTOTPCodeMatchesRFC6238(t *testing.T) {
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for _, tc := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		got, err := app.TOTPCode(secret, app.TOTPStep(time.Unix(tc.unix, 0)))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("at %d: got %s, want %s", tc.unix, got, tc.want)
		}
	}
}

// code is the one-time code of secret at the clock's time, moved by skew
// steps.
func (s *signIn) code(t *testing.T, secret string, skew int64) string {
	t.Helper()
	c, err := app.TOTPCode(secret, app.TOTPStep(s.clock.Now())+skew)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrol switches two-factor sign-in on for u and returns its secret and
// recovery codes.
func (s *signIn) enrol(t *testing.T, u account.User) (string, []string) {
	t.Helper()
	ctx := context.Background()
	actor := u.Actor("session")
	offer, err := s.app.OfferMFA(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := s.app.EnableMFA(ctx, actor, s.code(t, offer.Secret, 0))
	if err != nil {
		t.Fatal(err)
	}
	return offer.Secret, codes
}

func (s *signIn) signInAs(email, password, code string) (app.SignInResult, error) {
	return s.app.SignIn(context.Background(), app.SignInInput{Email: email, Password: password, Code: code, Next: "/teams", RemoteAddr: addr, UserAgent: "test"})
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != field {
		t.Fatalf("got %v, want a field error on %s", err, field)
	}
}

func TestMFASetUpThenSignInInTwoSteps(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		actor := s.user.Actor("session")
		offer, err := s.app.OfferMFA(ctx, actor)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(offer.URI, "otpauth://totp/Conform:agent@example.com?") || !strings.Contains(offer.URI, "secret="+offer.Secret) {
			t.Errorf("otpauth URI %q, want the account and secret", offer.URI)
		}
		// Not on until a code confirms it.
		if r, err := s.signInAs("agent@example.com", rightPassword, ""); err != nil || r.Pending != "" || r.Secret == "" {
			t.Fatalf("sign in before confirming: %+v, %v; want a session at once", r, err)
		}
		_, err = s.app.EnableMFA(ctx, actor, "000000")
		wantField(t, err, "code")
		codes, err := s.app.EnableMFA(ctx, actor, s.code(t, offer.Secret, 0))
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes, want 10", len(codes))
		}
		st, err := s.app.MFAStatus(ctx, actor)
		if err != nil || !st.Enabled || st.RecoveryLeft != 10 {
			t.Fatalf("status %+v, %v; want on with 10 recovery codes", st, err)
		}

		r, err := s.signInAs("agent@example.com", rightPassword, "")
		if err != nil || r.Pending == "" || r.Secret != "" || r.Setup {
			t.Fatalf("password with a second factor on: %+v, %v; want a pending sign-in and no session", r, err)
		}
		p, err := s.app.GetPendingSignIn(ctx, r.Pending)
		if err != nil || p.Email != "agent@example.com" || p.Next != "/teams" || p.CSRF == "" {
			t.Fatalf("pending sign-in %+v, %v", p, err)
		}
		// The code that switched it on was used in this step: not again.
		_, err = s.app.FinishSignIn(ctx, r.Pending, s.code(t, offer.Secret, 0))
		wantField(t, err, "code")
		s.clock.Advance(30 * time.Second)
		done, err := s.app.FinishSignIn(ctx, r.Pending, s.code(t, offer.Secret, 0))
		if err != nil || done.Secret == "" || done.Next != "/teams" {
			t.Fatalf("second step: %+v, %v; want a session", done, err)
		}
		if _, err := s.app.AuthenticateSession(ctx, done.Secret); err != nil {
			t.Fatalf("session from the second step: %v", err)
		}
		// The pending sign-in is used up.
		if _, err := s.app.FinishSignIn(ctx, r.Pending, s.code(t, offer.Secret, 1)); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("pending sign-in used twice: %v, want unauthenticated", err)
		}
		// A code from the same step, in another sign-in: refused (replay).
		r2, _ := s.signInAs("agent@example.com", rightPassword, "")
		_, err = s.app.FinishSignIn(ctx, r2.Pending, s.code(t, offer.Secret, 0))
		wantField(t, err, "code")
		// A recovery code works once.
		if _, err := s.app.FinishSignIn(ctx, r2.Pending, strings.ToUpper(codes[3])); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		r3, _ := s.signInAs("agent@example.com", rightPassword, "")
		_, err = s.app.FinishSignIn(ctx, r3.Pending, codes[3])
		wantField(t, err, "code")
		// A pending sign-in lasts a few minutes.
		s.clock.Advance(app.PendingSignInTTL + time.Second)
		if _, err := s.app.FinishSignIn(ctx, r3.Pending, codes[4]); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("expired pending sign-in: %v, want unauthenticated", err)
		}
		// A bearer token still signs nothing in with a second step.
		if _, _, err := s.app.Login(ctx, "agent@example.com", rightPassword, addr, "test"); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("Login without a second step: %v, want refused", err)
		}
	})
}

func TestMFAWrongCodesCountInTheThrottle(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		secret, _ := s.enrol(t, s.user)
		s.clock.Advance(30 * time.Second)
		r, err := s.signInAs("agent@example.com", rightPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		for i := range freeFailures {
			if _, err := s.app.FinishSignIn(ctx, r.Pending, "123456"); errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("wrong code %d: %v, want a field error", i+1, err)
			}
		}
		if _, err := s.app.FinishSignIn(ctx, r.Pending, s.code(t, secret, 0)); errs.CodeOf(err) != errs.RateLimited {
			t.Fatalf("after %d wrong codes: %v, want rate limited", freeFailures, err)
		}
		if _, err := s.signInAs("agent@example.com", rightPassword, ""); errs.CodeOf(err) != errs.RateLimited {
			t.Fatalf("password after %d wrong codes: %v, want rate limited", freeFailures, err)
		}
	})
}

// An attacker who runs up the account's failures slows it down, but the
// person with their password and second factor still gets in, and the
// attacker's guesses with a code never reach the password.
func TestThrottledAccountLetsPasswordWithSecondFactorThrough(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		secret, _ := s.enrol(t, s.user)
		s.clock.Advance(30 * time.Second)
		for range freeFailures + 1 {
			_ = s.login("agent@example.com", wrongPassword)
		}
		if _, err := s.signInAs("agent@example.com", rightPassword, ""); errs.CodeOf(err) != errs.RateLimited {
			t.Fatalf("right password on a slowed account: %v, want rate limited", err)
		}
		before := s.checks.Load()
		if _, err := s.signInAs("agent@example.com", rightPassword, "654321"); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("wrong code with the password: %v, want unauthenticated", err)
		}
		if n := s.checks.Load() - before; n != 0 {
			t.Errorf("a wrong code got %d passwords checked, want none", n)
		}
		r, err := s.signInAs("agent@example.com", rightPassword, s.code(t, secret, 0))
		if err != nil || r.Secret == "" {
			t.Fatalf("right password and code on a slowed account: %+v, %v; want a session", r, err)
		}
		// And the account is no longer slowed down.
		s.clock.Advance(30 * time.Second)
		if r, err := s.signInAs("agent@example.com", rightPassword, ""); err != nil || r.Pending == "" {
			t.Errorf("after getting in: %+v, %v; want the second step", r, err)
		}
	})
}

func TestMFARequiredForAdministratorsIsSetUpWhileSigningIn(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		admin, err := s.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "boss@example.com", Name: "Bo Boss", Role: access.Admin, OrgID: s.user.OrgID, Password: rightPassword})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.signInAs("boss@example.com", rightPassword, "")
		if err != nil || r.Pending == "" || !r.Setup || r.Secret != "" {
			t.Fatalf("administrator without a second factor: %+v, %v; want a pending sign-in to set one up", r, err)
		}
		p, err := s.app.GetPendingSignIn(ctx, r.Pending)
		if err != nil || !p.Setup || p.Offer.Secret == "" {
			t.Fatalf("pending set-up %+v, %v", p, err)
		}
		_, err = s.app.FinishSignIn(ctx, r.Pending, "000000")
		wantField(t, err, "code")
		done, err := s.app.FinishSignIn(ctx, r.Pending, s.code(t, p.Offer.Secret, 1))
		if err != nil || done.Secret == "" || len(done.RecoveryCodes) != 10 {
			t.Fatalf("set-up code: %+v, %v; want a session and 10 recovery codes", done, err)
		}
		st, err := s.app.MFAStatus(ctx, admin.Actor("session"))
		if err != nil || !st.Enabled || !st.Required {
			t.Fatalf("administrator's status %+v, %v; want on and required", st, err)
		}
		if err := s.app.DisableMFA(ctx, admin.Actor("session"), rightPassword, done.RecoveryCodes[0]); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("administrator switching it off: %v, want a conflict", err)
		}
		// The audit trail says it went on, and never holds the secret.
		entries, _, err := s.app.DB().ListAudit(ctx, store.AuditFilter{Entity: "user", EntityID: admin.ID})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			if strings.Contains(e.Diff, p.Offer.Secret) || strings.Contains(e.Diff, strings.ReplaceAll(done.RecoveryCodes[0], "-", "")) {
				t.Errorf("audit entry %d holds a secret: %s", e.Seq, e.Diff)
			}
			if strings.Contains(e.Diff, `"two_factor"`) && e.ActorID == admin.ID {
				found = true
			}
		}
		if !found {
			t.Errorf("no audit entry for switching two-factor sign-in on by the administrator")
		}
	})
}

func TestMFARequiredRolesSetting(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		if err := s.app.SetMFARequiredRoles(ctx, s.user.Actor("session"), []access.Role{access.Agent}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("agent choosing: %v, want forbidden", err)
		}
		admin := access.Actor{UserID: 1, Name: "Admin", Role: access.Admin}
		if err := s.app.SetMFARequiredRoles(ctx, admin, []access.Role{"wizard"}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("unknown role: %v, want invalid", err)
		}
		if err := s.app.SetMFARequiredRoles(ctx, admin, []access.Role{access.Agent}); err != nil {
			t.Fatal(err)
		}
		roles, err := s.app.MFARequiredRoles(ctx)
		if err != nil || len(roles) != 2 || roles[0] != access.Admin || roles[1] != access.Agent {
			t.Fatalf("required roles %v, %v; want admin and agent", roles, err)
		}
		entries, _, err := s.app.DB().ListAudit(ctx, store.AuditFilter{Entity: "setting"})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Diff, app.MFARolesSetting) {
			t.Fatalf("audit of the setting: %v, %v", entries, err)
		}
		r, err := s.signInAs("agent@example.com", rightPassword, "")
		if err != nil || !r.Setup {
			t.Fatalf("agent once agents need a second factor: %+v, %v; want to set one up", r, err)
		}
		if err := s.app.DisableMFA(ctx, s.user.Actor("session"), rightPassword, "123456"); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("switching off a required second factor: %v, want a conflict", err)
		}
	})
}

func TestMFASwitchOffAndNewRecoveryCodes(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		actor := s.user.Actor("session")
		secret, codes := s.enrol(t, s.user)
		_, err := s.app.RegenerateRecoveryCodes(ctx, actor, "")
		wantField(t, err, "code")
		fresh, err := s.app.RegenerateRecoveryCodes(ctx, actor, codes[0])
		if err != nil || len(fresh) != 10 {
			t.Fatalf("new recovery codes: %d, %v", len(fresh), err)
		}
		s.clock.Advance(30 * time.Second)
		r, _ := s.signInAs("agent@example.com", rightPassword, "")
		_, err = s.app.FinishSignIn(ctx, r.Pending, codes[1])
		wantField(t, err, "code") // the old ones stopped working
		err = s.app.DisableMFA(ctx, actor, wrongPassword, s.code(t, secret, 0))
		wantField(t, err, "password")
		err = s.app.DisableMFA(ctx, actor, rightPassword, "000000")
		wantField(t, err, "code")
		if err := s.app.DisableMFA(ctx, actor, rightPassword, fresh[9]); err != nil {
			t.Fatal(err)
		}
		if r, err := s.signInAs("agent@example.com", rightPassword, ""); err != nil || r.Secret == "" {
			t.Fatalf("after switching off: %+v, %v; want a session at once", r, err)
		}
		entries, _, err := s.app.DB().ListAudit(ctx, store.AuditFilter{Entity: "user", EntityID: s.user.ID})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			switch {
			case strings.Contains(e.Diff, `"two_factor","before":true`):
				got = append(got, "off")
			case strings.Contains(e.Diff, `"two_factor","before":false`):
				got = append(got, "on")
			case strings.Contains(e.Diff, `"recovery_codes"`):
				got = append(got, "codes")
			}
		}
		if strings.Join(got, " ") != "off codes on" {
			t.Errorf("audit entries, newest first: %v, want off codes on", got)
		}
	})
}

func TestWeakPasswordsRefused(t *testing.T) {
	s := newSignIn(t, "sqlite")
	ctx := context.Background()
	_, err := s.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "lee.jones@example.com", Name: "Lee Jones", Role: access.Agent, OrgID: s.user.OrgID, Password: "leejones2024"})
	wantField(t, err, "password")
	if !strings.Contains(err.Error(), "three or four unrelated words") {
		t.Errorf("refusal %q, want advice", err)
	}
	err = s.app.ChangePassword(ctx, s.user.Actor("session"), rightPassword, "password12345", 0)
	wantField(t, err, "new_password")
	err = s.app.SetPassword(ctx, access.CLI, s.user.ID, "qwerty123456")
	wantField(t, err, "password")
}
