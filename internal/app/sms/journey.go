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
	project, err := c.db.CountProject(ctx)
	if err != nil {
		return j, err
	}
	docs, err := c.documentCoverage(ctx)
	if err != nil {
		return j, err
	}
	scope, err := c.scopeStage(ctx, project, docs)
	if err != nil {
		return j, err
	}
	plan, err := c.planStage(ctx, latest, assessed, project)
	if err != nil {
		return j, err
	}
	processes, err := c.processStage(ctx)
	if err != nil {
		return j, err
	}
	train, err := c.trainStage(ctx, actor, docs)
	if err != nil {
		return j, err
	}
	j.Stages = []sms.JourneyStage{assess, scope, plan, documentStage(docs), processes, train}
	for _, src := range c.later {
		more, err := src(ctx, actor)
		if err != nil {
			return j, err
		}
		j.Stages = append(j.Stages, more...)
	}
	return j, nil
}

// StageSource reads, for the journey, the stages an area adds after the
// management system's own: audits, review and certification.
type StageSource func(ctx context.Context, actor access.Actor) ([]sms.JourneyStage, error)

// AddJourneyStages adds an area's stages to the journey, after those
// already there. Areas are added before the server starts.
func (c *Catalogue) AddJourneyStages(src StageSource) { c.later = append(c.later, src) }

// checklistItem finds a checklist item's entry in the coverage.
func checklistItem(docs sms.ChecklistCoverage, code string) sms.ChecklistEntry {
	for _, e := range docs.Items {
		if e.Code == code {
			return e
		}
	}
	return sms.ChecklistEntry{}
}

// documentHref is where a checklist item's document is, or the checklist
// when none is mapped yet.
func documentHref(e sms.ChecklistEntry) string {
	if e.DocumentID == 0 {
		return checklistPath
	}
	return fmt.Sprintf("/%s/%d", sms.DocumentKind.Path(), e.DocumentID)
}

// checklistPath is the page of the documented information checklist.
const checklistPath = "/document-checklist"

// scopeStage: the scope approved, the service management policy in force,
// and the SMS's objectives set and measured.
func (c *Catalogue) scopeStage(ctx context.Context, project store.ProjectFigures, docs sms.ChecklistCoverage) (sms.JourneyStage, error) {
	s := sms.JourneyStage{Key: "scope", Title: "Define scope and objectives",
		About: "Which services and parts of the organisation the SMS covers, top management's policy for service management, and measurable objectives with owners."}
	scopes := "/" + sms.ScopeKind.Path()
	approved, _, err := c.db.ListScopes(ctx, store.ScopeFilter{State: "approved", Limit: 1})
	if err != nil {
		return s, err
	}
	scope := sms.JourneyCheck{Label: "Scope approved", Href: scopes,
		Help: "A scope statement naming the services, locations and units in scope, with any exclusion justified, approved as a revision."}
	if len(approved) > 0 {
		scope.Have, scope.Href = 1, fmt.Sprintf("%s/%d", scopes, approved[0].ID)
	}
	entry := checklistItem(docs, "policy")
	policy := sms.JourneyCheck{Label: "Service management policy approved", Href: documentHref(entry),
		Help: "A controlled document mapped to the checklist's policy item, with a version approved."}
	if entry.Covered() {
		policy.Have = 1
	}
	objectives := "/" + sms.ObjectiveKind.Path()
	set := sms.JourneyCheck{Label: "SMS objectives set", Have: project.Objectives, Href: objectives,
		Help: "Measurable objectives for the SMS, each with an owner, a measure and a target."}
	s.Checks = append(s.Checks, scope, policy, set)
	if project.Objectives > 0 {
		s.Checks = append(s.Checks, sms.JourneyCheck{Label: "Objectives with a value recorded", Have: project.Measured, Want: project.Objectives, Href: objectives,
			Help: "Objectives measured at least once, so their trend can be shown to management and the auditor."})
	}
	switch {
	case !scope.Done():
		s.Next, s.NextHref = "Write and approve the scope", scopes
	case !policy.Done():
		s.Next, s.NextHref = "Approve the service management policy", documentHref(entry)
	case !set.Done():
		s.Next, s.NextHref = "Set the SMS objectives", objectives+"/new"
	case project.Measured < project.Objectives:
		s.Next, s.NextHref = "Record the objectives' values", objectives
	}
	return s, nil
}

// documentStage: every item of the documented information checklist is
// fulfilled by an approved document.
func documentStage(docs sms.ChecklistCoverage) sms.JourneyStage {
	s := sms.JourneyStage{Key: "document", Title: "Develop the SMS documentation",
		About: "The documented information the standard asks for, written, approved and under control: policies, plans, procedures and the records they call for."}
	s.Checks = []sms.JourneyCheck{{Label: "Required documents approved", Have: docs.Approved, Want: docs.Total(), Href: checklistPath,
		Help: "Items of the documented information checklist fulfilled by an approved document."}}
	if missing := docs.Missing(); len(missing) > 0 {
		s.Next, s.NextHref = "Write and approve the missing documents", checklistPath
	}
	return s
}

// processStage: every process of the SMS has an owner and is described.
func (c *Catalogue) processStage(ctx context.Context) (sms.JourneyStage, error) {
	s := sms.JourneyStage{Key: "processes", Title: "Design and document the processes",
		About: "Each process of the SMS with an owner who answers for it, its purpose, scope, inputs and outputs written down, and its procedures controlled."}
	ps, _, err := c.db.ListProcesses(ctx, store.ProcessFilter{Limit: store.MaxLimit})
	if err != nil {
		return s, err
	}
	list := "/" + sms.ProcessKind.Path()
	owned, described, defined := 0, 0, 0
	var firstUnowned, firstOutline int64
	for _, p := range ps {
		if p.OwnerID != nil {
			owned++
		} else if firstUnowned == 0 {
			firstUnowned = p.ID
		}
		if p.DocStatus() == "described" {
			described++
		} else if firstOutline == 0 {
			firstOutline = p.ID
		}
		if p.Maturity >= 3 {
			defined++
		}
	}
	s.Checks = []sms.JourneyCheck{
		{Label: "Processes with an owner", Have: owned, Want: len(ps), Href: list,
			Help: "Each process has a process owner who answers for how it runs and improves."},
		{Label: "Processes described", Have: described, Want: len(ps), Href: list + "/map",
			Help: "Purpose, scope, inputs and outputs written for each process."},
		{Label: "Processes at maturity 3 or more", Have: defined, Want: len(ps), Info: true, Href: list + "/map",
			Help: "Defined, documented and followed; shown for information, as maturity grows while the SMS runs."},
	}
	switch {
	case firstUnowned != 0:
		s.Next, s.NextHref = "Name the processes' owners", fmt.Sprintf("%s/%d/edit", list, firstUnowned)
	case firstOutline != 0:
		s.Next, s.NextHref = "Describe the processes", fmt.Sprintf("%s/%d/edit", list, firstOutline)
	}
	return s, nil
}

// trainStage: everyone holds the competences their role and teams
// require (through a course whose certificate has not expired, or a
// direct assessment).
func (c *Catalogue) trainStage(ctx context.Context, actor access.Actor, docs sms.ChecklistCoverage) (sms.JourneyStage, error) {
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
	aware, err := c.awareness(ctx, docs)
	if err != nil {
		return s, err
	}
	s.Checks = append(s.Checks, held, aware)
	switch {
	case cov.Required == 0:
		s.Next, s.NextHref = "Set the competences roles need", "/"+sms.CompetenceKind.Path()+"/new"
	case !held.Done():
		s.Next, s.NextHref = "Close the training gaps", "/competences/matrix"
	case !aware.Done():
		s.Next, s.NextHref = "Have the policy and objectives acknowledged", aware.Href
	}
	return s, nil
}

// awareness counts the acknowledgements of the approved policy and
// objectives documents by the people asked to read them. Until neither
// is approved there is nothing to acknowledge, and the check says so.
func (c *Catalogue) awareness(ctx context.Context, docs sms.ChecklistCoverage) (sms.JourneyCheck, error) {
	chk := sms.JourneyCheck{Label: "Policy and objectives acknowledged", Percent: true, Href: checklistPath,
		Help: "Of the people asked to read the service management policy and the objectives, the share who acknowledged the version in force."}
	aw, err := c.awarenessOf(ctx, docs)
	if err != nil {
		return chk, err
	}
	if len(aw.Documents) == 0 {
		chk.Label, chk.Percent = "Policy and objectives in force, to acknowledge", false
		chk.Help = "Awareness is measured as acknowledgement of the approved policy and objectives; approve them first."
		return chk, nil
	}
	for _, p := range aw.People {
		chk.Have += p.Acknowledged
		chk.Want += p.Asked
	}
	chk.Href = fmt.Sprintf("/%s/%d", sms.DocumentKind.Path(), aw.Documents[0])
	if chk.Want == 0 {
		chk.Label, chk.Percent, chk.Have = "Readers named for the policy and objectives", false, 0
		chk.Help = "Say who must read the policy and objectives (by role, team or person), so their acknowledgement can be tracked."
	}
	return chk, nil
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
func (c *Catalogue) planStage(ctx context.Context, latest sms.Assessment, assessed bool, project store.ProjectFigures) (sms.JourneyStage, error) {
	s := sms.JourneyStage{Key: "plan", Title: "Build the team and plan",
		About: "An implementation team with a project manager, and a plan of actions that closes every gap, each with an owner and a due day."}
	team, raci := "/"+sms.ProjectMemberKind.Path(), "/"+sms.RaciKind.Path()
	manager := sms.JourneyCheck{Label: "Project manager named", Have: project.Managers, Href: team,
		Help: "One member of the implementation team leads the project and answers for the plan."}
	assigned := sms.JourneyCheck{Label: "Responsibilities assigned (RACI)", Have: project.RaciRows, Href: raci + "/matrix",
		Help: "For the clauses or processes, who is responsible, accountable, consulted and informed."}
	risks := sms.JourneyCheck{Label: "Risks and opportunities identified", Have: project.Risks, Href: "/" + sms.RiskKind.Path(),
		Help: "The risks to the SMS and the services, and the opportunities, on the register with their rating and treatment."}
	s.Checks = append(s.Checks, manager, assigned, risks)
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
	case !manager.Done():
		s.Next, s.NextHref = "Name the project manager", team+"/new"
	case !assigned.Done():
		s.Next, s.NextHref = "Assign the responsibilities", raci+"/new"
	case !risks.Done():
		s.Next, s.NextHref = "Identify the risks and opportunities", "/"+sms.RiskKind.Path()+"/new"
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
