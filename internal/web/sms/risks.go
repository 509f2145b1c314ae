package sms

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/i18n"
	"github.com/conform-itsm/conform/internal/web/ui"
)

func risksPath() string { return "/" + sms.RiskKind.Path() }

// bandTone colours a band, from green (low) to red (critical); the band's
// name always goes with it.
func bandTone(band string) ui.Tone {
	return map[string]ui.Tone{"low": ui.Success, "medium": ui.Warning, "high": ui.Tone("orange"), "critical": ui.Danger}[band]
}

// scoreBadge says a score and its band in words ("12 · High").
func scoreBadge(s sms.RiskScales, score int64) ui.Badge {
	band := s.Band(score)
	return ui.Badge{Text: fmt.Sprintf("%d · %s", score, label(sms.RiskBands, band)), Tone: bandTone(band)}
}

// levelOptions are a scale's levels to choose from.
func levelOptions(levels []sms.RiskLevel, chosen int64, none string) []ui.Option {
	var out []ui.Option
	switch {
	case none != "":
		out = append(out, ui.Option{Value: "", Label: none, Selected: chosen == 0})
	case chosen == 0:
		// A rating is required: nothing is chosen for people unawares.
		out = append(out, ui.Option{Value: "", Label: "Choose a level", Selected: true})
	}
	for i := range levels {
		n := int64(i + 1)
		out = append(out, ui.Option{Value: strconv.FormatInt(n, 10), Label: sms.RiskLevelLabel(levels, n), Selected: n == chosen})
	}
	return out
}

func riskReviewValue(r sms.Risk) ui.Value {
	if r.ReviewOn == "" {
		return ui.Value{Empty: "No review day"}
	}
	v := ui.Text(r.ReviewOn)
	if d, err := time.Parse(time.DateOnly, r.ReviewOn); err == nil {
		v = ui.Value{Day: d}
	}
	if r.ReviewOverdue(time.Now().UTC().Format(time.DateOnly)) {
		v.Badges = []ui.Badge{{Text: "Review overdue", Tone: ui.Danger}}
	}
	return v
}

func riskStateBadge(state string) ui.Badge {
	if state == "closed" {
		return ui.Badge{Text: "Closed", Tone: ui.Neutral}
	}
	return ui.Badge{Text: "Open", Tone: ui.Info}
}

// riskFilter reads the list's filters (also the matrix's links) from a
// query.
func riskFilter(q url.Values, actor access.Actor) smsapp.RiskQuery {
	f := store.RiskFilter{Query: q.Get("q"), Category: q.Get("category"), Treatment: q.Get("treatment"), Kind: q.Get("kind"),
		Residual: q.Get("basis") == "residual"}
	switch st := q.Get("state"); st {
	case "":
		f.State = "open"
	case "all":
	default:
		f.State = st
	}
	if q.Get("owner") == "mine" {
		f.OwnerID = actor.UserID
	}
	f.Likelihood, _ = strconv.ParseInt(q.Get("likelihood"), 10, 64)
	f.Impact, _ = strconv.ParseInt(q.Get("impact"), 10, 64)
	if q.Get("review") == "overdue" {
		f.ReviewBefore = time.Now().UTC().Format(time.DateOnly)
	}
	band := q.Get("band")
	if _, _, ok := sms.DefaultRiskScales().BandRange(band); !ok {
		band = ""
	}
	return smsapp.RiskQuery{RiskFilter: f, Band: band}
}

// riskPages are the register's pages, on the shared Resource.
func riskPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Risk, *sms.Risk] {
	scales := func(ctx context.Context, actor access.Actor) sms.RiskScales {
		s, err := c.RiskScales(ctx, actor)
		if err != nil {
			return sms.DefaultRiskScales()
		}
		return s
	}
	// The list reads the scales in force once per page and its columns
	// show the bands on them; atomic, as pages are drawn concurrently.
	var listScales atomic.Pointer[sms.RiskScales]
	shown := func() sms.RiskScales {
		if s := listScales.Load(); s != nil {
			return *s
		}
		return sms.DefaultRiskScales()
	}
	return web.Resource[sms.Risk, *sms.Risk]{
		Kind:     sms.RiskKind,
		Subtitle: "What could harm the services or the SMS, and what could improve them: each rated for likelihood and impact before and after its treatment, with an owner and a day to review it.",
		Empty: ui.Empty{Icon: "alert-triangle", Title: "No risks or opportunities yet",
			Text: "Start with what worries you most about your services: a supplier you depend on, a skill only one person has, a system near its capacity. Rate each, choose its treatment and name its owner."},
		Columns: []web.Column[sms.Risk]{
			{Column: ui.Column{Label: "Title", Key: true, Sort: "text"}, Value: func(r sms.Risk) ui.Value {
				v := ui.Text(r.Title)
				v.Note = sms.RiskKind.Number(r.ID) + " · " + label(sms.RiskCategories, r.Category)
				if r.Kind == "opportunity" {
					v.Badges = []ui.Badge{{Text: "Opportunity", Tone: ui.Accent}}
				}
				return v
			}},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(r sms.Risk) int64 { return r.OwnerID }},
			{Column: ui.Column{Label: "Inherent", Sort: "number"}, Value: func(r sms.Risk) ui.Value {
				return ui.Value{Badges: []ui.Badge{scoreBadge(shown(), r.InherentScore())}}
			}},
			{Column: ui.Column{Label: "Residual", Sort: "number"}, Value: func(r sms.Risk) ui.Value {
				return ui.Value{Badges: []ui.Badge{scoreBadge(shown(), r.ResidualScore())}}
			}},
			{Column: ui.Column{Label: "Treatment", Sort: "text"}, Value: func(r sms.Risk) ui.Value { return ui.Text(label(sms.RiskTreatments, r.Treatment)) }},
			{Column: ui.Column{Label: "Review by", Sort: "time"}, Value: riskReviewValue},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(r sms.Risk) ui.Value { return ui.Value{Badges: []ui.Badge{riskStateBadge(r.State)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			s := shown()
			withAny := func(lbl string, codes []sms.Code) []sms.Code {
				return append([]sms.Code{{Code: "", Label: lbl}}, codes...)
			}
			lvl, _ := strconv.ParseInt(q.Get("likelihood"), 10, 64)
			imp, _ := strconv.ParseInt(q.Get("impact"), 10, 64)
			return []ui.Field{
				{Name: "state", Label: "State", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Open"}, {Code: "closed", Label: "Closed"}, {Code: "all", Label: "Any state"}}, q.Get("state"))},
				{Name: "category", Label: "Category", Type: "select", Options: choices(withAny("Any category", sms.RiskCategories), q.Get("category"))},
				{Name: "treatment", Label: "Treatment", Type: "select", Options: choices(withAny("Any treatment", sms.RiskTreatments), q.Get("treatment"))},
				{Name: "owner", Label: "Owner", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Anyone"}, {Code: "mine", Label: "Mine"}}, q.Get("owner"))},
				{Name: "basis", Label: "Rating", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Inherent"}, {Code: "residual", Label: "Residual"}}, q.Get("basis")),
					Help: "Whether band, likelihood and impact apply to the rating before or after treatment."},
				{Name: "band", Label: "Band", Type: "select", Options: choices(withAny("Any band", sms.RiskBands), q.Get("band"))},
				{Name: "likelihood", Label: "Likelihood", Type: "select", Options: levelOptions(s.Likelihood, lvl, "Any likelihood")},
				{Name: "impact", Label: "Impact", Type: "select", Options: levelOptions(s.Impact, imp, "Any impact")},
				{Name: "review", Label: "Review", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Any review day"}, {Code: "overdue", Label: "Review overdue"}}, q.Get("review"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Risk, string, error) {
			s := scales(ctx, actor)
			listScales.Store(&s)
			rq := riskFilter(q, actor)
			rq.Cursor = cursor
			return c.ListRisks(ctx, actor, rq)
		},
		ListActions: []ui.Action{
			{Label: "Risk matrix", Icon: "table", Href: risksPath() + "/matrix"},
			{Label: "Scales", Icon: "settings", Href: "/" + sms.RiskScaleKind.Path()},
		},
		Get:  c.GetRisk,
		Name: func(r sms.Risk) string { return r.Title },
		Badges: func(r sms.Risk) []ui.Badge {
			b := []ui.Badge{riskStateBadge(r.State)}
			if r.Kind == "opportunity" {
				b = append(b, ui.Badge{Text: "Opportunity", Tone: ui.Accent})
			}
			if r.ReviewOverdue(time.Now().UTC().Format(time.DateOnly)) {
				b = append(b, ui.Badge{Text: "Review overdue", Tone: ui.Danger})
			}
			return b
		},
		Details: func(ctx context.Context, rq *web.Request, r sms.Risk) []ui.Item {
			actor := rq.Auth.Actor
			s := scales(ctx, actor)
			accepted := ui.Value{Empty: "Not accepted"}
			if r.AcceptedBy != nil {
				accepted = p.Ref(ctx, actor, account.UserKind.Entity, *r.AcceptedBy)
				if d, err := time.Parse(time.DateOnly, r.AcceptedOn); err == nil {
					accepted.Note = rq.T("on %s", rq.L.Date(d))
				}
			}
			rating := func(l, i int64) ui.Value {
				v := ui.Value{Badges: []ui.Badge{scoreBadge(s, sms.RiskScore(l, i))}}
				v.Note = rq.T("Likelihood %s × impact %s", rq.L.Lookup(sms.RiskLevelLabel(s.Likelihood, l)), rq.L.Lookup(sms.RiskLevelLabel(s.Impact, i)))
				return v
			}
			items := []ui.Item{
				{Label: "Risk or opportunity", Help: "A risk could harm the services or the SMS; an opportunity could improve them.", Value: ui.Text(rq.L.Lookup(label(sms.RiskKinds, r.Kind)))},
				{Label: "Category", Value: ui.Text(rq.L.Lookup(label(sms.RiskCategories, r.Category)))},
				{Label: "Owner", Help: "The one person who answers for the risk and its treatment.", Value: p.Ref(ctx, actor, account.UserKind.Entity, r.OwnerID)},
				{Label: "Description", Value: ui.Value{Text: r.Description, Long: true, Empty: "Not written yet"}},
				{Label: "Inherent rating", Help: sms.RiskInherentHelp, Value: rating(r.Likelihood, r.Impact)},
				{Label: "Treatment", Help: sms.RiskTreatmentHelp, Value: ui.Text(rq.L.Lookup(label(sms.RiskTreatments, r.Treatment)))},
				{Label: "Residual rating", Help: sms.RiskResidualHelp, Value: rating(r.ResidualLikelihood, r.ResidualImpact)},
				{Label: "Accepted by", Help: sms.RiskAcceptedHelp, Value: accepted},
				{Label: "Review by", Help: sms.RiskReviewHelp, Value: riskReviewValue(r)},
			}
			for _, l := range []struct {
				label, help, entity string
				ids                 []int64
			}{
				{"Services", "The services it could affect.", sms.ServiceKind.Entity, r.ServiceIDs},
				{"Requirements", "The requirements of the standard it bears on.", sms.RequirementKind.Entity, r.RequirementIDs},
			} {
				items = append(items, ui.Item{Label: l.label, Help: l.help, Value: refList(ctx, p, actor, l.entity, l.ids, "None")})
			}
			return items
		},
		Related: func(ctx context.Context, rq *web.Request, r sms.Risk) ([]web.Section, error) {
			return riskActions(ctx, c, rq, r)
		},
		Fields: func(fc web.FormContext, r sms.Risk) ([]ui.Field, error) {
			return riskFields(p, c, fc, r)
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Risk, error) {
			return c.CreateRisk(ctx, actor, riskInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Risk, error) {
			in := riskInput(f)
			by := int64(0)
			if in.AcceptedBy != nil {
				by = *in.AcceptedBy
			}
			return c.UpdateRisk(ctx, actor, id, version, sms.RiskUpdate{Title: &in.Title, Description: &in.Description, Category: &in.Category, Kind: &in.Kind,
				Treatment: &in.Treatment, AcceptedOn: &in.AcceptedOn, ReviewOn: &in.ReviewOn, State: &in.State, OwnerID: &in.OwnerID, AcceptedBy: &by,
				Likelihood: &in.Likelihood, Impact: &in.Impact, ResidualLikelihood: &in.ResidualLikelihood, ResidualImpact: &in.ResidualImpact,
				ServiceIDs: &in.ServiceIDs, RequirementIDs: &in.RequirementIDs})
		},
		Delete: c.DeleteRisk,
		DeleteText: func(sms.Risk) string {
			return "It leaves the register and the matrix; its history stays in the audit trail. Closing it instead keeps it on record. A risk that treatment actions come from cannot be deleted."
		},
	}
}

// riskInput reads a risk's form.
func riskInput(f url.Values) sms.RiskInput {
	num := func(name string) int64 {
		n, err := strconv.ParseInt(f.Get(name), 10, 64)
		if err != nil && f.Get(name) != "" {
			return -1
		}
		return n
	}
	by := num("accepted_by")
	return sms.RiskInput{Title: f.Get("title"), Description: f.Get("description"), Category: f.Get("category"), Kind: f.Get("kind"),
		Treatment: f.Get("treatment"), AcceptedOn: f.Get("accepted_on"), ReviewOn: f.Get("review_on"), State: f.Get("state"),
		OwnerID: num("owner_id"), AcceptedBy: &by, Likelihood: num("likelihood"), Impact: num("impact"),
		ResidualLikelihood: num("residual_likelihood"), ResidualImpact: num("residual_impact"),
		ServiceIDs: ids(f, "service_ids"), RequirementIDs: ids(f, "requirement_ids")}
}

// riskFields are a risk's form: ratings chosen on the scales in force,
// services and requirements as boxes to tick.
func riskFields(p *web.Pages, c *smsapp.Catalogue, fc web.FormContext, r sms.Risk) ([]ui.Field, error) {
	s, err := c.RiskScales(fc.Ctx, fc.Actor)
	if err != nil {
		return nil, err
	}
	owner := r.OwnerID
	if fc.Creating && owner == 0 {
		owner = fc.Actor.UserID
	}
	var acceptor int64
	if r.AcceptedBy != nil {
		acceptor = *r.AcceptedBy
	}
	if fc.Posted != nil {
		owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
		acceptor, _ = strconv.ParseInt(fc.Posted.Get("accepted_by"), 10, 64)
	}
	owners, err := p.UserPicker(fc, "owner_id", "Owner", owner, access.RisksRead)
	if err != nil {
		return nil, err
	}
	owners.Help, owners.Required = "The one person who answers for the risk and its treatment.", true
	acceptors, err := p.UserPicker(fc, "accepted_by", "Accepted by", acceptor, access.RisksAccept)
	if err != nil {
		return nil, err
	}
	acceptors.Options = append([]ui.Option{{Value: "", Label: "Not accepted", Selected: acceptor == 0}}, acceptors.Options...)
	acceptors.Help = sms.RiskAcceptedHelp + " " + fc.L.Lookup("Only an SMS manager, a member of top management or an administrator may accept a risk.")
	has := func(list []int64) func(int64) bool { return func(id int64) bool { return slices.Contains(list, id) } }
	svcs, _, err := c.ListServices(fc.Ctx, fc.Actor, store.ServiceFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var services []ui.Option
	for _, v := range svcs {
		services = append(services, ui.Option{Value: strconv.FormatInt(v.ID, 10), Label: v.Name, Selected: has(r.ServiceIDs)(v.ID)})
	}
	var reqs []ui.Option
	fws, _, err := c.ListFrameworks(fc.Ctx, fc.Actor, store.FrameworkFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, fw := range fws {
		if !fw.BuiltIn() {
			continue
		}
		tree, err := c.Tree(fc.Ctx, fc.Actor, fw.ID)
		if err != nil {
			return nil, err
		}
		for _, q := range tree {
			reqs = append(reqs, ui.Option{Value: strconv.FormatInt(q.ID, 10), Label: q.Label(), Selected: has(r.RequirementIDs)(q.ID)})
		}
	}
	category, kind, treatment, state := or(r.Category, ""), or(r.Kind, "risk"), or(r.Treatment, "mitigate"), or(r.State, "open")
	level := func(name, lbl, help string, levels []sms.RiskLevel, v int64, none string) ui.Field {
		return ui.Field{Name: name, Label: lbl, Type: "select", Help: help, Required: none == "", Options: levelOptions(levels, v, none)}
	}
	fields := []ui.Field{
		{Name: "title", Label: "Title", Value: r.Title, Required: true, Help: "What could happen, in a line: the event and what it would do."},
		{Name: "kind", Label: "Risk or opportunity", Type: "radios", Value: kind, Options: choices(sms.RiskKinds, kind),
			Help: "A risk could harm the services or the SMS; an opportunity could improve them."},
		{Name: "category", Label: "Category", Type: "select", Value: category, Required: true,
			Options: choices(append([]sms.Code{{Code: "", Label: "Choose a category"}}, sms.RiskCategories...), category)},
		owners,
		{Name: "description", Label: "Description", Type: "textarea", Rows: 4, Value: r.Description, Help: "Its causes and its consequences, and the controls already in place."},
		level("likelihood", "Likelihood", sms.RiskInherentHelp, s.Likelihood, r.Likelihood, ""),
		level("impact", "Impact", "How much it would matter if it happened, on the impact scale.", s.Impact, r.Impact, ""),
		{Name: "treatment", Label: "Treatment", Type: "select", Value: treatment, Options: choices(sms.RiskTreatments, treatment), Help: sms.RiskTreatmentHelp},
		level("residual_likelihood", "Residual likelihood", sms.RiskResidualHelp, s.Likelihood, r.ResidualLikelihood, "Same as inherent"),
		level("residual_impact", "Residual impact", "The impact expected once the treatment is in place.", s.Impact, r.ResidualImpact, "Same as inherent"),
		acceptors,
		{Name: "accepted_on", Label: "Accepted on", Type: "date", Value: r.AcceptedOn, Help: "The day the acceptance was given; required with an acceptor."},
		{Name: "review_on", Label: "Review by", Type: "date", Value: r.ReviewOn, Help: sms.RiskReviewHelp},
		{Name: "state", Label: "State", Type: "select", Value: state, Options: choices(sms.RiskStates, state), Help: "Close a risk that no longer applies; it stays on record."},
		{Name: "service_ids", Label: "Services", Type: "checkboxes", Options: services, Help: "The services it could affect. Add services first to choose them here."},
		{Name: "requirement_ids", Label: "Requirements", Type: "checkboxes", Options: reqs, Help: "The requirements of the standard it bears on."},
	}
	return fields, nil
}

// riskActions is the risk's treatment actions, and the way to add one.
func riskActions(ctx context.Context, c *smsapp.Catalogue, rq *web.Request, r sms.Risk) ([]web.Section, error) {
	actor := rq.Auth.Actor
	if !actor.Can(sms.ActionKind.Read) {
		return nil, nil
	}
	as, err := c.ActionsFrom(ctx, actor, sms.RiskKind.Entity, r.ID)
	if err != nil {
		return nil, err
	}
	s := web.Section{Title: "Treatment actions", Help: "The actions that carry out the risk's treatment, each with its owner and due day."}
	newHref := fmt.Sprintf("/%s/new?source=risk&%s=%d", sms.ActionKind.Path(), sourceField("risk"), r.ID)
	if len(as) == 0 {
		s.Empty = &ui.Empty{Icon: "list-details", Title: "No treatment actions yet",
			Text: "Add the actions that will lower the risk, each with an owner and a due day; they show here and in the list of actions."}
		if actor.Can(sms.ActionKind.Write) {
			s.Empty.Action = &ui.Action{Label: "Add a treatment action", Icon: "plus", Href: newHref}
		}
		return []web.Section{s}, nil
	}
	t := &ui.Table{Caption: "Treatment actions", Columns: []ui.Column{{Label: "Action", Key: true}, {Label: "Due on"}, {Label: "State"}}}
	for _, a := range as {
		t.Rows = append(t.Rows, ui.Row{Href: fmt.Sprintf("/%s/%d", sms.ActionKind.Path(), a.ID),
			Cells: []ui.Value{{Text: a.Title, Href: fmt.Sprintf("/%s/%d", sms.ActionKind.Path(), a.ID)}, dueValue(a), {Badges: []ui.Badge{stateBadge(a.State)}}}})
	}
	s.Table = t
	if actor.Can(sms.ActionKind.Write) {
		s.Actions = []ui.Action{{Label: "Add a treatment action", Icon: "plus", Href: newHref}}
	}
	return []web.Section{s}, nil
}

// matrixCell is one cell of the risk matrix page.
type matrixCell struct {
	Count       int
	Href        string
	Band, Score string
	Tone        ui.Tone
}

// matrixRow is a likelihood level's row, highest first.
type matrixRow struct {
	Label, Description string
	Cells              []matrixCell
}

// RiskMatrixPage is the risk matrix.
type RiskMatrixPage struct {
	web.Base
	Residual                   bool
	InherentHref, ResidualHref string
	Impacts                    []string
	Rows                       []matrixRow
	Legend                     []ui.Badge
	Total                      int
	ListHref                   string
}

// riskMatrix draws the open risks by likelihood and impact, inherent or
// residual, each count leading to the list of those risks.
func riskMatrix(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		residual := r.URL.Query().Get("basis") == "residual"
		m, err := c.RiskMatrix(r.Context(), rq.Auth.Actor, store.RiskFilter{State: "open", Residual: residual})
		if err != nil {
			return err
		}
		page := RiskMatrixPage{Base: rq.Base, Residual: residual, Total: m.Total,
			InherentHref: risksPath() + "/matrix", ResidualHref: risksPath() + "/matrix?basis=residual", ListHref: risksPath()}
		for i := range m.Scales.Impact {
			page.Impacts = append(page.Impacts, sms.RiskLevelLabel(m.Scales.Impact, int64(i+1)))
		}
		page.Title = "Risk matrix"
		page.Subtitle = "The open risks and opportunities by likelihood and impact. Open a count to see the risks in that cell."
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.RiskKind.Plural, Href: risksPath()}}
		if rq.Auth.Actor.Can(sms.RiskKind.Write) {
			page.Actions = []ui.Action{{Label: "New risk", Icon: "plus", Href: risksPath() + "/new"}}
		}
		for _, b := range sms.RiskBands {
			lo, hi, _ := m.Scales.BandRange(b.Code)
			if hi < lo {
				continue
			}
			page.Legend = append(page.Legend, ui.Badge{Text: rq.T("%s: %d to %d", rq.L.Lookup(b.Label), lo, hi), Tone: bandTone(b.Code)})
		}
		for l := len(m.Scales.Likelihood); l >= 1; l-- {
			lv := m.Scales.Likelihood[l-1]
			row := matrixRow{Label: sms.RiskLevelLabel(m.Scales.Likelihood, int64(l)), Description: lv.Description}
			for i := 1; i <= len(m.Scales.Impact); i++ {
				score := sms.RiskScore(int64(l), int64(i))
				band := m.Scales.Band(score)
				q := url.Values{"likelihood": {strconv.Itoa(l)}, "impact": {strconv.Itoa(i)}}
				if residual {
					q.Set("basis", "residual")
				}
				row.Cells = append(row.Cells, matrixCell{Count: m.Counts[l-1][i-1], Href: risksPath() + "?" + q.Encode(),
					Band: label(sms.RiskBands, band), Score: strconv.FormatInt(score, 10), Tone: bandTone(band)})
			}
			page.Rows = append(page.Rows, row)
		}
		return p.Render(w, r, http.StatusOK, "sms/risk_matrix", page)
	}
}

// scaleView is a scale as the scales page shows it.
type scaleView struct {
	Name, Title string
	Levels      []levelView
}

// levelView is a level with its number.
type levelView struct {
	N                  int
	Label, Description string
}

func levelViews(ls []sms.RiskLevel) []levelView {
	out := make([]levelView, len(ls))
	for i, l := range ls {
		out[i] = levelView{i + 1, l.Label, l.Description}
	}
	return out
}

// RiskScalesPage shows the scales and, to those who may, the form that
// changes them.
type RiskScalesPage struct {
	web.Base
	Scales []scaleView
	Bands  []ui.Badge
	Form   *ui.Form
}

// scalesFields are the scales' form: for each scale, how many levels and
// each level's label and description; then the bands.
func scalesFields(l *i18n.Locale, s sms.RiskScales) []ui.Field {
	var out []ui.Field
	for _, sc := range []struct {
		name, title string
		levels      []sms.RiskLevel
	}{{"likelihood", "Likelihood", s.Likelihood}, {"impact", "Impact", s.Impact}} {
		n := strconv.Itoa(len(sc.levels))
		var opts []ui.Option
		for k := sms.MinRiskLevels; k <= sms.MaxRiskLevels; k++ {
			opts = append(opts, ui.Option{Value: strconv.Itoa(k), Label: strconv.Itoa(k), Selected: strconv.Itoa(k) == n})
		}
		out = append(out, ui.Field{Name: sc.name, Label: l.T("%s: number of levels", l.Lookup(sc.title)), Type: "select", Value: n, Options: opts,
			Help: "From 3 to 5. Levels above the number chosen are ignored; a level risks are rated on cannot be removed."})
		for k := 1; k <= sms.MaxRiskLevels; k++ {
			var lv sms.RiskLevel
			if k <= len(sc.levels) {
				lv = sc.levels[k-1]
			}
			out = append(out,
				ui.Field{Name: fmt.Sprintf("%s_%d_label", sc.name, k), Label: l.T("%s %d: label", l.Lookup(sc.title), k), Value: lv.Label},
				ui.Field{Name: fmt.Sprintf("%s_%d_description", sc.name, k), Label: l.T("%s %d: what it means", l.Lookup(sc.title), k), Value: lv.Description})
		}
	}
	return append(out,
		ui.Field{Name: "medium_from", Label: "Medium from score", Type: "number", Value: strconv.FormatInt(s.MediumFrom, 10), Required: true,
			Help: "Scores below it are low."},
		ui.Field{Name: "high_from", Label: "High from score", Type: "number", Value: strconv.FormatInt(s.HighFrom, 10), Required: true},
		ui.Field{Name: "critical_from", Label: "Critical from score", Type: "number", Value: strconv.FormatInt(s.CriticalFrom, 10), Required: true,
			Help: "At most the highest score the scales allow: the number of likelihood levels times the number of impact levels."})
}

// scalesInput reads the scales' form.
func scalesInput(f url.Values) sms.RiskScalesInput {
	var in sms.RiskScalesInput
	for _, sc := range []struct {
		name   string
		levels *[]sms.RiskLevel
	}{{"likelihood", &in.Likelihood}, {"impact", &in.Impact}} {
		n, _ := strconv.Atoi(f.Get(sc.name))
		n = min(n, sms.MaxRiskLevels)
		for k := 1; k <= n; k++ {
			*sc.levels = append(*sc.levels, sms.RiskLevel{Label: f.Get(fmt.Sprintf("%s_%d_label", sc.name, k)),
				Description: f.Get(fmt.Sprintf("%s_%d_description", sc.name, k))})
		}
	}
	num := func(name string) int64 {
		v, err := strconv.ParseInt(f.Get(name), 10, 64)
		if err != nil {
			return 0
		}
		return v
	}
	in.MediumFrom, in.HighFrom, in.CriticalFrom = num("medium_from"), num("high_from"), num("critical_from")
	return in
}

// riskScalesPage shows the scales, and saves them when posted.
func riskScalesPage(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		ctx, actor := r.Context(), rq.Auth.Actor
		render := func(status int, msg string, fields web.FieldErrors) error {
			s, err := c.RiskScales(ctx, actor)
			if err != nil {
				return err
			}
			page := RiskScalesPage{Base: rq.Base}
			page.Title = "Risk scales"
			page.Subtitle = "The likelihood and impact scales every risk is rated on, and the bands its score falls in. A score is likelihood times impact."
			page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.RiskKind.Plural, Href: risksPath()}}
			page.Scales = []scaleView{{"likelihood", "Likelihood", levelViews(s.Likelihood)}, {"impact", "Impact", levelViews(s.Impact)}}
			for _, b := range sms.RiskBands {
				if lo, hi, _ := s.BandRange(b.Code); hi >= lo {
					page.Bands = append(page.Bands, ui.Badge{Text: rq.T("%s: %d to %d", rq.L.Lookup(b.Label), lo, hi), Tone: bandTone(b.Code)})
				}
			}
			if actor.Can(sms.RiskScaleKind.Write) {
				f := &ui.Form{ID: "scales-form", Action: "/" + sms.RiskScaleKind.Path(), CSRF: rq.Base.CSRF, Submit: "Save scales", Message: msg,
					Fields: scalesFields(rq.L, s), Hidden: []ui.Hidden{{Name: "version", Value: strconv.FormatInt(s.Version, 10)}}}
				if r.Method == http.MethodPost {
					for i := range f.Fields {
						if v, ok := r.PostForm[f.Fields[i].Name]; ok && len(v) > 0 {
							f.Fields[i].Value = v[0]
							for j := range f.Fields[i].Options {
								f.Fields[i].Options[j].Selected = f.Fields[i].Options[j].Value == v[0]
							}
						}
					}
					if v := r.PostFormValue("version"); v != "" {
						f.Hidden = []ui.Hidden{{Name: "version", Value: v}}
					}
				}
				for _, m := range f.SetErrors(fields) {
					f.Message = fmt.Sprint(f.Message, " ", m)
				}
				page.Form = f
			}
			return p.Render(w, r, status, "sms/risk_scales", page)
		}
		if r.Method != http.MethodPost {
			return render(http.StatusOK, "", nil)
		}
		_, err := c.UpdateRiskScales(ctx, actor, web.FormInt(r, "version"), scalesInput(r.PostForm))
		return web.FormDone(w, r, err, "/"+sms.RiskScaleKind.Path()+"?done=saved", render)
	}
}

// registerRisks adds the register's pages, its matrix and its scales.
func registerRisks(p *web.Pages, c *smsapp.Catalogue, mux guard.Registrar) {
	p.Handle(mux, "GET "+risksPath()+"/matrix", sms.RiskKind.Read, riskMatrix(p, c))
	sk := sms.RiskScaleKind
	p.Handle(mux, "GET /"+sk.Path(), sk.Read, riskScalesPage(p, c))
	p.Handle(mux, "POST /"+sk.Path(), sk.Write, riskScalesPage(p, c))
	riskPages(p, c).Register(p, mux)
}
