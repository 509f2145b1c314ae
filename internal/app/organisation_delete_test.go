package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The provider organisation cannot be deleted, nor a customer that still
// has users (the refusal counts them); an empty customer can.
func TestOrganisationDeleteRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		provider, err := s.app.GetOrganisation(ctx, access.CLI, s.user.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		customer := func(name string, users int) account.Organisation {
			t.Helper()
			o, err := s.app.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			for i := range users {
				if _, err := s.app.CreateUser(ctx, access.CLI, account.UserInput{Email: strings.ToLower(name) + string(rune('a'+i)) + "@example.com", Name: name + " user", Role: access.Requester, OrgID: o.ID, Password: rightPassword}); err != nil {
					t.Fatal(err)
				}
			}
			return o
		}
		for _, c := range []struct {
			org  account.Organisation
			want string
		}{
			{provider, "owns the installation"},
			{customer("One", 1), "One still has a user"},
			{customer("Two", 2), "Two still has 2 users"},
		} {
			err := s.app.DeleteOrganisation(ctx, access.CLI, c.org.ID, 0)
			if errs.CodeOf(err) != errs.Conflict || !strings.Contains(err.Error(), c.want) {
				t.Errorf("delete %s: %v, want a conflict saying %q", c.org.Name, err, c.want)
			}
			if _, err := s.app.GetOrganisation(ctx, access.CLI, c.org.ID); err != nil {
				t.Errorf("%s after the refused delete: %v", c.org.Name, err)
			}
		}
		empty := customer("Empty", 0)
		if err := s.app.DeleteOrganisation(ctx, access.CLI, empty.ID, 0); err != nil {
			t.Fatalf("delete an organisation without users: %v", err)
		}
		if _, err := s.app.GetOrganisation(ctx, access.CLI, empty.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("the deleted organisation: %v, want not found", err)
		}
	})
}

// EnsureProvider makes the provider organisation once, then finds it.
func TestOrganisationEnsureProvider(t *testing.T) {
	s := &signIn{clock: storetest.NewClock(), cfg: storetest.Config(t, storetest.SQLite)}
	s.app = s.instance(t)
	ctx := context.Background()
	made, err := s.app.EnsureProvider(ctx, access.CLI, "Acme IT")
	if err != nil || made.ID == 0 || made.Kind != account.Provider || made.Name != "Acme IT" {
		t.Fatalf("on an empty installation: %+v, %v; want the provider made", made, err)
	}
	again, err := s.app.EnsureProvider(ctx, access.CLI, "Another name")
	if err != nil || again.ID != made.ID || again.Name != "Acme IT" {
		t.Errorf("a second time: %+v, %v; want the same provider", again, err)
	}
}

// Failed sign-ins are forgotten a day after the last one, not before.
func TestSignInFailuresForgottenAfterADay(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	ctx := context.Background()
	if err := s.login(s.user.Email, wrongPassword); errs.CodeOf(err) != errs.Unauthenticated {
		t.Fatalf("wrong password: %v", err)
	}
	s.clock.Advance(24 * time.Hour)
	if n, err := s.app.ForgetOldFailures(ctx); err != nil || n != 0 {
		t.Errorf("a day after, to the microsecond: %d forgotten (%v), want none yet", n, err)
	}
	s.clock.Advance(time.Microsecond)
	if n, err := s.app.ForgetOldFailures(ctx); err != nil || n == 0 {
		t.Errorf("just over a day after: %d forgotten (%v), want the failures", n, err)
	}
}

// A user made without an organisation joins the provider; before there is
// one, the organisation is asked for.
func TestUserWithoutOrganisationJoinsTheProvider(t *testing.T) {
	s := &signIn{clock: storetest.NewClock(), cfg: storetest.Config(t, storetest.SQLite)}
	s.app = s.instance(t)
	ctx := context.Background()
	in := account.UserInput{Email: "first@example.com", Name: "First", Role: access.Agent}
	_, err := s.app.CreateUser(ctx, access.CLI, in)
	if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "organisation_id" {
		t.Errorf("without an organisation, before the provider exists: %v, want organisation_id asked for", err)
	}
	provider, err := s.app.EnsureProvider(ctx, access.CLI, "Acme IT")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.app.CreateUser(ctx, access.CLI, in)
	if err != nil || u.OrgID != provider.ID {
		t.Errorf("without an organisation: %+v, %v; want the user in the provider (%d)", u, err, provider.ID)
	}
}

// A staff role belongs in the provider: neither raising a customer's user
// to one nor moving a staff member into a customer is let through, each
// change checked on its own; nobody deletes their own account.
func TestUserRoleFitsOrganisation(t *testing.T) {
	s := newSignIn(t, storetest.SQLite)
	ctx := context.Background()
	cust, err := s.app.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Customer"})
	if err != nil {
		t.Fatal(err)
	}
	req, err := s.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "req@example.com", Name: "A Requester", Role: access.Requester, OrgID: cust.ID})
	if err != nil {
		t.Fatal(err)
	}
	agent := access.Agent
	_, err = s.app.UpdateUser(ctx, access.CLI, req.ID, 0, account.UserUpdate{Role: &agent})
	if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "role" {
		t.Errorf("a customer's user made an agent: %v, want the role refused", err)
	}
	_, err = s.app.UpdateUser(ctx, access.CLI, s.user.ID, 0, account.UserUpdate{OrgID: &cust.ID})
	if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "role" {
		t.Errorf("an agent moved into a customer: %v, want the role refused", err)
	}
	for _, u := range []account.User{req, s.user} {
		if got, _ := s.app.GetUser(ctx, access.CLI, u.ID); got.Role != u.Role || got.OrgID != u.OrgID {
			t.Errorf("%s after the refused changes: %s in %d, want %s in %d", u.Email, got.Role, got.OrgID, u.Role, u.OrgID)
		}
	}
	admin, err := s.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "admin@example.com", Name: "An Admin", Role: access.Admin})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.app.DeleteUser(ctx, admin.Actor("session"), admin.ID, 0); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("an administrator deleting their own account: %v, want a conflict", err)
	}
	if err := s.app.DeleteUser(ctx, admin.Actor("session"), req.ID, 0); err != nil {
		t.Errorf("an administrator deleting another's account: %v", err)
	}
}
