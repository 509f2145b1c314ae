package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
)

// Processes is the process register; interfaces, KPIs and requirements
// live in link tables.
var Processes = NewTable(TableDef[sms.Process]{
	Name: "processes", Entity: sms.ProcessKind.Entity,
	Columns: []Column[sms.Process]{
		Col("code", func(p *sms.Process) any { return &p.Code }),
		Col("name", func(p *sms.Process) any { return &p.Name }),
		Col("area", func(p *sms.Process) any { return &p.Area }),
		Col("position", func(p *sms.Process) any { return &p.Position }),
		Col("owner_id", func(p *sms.Process) any { return &p.OwnerID }),
		Col("purpose", func(p *sms.Process) any { return &p.Purpose }),
		Col("scope", func(p *sms.Process) any { return &p.Scope }),
		Col("inputs", func(p *sms.Process) any { return &p.Inputs }),
		Col("outputs", func(p *sms.Process) any { return &p.Outputs }),
		Col("maturity", func(p *sms.Process) any { return &p.Maturity }),
	},
	Unique:      []Unique{{Index: "processes_name", Column: "name", Field: "name", Reason: "is already the name of another process"}},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
	Sets: []IDSet[sms.Process]{
		{Table: "process_interfaces", Owner: "process_id", Member: "other_id",
			Field: func(p *sms.Process) *[]int64 { return &p.InterfaceIDs }, Missing: missing("interface_ids", "process")},
		{Table: "process_kpis", Owner: "process_id", Member: "objective_id",
			Field: func(p *sms.Process) *[]int64 { return &p.KPIIDs }, Missing: missing("kpi_ids", "objective")},
		{Table: "process_requirements", Owner: "process_id", Member: "requirement_id",
			Field: func(p *sms.Process) *[]int64 { return &p.RequirementIDs }, Missing: missing("requirement_ids", "requirement")},
	},
})

// GetProcess reads one process with its lists.
func (db *DB) GetProcess(ctx context.Context, id int64) (sms.Process, error) {
	return Processes.Get(ctx, db.reader(), id)
}

// ProcessFilter narrows a listing of processes.
type ProcessFilter struct {
	IDs           []int64
	Query         string // part of the name
	Area          string
	OwnerID       int64
	NoOwner       bool  // only processes with no owner yet
	InterfaceOf   int64 // only processes naming this one as an interface
	KPI           int64 // only processes measured by this objective
	RequirementID int64 // only processes answering this requirement
	Cursor        string
	Limit         int
}

// ListProcesses returns a page of processes by id, with their lists.
func (db *DB) ListProcesses(ctx context.Context, f ProcessFilter) ([]sms.Process, string, error) {
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
	if f.Area != "" {
		w.add("area = ?", f.Area)
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.NoOwner {
		w.add("owner_id IS NULL")
	}
	if f.InterfaceOf != 0 {
		w.add("id IN (SELECT process_id FROM process_interfaces WHERE other_id = ?)", f.InterfaceOf)
	}
	if f.KPI != 0 {
		w.add("id IN (SELECT process_id FROM process_kpis WHERE objective_id = ?)", f.KPI)
	}
	if f.RequirementID != 0 {
		w.add("id IN (SELECT process_id FROM process_requirements WHERE requirement_id = ?)", f.RequirementID)
	}
	return Processes.List(ctx, db.reader(), w, f.Limit)
}

// ProcessCodes lists the codes of the built-in processes present, in the
// transaction.
func (tx *Tx) ProcessCodes(ctx context.Context) (map[string]bool, error) {
	rows, err := tx.query(ctx, "SELECT code FROM processes WHERE code <> ''")
	if err != nil {
		return nil, tx.db.fault(err, "list process codes")
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, tx.db.fault(err, "list process codes")
		}
		out[code] = true
	}
	return out, rows.Err()
}

// ProcessesReferring lists, in the transaction, the processes whose
// column of a link table (interfaces: "process_interfaces", "other_id")
// names id.
func (tx *Tx) ProcessesReferring(ctx context.Context, table, column string, id int64) ([]int64, error) {
	return Processes.IDsWhere(ctx, tx, "id IN (SELECT process_id FROM "+table+" WHERE "+column+" = ?)", id)
}

// CreateProcess adds a process with its lists and its audit entry.
func (tx *Tx) CreateProcess(ctx context.Context, actor access.Actor, p *sms.Process) error {
	return Processes.Insert(ctx, tx, actor, p)
}

// UpdateProcess changes a process read at version (0: any).
func (tx *Tx) UpdateProcess(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Process) error) (sms.Process, error) {
	_, after, err := Processes.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteProcess removes a process read at version (0: any) and its lists.
func (tx *Tx) DeleteProcess(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Process) error) error {
	_, err := Processes.Delete(ctx, tx, actor, id, version, check)
	return err
}

// ProjectMembers is the implementation team.
var ProjectMembers = NewTable(TableDef[sms.ProjectMember]{
	Name: "project_members", Entity: sms.ProjectMemberKind.Entity,
	Columns: []Column[sms.ProjectMember]{
		Col("user_id", func(m *sms.ProjectMember) any { return &m.UserID }),
		Col("role", func(m *sms.ProjectMember) any { return &m.Role }),
		Col("responsibilities", func(m *sms.ProjectMember) any { return &m.Responsibilities }),
	},
	Unique:      []Unique{{Index: "project_members_user", Column: "user_id", Field: "user_id", Reason: "is already on the team"}},
	ForeignKeys: []ForeignKey{{Column: "user_id", Field: "user_id", Reason: "names no user"}},
})

// GetProjectMember reads one team member.
func (db *DB) GetProjectMember(ctx context.Context, id int64) (sms.ProjectMember, error) {
	return ProjectMembers.Get(ctx, db.reader(), id)
}

// ProjectMemberFilter narrows a listing of the team.
type ProjectMemberFilter struct {
	IDs    []int64
	UserID int64
	Role   string
	Cursor string
	Limit  int
}

// ListProjectMembers returns a page of the team by id.
func (db *DB) ListProjectMembers(ctx context.Context, f ProjectMemberFilter) ([]sms.ProjectMember, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if f.Role != "" {
		w.add("role = ?", f.Role)
	}
	return ProjectMembers.List(ctx, db.reader(), w, f.Limit)
}

// MembersInRole lists, in the transaction, the team members in a role.
func (tx *Tx) MembersInRole(ctx context.Context, role string) ([]int64, error) {
	return ProjectMembers.IDsWhere(ctx, tx, "role = ?", role)
}

// TeamSize counts the team in the transaction.
func (tx *Tx) TeamSize(ctx context.Context) (int, error) {
	ids, err := ProjectMembers.IDsWhere(ctx, tx, "1 = 1")
	return len(ids), err
}

// GetProjectMember reads one team member in the transaction.
func (tx *Tx) GetProjectMember(ctx context.Context, id int64) (sms.ProjectMember, error) {
	return ProjectMembers.Get(ctx, tx.conn, id)
}

// CreateProjectMember adds a team member with its audit entry.
func (tx *Tx) CreateProjectMember(ctx context.Context, actor access.Actor, m *sms.ProjectMember) error {
	return ProjectMembers.Insert(ctx, tx, actor, m)
}

// UpdateProjectMember changes a team member read at version (0: any).
func (tx *Tx) UpdateProjectMember(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.ProjectMember) error) (sms.ProjectMember, error) {
	_, after, err := ProjectMembers.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteProjectMember removes a team member read at version (0: any).
func (tx *Tx) DeleteProjectMember(ctx context.Context, actor access.Actor, id, version int64, check func(sms.ProjectMember) error) error {
	_, err := ProjectMembers.Delete(ctx, tx, actor, id, version, check)
	return err
}

// Racis is the RACI matrix's rows; who is responsible, consulted and
// informed live in link tables.
var Racis = NewTable(TableDef[sms.Raci]{
	Name: "raci_rows", Entity: sms.RaciKind.Entity,
	Columns: []Column[sms.Raci]{
		Col("requirement_id", func(r *sms.Raci) any { return &r.RequirementID }),
		Col("process_id", func(r *sms.Raci) any { return &r.ProcessID }),
		Col("accountable_id", func(r *sms.Raci) any { return &r.AccountableID }),
		Col("notes", func(r *sms.Raci) any { return &r.Notes }),
	},
	Unique: []Unique{
		{Index: "raci_rows_requirement", Column: "requirement_id", Field: "requirement_id", Reason: "already has a RACI row: change that one"},
		{Index: "raci_rows_process", Column: "process_id", Field: "process_id", Reason: "already has a RACI row: change that one"},
	},
	ForeignKeys: []ForeignKey{
		{Column: "requirement_id", Field: "requirement_id", Reason: "names no requirement"},
		{Column: "process_id", Field: "process_id", Reason: "names no process"},
		{Column: "accountable_id", Field: "accountable_id", Reason: "names no user"},
	},
	Sets: []IDSet[sms.Raci]{
		{Table: "raci_responsible", Owner: "raci_id", Member: "user_id", Field: func(r *sms.Raci) *[]int64 { return &r.ResponsibleIDs }, Missing: missing("responsible_ids", "user")},
		{Table: "raci_consulted", Owner: "raci_id", Member: "user_id", Field: func(r *sms.Raci) *[]int64 { return &r.ConsultedIDs }, Missing: missing("consulted_ids", "user")},
		{Table: "raci_informed", Owner: "raci_id", Member: "user_id", Field: func(r *sms.Raci) *[]int64 { return &r.InformedIDs }, Missing: missing("informed_ids", "user")},
	},
})

// GetRaci reads one RACI row.
func (db *DB) GetRaci(ctx context.Context, id int64) (sms.Raci, error) {
	return Racis.Get(ctx, db.reader(), id)
}

// RaciFilter narrows a listing of RACI rows.
type RaciFilter struct {
	IDs           []int64
	ProcessID     int64
	RequirementID int64
	// Subject is "process" for the rows of processes, "clause" for those
	// of clauses.
	Subject string
	UserID  int64 // only rows naming this user with any letter
	Cursor  string
	Limit   int
}

// ListRacis returns a page of RACI rows by id.
func (db *DB) ListRacis(ctx context.Context, f RaciFilter) ([]sms.Raci, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.ProcessID != 0 {
		w.add("process_id = ?", f.ProcessID)
	}
	if f.RequirementID != 0 {
		w.add("requirement_id = ?", f.RequirementID)
	}
	switch f.Subject {
	case "process":
		w.add("process_id IS NOT NULL")
	case "clause":
		w.add("requirement_id IS NOT NULL")
	}
	if f.UserID != 0 {
		w.add("(accountable_id = ? OR id IN (SELECT raci_id FROM raci_responsible WHERE user_id = ?) OR id IN (SELECT raci_id FROM raci_consulted WHERE user_id = ?) OR id IN (SELECT raci_id FROM raci_informed WHERE user_id = ?))",
			f.UserID, f.UserID, f.UserID, f.UserID)
	}
	return Racis.List(ctx, db.reader(), w, f.Limit)
}

// RacisOfProcess lists, in the transaction, the RACI rows of a process.
func (tx *Tx) RacisOfProcess(ctx context.Context, processID int64) ([]int64, error) {
	return Racis.IDsWhere(ctx, tx, "process_id = ?", processID)
}

// CreateRaci adds a RACI row with its lists and its audit entry.
func (tx *Tx) CreateRaci(ctx context.Context, actor access.Actor, r *sms.Raci) error {
	return Racis.Insert(ctx, tx, actor, r)
}

// UpdateRaci changes a RACI row read at version (0: any).
func (tx *Tx) UpdateRaci(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Raci) error) (sms.Raci, error) {
	_, after, err := Racis.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteRaci removes a RACI row read at version (0: any).
func (tx *Tx) DeleteRaci(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Raci) error) error {
	_, err := Racis.Delete(ctx, tx, actor, id, version, check)
	return err
}
