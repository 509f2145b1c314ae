package server_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// An audit trail entry links its record to the record's page when its
// kind has one (a team), and only names it when not (a session, which
// has no page of its own), and links the entry before it.
func TestAuditEntryLinks(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	team, err := f.app.CreateTeam(ctx, access.CLI, account.TeamInput{Name: "Linked team"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.app.Login(ctx, f.users[access.Agent].Email, "correct horse battery", "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	entry := func(entity string, id int64) int64 {
		t.Helper()
		es, _, err := f.app.ListAudit(ctx, access.CLI, store.AuditFilter{Entity: entity, EntityID: id, Limit: 1})
		if err != nil || len(es) == 0 {
			t.Fatalf("the %s's entry: %v %v", entity, es, err)
		}
		return es[0].Seq
	}
	page := func(seq int64) string {
		t.Helper()
		resp := f.do(t, access.InternalAuditor, "GET", fmt.Sprintf("/audit/%d", seq), "")
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("entry %d: %d", seq, resp.StatusCode)
		}
		return string(body)
	}
	seq := entry("team", team.ID)
	body := page(seq)
	if !strings.Contains(body, fmt.Sprintf(`href="/teams/%d"`, team.ID)) {
		t.Errorf("the team's entry does not link the team's page")
	}
	if !strings.Contains(body, fmt.Sprintf(`href="/audit/%d"`, seq-1)) || !strings.Contains(body, fmt.Sprintf("Entry %d", seq-1)) {
		t.Errorf("entry %d does not link entry %d before it", seq, seq-1)
	}
	if body := page(entry("session", 0)); strings.Contains(body, `href="/sessions/`) {
		t.Errorf("a session's entry links a page sessions do not have")
	}
}
