package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestTokenMadeByAToken: a token made through another may not outlive it,
// and revoking a token revokes those made through it, to the end of the
// line, each with its audit entry.
func TestTokenMadeByAToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		agent := f.users[access.Agent]
		expires := db.Now().Add(24 * time.Hour).Truncate(time.Second)
		parent, secret, err := f.app.CreateToken(ctx, access.CLI, account.TokenInput{UserID: agent.ID, Name: "parent", ExpiresAt: &expires})
		if err != nil {
			t.Fatal(err)
		}
		through, err := f.app.AuthenticateToken(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		later := expires.Add(time.Hour)
		_, _, err = f.app.CreateToken(ctx, through.Actor, account.TokenInput{Name: "outlives", ExpiresAt: &later})
		if e := errsOf(err); len(e) != 1 || e[0] != "expires_at" {
			t.Errorf("a token outliving the token making it: %v, want refused on expires_at", err)
		}
		child, childSecret, err := f.app.CreateToken(ctx, through.Actor, account.TokenInput{Name: "child"})
		if err != nil {
			t.Fatal(err)
		}
		if child.ExpiresAt == nil || !child.ExpiresAt.Equal(expires) || child.ParentID == nil || *child.ParentID != parent.ID {
			t.Errorf("token made through a token: expires %v, parent %v; want %v and %d", child.ExpiresAt, child.ParentID, expires, parent.ID)
		}
		viaChild, err := f.app.AuthenticateToken(ctx, childSecret)
		if err != nil {
			t.Fatal(err)
		}
		grandchild, _, err := f.app.CreateToken(ctx, viaChild.Actor, account.TokenInput{Name: "grandchild"})
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := f.app.CreateToken(ctx, access.CLI, account.TokenInput{UserID: agent.ID, Name: "unrelated"})
		if err != nil {
			t.Fatal(err)
		}
		before := auditCount(t, db)
		if _, err := f.app.RevokeToken(ctx, agent.Actor("session"), parent.ID, 0); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{parent.ID, child.ID, grandchild.ID} {
			if got, _ := db.GetToken(ctx, id); got.RevokedAt == nil {
				t.Errorf("token %d made through the revoked one is still active", id)
			}
		}
		if got, _ := db.GetToken(ctx, other.ID); got.RevokedAt != nil {
			t.Error("an unrelated token of the same user was revoked")
		}
		if n := auditCount(t, db) - before; n != 3 {
			t.Errorf("revoking a line of three tokens: %d audit entries, want 3", n)
		}
		if _, err := f.app.AuthenticateToken(ctx, childSecret); err == nil {
			t.Error("the child token still authenticates after its parent was revoked")
		}
	})
}

// TestTokenMadeForSomeoneElseNamesItsMaker: a token an administrator made
// for another user acts as that user, and every write through it names the
// administrator too.
func TestTokenMadeForSomeoneElseNamesItsMaker(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	admin, agent := f.users[access.Admin], f.users[access.Agent]
	tok, secret, err := f.app.CreateToken(ctx, admin.Actor("session"), account.TokenInput{UserID: agent.ID, Name: "made for the agent"})
	if err != nil {
		t.Fatal(err)
	}
	made, _, _ := f.db.ListAudit(ctx, store.AuditFilter{Entity: "token", EntityID: tok.ID})
	if len(made) != 1 || made[0].ActorID != admin.ID {
		t.Errorf("the token's creation: %+v, want it recorded as made by the administrator", made)
	}
	req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/tokens", strings.NewReader(`{"name":"written through it"}`))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("write through the token: %d", resp.StatusCode)
	}
	es, _, _ := f.db.ListAudit(ctx, store.AuditFilter{Entity: "token", EntityID: created.ID, Action: audit.Create})
	if len(es) != 1 || es[0].ActorID != agent.ID || !strings.Contains(es[0].Via, "made by "+admin.Name) || !strings.Contains(es[0].Via, itoa(admin.ID)) {
		t.Errorf("entry of a write through the token: %+v, want the agent as actor and the administrator named in via", es)
	}
}

// errsOf lists the fields an invalid-input error names.
func errsOf(err error) []string {
	var out []string
	if e := errs.As(err); e != nil {
		for _, f := range e.Fields {
			out = append(out, f.Field)
		}
	}
	return out
}
