package app

import (
	"context"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// note is a kind declared for this test only, scoped to an organisation
// and writable by requesters, so that scope is proven for every use: a
// requester may read and change their own organisation's notes and
// nothing of another's, which must look as if it did not exist.
type note struct {
	record.Meta
	OrgID int64
	Text  string
}

var noteKind = record.Kind{Entity: "note", Label: "Note", Plural: "Notes", Area: record.Administration,
	Read: access.SignedIn, Write: access.SignedIn, History: access.SignedIn, Scope: record.Organisation}

func TestOrganisationScopeInOnePlace(t *testing.T) {
	notes := Scope[note]{Kind: noteKind, Owner: func(n note) int64 { return n.OrgID }}
	stored := map[int64]note{1: {Meta: record.Meta{ID: 1}, OrgID: 10, Text: "ours"}, 2: {Meta: record.Meta{ID: 2}, OrgID: 20, Text: "theirs"}}
	read := func(_ context.Context, id int64) (note, error) {
		n, ok := stored[id]
		if !ok {
			return n, errs.E(errs.NotFound, "note %d not found", id)
		}
		return n, nil
	}
	ctx := context.Background()
	requester := access.Actor{UserID: 5, Role: access.Requester, OrgID: 10}
	staff := access.Actor{UserID: 6, Role: access.Agent, OrgID: 99}

	if got := notes.Narrow(requester); got != 10 {
		t.Errorf("a requester's listing is narrowed to organisation %d, want 10", got)
	}
	if got := notes.Narrow(staff); got != 0 {
		t.Errorf("staff's listing is narrowed to organisation %d, want none", got)
	}
	if n, err := notes.Get(ctx, requester, 1, read); err != nil || n.Text != "ours" {
		t.Errorf("requester reading their own organisation's note: %+v, %v", n, err)
	}
	if _, err := notes.Get(ctx, requester, 2, read); !errs.Is(err, errs.NotFound) {
		t.Errorf("requester reading another organisation's note: %v, want not found", err)
	}
	if _, err := notes.Get(ctx, staff, 2, read); err != nil {
		t.Errorf("staff reading any note: %v", err)
	}

	changed := false
	change := notes.GuardChange(requester, 2, func(n *note) error { changed = true; n.Text = "defaced"; return nil })
	theirs := stored[2]
	if err := change(&theirs); !errs.Is(err, errs.NotFound) || changed || theirs.Text != "theirs" {
		t.Errorf("requester changing another organisation's note: %v (change ran: %v), want not found and no change", err, changed)
	}
	ours := stored[1]
	if err := notes.GuardChange(requester, 1, func(n *note) error { n.Text = "edited"; return nil })(&ours); err != nil || ours.Text != "edited" {
		t.Errorf("requester changing their own organisation's note: %v, %q", err, ours.Text)
	}
	checked := false
	if err := notes.Guard(requester, 2, func(note) error { checked = true; return nil })(stored[2]); !errs.Is(err, errs.NotFound) || checked {
		t.Errorf("requester deleting another organisation's note: %v (rule ran: %v), want not found", err, checked)
	}
	if err := notes.Guard(requester, 1, nil)(stored[1]); err != nil {
		t.Errorf("requester deleting their own organisation's note: %v", err)
	}
}

func TestOwnerScope(t *testing.T) {
	mine := Scope[note]{Kind: record.Kind{Entity: "note", Read: access.SignedIn, Write: access.SignedIn, Manage: access.TokensManage, Scope: record.Owner},
		Owner: func(n note) int64 { return n.OrgID }}
	agent := access.Actor{UserID: 7, Role: access.Agent}
	admin := access.Actor{UserID: 1, Role: access.Admin}
	if err := mine.Sees(agent, 3, note{OrgID: 8}); !errs.Is(err, errs.NotFound) {
		t.Errorf("someone else's record without the manage permission: %v, want not found", err)
	}
	if err := mine.Sees(agent, 3, note{OrgID: 7}); err != nil {
		t.Errorf("one's own record: %v", err)
	}
	if err := mine.Sees(admin, 3, note{OrgID: 8}); err != nil {
		t.Errorf("with the manage permission: %v", err)
	}
	if mine.Narrow(agent) != 7 || mine.Narrow(admin) != 0 {
		t.Errorf("listings narrowed to %d and %d, want 7 and none", mine.Narrow(agent), mine.Narrow(admin))
	}
}

func TestAddAreaRefusesBadDeclarations(t *testing.T) {
	a := &App{see: map[string]Seer{}, names: map[string]Namer{}, finders: map[string]Finder{}}
	if err := a.AddArea(a.platform()); err != nil {
		t.Fatalf("the platform area: %v", err)
	}
	see := func(context.Context, access.Actor, int64) error { return nil }
	for name, area := range map[string]Area{
		"a kind without a Seer":       {Name: "x", Kinds: []record.Kind{noteKind}},
		"an entity declared twice":    {Name: "x", Kinds: []record.Kind{{Entity: "team", Label: "Team", Plural: "Groups", Read: "r", Write: "w", History: "h"}}, See: map[string]Seer{"team": see}},
		"a path already taken":        {Name: "x", Kinds: []record.Kind{{Entity: "crew", Label: "Crew", Plural: "Teams", Read: "r", Write: "w", History: "h"}}, See: map[string]Seer{"crew": see}},
		"a reference to no kind":      {Name: "x", Kinds: []record.Kind{{Entity: "note", Label: "Note", Plural: "Notes", Read: "r", Write: "w", History: "h", Fields: []record.Field{{Name: "x_id", Display: record.Ref, Ref: "nothing"}}}}, See: map[string]Seer{"note": see}},
		"owner scope without manage":  {Name: "x", Kinds: []record.Kind{{Entity: "note", Label: "Note", Plural: "Notes", Read: "r", Write: "w", History: "h", Scope: record.Owner}}, See: map[string]Seer{"note": see}},
		"missing permissions":         {Name: "x", Kinds: []record.Kind{{Entity: "note", Label: "Note", Plural: "Notes"}}, See: map[string]Seer{"note": see}},
		"an enum field with no value": {Name: "x", Kinds: []record.Kind{{Entity: "note", Label: "Note", Plural: "Notes", Read: "r", Write: "w", History: "h", Fields: []record.Field{{Name: "s", Display: record.Enum}}}}, See: map[string]Seer{"note": see}},
	} {
		if err := a.AddArea(area); err == nil {
			t.Errorf("%s: accepted, want refused", name)
		}
	}
	if got := len(a.Kinds().All()); got != len(a.platform().Kinds) {
		t.Errorf("after the refused areas: %d kinds, want the platform's %d", got, len(a.platform().Kinds))
	}
	ok := Area{Name: "Notes", Kinds: []record.Kind{noteKind}, See: map[string]Seer{"note": see}}
	if err := a.AddArea(ok); err != nil {
		t.Fatalf("a good area: %v", err)
	}
	if _, found := a.Kinds().Get("note"); !found || a.see["note"] == nil {
		t.Error("the added area's kind is not registered")
	}
}

func TestOutranks(t *testing.T) {
	if !outranks(access.Admin, access.Agent) || outranks(access.Agent, access.Admin) || outranks(access.Agent, access.Agent) {
		t.Error("outranks: want an administrator to outrank an agent, and neither an agent the administrator nor itself")
	}
}
