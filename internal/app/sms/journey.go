package sms

import (
	"context"
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Journey walks the certification journey for ISO/IEC 20000-1 the way a
// certification guide does, each stage's checks read from live records:
// the latest gap analysis, the plan, ... Whoever reads the catalogue reads
// it. Each figure is one counting query, never a listing.
func (c *Catalogue) Journey(ctx context.Context, actor access.Actor) (sms.Journey, error) {
	var j sms.Journey
	if err := frameworks.MayRead(actor, "read the certification journey"); err != nil {
		return j, err
	}
	fw, err := c.db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return j, err
	}
	latest, assessed, err := c.db.LatestAssessment(ctx, fw.ID, "")
	if err != nil {
		return j, err
	}
	var tally sms.Readiness
	if assessed {
		results, err := c.db.ResultsOf(ctx, latest.ID)
		if err != nil {
			return j, err
		}
		tally = sms.Tally(results)
	}
	assess, err := c.assessStage(ctx, fw, latest, assessed, tally)
	if err != nil {
		return j, err
	}
	plan, err := c.planStage(ctx, latest, assessed)
	if err != nil {
		return j, err
	}
	train, err := c.trainStage(ctx, actor)
	if err != nil {
		return j, err
	}
	j.Stages = []sms.JourneyStage{assess, plan, train}
	return j, nil
}

// trainStage: everyone holds the competences their role and teams
// require (through a course whose certificate has not expired, or a
// direct assessment).
func (c *Catalogue) trainStage(ctx context.Context, actor access.Actor) (sms.JourneyStage, error) {
	s := sms.JourneyStage{Key: "train", Title: "Train and raise awareness",
		About: "Everyone who works in the SMS holds the competences their role needs, and knows the service management policy and objectives."}
	m, err := c.Matrix(ctx, actor, c.db.Now().Format(time.DateOnly))
	if err != nil {
		return s, err
	}
	cov := m.Coverage()
	held := sms.JourneyCheck{Label: "Training coverage", Have: cov.Held, Want: cov.Required, Percent: true, Href: "/competences/matrix",
		Help: "Required competences held, of every person and every competence their role or teams require."}
	if cov.Required == 0 {
		held.Label, held.Want, held.Percent = "Competences required of roles", 0, false
		held.Href, held.Help = "/"+sms.CompetenceKind.Path(), "Say which competences each role or team needs; training is measured against them."
	}
	s.Checks = append(s.Checks, held)
	switch {
	case cov.Required == 0:
		s.Next, s.NextHref = "Set the competences roles need", "/"+sms.CompetenceKind.Path()+"/new"
	case !held.Done():
		s.Next, s.NextHref = "Close the training gaps", "/competences/matrix"
	}
	return s, nil
}

func assessmentHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.AssessmentKind.Path(), id) }

// assessStage: a gap analysis of every requirement, finished (closed).
func (c *Catalogue) assessStage(ctx context.Context, fw sms.Framework, latest sms.Assessment, assessed bool, tally sms.Readiness) (sms.JourneyStage, error) {
	s := sms.JourneyStage{Key: "assess", Title: "Assess current practices",
		About: "A gap analysis of every requirement of ISO/IEC 20000-1: where the organisation stands, what is missing, and how mature what exists is."}
	closed, hasClosed, err := c.db.LatestAssessment(ctx, fw.ID, "closed")
	if err != nil {
		return s, err
	}
	started := sms.JourneyCheck{Label: "Gap analysis started", Href: "/" + sms.AssessmentKind.Path(),
		Help: "An assessment of ISO/IEC 20000-1 with a result for each of its requirements."}
	if assessed {
		started.Have, started.Href = 1, assessmentHref(latest.ID)
	}
	done := sms.JourneyCheck{Label: "Gap analysis completed", Href: "/" + sms.AssessmentKind.Path(),
		Help: "An assessment of every requirement, closed once each has its status and maturity."}
	if hasClosed {
		done.Have, done.Href = 1, assessmentHref(closed.ID)
	}
	s.Checks = append(s.Checks, started, done)
	if assessed {
		s.Checks = append(s.Checks, sms.JourneyCheck{Label: "Requirements implemented", Have: tally.Implemented, Want: tally.Applicable(), Info: true,
			Href: assessmentHref(latest.ID), Help: "In the latest assessment; partly implemented ones count as gaps."})
	}
	switch {
	case !assessed:
		s.Next, s.NextHref = "Start a gap analysis", "/"+sms.AssessmentKind.Path()+"/new"
	case !hasClosed || latest.State == "open":
		s.Next, s.NextHref = "Carry on with the gap analysis", assessmentHref(latest.ID)
	}
	return s, nil
}

// planStage: every gap of the latest assessment has an action, and the
// plan's actions are on time.
func (c *Catalogue) planStage(ctx context.Context, latest sms.Assessment, assessed bool) (sms.JourneyStage, error) {
	s := sms.JourneyStage{Key: "plan", Title: "Build the team and plan",
		About: "An implementation team with a project manager, and a plan of actions that closes every gap, each with an owner and a due day."}
	actions := "/" + sms.ActionKind.Path()
	cover := sms.JourneyCheck{Label: "Gaps with an action", Href: actions + "?source=gap",
		Help: "Each requirement not yet implemented in the latest assessment has an action planned to close it."}
	if assessed {
		gaps, planned, err := c.db.GapCover(ctx, latest.ID)
		if err != nil {
			return s, err
		}
		cover.Have, cover.Want = planned, gaps
		if gaps == 0 {
			cover.Have = 1 // no gap: nothing to plan
		}
	}
	s.Checks = append(s.Checks, cover)
	today := c.db.Now().Format(time.DateOnly)
	open, err := c.db.CountActions(ctx, store.ActionCount{Open: true})
	if err != nil {
		return s, err
	}
	overdue, err := c.db.CountActions(ctx, store.ActionCount{Open: true, DueBefore: today})
	if err != nil {
		return s, err
	}
	if open > 0 {
		s.Checks = append(s.Checks, sms.JourneyCheck{Label: "Open actions on time", Have: open - overdue, Want: open, Href: actions + "?due=overdue",
			Help: "Open actions not past their due day; overdue ones hold the journey back until done or moved."})
	}
	if mean, n, err := c.db.PlanProgress(ctx); err != nil {
		return s, err
	} else if n > 0 {
		s.Checks = append(s.Checks, sms.JourneyCheck{Label: "Progress of the plan", Have: mean, Want: 100, Percent: true, Info: true, Href: actions + "/timeline",
			Help: "How much of the plan's actions is done, on average; the timeline shows each from its start to its due day."})
	}
	switch {
	case assessed && !cover.Done():
		s.Next, s.NextHref = "Make the plan from the gaps", assessmentHref(latest.ID)
	case overdue > 0:
		s.Next, s.NextHref = "Deal with the overdue actions", actions+"?due=overdue"
	}
	return s, nil
}

// CountActions counts actions, for figures that must not list them (the
// home page's overdue count).
func (c *Catalogue) CountActions(ctx context.Context, actor access.Actor, f store.ActionCount) (int, error) {
	if err := actions.MayRead(actor, "count"); err != nil {
		return 0, err
	}
	return c.db.CountActions(ctx, f)
}
