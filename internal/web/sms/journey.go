package sms

import (
	"context"
	"net/http"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// journeyPath is the certification journey's page.
const journeyPath = "/journey"

// journeyLink is the journey's place in the navigation: first in the area.
var journeyLink = web.Link{Label: "Certification journey", Href: journeyPath, Icon: "route", Perm: access.FrameworksRead, Area: sms.Area, Order: 5,
	Summary: "Where the SMS stands on its way to certification, stage by stage, from the records themselves, with the next thing to do."}

// JourneyPage shows the stages.
type JourneyPage struct {
	web.Base
	Stages  []JourneyStage
	Current int
	Done    int
	Ready   bool
	Here    ui.Badge // marks the current stage
}

// JourneyStage is a stage as the page shows it.
type JourneyStage struct {
	Number              int
	Title, About, State string
	Badge               ui.Badge
	Checks              []JourneyCheck
	Current             bool
	Next, NextHref      string
	Blocked             int
}

// JourneyCheck is a check as the page shows it.
type JourneyCheck struct {
	Label, Figure, Href, Help string
	Done, Info                bool
}

var stateLabels = map[string]struct {
	label string
	tone  ui.Tone
}{
	sms.StageDone:       {"Done", ui.Success},
	sms.StageUnderWay:   {"Under way", ui.Warning},
	sms.StageNotStarted: {"Not started", ui.Neutral},
}

func journeyView(rq *web.Request, j sms.Journey) []JourneyStage {
	cur := j.Current()
	out := make([]JourneyStage, 0, len(j.Stages))
	for i, s := range j.Stages {
		st := stateLabels[s.State()]
		v := JourneyStage{Number: i + 1, Title: s.Title, About: s.About, State: st.label, Badge: ui.Badge{Text: st.label, Tone: st.tone}, Current: i == cur,
			Blocked: len(s.Blockers())}
		if s.State() != sms.StageDone { // a done stage has nothing next
			v.Next, v.NextHref = s.Next, s.NextHref
		}
		for _, c := range s.Checks {
			v.Checks = append(v.Checks, JourneyCheck{Label: c.Label, Figure: figure(rq, c), Href: c.Href, Help: c.Help, Done: c.Done(), Info: c.Info})
		}
		out = append(out, v)
	}
	return out
}

// figure says how far a check is: "12 of 19", "80 %", or yes and no.
func figure(rq *web.Request, c sms.JourneyCheck) string {
	switch {
	case c.Want == 0 && c.Have > 0:
		return rq.T("Yes")
	case c.Want == 0:
		return rq.T("Not yet")
	case c.Percent:
		return rq.T("%d %%", c.Have*100/c.Want)
	}
	return rq.T("%d of %d", c.Have, c.Want)
}

func (pg *pages) journey(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	j, err := pg.c.Journey(r.Context(), rq.Auth.Actor)
	if err != nil {
		return err
	}
	page := JourneyPage{Base: rq.Base, Stages: journeyView(rq, j), Current: j.Current(), Done: j.Done(), Ready: j.Ready(),
		Here: ui.Badge{Text: "You are here", Tone: ui.Info}}
	page.Title, page.Crumbs = "Certification journey", []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Subtitle = "From where the organisation stands today to ready for the stage 1 audit, the way a certification guide walks it. Every figure comes from the records themselves, so it moves as the work is done."
	page.TitleBadges = []ui.Badge{{Text: rq.T("%d of %d stages done", page.Done, len(page.Stages)), Tone: ui.Info}}
	return pg.p.Render(w, r, http.StatusOK, "sms/journey", page)
}

// journeyHome is the journey on the home page of those who run the SMS:
// each stage with its state, and the next thing to do.
func journeyHome(c *smsapp.Catalogue) func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
	return func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
		actor := rq.Auth.Actor
		if !actor.Can(access.FrameworksWrite) {
			return nil, nil
		}
		j, err := c.Journey(ctx, actor)
		if err != nil {
			return nil, err
		}
		s := web.Section{Title: "Certification journey", Help: "Where the SMS stands on its way to the stage 1 audit.",
			Table: &ui.Table{Caption: "Stages of the certification journey", Columns: []ui.Column{{Label: "Stage", Key: true}, {Label: "State"}, {Label: "Next"}}}}
		for _, st := range journeyView(rq, j) {
			next := ui.Value{Empty: " "}
			if st.Next != "" {
				next = ui.Linked(st.Next, st.NextHref)
			}
			s.Table.Rows = append(s.Table.Rows, ui.Row{Href: journeyPath, Cells: []ui.Value{ui.Linked(rq.T("%d. %s", st.Number, rq.L.Lookup(st.Title)), journeyPath),
				{Badges: []ui.Badge{st.Badge}}, next}})
		}
		s.Actions = []ui.Action{{Label: "Open the journey", Icon: "route", Href: journeyPath}}
		return []web.Section{s}, nil
	}
}
