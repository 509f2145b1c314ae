package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// BenchmarkAssuranceAtScale measures, with 1,000 audits (half of them
// completed internal audits over the cycle, each with its scope), 10,000
// findings and 50,000 actions stored on each engine, the management
// review's input pack assembled from the live records, the stage 1
// readiness check, and the dashboard page in process; a team's page,
// through the same server, is the baseline (docs/PERFORMANCE.md).
func BenchmarkAssuranceAtScale(b *testing.B) {
	for _, e := range []storetest.Engine{storetest.SQLite, storetest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			db := storetest.Open(b, e)
			f := newFixtureOn(b, db)
			ctx := context.Background()
			mgr := f.users[access.SMSManager]
			actor := mgr.Actor("bench")
			loadAssuranceAtScale(b, f, mgr)
			review, err := f.areas.Assurance.CreateManagementReview(ctx, actor, assurance.ReviewInput{Title: "Bench", PlannedOn: time.Now().UTC().Format(time.DateOnly),
				ChairID: f.users[access.TopManagement].ID})
			if err != nil {
				b.Fatal(err)
			}
			team, err := f.app.CreateTeam(ctx, access.CLI, account.TeamInput{Name: "Bench", MemberIDs: []int64{mgr.ID}})
			if err != nil {
				b.Fatal(err)
			}
			_, secret, err := f.app.Login(ctx, mgr.Email, "correct horse battery", "127.0.0.1", "bench")
			if err != nil {
				b.Fatal(err)
			}
			h := f.srv.Handler()
			page := func(path string) func() error {
				return func() error {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.AddCookie(&http.Cookie{Name: "conform_session", Value: secret})
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						return fmt.Errorf("%s: %d", path, w.Code)
					}
					return nil
				}
			}
			for _, m := range []struct {
				name string
				run  func() error
			}{
				{"baseline-team-page", page("/teams/" + itoa(team.ID))},
				{"review-pack", func() error { _, err := f.areas.Assurance.AssemblePack(ctx, actor, review); return err }},
				{"readiness", func() error { _, err := f.areas.Assurance.Readiness(ctx, actor); return err }},
				{"dashboard", page("/dashboard")},
			} {
				b.Run(m.name, func(b *testing.B) {
					b.ReportAllocs()
					var took latencies
					for b.Loop() {
						start := time.Now()
						if err := m.run(); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(start))
					}
					took.report(b)
				})
			}
		})
	}
}

// loadAssuranceAtScale writes the records in bulk, as an import would:
// 1,000 audits of a quarter of the framework each, half completed internal
// audits spread over three years; 10 findings each; 50,000 actions.
func loadAssuranceAtScale(b *testing.B, f *fixture, owner account.User) {
	ctx := context.Background()
	fws, _, err := f.areas.SMS.ListFrameworks(ctx, access.System, store.FrameworkFilter{})
	if err != nil || len(fws) == 0 {
		b.Fatal(err)
	}
	tree, err := f.areas.SMS.Tree(ctx, access.System, fws[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	w, _ := f.db.Pools()
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	now, today := time.Now().UTC(), time.Now().UTC()
	bulk := func(head string, n int, row func(i int) []any) {
		const per = 200
		for start := 0; start < n; start += per {
			var sb strings.Builder
			sb.WriteString(head)
			var args []any
			for i := start; i < min(start+per, n); i++ {
				vals := row(i)
				if i > start {
					sb.WriteString(", ")
				}
				sb.WriteString("(" + strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ") + ")")
				args = append(args, vals...)
			}
			if _, err := tx.ExecContext(ctx, rebindFor(f.db, sb.String()), args...); err != nil {
				b.Fatal(err)
			}
		}
	}
	const audits, findings, actions = 1000, 10000, 50000
	bulk("INSERT INTO audits (origin, type, title, planned_start, planned_end, actual_start, actual_end, state, created_at, updated_at) VALUES ", audits, func(i int) []any {
		day := today.AddDate(0, 0, -(i % 1000)).Format(time.DateOnly)
		origin, typ, state := "internal", "internal", "completed"
		if i%2 == 1 {
			origin, typ, state = "external", "surveillance", "planned"
		}
		return []any{origin, typ, fmt.Sprintf("Audit %d", i), day, day, day, day, state, now, now}
	})
	rows, err := tx.QueryContext(ctx, "SELECT id FROM audits ORDER BY id")
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	quarter := len(tree) / 4
	bulk("INSERT INTO audit_requirements (audit_id, requirement_id) VALUES ", len(ids)*quarter, func(i int) []any {
		a := i / quarter
		return []any{ids[a], tree[(a*7+i%quarter)%len(tree)].ID}
	})
	bulk("INSERT INTO findings (audit_id, requirement_id, type, statement, created_at, updated_at) VALUES ", findings, func(i int) []any {
		return []any{ids[i%len(ids)], tree[i%len(tree)].ID, []string{"observation", "ofi", "minor_nc", "major_nc"}[i%4], fmt.Sprintf("Finding %d", i), now, now}
	})
	bulk("INSERT INTO actions (title, owner_id, due_on, state, priority, source, created_at, updated_at) VALUES ", actions, func(i int) []any {
		return []any{fmt.Sprintf("Action %d", i), owner.ID, today.AddDate(0, 0, i%120-60).Format(time.DateOnly), []string{"open", "in_progress", "done"}[i%3], "medium", "plan", now, now}
	})
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if f.db.Engine() == "postgres" {
		if _, err := w.ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
}
