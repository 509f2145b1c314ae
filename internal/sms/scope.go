package sms

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Scope is one revision of the SMS's scope statement (clause 4.3): the
// services in scope, where they are delivered from, by which parts of
// the organisation, the interfaces with other parties, and what is
// excluded, each exclusion with its reason. Revisions are kept like
// controlled documents: a draft is written and approved; approving it
// supersedes the revision approved before; an approved or superseded
// revision never changes again.
type Scope struct {
	record.Meta
	// Revision counts the scope's revisions from 1.
	Revision int64  `json:"revision"`
	State    string `json:"state"`
	// Statement is the scope in one or two sentences, as a certificate
	// would state it.
	Statement  string  `json:"statement"`
	ServiceIDs []int64 `json:"service_ids"`
	Locations  string  `json:"locations"`
	Units      string  `json:"units"`
	Interfaces string  `json:"interfaces"`
	// Exclusions are services or parts of the organisation left out,
	// never requirements of the standard.
	Exclusions []Exclusion `json:"exclusions"`
	// ApprovedBy and ApprovedAt say who approved the revision and when;
	// 0 and nil for a draft.
	ApprovedBy int64      `json:"approved_by"`
	ApprovedAt *time.Time `json:"approved_at"`
}

// Exclusion is something left out of the scope and why.
type Exclusion struct {
	Subject       string `json:"subject"`
	Justification string `json:"justification"`
}

// ScopeStates are a revision's states, in the order it goes through them.
var ScopeStates = []Code{{"draft", "Draft"}, {"approved", "Approved"}, {"superseded", "Superseded"}}

// MaxExclusions bounds a revision's exclusions.
const MaxExclusions = 50

// NoClauseExclusions says why a requirement of the standard cannot be
// excluded, for help texts and refusals.
const NoClauseExclusions = "ISO/IEC 20000-1 allows no exclusion of its requirements: the scope may leave out services, locations or parts of the organisation, never clauses."

// Editable reports whether the revision may still change: only a draft.
func (s Scope) Editable() bool { return s.State == "draft" }

// Title names a revision for people: "Scope, revision 3".
func (s Scope) Title() string { return fmt.Sprintf("Scope, revision %d", s.Revision) }

// ReadyToApprove refuses a revision that is not a draft, or that says
// too little to be approved: a statement and at least one service.
func (s Scope) ReadyToApprove() error {
	if s.State != "draft" {
		return errs.E(errs.Conflict, "revision %d is %s: only a draft can be approved", s.Revision, s.State)
	}
	var c errs.Checker
	c.Check(s.Statement != "", "statement", "is required before approval")
	c.Check(len(s.ServiceIDs) > 0, "service_ids", "must name at least one service in scope before approval")
	return c.Err()
}

// ScopeInput is what a revision says, whole (a new draft, or a form's
// save); ScopeUpdate changes some of it.
type ScopeInput struct {
	Statement, Locations, Units, Interfaces string
	ServiceIDs                              []int64
	Exclusions                              []Exclusion
}

// Normalize trims the input.
func (in *ScopeInput) Normalize() {
	in.Statement, in.Locations, in.Units, in.Interfaces = strings.TrimSpace(in.Statement), trimLines(in.Locations), trimLines(in.Units), trimLines(in.Interfaces)
	if in.ServiceIDs == nil {
		in.ServiceIDs = []int64{}
	}
	ex := make([]Exclusion, len(in.Exclusions))
	for i, e := range in.Exclusions {
		ex[i] = Exclusion{Subject: strings.TrimSpace(e.Subject), Justification: strings.TrimSpace(e.Justification)}
	}
	in.Exclusions = ex
}

// trimLines trims a text and each of its lines, dropping empty ones.
func trimLines(s string) string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// clauseLike matches a subject that names a part of the standard rather
// than of the organisation: "8.4", "clause 8.4.1", "Clause 10".
var clauseLike = regexp.MustCompile(`(?i)^\s*((clauses?|sections?|requirements?)\s+\d+|\d+(\.\d+)+(\s|$|[:,(–-])|\d+\s*$)`)

// ExcludesClause reports whether an exclusion's subject names a clause.
func ExcludesClause(subject string) bool { return clauseLike.MatchString(subject) }

// Validate checks every field; each exclusion needs a subject and a
// justification, and may not be a clause of the standard.
func (in ScopeInput) Validate() error {
	var c errs.Checker
	c.Check(in.Statement != "", "statement", "is required: say in a sentence or two what the SMS covers")
	text(&c, "statement", in.Statement, 4000)
	text(&c, "locations", in.Locations, 4000)
	text(&c, "units", in.Units, 4000)
	text(&c, "interfaces", in.Interfaces, 4000)
	for _, id := range in.ServiceIDs {
		if !c.Check(id > 0, "service_ids", "must name services by their ids") {
			break
		}
	}
	c.Check(len(in.Exclusions) <= MaxExclusions, "exclusions", fmt.Sprintf("must be at most %d", MaxExclusions))
	for i, e := range in.Exclusions {
		f := fmt.Sprintf("exclusions[%d].", i)
		line(&c, f+"subject", e.Subject, 200, true)
		if e.Subject != "" && ExcludesClause(e.Subject) {
			c.Add(f+"subject", "names a requirement of the standard: "+NoClauseExclusions)
		}
		if e.Justification == "" {
			c.Add(f+"justification", "is required: say why it is left out of the scope")
		}
		text(&c, f+"justification", e.Justification, 2000)
	}
	return c.Err()
}

// ScopeUpdate changes a draft; nil fields stay as they are.
type ScopeUpdate struct {
	Statement, Locations, Units, Interfaces *string
	ServiceIDs                              *[]int64
	Exclusions                              *[]Exclusion
}

// Apply returns s with the update applied, as the input it must pass.
func (up ScopeUpdate) Apply(s Scope) ScopeInput {
	in := s.Input()
	set(&in.Statement, up.Statement)
	set(&in.Locations, up.Locations)
	set(&in.Units, up.Units)
	set(&in.Interfaces, up.Interfaces)
	set(&in.ServiceIDs, up.ServiceIDs)
	set(&in.Exclusions, up.Exclusions)
	return in
}

// Input is what the revision says, the start of the next one.
func (s Scope) Input() ScopeInput {
	return ScopeInput{Statement: s.Statement, Locations: s.Locations, Units: s.Units, Interfaces: s.Interfaces,
		ServiceIDs: append([]int64{}, s.ServiceIDs...), Exclusions: append([]Exclusion{}, s.Exclusions...)}
}

// Set puts the input into the revision.
func (in ScopeInput) Set(s *Scope) {
	s.Statement, s.Locations, s.Units, s.Interfaces, s.ServiceIDs, s.Exclusions = in.Statement, in.Locations, in.Units, in.Interfaces, in.ServiceIDs, in.Exclusions
}
