package sms_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

// fieldOf is the field an Invalid error names first, or "".
func fieldOf(err error) string {
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 {
		return ""
	}
	return e.Fields[0].Field
}

// TestVersionMoves: by hand a draft goes to review or is withdrawn, a
// version in review goes back to draft or is withdrawn, an approved one
// is only withdrawn; approved and superseded are never set by hand, and
// superseded and withdrawn versions stay as they are. Each refusal names
// the state field and says why.
func TestVersionMoves(t *testing.T) {
	allowed := map[[2]string]bool{
		{"draft", "in_review"}: true, {"draft", "withdrawn"}: true,
		{"in_review", "draft"}: true, {"in_review", "withdrawn"}: true,
		{"approved", "withdrawn"}: true,
	}
	for _, from := range sms.VersionStates {
		for _, to := range sms.VersionStates {
			err := sms.CheckMove(from.Code, to.Code)
			switch {
			case from == to:
				if err != nil {
					t.Errorf("%s to itself: %v, want no change refused", from.Code, err)
				}
			case allowed[[2]string{from.Code, to.Code}]:
				if err != nil {
					t.Errorf("%s to %s: %v, want allowed", from.Code, to.Code, err)
				}
			default:
				if fieldOf(err) != "state" {
					t.Errorf("%s to %s: got %v, want refused on state", from.Code, to.Code, err)
				}
			}
		}
	}
	if err := sms.CheckMove("draft", "approved"); !strings.Contains(err.Error(), "approved by its approvers") {
		t.Errorf("draft to approved: %v, want it to say approval is by the approvers", err)
	}
	if fieldOf(sms.CheckMove("draft", "published")) != "state" {
		t.Error("an unknown state is not refused on state")
	}
}

func validDocument() sms.DocumentInput {
	return sms.DocumentInput{Title: "Service management policy", OwnerID: 1, ReviewMonths: 12, ApproverIDs: []int64{2, 3}}
}

// TestDocumentInput: each bad field is refused by name; defaults are
// filled and lists put in order.
func TestDocumentInput(t *testing.T) {
	in := validDocument()
	in.AudienceRoles = " agent, sms_manager,agent"
	in.ApproverIDs = []int64{3, 2, 3}
	in.Normalize()
	if err := in.Validate(); err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
	if in.Type != "policy" || in.Classification != "internal" || in.AudienceRoles != "sms_manager,agent" || !slices.Equal(in.ApproverIDs, []int64{2, 3}) {
		t.Errorf("normalized to %+v", in)
	}
	for _, tc := range []struct {
		field  string
		change func(*sms.DocumentInput)
	}{
		{"title", func(in *sms.DocumentInput) { in.Title = "" }},
		{"title", func(in *sms.DocumentInput) { in.Title = "two\nlines" }},
		{"type", func(in *sms.DocumentInput) { in.Type = "memo" }},
		{"classification", func(in *sms.DocumentInput) { in.Classification = "secret" }},
		{"owner_id", func(in *sms.DocumentInput) { in.OwnerID = 0 }},
		{"review_months", func(in *sms.DocumentInput) { in.ReviewMonths = -1 }},
		{"review_months", func(in *sms.DocumentInput) { in.ReviewMonths = 61 }},
		{"reviewed_on", func(in *sms.DocumentInput) { in.ReviewedOn = "31/01/2027" }},
		{"quorum", func(in *sms.DocumentInput) { in.Quorum = 3 }},
		{"quorum", func(in *sms.DocumentInput) { in.Quorum = -1 }},
		{"audience_roles", func(in *sms.DocumentInput) { in.AudienceRoles = "agent,janitor" }},
		{"approver_ids", func(in *sms.DocumentInput) { in.ApproverIDs = []int64{0} }},
	} {
		in := validDocument()
		tc.change(&in)
		in.Normalize()
		if got := fieldOf(in.Validate()); got != tc.field {
			t.Errorf("%+v: refused on %q, want %q", in, got, tc.field)
		}
	}
}

// TestNextReview: the next review is the last plus the interval; only a
// document in force past it is overdue.
func TestNextReview(t *testing.T) {
	d := sms.ControlledDocument{Status: "approved", ReviewMonths: 12, ReviewedOn: "2026-01-31"}
	if got := d.NextReview(); got != "2027-01-31" {
		t.Errorf("next review %q, want 2027-01-31", got)
	}
	d.ReviewDueOn = d.NextReview()
	if d.ReviewOverdue("2027-01-31") || !d.ReviewOverdue("2027-02-01") {
		t.Error("overdue on the day itself, or not the day after")
	}
	d.Status = "withdrawn"
	if d.ReviewOverdue("2030-01-01") {
		t.Error("a withdrawn document is overdue for review")
	}
	if (sms.ControlledDocument{ReviewMonths: 0, ReviewedOn: "2026-01-31"}).NextReview() != "" {
		t.Error("a document with no regular review has a next review")
	}
	var in sms.DocumentInput = validDocument()
	in.ReviewedOn, in.ReviewMonths = "2026-03-01", 6
	var got sms.ControlledDocument
	in.Set(&got)
	if got.ReviewDueOn != "2026-09-01" {
		t.Errorf("set keeps review due %q, want 2026-09-01", got.ReviewDueOn)
	}
}

// TestVersionInput: text is required, bounded and refused when it links
// to script, naming the content field.
func TestVersionInput(t *testing.T) {
	for _, tc := range []struct {
		content, field string
	}{
		{"# Policy\n\nWe deliver.", ""},
		{"   ", "content"},
		{"[x](javascript:alert(1))", "content"},
		{strings.Repeat("a", sms.MaxContent+1), "content"},
		{"<script>alert(1)</script> is shown as nothing, not refused", ""},
	} {
		in := sms.VersionInput{Content: tc.content}
		in.Normalize()
		if got := fieldOf(in.Validate()); got != tc.field {
			t.Errorf("%.40q: refused on %q, want %q", tc.content, got, tc.field)
		}
	}
}

// TestCoverage: an item counts when its document is approved; the rest
// are missing, in the checklist's order.
func TestCoverage(t *testing.T) {
	if len(sms.RequiredItems) < 15 {
		t.Fatalf("%d items on the checklist, want the documented information the standard names", len(sms.RequiredItems))
	}
	seen := map[string]bool{}
	for _, it := range sms.RequiredItems {
		if seen[it.Code] || it.Clause == "" || it.Title == "" || it.About == "" {
			t.Errorf("item %+v: duplicate or incomplete", it)
		}
		seen[it.Code] = true
	}
	c := sms.NewChecklistCoverage(map[string]sms.ControlledDocument{
		"policy": {Meta: record.Meta{ID: 1}, Title: "Policy", Status: "approved"},
		"scope":  {Meta: record.Meta{ID: 2}, Title: "Scope", Status: "draft"},
		"plan":   {Meta: record.Meta{ID: 3}, Title: "Plan", Status: "withdrawn"},
	})
	if c.Approved != 1 || c.Total() != len(sms.RequiredItems) {
		t.Errorf("%d of %d approved, want 1 of %d", c.Approved, c.Total(), len(sms.RequiredItems))
	}
	if m := c.Missing(); len(m) != len(sms.RequiredItems)-1 || m[0].Code != "scope" {
		t.Errorf("missing %d items starting %q, want all but the policy, scope first", len(m), m[0].Code)
	}
}

// TestAckCompletion: the share of readers who acknowledged; nobody asked
// is complete.
func TestAckCompletion(t *testing.T) {
	a := sms.AckCompletion{Readers: []int64{1, 2, 3}, Acknowledged: []int64{2}}
	if a.Percent() != 33 || !slices.Equal(a.Pending(), []int64{1, 3}) {
		t.Errorf("percent %d, pending %v; want 33 and [1 3]", a.Percent(), a.Pending())
	}
	if (sms.AckCompletion{}).Percent() != 100 {
		t.Error("nobody asked is not complete")
	}
}
