package assurance

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
)

// ManagementReviewKind declares management reviews (clause 9.3).
var ManagementReviewKind = record.Kind{
	Entity: "management_review", Prefix: "MR", Label: "Management review", Plural: "Management reviews", Area: Area,
	Read: access.ManagementReviewsRead, Write: access.ManagementReviewsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "planned_on", Label: "Planned on"},
		{Name: "held_on", Label: "Held on"},
		{Name: "chair_id", Label: "Chair", Display: record.Ref, Ref: "user", Help: "Who chairs the review: a member of top management or an SMS manager."},
		{Name: "attendee_ids", Label: "Attendees", Display: record.RefList, Ref: "user"},
		{Name: "interval_months", Label: "Next review after (months)", Help: "How long after this review the next one is due; the next review's planned day is suggested from it."},
		{Name: "state", Label: "State", Display: record.Enum, Values: sms.Labels(ReviewStates)},
		{Name: "prepared_on", Label: "Input pack assembled on"},
		{Name: "pack", Label: "Input pack", Display: record.LongText, Help: "Assembled from the live records when the review is prepared; frozen, with its SHA-256, when it is held."},
		{Name: "pack_hash", Label: "Input pack SHA-256"},
		{Name: "minutes", Label: "Minutes", Display: record.LongText},
		{Name: "decisions", Label: "Decisions", Display: record.LongText, Help: "One decision a line: on improvement opportunities, on changes to the SMS and the services, on resources."},
		{Name: "approved_by", Label: "Minutes approved by", Display: record.Ref, Ref: "user"},
		{Name: "approved_on", Label: "Minutes approved on"},
	},
	Nav: &record.Nav{Order: 30, Icon: "gauge", Summary: "Top management's reviews of the SMS: the input pack from live records, frozen when held, minutes, decisions and actions."},
}

// ImprovementKind declares the continual improvement register (clause
// 10.2).
var ImprovementKind = record.Kind{
	Entity: "improvement", Prefix: "IMP", Label: "Improvement", Plural: "Improvements", Area: Area,
	Read: access.ImprovementsRead, Write: access.ImprovementsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Opportunity"},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "source", Label: "Source", Display: record.Enum, Values: sms.Labels(ImprovementSources)},
		{Name: "source_entity", Label: "Source record kind"},
		{Name: "source_ref", Label: "Source record"},
		{Name: "submitted_by", Label: "Submitted by", Display: record.Ref, Ref: "user"},
		{Name: "submitted_on", Label: "Submitted on"},
		{Name: "benefit", Label: "Benefit", Help: "How much it would bring, from 1 (little) to 5 (much)."},
		{Name: "effort", Label: "Effort", Help: "How much work it takes, from 1 (little) to 5 (much)."},
		{Name: "risk", Label: "Risk", Help: "How much could go wrong in making it, from 1 (little) to 5 (much)."},
		{Name: "alignment", Label: "Alignment with objectives", Help: "How directly it serves the SMS's objectives, from 1 (hardly) to 5 (directly)."},
		{Name: "state", Label: "State", Display: record.Enum, Values: sms.Labels(ImprovementStates)},
		{Name: "approved_by", Label: "Decided by", Display: record.Ref, Ref: "user"},
		{Name: "approved_on", Label: "Decided on"},
		{Name: "expected_benefit", Label: "Expected benefit", Display: record.LongText},
		{Name: "realised_benefit", Label: "Realised benefit", Display: record.LongText},
		{Name: "unit", Label: "Unit of the measure"},
		{Name: "before", Label: "Measure before"},
		{Name: "after", Label: "Measure after"},
	},
	Nav: &record.Nav{Order: 40, Icon: "chart-line", Summary: "The continual improvement register: opportunities, their evaluation and priority, the decision, the work and the benefit measured."},
}

// reviewKinds are management review's and improvement's kinds.
func reviewKinds() []record.Kind { return []record.Kind{ManagementReviewKind, ImprovementKind} }
