package assurance

import (
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Finding is what an audit found against a requirement: a major or
// minor nonconformity, an observation or an opportunity for improvement,
// with the records that show it and the auditee who answers for it.
type Finding struct {
	record.Meta
	AuditID       int64  `json:"audit_id"`
	RequirementID int64  `json:"requirement_id"`
	Type          string `json:"type"`
	Statement     string `json:"statement"`
	Records       Refs   `json:"records"`
	// OwnerID is the auditee who answers for it; nil for none named.
	OwnerID *int64 `json:"owner_id"`
	// ItemID is the checklist line it was raised from; nil for none.
	ItemID *int64 `json:"item_id"`
}

// FindingTypes are the kinds of finding, the gravest first.
var FindingTypes = []Code{{Code: "major_nc", Label: "Major nonconformity"}, {Code: "minor_nc", Label: "Minor nonconformity"}, {Code: "observation", Label: "Observation"},
	{Code: "ofi", Label: "Opportunity for improvement"}}

// Nonconformity reports whether the finding is a nonconformity, which
// asks for correction and corrective action.
func (f Finding) Nonconformity() bool { return f.Type == "major_nc" || f.Type == "minor_nc" }

// FindingInput is what a finding is made of, whole.
type FindingInput struct {
	AuditID, RequirementID int64
	Type, Statement        string
	Records                Refs
	OwnerID, ItemID        *int64
}

// Normalize trims the input.
func (in *FindingInput) Normalize() {
	in.Type, in.Statement = strings.TrimSpace(in.Type), strings.TrimSpace(in.Statement)
	in.Records = normalizeRefs(in.Records)
	if in.OwnerID != nil && *in.OwnerID == 0 {
		in.OwnerID = nil
	}
	if in.ItemID != nil && *in.ItemID == 0 {
		in.ItemID = nil
	}
}

// Validate checks every field.
func (in FindingInput) Validate() error {
	var c errs.Checker
	c.Check(in.AuditID > 0, "audit_id", "is required: choose the audit that found it")
	c.Check(in.RequirementID > 0, "requirement_id", "is required: a finding is always against a requirement")
	c.Check(known(FindingTypes, in.Type), "type", "must be "+codeList(FindingTypes))
	c.Check(in.Statement != "", "statement", "is required: say what was found")
	checkText(&c, "statement", in.Statement, 4000)
	checkRefs(&c, "records", in.Records)
	return c.Err()
}

// Set puts the input into the finding.
func (in FindingInput) Set(f *Finding) {
	f.AuditID, f.RequirementID, f.Type, f.Statement, f.Records, f.OwnerID, f.ItemID = in.AuditID, in.RequirementID, in.Type, in.Statement, in.Records, in.OwnerID, in.ItemID
	if f.Records == nil {
		f.Records = Refs{}
	}
}

// FindingUpdate changes a finding; its audit never changes. A pointer
// to 0 clears the owner.
type FindingUpdate struct {
	RequirementID   *int64
	Type, Statement *string
	Records         *Refs
	OwnerID         *int64
}

// Apply returns f with the update applied, as the input it must pass.
func (up FindingUpdate) Apply(f Finding) FindingInput {
	in := FindingInput{AuditID: f.AuditID, RequirementID: f.RequirementID, Type: f.Type, Statement: f.Statement, Records: f.Records, OwnerID: f.OwnerID, ItemID: f.ItemID}
	if up.RequirementID != nil {
		in.RequirementID = *up.RequirementID
	}
	if up.Type != nil {
		in.Type = *up.Type
	}
	if up.Statement != nil {
		in.Statement = *up.Statement
	}
	if up.Records != nil {
		in.Records = *up.Records
	}
	if up.OwnerID != nil {
		v := *up.OwnerID
		in.OwnerID = &v
	}
	return in
}

// FrozenFinding refuses a change to a finding of an audit whose report
// is issued, naming the audit.
func FrozenFinding(a Audit) error {
	if a.Issued() {
		return errs.Field("audit_id", "names an audit whose report is issued: its findings no longer change")
	}
	return nil
}
