package sms

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
)

// Journey is the certification journey: its stages in order.
type Journey struct {
	Stages []JourneyStage `json:"stages"`
	Done   int            `json:"done" doc:"How many stages are done."`
	Ready  bool           `json:"ready" doc:"Every stage done: ready for the stage 1 audit."`
}

// JourneyStage is one stage, its state computed from its checks.
type JourneyStage struct {
	Key      string         `json:"key"`
	Title    string         `json:"title"`
	State    string         `json:"state" enum:"not_started,under_way,done"`
	Checks   []JourneyCheck `json:"checks"`
	Next     string         `json:"next,omitempty" doc:"The next thing to do in this stage."`
	NextHref string         `json:"next_href,omitempty" doc:"The page where it is done."`
}

// JourneyCheck is one check of a stage.
type JourneyCheck struct {
	Label   string `json:"label"`
	Have    int    `json:"have"`
	Want    int    `json:"want" doc:"0 for a yes-or-no check, which is met when have is 1."`
	Percent bool   `json:"percent" doc:"Shown as have ÷ want in percent."`
	Info    bool   `json:"info" doc:"Shown for information; it holds the stage back in no case."`
	Done    bool   `json:"done"`
	Href    string `json:"href"`
}

func journeyOut(j sms.Journey) Journey {
	out := Journey{Stages: []JourneyStage{}, Done: j.Done(), Ready: j.Ready()}
	for _, s := range j.Stages {
		st := JourneyStage{Key: s.Key, Title: s.Title, State: s.State(), Checks: []JourneyCheck{}, Next: s.Next, NextHref: s.NextHref}
		for _, c := range s.Checks {
			st.Checks = append(st.Checks, JourneyCheck{Label: c.Label, Have: c.Have, Want: c.Want, Percent: c.Percent, Info: c.Info, Done: c.Done(), Href: c.Href})
		}
		out.Stages = append(out.Stages, st)
	}
	return out
}

// registerJourney adds the certification journey.
func registerJourney(api *restapi.API, c *smsapp.Catalogue) {
	restapi.Register(api, access.FrameworksRead, huma.Operation{OperationID: "get-journey", Method: http.MethodGet, Path: "/api/v1/journey",
		Tags: []string{sms.FrameworkKind.Plural}, Summary: "The certification journey",
		Description: "The stages towards certification against ISO/IEC 20000-1, each with its checks read from the records (assessments, actions, training ...), its state and the next thing to do."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body Journey }, error) {
			j, err := c.Journey(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &struct{ Body Journey }{journeyOut(j)}, nil
		})
}
