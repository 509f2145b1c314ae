package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Sign-in throttling: every attempt is counted per account and per address
// before its password is checked. After freeFailures for an account (or
// freeAddrFailures from one address) each further attempt must wait after
// the one before, a second at first and twice as long with each failure, up
// to maxDelay; attempts within the wait are refused unchecked and uncounted,
// so an account is slowed down, never locked. A success clears the
// account's count. Counts live in the database so every instance sees them.
const (
	freeFailures     = 5
	freeAddrFailures = 20
	maxDelay         = 15 * time.Minute
	touchEvery       = time.Minute // how stale last-used times may get
	TokenPrefix      = "cfm_"
)

func throttleDelay(failures, free int64) time.Duration {
	if failures < free {
		return 0
	}
	d := time.Second << min(failures-free, 10)
	return min(d, maxDelay)
}

// countAttempt counts one attempt under key before its password is
// checked, or refuses it while key must wait (RateLimited: refusal, then how
// long). Attempts racing on one count are counted one at a time; one that
// keeps losing the race is refused.
func (a *App) countAttempt(ctx context.Context, key string, free int64, now time.Time, refusal string) error {
	for range 50 {
		n, at, err := a.db.LoginFailures(ctx, key)
		if err != nil {
			return err
		}
		if wait := at.Add(throttleDelay(n, free)).Sub(now); wait > 0 {
			return rateLimited(refusal, wait)
		}
		counted, err := a.db.CountLoginAttempt(ctx, key, n, now)
		if err != nil || counted {
			return err
		}
	}
	return rateLimited(refusal, time.Second)
}

func rateLimited(refusal string, wait time.Duration) error {
	if r := wait % time.Second; r != 0 {
		wait += time.Second - r // whole seconds, as Retry-After has them
	}
	e := errs.E(errs.RateLimited, "%s; try again in %s", refusal, wait)
	e.RetryAfter = wait
	return e
}

// verifyPassword checks a password against its hash; for an account
// without one ("") it spends the same time and says no.
func (a *App) verifyPassword(hash, password string) (bool, error) {
	if a.cfg.PasswordVerifier != nil {
		return a.cfg.PasswordVerifier(hash, password)
	}
	if hash == "" {
		account.VerifyDummy(password)
		return false, nil
	}
	return account.VerifyPassword(hash, password)
}

// ListSessions lists the actor's own sessions that are still open.
func (a *App) ListSessions(ctx context.Context, actor access.Actor) ([]account.Session, error) {
	if err := sessions.MayRead(actor, "list"); err != nil {
		return nil, err
	}
	if actor.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "sign in first")
	}
	return a.db.ListSessions(ctx, actor.UserID, a.db.Now())
}

// EndSession signs the actor out of one of their sessions (read at
// version, 0: any), on whatever device it is.
func (a *App) EndSession(ctx context.Context, actor access.Actor, id, version int64) error {
	if err := sessions.MayWrite(actor, "end"); err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *store.Tx) error {
		return tx.DeleteSession(ctx, actor, id, version, sessions.Guard(actor, id, nil))
	})
}

// EndOtherSessions signs the actor out everywhere but the session keep (0:
// everywhere), each session's end with its audit entry; it returns how
// many ended.
func (a *App) EndOtherSessions(ctx context.Context, actor access.Actor, keep int64) (int, error) {
	if actor.UserID == 0 {
		return 0, errs.E(errs.Unauthenticated, "sign in first")
	}
	var n int
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		n, err = endSessions(ctx, tx, actor, actor.UserID, keep)
		return err
	})
	return n, err
}

// GetSession reads one session the actor may see: their own.
func (a *App) GetSession(ctx context.Context, actor access.Actor, id int64) (account.Session, error) {
	return sessions.Get(ctx, actor, id, a.db.GetSession)
}

// Logout ends a session.
func (a *App) Logout(ctx context.Context, actor access.Actor, sessionID int64) error {
	return a.db.InTx(ctx, func(tx *store.Tx) error {
		return tx.DeleteSession(ctx, actor, sessionID, 0, sessions.Guard(actor, sessionID, nil))
	})
}

// Authenticated is a verified caller.
type Authenticated struct {
	Actor   access.Actor
	Session *account.Session // set for browser sessions
	TokenID int64            // set for API tokens
	// Prefs are the user's preferences, for the pages (browser sessions).
	Prefs account.Preferences
}

// AuthenticateSession resolves a session cookie's secret.
func (a *App) AuthenticateSession(ctx context.Context, secret string) (Authenticated, error) {
	if secret == "" || len(secret) > 200 {
		return Authenticated{}, errs.E(errs.Unauthenticated, "no session")
	}
	su, err := a.db.SessionByHash(ctx, sha256Hex(secret))
	if errs.Is(err, errs.NotFound) {
		return Authenticated{}, errs.E(errs.Unauthenticated, "your session has ended; sign in again")
	}
	if err != nil {
		return Authenticated{}, err
	}
	now := a.db.Now()
	s := su.Session
	if !su.User.Active || now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > a.cfg.SessionIdle {
		return Authenticated{}, errs.E(errs.Unauthenticated, "your session has ended; sign in again")
	}
	if now.Sub(s.LastSeenAt) > touchEvery {
		if err := a.db.TouchSession(ctx, s.ID, now); err != nil {
			a.log.WarnContext(ctx, "touch session", "err", err)
		}
	}
	return Authenticated{Actor: su.User.Actor("session"), Session: &s, Prefs: su.User.Preferences}, nil
}

// AuthenticateToken resolves an API token. A keyed SHA-256 is enough for
// long random secrets, so a request never pays for a password hash.
func (a *App) AuthenticateToken(ctx context.Context, secret string) (Authenticated, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return Authenticated{}, errs.E(errs.Unauthenticated, "the API token is malformed")
	}
	hash := a.tokenHash(secret)
	now := a.db.Now()
	if auth, ok := a.tokens.get(hash, now); ok {
		return auth, nil
	}
	to, err := a.db.TokenByHash(ctx, hash)
	if errs.Is(err, errs.NotFound) {
		return Authenticated{}, errs.E(errs.Unauthenticated, "the API token is not valid")
	}
	if err != nil {
		return Authenticated{}, err
	}
	if !to.Token.Active(now) || !to.User.Active {
		return Authenticated{}, errs.E(errs.Unauthenticated, "the API token is revoked or expired")
	}
	if to.Token.LastUsedAt == nil || now.Sub(*to.Token.LastUsedAt) > touchEvery {
		if err := a.db.TouchToken(ctx, to.Token.ID, now); err != nil {
			a.log.WarnContext(ctx, "touch token", "err", err)
		}
	}
	actor := to.User.Actor("token")
	actor.TokenID = to.Token.ID
	if maker := to.Token.CreatedBy; maker != 0 && maker != to.Token.UserID {
		// An administrator made this token for its user: every write
		// through it names both.
		actor.Via = fmt.Sprintf("token made by %s (#%d)", to.MakerName, maker)
	}
	auth := Authenticated{Actor: actor, TokenID: to.Token.ID}
	a.tokens.put(hash, cachedToken{auth: auth, userID: to.User.ID, expiresAt: to.Token.ExpiresAt, until: now.Add(tokenTTL)})
	return auth, nil
}

func (a *App) tokenHash(secret string) string {
	m := hmac.New(sha256.New, a.tokenKey)
	m.Write([]byte(secret))
	return hex.EncodeToString(m.Sum(nil))
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// ForgetOldFailures drops failed sign-in counts older than a day; run as a job.
func (a *App) ForgetOldFailures(ctx context.Context) (int64, error) {
	return a.db.ForgetLoginFailures(ctx, a.db.Now().Add(-24*time.Hour))
}

// DeleteExpiredSessions removes ended sessions; run as a job.
func (a *App) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	return a.db.DeleteExpiredSessions(ctx, a.db.Now(), a.cfg.SessionIdle)
}
