package app

import (
	"context"
	"sync"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Security events (failed and throttled sign-ins, permission denials, API
// token use) are noted without waiting for the database: a request only
// appends to a buffer, which RunSecurityEvents writes out every second
// and once more when it stops. None of them is a write anyone was told
// succeeded, so a crash may lose the last second's events and nothing
// acknowledged. A full buffer (the database down for a long while) drops
// new events and counts them.
const (
	securityBuffer    = 10000
	securityFlushAt   = 500 // events that wake the writer early
	securityFlushTick = time.Second
	// TokenUseEvery is how often one instance records the use of one API
	// token: at most once in this long, to keep busy tokens cheap.
	TokenUseEvery = 5 * time.Minute
	// DefaultSecurityRetention is how long security events are kept.
	DefaultSecurityRetention = 90 * 24 * time.Hour
)

type securityLog struct {
	mu        sync.Mutex
	buf       []audit.SecurityEvent
	dropped   int64
	wake      chan struct{}
	tokenSeen map[int64]time.Time // when each token's use was last noted here
}

func newSecurityLog() *securityLog {
	return &securityLog{wake: make(chan struct{}, 1), tokenSeen: map[int64]time.Time{}}
}

func (l *securityLog) add(e audit.SecurityEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) >= securityBuffer {
		l.dropped++
		return
	}
	l.buf = append(l.buf, e)
	if len(l.buf) == securityFlushAt {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
}

func (l *securityLog) take() ([]audit.SecurityEvent, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out, dropped := l.buf, l.dropped
	l.buf, l.dropped = nil, 0
	return out, dropped
}

// putBack returns events that could not be written to the front of the
// buffer, as far as it has room.
func (l *securityLog) putBack(evs []audit.SecurityEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	room := max(securityBuffer-len(l.buf), 0)
	if len(evs) > room {
		l.dropped += int64(len(evs) - room)
		evs = evs[len(evs)-room:]
	}
	l.buf = append(evs, l.buf...)
}

func (a *App) noteSecurity(e audit.SecurityEvent) {
	if e.At.IsZero() {
		e.At = a.db.Now()
	}
	a.security.add(e)
}

// noteSignInFailed records a sign-in refused for a wrong email or
// password (userID is 0 when the email names no account).
func (a *App) noteSignInFailed(email string, userID int64, addr string) {
	a.noteSecurity(audit.SecurityEvent{Kind: audit.SignInFailed, Email: email, UserID: userID, RemoteAddr: addr})
}

// noteThrottled records a sign-in refused unchecked by the throttle; err
// is what the throttle answered (other errors are not throttling).
func (a *App) noteThrottled(email, addr string, err error) {
	e := errs.As(err)
	if e == nil || e.Code != errs.RateLimited {
		return
	}
	a.noteSecurity(audit.SecurityEvent{Kind: audit.SignInThrottled, Email: email, RemoteAddr: addr, Detail: e.Message})
}

// NoteDenied records a request answered 403: who asked (0 for nobody
// known), through which token if any, for what route, from where.
func (a *App) NoteDenied(userID, tokenID int64, route, addr string) {
	a.noteSecurity(audit.SecurityEvent{Kind: audit.PermissionDenied, UserID: userID, TokenID: tokenID, Detail: route, RemoteAddr: addr})
}

// NoteTokenUse records that an API token authenticated a request, at most
// once per TokenUseEvery for each token on this instance.
func (a *App) NoteTokenUse(tokenID, userID int64, route, addr string) {
	now := a.db.Now()
	l := a.security
	l.mu.Lock()
	last, seen := l.tokenSeen[tokenID]
	if seen && now.Sub(last) < TokenUseEvery {
		l.mu.Unlock()
		return
	}
	if len(l.tokenSeen) >= maxCachedTokens {
		clear(l.tokenSeen)
	}
	l.tokenSeen[tokenID] = now
	l.mu.Unlock()
	a.noteSecurity(audit.SecurityEvent{At: now, Kind: audit.TokenUsed, UserID: userID, TokenID: tokenID, Detail: route, RemoteAddr: addr})
}

// FlushSecurityEvents writes the events noted so far on this instance.
func (a *App) FlushSecurityEvents(ctx context.Context) error {
	evs, dropped := a.security.take()
	if dropped > 0 {
		a.log.WarnContext(ctx, "security events dropped: the buffer was full", "count", dropped)
	}
	if len(evs) == 0 {
		return nil
	}
	if err := a.db.AddSecurityEvents(ctx, evs); err != nil {
		a.security.putBack(evs)
		return err
	}
	return nil
}

// RunSecurityEvents writes noted security events out until ctx ends, then
// writes what is left. serve runs it for as long as it serves.
func (a *App) RunSecurityEvents(ctx context.Context) {
	t := time.NewTicker(securityFlushTick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := a.FlushSecurityEvents(fctx); err != nil {
				a.log.Error("write security events on stop", "err", err)
			}
			return
		case <-t.C:
		case <-a.security.wake:
		}
		if err := a.FlushSecurityEvents(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("write security events", "err", err)
		}
	}
}

// ListSecurityEvents lists security events for those who may read the
// audit trail, newest first. This instance's events not yet written are
// written first, so a reader sees what just happened here.
func (a *App) ListSecurityEvents(ctx context.Context, actor access.Actor, f store.SecurityEventFilter) ([]audit.SecurityEvent, string, error) {
	if err := Require(actor, access.AuditRead, "read security events"); err != nil {
		return nil, "", err
	}
	var c errs.Checker
	c.Check(f.Kind == "" || f.Kind.Valid(), "kind", "must be one of signin_failed, signin_throttled, permission_denied, token_used")
	c.Check(f.UserID >= 0, "user_id", "must be a user number")
	c.Check(f.From == nil || f.To == nil || f.From.Before(*f.To), "to", "must be after from")
	if err := c.Err(); err != nil {
		return nil, "", err
	}
	if err := a.FlushSecurityEvents(ctx); err != nil {
		a.log.WarnContext(ctx, "write security events", "err", err)
	}
	return a.db.ListSecurityEvents(ctx, f)
}

// PurgeSecurityEvents removes events older than the retention; run as a job.
func (a *App) PurgeSecurityEvents(ctx context.Context) (int64, error) {
	return a.db.PurgeSecurityEvents(ctx, a.db.Now().Add(-a.cfg.SecurityRetention))
}
