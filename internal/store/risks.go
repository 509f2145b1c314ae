package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Risks is the register of risks and opportunities; the services and
// requirements each names live in link tables.
var Risks = NewTable(TableDef[sms.Risk]{
	Name: "risks", Entity: sms.RiskKind.Entity,
	Columns: []Column[sms.Risk]{
		Col("title", func(r *sms.Risk) any { return &r.Title }),
		Col("description", func(r *sms.Risk) any { return &r.Description }),
		Col("category", func(r *sms.Risk) any { return &r.Category }),
		Col("kind", func(r *sms.Risk) any { return &r.Kind }),
		Col("owner_id", func(r *sms.Risk) any { return &r.OwnerID }),
		Col("likelihood", func(r *sms.Risk) any { return &r.Likelihood }),
		Col("impact", func(r *sms.Risk) any { return &r.Impact }),
		Col("residual_likelihood", func(r *sms.Risk) any { return &r.ResidualLikelihood }),
		Col("residual_impact", func(r *sms.Risk) any { return &r.ResidualImpact }),
		Col("treatment", func(r *sms.Risk) any { return &r.Treatment }),
		Col("accepted_by", func(r *sms.Risk) any { return &r.AcceptedBy }),
		Col("accepted_on", func(r *sms.Risk) any { return &r.AcceptedOn }),
		Col("review_on", func(r *sms.Risk) any { return &r.ReviewOn }),
		Col("state", func(r *sms.Risk) any { return &r.State }),
	},
	ForeignKeys: []ForeignKey{
		{Column: "owner_id", Field: "owner_id", Reason: "names no user"},
		{Column: "accepted_by", Field: "accepted_by", Reason: "names no user"},
	},
	Sets: []IDSet[sms.Risk]{
		{Table: "risk_services", Owner: "risk_id", Member: "service_id",
			Field: func(r *sms.Risk) *[]int64 { return &r.ServiceIDs }, Missing: missing("service_ids", "service")},
		{Table: "risk_requirements", Owner: "risk_id", Member: "requirement_id",
			Field: func(r *sms.Risk) *[]int64 { return &r.RequirementIDs }, Missing: missing("requirement_ids", "requirement")},
	},
})

// RiskScalesTable is the scales' one row.
var RiskScalesTable = NewTable(TableDef[sms.RiskScales]{
	Name: "risk_scales", Entity: sms.RiskScaleKind.Entity,
	Columns: []Column[sms.RiskScales]{
		Col("likelihood", func(s *sms.RiskScales) any { return (*riskLevels)(&s.Likelihood) }),
		Col("impact", func(s *sms.RiskScales) any { return (*riskLevels)(&s.Impact) }),
		Col("medium_from", func(s *sms.RiskScales) any { return &s.MediumFrom }),
		Col("high_from", func(s *sms.RiskScales) any { return &s.HighFrom }),
		Col("critical_from", func(s *sms.RiskScales) any { return &s.CriticalFrom }),
	},
})

// riskLevels keeps a scale's levels as JSON text.
type riskLevels []sms.RiskLevel

// Value writes the levels as JSON.
func (l riskLevels) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]sms.RiskLevel(l))
	return string(b), err
}

// Scan reads the levels from JSON text.
func (l *riskLevels) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*l = []sms.RiskLevel{}
		return nil
	default:
		return fmt.Errorf("risk levels: cannot read %T", src)
	}
	list := []sms.RiskLevel{}
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("risk levels: %w", err)
	}
	*l = list
	return nil
}

// GetRisk reads one risk with its lists.
func (db *DB) GetRisk(ctx context.Context, id int64) (sms.Risk, error) {
	return Risks.Get(ctx, db.reader(), id)
}

// RiskFilter narrows a listing of risks. Likelihood, Impact and the score
// range apply to the inherent rating, or with Residual to the residual
// one.
type RiskFilter struct {
	IDs           []int64
	Query         string // part of the title
	State         string
	Category      string
	Kind          string
	Treatment     string
	OwnerID       int64
	Residual      bool
	Likelihood    int64
	Impact        int64
	ScoreMin      int64
	ScoreMax      int64
	ReviewBefore  string // only open risks to be reviewed before this day ("2006-01-02")
	ServiceID     int64
	RequirementID int64
	Cursor        string
	Limit         int
}

// where is the filter's conditions, without the cursor.
func (f RiskFilter) where() whereBuilder {
	w := whereBuilder{}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(title) LIKE ?", likePattern(f.Query))
	}
	for _, c := range []struct{ col, v string }{{"state", f.State}, {"category", f.Category}, {"kind", f.Kind}, {"treatment", f.Treatment}} {
		if c.v != "" {
			w.add(c.col+" = ?", c.v)
		}
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	l, i := "likelihood", "impact"
	if f.Residual {
		l, i = "residual_likelihood", "residual_impact"
	}
	if f.Likelihood != 0 {
		w.add(l+" = ?", f.Likelihood)
	}
	if f.Impact != 0 {
		w.add(i+" = ?", f.Impact)
	}
	if f.ScoreMin != 0 {
		w.add(l+" * "+i+" >= ?", f.ScoreMin)
	}
	if f.ScoreMax != 0 {
		w.add(l+" * "+i+" <= ?", f.ScoreMax)
	}
	if f.ReviewBefore != "" {
		w.add("state = 'open' AND review_on <> '' AND review_on < ?", f.ReviewBefore)
	}
	if f.ServiceID != 0 {
		w.add("id IN (SELECT risk_id FROM risk_services WHERE service_id = ?)", f.ServiceID)
	}
	if f.RequirementID != 0 {
		w.add("id IN (SELECT risk_id FROM risk_requirements WHERE requirement_id = ?)", f.RequirementID)
	}
	return w
}

// ListRisks returns a page of risks by id, with their lists.
func (db *DB) ListRisks(ctx context.Context, f RiskFilter) ([]sms.Risk, string, error) {
	w := f.where()
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	return Risks.List(ctx, db.reader(), w, f.Limit)
}

// RiskCell is one cell of the risk matrix: a likelihood and an impact
// level and how many risks are rated so.
type RiskCell struct {
	Likelihood, Impact int64
	Count              int
}

// RiskCells counts the risks of the filter (its rating conditions left
// out) by their rating, inherent or residual as the filter says.
func (db *DB) RiskCells(ctx context.Context, f RiskFilter) ([]RiskCell, error) {
	f.Likelihood, f.Impact, f.ScoreMin, f.ScoreMax = 0, 0, 0, 0
	w := f.where()
	l, i := "likelihood", "impact"
	if f.Residual {
		l, i = "residual_likelihood", "residual_impact"
	}
	rows, err := db.reader().query(ctx, "SELECT "+l+", "+i+", count(*) FROM risks"+w.sql()+" GROUP BY "+l+", "+i+" ORDER BY "+l+", "+i, w.args...)
	if err != nil {
		return nil, db.fault(err, "count risks")
	}
	defer rows.Close()
	var out []RiskCell
	for rows.Next() {
		var c RiskCell
		if err := rows.Scan(&c.Likelihood, &c.Impact, &c.Count); err != nil {
			return nil, db.fault(err, "count risks")
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountRisksAbove counts, in the transaction, the risks rated above level
// on a scale ("likelihood" or "impact"), inherent or residual: those a
// shorter scale would leave without a level.
func (tx *Tx) CountRisksAbove(ctx context.Context, scale string, level int64) (int, error) {
	if scale != "likelihood" && scale != "impact" {
		return 0, fmt.Errorf("count risks: no scale %q", scale)
	}
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM risks WHERE "+scale+" > ? OR residual_"+scale+" > ?", level, level).Scan(&n); err != nil {
		return 0, tx.db.fault(err, "count risks")
	}
	return n, nil
}

// RisksNamingService lists, in the transaction, the risks that name a
// service.
func (tx *Tx) RisksNamingService(ctx context.Context, id int64) ([]int64, error) {
	return Risks.IDsWhere(ctx, tx, "id IN (SELECT risk_id FROM risk_services WHERE service_id = ?)", id)
}

// CreateRisk adds a risk with its lists and its audit entry.
func (tx *Tx) CreateRisk(ctx context.Context, actor access.Actor, r *sms.Risk) error {
	return Risks.Insert(ctx, tx, actor, r)
}

// UpdateRisk changes a risk read at version (0: any).
func (tx *Tx) UpdateRisk(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Risk) error) (sms.Risk, error) {
	_, after, err := Risks.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteRisk removes a risk read at version (0: any), with its lists.
func (tx *Tx) DeleteRisk(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Risk) error) error {
	_, err := Risks.Delete(ctx, tx, actor, id, version, check)
	return err
}

// RiskScales reads the scales; not-found until they are first written.
func (db *DB) RiskScales(ctx context.Context) (sms.RiskScales, error) {
	return firstScales(ctx, db.reader())
}

// RiskScales reads the scales in the transaction.
func (tx *Tx) RiskScales(ctx context.Context) (sms.RiskScales, error) {
	return firstScales(ctx, tx.conn)
}

func firstScales(ctx context.Context, c conn) (sms.RiskScales, error) {
	list, _, err := RiskScalesTable.List(ctx, c, whereBuilder{}, 1)
	if err != nil {
		return sms.RiskScales{}, err
	}
	if len(list) == 0 {
		return sms.RiskScales{}, errs.E(errs.NotFound, "the risk scales are not set yet")
	}
	return list[0], nil
}

// CreateRiskScales writes the scales the first time.
func (tx *Tx) CreateRiskScales(ctx context.Context, actor access.Actor, s *sms.RiskScales) error {
	return RiskScalesTable.Insert(ctx, tx, actor, s)
}

// UpdateRiskScales changes the scales read at version (0: any).
func (tx *Tx) UpdateRiskScales(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.RiskScales) error) (sms.RiskScales, error) {
	_, after, err := RiskScalesTable.Update(ctx, tx, actor, id, version, change)
	return after, err
}
