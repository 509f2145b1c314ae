package assurance

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
)

// Dashboard is top management's view of the SMS and its certification.
type Dashboard struct {
	Today            string           `json:"today" doc:"The day the records were read, 2006-01-02."`
	Readiness        *int             `json:"readiness" doc:"The latest gap analysis's overall readiness in percent; null before any."`
	Trend            []ReadinessPoint `json:"trend" doc:"The latest gap analyses' readiness, oldest first."`
	Nonconformities  []NCAge          `json:"nonconformities" doc:"Open nonconformities by severity and age."`
	OverdueActions   int              `json:"overdue_actions"`
	OpenActions      int              `json:"open_actions"`
	Programme        *ProgrammeCover  `json:"programme,omitempty" doc:"The coverage of the audit programme in force (or else the latest); absent without one."`
	DocumentsOverdue int              `json:"documents_overdue" doc:"Documents in force past their review day."`
	DocumentsDueSoon int              `json:"documents_due_soon" doc:"Documents in force due for review within 30 days."`
	TrainingHeld     int              `json:"training_held"`
	TrainingOf       int              `json:"training_required"`
	Next             *NextEvent       `json:"next_event,omitempty" doc:"The next certification event; absent with none."`
}

// ReadinessPoint is one gap analysis's readiness.
type ReadinessPoint struct {
	AssessmentID int64  `json:"assessment_id"`
	Title        string `json:"title"`
	StartedOn    string `json:"started_on"`
	Percent      int    `json:"percent"`
}

// NCAge counts the open nonconformities of a severity by age.
type NCAge struct {
	Severity string `json:"severity" enum:"major,minor"`
	Under30  int    `json:"under_30_days"`
	Under90  int    `json:"from_30_to_90_days"`
	Older    int    `json:"over_90_days"`
}

// ProgrammeCover is an audit programme's coverage.
type ProgrammeCover struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Audited      int    `json:"audited" doc:"Requirements its audits cover."`
	Requirements int    `json:"requirements"`
}

// NextEvent is the next thing of the certification cycle.
type NextEvent struct {
	What string `json:"what"`
	Day  string `json:"day"`
	Days int    `json:"days" doc:"From today; negative when past."`
	Href string `json:"href"`
}

func dashboardOut(d assurance.Dashboard) Dashboard {
	out := Dashboard{Today: d.Today, Trend: []ReadinessPoint{}, Nonconformities: []NCAge{}, OverdueActions: d.OverdueActions, OpenActions: d.OpenActions,
		DocumentsOverdue: d.DocumentsOverdue, DocumentsDueSoon: d.DocumentsDueSoon, TrainingHeld: d.TrainingHeld, TrainingOf: d.TrainingOf}
	if d.Assessed {
		out.Readiness = &d.Readiness
	}
	for _, p := range d.Trend {
		out.Trend = append(out.Trend, ReadinessPoint{AssessmentID: p.AssessmentID, Title: p.Title, StartedOn: p.Day, Percent: p.Percent})
	}
	for _, sev := range []string{"major", "minor"} {
		b := d.NCs[sev]
		out.Nonconformities = append(out.Nonconformities, NCAge{Severity: sev, Under30: b.Under30, Under90: b.Under90, Older: b.Older})
	}
	if d.ProgrammeID != 0 {
		out.Programme = &ProgrammeCover{ID: d.ProgrammeID, Title: d.ProgrammeTitle, Audited: d.Audited, Requirements: d.Requirements}
	}
	if d.Next.Day != "" {
		out.Next = &NextEvent{What: d.Next.What, Day: d.Next.Day, Days: d.Next.Days, Href: d.Next.Href}
	}
	return out
}

// registerDashboard adds the dashboard.
func registerDashboard(api *restapi.API, c *assuranceapp.Catalogue) {
	restapi.Register(api, access.FrameworksRead, huma.Operation{OperationID: "get-dashboard", Method: http.MethodGet, Path: "/api/v1/dashboard",
		Tags: []string{"Readiness"}, Summary: "Top management's dashboard",
		Description: "Readiness and its trend, open nonconformities by severity and age, overdue actions, the audit programme's coverage, documents due for review, training coverage and the next certification event, read from the records."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body Dashboard }, error) {
			d, err := c.Dashboard(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &struct{ Body Dashboard }{dashboardOut(d)}, nil
		})
}
