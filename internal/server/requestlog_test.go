package server_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// lockedBuffer collects log output written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSpace(l.b.String()), "\n")
}

// TestRequestLogNamesUserAndRoute: every request's log line names the
// caller, and a request refused before routing (a bad token) is logged
// under the route it was for.
func TestRequestLogNamesUserAndRoute(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	f := newFixtureOpts(t, storetest.Open(t, storetest.SQLite), fixtureOpts{log: log})
	ts := f.ts
	agent := f.users[access.Agent]
	if r := f.do(t, access.Agent, "GET", "/api/v1/teams", ""); r.StatusCode != http.StatusOK {
		t.Fatalf("list teams: %d", r.StatusCode)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/teams/5", nil)
	req.Header.Set("Authorization", "Bearer cfm_not-a-real-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var okLine, refusedLine string
	for _, l := range logs.lines() {
		switch {
		case strings.Contains(l, "msg=request") && strings.Contains(l, "path=/api/v1/teams ") && strings.Contains(l, "status=200"):
			okLine = l
		case strings.Contains(l, "msg=request") && strings.Contains(l, "path=/api/v1/teams/5") && strings.Contains(l, "status=401"):
			refusedLine = l
		}
	}
	if !strings.Contains(okLine, "user="+itoa(agent.ID)+" ") {
		t.Errorf("log line of an agent's request: %q, want user=%d", okLine, agent.ID)
	}
	if !strings.Contains(refusedLine, `route="GET /api/v1/teams/{id}"`) {
		t.Errorf("log line of a request refused before routing: %q, want its route", refusedLine)
	}
}
