// Package app holds Conform's use cases: each checks who may act, validates
// input, runs the change in one transaction with its audit entries, and is
// the only way the transports (web pages, JSON API, CLI) change data.
package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/store"
)

// Config tunes the use cases.
type Config struct {
	SessionIdle     time.Duration // a session unused this long ends
	SessionLifetime time.Duration // a session ends this long after sign-in
	// PasswordHasher may be replaced in tests to keep them fast.
	PasswordHasher func(string) (string, error)
	// PasswordVerifier may be replaced in tests to count or speed up
	// password checks. It is given "" as the hash for an account without
	// one (or no account), where it must answer false.
	PasswordVerifier func(hash, password string) (bool, error)
	// Checkpoints configures the signed checkpoints of the audit chain
	// (checkpoint.go); without a key they are off.
	Checkpoints CheckpointConfig
	// SecurityRetention is how long security events are kept (security.go).
	SecurityRetention time.Duration
	// MaxUpload is the size limit of an uploaded file (files.go).
	MaxUpload int64
}

// DefaultConfig is what `conform serve` uses unless told otherwise.
func DefaultConfig() Config {
	return Config{SessionIdle: 12 * time.Hour, SessionLifetime: 7 * 24 * time.Hour, SecurityRetention: DefaultSecurityRetention, MaxUpload: files.DefaultMaxSize}
}

// App is the set of use cases over one database.
type App struct {
	db       *store.DB
	log      *slog.Logger
	cfg      Config
	tokenKey []byte
	tokens   *tokenCache
	kinds    *record.Registry
	areas    []Area
	see      map[string]Seer
	names    map[string]Namer
	finders  map[string]Finder
	// reminders are the areas' reminders, by name.
	reminders map[string]Reminder
	// checkpointSigner signs audit checkpoints; nil when none is configured.
	checkpointSigner ed25519.PrivateKey
	security         *securityLog
}

// New builds the use cases over a migrated database.
func New(ctx context.Context, db *store.DB, log *slog.Logger, cfg Config) (*App, error) {
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = DefaultConfig().SessionIdle
	}
	if cfg.SessionLifetime <= 0 {
		cfg.SessionLifetime = DefaultConfig().SessionLifetime
	}
	if cfg.SecurityRetention <= 0 {
		cfg.SecurityRetention = DefaultSecurityRetention
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = files.DefaultMaxSize
	}
	key, err := db.Setting(ctx, "token_hmac_key", func() (string, error) { return randomHex(32) })
	if err != nil {
		return nil, fmt.Errorf("load token key: %w", err)
	}
	raw, err := hex.DecodeString(key)
	if err != nil || len(raw) < 32 {
		return nil, fmt.Errorf("token key in settings is malformed")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &App{db: db, log: log, cfg: cfg, tokenKey: raw, tokens: newTokenCache(), see: map[string]Seer{}, names: map[string]Namer{}, finders: map[string]Finder{}, reminders: map[string]Reminder{},
		security: newSecurityLog()}
	if cfg.Checkpoints.enabled() {
		if a.checkpointSigner, err = loadCheckpointKey(cfg.Checkpoints, log); err != nil {
			return nil, err
		}
	}
	if err := a.AddArea(a.platform()); err != nil {
		return nil, err
	}
	return a, nil
}

// Kinds is the registry of declared kinds of record.
func (a *App) Kinds() *record.Registry { return a.kinds }

// DB is the store behind the use cases, for read-only helpers (health checks, metrics).
func (a *App) DB() *store.DB { return a.db }

// Config returns the configuration in use.
func (a *App) Config() Config { return a.cfg }

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// change is the shape of a write use case: check the permission, then the
// input (check may be nil), then run fn in one transaction.
func Change[T any](ctx context.Context, a *App, actor access.Actor, p access.Permission, doing string, check func() error, fn func(tx *store.Tx) (T, error)) (T, error) {
	var out T
	if err := Require(actor, p, doing); err != nil {
		return out, err
	}
	if check != nil {
		if err := check(); err != nil {
			return out, err
		}
	}
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// noResult adapts a transaction step without a result to change.
func NoResult(fn func(tx *store.Tx) error) func(tx *store.Tx) (struct{}, error) {
	return func(tx *store.Tx) (struct{}, error) { return struct{}{}, fn(tx) }
}

// require refuses the actor unless they hold p.
func Require(actor access.Actor, p access.Permission, doing string) error {
	if !actor.Can(p) {
		return errs.E(errs.Forbidden, "your role (%s) may not %s", actor.Role.Label(), doing)
	}
	return nil
}
