package assurance

import (
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// ChecklistItem is one line of an audit's checklist: a requirement in
// scope, what the auditor found (Result), notes and what was sampled.
type ChecklistItem struct {
	record.Meta
	AuditID       int64  `json:"audit_id"`
	RequirementID int64  `json:"requirement_id"`
	Position      int64  `json:"position"`
	Result        string `json:"result"`
	Notes         string `json:"notes"`
	// Sampled are the records the auditor looked at: evidence items and
	// any other record, by kind and id.
	Sampled Refs `json:"sampled"`
}

// Results are what an auditor records against a requirement; "" is not
// yet answered.
var Results = []Code{{Code: "conforming", Label: "Conforming"}, {Code: "minor_nc", Label: "Minor nonconformity"}, {Code: "major_nc", Label: "Major nonconformity"},
	{Code: "observation", Label: "Observation"}, {Code: "ofi", Label: "Opportunity for improvement"}, {Code: "not_audited", Label: "Not audited"}}

// Raises reports whether a result calls for a finding: a
// nonconformity or an observation (an opportunity for improvement may
// be one too).
func Raises(result string) bool {
	return result == "minor_nc" || result == "major_nc" || result == "observation" || result == "ofi"
}

// FindingTypeFor is the type of finding a result suggests.
func FindingTypeFor(result string) string {
	switch result {
	case "minor_nc", "major_nc", "observation", "ofi":
		return result
	}
	return ""
}

// Answer changes a checklist line; nil fields stay as they are.
type Answer struct {
	RequirementID int64
	Result, Notes *string
	Sampled       *Refs
}

// Apply returns the line with the answer applied, checked.
func (an Answer) Apply(it ChecklistItem) (ChecklistItem, error) {
	if an.Result != nil {
		it.Result = strings.TrimSpace(*an.Result)
	}
	if an.Notes != nil {
		it.Notes = strings.TrimSpace(*an.Notes)
	}
	if an.Sampled != nil {
		it.Sampled = normalizeRefs(*an.Sampled)
	}
	var c errs.Checker
	c.Check(it.Result == "" || known(Results, it.Result), "result", "must be empty (not answered) or "+codeList(Results))
	checkText(&c, "notes", it.Notes, 4000)
	checkRefs(&c, "sampled", it.Sampled)
	return it, c.Err()
}
