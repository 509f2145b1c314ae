package sms

import (
	"strings"

	"github.com/conform-itsm/conform/internal/record"
)

// Framework is a standard or a set of requirements an SMS answers to,
// such as ISO/IEC 20000-1:2018. Its requirements form a tree.
type Framework struct {
	record.Meta
	// Code is the framework's stable identifier ("iso-iec-20000-1-2018"):
	// loading a file with the same code updates this framework.
	Code        string `json:"code"`
	Name        string `json:"name"`
	Publisher   string `json:"publisher"`
	Description string `json:"description"`
	// AllowsExclusions says whether an organisation may declare some
	// requirements not applicable. ISO/IEC 20000-1 allows none: its scope
	// limits the services covered, never the clauses.
	AllowsExclusions bool   `json:"allows_exclusions"`
	ExclusionsNote   string `json:"exclusions_note"`
}

// BuiltIn reports whether the framework is the one Conform ships.
func (f Framework) BuiltIn() bool { return f.Code == BuiltInCode }

// Requirement is one numbered heading of a framework, with our guidance.
type Requirement struct {
	record.Meta
	FrameworkID int64  `json:"framework_id"`
	ParentID    *int64 `json:"parent_id"`
	// Code is the clause number ("8.6.1"), unique in the framework; a new
	// version of the framework keeps a requirement whose code it keeps.
	Code  string `json:"code"`
	Title string `json:"title"`
	// Position orders the framework's requirements as its tree is read,
	// parents before their children.
	Position int64 `json:"position"`
	Guidance
}

// Guidance is what Conform says about a requirement, in its own words.
type Guidance struct {
	// Plain says what the requirement asks of the organisation.
	Plain string `json:"plain"`
	// Auditor says what a certification auditor looks for.
	Auditor string `json:"auditor"`
	// Evidence lists the evidence that typically shows it is met.
	Evidence string `json:"evidence"`
	// Questions are self-assessment questions, one per line.
	Questions string `json:"questions"`
}

// QuestionList is the self-assessment questions, one each.
func (g Guidance) QuestionList() []string {
	if strings.TrimSpace(g.Questions) == "" {
		return nil
	}
	return strings.Split(g.Questions, "\n")
}

// Empty reports whether there is no guidance at all.
func (g Guidance) Empty() bool {
	return g.Plain == "" && g.Auditor == "" && g.Evidence == "" && g.Questions == ""
}

// Label is how a requirement is named: its clause and its title.
func (r Requirement) Label() string { return r.Code + " " + r.Title }

// Depth is how deep the clause is in its tree, from its code: "8" is 0,
// "8.6.1" is 2.
func (r Requirement) Depth() int { return strings.Count(r.Code, ".") }

// Relation says how two requirements of different frameworks relate.
type Relation string

const (
	// Equivalent: meeting one meets the other.
	Equivalent Relation = "equivalent"
	// Partial: meeting one meets part of the other.
	Partial Relation = "partial"
	// Related: they deal with the same subject; evidence for one often
	// serves the other.
	Related Relation = "related"
)

// Relations lists the relations with their labels.
var Relations = []struct {
	Code  Relation
	Label string
}{{Equivalent, "Equivalent"}, {Partial, "Partly covers"}, {Related, "Related"}}

// Valid reports whether r is a known relation.
func (r Relation) Valid() bool {
	for _, x := range Relations {
		if x.Code == r {
			return true
		}
	}
	return false
}

// Label is the relation's name for people.
func (r Relation) Label() string {
	for _, x := range Relations {
		if x.Code == r {
			return x.Label
		}
	}
	return string(r)
}

// Mapping is a cross-reference from a requirement of one framework to a
// requirement of another, so that work and evidence for one can be
// counted for the other.
type Mapping struct {
	record.Meta
	FromID   int64    `json:"from_id"`
	ToID     int64    `json:"to_id"`
	Relation Relation `json:"relation"`
	Note     string   `json:"note"`
}
