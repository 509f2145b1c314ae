package server_test

import (
	"context"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestEveryWritePathIsAudited runs every use case that changes a record of
// every declared kind and checks that each added exactly one audit entry,
// for that record, with the right action; and that a refused write added
// none. A kind declared without a write path here fails the test.
func TestEveryWritePathIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		a, actor := f.app, access.CLI
		admin := f.users[access.Admin].Actor("test")
		var team account.Team
		var org account.Organisation
		var user account.User
		var tok account.Token
		var sess account.Session
		name := "Renamed"
		covered := map[string]bool{}
		steps := []struct {
			entity string
			action audit.Action
			run    func() (int64, error)
		}{
			{"organisation", audit.Create, func() (int64, error) {
				var err error
				org, err = a.CreateOrganisation(ctx, actor, account.OrganisationInput{Name: "Audited"})
				return org.ID, err
			}},
			{"organisation", audit.Update, func() (int64, error) {
				_, err := a.UpdateOrganisation(ctx, actor, org.ID, org.Version, account.OrganisationUpdate{Name: &name})
				return org.ID, err
			}},
			{"user", audit.Create, func() (int64, error) {
				var err error
				user, err = a.CreateUser(ctx, actor, account.UserInput{Email: "audited@example.com", Name: "Audited", Role: access.Requester, OrgID: org.ID})
				return user.ID, err
			}},
			{"user", audit.Update, func() (int64, error) {
				var err error
				user, err = a.UpdateUser(ctx, actor, user.ID, user.Version, account.UserUpdate{Name: &name})
				return user.ID, err
			}},
			{"user", audit.Update, func() (int64, error) { return user.ID, a.SetPassword(ctx, actor, user.ID, "a long enough password") }},
			{"session", audit.Create, func() (int64, error) {
				var err error
				sess, _, err = a.Login(ctx, "audited@example.com", "a long enough password", "192.0.2.1", "test")
				return sess.ID, err
			}},
			{"session", audit.Delete, func() (int64, error) {
				u, _ := a.GetUser(ctx, actor, user.ID)
				return sess.ID, a.Logout(ctx, u.Actor("session"), sess.ID)
			}},
			{"token", audit.Create, func() (int64, error) {
				var err error
				tok, _, err = a.CreateToken(ctx, actor, account.TokenInput{UserID: user.ID, Name: "audited"})
				return tok.ID, err
			}},
			{"token", audit.Update, func() (int64, error) {
				_, err := a.RevokeToken(ctx, admin, tok.ID, tok.Version)
				return tok.ID, err
			}},
			{"team", audit.Create, func() (int64, error) {
				var err error
				team, err = a.CreateTeam(ctx, actor, account.TeamInput{Name: "Audited", MemberIDs: []int64{f.users[access.Agent].ID}})
				return team.ID, err
			}},
			{"team", audit.Update, func() (int64, error) {
				members := []int64{f.users[access.Admin].ID}
				_, err := a.UpdateTeam(ctx, actor, team.ID, team.Version, account.TeamUpdate{MemberIDs: &members})
				return team.ID, err
			}},
			{"team", audit.Delete, func() (int64, error) { return team.ID, a.DeleteTeam(ctx, actor, team.ID, 0) }},
			{"user", audit.Delete, func() (int64, error) { return user.ID, a.DeleteUser(ctx, actor, user.ID, 0) }},
			{"organisation", audit.Delete, func() (int64, error) { return org.ID, a.DeleteOrganisation(ctx, actor, org.ID, 0) }},
		}
		for i, s := range steps {
			before := auditCount(t, db)
			id, err := s.run()
			if err != nil {
				t.Fatalf("step %d (%s %s): %v", i, s.action, s.entity, err)
			}
			if n := auditCount(t, db) - before; n != 1 {
				t.Errorf("step %d (%s %s): %d audit entries, want 1", i, s.action, s.entity, n)
				continue
			}
			es, _, err := db.ListAudit(ctx, store.AuditFilter{Limit: 1})
			if err != nil || len(es) != 1 || es[0].Entity != s.entity || es[0].EntityID != id || es[0].Action != s.action {
				t.Errorf("step %d: newest entry %+v (%v), want %s %s %d", i, es, err, s.action, s.entity, id)
			}
			covered[s.entity] = true
		}
		for _, k := range a.Kinds().All() {
			if !covered[k.Entity] {
				t.Errorf("kind %s has no write path in this test", k.Entity)
			}
		}
		// A refused write (a stale version) adds nothing.
		before := auditCount(t, db)
		o, _ := a.CreateOrganisation(ctx, actor, account.OrganisationInput{Name: "Stale"})
		if _, err := a.UpdateOrganisation(ctx, actor, o.ID, o.Version+1, account.OrganisationUpdate{Name: &name}); err == nil {
			t.Error("a stale update succeeded")
		}
		if err := a.DeleteOrganisation(ctx, actor, o.ID, o.Version+1); err == nil {
			t.Error("a stale delete succeeded")
		}
		if n := auditCount(t, db) - before; n != 1 {
			t.Errorf("a create and two refused writes: %d entries, want 1", n)
		}
		if res, err := db.VerifyAudit(ctx); err != nil || res.Problem != nil {
			t.Fatalf("verify: %+v, %v", res, err)
		}
	})
}
