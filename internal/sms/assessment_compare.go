package sms

// Movement says how a requirement moved from one assessment to a later
// one.
type Movement string

const (
	// Progress: a better status, or the same status at a higher maturity.
	Progress Movement = "progress"
	// Regression: a worse status, or the same status at a lower maturity.
	Regression Movement = "regression"
	// Same: status and maturity as they were.
	Same Movement = "same"
	// Changed: into or out of "not applicable", which is neither better
	// nor worse.
	Changed Movement = "changed"
	// New: a requirement the earlier assessment did not cover (its
	// framework gained it since).
	New Movement = "new"
)

// Movements lists the movements with their labels.
var Movements = []Code{{string(Progress), "Progress"}, {string(Regression), "Regression"}, {string(Same), "Unchanged"},
	{string(Changed), "Changed"}, {string(New), "New"}}

// statusRank orders the statuses from worst to best; not applicable has
// no place.
var statusRank = map[string]int{"not_started": 0, "partial": 1, "implemented": 2}

// Move says how a result moved from before to after.
func Move(before, after Result) Movement {
	if before.Status == after.Status && before.Maturity == after.Maturity {
		return Same
	}
	rb, okB := statusRank[before.Status]
	ra, okA := statusRank[after.Status]
	switch {
	case !okB || !okA:
		if before.Status == after.Status {
			break // both not applicable: maturity decides
		}
		return Changed
	case ra > rb:
		return Progress
	case ra < rb:
		return Regression
	}
	if after.Maturity > before.Maturity {
		return Progress
	}
	return Regression
}

// Comparison sets a later assessment beside an earlier one of the same
// framework: requirement by requirement, clause by clause and overall.
type Comparison struct {
	Before, After Readiness
	Counts        MovementCounts
	Clauses       []ClauseComparison
	Requirements  []RequirementComparison
}

// MovementCounts count requirements by how they moved.
type MovementCounts struct {
	Progress, Regression, Same, Changed, New int
}

func (m *MovementCounts) add(mv Movement) {
	switch mv {
	case Progress:
		m.Progress++
	case Regression:
		m.Regression++
	case Same:
		m.Same++
	case Changed:
		m.Changed++
	case New:
		m.New++
	}
}

// ClauseComparison is one top-level clause in both assessments.
type ClauseComparison struct {
	Requirement   Requirement
	Before, After Readiness
	Counts        MovementCounts
}

// Delta is the clause's change in readiness, in percentage points.
func (c ClauseComparison) Delta() int { return c.After.Percent() - c.Before.Percent() }

// RequirementComparison is one requirement's result in both assessments;
// Before is the zero Result when the earlier one did not cover it.
type RequirementComparison struct {
	Requirement   Requirement
	Before, After Result
	Movement      Movement
}

// Compare sets the results of a later assessment (after) beside those of
// an earlier one (before) over the same framework's tree, in the tree's
// order. Requirements only the earlier one covered (dropped from the
// framework since) are left out.
func Compare(tree []Requirement, before, after []Result) Comparison {
	old := make(map[int64]Result, len(before))
	for _, r := range before {
		old[r.RequirementID] = r
	}
	now := make(map[int64]Result, len(after))
	for _, r := range after {
		now[r.RequirementID] = r
	}
	sb, sa := Score(tree, before), Score(tree, after)
	c := Comparison{Before: sb.Overall, After: sa.Overall}
	clause := map[string]int{}
	for _, q := range tree {
		if q.ParentID == nil {
			clause[q.Code] = len(c.Clauses)
			c.Clauses = append(c.Clauses, ClauseComparison{Requirement: q, Before: sb.ByRequirement[q.ID], After: sa.ByRequirement[q.ID]})
		}
	}
	for _, q := range tree {
		a, ok := now[q.ID]
		if !ok {
			continue
		}
		rc := RequirementComparison{Requirement: q, After: a, Movement: New}
		if b, ok := old[q.ID]; ok {
			rc.Before, rc.Movement = b, Move(b, a)
		}
		c.Requirements = append(c.Requirements, rc)
		c.Counts.add(rc.Movement)
		if i, ok := clause[TopClause(q.Code)]; ok {
			c.Clauses[i].Counts.add(rc.Movement)
		}
	}
	return c
}
