package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one numbered schema step. A file named NNNN_name.sql
// applies to both engines; NNNN_name.sqlite.sql or NNNN_name.postgres.sql
// to one only, and on the other its version is recorded with nothing run,
// so that both engines count the same versions.
type Migration struct {
	Version   int
	Name      string
	Engine    string // "" for both, or the one engine it is for
	AppliedAt *time.Time
	sql       string
}

func loadMigrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, n := range names {
		base := path.Base(n)
		num, rest, ok := strings.Cut(strings.TrimSuffix(base, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", base)
		}
		body, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		engine := ""
		for _, e := range []string{sqliteDialect.name, postgresDialect.name} {
			if r, ok := strings.CutSuffix(rest, "."+e); ok {
				rest, engine = r, e
			}
		}
		ms = append(ms, Migration{Version: v, Name: rest, Engine: engine, sql: string(body)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	return ms, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at %s NOT NULL
)`

// Migrate applies every migration not yet applied, each in its own
// transaction. Instances starting together on PostgreSQL take turns.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	ms, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	if _, err := db.w.ExecContext(ctx, fmt.Sprintf(createMigrationsTable, db.d.ddl["{{timestamp}}"])); err != nil {
		return nil, db.fault(err, "create schema_migrations")
	}
	var applied []Migration
	for _, m := range ms {
		done := false
		err := db.InTx(ctx, func(tx *Tx) error {
			if db.d.name == "postgres" {
				// Serialises concurrent migrators until this transaction ends.
				if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(20000)"); err != nil {
					return err
				}
			}
			var n int
			if err := tx.queryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				done = true
				return nil
			}
			sql := m.sql
			if m.Engine != "" && m.Engine != db.d.name {
				sql = ""
			}
			for _, stmt := range splitStatements(db.d.expandDDL(sql)) {
				if _, err := tx.x.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migration %04d_%s: %w\n%s", m.Version, m.Name, err, stmt)
				}
			}
			_, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.Version, m.Name, tx.now)
			return err
		})
		if err != nil {
			return applied, err
		}
		if !done {
			applied = append(applied, m)
		}
	}
	return applied, nil
}

// Migrations lists every known migration and when it was applied.
func (db *DB) Migrations(ctx context.Context) ([]Migration, error) {
	ms, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	if _, err := db.w.ExecContext(ctx, fmt.Sprintf(createMigrationsTable, db.d.ddl["{{timestamp}}"])); err != nil {
		return nil, db.fault(err, "create schema_migrations")
	}
	rows, err := db.reader().query(ctx, "SELECT version, applied_at FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	at := map[int]time.Time{}
	for rows.Next() {
		var v int
		var t time.Time
		if err := rows.Scan(&v, &t); err != nil {
			return nil, err
		}
		at[v] = t
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range ms {
		if t, ok := at[ms[i].Version]; ok {
			ms[i].AppliedAt = &t
		}
	}
	return ms, nil
}

// splitStatements splits a migration at semicolons that end a line.
// Migrations hold no semicolons inside literals or bodies.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
