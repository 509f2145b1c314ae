package app

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// How long a sign-in whose password was right waits for its second factor,
// and for one to be set up (scanning a QR code takes longer).
const (
	PendingSignInTTL = 5 * time.Minute
	PendingSetupTTL  = 10 * time.Minute
)

// SignInInput is what a person gives to sign in in a browser.
type SignInInput struct {
	Email, Password string
	// Code is a one-time or recovery code given with the password. It is
	// only asked for while the account is being slowed down after failed
	// sign-ins: then a code is checked first and, if right, the password,
	// so a person with their second factor still gets in.
	Code       string
	Next       string // where to go once signed in
	RemoteAddr string
	UserAgent  string
}

// SignInResult is a session opened, or a second step to take.
type SignInResult struct {
	Session account.Session
	Secret  string // for the session cookie
	// Pending is the secret of the cookie that binds a sign-in waiting for
	// its second step to the browser; Setup says the step is setting a
	// second factor up.
	Pending        string
	PendingExpires time.Time
	Setup          bool
	// RecoveryCodes are shown once, after a second factor was set up
	// while signing in.
	RecoveryCodes []string
	Next          string
}

// Login checks an email and password and opens a session, for callers
// that cannot take a second step: an account with a second factor (or
// that must set one up) is refused.
func (a *App) Login(ctx context.Context, email, password, remoteAddr, userAgent string) (account.Session, string, error) {
	r, err := a.SignIn(ctx, SignInInput{Email: email, Password: password, RemoteAddr: remoteAddr, UserAgent: userAgent})
	if err != nil {
		return account.Session{}, "", err
	}
	if r.Pending != "" {
		return account.Session{}, "", errs.E(errs.Unauthenticated, "this account signs in with a second factor; sign in in the browser")
	}
	return r.Session, r.Secret, nil
}

var errSignIn = errs.E(errs.Unauthenticated, "the email or password is wrong")

// SignIn is the first step of signing in: the password. A user without a
// second factor, whose role does not need one, gets a session; one with a
// second factor, or whose role needs one, gets a pending sign-in for the
// second step (FinishSignIn). Attempts are throttled per address and per
// account before the password is checked; a deactivated account is
// answered as a wrong password is.
func (a *App) SignIn(ctx context.Context, in SignInInput) (SignInResult, error) {
	email := account.NormalizeEmail(in.Email)
	var c errs.Checker
	c.Check(email != "", "email", "is required")
	c.Check(in.Password != "", "password", "is required")
	c.Check(len(email) <= 254, "email", "must be at most 254 characters")
	c.Check(len(in.Password) <= account.MaxPasswordLen, "password", "must be at most 256 bytes")
	c.Check(len(in.Code) <= 64, "code", "must be at most 64 characters")
	if err := c.Err(); err != nil {
		return SignInResult{}, err
	}
	acctKey, addrKey := "acct:"+email, "addr:"+in.RemoteAddr
	now := a.db.Now()
	const refusal = "too many failed sign-ins"
	if err := a.countAttempt(ctx, addrKey, freeAddrFailures, now, refusal); err != nil {
		a.noteThrottled(email, in.RemoteAddr, err)
		return SignInResult{}, err
	}
	uncountAddr := func() {
		if err := a.db.UncountLoginAttempt(ctx, addrKey); err != nil {
			a.log.WarnContext(ctx, "uncount sign-in attempt", "err", err)
		}
	}
	if err := a.countAttempt(ctx, acctKey, freeFailures, now, refusal); err != nil {
		if errs.CodeOf(err) == errs.RateLimited && normalizeCode(in.Code) != "" {
			return a.signInWithCode(ctx, in, email, addrKey, acctKey, err)
		}
		a.noteThrottled(email, in.RemoteAddr, err)
		// No password was checked, so the address gets its attempt back.
		uncountAddr()
		return SignInResult{}, err
	}
	u, err := a.db.UserByEmail(ctx, email)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return SignInResult{}, err
	}
	ok, err := a.verifyPassword(u.PasswordHash, in.Password)
	if err != nil {
		return SignInResult{}, fmt.Errorf("verify password of user %d: %w", u.ID, err)
	}
	if !ok || !u.Active {
		a.noteSignInFailed(email, u.ID, in.RemoteAddr)
		return SignInResult{}, errSignIn
	}
	// A success is no failure of the address either.
	if err := a.db.UncountLoginAttempt(ctx, addrKey); err != nil {
		return SignInResult{}, err
	}
	m, err := a.db.GetMFA(ctx, u.ID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return SignInResult{}, err
	}
	if m.Enabled {
		// The account's failures are cleared only once the second factor
		// is right too, so that wrong codes add up across attempts.
		if err := a.db.UncountLoginAttempt(ctx, acctKey); err != nil {
			return SignInResult{}, err
		}
		return a.pendSignIn(ctx, u, in, "")
	}
	if err := a.db.ClearLoginFailures(ctx, acctKey); err != nil {
		return SignInResult{}, err
	}
	required, err := a.MFARequired(ctx, u.Role)
	if err != nil {
		return SignInResult{}, err
	}
	if required {
		secret, err := newTOTPSecret()
		if err != nil {
			return SignInResult{}, err
		}
		return a.pendSignIn(ctx, u, in, secret)
	}
	return a.openSession(ctx, u, in.RemoteAddr, in.UserAgent, in.Next, nil)
}

// signInWithCode lets a person whose account is being slowed down in with
// their second factor and password: the code is checked first, under a
// count of its own, and only a right code gets the password checked.
// throttled is the account's refusal, answered for an account without a
// second factor.
func (a *App) signInWithCode(ctx context.Context, in SignInInput, email, addrKey, acctKey string, throttled error) (SignInResult, error) {
	codeKey := "2fa:" + email
	if err := a.countAttempt(ctx, codeKey, freeFailures, a.db.Now(), "too many failed sign-ins with a code"); err != nil {
		return SignInResult{}, err
	}
	u, err := a.db.UserByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		return SignInResult{}, throttled
	}
	if err != nil {
		return SignInResult{}, err
	}
	m, err := a.db.GetMFA(ctx, u.ID)
	if errs.Is(err, errs.NotFound) || (err == nil && !m.Enabled) {
		return SignInResult{}, throttled
	}
	if err != nil {
		return SignInResult{}, err
	}
	wrong := errs.E(errs.Unauthenticated, "the email, password or code is wrong")
	ok, err := a.checkSecondFactor(ctx, m, in.Code)
	if err != nil || !ok {
		return SignInResult{}, cmpErr(err, wrong)
	}
	ok, err = a.verifyPassword(u.PasswordHash, in.Password)
	if err != nil || !ok || !u.Active {
		return SignInResult{}, cmpErr(err, wrong)
	}
	if err := a.db.ClearLoginFailures(ctx, acctKey, codeKey); err != nil {
		return SignInResult{}, err
	}
	if err := a.db.UncountLoginAttempt(ctx, addrKey); err != nil {
		return SignInResult{}, err
	}
	return a.openSession(ctx, u, in.RemoteAddr, in.UserAgent, in.Next, nil)
}

// cmpErr is err if there is one, otherwise otherwise.
func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// pendSignIn stores a sign-in waiting for its second step; setupSecret is
// the secret to set up, "" when the user has a second factor already.
func (a *App) pendSignIn(ctx context.Context, u account.User, in SignInInput, setupSecret string) (SignInResult, error) {
	secret, err := randomToken()
	if err != nil {
		return SignInResult{}, err
	}
	csrf, err := randomHex(32)
	if err != nil {
		return SignInResult{}, err
	}
	now := a.db.Now()
	ttl := PendingSignInTTL
	if setupSecret != "" {
		ttl = PendingSetupTTL
	}
	p := store.PendingSignIn{Hash: sha256Hex(secret), UserID: u.ID, CSRF: csrf, SetupSecret: setupSecret, Next: in.Next,
		RemoteAddr: in.RemoteAddr, UserAgent: truncate(in.UserAgent, 400), ExpiresAt: now.Add(ttl)}
	if err := a.db.CreatePendingSignIn(ctx, p, now); err != nil {
		return SignInResult{}, err
	}
	return SignInResult{Pending: secret, PendingExpires: p.ExpiresAt, Setup: setupSecret != "", Next: in.Next}, nil
}

// openSession opens a session for u; with mfa set (its secret, the step
// of the confirming code and the recovery codes' hashes) it switches u's
// second factor on in the same transaction.
func (a *App) openSession(ctx context.Context, u account.User, remoteAddr, userAgent, next string, mfa *enableMFA) (SignInResult, error) {
	secret, err := randomToken()
	if err != nil {
		return SignInResult{}, err
	}
	csrf, err := randomHex(32)
	if err != nil {
		return SignInResult{}, err
	}
	now := a.db.Now()
	s := account.Session{UserID: u.ID, Hash: sha256Hex(secret), CSRF: csrf, LastSeenAt: now, ExpiresAt: now.Add(a.cfg.SessionLifetime),
		RemoteAddr: remoteAddr, UserAgent: truncate(userAgent, 400)}
	actor := u.Actor("session")
	err = a.db.InTx(ctx, func(tx *store.Tx) error {
		if mfa != nil {
			if err := tx.EnableMFA(ctx, actor, u.ID, mfa.secret, mfa.step, mfa.hashes); err != nil {
				return err
			}
		}
		var err error
		s, err = tx.CreateSession(ctx, actor, s)
		return err
	})
	return SignInResult{Session: s, Secret: secret, Next: next}, err
}

type enableMFA struct {
	secret string
	step   int64
	hashes []string
}

// PendingSignIn is a sign-in waiting for its second step, as its page
// shows it.
type PendingSignIn struct {
	Email     string
	CSRF      string // the token its forms carry
	Setup     bool   // the step is setting a second factor up
	Offer     MFAOffer
	Next      string
	ExpiresAt time.Time
}

var errPendingGone = errs.E(errs.Unauthenticated, "your sign-in has expired or is finished; sign in again")

// GetPendingSignIn reads the sign-in waiting under the cookie secret.
func (a *App) GetPendingSignIn(ctx context.Context, secret string) (PendingSignIn, error) {
	if secret == "" || len(secret) > 200 {
		return PendingSignIn{}, errPendingGone
	}
	p, err := a.db.PendingSignInByHash(ctx, sha256Hex(secret), a.db.Now())
	if errs.Is(err, errs.NotFound) {
		return PendingSignIn{}, errPendingGone
	}
	if err != nil {
		return PendingSignIn{}, err
	}
	u, err := a.db.GetUser(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && !u.Active) {
		return PendingSignIn{}, errPendingGone
	}
	if err != nil {
		return PendingSignIn{}, err
	}
	out := PendingSignIn{Email: u.Email, CSRF: p.CSRF, Setup: p.SetupSecret != "", Next: p.Next, ExpiresAt: p.ExpiresAt}
	if out.Setup {
		out.Offer = MFAOffer{Secret: p.SetupSecret, URI: otpauthURI(u.Email, p.SetupSecret)}
	}
	return out, nil
}

// FinishSignIn is the second step: code, a one-time code (or a recovery
// code) from the user's second factor, or the first code from the one
// being set up, which switches it on. Each try counts against the
// account's sign-in throttle. It opens the session; the pending sign-in
// is used up.
func (a *App) FinishSignIn(ctx context.Context, secret, code string) (SignInResult, error) {
	if secret == "" || len(secret) > 200 {
		return SignInResult{}, errPendingGone
	}
	hash := sha256Hex(secret)
	now := a.db.Now()
	p, err := a.db.PendingSignInByHash(ctx, hash, now)
	if errs.Is(err, errs.NotFound) {
		return SignInResult{}, errPendingGone
	}
	if err != nil {
		return SignInResult{}, err
	}
	u, err := a.db.GetUser(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && !u.Active) {
		return SignInResult{}, errPendingGone
	}
	if err != nil {
		return SignInResult{}, err
	}
	code = normalizeCode(code)
	if code == "" {
		return SignInResult{}, errs.Field("code", "is required")
	}
	if len(code) > 64 {
		return SignInResult{}, errs.Field("code", "must be at most 64 characters")
	}
	acctKey := "acct:" + u.Email
	if err := a.countAttempt(ctx, acctKey, freeFailures, now, "too many failed sign-ins"); err != nil {
		return SignInResult{}, err
	}
	var enable *enableMFA
	var codes []string
	if p.SetupSecret != "" {
		step, ok := matchTOTP(p.SetupSecret, code, now)
		if !isTOTPCode(code) || !ok {
			return SignInResult{}, errs.Field("code", wrongCode)
		}
		var hashes []string
		if codes, hashes, err = newRecoveryCodes(); err != nil {
			return SignInResult{}, err
		}
		enable = &enableMFA{secret: p.SetupSecret, step: step, hashes: hashes}
	} else {
		m, err := a.db.GetMFA(ctx, u.ID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return SignInResult{}, err
		}
		ok, err := a.checkSecondFactor(ctx, m, code)
		if err != nil {
			return SignInResult{}, err
		}
		if !ok {
			return SignInResult{}, errs.Field("code", "is wrong or was used already; enter the newest code your app shows, or an unused recovery code")
		}
	}
	// The pending sign-in is used once, whoever gets here first.
	if gone, err := a.db.DeletePendingSignIn(ctx, hash); err != nil || !gone {
		return SignInResult{}, cmpErr(err, errPendingGone)
	}
	if err := a.db.ClearLoginFailures(ctx, acctKey); err != nil {
		return SignInResult{}, err
	}
	r, err := a.openSession(ctx, u, p.RemoteAddr, p.UserAgent, p.Next, enable)
	r.RecoveryCodes = codes
	return r, err
}

// CancelSignIn drops a pending sign-in.
func (a *App) CancelSignIn(ctx context.Context, secret string) error {
	if secret == "" || len(secret) > 200 {
		return nil
	}
	_, err := a.db.DeletePendingSignIn(ctx, sha256Hex(secret))
	return err
}

// selfUser reads the signed-in actor's own account.
func (a *App) selfUser(ctx context.Context, actor access.Actor) (account.User, error) {
	if actor.UserID == 0 {
		return account.User{}, errs.E(errs.Unauthenticated, "sign in first")
	}
	return a.db.GetUser(ctx, actor.UserID)
}
