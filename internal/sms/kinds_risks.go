package sms

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// RiskKind declares the register of risks and opportunities (clause 6.1).
var RiskKind = record.Kind{
	Entity: "risk", Prefix: "RSK", Label: "Risk", Plural: "Risks and opportunities", Segment: "risks", Area: Area,
	Read: access.RisksRead, Write: access.RisksWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "category", Label: "Category", Display: record.Enum, Values: Labels(RiskCategories)},
		{Name: "kind", Label: "Risk or opportunity", Display: record.Enum, Values: Labels(RiskKinds),
			Help: "A risk could harm the services or the SMS; an opportunity could improve them."},
		{Name: "service_ids", Label: "Services", Display: record.RefList, Ref: "service", Help: "The services it could affect."},
		{Name: "requirement_ids", Label: "Requirements", Display: record.RefList, Ref: "requirement", Help: "The requirements of the standard it bears on."},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "The one person who answers for the risk and its treatment."},
		{Name: "likelihood", Label: "Likelihood", Help: RiskInherentHelp},
		{Name: "impact", Label: "Impact", Help: RiskInherentHelp},
		{Name: "residual_likelihood", Label: "Residual likelihood", Help: RiskResidualHelp},
		{Name: "residual_impact", Label: "Residual impact", Help: RiskResidualHelp},
		{Name: "treatment", Label: "Treatment", Display: record.Enum, Values: Labels(RiskTreatments), Help: RiskTreatmentHelp},
		{Name: "accepted_by", Label: "Accepted by", Display: record.Ref, Ref: "user", Help: RiskAcceptedHelp},
		{Name: "accepted_on", Label: "Accepted on"},
		{Name: "review_on", Label: "Review by", Help: RiskReviewHelp},
		{Name: "state", Label: "State", Display: record.Enum, Values: Labels(RiskStates)},
	},
	Nav: &record.Nav{Order: 35, Icon: "alert-triangle", Summary: "What could go wrong or better for the services and the SMS, rated, treated and reviewed, and the risk matrix."},
}

// RiskScaleKind declares the scales risks are rated on: one record, its
// two scales and the bands of the scores.
var RiskScaleKind = record.Kind{
	Entity: "risk_scale", Prefix: "RSC", Label: "Risk scales", Plural: "Risk scales", Segment: "risk-scales", Area: Area,
	Read: access.RisksRead, Write: access.RiskScalesWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "likelihood", Label: "Likelihood scale", Help: "Its levels, lowest first, each with a label and what it means."},
		{Name: "impact", Label: "Impact scale", Help: "Its levels, lowest first, each with a label and what it means."},
		{Name: "medium_from", Label: "Medium from", Help: "The lowest score in the medium band; below it a score is low."},
		{Name: "high_from", Label: "High from", Help: "The lowest score in the high band."},
		{Name: "critical_from", Label: "Critical from", Help: "The lowest score in the critical band."},
	},
}

// riskKinds lists the register's kinds.
func riskKinds() []record.Kind { return []record.Kind{RiskKind, RiskScaleKind} }
