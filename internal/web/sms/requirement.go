package sms

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// RequirementPage is a requirement with our guidance, laid out to read:
// what it asks in plain terms, what an auditor looks for, typical
// evidence, the self-assessment questions; then the requirements under
// it and its cross-references.
type RequirementPage struct {
	web.Base
	Tabs      []ui.Tab
	Showing   string
	Items     []ui.Item
	Guidance  []GuidancePart
	Questions []string
	NoGuide   ui.Empty
	Children  []Clause
	Refs      ui.Table
	// Results are where the requirement stands in each assessment, for
	// readers who may see assessments and when there are any.
	Results *ui.Table
	// Evidence is what shows the requirement is met, with how fresh each
	// item is, for readers who may see evidence; AddEvidence leads to
	// the form for more, for those who may add it.
	Evidence    *ui.Table
	AddEvidence *ui.Action
	// Risks are the risks and opportunities that name the requirement,
	// for readers who may see risks.
	Risks   *ui.Table
	Prev    *Clause
	Next    *Clause
	History []web.HistoryEntry
}

// GuidancePart is one part of the guidance, with its heading; ID names
// its section the same in every language.
type GuidancePart struct {
	ID, Icon, Heading, Text string
}

func (pg *pages) requirement(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), rq.Auth.Actor
	req, err := pg.c.GetRequirement(ctx, actor, id)
	if err != nil {
		return err
	}
	f, err := pg.c.GetFramework(ctx, actor, req.FrameworkID)
	if err != nil {
		return err
	}
	all, err := pg.c.Tree(ctx, actor, f.ID)
	if err != nil {
		return err
	}
	page := RequirementPage{Base: rq.Base, Showing: "details",
		NoGuide: ui.Empty{Icon: "info-circle", Title: "No guidance", Text: "The file this framework was loaded from gives no guidance on this requirement."}}
	page.Title = req.Label()
	page.Subtitle = rq.T("Requirement %s", sms.RequirementKind.Number(req.ID)) + " · " + f.Name
	// The breadcrumbs walk down the tree to this requirement.
	byID := map[int64]sms.Requirement{}
	at := -1
	for i, x := range all {
		byID[x.ID] = x
		if x.ID == req.ID {
			at = i
		}
	}
	var up []ui.Crumb
	for p := req.ParentID; p != nil; {
		parent, ok := byID[*p]
		if !ok {
			break
		}
		up = append([]ui.Crumb{{Label: parent.Code + " " + parent.Title, Href: requirementHref(parent.ID)}}, up...)
		p = parent.ParentID
	}
	page.Crumbs = crumbs(append([]ui.Crumb{{Label: f.Name, Href: frameworkHref(f.ID)}}, up...)...)
	if at > 0 {
		prev := all[at-1]
		page.Prev = &Clause{Code: prev.Code, Title: prev.Title, Href: requirementHref(prev.ID)}
	}
	if at >= 0 && at+1 < len(all) {
		next := all[at+1]
		page.Next = &Clause{Code: next.Code, Title: next.Title, Href: requirementHref(next.ID)}
	}
	here := requirementHref(req.ID)
	if page.History, err = pg.p.RecordHistory(ctx, actor, sms.RequirementKind.Entity, req.ID); err != nil {
		return err
	}
	if r.URL.Query().Get("tab") == "history" {
		page.Showing = "history"
	} else {
		for _, part := range []GuidancePart{
			{ID: "plain", Icon: "info-circle", Heading: rq.T("In plain terms"), Text: req.Plain},
			{ID: "auditor", Icon: "eye", Heading: rq.T("What an auditor looks for"), Text: req.Auditor},
			{ID: "evidence", Icon: "file-text", Heading: rq.T("Typical evidence"), Text: req.Evidence},
		} {
			if part.Text != "" {
				page.Guidance = append(page.Guidance, part)
			}
		}
		page.Questions = req.QuestionList()
		for _, x := range all {
			if x.ParentID != nil && *x.ParentID == req.ID {
				page.Children = append(page.Children, Clause{Code: x.Code, Title: x.Title, Href: requirementHref(x.ID)})
			}
		}
		xs, err := pg.c.CrossReferences(ctx, actor, req.ID)
		if err != nil {
			return err
		}
		page.Refs = ui.Table{ID: "cross-references", Caption: rq.T("Cross-references of %s", req.Code),
			Columns: []ui.Column{{Label: "Requirement", Key: true}, {Label: "Framework"}, {Label: "Relation"}, {Label: "Note"}},
			Empty: ui.Empty{Icon: "copy", Title: "No cross-references",
				Text: "When a framework such as ISO/IEC 27001 or ISO 9001 is loaded with cross-references to this requirement, they appear here, so that one piece of work or evidence can serve both."}}
		for _, x := range xs {
			href := requirementHref(x.Other.ID)
			rel := rq.L.Lookup(x.Relation.Label())
			if !x.Outgoing {
				rel = rq.T("%s (from %s)", rel, x.OtherFramework.Name)
			}
			page.Refs.Rows = append(page.Refs.Rows, ui.Row{Href: href, Cells: []ui.Value{
				ui.Linked(x.Other.Label(), href), ui.Linked(x.OtherFramework.Name, frameworkHref(x.OtherFramework.ID)), ui.Text(rel), ui.Text(x.Note)}})
		}
	}
	if page.Showing == "details" && actor.Can(sms.EvidenceKind.Read) {
		if page.Evidence, page.AddEvidence, err = pg.requirementEvidence(r, rq, req); err != nil {
			return err
		}
	}
	if page.Showing == "details" && actor.Can(sms.RiskKind.Read) {
		if page.Risks, err = pg.requirementRisks(r, rq, req); err != nil {
			return err
		}
	}
	if page.Showing == "details" && actor.Can(sms.ResultKind.Read) {
		if page.Results, err = pg.requirementResults(r, rq, req); err != nil {
			return err
		}
	}
	page.Tabs = []ui.Tab{{Label: "Guidance", Href: here, Current: page.Showing == "details"},
		{Label: "History", Href: here + "?tab=history", Current: page.Showing == "history", Count: len(page.History)}}
	return pg.p.Render(w, r, http.StatusOK, "sms/requirement", page)
}

// requirementResults is where a requirement stands in each assessment,
// newest first; nil when no assessment covers it.
func (pg *pages) requirementResults(r *http.Request, rq *web.Request, req sms.Requirement) (*ui.Table, error) {
	ctx, actor := r.Context(), rq.Auth.Actor
	rs, _, err := pg.c.ListResults(ctx, actor, store.ResultFilter{RequirementID: req.ID, Limit: store.MaxLimit})
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	ids := make([]int64, len(rs))
	for i, x := range rs {
		ids[i] = x.AssessmentID
	}
	names, err := pg.p.App().Names(ctx, actor, sms.AssessmentKind.Entity, ids)
	if err != nil {
		return nil, err
	}
	t := &ui.Table{ID: "results", Caption: "Assessments",
		Columns: []ui.Column{{Label: "Assessment", Key: true}, {Label: "Status"}, {Label: "Maturity", Numeric: true}}}
	for _, x := range slices.Backward(rs) {
		href := resultHref(x.ID)
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(names[x.AssessmentID], href),
			{Badges: []ui.Badge{statusBadge(x.Status)}}, ui.Text(strconv.FormatInt(x.Maturity, 10))}})
	}
	return t, nil
}

// requirementRisks lists the risks and opportunities that name a
// requirement, with their rating on the scales in force.
func (pg *pages) requirementRisks(r *http.Request, rq *web.Request, req sms.Requirement) (*ui.Table, error) {
	ctx, actor := r.Context(), rq.Auth.Actor
	rs, _, err := pg.c.ListRisks(ctx, actor, smsapp.RiskQuery{RiskFilter: store.RiskFilter{RequirementID: req.ID, Limit: store.MaxLimit}})
	if err != nil {
		return nil, err
	}
	scales, err := pg.c.RiskScales(ctx, actor)
	if err != nil {
		return nil, err
	}
	t := &ui.Table{ID: "requirement-risks", Caption: "Risks and opportunities naming this requirement",
		Columns: []ui.Column{{Label: "Risk", Key: true}, {Label: "Inherent"}, {Label: "Residual"}, {Label: "Treatment"}, {Label: "State"}},
		Empty: ui.Empty{Icon: "alert-triangle", Title: "No risks name this requirement",
			Text: "A risk or opportunity that bears on how this requirement is met names it in its form; it then shows here."}}
	for _, x := range rs {
		href := fmt.Sprintf("%s/%d", risksPath(), x.ID)
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(x.Title, href),
			{Badges: []ui.Badge{scoreBadge(scales, x.InherentScore())}}, {Badges: []ui.Badge{scoreBadge(scales, x.ResidualScore())}},
			ui.Text(label(sms.RiskTreatments, x.Treatment)), {Badges: []ui.Badge{riskStateBadge(x.State)}}}})
	}
	return t, nil
}
