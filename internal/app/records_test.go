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
	notes := scope[note]{kind: noteKind, owner: func(n note) int64 { return n.OrgID }}
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

	if got := notes.narrow(requester); got != 10 {
		t.Errorf("a requester's listing is narrowed to organisation %d, want 10", got)
	}
	if got := notes.narrow(staff); got != 0 {
		t.Errorf("staff's listing is narrowed to organisation %d, want none", got)
	}
	if n, err := notes.get(ctx, requester, 1, read); err != nil || n.Text != "ours" {
		t.Errorf("requester reading their own organisation's note: %+v, %v", n, err)
	}
	if _, err := notes.get(ctx, requester, 2, read); !errs.Is(err, errs.NotFound) {
		t.Errorf("requester reading another organisation's note: %v, want not found", err)
	}
	if _, err := notes.get(ctx, staff, 2, read); err != nil {
		t.Errorf("staff reading any note: %v", err)
	}

	changed := false
	change := notes.guardChange(requester, 2, func(n *note) error { changed = true; n.Text = "defaced"; return nil })
	theirs := stored[2]
	if err := change(&theirs); !errs.Is(err, errs.NotFound) || changed || theirs.Text != "theirs" {
		t.Errorf("requester changing another organisation's note: %v (change ran: %v), want not found and no change", err, changed)
	}
	ours := stored[1]
	if err := notes.guardChange(requester, 1, func(n *note) error { n.Text = "edited"; return nil })(&ours); err != nil || ours.Text != "edited" {
		t.Errorf("requester changing their own organisation's note: %v, %q", err, ours.Text)
	}
	checked := false
	if err := notes.guard(requester, 2, func(note) error { checked = true; return nil })(stored[2]); !errs.Is(err, errs.NotFound) || checked {
		t.Errorf("requester deleting another organisation's note: %v (rule ran: %v), want not found", err, checked)
	}
	if err := notes.guard(requester, 1, nil)(stored[1]); err != nil {
		t.Errorf("requester deleting their own organisation's note: %v", err)
	}
}

func TestOwnerScope(t *testing.T) {
	mine := scope[note]{kind: record.Kind{Entity: "note", Read: access.SignedIn, Write: access.SignedIn, Manage: access.TokensManage, Scope: record.Owner},
		owner: func(n note) int64 { return n.OrgID }}
	agent := access.Actor{UserID: 7, Role: access.Agent}
	admin := access.Actor{UserID: 1, Role: access.Admin}
	if err := mine.sees(agent, 3, note{OrgID: 8}); !errs.Is(err, errs.NotFound) {
		t.Errorf("someone else's record without the manage permission: %v, want not found", err)
	}
	if err := mine.sees(agent, 3, note{OrgID: 7}); err != nil {
		t.Errorf("one's own record: %v", err)
	}
	if err := mine.sees(admin, 3, note{OrgID: 8}); err != nil {
		t.Errorf("with the manage permission: %v", err)
	}
	if mine.narrow(agent) != 7 || mine.narrow(admin) != 0 {
		t.Errorf("listings narrowed to %d and %d, want 7 and none", mine.narrow(agent), mine.narrow(admin))
	}
}
