package assurance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Audit is one audit of the SMS: an internal audit of the programme, or
// an audit by the certification body (pre-audit, stage 1 and 2,
// surveillance, recertification, special, follow-up). Its scope names
// requirements of the built-in framework, processes and services; its
// checklist has a line per requirement in scope; its report, once
// issued, is frozen with its hash.
type Audit struct {
	record.Meta
	// ProgrammeID is the audit programme it belongs to; nil for none.
	ProgrammeID *int64 `json:"programme_id"`
	Origin      string `json:"origin"`
	Type        string `json:"type"`
	Title       string `json:"title"`
	// BodyID is the certification body that runs an external audit; nil
	// for an internal audit, and for a pre-audit run by a consultant.
	BodyID *int64 `json:"body_id"`
	// Consultant names who runs a pre-audit when it is not a
	// certification body (a consultancy); it also keeps the name of an
	// audit's body written as text before bodies were records, where no
	// body of that name was on record.
	Consultant     string  `json:"consultant"`
	RequirementIDs []int64 `json:"requirement_ids"`
	ProcessIDs     []int64 `json:"process_ids"`
	ServiceIDs     []int64 `json:"service_ids"`
	Criteria       string  `json:"criteria"`
	PlannedStart   string  `json:"planned_start"`
	PlannedEnd     string  `json:"planned_end"`
	ActualStart    string  `json:"actual_start"`
	ActualEnd      string  `json:"actual_end"`
	// LeadAuditorID is the lead auditor, one of the users; nil for none
	// yet (an external audit's lead is the body's).
	LeadAuditorID *int64  `json:"lead_auditor_id"`
	TeamIDs       []int64 `json:"team_ids"`
	State         string  `json:"state"`
	// Summary and Conclusion are the report's words, written until the
	// report is issued.
	Summary    string `json:"summary"`
	Conclusion string `json:"conclusion"`
	// ReportOn is the day the report was issued, ReportSHA256 the hash of
	// Report, the frozen report (JSON); all empty until issued.
	ReportOn     string `json:"report_on"`
	ReportSHA256 string `json:"report_sha256"`
	Report       string `json:"report"`
}

// Origins say who runs an audit.
var Origins = []Code{{Code: "internal", Label: "Internal"}, {Code: "external", Label: "External"}}

// AuditTypes are the kinds of audit: the one internal type, and the
// certification body's.
var AuditTypes = []Code{{Code: "internal", Label: "Internal audit"}, {Code: "pre_audit", Label: "Pre-audit"}, {Code: "stage1", Label: "Stage 1"}, {Code: "stage2", Label: "Stage 2"},
	{Code: "surveillance", Label: "Surveillance"}, {Code: "recertification", Label: "Recertification"}, {Code: "special", Label: "Special audit"}, {Code: "follow_up", Label: "Follow-up"}}

// AuditStates are an audit's states in the order it goes through them.
var AuditStates = []Code{{Code: "planned", Label: "Planned"}, {Code: "in_progress", Label: "In progress"}, {Code: "completed", Label: "Completed"},
	{Code: "report_issued", Label: "Report issued"}, {Code: "cancelled", Label: "Cancelled"}}

// auditMoves are the states an audit may go to from each; the report is
// issued only by issuing it.
var auditMoves = map[string][]string{
	"planned":     {"in_progress", "cancelled"},
	"in_progress": {"completed", "cancelled", "planned"},
	"completed":   {"in_progress"},
}

// Issued reports whether the audit's report is issued: then nothing of
// the audit or its findings changes any more.
func (a Audit) Issued() bool { return a.State == "report_issued" }

// Working reports whether the auditors may record answers and findings.
func (a Audit) Working() bool { return a.State == "in_progress" || a.State == "completed" }

// Auditors are the lead auditor and the team, each once.
func (a Audit) Auditors() []int64 {
	out := slices.Clone(a.TeamIDs)
	if a.LeadAuditorID != nil {
		out = append([]int64{*a.LeadAuditorID}, out...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AuditInput is what an audit is made of, whole.
type AuditInput struct {
	ProgrammeID, BodyID                                     *int64
	Origin, Type, Title, Consultant, Criteria               string
	RequirementIDs, ProcessIDs, ServiceIDs, TeamIDs         []int64
	PlannedStart, PlannedEnd, ActualStart, ActualEnd, State string
	LeadAuditorID                                           *int64
	Summary, Conclusion                                     string
}

// Normalize trims the input and fills the defaults: an internal audit
// when nothing says otherwise, planned.
func (in *AuditInput) Normalize() {
	for _, p := range []*string{&in.Origin, &in.Type, &in.Title, &in.Consultant, &in.Criteria, &in.PlannedStart, &in.PlannedEnd,
		&in.ActualStart, &in.ActualEnd, &in.State, &in.Summary, &in.Conclusion} {
		*p = strings.TrimSpace(*p)
	}
	if in.Origin == "" {
		in.Origin = "internal"
		if in.Type != "" && in.Type != "internal" {
			in.Origin = "external"
		}
	}
	if in.Type == "" && in.Origin == "internal" {
		in.Type = "internal"
	}
	if in.State == "" {
		in.State = "planned"
	}
	if in.ProgrammeID != nil && *in.ProgrammeID == 0 {
		in.ProgrammeID = nil
	}
	if in.LeadAuditorID != nil && *in.LeadAuditorID == 0 {
		in.LeadAuditorID = nil
	}
	if in.BodyID != nil && *in.BodyID == 0 {
		in.BodyID = nil
	}
	in.RequirementIDs, in.ProcessIDs, in.ServiceIDs, in.TeamIDs = normalizeIDs(in.RequirementIDs), normalizeIDs(in.ProcessIDs), normalizeIDs(in.ServiceIDs), normalizeIDs(in.TeamIDs)
}

// Validate checks every field: the days in order, the type matching the
// origin.
func (in AuditInput) Validate() error {
	var c errs.Checker
	checkLine(&c, "title", in.Title, 200, "say what is audited")
	if !c.Check(known(Origins, in.Origin), "origin", "must be internal or external") {
	} else if in.Origin == "internal" {
		c.Check(in.Type == "internal", "type", "must be internal for an internal audit")
	} else {
		c.Check(known(AuditTypes, in.Type) && in.Type != "internal", "type", "must be pre_audit, stage1, stage2, surveillance, recertification, special or follow_up for an external audit")
	}
	checkWho(&c, in)
	checkText(&c, "criteria", in.Criteria, 4000)
	checkText(&c, "summary", in.Summary, 8000)
	checkText(&c, "conclusion", in.Conclusion, 8000)
	okPS := checkDay(&c, "planned_start", in.PlannedStart, true)
	okPE := checkDay(&c, "planned_end", in.PlannedEnd, true)
	if okPS && okPE && in.PlannedStart != "" && in.PlannedEnd != "" && in.PlannedEnd < in.PlannedStart {
		c.Add("planned_end", "is before the planned start")
	}
	okAS := checkDay(&c, "actual_start", in.ActualStart, false)
	okAE := checkDay(&c, "actual_end", in.ActualEnd, false)
	switch {
	case okAS && okAE && in.ActualEnd != "" && in.ActualStart == "":
		c.Add("actual_start", "is required once the audit has an actual end")
	case okAS && okAE && in.ActualEnd != "" && in.ActualEnd < in.ActualStart:
		c.Add("actual_end", "is before the actual start")
	}
	c.Check(len(in.RequirementIDs)+len(in.ProcessIDs)+len(in.ServiceIDs) > 0, "requirement_ids", "is required: an audit's scope names at least one requirement, process or service")
	checkIDs(&c, "requirement_ids", in.RequirementIDs)
	checkIDs(&c, "process_ids", in.ProcessIDs)
	checkIDs(&c, "service_ids", in.ServiceIDs)
	checkIDs(&c, "team_ids", in.TeamIDs)
	c.Check(known(AuditStates, in.State), "state", "must be "+codeList(AuditStates))
	return c.Err()
}

// BodyRuns are the audit types only a certification body runs: an
// audit of one of them names its body.
var BodyRuns = []string{"stage1", "stage2", "surveillance", "recertification", "special", "follow_up"}

// checkWho checks who runs the audit: an internal audit names neither a
// certification body nor a consultant; the certification body's own
// audits name the body; a pre-audit names the body or a consultant, or
// neither yet, but not both.
func checkWho(c *errs.Checker, in AuditInput) {
	checkLine(c, "consultant", in.Consultant, 200, "")
	c.Check(in.BodyID == nil || *in.BodyID > 0, "body_id", "must name a certification body by its id")
	switch {
	case in.Origin == "internal":
		c.Check(in.BodyID == nil, "body_id", "must be empty for an internal audit: a certification body runs only external audits")
		c.Check(in.Consultant == "", "consultant", "must be empty for an internal audit: the organisation's own auditors run it")
	case slices.Contains(BodyRuns, in.Type):
		c.Check(in.BodyID != nil, "body_id", fmt.Sprintf("is required: the certification body runs a %s audit; choose which body", in.Type))
		c.Check(in.Consultant == "", "consultant", fmt.Sprintf("must be empty: a certification body, not a consultant, runs a %s audit; choose the body instead", in.Type))
	case in.Type == "pre_audit":
		c.Check(in.BodyID == nil || in.Consultant == "", "consultant", "must be empty when a certification body runs the pre-audit: name the body or the consultant, not both")
	}
}

// Set puts the input into the audit.
func (in AuditInput) Set(a *Audit) {
	a.ProgrammeID, a.Origin, a.Type, a.Title, a.Consultant, a.Criteria = in.ProgrammeID, in.Origin, in.Type, in.Title, in.Consultant, in.Criteria
	a.BodyID = in.BodyID
	a.RequirementIDs, a.ProcessIDs, a.ServiceIDs, a.TeamIDs = slices.Clone(in.RequirementIDs), slices.Clone(in.ProcessIDs), slices.Clone(in.ServiceIDs), slices.Clone(in.TeamIDs)
	a.PlannedStart, a.PlannedEnd, a.ActualStart, a.ActualEnd, a.State = in.PlannedStart, in.PlannedEnd, in.ActualStart, in.ActualEnd, in.State
	a.LeadAuditorID, a.Summary, a.Conclusion = in.LeadAuditorID, in.Summary, in.Conclusion
}

// AuditUpdate changes an audit; nil fields stay as they are. A pointer
// to 0 clears the programme, the certification body or the lead auditor.
type AuditUpdate struct {
	ProgrammeID, BodyID                                                          *int64
	Origin, Type, Title, Consultant, Criteria                                    *string
	RequirementIDs, ProcessIDs, ServiceIDs, TeamIDs                              *[]int64
	PlannedStart, PlannedEnd, ActualStart, ActualEnd, State, Summary, Conclusion *string
	LeadAuditorID                                                                *int64
}

// Apply returns a with the update applied, as the input it must pass.
func (up AuditUpdate) Apply(a Audit) AuditInput {
	in := AuditInput{ProgrammeID: a.ProgrammeID, BodyID: a.BodyID, Origin: a.Origin, Type: a.Type, Title: a.Title, Consultant: a.Consultant, Criteria: a.Criteria,
		RequirementIDs: slices.Clone(a.RequirementIDs), ProcessIDs: slices.Clone(a.ProcessIDs), ServiceIDs: slices.Clone(a.ServiceIDs), TeamIDs: slices.Clone(a.TeamIDs),
		PlannedStart: a.PlannedStart, PlannedEnd: a.PlannedEnd, ActualStart: a.ActualStart, ActualEnd: a.ActualEnd, State: a.State,
		LeadAuditorID: a.LeadAuditorID, Summary: a.Summary, Conclusion: a.Conclusion}
	for dst, src := range map[*string]*string{&in.Origin: up.Origin, &in.Type: up.Type, &in.Title: up.Title, &in.Consultant: up.Consultant, &in.Criteria: up.Criteria,
		&in.PlannedStart: up.PlannedStart, &in.PlannedEnd: up.PlannedEnd, &in.ActualStart: up.ActualStart, &in.ActualEnd: up.ActualEnd,
		&in.State: up.State, &in.Summary: up.Summary, &in.Conclusion: up.Conclusion} {
		if src != nil {
			*dst = *src
		}
	}
	for dst, src := range map[*[]int64]*[]int64{&in.RequirementIDs: up.RequirementIDs, &in.ProcessIDs: up.ProcessIDs, &in.ServiceIDs: up.ServiceIDs, &in.TeamIDs: up.TeamIDs} {
		if src != nil {
			*dst = slices.Clone(*src)
		}
	}
	if up.ProgrammeID != nil {
		v := *up.ProgrammeID
		in.ProgrammeID = &v
	}
	if up.LeadAuditorID != nil {
		v := *up.LeadAuditorID
		in.LeadAuditorID = &v
	}
	if up.BodyID != nil {
		v := *up.BodyID
		in.BodyID = &v
	}
	return in
}

// CheckMove refuses a change of state the lifecycle does not allow,
// naming the states it does; issuing the report is not a move.
func CheckMove(from, to string) error {
	if from == to {
		return nil
	}
	if from == "report_issued" {
		return errs.Field("state", "cannot change: the audit's report is issued")
	}
	allowed := auditMoves[from]
	if slices.Contains(allowed, to) {
		return nil
	}
	if to == "report_issued" {
		return errs.Field("state", "becomes report_issued only by issuing the report")
	}
	if len(allowed) == 0 {
		return errs.Field("state", fmt.Sprintf("cannot change from %s", from))
	}
	return errs.Field("state", fmt.Sprintf("cannot go from %s to %s; it may go to %s", from, to, strings.Join(allowed, ", ")))
}

// Frozen refuses every change to an audit whose report is issued,
// naming the first field the change touches.
func Frozen(a Audit, in AuditInput) error {
	if !a.Issued() {
		return nil
	}
	var was AuditInput = AuditUpdate{}.Apply(a)
	was.Normalize()
	pairs := []struct {
		field    string
		old, new any
	}{
		{"title", was.Title, in.Title}, {"origin", was.Origin, in.Origin}, {"type", was.Type, in.Type}, {"consultant", was.Consultant, in.Consultant}, {"body_id", idText(was.BodyID), idText(in.BodyID)},
		{"criteria", was.Criteria, in.Criteria}, {"summary", was.Summary, in.Summary}, {"conclusion", was.Conclusion, in.Conclusion},
		{"planned_start", was.PlannedStart, in.PlannedStart}, {"planned_end", was.PlannedEnd, in.PlannedEnd},
		{"actual_start", was.ActualStart, in.ActualStart}, {"actual_end", was.ActualEnd, in.ActualEnd}, {"state", was.State, in.State},
		{"requirement_ids", fmt.Sprint(was.RequirementIDs), fmt.Sprint(in.RequirementIDs)}, {"process_ids", fmt.Sprint(was.ProcessIDs), fmt.Sprint(in.ProcessIDs)},
		{"service_ids", fmt.Sprint(was.ServiceIDs), fmt.Sprint(in.ServiceIDs)}, {"team_ids", fmt.Sprint(was.TeamIDs), fmt.Sprint(in.TeamIDs)},
		{"lead_auditor_id", idText(was.LeadAuditorID), idText(in.LeadAuditorID)}, {"programme_id", idText(was.ProgrammeID), idText(in.ProgrammeID)},
	}
	for _, p := range pairs {
		if p.old != p.new {
			return errs.Field(p.field, "cannot change: the audit's report is issued and never changes")
		}
	}
	return nil
}

func idText(p *int64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}

// Owned is something an auditor owns in an audit's scope: a process, or
// a controlled document related to a requirement in scope.
type Owned struct {
	UserID int64
	// What is the record's number and name, "PRC-000003 Incident management".
	What string
}

// Conflicts are, for each auditor of the audit, what they own in its
// scope; an auditor who owns nothing there is left out.
func Conflicts(a Audit, owned []Owned) map[int64][]string {
	out := map[int64][]string{}
	for _, o := range owned {
		if slices.Contains(a.Auditors(), o.UserID) {
			out[o.UserID] = append(out[o.UserID], o.What)
		}
	}
	return out
}

// CheckLead refuses a lead auditor who owns something in the audit's
// scope: an auditor does not audit their own work.
func CheckLead(a Audit, owned []Owned, leadName string) error {
	if a.LeadAuditorID == nil {
		return nil
	}
	what := Conflicts(a, owned)[*a.LeadAuditorID]
	if len(what) == 0 {
		return nil
	}
	return errs.Field("lead_auditor_id", fmt.Sprintf("names %s, who owns %s in the audit's scope: a lead auditor may not audit their own work; choose another lead",
		leadName, strings.Join(what, ", ")))
}
