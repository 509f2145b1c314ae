package sms

import (
	"slices"

	"github.com/conform-itsm/conform/internal/access"
)

// Person is someone the competence matrix looks at: their role and the
// teams they belong to decide what is required of them.
type Person struct {
	ID      int64
	Name    string
	Role    access.Role
	TeamIDs []int64
}

// Holding is a level of a competence someone holds, and until when.
type Holding struct {
	UserID, CompetenceID, Level int64
	// Until is the last day it holds, "" for good.
	Until string
	// Through says how: "course" (a completion, SourceID) or "appraisal".
	Through  string
	SourceID int64
}

// Holdings are what a person's completions and appraisals give them:
// each completed course every competence it teaches, at its level, until
// its certificate expires; each appraisal its competence and level.
// Courses not completed give nothing.
func Holdings(courses []Course, completions []Completion, appraisals []Appraisal) []Holding {
	byID := make(map[int64]Course, len(courses))
	for _, c := range courses {
		byID[c.ID] = c
	}
	var out []Holding
	for _, done := range completions {
		course, ok := byID[done.CourseID]
		if done.Status != "completed" || !ok {
			continue
		}
		for _, cid := range course.CompetenceIDs {
			out = append(out, Holding{UserID: done.UserID, CompetenceID: cid, Level: course.Level, Until: done.ExpiresOn, Through: "course", SourceID: done.ID})
		}
	}
	for _, a := range appraisals {
		out = append(out, Holding{UserID: a.UserID, CompetenceID: a.CompetenceID, Level: a.Level, Until: a.ExpiresOn, Through: "appraisal", SourceID: a.ID})
	}
	return out
}

// Cell states of the competence matrix.
const (
	NotRequired = "not_required" // nothing is required; Held may still be set
	Held        = "held"         // required and held at the level, unexpired
	GapMissing  = "gap_missing"  // required, never held
	GapLevel    = "gap_level"    // required, held below the level
	GapExpired  = "gap_expired"  // required, held once at the level, expired
)

// CellStates name the matrix's states for people; a gap always says which.
var CellStates = []Code{{Held, "Held"}, {GapMissing, "Gap: not held"}, {GapLevel, "Gap: level too low"}, {GapExpired, "Gap: expired"}, {NotRequired, "Not required"}}

// Cell is one person against one competence.
type Cell struct {
	State string
	// Need is the level required (0 when not required); Level the best
	// level held today, Until the last day it holds ("" for good).
	Need, Level int64
	Until       string
	// Through is how the level is held (see Holding), SourceID the record.
	Through  string
	SourceID int64
}

// Gap reports whether the cell is a required competence not held.
func (c Cell) Gap() bool { return c.State != Held && c.State != NotRequired }

// Required reports whether the competence is required of the person, by
// their role or one of their teams.
func Required(c Competence, p Person) bool {
	if slices.Contains(c.RoleList(), p.Role) {
		return true
	}
	for _, t := range p.TeamIDs {
		if slices.Contains(c.TeamIDs, t) {
			return true
		}
	}
	return false
}

// Assess sets one person against one competence on day today
// ("2006-01-02"), from the holdings given (any person's; others are
// ignored). The best level that still holds counts; an expired holding
// at the level required marks the gap as expired rather than missing.
func Assess(c Competence, p Person, hs []Holding, today string) Cell {
	cell := Cell{State: NotRequired}
	if Required(c, p) {
		cell.Need = c.Level
	}
	expiredAtLevel := false
	for _, h := range hs {
		if h.UserID != p.ID || h.CompetenceID != c.ID {
			continue
		}
		if h.Until != "" && h.Until < today {
			if h.Level >= c.Level {
				expiredAtLevel = true
			}
			continue
		}
		// Higher level first; at the same level, the one that holds longer.
		if h.Level > cell.Level || (h.Level == cell.Level && cell.Until != "" && (h.Until == "" || h.Until > cell.Until)) {
			cell.Level, cell.Until, cell.Through, cell.SourceID = h.Level, h.Until, h.Through, h.SourceID
		}
	}
	switch {
	case cell.Need == 0:
	case cell.Level >= cell.Need:
		cell.State = Held
	case expiredAtLevel:
		cell.State = GapExpired
	case cell.Level > 0:
		cell.State = GapLevel
	default:
		cell.State = GapMissing
	}
	return cell
}

// Matrix is every person against every competence.
type Matrix struct {
	People      []Person
	Competences []Competence
	// Cells[i][j] is People[i] against Competences[j].
	Cells [][]Cell
}

// NewMatrix sets people against competences on day today.
func NewMatrix(people []Person, comps []Competence, hs []Holding, today string) Matrix {
	byUser := map[int64][]Holding{}
	for _, h := range hs {
		byUser[h.UserID] = append(byUser[h.UserID], h)
	}
	m := Matrix{People: people, Competences: comps, Cells: make([][]Cell, len(people))}
	for i, p := range people {
		m.Cells[i] = make([]Cell, len(comps))
		for j, c := range comps {
			m.Cells[i][j] = Assess(c, p, byUser[p.ID], today)
		}
	}
	return m
}

// Coverage counts required competences held: of every person and every
// competence required of them, how many are held.
type Coverage struct {
	Required, Held int
}

// Percent is held ÷ required in whole percent rounded down; 100 when
// nothing is required, as nothing is missing.
func (c Coverage) Percent() int {
	if c.Required == 0 {
		return 100
	}
	return c.Held * 100 / c.Required
}

// Gaps is the number of required competences not held.
func (c Coverage) Gaps() int { return c.Required - c.Held }

func (c *Coverage) add(cell Cell) {
	if cell.Need > 0 {
		c.Required++
		if cell.State == Held {
			c.Held++
		}
	}
}

// Coverage is the whole matrix's coverage.
func (m Matrix) Coverage() Coverage {
	var c Coverage
	for _, row := range m.Cells {
		for _, cell := range row {
			c.add(cell)
		}
	}
	return c
}

// PersonCoverage is one person's coverage (row i).
func (m Matrix) PersonCoverage(i int) Coverage {
	var c Coverage
	for _, cell := range m.Cells[i] {
		c.add(cell)
	}
	return c
}

// CompetenceCoverage is one competence's coverage (column j).
func (m Matrix) CompetenceCoverage(j int) Coverage {
	var c Coverage
	for _, row := range m.Cells {
		c.add(row[j])
	}
	return c
}

// RoleCoverage is, for the people in a role, one competence's coverage
// (column j), whatever requires it of them.
func (m Matrix) RoleCoverage(role access.Role, j int) Coverage {
	var c Coverage
	for i, p := range m.People {
		if p.Role == role {
			c.add(m.Cells[i][j])
		}
	}
	return c
}
