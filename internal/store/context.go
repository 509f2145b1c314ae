package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
)

// ContextIssues is the internal and external issues' table.
var ContextIssues = NewTable(TableDef[sms.ContextIssue]{
	Name: "context_issues", Entity: sms.ContextIssueKind.Entity,
	Columns: []Column[sms.ContextIssue]{
		Col("title", func(i *sms.ContextIssue) any { return &i.Title }),
		Col("origin", func(i *sms.ContextIssue) any { return &i.Origin }),
		Col("category", func(i *sms.ContextIssue) any { return &i.Category }),
		Col("climate", func(i *sms.ContextIssue) any { return &i.Climate }),
		Col("description", func(i *sms.ContextIssue) any { return &i.Description }),
		Col("effect", func(i *sms.ContextIssue) any { return &i.Effect }),
		Col("response", func(i *sms.ContextIssue) any { return &i.Response }),
		Col("owner_id", func(i *sms.ContextIssue) any { return &i.OwnerID }),
	},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
})

// GetContextIssue reads one issue.
func (db *DB) GetContextIssue(ctx context.Context, id int64) (sms.ContextIssue, error) {
	return ContextIssues.Get(ctx, db.reader(), id)
}

// ContextIssueFilter narrows a listing of issues.
type ContextIssueFilter struct {
	IDs      []int64
	Query    string // part of the title
	Origin   string
	Category string
	Climate  bool // only those that concern climate change
	OwnerID  int64
	Cursor   string
	Limit    int
}

// ListContextIssues returns a page of issues by id.
func (db *DB) ListContextIssues(ctx context.Context, f ContextIssueFilter) ([]sms.ContextIssue, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(title) LIKE ?", likePattern(f.Query))
	}
	if f.Origin != "" {
		w.add("origin = ?", f.Origin)
	}
	if f.Category != "" {
		w.add("category = ?", f.Category)
	}
	if f.Climate {
		w.add("climate = ?", true)
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	return ContextIssues.List(ctx, db.reader(), w, f.Limit)
}

// CreateContextIssue adds an issue with its audit entry.
func (tx *Tx) CreateContextIssue(ctx context.Context, actor access.Actor, i *sms.ContextIssue) error {
	return ContextIssues.Insert(ctx, tx, actor, i)
}

// UpdateContextIssue changes an issue read at version (0: any).
func (tx *Tx) UpdateContextIssue(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.ContextIssue) error) (sms.ContextIssue, error) {
	_, after, err := ContextIssues.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteContextIssue removes an issue read at version (0: any).
func (tx *Tx) DeleteContextIssue(ctx context.Context, actor access.Actor, id, version int64, check func(sms.ContextIssue) error) error {
	_, err := ContextIssues.Delete(ctx, tx, actor, id, version, check)
	return err
}

// InterestedParties is the interested parties' table.
var InterestedParties = NewTable(TableDef[sms.InterestedParty]{
	Name: "interested_parties", Entity: sms.InterestedPartyKind.Entity,
	Columns: []Column[sms.InterestedParty]{
		Col("name", func(p *sms.InterestedParty) any { return &p.Name }),
		Col("category", func(p *sms.InterestedParty) any { return &p.Category }),
		Col("relevance", func(p *sms.InterestedParty) any { return &p.Relevance }),
		Col("requirements", func(p *sms.InterestedParty) any { return &p.Requirements }),
		Col("response", func(p *sms.InterestedParty) any { return &p.Response }),
	},
	Unique: []Unique{{Index: "interested_parties_name", Field: "name", Reason: "is already used by another interested party"}},
})

// GetInterestedParty reads one party.
func (db *DB) GetInterestedParty(ctx context.Context, id int64) (sms.InterestedParty, error) {
	return InterestedParties.Get(ctx, db.reader(), id)
}

// InterestedPartyFilter narrows a listing of parties.
type InterestedPartyFilter struct {
	IDs       []int64
	Query     string // part of the name
	Category  string
	Relevance string
	Cursor    string
	Limit     int
}

// ListInterestedParties returns a page of parties by id.
func (db *DB) ListInterestedParties(ctx context.Context, f InterestedPartyFilter) ([]sms.InterestedParty, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(name) LIKE ?", likePattern(f.Query))
	}
	if f.Category != "" {
		w.add("category = ?", f.Category)
	}
	if f.Relevance != "" {
		w.add("relevance = ?", f.Relevance)
	}
	return InterestedParties.List(ctx, db.reader(), w, f.Limit)
}

// CreateInterestedParty adds a party with its audit entry.
func (tx *Tx) CreateInterestedParty(ctx context.Context, actor access.Actor, p *sms.InterestedParty) error {
	return InterestedParties.Insert(ctx, tx, actor, p)
}

// UpdateInterestedParty changes a party read at version (0: any).
func (tx *Tx) UpdateInterestedParty(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.InterestedParty) error) (sms.InterestedParty, error) {
	_, after, err := InterestedParties.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteInterestedParty removes a party read at version (0: any).
func (tx *Tx) DeleteInterestedParty(ctx context.Context, actor access.Actor, id, version int64, check func(sms.InterestedParty) error) error {
	_, err := InterestedParties.Delete(ctx, tx, actor, id, version, check)
	return err
}

// Communications is the communication plan's table.
var Communications = NewTable(TableDef[sms.Communication]{
	Name: "communications", Entity: sms.CommunicationKind.Entity,
	Columns: []Column[sms.Communication]{
		Col("subject", func(m *sms.Communication) any { return &m.Subject }),
		Col("audience", func(m *sms.Communication) any { return &m.Audience }),
		Col("frequency", func(m *sms.Communication) any { return &m.Frequency }),
		Col("timing", func(m *sms.Communication) any { return &m.Timing }),
		Col("channel", func(m *sms.Communication) any { return &m.Channel }),
		Col("owner_id", func(m *sms.Communication) any { return &m.OwnerID }),
		Col("notes", func(m *sms.Communication) any { return &m.Notes }),
	},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
})

// GetCommunication reads one communication.
func (db *DB) GetCommunication(ctx context.Context, id int64) (sms.Communication, error) {
	return Communications.Get(ctx, db.reader(), id)
}

// CommunicationFilter narrows a listing of the plan.
type CommunicationFilter struct {
	IDs       []int64
	Query     string // part of the subject or the audience
	Frequency string
	Channel   string
	OwnerID   int64
	Cursor    string
	Limit     int
}

// ListCommunications returns a page of the plan by id.
func (db *DB) ListCommunications(ctx context.Context, f CommunicationFilter) ([]sms.Communication, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		p := likePattern(f.Query)
		w.add("(lower(subject) LIKE ? OR lower(audience) LIKE ?)", p, p)
	}
	if f.Frequency != "" {
		w.add("frequency = ?", f.Frequency)
	}
	if f.Channel != "" {
		w.add("channel = ?", f.Channel)
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	return Communications.List(ctx, db.reader(), w, f.Limit)
}

// CreateCommunication adds a communication with its audit entry.
func (tx *Tx) CreateCommunication(ctx context.Context, actor access.Actor, m *sms.Communication) error {
	return Communications.Insert(ctx, tx, actor, m)
}

// UpdateCommunication changes a communication read at version (0: any).
func (tx *Tx) UpdateCommunication(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Communication) error) (sms.Communication, error) {
	_, after, err := Communications.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteCommunication removes a communication read at version (0: any).
func (tx *Tx) DeleteCommunication(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Communication) error) error {
	_, err := Communications.Delete(ctx, tx, actor, id, version, check)
	return err
}
