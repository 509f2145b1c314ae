package sms

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Report is an assessment whole, as its page, its exports and the API's
// readiness show it: its framework's tree, every result, the readiness
// at every level and the results' owners by name.
type Report struct {
	Assessment sms.Assessment
	Framework  sms.Framework
	Tree       []sms.Requirement
	Results    []sms.Result
	Scores     sms.Scores
	// Requirements are the tree's requirements by id.
	Requirements map[int64]sms.Requirement
	// Owners names the results' owners, by id.
	Owners map[int64]string
	// Evidence is each requirement's evidence on Today, by requirement
	// id; nil for a reader who may not see evidence.
	Evidence map[int64]sms.EvidenceState
	Today    string
}

// Report reads an assessment with all it takes to show or export it.
func (c *Catalogue) Report(ctx context.Context, actor access.Actor, id int64) (Report, error) {
	return c.report(ctx, actor, id, true)
}

// Outline reads an assessment as Report does, but its requirements carry
// only their clause, title, place in the tree and questions (not the
// rest of the guidance), and the owners are not named: what the
// questionnaire shows of every requirement besides the one in hand.
func (c *Catalogue) Outline(ctx context.Context, actor access.Actor, id int64) (Report, error) {
	return c.report(ctx, actor, id, false)
}

func (c *Catalogue) report(ctx context.Context, actor access.Actor, id int64, full bool) (Report, error) {
	var rp Report
	var err error
	if rp.Assessment, err = c.GetAssessment(ctx, actor, id); err != nil {
		return rp, err
	}
	if rp.Framework, err = c.GetFramework(ctx, actor, rp.Assessment.FrameworkID); err != nil {
		return rp, err
	}
	tree := c.db.RequirementTree
	if !full {
		tree = c.db.RequirementOutline
	}
	if rp.Tree, err = tree(ctx, rp.Framework.ID); err != nil {
		return rp, err
	}
	if rp.Results, err = c.ResultsOf(ctx, actor, id); err != nil {
		return rp, err
	}
	rp.Requirements = make(map[int64]sms.Requirement, len(rp.Tree))
	for _, q := range rp.Tree {
		rp.Requirements[q.ID] = q
	}
	rp.Today = Today()
	if actor.Can(sms.EvidenceKind.Read) {
		if rp.Evidence, err = c.EvidenceStates(ctx, actor, rp.Framework.ID); err != nil {
			return rp, err
		}
	}
	rp.Scores = sms.ScoreWith(rp.Tree, rp.Results, rp.Evidence, rp.Today)
	if !full {
		return rp, nil
	}
	var owners []int64
	for _, r := range rp.Results {
		if r.OwnerID != nil {
			owners = append(owners, *r.OwnerID)
		}
	}
	rp.Owners, err = c.app.Names(ctx, actor, account.UserKind.Entity, owners)
	return rp, err
}

// Compared is two assessments of one framework side by side.
type Compared struct {
	Before, After sms.Assessment
	sms.Comparison
}

// Compare sets assessment id beside an earlier one, with: both must be
// over the same framework. Which is earlier is by the day each started
// (then by number), whichever way round they are named.
func (c *Catalogue) Compare(ctx context.Context, actor access.Actor, id, with int64) (Compared, error) {
	var out Compared
	if id == with {
		return out, errs.Field("with", "names the same assessment: choose another one to compare with")
	}
	after, err := c.Report(ctx, actor, id)
	if err != nil {
		return out, err
	}
	before, err := c.GetAssessment(ctx, actor, with)
	if errs.Is(err, errs.NotFound) {
		return out, errs.Field("with", "names no assessment")
	} else if err != nil {
		return out, err
	}
	if before.FrameworkID != after.Assessment.FrameworkID {
		return out, errs.Field("with", "is an assessment over another framework: only assessments of one framework compare")
	}
	old, err := c.ResultsOf(ctx, actor, with)
	if err != nil {
		return out, err
	}
	now := after.Results
	out.Before, out.After = before, after.Assessment
	if later(before, after.Assessment) {
		out.Before, out.After = after.Assessment, before
		old, now = now, old
	}
	out.Comparison = sms.Compare(after.Tree, old, now)
	return out, nil
}

// later reports whether a is later than b.
func later(a, b sms.Assessment) bool {
	if a.StartedOn != b.StartedOn {
		return a.StartedOn > b.StartedOn
	}
	return a.ID > b.ID
}
