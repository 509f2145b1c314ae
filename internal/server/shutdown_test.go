package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestShutdownFinishesRequestsInFlight starts a create whose body is still
// arriving, stops the server, and checks that the request completes and is
// stored before Serve returns.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln, 10*time.Second) }()

	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/api/v1/teams", pr)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.tokens[access.Admin])
	done := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			close(done)
			return
		}
		done <- resp
	}()
	if _, err := pw.Write([]byte(`{"name":"Late`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the request is now in flight
	stop()
	time.Sleep(200 * time.Millisecond) // shutdown has begun and waits
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) with a request in flight", err)
	default:
	}
	pw.Write([]byte(` team"}`))
	pw.Close()
	resp := <-done
	if resp == nil {
		t.Fatal("no response")
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("in-flight create: %d, want 201", resp.StatusCode)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	ts, _, err := f.app.ListTeams(context.Background(), access.CLI, store.TeamFilter{Query: "Late team"})
	if err != nil || len(ts) != 1 {
		t.Errorf("the in-flight team was not stored: %v %v", ts, err)
	}
}
