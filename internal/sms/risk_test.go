package sms_test

import (
	"testing"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// A risk's scores and bands on the default scales, and on scales of three
// levels each.
func TestRiskScoresAndBands(t *testing.T) {
	s := sms.DefaultRiskScales()
	r := sms.Risk{Likelihood: 4, Impact: 5, ResidualLikelihood: 2, ResidualImpact: 3}
	if got := r.InherentScore(); got != 20 {
		t.Errorf("inherent score %d, want 20", got)
	}
	if got := r.ResidualScore(); got != 6 {
		t.Errorf("residual score %d, want 6", got)
	}
	for _, c := range []struct {
		score int64
		band  string
	}{{1, "low"}, {4, "low"}, {5, "medium"}, {9, "medium"}, {10, "high"}, {16, "high"}, {17, "critical"}, {25, "critical"}} {
		if got := s.Band(c.score); got != c.band {
			t.Errorf("band of %d: %s, want %s", c.score, got, c.band)
		}
	}
	if lo, hi, ok := s.BandRange("critical"); !ok || lo != 17 || hi != 25 {
		t.Errorf("critical: %d to %d (%v), want 17 to 25", lo, hi, ok)
	}
	small := s.Input()
	small.Likelihood, small.Impact = small.Likelihood[:3], small.Impact[:3]
	small.MediumFrom, small.HighFrom, small.CriticalFrom = 3, 5, 9
	if err := small.Validate(); err != nil {
		t.Fatalf("3 by 3 scales: %v", err)
	}
	var three sms.RiskScales
	small.Set(&three)
	if three.MaxScore() != 9 || three.Band(9) != "critical" || three.Band(4) != "medium" {
		t.Errorf("3 by 3: max %d, band of 9 %s, of 4 %s", three.MaxScore(), three.Band(9), three.Band(4))
	}
}

// The scales refuse too few or too many levels, a level without a label,
// bands out of order or beyond the highest score, each on its field.
func TestRiskScalesValidation(t *testing.T) {
	ok := sms.DefaultRiskScales().Input()
	for name, c := range map[string]struct {
		change func(*sms.RiskScalesInput)
		field  string
	}{
		"two levels":      {func(in *sms.RiskScalesInput) { in.Likelihood = in.Likelihood[:2] }, "likelihood"},
		"six levels":      {func(in *sms.RiskScalesInput) { in.Impact = append(in.Impact, sms.RiskLevel{Label: "Worse"}) }, "impact"},
		"no label":        {func(in *sms.RiskScalesInput) { in.Impact[1].Label = " " }, "impact"},
		"same label":      {func(in *sms.RiskScalesInput) { in.Likelihood[1].Label = "rare" }, "likelihood"},
		"medium at 1":     {func(in *sms.RiskScalesInput) { in.MediumFrom = 1 }, "medium_from"},
		"high below":      {func(in *sms.RiskScalesInput) { in.HighFrom = 5 }, "high_from"},
		"critical beyond": {func(in *sms.RiskScalesInput) { in.CriticalFrom = 26 }, "critical_from"},
	} {
		t.Run(name, func(t *testing.T) {
			in := ok
			in.Likelihood, in.Impact = append([]sms.RiskLevel(nil), ok.Likelihood...), append([]sms.RiskLevel(nil), ok.Impact...)
			c.change(&in)
			in.Normalize()
			e := errs.As(in.Validate())
			if e == nil || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
				t.Errorf("got %v, want a refusal on %s", e, c.field)
			}
		})
	}
}

// A risk's input: defaults filled, levels checked against the scales,
// residual above inherent refused for a risk but not an opportunity, an
// acceptance required with the treatment accept, days in their format.
func TestRiskValidation(t *testing.T) {
	s := sms.DefaultRiskScales()
	const today = "2026-06-15"
	by := int64(7)
	good := func() sms.RiskInput {
		return sms.RiskInput{Title: "Supplier fails", Category: "supplier", OwnerID: 3, Likelihood: 3, Impact: 4}
	}
	in := good()
	in.Normalize()
	if err := in.Validate(s, today); err != nil {
		t.Fatalf("a good risk: %v", err)
	}
	if in.Kind != "risk" || in.Treatment != "mitigate" || in.State != "open" || in.ResidualLikelihood != 3 || in.ResidualImpact != 4 {
		t.Errorf("defaults: %+v", in)
	}
	for name, c := range map[string]struct {
		change func(*sms.RiskInput)
		field  string
	}{
		"no title":              {func(in *sms.RiskInput) { in.Title = "" }, "title"},
		"no category":           {func(in *sms.RiskInput) { in.Category = "" }, "category"},
		"no owner":              {func(in *sms.RiskInput) { in.OwnerID = 0 }, "owner_id"},
		"likelihood off scale":  {func(in *sms.RiskInput) { in.Likelihood = 6 }, "likelihood"},
		"no impact":             {func(in *sms.RiskInput) { in.Impact, in.ResidualImpact = 0, 2 }, "impact"},
		"residual above":        {func(in *sms.RiskInput) { in.ResidualLikelihood = 4 }, "residual_likelihood"},
		"residual impact above": {func(in *sms.RiskInput) { in.ResidualImpact = 5 }, "residual_impact"},
		"accept without anyone": {func(in *sms.RiskInput) { in.Treatment = "accept" }, "accepted_by"},
		"acceptor without day":  {func(in *sms.RiskInput) { in.AcceptedBy = &by }, "accepted_on"},
		"accepted tomorrow":     {func(in *sms.RiskInput) { in.AcceptedBy, in.AcceptedOn = &by, "2026-06-16" }, "accepted_on"},
		"review day":            {func(in *sms.RiskInput) { in.ReviewOn = "15.06.2026" }, "review_on"},
		"bad treatment":         {func(in *sms.RiskInput) { in.Treatment = "ignore" }, "treatment"},
		"bad service id":        {func(in *sms.RiskInput) { in.ServiceIDs = []int64{-1} }, "service_ids"},
	} {
		t.Run(name, func(t *testing.T) {
			in := good()
			c.change(&in)
			in.Normalize()
			e := errs.As(in.Validate(s, today))
			if e == nil || len(e.Fields) == 0 {
				t.Fatalf("got %v, want a refusal on %s", e, c.field)
			}
			found := false
			for _, f := range e.Fields {
				found = found || f.Field == c.field
			}
			if !found {
				t.Errorf("got %v, want a refusal on %s", e.Fields, c.field)
			}
		})
	}
	opp := good()
	opp.Kind, opp.ResidualLikelihood, opp.ResidualImpact = "opportunity", 5, 5
	opp.Normalize()
	if err := opp.Validate(s, today); err != nil {
		t.Errorf("an opportunity raised by its treatment: %v", err)
	}
	accepted := good()
	accepted.Treatment, accepted.AcceptedBy, accepted.AcceptedOn = "accept", &by, today
	accepted.Normalize()
	if err := accepted.Validate(s, today); err != nil {
		t.Errorf("an accepted risk: %v", err)
	}
	if !(sms.Risk{State: "open", ReviewOn: "2026-06-14"}).ReviewOverdue(today) || (sms.Risk{State: "closed", ReviewOn: "2026-06-14"}).ReviewOverdue(today) {
		t.Error("review overdue: want an open risk past its day flagged, a closed one not")
	}
}
