package store

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Documents is the controlled documents table; approvers, related
// requirements and readers live in link tables.
var Documents = NewTable(TableDef[sms.ControlledDocument]{
	Name: "documents", Entity: sms.DocumentKind.Entity,
	Columns: []Column[sms.ControlledDocument]{
		Col("title", func(d *sms.ControlledDocument) any { return &d.Title }),
		Col("type", func(d *sms.ControlledDocument) any { return &d.Type }),
		Col("owner_id", func(d *sms.ControlledDocument) any { return &d.OwnerID }),
		Col("classification", func(d *sms.ControlledDocument) any { return &d.Classification }),
		Col("summary", func(d *sms.ControlledDocument) any { return &d.Summary }),
		Col("review_months", func(d *sms.ControlledDocument) any { return &d.ReviewMonths }),
		Col("reviewed_on", func(d *sms.ControlledDocument) any { return &d.ReviewedOn }),
		Col("review_due_on", func(d *sms.ControlledDocument) any { return &d.ReviewDueOn }),
		Col("status", func(d *sms.ControlledDocument) any { return &d.Status }),
		Col("current_version", func(d *sms.ControlledDocument) any { return &d.CurrentVersion }),
		Col("quorum", func(d *sms.ControlledDocument) any { return &d.Quorum }),
		Col("self_approval", func(d *sms.ControlledDocument) any { return &d.SelfApproval }),
		Col("audience_roles", func(d *sms.ControlledDocument) any { return &d.AudienceRoles }),
	},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
	Sets: []IDSet[sms.ControlledDocument]{
		{Table: "document_approvers", Owner: "document_id", Member: "user_id",
			Field: func(d *sms.ControlledDocument) *[]int64 { return &d.ApproverIDs }, Missing: missing("approver_ids", "user")},
		{Table: "document_requirements", Owner: "document_id", Member: "requirement_id",
			Field: func(d *sms.ControlledDocument) *[]int64 { return &d.RequirementIDs }, Missing: missing("requirement_ids", "requirement")},
		{Table: "document_teams", Owner: "document_id", Member: "team_id",
			Field: func(d *sms.ControlledDocument) *[]int64 { return &d.AudienceTeamIDs }, Missing: missing("audience_team_ids", "team")},
		{Table: "document_readers", Owner: "document_id", Member: "user_id",
			Field: func(d *sms.ControlledDocument) *[]int64 { return &d.AudienceUserIDs }, Missing: missing("audience_user_ids", "user")},
	},
})

func missing(field, what string) func(int64) error {
	return func(id int64) error {
		return errs.Field(field, fmt.Sprintf("names %s %d, which does not exist", what, id))
	}
}

// DocumentVersions is the documents' versions table; the approvals each
// got live in document_version_approvals.
var DocumentVersions = NewTable(TableDef[sms.DocumentVersion]{
	Name: "document_versions", Entity: sms.DocumentVersionKind.Entity,
	Columns: []Column[sms.DocumentVersion]{
		Col("document_id", func(v *sms.DocumentVersion) any { return &v.DocumentID }),
		Col("number", func(v *sms.DocumentVersion) any { return &v.Number }),
		Col("state", func(v *sms.DocumentVersion) any { return &v.State }),
		Col("content", func(v *sms.DocumentVersion) any { return &v.Content }),
		Col("change_note", func(v *sms.DocumentVersion) any { return &v.ChangeNote }),
		Col("approved_at", func(v *sms.DocumentVersion) any { return &v.ApprovedAt }),
		Col("file_hash", func(v *sms.DocumentVersion) any { return &v.File.Hash }),
		Col("file_name", func(v *sms.DocumentVersion) any { return &v.File.Name }),
		Col("file_type", func(v *sms.DocumentVersion) any { return &v.File.Type }),
		Col("file_size", func(v *sms.DocumentVersion) any { return &v.File.Size }),
	},
	Unique:      []Unique{{Index: "document_versions_number", Field: "number", Reason: "is already taken by another version of this document"}},
	ForeignKeys: []ForeignKey{{Column: "document_id", Field: "document_id", Reason: "names no document"}},
	Sets: []IDSet[sms.DocumentVersion]{{Table: "document_version_approvals", Owner: "version_id", Member: "user_id",
		Field: func(v *sms.DocumentVersion) *[]int64 { return &v.ApprovalIDs }, Missing: missing("approval_ids", "user")}},
})

// Acknowledgements is the table of who read and understood which
// version.
var Acknowledgements = NewTable(TableDef[sms.DocumentAcknowledgement]{
	Name: "document_acknowledgements", Entity: sms.AcknowledgementKind.Entity,
	Columns: []Column[sms.DocumentAcknowledgement]{
		Col("document_id", func(a *sms.DocumentAcknowledgement) any { return &a.DocumentID }),
		Col("version_id", func(a *sms.DocumentAcknowledgement) any { return &a.VersionID }),
		Col("user_id", func(a *sms.DocumentAcknowledgement) any { return &a.UserID }),
	},
	Unique: []Unique{{Index: "document_acknowledgements_once", Field: "version_id", Reason: "is already acknowledged by this person"}},
	ForeignKeys: []ForeignKey{
		{Column: "document_id", Field: "document_id", Reason: "names no document"},
		{Column: "version_id", Field: "version_id", Reason: "names no version"},
		{Column: "user_id", Field: "user_id", Reason: "names no user"},
	},
})

// RequiredDocuments is the checklist's mappings, one row per item mapped.
var RequiredDocuments = NewTable(TableDef[sms.RequiredDocument]{
	Name: "required_documents", Entity: sms.RequiredDocumentKind.Entity,
	Columns: []Column[sms.RequiredDocument]{
		Col("item", func(r *sms.RequiredDocument) any { return &r.Item }),
		Col("document_id", func(r *sms.RequiredDocument) any { return &r.DocumentID }),
	},
	Unique:      []Unique{{Index: "required_documents_item", Field: "item", Reason: "is already mapped to a document"}},
	ForeignKeys: []ForeignKey{{Column: "document_id", Field: "document_id", Reason: "names no document"}},
})

// GetDocument reads one document with its lists.
func (db *DB) GetDocument(ctx context.Context, id int64) (sms.ControlledDocument, error) {
	return Documents.Get(ctx, db.reader(), id)
}

// GetDocument reads one document inside the transaction.
func (tx *Tx) GetDocument(ctx context.Context, id int64) (sms.ControlledDocument, error) {
	return Documents.Get(ctx, tx.conn, id)
}

// DocumentFilter narrows a listing of documents.
type DocumentFilter struct {
	IDs           []int64
	Query         string // part of the title
	Type          string
	Status        string
	OwnerID       int64
	RequirementID int64
	// ReviewBefore: only documents in force whose next review is due
	// before this day ("2006-01-02"): the overdue ones, given today.
	ReviewBefore string
	// ApproverID: only documents naming this approver.
	ApproverID int64
	Cursor     string
	Limit      int
}

// ListDocuments returns a page of documents by id.
func (db *DB) ListDocuments(ctx context.Context, f DocumentFilter) ([]sms.ControlledDocument, string, error) {
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
	if f.Type != "" {
		w.add("type = ?", f.Type)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.RequirementID != 0 {
		w.add("id IN (SELECT document_id FROM document_requirements WHERE requirement_id = ?)", f.RequirementID)
	}
	if f.ApproverID != 0 {
		w.add("id IN (SELECT document_id FROM document_approvers WHERE user_id = ?)", f.ApproverID)
	}
	if f.ReviewBefore != "" {
		w.add("status = 'approved' AND review_due_on <> '' AND review_due_on < ?", f.ReviewBefore)
	}
	return Documents.List(ctx, db.reader(), w, f.Limit)
}

// CreateDocument adds a document with its lists and its audit entry.
func (tx *Tx) CreateDocument(ctx context.Context, actor access.Actor, d *sms.ControlledDocument) error {
	return Documents.Insert(ctx, tx, actor, d)
}

// UpdateDocument changes a document read at version (0: any).
func (tx *Tx) UpdateDocument(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.ControlledDocument) error) (sms.ControlledDocument, error) {
	_, after, err := Documents.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteDocument removes a document read at version (0: any); its
// versions and acknowledgements must be gone first.
func (tx *Tx) DeleteDocument(ctx context.Context, actor access.Actor, id, version int64, check func(sms.ControlledDocument) error) error {
	_, err := Documents.Delete(ctx, tx, actor, id, version, check)
	return err
}

// GetDocumentVersion reads one version with its approvals.
func (db *DB) GetDocumentVersion(ctx context.Context, id int64) (sms.DocumentVersion, error) {
	return DocumentVersions.Get(ctx, db.reader(), id)
}

// DocumentVersionFilter narrows a listing of versions.
type DocumentVersionFilter struct {
	IDs        []int64
	DocumentID int64
	State      string
	Cursor     string
	Limit      int
}

// ListDocumentVersions returns a page of versions by id.
func (db *DB) ListDocumentVersions(ctx context.Context, f DocumentVersionFilter) ([]sms.DocumentVersion, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.DocumentID != 0 {
		w.add("document_id = ?", f.DocumentID)
	}
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	return DocumentVersions.List(ctx, db.reader(), w, f.Limit)
}

// VersionsOf reads every version of a document, by number, in the
// transaction.
func (tx *Tx) VersionsOf(ctx context.Context, documentID int64) ([]sms.DocumentVersion, error) {
	ids, err := DocumentVersions.IDsWhere(ctx, tx, "document_id = ?", documentID)
	if err != nil {
		return nil, err
	}
	out := make([]sms.DocumentVersion, 0, len(ids))
	for _, id := range ids {
		v, err := DocumentVersions.Get(ctx, tx.conn, id)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// NextVersionNumber is the number a new version of the document takes.
func (tx *Tx) NextVersionNumber(ctx context.Context, documentID int64) (int64, error) {
	var n int64
	if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(number), 0) + 1 FROM document_versions WHERE document_id = ?", documentID).Scan(&n); err != nil {
		return 0, tx.db.fault(err, "number a document version")
	}
	return n, nil
}

// CreateDocumentVersion adds a version with its audit entry.
func (tx *Tx) CreateDocumentVersion(ctx context.Context, actor access.Actor, v *sms.DocumentVersion) error {
	return DocumentVersions.Insert(ctx, tx, actor, v)
}

// UpdateDocumentVersion changes a version read at version (0: any).
func (tx *Tx) UpdateDocumentVersion(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.DocumentVersion) error) (sms.DocumentVersion, error) {
	_, after, err := DocumentVersions.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteDocumentVersion removes a version read at version (0: any).
func (tx *Tx) DeleteDocumentVersion(ctx context.Context, actor access.Actor, id, version int64, check func(sms.DocumentVersion) error) error {
	_, err := DocumentVersions.Delete(ctx, tx, actor, id, version, check)
	return err
}

// GetAcknowledgement reads one acknowledgement.
func (db *DB) GetAcknowledgement(ctx context.Context, id int64) (sms.DocumentAcknowledgement, error) {
	return Acknowledgements.Get(ctx, db.reader(), id)
}

// AcknowledgementFilter narrows a listing of acknowledgements.
type AcknowledgementFilter struct {
	IDs        []int64
	DocumentID int64
	VersionID  int64
	UserID     int64
	Cursor     string
	Limit      int
}

// ListAcknowledgements returns a page of acknowledgements by id.
func (db *DB) ListAcknowledgements(ctx context.Context, f AcknowledgementFilter) ([]sms.DocumentAcknowledgement, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.DocumentID != 0 {
		w.add("document_id = ?", f.DocumentID)
	}
	if f.VersionID != 0 {
		w.add("version_id = ?", f.VersionID)
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	return Acknowledgements.List(ctx, db.reader(), w, f.Limit)
}

// AcknowledgedBy lists the people who acknowledged a version, by id.
func (db *DB) AcknowledgedBy(ctx context.Context, versionID int64) ([]int64, error) {
	return documentIDQuery(ctx, db.reader(), "acknowledgements", "SELECT user_id FROM document_acknowledgements WHERE version_id = ? ORDER BY user_id", versionID)
}

// AcknowledgementIDsOf lists the acknowledgements of a document, in the
// transaction.
func (tx *Tx) AcknowledgementIDsOf(ctx context.Context, documentID int64) ([]int64, error) {
	return Acknowledgements.IDsWhere(ctx, tx, "document_id = ?", documentID)
}

// CreateAcknowledgement adds an acknowledgement with its audit entry.
func (tx *Tx) CreateAcknowledgement(ctx context.Context, actor access.Actor, a *sms.DocumentAcknowledgement) error {
	return Acknowledgements.Insert(ctx, tx, actor, a)
}

// DeleteAcknowledgement removes an acknowledgement, with its audit entry.
func (tx *Tx) DeleteAcknowledgement(ctx context.Context, actor access.Actor, id int64) error {
	_, err := Acknowledgements.Delete(ctx, tx, actor, id, 0, nil)
	return err
}

// DocumentReaders lists the active people asked to read a document: those
// with one of its roles, the members of its teams and the people it
// names, by id.
func (db *DB) DocumentReaders(ctx context.Context, d sms.ControlledDocument) ([]int64, error) {
	return documentIDQuery(ctx, db.reader(), "document readers", `SELECT u.id FROM users u WHERE u.active = ? AND (
		(',' || ? || ',') LIKE ('%,' || u.role || ',%')
		OR u.id IN (SELECT user_id FROM document_readers WHERE document_id = ?)
		OR u.id IN (SELECT tm.user_id FROM team_members tm JOIN document_teams dt ON dt.team_id = tm.team_id WHERE dt.document_id = ?))
		ORDER BY u.id`, true, d.AudienceRoles, d.ID, d.ID)
}

// DocumentsToRead lists the documents in force a person is asked to read
// (by their role, a team of theirs or by name), by id.
func (db *DB) DocumentsToRead(ctx context.Context, userID int64, role access.Role) ([]int64, error) {
	return documentIDQuery(ctx, db.reader(), "documents to read", `SELECT d.id FROM documents d WHERE d.status = 'approved' AND (
		(',' || d.audience_roles || ',') LIKE ?
		OR d.id IN (SELECT document_id FROM document_readers WHERE user_id = ?)
		OR d.id IN (SELECT dt.document_id FROM document_teams dt JOIN team_members tm ON tm.team_id = dt.team_id WHERE tm.user_id = ?))
		ORDER BY d.id`, "%,"+string(role)+",%", userID, userID)
}

func documentIDQuery(ctx context.Context, c conn, what, query string, args ...any) ([]int64, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, c.db.fault(err, "read "+what)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, c.db.fault(err, "read "+what)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, c.db.fault(err, "read "+what)
	}
	return out, nil
}

// ListRequiredDocuments reads every mapping of the checklist.
func (db *DB) ListRequiredDocuments(ctx context.Context) ([]sms.RequiredDocument, error) {
	out, _, err := RequiredDocuments.List(ctx, db.reader(), whereBuilder{}, MaxLimit)
	return out, err
}

// GetRequiredDocument reads one mapping.
func (db *DB) GetRequiredDocument(ctx context.Context, id int64) (sms.RequiredDocument, error) {
	return RequiredDocuments.Get(ctx, db.reader(), id)
}

// RequiredDocumentFor reads the mapping of one checklist item, in the
// transaction; not found when the item has none.
func (tx *Tx) RequiredDocumentFor(ctx context.Context, item string) (sms.RequiredDocument, error) {
	ids, err := RequiredDocuments.IDsWhere(ctx, tx, "item = ?", item)
	if err != nil {
		return sms.RequiredDocument{}, err
	}
	if len(ids) == 0 {
		return sms.RequiredDocument{}, errs.E(errs.NotFound, "checklist item %s is not mapped", item)
	}
	return RequiredDocuments.Get(ctx, tx.conn, ids[0])
}

// CreateRequiredDocument maps a checklist item, with its audit entry.
func (tx *Tx) CreateRequiredDocument(ctx context.Context, actor access.Actor, r *sms.RequiredDocument) error {
	return RequiredDocuments.Insert(ctx, tx, actor, r)
}

// UpdateRequiredDocument changes a mapping.
func (tx *Tx) UpdateRequiredDocument(ctx context.Context, actor access.Actor, id int64, change func(*sms.RequiredDocument) error) (sms.RequiredDocument, error) {
	_, after, err := RequiredDocuments.Update(ctx, tx, actor, id, 0, change)
	return after, err
}

// DeleteRequiredDocument removes a mapping.
func (tx *Tx) DeleteRequiredDocument(ctx context.Context, actor access.Actor, id int64) error {
	_, err := RequiredDocuments.Delete(ctx, tx, actor, id, 0, nil)
	return err
}

// documentReferrers are the records that may point to a document and
// keep it from being deleted: each a label for people and a query
// counting them. A kind that points to documents adds its line here.
var documentReferrers = []struct{ label, query string }{
	{"%d item(s) of the documented information checklist", "SELECT count(*) FROM required_documents WHERE document_id = ?"},
	{"%d item(s) of evidence", "SELECT count(*) FROM evidence WHERE ref_entity = 'document' AND ref_id = ?"},
}

// DocumentReferences says, in words, what points to a document, in the
// transaction: nothing (an empty list) lets it be deleted.
func (tx *Tx) DocumentReferences(ctx context.Context, id int64) ([]string, error) {
	var out []string
	for _, r := range documentReferrers {
		var n int
		if err := tx.queryRow(ctx, r.query, id).Scan(&n); err != nil {
			return nil, tx.db.fault(err, "count what points to a document")
		}
		if n > 0 {
			out = append(out, fmt.Sprintf(r.label, n))
		}
	}
	return out, nil
}
