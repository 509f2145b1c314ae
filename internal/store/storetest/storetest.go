// Package storetest opens freshly migrated databases for tests: SQLite in a
// temporary directory always, and PostgreSQL when a server is reachable.
//
// CONFORM_TEST_POSTGRES is the URL of a PostgreSQL server (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). One fresh
// database is created per test binary and each test gets a schema of its
// own in it. With CONFORM_REQUIRE_POSTGRES=1 (as CI sets) an unreachable
// server fails the tests instead of skipping them.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/store"
)

// Engine is a database engine a test can run on.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Engines lists the engines to run a store test on.
func Engines() []Engine { return []Engine{SQLite, Postgres} }

var (
	pgOnce    sync.Once
	pgBaseURL string // URL of the per-run database, "" if unavailable
	pgErr     error
	pgAdmin   string
	pgDBName  string
)

func serverURL() string {
	if u := os.Getenv("CONFORM_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func setupPostgres() {
	pgAdmin = serverURL()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", pgAdmin)
	if err != nil {
		pgErr = err
		return
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		pgErr = err
		return
	}
	pgDBName = randomName("conform_test_")
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pgDBName); err != nil {
		pgErr = err
		return
	}
	u, err := url.Parse(pgAdmin)
	if err != nil {
		pgErr = err
		return
	}
	u.Path = "/" + pgDBName
	pgBaseURL = u.String()
}

// PostgresURL returns the URL of a fresh, empty schema in the run's test
// database, skipping (or failing, when required) if there is no server.
func PostgresURL(t testing.TB) string {
	t.Helper()
	pgOnce.Do(setupPostgres)
	if pgErr != nil {
		if os.Getenv("CONFORM_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required (CONFORM_REQUIRE_POSTGRES=1) but not usable at %s: %v", serverURL(), pgErr)
		}
		t.Skipf("skipping PostgreSQL: no server usable at %s (%v); set CONFORM_TEST_POSTGRES to run these tests", serverURL(), pgErr)
	}
	schema := randomName("t_")
	ctx := context.Background()
	db, err := sql.Open("pgx", pgBaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	sep := "?"
	if strings.Contains(pgBaseURL, "?") {
		sep = "&"
	}
	return pgBaseURL + sep + "search_path=" + schema
}

// Main runs the tests and drops the run's PostgreSQL database afterwards.
// Call it from TestMain.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	if pgDBName != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if admin, err := sql.Open("pgx", pgAdmin); err == nil {
			_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pgDBName+" WITH (FORCE)")
			admin.Close()
		}
	}
	return code
}

// Config returns a store configuration for a fresh database on engine.
func Config(t testing.TB, e Engine) store.Config {
	t.Helper()
	switch e {
	case Postgres:
		return store.Config{DatabaseURL: PostgresURL(t)}
	default:
		return store.Config{DataDir: t.TempDir()}
	}
}

// Open returns a freshly migrated database on engine, closed when the test ends.
func Open(t testing.TB, e Engine, opts ...func(*store.Config)) *store.DB {
	t.Helper()
	cfg := Config(t, e)
	for _, o := range opts {
		o(&cfg)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return db
}

// Each runs fn as a subtest on every engine.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at a fixed time.
func NewClock() *Clock { return &Clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// String shows the time, for failure messages.
func (c *Clock) String() string { return fmt.Sprint(c.Now()) }
