package sms

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Process is one of the SMS's processes: the service management
// processes clause 8 asks for, the SMS's own (audit, review,
// improvement), and any the organisation adds.
type Process struct {
	record.Meta
	// Code names a built-in process ("incident"); "" for the
	// organisation's own.
	Code     string `json:"code"`
	Name     string `json:"name"`
	Area     string `json:"area"`
	Position int64  `json:"position"`
	// OwnerID is the process owner; nil until one is named.
	OwnerID  *int64 `json:"owner_id"`
	Purpose  string `json:"purpose"`
	Scope    string `json:"scope"`
	Inputs   string `json:"inputs"`
	Outputs  string `json:"outputs"`
	Maturity int64  `json:"maturity"`
	// InterfaceIDs are the processes it hands work to or takes work from.
	InterfaceIDs []int64 `json:"interface_ids"`
	// KPIIDs are the objectives that measure it.
	KPIIDs []int64 `json:"kpi_ids"`
	// RequirementIDs are the requirements it answers.
	RequirementIDs []int64 `json:"requirement_ids"`
}

// ProcessAreas group the processes as clause 8 does, and the SMS's own.
var ProcessAreas = []Code{
	{"portfolio", "Service portfolio"},
	{"relationship", "Relationship and agreement"},
	{"supply_demand", "Supply and demand"},
	{"design_transition", "Service design, build and transition"},
	{"resolution", "Resolution and fulfilment"},
	{"assurance", "Service assurance"},
	{"sms", "The SMS's own processes"},
}

// MaturityLevels name the steps of the maturity scale, for processes as
// for assessment results.
var MaturityLevels = []Code{{"0", "0 · Nothing in place"}, {"1", "1 · Ad hoc"}, {"2", "2 · Repeatable"}, {"3", "3 · Defined"}, {"4", "4 · Measured"}, {"5", "5 · Optimised"}}

// MaturityHelp says what each step of the scale means.
const MaturityHelp = "0: nothing in place; 1: ad hoc, depends on people; 2: repeatable, done the same way each time; 3: defined, documented and followed; 4: measured against its KPIs; 5: optimised, improved from what is measured."

// DocStatuses say how far a process is written down: "outline" while its
// purpose, scope, inputs or outputs are missing, "described" once all
// are written.
var DocStatuses = []Code{{"outline", "Description incomplete"}, {"described", "Described"}}

// DocStatus is how far the process is written down (see DocStatuses).
func (p Process) DocStatus() string {
	if p.Purpose == "" || p.Scope == "" || p.Inputs == "" || p.Outputs == "" {
		return "outline"
	}
	return "described"
}

// ProcessInput is what a process is made of, whole. The code and place
// of a built-in process are kept by the use cases, never input.
type ProcessInput struct {
	Name, Area, Purpose, Scope, Inputs, Outputs string
	OwnerID                                     *int64
	Maturity                                    int64
	InterfaceIDs, KPIIDs, RequirementIDs        []int64
}

// Normalize trims the input and puts its lists in order.
func (in *ProcessInput) Normalize() {
	in.Name, in.Purpose, in.Scope = strings.TrimSpace(in.Name), strings.TrimSpace(in.Purpose), strings.TrimSpace(in.Scope)
	in.Inputs, in.Outputs = strings.TrimSpace(in.Inputs), strings.TrimSpace(in.Outputs)
	if in.OwnerID != nil && *in.OwnerID == 0 {
		in.OwnerID = nil
	}
	for _, l := range []*[]int64{&in.InterfaceIDs, &in.KPIIDs, &in.RequirementIDs} {
		s := slices.Clone(*l)
		slices.Sort(s)
		*l = slices.Compact(s)
		if *l == nil {
			*l = []int64{}
		}
	}
}

// Validate checks every field; self is the process's own id (0 when new),
// which may not be one of its interfaces.
func (in ProcessInput) Validate(self int64) error {
	var c errs.Checker
	switch {
	case in.Name == "":
		c.Add("name", "is required")
	case utf8.RuneCountInString(in.Name) > 120 || strings.ContainsAny(in.Name, "\x00\r\n"):
		c.Add("name", "must be a single line of at most 120 characters")
	}
	c.Check(known(ProcessAreas, in.Area), "area", "must be one of "+codeList(ProcessAreas))
	for _, f := range []struct{ name, v string }{{"purpose", in.Purpose}, {"scope", in.Scope}, {"inputs", in.Inputs}, {"outputs", in.Outputs}} {
		c.Check(utf8.RuneCountInString(f.v) <= 4000 && !strings.ContainsRune(f.v, 0), f.name, "must be at most 4000 characters")
	}
	c.Check(in.Maturity >= 0 && in.Maturity <= 5, "maturity", "must be from 0 (nothing in place) to 5 (optimised)")
	c.Check(self == 0 || !slices.Contains(in.InterfaceIDs, self), "interface_ids", "names the process itself: a process interfaces with others")
	for _, l := range []struct {
		name string
		ids  []int64
	}{{"interface_ids", in.InterfaceIDs}, {"kpi_ids", in.KPIIDs}, {"requirement_ids", in.RequirementIDs}} {
		if slices.ContainsFunc(l.ids, func(id int64) bool { return id <= 0 }) {
			c.Add(l.name, "must hold record ids, each above 0")
		}
		c.Check(len(l.ids) <= 100, l.name, "may name at most 100 records")
	}
	return c.Err()
}

// Set puts the input into the process.
func (in ProcessInput) Set(p *Process) {
	p.Name, p.Area, p.Purpose, p.Scope, p.Inputs, p.Outputs = in.Name, in.Area, in.Purpose, in.Scope, in.Inputs, in.Outputs
	p.OwnerID, p.Maturity = in.OwnerID, in.Maturity
	p.InterfaceIDs, p.KPIIDs, p.RequirementIDs = in.InterfaceIDs, in.KPIIDs, in.RequirementIDs
}

// ProcessUpdate changes a process; nil fields stay as they are. An owner
// of 0 takes the owner away.
type ProcessUpdate struct {
	Name, Area, Purpose, Scope, Inputs, Outputs *string
	OwnerID, Maturity                           *int64
	InterfaceIDs, KPIIDs, RequirementIDs        *[]int64
}

// Apply returns p with the update applied, as the input it must pass.
func (up ProcessUpdate) Apply(p Process) ProcessInput {
	in := ProcessInput{Name: p.Name, Area: p.Area, Purpose: p.Purpose, Scope: p.Scope, Inputs: p.Inputs, Outputs: p.Outputs,
		OwnerID: p.OwnerID, Maturity: p.Maturity, InterfaceIDs: p.InterfaceIDs, KPIIDs: p.KPIIDs, RequirementIDs: p.RequirementIDs}
	for dst, src := range map[*string]*string{&in.Name: up.Name, &in.Area: up.Area, &in.Purpose: up.Purpose, &in.Scope: up.Scope,
		&in.Inputs: up.Inputs, &in.Outputs: up.Outputs} {
		if src != nil {
			*dst = *src
		}
	}
	if up.OwnerID != nil {
		owner := *up.OwnerID
		in.OwnerID = &owner
	}
	if up.Maturity != nil {
		in.Maturity = *up.Maturity
	}
	for dst, src := range map[*[]int64]*[]int64{&in.InterfaceIDs: up.InterfaceIDs, &in.KPIIDs: up.KPIIDs, &in.RequirementIDs: up.RequirementIDs} {
		if src != nil {
			*dst = *src
		}
	}
	return in
}

func codeList(codes []Code) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c.Code
	}
	return strings.Join(out, ", ")
}

// ProjectMember is a member of the SMS implementation project's team,
// with their role in the project.
type ProjectMember struct {
	record.Meta
	UserID           int64  `json:"user_id"`
	Role             string `json:"role"`
	Responsibilities string `json:"responsibilities"`
}

// ProjectManager is the role the team has exactly one member in.
const ProjectManager = "project_manager"

// ProjectRoles are the roles in the implementation project.
var ProjectRoles = []Code{{ProjectManager, "Project manager"}, {"sponsor", "Sponsor"}, {"sms_manager", "SMS manager"},
	{"process_owner", "Process owner"}, {"member", "Member"}}

// MemberInput is what a team member is made of, whole.
type MemberInput struct {
	UserID                 int64
	Role, Responsibilities string
}

// Normalize trims the input and fills the defaults.
func (in *MemberInput) Normalize() {
	in.Responsibilities = strings.TrimSpace(in.Responsibilities)
	if in.Role == "" {
		in.Role = "member"
	}
}

// Validate checks every field.
func (in MemberInput) Validate() error {
	var c errs.Checker
	c.Check(in.UserID > 0, "user_id", "is required: choose the person")
	c.Check(known(ProjectRoles, in.Role), "role", "must be one of "+codeList(ProjectRoles))
	c.Check(utf8.RuneCountInString(in.Responsibilities) <= 2000 && !strings.ContainsRune(in.Responsibilities, 0), "responsibilities", "must be at most 2000 characters")
	return c.Err()
}

// Set puts the input into the member.
func (in MemberInput) Set(m *ProjectMember) {
	m.UserID, m.Role, m.Responsibilities = in.UserID, in.Role, in.Responsibilities
}

// MemberUpdate changes a member; nil fields stay as they are.
type MemberUpdate struct {
	UserID                 *int64
	Role, Responsibilities *string
}

// Apply returns m with the update applied, as the input it must pass.
func (up MemberUpdate) Apply(m ProjectMember) MemberInput {
	in := MemberInput{UserID: m.UserID, Role: m.Role, Responsibilities: m.Responsibilities}
	if up.UserID != nil {
		in.UserID = *up.UserID
	}
	if up.Role != nil {
		in.Role = *up.Role
	}
	if up.Responsibilities != nil {
		in.Responsibilities = *up.Responsibilities
	}
	return in
}

// Raci is one row of the RACI matrix: for one clause (a requirement) or
// one process, who does the work (responsible), the one person who
// answers for it (accountable), who is asked before (consulted) and who
// is told after (informed).
type Raci struct {
	record.Meta
	RequirementID  *int64  `json:"requirement_id"`
	ProcessID      *int64  `json:"process_id"`
	AccountableID  int64   `json:"accountable_id"`
	ResponsibleIDs []int64 `json:"responsible_ids"`
	ConsultedIDs   []int64 `json:"consulted_ids"`
	InformedIDs    []int64 `json:"informed_ids"`
	Notes          string  `json:"notes"`
}

// Letter is what a user is in the row: "A", "R", "A/R", "C", "I" or "".
func (r Raci) Letter(user int64) string {
	switch {
	case r.AccountableID == user && slices.Contains(r.ResponsibleIDs, user):
		return "A/R"
	case r.AccountableID == user:
		return "A"
	case slices.Contains(r.ResponsibleIDs, user):
		return "R"
	case slices.Contains(r.ConsultedIDs, user):
		return "C"
	case slices.Contains(r.InformedIDs, user):
		return "I"
	}
	return ""
}

// People are everyone the row names, each once, in order.
func (r Raci) People() []int64 {
	all := append(append(append([]int64{r.AccountableID}, r.ResponsibleIDs...), r.ConsultedIDs...), r.InformedIDs...)
	slices.Sort(all)
	return slices.Compact(all)
}

// RaciInput is what a RACI row is made of, whole.
type RaciInput struct {
	RequirementID, ProcessID                  *int64
	AccountableID                             int64
	ResponsibleIDs, ConsultedIDs, InformedIDs []int64
	Notes                                     string
}

// Normalize trims the input and puts its lists in order.
func (in *RaciInput) Normalize() {
	in.Notes = strings.TrimSpace(in.Notes)
	for _, p := range []**int64{&in.RequirementID, &in.ProcessID} {
		if *p != nil && **p == 0 {
			*p = nil
		}
	}
	for _, l := range []*[]int64{&in.ResponsibleIDs, &in.ConsultedIDs, &in.InformedIDs} {
		s := slices.Clone(*l)
		slices.Sort(s)
		*l = slices.Compact(s)
		if *l == nil {
			*l = []int64{}
		}
	}
}

// Validate checks every field: one subject, exactly one accountable
// person, and nobody with two letters but the accountable person who is
// also responsible.
func (in RaciInput) Validate() error {
	var c errs.Checker
	switch {
	case in.RequirementID == nil && in.ProcessID == nil:
		c.Add("process_id", "or a clause is required: say what the row is for")
	case in.RequirementID != nil && in.ProcessID != nil:
		c.Add("process_id", "and a clause are both set: a row is for one clause or one process")
	}
	c.Check(in.AccountableID > 0, "accountable_id", "is required: exactly one person is accountable")
	inRow := map[int64]string{in.AccountableID: "accountable"}
	for _, id := range in.ResponsibleIDs {
		inRow[id] = "responsible"
	}
	for _, l := range []struct {
		field, letter string
		ids           []int64
	}{{"consulted_ids", "consulted", in.ConsultedIDs}, {"informed_ids", "informed", in.InformedIDs}} {
		for _, id := range l.ids {
			if was, ok := inRow[id]; ok && id > 0 {
				c.Add(l.field, fmt.Sprintf("names user %d, who is already %s in this row: one letter each, but the accountable person may also be responsible", id, was))
				break
			}
			inRow[id] = l.letter
		}
	}
	c.Check(utf8.RuneCountInString(in.Notes) <= 2000 && !strings.ContainsRune(in.Notes, 0), "notes", "must be at most 2000 characters")
	return c.Err()
}

// Set puts the input into the row.
func (in RaciInput) Set(r *Raci) {
	r.RequirementID, r.ProcessID, r.AccountableID, r.Notes = in.RequirementID, in.ProcessID, in.AccountableID, in.Notes
	r.ResponsibleIDs, r.ConsultedIDs, r.InformedIDs = in.ResponsibleIDs, in.ConsultedIDs, in.InformedIDs
}

// RaciUpdate changes a row; nil fields stay as they are. Its subject
// never changes.
type RaciUpdate struct {
	AccountableID                             *int64
	ResponsibleIDs, ConsultedIDs, InformedIDs *[]int64
	Notes                                     *string
}

// Apply returns r with the update applied, as the input it must pass.
func (up RaciUpdate) Apply(r Raci) RaciInput {
	in := RaciInput{RequirementID: r.RequirementID, ProcessID: r.ProcessID, AccountableID: r.AccountableID,
		ResponsibleIDs: r.ResponsibleIDs, ConsultedIDs: r.ConsultedIDs, InformedIDs: r.InformedIDs, Notes: r.Notes}
	if up.AccountableID != nil {
		in.AccountableID = *up.AccountableID
	}
	for dst, src := range map[*[]int64]*[]int64{&in.ResponsibleIDs: up.ResponsibleIDs, &in.ConsultedIDs: up.ConsultedIDs, &in.InformedIDs: up.InformedIDs} {
		if src != nil {
			*dst = *src
		}
	}
	if up.Notes != nil {
		in.Notes = *up.Notes
	}
	return in
}
