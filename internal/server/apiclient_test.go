package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/apiclient"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestGeneratedClientDrivesTeams drives teams through a client generated
// from the OpenAPI document alone (internal/apiclient): create, read,
// list, update with If-Match, a stale update refused with a typed 412
// problem, and delete. The fixture checks every answer against the
// document too; here the point is that a client made from the document
// works, statuses, ETags and errors included.
func TestGeneratedClientDrivesTeams(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		c, err := apiclient.NewClientWithResponses(f.ts.URL, apiclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+f.tokens[access.Admin])
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		members := []int64{f.users[access.Agent].ID}
		desc := "First line"
		created, err := c.CreateTeamWithResponse(ctx, apiclient.CreateTeamJSONRequestBody{Name: "Service desk", Description: &desc, MemberIds: &members})
		if err != nil {
			t.Fatal(err)
		}
		if created.StatusCode() != http.StatusCreated || created.JSON201 == nil {
			t.Fatalf("create: %d %s", created.StatusCode(), created.Body)
		}
		team := *created.JSON201
		if team.Name != "Service desk" || team.Description != desc || !slices.Equal(team.MemberIds, members) || team.Version != 1 {
			t.Errorf("created %+v", team)
		}
		etag := created.HTTPResponse.Header.Get("ETag")
		if etag != `"1"` || created.HTTPResponse.Header.Get("Location") == "" {
			t.Errorf("create: ETag %q, Location %q", etag, created.HTTPResponse.Header.Get("Location"))
		}

		got, err := c.GetTeamWithResponse(ctx, team.Id)
		if err != nil {
			t.Fatal(err)
		}
		if got.JSON200 == nil || got.JSON200.Id != team.Id || got.JSON200.Name != team.Name || got.HTTPResponse.Header.Get("ETag") != etag {
			t.Fatalf("read: %d %s", got.StatusCode(), got.Body)
		}

		one := int64(1)
		list, err := c.ListTeamsWithResponse(ctx, &apiclient.ListTeamsParams{Limit: &one})
		if err != nil {
			t.Fatal(err)
		}
		if list.JSON200 == nil || len(list.JSON200.Items) != 1 || list.JSON200.Items[0].Id != team.Id {
			t.Fatalf("list: %d %s", list.StatusCode(), list.Body)
		}

		renamed := "First-line support"
		updated, err := c.UpdateTeamWithResponse(ctx, team.Id, &apiclient.UpdateTeamParams{IfMatch: &etag}, apiclient.UpdateTeamJSONRequestBody{Name: &renamed})
		if err != nil {
			t.Fatal(err)
		}
		if updated.JSON200 == nil || updated.JSON200.Name != renamed || updated.JSON200.Version != 2 || updated.HTTPResponse.Header.Get("ETag") != `"2"` {
			t.Fatalf("update: %d %s", updated.StatusCode(), updated.Body)
		}

		// The first ETag is stale now: a typed 412 problem, and nothing changes.
		stale := "Stale"
		refused, err := c.UpdateTeamWithResponse(ctx, team.Id, &apiclient.UpdateTeamParams{IfMatch: &etag}, apiclient.UpdateTeamJSONRequestBody{Name: &stale})
		if err != nil {
			t.Fatal(err)
		}
		p := refused.ApplicationproblemJSON412
		if refused.StatusCode() != http.StatusPreconditionFailed || p == nil || p.Status == nil || *p.Status != http.StatusPreconditionFailed || p.Detail == nil || *p.Detail == "" {
			t.Fatalf("stale update: %d %s, want a 412 problem", refused.StatusCode(), refused.Body)
		}
		if got, _ := c.GetTeamWithResponse(ctx, team.Id); got.JSON200 == nil || got.JSON200.Name != renamed {
			t.Errorf("a stale update changed the team: %s", got.Body)
		}

		// Errors arrive typed too: a refused field is named.
		blank := " "
		invalid, err := c.UpdateTeamWithResponse(ctx, team.Id, nil, apiclient.UpdateTeamJSONRequestBody{Name: &blank})
		if err != nil {
			t.Fatal(err)
		}
		if p := invalid.ApplicationproblemJSON422; p == nil || p.Errors == nil || len(*p.Errors) != 1 || (*p.Errors)[0].Location == nil || *(*p.Errors)[0].Location != "body.name" {
			t.Errorf("blank name: %d %s, want a 422 problem naming body.name", invalid.StatusCode(), invalid.Body)
		}

		staleDelete, err := c.DeleteTeamWithResponse(ctx, team.Id, &apiclient.DeleteTeamParams{IfMatch: &etag})
		if err != nil {
			t.Fatal(err)
		}
		if staleDelete.ApplicationproblemJSON412 == nil {
			t.Errorf("delete with a stale ETag: %d %s, want a 412 problem", staleDelete.StatusCode(), staleDelete.Body)
		}
		current := `"2"`
		deleted, err := c.DeleteTeamWithResponse(ctx, team.Id, &apiclient.DeleteTeamParams{IfMatch: &current})
		if err != nil {
			t.Fatal(err)
		}
		if deleted.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete: %d %s", deleted.StatusCode(), deleted.Body)
		}
		gone, err := c.GetTeamWithResponse(ctx, team.Id)
		if err != nil {
			t.Fatal(err)
		}
		if gone.ApplicationproblemJSON404 == nil {
			t.Errorf("read after delete: %d %s, want a 404 problem", gone.StatusCode(), gone.Body)
		}
	})
}

// TestGeneratedClientIsCurrent: the document the client was generated from
// is the one the API's code makes now, so a change to the API that is not
// carried into the client (go generate ./internal/apiclient) fails here.
// The client covers the platform's operations, without areas, as
// gendoc.go writes them.
func TestGeneratedClientIsCurrent(t *testing.T) {
	committed, err := os.ReadFile("../apiclient/openapi-3.0.json")
	if err != nil {
		t.Fatal(err)
	}
	made, err := restapi.Mount(http.NewServeMux(), nil, "client").OpenAPI().Downgrade()
	if err != nil {
		t.Fatal(err)
	}
	var a, b map[string]any
	if err := json.Unmarshal(committed, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(made, &b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("internal/apiclient/openapi-3.0.json is not the API's document; run go generate ./internal/apiclient (-committed +now):\n%s", diff)
	}
}
