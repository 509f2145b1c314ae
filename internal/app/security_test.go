package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

func kinds(es []audit.SecurityEvent) []audit.SecurityKind {
	out := make([]audit.SecurityKind, len(es))
	for i, e := range es {
		out[i] = e.Kind
	}
	return out
}

func (s *signIn) events(t *testing.T, f store.SecurityEventFilter) []audit.SecurityEvent {
	t.Helper()
	es, _, err := s.app.ListSecurityEvents(context.Background(), access.CLI, f)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestSignInFailuresAndThrottlingAreRecorded(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		if err := s.login("agent@example.com", rightPassword); err != nil {
			t.Fatal(err)
		}
		if err := s.login("nobody@example.com", wrongPassword); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("unknown account: %v", err)
		}
		for range freeFailures {
			if err := s.login("Agent@Example.com", wrongPassword); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("wrong password: %v", err)
			}
		}
		if err := s.login("agent@example.com", rightPassword); !errs.Is(err, errs.RateLimited) {
			t.Fatalf("after %d failures: %v, want throttled", freeFailures, err)
		}
		es := s.events(t, store.SecurityEventFilter{})
		want := []audit.SecurityKind{audit.SignInThrottled}
		for range freeFailures + 1 {
			want = append(want, audit.SignInFailed)
		}
		if got := kinds(es); !slices.Equal(got, want) {
			t.Fatalf("got events %v, want %v (newest first; a success records nothing)", got, want)
		}
		throttled, failed, unknown := es[0], es[1], es[len(es)-1]
		if throttled.Email != "agent@example.com" || throttled.RemoteAddr != addr || throttled.Detail == "" {
			t.Errorf("throttled sign-in: %+v, want the email, the address and the wait", throttled)
		}
		if failed.Email != "agent@example.com" || failed.UserID != s.user.ID || failed.UserName != s.user.Name || failed.RemoteAddr != addr {
			t.Errorf("failed sign-in: %+v, want the account's email, user and name, and the address", failed)
		}
		if unknown.Email != "nobody@example.com" || unknown.UserID != 0 {
			t.Errorf("unknown account: %+v, want the email typed and no user", unknown)
		}

		// Filters and pages.
		if got := s.events(t, store.SecurityEventFilter{Kind: audit.SignInThrottled}); len(got) != 1 {
			t.Errorf("kind filter: got %d events, want 1", len(got))
		}
		if got := s.events(t, store.SecurityEventFilter{UserID: s.user.ID}); len(got) != freeFailures {
			t.Errorf("user filter: got %d events, want %d", len(got), freeFailures)
		}
		now := s.clock.Now()
		later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
		if got := s.events(t, store.SecurityEventFilter{From: &later}); len(got) != 0 {
			t.Errorf("from an hour ahead: got %d events, want none", len(got))
		}
		if got := s.events(t, store.SecurityEventFilter{From: &earlier, To: &later}); len(got) != len(want) {
			t.Errorf("within the hour: got %d events, want %d", len(got), len(want))
		}
		var all []audit.SecurityEvent
		cursor := ""
		for {
			page, next, err := s.app.ListSecurityEvents(context.Background(), access.CLI, store.SecurityEventFilter{Limit: 4, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if next == "" {
				break
			}
			cursor = next
		}
		if !slices.Equal(kinds(all), want) {
			t.Errorf("paged: got %v, want %v", kinds(all), want)
		}

		// Retention.
		s.clock.Advance(app.DefaultSecurityRetention + time.Minute)
		if err := s.login("nobody@example.com", wrongPassword); !errs.Is(err, errs.Unauthenticated) {
			t.Fatal(err)
		}
		if _, _, err := s.app.ListSecurityEvents(context.Background(), access.CLI, store.SecurityEventFilter{}); err != nil {
			t.Fatal(err)
		}
		n, err := s.app.PurgeSecurityEvents(context.Background())
		if err != nil || n != int64(len(want)) {
			t.Errorf("purge: removed %d (%v), want %d", n, err, len(want))
		}
		if got := s.events(t, store.SecurityEventFilter{}); len(got) != 1 {
			t.Errorf("after the purge: %d events, want the 1 within retention", len(got))
		}
	})
}

func TestSecurityEventsTokenUseAndDenials(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		for range 3 {
			s.app.NoteTokenUse(7, s.user.ID, "GET /api/v1/me", addr)
		}
		s.app.NoteDenied(s.user.ID, 0, "GET /audit", addr)
		s.clock.Advance(app.TokenUseEvery)
		s.app.NoteTokenUse(7, s.user.ID, "GET /api/v1/me", addr)
		s.app.NoteTokenUse(8, s.user.ID, "GET /api/v1/me", addr)
		got := kinds(s.events(t, store.SecurityEventFilter{}))
		want := []audit.SecurityKind{audit.TokenUsed, audit.TokenUsed, audit.PermissionDenied, audit.TokenUsed}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v: one token use per token per %v", got, want, app.TokenUseEvery)
		}
		denied := s.events(t, store.SecurityEventFilter{Kind: audit.PermissionDenied})
		if len(denied) != 1 || denied[0].Detail != "GET /audit" || denied[0].UserID != s.user.ID {
			t.Errorf("denial: %+v, want the route and the user", denied)
		}
	})
}

func TestSecurityEventsNeedTheAuditTrailAndGoodFilters(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *signIn) {
		ctx := context.Background()
		if _, _, err := s.app.ListSecurityEvents(ctx, s.user.Actor("session"), store.SecurityEventFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent listing security events: %v, want forbidden", err)
		}
		from := s.clock.Now()
		for _, tc := range []struct {
			f     store.SecurityEventFilter
			field string
		}{
			{store.SecurityEventFilter{Kind: "coffee"}, "kind"},
			{store.SecurityEventFilter{UserID: -1}, "user_id"},
			{store.SecurityEventFilter{From: &from, To: &from}, "to"},
			{store.SecurityEventFilter{Cursor: "nonsense"}, "cursor"},
		} {
			_, _, err := s.app.ListSecurityEvents(ctx, access.CLI, tc.f)
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
				t.Errorf("filter %+v: %v, want invalid %s", tc.f, err, tc.field)
			}
		}
	})
}
