package sms

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/markdown"
	"github.com/conform-itsm/conform/internal/record"
)

// ControlledDocument is a document under document control (7.5): a
// policy, plan, process, procedure or record the SMS keeps, with its
// owner, who approves its versions and who must read it. Its text lives
// in its versions (DocumentVersion); Status and CurrentVersion follow
// them and are never set by hand.
type ControlledDocument struct {
	record.Meta
	Title          string `json:"title"`
	Type           string `json:"type"`
	OwnerID        int64  `json:"owner_id"`
	Classification string `json:"classification"`
	Summary        string `json:"summary"`
	// ReviewMonths is how often the document is reviewed; 0 for never.
	ReviewMonths int64 `json:"review_months"`
	// ReviewedOn is the day it was last reviewed ("2006-01-02"), set when
	// a version is approved; "" before that.
	ReviewedOn string `json:"reviewed_on"`
	// ReviewDueOn is the day the next review is due, kept from the two
	// above (NextReview); "" for none.
	ReviewDueOn string `json:"review_due_on"`
	// Status is draft until a version is approved, then approved, and
	// withdrawn when its version in force is withdrawn.
	Status string `json:"status"`
	// CurrentVersion is the number of the approved version in force; 0
	// for none.
	CurrentVersion int64 `json:"current_version"`
	// ApproverIDs are the people who approve its versions; Quorum is how
	// many of them must (0: one).
	ApproverIDs []int64 `json:"approver_ids"`
	Quorum      int64   `json:"quorum"`
	// SelfApproval lets the author of a version approve it too; off by
	// default, so that someone else always looks at a change.
	SelfApproval   bool    `json:"self_approval"`
	RequirementIDs []int64 `json:"requirement_ids"`
	// AudienceRoles (role codes, comma-separated), AudienceTeamIDs and
	// AudienceUserIDs are who must read and acknowledge each approved
	// version.
	AudienceRoles   string  `json:"audience_roles"`
	AudienceTeamIDs []int64 `json:"audience_team_ids"`
	AudienceUserIDs []int64 `json:"audience_user_ids"`
}

// DocumentTypes are the kinds of documented information.
var DocumentTypes = []Code{{"policy", "Policy"}, {"plan", "Plan"}, {"process", "Process"}, {"procedure", "Procedure"}, {"record", "Record"}, {"other", "Other"}}

// Classifications say who may see a document's content.
var Classifications = []Code{{"public", "Public"}, {"internal", "Internal"}, {"confidential", "Confidential"}, {"restricted", "Restricted"}}

// ClassificationHelp explains the classifications, beside the field.
const ClassificationHelp = "Who may see it: public, anyone outside too; internal, the organisation's people; confidential, those who need it for their work; restricted, only the people named."

// DocumentStatuses are where a document stands, from its versions.
var DocumentStatuses = []Code{{"draft", "Draft"}, {"approved", "Approved"}, {"withdrawn", "Withdrawn"}}

// Roles are the roles asked to read the document.
func (d ControlledDocument) Roles() []access.Role {
	var out []access.Role
	for r := range strings.SplitSeq(d.AudienceRoles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, access.Role(r))
		}
	}
	return out
}

// NeedsQuorum is how many approvals a version needs.
func (d ControlledDocument) NeedsQuorum() int64 { return max(d.Quorum, 1) }

// NextReview is the day the next review is due ("" for none): the last
// review plus the interval.
func (d ControlledDocument) NextReview() string {
	if d.ReviewMonths <= 0 || d.ReviewedOn == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, d.ReviewedOn)
	if err != nil {
		return ""
	}
	return t.AddDate(0, int(d.ReviewMonths), 0).Format(time.DateOnly)
}

// ReviewOverdue reports whether the next review is past on today
// ("2006-01-02"). Only a document in force is reviewed.
func (d ControlledDocument) ReviewOverdue(today string) bool {
	return d.Status == "approved" && d.ReviewDueOn != "" && d.ReviewDueOn < today
}

// DocumentInput is what a document is made of, whole.
type DocumentInput struct {
	Title, Type, Classification, Summary, AudienceRoles string
	OwnerID, ReviewMonths, Quorum                       int64
	ReviewedOn                                          string
	SelfApproval                                        bool
	ApproverIDs, RequirementIDs                         []int64
	AudienceTeamIDs, AudienceUserIDs                    []int64
}

// Normalize trims the input, fills the defaults and puts the lists in
// order.
func (in *DocumentInput) Normalize() {
	in.Title, in.Summary, in.ReviewedOn = strings.TrimSpace(in.Title), strings.TrimSpace(in.Summary), strings.TrimSpace(in.ReviewedOn)
	if in.Type == "" {
		in.Type = "policy"
	}
	if in.Classification == "" {
		in.Classification = "internal"
	}
	var roles []string
	for r := range strings.SplitSeq(in.AudienceRoles, ",") {
		if r = strings.TrimSpace(r); r != "" && !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	slices.SortFunc(roles, func(a, b string) int {
		return slices.Index(access.Roles, access.Role(a)) - slices.Index(access.Roles, access.Role(b))
	})
	in.AudienceRoles = strings.Join(roles, ",")
	for _, p := range []*[]int64{&in.ApproverIDs, &in.RequirementIDs, &in.AudienceTeamIDs, &in.AudienceUserIDs} {
		*p = slices.Compact(slices.Sorted(slices.Values(*p)))
	}
}

// Validate checks every field.
func (in DocumentInput) Validate() error {
	var c errs.Checker
	switch {
	case in.Title == "":
		c.Add("title", "is required")
	case utf8.RuneCountInString(in.Title) > 200 || strings.ContainsAny(in.Title, "\x00\r\n"):
		c.Add("title", "must be a single line of at most 200 characters")
	}
	c.Check(known(DocumentTypes, in.Type), "type", "must be policy, plan, process, procedure, record or other")
	c.Check(known(Classifications, in.Classification), "classification", "must be public, internal, confidential or restricted")
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who answers for the document")
	c.Check(utf8.RuneCountInString(in.Summary) <= 4000 && !strings.ContainsRune(in.Summary, 0), "summary", "must be at most 4000 characters")
	c.Check(in.ReviewMonths >= 0 && in.ReviewMonths <= 60, "review_months", "must be from 0 (no regular review) to 60 months")
	if in.ReviewedOn != "" {
		_, err := time.Parse(time.DateOnly, in.ReviewedOn)
		c.Check(err == nil, "reviewed_on", "must be a date such as 2027-01-31")
	}
	switch {
	case in.Quorum < 0:
		c.Add("quorum", "must be 0 (one approval is enough) or more")
	case in.Quorum > int64(len(in.ApproverIDs)) && in.Quorum > 1:
		c.Add("quorum", fmt.Sprintf("asks for %d approvals, but only %d approvers are named", in.Quorum, len(in.ApproverIDs)))
	}
	for r := range strings.SplitSeq(in.AudienceRoles, ",") {
		if r != "" && !access.Role(r).Valid() {
			c.Add("audience_roles", fmt.Sprintf("names %q, which is not a role", r))
			break
		}
	}
	for _, p := range []struct {
		ids   []int64
		field string
	}{{in.ApproverIDs, "approver_ids"}, {in.RequirementIDs, "requirement_ids"}, {in.AudienceTeamIDs, "audience_team_ids"}, {in.AudienceUserIDs, "audience_user_ids"}} {
		for _, id := range p.ids {
			if id <= 0 {
				c.Add(p.field, "must list ids, each above 0")
				break
			}
		}
		c.Check(len(p.ids) <= 500, p.field, "may list at most 500")
	}
	return c.Err()
}

// Set puts the input into the document; its status and current version
// stay as they are.
func (in DocumentInput) Set(d *ControlledDocument) {
	d.Title, d.Type, d.Classification, d.Summary, d.AudienceRoles = in.Title, in.Type, in.Classification, in.Summary, in.AudienceRoles
	d.OwnerID, d.ReviewMonths, d.Quorum, d.ReviewedOn, d.SelfApproval = in.OwnerID, in.ReviewMonths, in.Quorum, in.ReviewedOn, in.SelfApproval
	d.ApproverIDs, d.RequirementIDs = slices.Clone(in.ApproverIDs), slices.Clone(in.RequirementIDs)
	d.AudienceTeamIDs, d.AudienceUserIDs = slices.Clone(in.AudienceTeamIDs), slices.Clone(in.AudienceUserIDs)
	d.ReviewDueOn = d.NextReview()
}

// DocumentUpdate changes a document; nil fields stay as they are.
type DocumentUpdate struct {
	Title, Type, Classification, Summary, AudienceRoles, ReviewedOn *string
	OwnerID, ReviewMonths, Quorum                                   *int64
	SelfApproval                                                    *bool
	ApproverIDs, RequirementIDs, AudienceTeamIDs, AudienceUserIDs   *[]int64
}

// Apply returns d with the update applied, as the input it must pass.
func (up DocumentUpdate) Apply(d ControlledDocument) DocumentInput {
	in := DocumentInput{Title: d.Title, Type: d.Type, Classification: d.Classification, Summary: d.Summary, AudienceRoles: d.AudienceRoles,
		OwnerID: d.OwnerID, ReviewMonths: d.ReviewMonths, Quorum: d.Quorum, ReviewedOn: d.ReviewedOn, SelfApproval: d.SelfApproval,
		ApproverIDs: d.ApproverIDs, RequirementIDs: d.RequirementIDs, AudienceTeamIDs: d.AudienceTeamIDs, AudienceUserIDs: d.AudienceUserIDs}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.Type: up.Type, &in.Classification: up.Classification, &in.Summary: up.Summary,
		&in.AudienceRoles: up.AudienceRoles, &in.ReviewedOn: up.ReviewedOn} {
		if src != nil {
			*dst = *src
		}
	}
	for dst, src := range map[*int64]*int64{&in.OwnerID: up.OwnerID, &in.ReviewMonths: up.ReviewMonths, &in.Quorum: up.Quorum} {
		if src != nil {
			*dst = *src
		}
	}
	if up.SelfApproval != nil {
		in.SelfApproval = *up.SelfApproval
	}
	for dst, src := range map[*[]int64]*[]int64{&in.ApproverIDs: up.ApproverIDs, &in.RequirementIDs: up.RequirementIDs,
		&in.AudienceTeamIDs: up.AudienceTeamIDs, &in.AudienceUserIDs: up.AudienceUserIDs} {
		if src != nil {
			*dst = slices.Clone(*src)
		}
	}
	return in
}

// DocumentVersion is one version of a controlled document's text. It is
// written while a draft, looked at in review, and once approved never
// changes again: a new version replaces it.
type DocumentVersion struct {
	record.Meta
	DocumentID int64 `json:"document_id"`
	// Number counts the document's versions from 1.
	Number int64  `json:"number"`
	State  string `json:"state"`
	// Content is the text, in Markdown.
	Content    string `json:"content"`
	ChangeNote string `json:"change_note"`
	// ApprovedAt is when the last approval needed came in; nil before.
	ApprovedAt *time.Time `json:"approved_at"`
	// ApprovalIDs are the approvers who approved it so far.
	ApprovalIDs []int64 `json:"approval_ids"`
	// File is the uploaded file that is the version's content, beside or
	// instead of the text; its Hash is "" for none.
	File files.File `json:"file"`
}

// HasFile reports whether the version's content includes an uploaded file.
func (v DocumentVersion) HasFile() bool { return v.File.Hash != "" }

// VersionStates are a version's states, in the order it goes through
// them.
var VersionStates = []Code{{"draft", "Draft"}, {"in_review", "In review"}, {"approved", "Approved"}, {"superseded", "Superseded"}, {"withdrawn", "Withdrawn"}}

// versionMoves are the states a version may be moved to by hand from
// each state. Approved is reached by approvals and superseded by the
// approval of a later version, never by hand.
var versionMoves = map[string][]string{
	"draft":     {"in_review", "withdrawn"},
	"in_review": {"draft", "withdrawn"},
	"approved":  {"withdrawn"},
}

// Final reports whether the version's text is fixed for good.
func (v DocumentVersion) Final() bool { return v.State != "draft" }

// Label is "Version 3".
func (v DocumentVersion) Label() string { return fmt.Sprintf("Version %d", v.Number) }

// CheckMove refuses moving a version from its state to another by hand,
// naming the field and the moves allowed.
func CheckMove(from, to string) error {
	if !known(VersionStates, to) {
		return errs.Field("state", "must be draft, in_review, approved, superseded or withdrawn")
	}
	if from == to {
		return nil
	}
	allowed := versionMoves[from]
	if slices.Contains(allowed, to) {
		return nil
	}
	var why string
	switch {
	case to == "approved":
		why = "a version is approved by its approvers (approve it), not set to approved"
	case to == "superseded":
		why = "a version is superseded when a later one is approved"
	case len(allowed) == 0:
		why = fmt.Sprintf("a %s version stays as it is", strings.ToLower(Labels(VersionStates)[from]))
	default:
		why = fmt.Sprintf("a %s version may go to %s", strings.ToLower(Labels(VersionStates)[from]), strings.Join(allowed, " or "))
	}
	return errs.Field("state", fmt.Sprintf("cannot go from %s to %s: %s", from, to, why))
}

// VersionInput is a draft's text, and whether it has an uploaded file
// (which the use case checks and stores).
type VersionInput struct {
	Content, ChangeNote string
	HasFile             bool
}

// MaxContent is the longest text a version may hold, in characters.
const MaxContent = 200_000

// Normalize trims the input and makes its line ends Unix's.
func (in *VersionInput) Normalize() {
	in.Content = strings.TrimSpace(strings.ReplaceAll(in.Content, "\r\n", "\n"))
	in.ChangeNote = strings.TrimSpace(in.ChangeNote)
}

// Validate checks the text: not empty, not too long, and no link that
// would run script.
func (in VersionInput) Validate() error {
	var c errs.Checker
	switch n := utf8.RuneCountInString(in.Content); {
	case n == 0 && in.HasFile:
	case n == 0:
		c.Add("content", "is required: write the document's text, or upload it as a file")
	case n > MaxContent || strings.ContainsRune(in.Content, 0):
		c.Add("content", fmt.Sprintf("must be at most %d characters", MaxContent))
	default:
		if bad := markdown.UnsafeLinks(in.Content); len(bad) > 0 {
			c.Add("content", fmt.Sprintf("links to %q: addresses that run script or open local files (javascript:, data:, file:) are refused", bad[0]))
		}
	}
	c.Check(utf8.RuneCountInString(in.ChangeNote) <= 1000 && !strings.ContainsAny(in.ChangeNote, "\x00"), "change_note", "must be at most 1000 characters")
	return c.Err()
}

// DocumentAcknowledgement records that a person read and understood one
// approved version of a document. It is made once and never changed.
type DocumentAcknowledgement struct {
	record.Meta
	DocumentID int64 `json:"document_id"`
	VersionID  int64 `json:"version_id"`
	UserID     int64 `json:"user_id"`
}

// RequiredDocument maps one item of the documented information the
// standard asks for to the document that fulfils it.
type RequiredDocument struct {
	record.Meta
	Item       string `json:"item"`
	DocumentID int64  `json:"document_id"`
}

// RequiredItem is one piece of documented information ISO/IEC
// 20000-1:2018 asks an organisation to keep, in our words.
type RequiredItem struct {
	Code   string // stable key
	Clause string // where the standard asks for it
	Title  string
	About  string
	Type   string // the document type that usually fulfils it
}

// RequiredItems is the checklist of documented information the 2018
// edition asks for (7.5.4 and the clauses that name more). Records that
// Conform keeps as live data (incidents, changes, audits ...) are not on
// it: they are evidence, not documents to write.
var RequiredItems = []RequiredItem{
	{"scope", "4.3", "Scope of the SMS", "Which services, locations and parts of the organisation the management system covers.", "other"},
	{"processes", "4.4", "SMS processes", "Each process of the management system written down: its purpose, steps, roles, inputs and outputs.", "process"},
	{"policy", "5.2", "Service management policy", "Top management's commitment and direction for service management, approved and made known.", "policy"},
	{"risk_approach", "6.1", "Approach to risks and risk acceptance criteria", "How risks to the SMS and the services are found, judged and treated, and which risks may be accepted.", "procedure"},
	{"objectives", "6.2", "Service management objectives", "What the SMS aims to achieve, measurable, with owners and dates.", "plan"},
	{"plan", "6.3", "Service management plan", "How the SMS is set up and run: its objectives, resources, roles, processes and their interfaces.", "plan"},
	{"service_requirements", "8.2.2", "Service requirements", "What each service must deliver, as agreed with customers and other parties.", "record"},
	{"catalogue", "8.2.4", "Service catalogue", "The services offered, their outcomes and how they depend on each other.", "record"},
	{"slas", "8.3.3", "Service level agreements", "The agreed service levels with each customer: targets, workload limits and exceptions.", "record"},
	{"supplier_contracts", "8.3.4.1", "Contracts with external suppliers", "What external suppliers deliver, with their targets and obligations.", "record"},
	{"internal_agreements", "8.3.4.2", "Agreements with internal suppliers", "Agreements with internal suppliers and with customers acting as suppliers.", "record"},
	{"capacity", "8.4.3", "Capacity requirements", "The capacity of people, technology, information and money the services need, now and expected.", "plan"},
	{"change_policy", "8.5.1.1", "Change management policy", "Which changes the change process controls, what counts as a major change and how emergencies are handled.", "policy"},
	{"major_incident", "8.6.1", "Major incident procedure", "How a major incident is recognised, escalated, managed and reported.", "procedure"},
	{"availability", "8.7.1", "Availability requirements and targets", "The availability each service must reach, its targets and the risks to it.", "plan"},
	{"continuity_requirements", "8.7.2", "Service continuity requirements", "What must keep running after a disruption, found by assessing the risks.", "plan"},
	{"continuity_plan", "8.7.2", "Service continuity plan", "How services are restored after a major disruption: who, in which order, within which times.", "plan"},
	{"security_policy", "8.7.3.1", "Information security policy", "Management's direction for protecting the information the services use and hold.", "policy"},
	{"security_risks", "8.7.3.2", "Information security risk assessment and controls", "The information security risks found and the controls decided on.", "record"},
}

// RequiredItemByCode finds a checklist item.
func RequiredItemByCode(code string) (RequiredItem, bool) {
	i := slices.IndexFunc(RequiredItems, func(r RequiredItem) bool { return r.Code == code })
	if i < 0 {
		return RequiredItem{}, false
	}
	return RequiredItems[i], true
}

// ChecklistCoverage is how much of the checklist approved documents fulfil.
type ChecklistCoverage struct {
	Items []ChecklistEntry
	// Approved counts the items whose document is approved.
	Approved int
}

// ChecklistEntry is one checklist item and the document mapped to it.
type ChecklistEntry struct {
	RequiredItem
	// DocumentID is the document that fulfils it; 0 for none yet.
	DocumentID     int64
	DocumentTitle  string
	DocumentStatus string
}

// Covered reports whether an approved document fulfils the item.
func (i ChecklistEntry) Covered() bool { return i.DocumentID != 0 && i.DocumentStatus == "approved" }

// Total is the number of items on the checklist.
func (c ChecklistCoverage) Total() int { return len(c.Items) }

// Missing are the items no approved document fulfils yet.
func (c ChecklistCoverage) Missing() []ChecklistEntry {
	var out []ChecklistEntry
	for _, i := range c.Items {
		if !i.Covered() {
			out = append(out, i)
		}
	}
	return out
}

// Percent is the share covered, in whole percent rounded down.
func (c ChecklistCoverage) Percent() int {
	if len(c.Items) == 0 {
		return 0
	}
	return c.Approved * 100 / len(c.Items)
}

// NewChecklistCoverage tallies the checklist against the mapped
// documents (item code to document).
func NewChecklistCoverage(mapped map[string]ControlledDocument) ChecklistCoverage {
	var c ChecklistCoverage
	for _, it := range RequiredItems {
		ci := ChecklistEntry{RequiredItem: it}
		if d, ok := mapped[it.Code]; ok {
			ci.DocumentID, ci.DocumentTitle, ci.DocumentStatus = d.ID, d.Title, d.Status
		}
		if ci.Covered() {
			c.Approved++
		}
		c.Items = append(c.Items, ci)
	}
	return c
}

// AckCompletion is how many of a document's readers acknowledged its
// version in force.
type AckCompletion struct {
	DocumentID int64
	// Version is the number of the version in force (0: none, so nothing
	// to acknowledge).
	Version int64
	// Readers are the people asked to read it; Acknowledged those who
	// did, for this version.
	Readers, Acknowledged []int64
}

// Percent is the share of readers who acknowledged, rounded down; 100
// when nobody is asked.
func (a AckCompletion) Percent() int {
	if len(a.Readers) == 0 {
		return 100
	}
	return len(a.Acknowledged) * 100 / len(a.Readers)
}

// Pending are the readers who have not acknowledged yet.
func (a AckCompletion) Pending() []int64 {
	var out []int64
	for _, r := range a.Readers {
		if !slices.Contains(a.Acknowledged, r) {
			out = append(out, r)
		}
	}
	return out
}
