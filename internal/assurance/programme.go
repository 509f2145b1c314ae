package assurance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

// Programme is the internal audit programme (clause 9.2): the audits
// planned over a period, usually the three years of a certification
// cycle, so that every requirement is audited at least once.
type Programme struct {
	record.Meta
	Title   string `json:"title"`
	StartOn string `json:"start_on"`
	EndOn   string `json:"end_on"`
	OwnerID int64  `json:"owner_id"`
	Notes   string `json:"notes"`
}

// ProgrammeInput is what a programme is made of, whole.
type ProgrammeInput struct {
	Title, StartOn, EndOn, Notes string
	OwnerID                      int64
}

// Normalize trims the input.
func (in *ProgrammeInput) Normalize() {
	in.Title, in.StartOn, in.EndOn, in.Notes = strings.TrimSpace(in.Title), strings.TrimSpace(in.StartOn), strings.TrimSpace(in.EndOn), strings.TrimSpace(in.Notes)
}

// Validate checks every field; the end may not come before the start.
func (in ProgrammeInput) Validate() error {
	var c errs.Checker
	checkLine(&c, "title", in.Title, 200, "name the programme")
	okStart := checkDay(&c, "start_on", in.StartOn, true)
	okEnd := checkDay(&c, "end_on", in.EndOn, true)
	if okStart && okEnd && in.StartOn != "" && in.EndOn != "" && in.EndOn < in.StartOn {
		c.Add("end_on", "is before the start day")
	}
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who answers for the programme")
	checkText(&c, "notes", in.Notes, 4000)
	return c.Err()
}

// Set puts the input into the programme.
func (in ProgrammeInput) Set(p *Programme) {
	p.Title, p.StartOn, p.EndOn, p.Notes, p.OwnerID = in.Title, in.StartOn, in.EndOn, in.Notes, in.OwnerID
}

// ProgrammeUpdate changes a programme; nil fields stay as they are.
type ProgrammeUpdate struct {
	Title, StartOn, EndOn, Notes *string
	OwnerID                      *int64
}

// Apply returns p with the update applied, as the input it must pass.
func (up ProgrammeUpdate) Apply(p Programme) ProgrammeInput {
	in := ProgrammeInput{p.Title, p.StartOn, p.EndOn, p.Notes, p.OwnerID}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.StartOn: up.StartOn, &in.EndOn: up.EndOn, &in.Notes: up.Notes} {
		if src != nil {
			*dst = *src
		}
	}
	if up.OwnerID != nil {
		in.OwnerID = *up.OwnerID
	}
	return in
}

// Slot is a part of a programme's period that generation plans audits
// in: a year, or for a programme of one year or less, a quarter.
type Slot struct{ From, To string }

// Slots divides the programme's period: into its years (the last one
// cut at the end day), or into its quarters when the period is a year or
// shorter, so that clause 8 is still spread out.
func (p Programme) Slots() []Slot {
	start, err1 := time.Parse(time.DateOnly, p.StartOn)
	end, err2 := time.Parse(time.DateOnly, p.EndOn)
	if err1 != nil || err2 != nil || end.Before(start) {
		return nil
	}
	months := 12
	if p.Quarterly() {
		months = 3
	}
	var out []Slot
	for from := start; !from.After(end); from = from.AddDate(0, months, 0) {
		to := from.AddDate(0, months, -1)
		if to.After(end) {
			to = end
		}
		out = append(out, Slot{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)})
	}
	return out
}

// Quarterly reports whether the programme lasts a year or less, so that
// generation plans by quarter rather than by year.
func (p Programme) Quarterly() bool {
	start, err1 := time.Parse(time.DateOnly, p.StartOn)
	end, err2 := time.Parse(time.DateOnly, p.EndOn)
	return err1 == nil && err2 == nil && end.Before(start.AddDate(1, 0, 0))
}

// Under reports, for every requirement, the set of requirements it
// stands for in an audit's scope: itself and every one under it.
func Under(reqs []sms.Requirement) map[int64][]int64 {
	children := map[int64][]int64{}
	for _, r := range reqs {
		if r.ParentID != nil {
			children[*r.ParentID] = append(children[*r.ParentID], r.ID)
		}
	}
	out := map[int64][]int64{}
	var walk func(id int64, acc []int64) []int64
	walk = func(id int64, acc []int64) []int64 {
		acc = append(acc, id)
		for _, ch := range children[id] {
			acc = walk(ch, acc)
		}
		return acc
	}
	for _, r := range reqs {
		out[r.ID] = walk(r.ID, nil)
	}
	return out
}

// Covered is the set of requirements an audit's scope covers: those
// named and every one under them.
func Covered(scope []int64, under map[int64][]int64) map[int64]bool {
	out := map[int64]bool{}
	for _, id := range scope {
		out[id] = true
		for _, u := range under[id] {
			out[u] = true
		}
	}
	return out
}

// CoverageRow is one requirement of the framework with the programme's
// audits that cover it.
type CoverageRow struct {
	Requirement sms.Requirement
	AuditIDs    []int64
}

// Coverage is which requirements the programme's audits cover.
type Coverage struct {
	Rows   []CoverageRow
	Audits []Audit
	// Unaudited counts the requirements no audit covers.
	Unaudited int
}

// CoverageOf tells, for each requirement (in the framework's order),
// which of the audits cover it; cancelled audits cover nothing.
func CoverageOf(reqs []sms.Requirement, audits []Audit) Coverage {
	under := Under(reqs)
	cov := Coverage{}
	sets := make([]map[int64]bool, 0, len(audits))
	for _, a := range audits {
		if a.State == "cancelled" {
			continue
		}
		cov.Audits = append(cov.Audits, a)
		sets = append(sets, Covered(a.RequirementIDs, under))
	}
	for _, r := range reqs {
		row := CoverageRow{Requirement: r}
		for i, s := range sets {
			if s[r.ID] {
				row.AuditIDs = append(row.AuditIDs, cov.Audits[i].ID)
			}
		}
		cov.Rows = append(cov.Rows, row)
	}
	// A heading whose every part is audited counts as audited by their
	// audits (clause 8, audited a share at a time). Parts come after
	// their heading, so the walk goes backwards.
	at := map[int64]int{}
	for i, row := range cov.Rows {
		at[row.Requirement.ID] = i
	}
	for i := len(cov.Rows) - 1; i >= 0; i-- {
		row := &cov.Rows[i]
		parts := under[row.Requirement.ID][1:]
		if len(row.AuditIDs) > 0 || len(parts) == 0 {
			continue
		}
		var ids []int64
		all := true
		for _, p := range parts {
			all = all && len(cov.Rows[at[p]].AuditIDs) > 0
			ids = append(ids, cov.Rows[at[p]].AuditIDs...)
		}
		if all {
			slices.Sort(ids)
			row.AuditIDs = slices.Compact(ids)
		}
	}
	for _, row := range cov.Rows {
		if len(row.AuditIDs) == 0 {
			cov.Unaudited++
		}
	}
	return cov
}

// PlanCycle plans the audits that make the programme cover every
// requirement once: in each slot, one audit of the management system
// (clauses 4 to 7, 9 and 10) and one of a share of clause 8, whose
// subclauses are spread over the slots in order, as evenly as their
// sizes allow. Only the slots of a programme of a year or less are
// quarters, and then the management system is audited once, in the last.
// Nothing is planned twice: a share of clause 8 that an audit of the
// programme already covers, or a management system clause already
// covered in that year, is left out, so planning again plans nothing.
func PlanCycle(p Programme, reqs []sms.Requirement, existing []Audit) []AuditInput {
	slots := p.Slots()
	if len(slots) == 0 {
		return nil
	}
	under := Under(reqs)
	// coveredBy is what the audits planned from..to (any day: "") cover.
	coveredBy := func(from, to string) func(int64) bool {
		covered := map[int64]bool{}
		for _, a := range existing {
			if a.State != "cancelled" && (from == "" || a.PlannedStart >= from && a.PlannedStart <= to) {
				for id := range Covered(a.RequirementIDs, under) {
					covered[id] = true
				}
			}
		}
		return func(id int64) bool {
			for _, u := range under[id] {
				if !covered[u] {
					return false
				}
			}
			return true
		}
	}
	anywhere := coveredBy("", "")
	var system, eight []sms.Requirement
	for _, r := range reqs {
		if r.ParentID == nil && r.Code != "8" {
			system = append(system, r)
		}
	}
	var eightID int64
	for _, r := range reqs {
		if r.ParentID == nil && r.Code == "8" {
			eightID = r.ID
		}
	}
	for _, r := range reqs {
		if r.ParentID != nil && *r.ParentID == eightID {
			eight = append(eight, r)
		}
	}
	quarters := p.Quarterly()
	// Clause 8's subclauses, cut into len(slots) runs of about equal size.
	total := 0
	for _, r := range eight {
		total += len(under[r.ID])
	}
	shares := make([][]sms.Requirement, len(slots))
	done := 0
	for _, r := range eight {
		i := done * len(slots) / max(total, 1)
		shares[i] = append(shares[i], r)
		done += len(under[r.ID])
	}
	var out []AuditInput
	for i, s := range slots {
		if ids, codes := uncovered(shares[i], anywhere); len(ids) > 0 {
			out = append(out, plannedAudit(p, s, 30, fmt.Sprintf("Clause %s, %s", strings.Join(codes, ", "), slotName(i, quarters)), ids))
		}
		if quarters && i != len(slots)-1 {
			continue
		}
		fully := coveredBy(s.From, s.To)
		if quarters {
			fully = anywhere
		}
		if ids, codes := uncovered(system, fully); len(ids) > 0 {
			out = append(out, plannedAudit(p, s, 240, fmt.Sprintf("Management system (clauses %s), %s", strings.Join(codes, ", "), slotName(i, quarters)), ids))
		}
	}
	return out
}

// uncovered are the requirements of rs not yet fully covered, with their
// clause numbers.
func uncovered(rs []sms.Requirement, fully func(int64) bool) ([]int64, []string) {
	var ids []int64
	var codes []string
	for _, r := range rs {
		if !fully(r.ID) {
			ids = append(ids, r.ID)
			codes = append(codes, r.Code)
		}
	}
	return ids, codes
}

func slotName(i int, quarters bool) string {
	if quarters {
		return fmt.Sprintf("quarter %d", i+1)
	}
	return fmt.Sprintf("year %d", i+1)
}

// plannedAudit is an internal audit of the programme planned two days
// long, offset days into the slot (or at its end if shorter).
func plannedAudit(p Programme, s Slot, offset int, title string, ids []int64) AuditInput {
	from, _ := time.Parse(time.DateOnly, s.From)
	to, _ := time.Parse(time.DateOnly, s.To)
	if quarterLen := to.Sub(from).Hours() / 24; float64(offset) > quarterLen-1 {
		offset = max(int(quarterLen)/2, 0)
	}
	start := from.AddDate(0, 0, offset)
	end := start.AddDate(0, 0, 1)
	if end.After(to) {
		end = to
	}
	if start.After(end) {
		start = end
	}
	pid := p.ID
	return AuditInput{ProgrammeID: &pid, Origin: "internal", Type: "internal", Title: title, RequirementIDs: slices.Clone(ids),
		Criteria:     "ISO/IEC 20000-1:2018 and the SMS's own policies, processes and procedures",
		PlannedStart: start.Format(time.DateOnly), PlannedEnd: end.Format(time.DateOnly)}
}
