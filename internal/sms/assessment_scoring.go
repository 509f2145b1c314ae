package sms

import "strings"

// Scores are an assessment's readiness at every level: overall, per
// top-level clause and per requirement, each by the one formula of
// Readiness.Percent (docs/assessments.md). A requirement's readiness
// counts its own result and those of every requirement under it, so a
// clause with sub-clauses (8.6) stands for the whole of it and a leaf
// (8.6.1) for itself alone.
type Scores struct {
	Overall Readiness
	// Clauses are the top-level clauses (4 to 10 for ISO/IEC 20000-1),
	// in the framework's order.
	Clauses []ClauseScore
	// ByRequirement is each requirement's readiness, by its id.
	ByRequirement map[int64]Readiness
}

// ClauseScore is a top-level clause and its readiness.
type ClauseScore struct {
	Requirement Requirement
	Readiness   Readiness
}

// Score computes the readiness of an assessment's results over its
// framework's tree (parents before children, as RequirementTree reads
// it). Every result is counted once, through count, at its requirement
// and at each requirement above it: count is the one place that says
// what a result adds to readiness.
func Score(tree []Requirement, results []Result) Scores { return ScoreWith(tree, results, nil, "") }

// ScoreWith is Score counting each requirement's evidence on day today
// (Readiness.AddResult: an implemented requirement whose evidence has all
// expired counts as partly implemented).
func ScoreWith(tree []Requirement, results []Result, ev map[int64]EvidenceState, today string) Scores {
	s := Scores{ByRequirement: make(map[int64]Readiness, len(tree))}
	parent := make(map[int64]int64, len(tree))
	for _, q := range tree {
		if q.ParentID != nil {
			parent[q.ID] = *q.ParentID
		}
	}
	for _, r := range results {
		count(&s.Overall, r, ev, today)
		for id := r.RequirementID; id != 0; id = parent[id] {
			t := s.ByRequirement[id]
			count(&t, r, ev, today)
			s.ByRequirement[id] = t
		}
	}
	for _, q := range tree {
		if q.ParentID == nil {
			s.Clauses = append(s.Clauses, ClauseScore{Requirement: q, Readiness: s.ByRequirement[q.ID]})
		}
	}
	return s
}

// count adds one result to a readiness, with its requirement's evidence.
func count(t *Readiness, r Result, ev map[int64]EvidenceState, today string) {
	t.AddResult(r.Status, ev[r.RequirementID], today)
}

// TopClause is the top-level clause a code belongs to: "8" for "8.6.1".
func TopClause(code string) string {
	top, _, _ := strings.Cut(code, ".")
	return top
}
