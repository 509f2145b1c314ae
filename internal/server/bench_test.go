package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// BenchmarkAPIReadInProcess measures the server's own work for an API read
// (middleware, routing, authentication from the token cache, the use case
// and the store), without a network: a regression in the handler chain
// shows here without the noise of a load test.
func BenchmarkAPIReadInProcess(b *testing.B) {
	f := newFixture(b, storetest.SQLite)
	team, err := f.app.CreateTeam(context.Background(), access.CLI, account.TeamInput{Name: "Bench", MemberIDs: []int64{f.users[access.Agent].ID}})
	if err != nil {
		b.Fatal(err)
	}
	h := f.srv.Handler()
	path := "/api/v1/teams/" + itoa(team.ID)
	token := "Bearer " + f.tokens[access.Admin]
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("read: %d", w.Code)
		}
	}
}

// BenchmarkAPICreateInProcess is the same for a create with its audit entry.
func BenchmarkAPICreateInProcess(b *testing.B) {
	f := newFixture(b, storetest.SQLite)
	h := f.srv.Handler()
	token := "Bearer " + f.tokens[access.Admin]
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		req := httptest.NewRequest(http.MethodPost, "/api/v1/teams", strings.NewReader(`{"name":"Bench `+itoa(int64(i))+`"}`))
		req.Header.Set("Authorization", token)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusCreated {
			b.Fatalf("create: %d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkPageInProcess measures the server's work for a record's page
// in the browser (session, routing, the use cases, the shell and the
// page's templates), without a network: what the shell and the shared
// components cost shows here.
func BenchmarkPageInProcess(b *testing.B) {
	f := newFixture(b, storetest.SQLite)
	ctx := context.Background()
	agent := f.users[access.Agent]
	team, err := f.app.CreateTeam(ctx, access.CLI, account.TeamInput{Name: "Bench", MemberIDs: []int64{agent.ID}})
	if err != nil {
		b.Fatal(err)
	}
	_, secret, err := f.app.Login(ctx, agent.Email, "correct horse battery", "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	h := f.srv.Handler()
	path := "/teams/" + itoa(team.ID)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: "conform_session", Value: secret})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("page: %d", w.Code)
		}
	}
}
