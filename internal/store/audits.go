package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
)

// AuditProgrammes is the audit programmes' table.
var AuditProgrammes = NewTable(TableDef[assurance.Programme]{
	Name: "audit_programmes", Entity: assurance.ProgrammeKind.Entity,
	Columns: []Column[assurance.Programme]{
		Col("title", func(p *assurance.Programme) any { return &p.Title }),
		Col("start_on", func(p *assurance.Programme) any { return &p.StartOn }),
		Col("end_on", func(p *assurance.Programme) any { return &p.EndOn }),
		Col("owner_id", func(p *assurance.Programme) any { return &p.OwnerID }),
		Col("notes", func(p *assurance.Programme) any { return &p.Notes }),
	},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
})

// Audits is the audits' table; the scope and the team live in link
// tables.
var Audits = NewTable(TableDef[assurance.Audit]{
	Name: "audits", Entity: assurance.AuditKind.Entity,
	Columns: []Column[assurance.Audit]{
		Col("programme_id", func(a *assurance.Audit) any { return &a.ProgrammeID }),
		Col("origin", func(a *assurance.Audit) any { return &a.Origin }),
		Col("type", func(a *assurance.Audit) any { return &a.Type }),
		Col("title", func(a *assurance.Audit) any { return &a.Title }),
		Col("body_id", func(a *assurance.Audit) any { return &a.BodyID }),
		Col("consultant", func(a *assurance.Audit) any { return &a.Consultant }),
		Col("criteria", func(a *assurance.Audit) any { return &a.Criteria }),
		Col("planned_start", func(a *assurance.Audit) any { return &a.PlannedStart }),
		Col("planned_end", func(a *assurance.Audit) any { return &a.PlannedEnd }),
		Col("actual_start", func(a *assurance.Audit) any { return &a.ActualStart }),
		Col("actual_end", func(a *assurance.Audit) any { return &a.ActualEnd }),
		Col("lead_auditor_id", func(a *assurance.Audit) any { return &a.LeadAuditorID }),
		Col("state", func(a *assurance.Audit) any { return &a.State }),
		Col("summary", func(a *assurance.Audit) any { return &a.Summary }),
		Col("conclusion", func(a *assurance.Audit) any { return &a.Conclusion }),
		Col("report_on", func(a *assurance.Audit) any { return &a.ReportOn }),
		Col("report_sha256", func(a *assurance.Audit) any { return &a.ReportSHA256 }),
		Col("report", func(a *assurance.Audit) any { return &a.Report }),
	},
	ForeignKeys: []ForeignKey{{Column: "programme_id", Field: "programme_id", Reason: "names no audit programme"},
		{Column: "lead_auditor_id", Field: "lead_auditor_id", Reason: "names no user"},
		{Column: "body_id", Field: "body_id", Reason: "names no certification body"}},
	Sets: []IDSet[assurance.Audit]{
		{Table: "audit_requirements", Owner: "audit_id", Member: "requirement_id",
			Field: func(a *assurance.Audit) *[]int64 { return &a.RequirementIDs }, Missing: missing("requirement_ids", "requirement")},
		{Table: "audit_processes", Owner: "audit_id", Member: "process_id",
			Field: func(a *assurance.Audit) *[]int64 { return &a.ProcessIDs }, Missing: missing("process_ids", "process")},
		{Table: "audit_services", Owner: "audit_id", Member: "service_id",
			Field: func(a *assurance.Audit) *[]int64 { return &a.ServiceIDs }, Missing: missing("service_ids", "service")},
		{Table: "audit_team", Owner: "audit_id", Member: "user_id",
			Field: func(a *assurance.Audit) *[]int64 { return &a.TeamIDs }, Missing: missing("team_ids", "user")},
	},
})

// ChecklistItems is the table of audits' checklist lines.
var ChecklistItems = NewTable(TableDef[assurance.ChecklistItem]{
	Name: "checklist_items", Entity: assurance.ChecklistItemKind.Entity,
	Columns: []Column[assurance.ChecklistItem]{
		Col("audit_id", func(i *assurance.ChecklistItem) any { return &i.AuditID }),
		Col("requirement_id", func(i *assurance.ChecklistItem) any { return &i.RequirementID }),
		Col("position", func(i *assurance.ChecklistItem) any { return &i.Position }),
		Col("result", func(i *assurance.ChecklistItem) any { return &i.Result }),
		Col("notes", func(i *assurance.ChecklistItem) any { return &i.Notes }),
		Col("sampled", func(i *assurance.ChecklistItem) any { return &i.Sampled }),
	},
	Unique: []Unique{{Index: "checklist_items_line", Field: "requirement_id", Reason: "already has a line in this audit's checklist"}},
	ForeignKeys: []ForeignKey{{Column: "audit_id", Field: "audit_id", Reason: "names no audit"},
		{Column: "requirement_id", Field: "requirement_id", Reason: "names no requirement"}},
})

// Findings is the audit findings' table.
var Findings = NewTable(TableDef[assurance.Finding]{
	Name: "findings", Entity: assurance.FindingKind.Entity,
	Columns: []Column[assurance.Finding]{
		Col("audit_id", func(f *assurance.Finding) any { return &f.AuditID }),
		Col("requirement_id", func(f *assurance.Finding) any { return &f.RequirementID }),
		Col("type", func(f *assurance.Finding) any { return &f.Type }),
		Col("statement", func(f *assurance.Finding) any { return &f.Statement }),
		Col("records", func(f *assurance.Finding) any { return &f.Records }),
		Col("owner_id", func(f *assurance.Finding) any { return &f.OwnerID }),
		Col("item_id", func(f *assurance.Finding) any { return &f.ItemID }),
	},
	ForeignKeys: []ForeignKey{{Column: "audit_id", Field: "audit_id", Reason: "names no audit"},
		{Column: "requirement_id", Field: "requirement_id", Reason: "names no requirement"},
		{Column: "owner_id", Field: "owner_id", Reason: "names no user"}, {Column: "item_id", Field: "item_id", Reason: "names no checklist line"}},
})

// GetAuditProgramme reads one programme.
func (db *DB) GetAuditProgramme(ctx context.Context, id int64) (assurance.Programme, error) {
	return AuditProgrammes.Get(ctx, db.reader(), id)
}

// AuditProgrammeFilter narrows a listing of programmes.
type AuditProgrammeFilter struct {
	IDs    []int64
	Query  string // part of the title
	Cursor string
	Limit  int
}

// ListAuditProgrammes returns a page of programmes by id.
func (db *DB) ListAuditProgrammes(ctx context.Context, f AuditProgrammeFilter) ([]assurance.Programme, string, error) {
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
	return AuditProgrammes.List(ctx, db.reader(), w, f.Limit)
}

// CreateAuditProgramme adds a programme with its audit entry.
func (tx *Tx) CreateAuditProgramme(ctx context.Context, actor access.Actor, p *assurance.Programme) error {
	return AuditProgrammes.Insert(ctx, tx, actor, p)
}

// UpdateAuditProgramme changes a programme read at version (0: any).
func (tx *Tx) UpdateAuditProgramme(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.Programme) error) (assurance.Programme, error) {
	_, after, err := AuditProgrammes.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteAuditProgramme removes a programme read at version (0: any).
func (tx *Tx) DeleteAuditProgramme(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.Programme) error) error {
	_, err := AuditProgrammes.Delete(ctx, tx, actor, id, version, check)
	return err
}

// GetAudit reads one audit with its scope and team.
func (db *DB) GetAudit(ctx context.Context, id int64) (assurance.Audit, error) {
	return Audits.Get(ctx, db.reader(), id)
}

// GetAudit reads one audit in the transaction.
func (tx *Tx) GetAudit(ctx context.Context, id int64) (assurance.Audit, error) {
	return Audits.Get(ctx, tx.conn, id)
}

// AuditListFilter narrows a listing of audits.
type AuditListFilter struct {
	IDs           []int64
	Query         string // part of the title
	State         string
	Type          string
	Origin        string
	ProgrammeID   int64
	BodyID        int64 // only audits the certification body runs
	RequirementID int64 // only audits naming this requirement in their scope
	Cursor        string
	Limit         int
}

// ListAudits returns a page of audits by id, with their lists.
func (db *DB) ListAudits(ctx context.Context, f AuditListFilter) ([]assurance.Audit, string, error) {
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
	for col, v := range map[string]string{"state": f.State, "type": f.Type, "origin": f.Origin} {
		if v != "" {
			w.add(col+" = ?", v)
		}
	}
	if f.ProgrammeID != 0 {
		w.add("programme_id = ?", f.ProgrammeID)
	}
	if f.BodyID != 0 {
		w.add("body_id = ?", f.BodyID)
	}
	if f.RequirementID != 0 {
		w.add("id IN (SELECT audit_id FROM audit_requirements WHERE requirement_id = ?)", f.RequirementID)
	}
	return Audits.List(ctx, db.reader(), w, f.Limit)
}

// CreateAudit adds an audit with its lists and its audit entry.
func (tx *Tx) CreateAudit(ctx context.Context, actor access.Actor, a *assurance.Audit) error {
	return Audits.Insert(ctx, tx, actor, a)
}

// UpdateAudit changes an audit read at version (0: any).
func (tx *Tx) UpdateAudit(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.Audit) error) (assurance.Audit, error) {
	_, after, err := Audits.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteAudit removes an audit read at version (0: any) and its lists;
// its checklist and findings must be gone first.
func (tx *Tx) DeleteAudit(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.Audit) error) error {
	_, err := Audits.Delete(ctx, tx, actor, id, version, check)
	return err
}

// GetChecklistItem reads one checklist line.
func (db *DB) GetChecklistItem(ctx context.Context, id int64) (assurance.ChecklistItem, error) {
	return ChecklistItems.Get(ctx, db.reader(), id)
}

// ChecklistItemFilter narrows a listing of checklist lines.
type ChecklistItemFilter struct {
	IDs     []int64
	AuditID int64
	Result  string
	Cursor  string
	Limit   int
}

// ListChecklistItems returns a page of checklist lines by id.
func (db *DB) ListChecklistItems(ctx context.Context, f ChecklistItemFilter) ([]assurance.ChecklistItem, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.AuditID != 0 {
		w.add("audit_id = ?", f.AuditID)
	}
	if f.Result != "" {
		w.add("result = ?", f.Result)
	}
	return ChecklistItems.List(ctx, db.reader(), w, f.Limit)
}

// ChecklistOf reads every line of an audit's checklist in the
// transaction, in no particular order.
func (tx *Tx) ChecklistOf(ctx context.Context, auditID int64) ([]assurance.ChecklistItem, error) {
	w := whereBuilder{}
	w.add("audit_id = ?", auditID)
	items, _, err := ChecklistItems.List(ctx, tx.conn, w, MaxLimit)
	return items, err
}

// CreateChecklistItem adds a checklist line with its audit entry.
func (tx *Tx) CreateChecklistItem(ctx context.Context, actor access.Actor, it *assurance.ChecklistItem) error {
	return ChecklistItems.Insert(ctx, tx, actor, it)
}

// UpdateChecklistItem changes a checklist line read at version (0: any).
func (tx *Tx) UpdateChecklistItem(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.ChecklistItem) error) (assurance.ChecklistItem, error) {
	_, after, err := ChecklistItems.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteChecklistItem removes a checklist line read at version (0: any).
func (tx *Tx) DeleteChecklistItem(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.ChecklistItem) error) error {
	_, err := ChecklistItems.Delete(ctx, tx, actor, id, version, check)
	return err
}

// GetFinding reads one finding.
func (db *DB) GetFinding(ctx context.Context, id int64) (assurance.Finding, error) {
	return Findings.Get(ctx, db.reader(), id)
}

// FindingFilter narrows a listing of findings.
type FindingFilter struct {
	IDs           []int64
	Query         string // part of the statement
	AuditID       int64
	RequirementID int64
	ItemID        int64 // only findings raised from this checklist line
	Type          string
	Cursor        string
	Limit         int
}

// ListFindings returns a page of findings by id.
func (db *DB) ListFindings(ctx context.Context, f FindingFilter) ([]assurance.Finding, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(statement) LIKE ?", likePattern(f.Query))
	}
	if f.AuditID != 0 {
		w.add("audit_id = ?", f.AuditID)
	}
	if f.RequirementID != 0 {
		w.add("requirement_id = ?", f.RequirementID)
	}
	if f.ItemID != 0 {
		w.add("item_id = ?", f.ItemID)
	}
	if f.Type != "" {
		w.add("type = ?", f.Type)
	}
	return Findings.List(ctx, db.reader(), w, f.Limit)
}

// FindingsOf reads every finding of an audit in the transaction.
func (tx *Tx) FindingsOf(ctx context.Context, auditID int64) ([]assurance.Finding, error) {
	w := whereBuilder{}
	w.add("audit_id = ?", auditID)
	fs, _, err := Findings.List(ctx, tx.conn, w, MaxLimit)
	return fs, err
}

// CreateFinding adds a finding with its audit entry.
func (tx *Tx) CreateFinding(ctx context.Context, actor access.Actor, f *assurance.Finding) error {
	return Findings.Insert(ctx, tx, actor, f)
}

// UpdateFinding changes a finding read at version (0: any).
func (tx *Tx) UpdateFinding(ctx context.Context, actor access.Actor, id, version int64, change func(*assurance.Finding) error) (assurance.Finding, error) {
	_, after, err := Findings.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteFinding removes a finding read at version (0: any).
func (tx *Tx) DeleteFinding(ctx context.Context, actor access.Actor, id, version int64, check func(assurance.Finding) error) error {
	_, err := Findings.Delete(ctx, tx, actor, id, version, check)
	return err
}

// FindingCounts counts the findings of the audits named, by audit and
// by type, in one query per few hundred audits.
func (db *DB) FindingCounts(ctx context.Context, auditIDs []int64) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	for chunk := range slices.Chunk(auditIDs, 400) {
		w := whereBuilder{}
		w.in("audit_id", chunk)
		rows, err := db.reader().query(ctx, "SELECT audit_id, type, count(*) FROM findings"+w.sql()+" GROUP BY audit_id, type", w.args...)
		if err != nil {
			return nil, db.fault(err, "count findings")
		}
		for rows.Next() {
			var id int64
			var typ string
			var n int
			if err := rows.Scan(&id, &typ, &n); err != nil {
				rows.Close()
				return nil, db.fault(err, "count findings")
			}
			if out[id] == nil {
				out[id] = map[string]int{}
			}
			out[id][typ] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, db.fault(err, "count findings")
		}
	}
	return out, nil
}

// NextExternalAudit is the external audit still planned that starts
// first (a day already past included); ok is false when none is planned.
// It reads the one row, for the dashboard, not every audit planned with
// its scope.
func (db *DB) NextExternalAudit(ctx context.Context) (id int64, title, start string, ok bool, err error) {
	err = db.reader().queryRow(ctx, `SELECT id, title, planned_start FROM audits
		WHERE origin = 'external' AND state = 'planned' AND planned_start <> '' ORDER BY planned_start, id LIMIT 1`).Scan(&id, &title, &start)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", false, nil
	}
	if err != nil {
		return 0, "", "", false, db.fault(err, "read the next external audit")
	}
	return id, title, start, true, nil
}
