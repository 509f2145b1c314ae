package store

import (
	"context"
	"strings"
)

// ExecForTest runs a statement in the unit as a store method would.
func (tx *Tx) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := tx.exec(ctx, query, args...)
	return err
}

// SendGroupForTest sends units made of raw statements through PostgreSQL's
// group commit in one batch, as if each unit had held back all of its
// statements, and returns each unit's outcome.
func (db *DB) SendGroupForTest(ctx context.Context, units [][]string) []error {
	us := make([]*unit, len(units))
	for i, stmts := range units {
		u := &unit{ctx: ctx, done: make(chan bool, 1)}
		for _, q := range stmts {
			u.stmts = append(u.stmts, queued{query: q})
		}
		us[i] = u
	}
	db.runPGBatch(us)
	out := make([]error, len(us))
	for i, u := range us {
		out[i] = u.err
	}
	return out
}

// MigrationForTest is the statements of the migration numbered version
// whose text starts with prefix, as the engine runs them.
func (db *DB) MigrationForTest(version int, prefix string) []string {
	ms, err := loadMigrations()
	if err != nil {
		panic(err)
	}
	var out []string
	for _, m := range ms {
		if m.Version != version {
			continue
		}
		for _, s := range splitStatements(db.d.expandDDL(m.sql)) {
			if strings.HasPrefix(strings.TrimSpace(s), prefix) {
				out = append(out, s)
			}
		}
	}
	return out
}
