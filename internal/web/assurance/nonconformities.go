package assurance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

func ncPath() string                           { return "/" + assurance.NonconformityKind.Path() }
func ncHref(id int64) string                   { return fmt.Sprintf("%s/%d", ncPath(), id) }
func deadlinesPath() string                    { return "/" + assurance.NCDeadlinesKind.Path() }
func todayUTC() string                         { return time.Now().UTC().Format(time.DateOnly) }
func lbl(codes []sms.Code, code string) string { return assurance.LabelOf(codes, code) }

func ncStateBadge(state string) ui.Badge {
	tone := map[string]ui.Tone{"open": ui.Warning, "corrected": ui.Info, "analysed": ui.Info, "verified": ui.Success, "closed": ui.Neutral}[state]
	return ui.Badge{Text: lbl(assurance.NCStates, state), Tone: tone}
}

func severityBadge(s string) ui.Badge {
	if s == "major" {
		return ui.Badge{Text: "Major", Tone: ui.Danger}
	}
	return ui.Badge{Text: "Minor", Tone: ui.Warning}
}

func dayOf(s string) ui.Value {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return ui.Value{Day: d}
	}
	return ui.Value{Text: s, Empty: "Not yet"}
}

// ncPages holds what the nonconformities' pages share.
type ncPages struct {
	p *web.Pages
	c *assuranceapp.Catalogue
}

// deadlines are the deadlines in force for a reader.
func (np ncPages) deadlines(ctx context.Context, actor access.Actor) assurance.NCDeadlines {
	d, err := np.c.NCDeadlines(ctx, actor)
	if err != nil {
		return assurance.DefaultNCDeadlines()
	}
	return d
}

// nextValue says what is due next and when, marked once past.
func nextValue(rq *web.Request, d assurance.NCDeadlines, n assurance.Nonconformity) ui.Value {
	dl := d.Next(n)
	if dl.On == "" {
		return ui.Value{Empty: "Nothing due"}
	}
	v := dayOf(dl.On)
	v.Note = map[string]string{"plan": "Correction and root cause", "close": "Corrective actions done, verified and closed"}[dl.What]
	if rq != nil {
		v.Note = rq.L.Lookup(v.Note)
	}
	if d.Overdue(n, todayUTC()) {
		v.Badges = []ui.Badge{{Text: "Overdue", Tone: ui.Danger}}
	}
	return v
}

// resource is the nonconformities' list, record, form and deletion.
func (np ncPages) resource() web.Resource[assurance.Nonconformity, *assurance.Nonconformity] {
	p, c := np.p, np.c
	k := assurance.NonconformityKind
	// The list reads the deadlines in force once per page; atomic, as
	// pages are drawn concurrently.
	var listDeadlines atomic.Pointer[assurance.NCDeadlines]
	shown := func() assurance.NCDeadlines {
		if d := listDeadlines.Load(); d != nil {
			return *d
		}
		return assurance.DefaultNCDeadlines()
	}
	return web.Resource[assurance.Nonconformity, *assurance.Nonconformity]{
		Kind:     k,
		Subtitle: "What does not meet a requirement of the standard, whoever found it: each corrected at once, its root cause found, corrective actions taken and checked for effect before it is closed.",
		Empty: ui.Empty{Icon: "alert-octagon", Title: "No nonconformities yet",
			Text: "Raise one for each requirement an audit, a complaint, an incident or your own monitoring found not met. Correct it, find its root cause, act on it and check that it worked."},
		Columns: []web.Column[assurance.Nonconformity]{
			{Column: ui.Column{Label: "Title", Key: true, Sort: "text"}, Value: func(n assurance.Nonconformity) ui.Value {
				v := ui.Text(n.Title)
				v.Note = k.Number(n.ID) + " · " + lbl(assurance.NCOrigins, n.Origin)
				if n.RecurrenceOf != 0 {
					v.Badges = []ui.Badge{{Text: "Recurring", Tone: ui.Danger}}
				}
				return v
			}},
			{Column: ui.Column{Label: "Severity", Sort: "text"}, Value: func(n assurance.Nonconformity) ui.Value {
				return ui.Value{Badges: []ui.Badge{severityBadge(n.Severity)}}
			}},
			{Column: ui.Column{Label: "Requirement", Sort: "text"}, Ref: sms.RequirementKind.Entity, RefID: func(n assurance.Nonconformity) int64 { return n.RequirementID }},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(n assurance.Nonconformity) int64 { return n.OwnerID }},
			{Column: ui.Column{Label: "Next due", Sort: "time"}, Value: func(n assurance.Nonconformity) ui.Value { return nextValue(nil, shown(), n) }},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(n assurance.Nonconformity) ui.Value { return ui.Value{Badges: []ui.Badge{ncStateBadge(n.State)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			any := func(l string, codes []sms.Code) []sms.Code { return append([]sms.Code{{Code: "", Label: l}}, codes...) }
			return []ui.Field{
				{Name: "state", Label: "State", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Not closed"}, {Code: "all", Label: "Any state"}}, assurance.NCStates...), q.Get("state"))},
				{Name: "severity", Label: "Severity", Type: "select", Options: choices(any("Any severity", assurance.Severities), q.Get("severity"))},
				{Name: "origin", Label: "Origin", Type: "select", Options: choices(any("Any origin", assurance.NCOrigins), q.Get("origin"))},
				{Name: "show", Label: "Show", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "All"}, {Code: "overdue", Label: "Overdue"}, {Code: "recurring", Label: "Recurring"}}, q.Get("show"))},
				{Name: "owner", Label: "Owner", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Anyone"}, {Code: "mine", Label: "Mine"}}, q.Get("owner"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.Nonconformity, string, error) {
			d := np.deadlines(ctx, actor)
			listDeadlines.Store(&d)
			overdue := q.Get("show") == "overdue" || q.Get("overdue") == "true"
			f := store.NonconformityFilter{Query: q.Get("q"), Cursor: cursor, Recurring: q.Get("show") == "recurring" || q.Get("recurring") == "true"}
			switch st := q.Get("state"); st {
			case "":
				f.Open = true
			case "all":
			default:
				f.State = st
			}
			if _, ok := codeIn(assurance.Severities, q.Get("severity")); ok {
				f.Severity = q.Get("severity")
			}
			if _, ok := codeIn(assurance.NCOrigins, q.Get("origin")); ok {
				f.Origin = q.Get("origin")
			}
			f.RequirementID, _ = strconv.ParseInt(q.Get("requirement"), 10, 64)
			if q.Get("owner") == "mine" {
				f.OwnerID = actor.UserID
			}
			return c.ListNonconformities(ctx, actor, assuranceapp.NCQuery{NonconformityFilter: f, Overdue: overdue})
		},
		ListActions: []ui.Action{
			{Label: "Overdue", Icon: "alert-triangle", Href: ncPath() + "?show=overdue"},
			{Label: "Deadlines", Icon: "settings", Href: deadlinesPath()},
		},
		Get:  c.GetNonconformity,
		Name: func(n assurance.Nonconformity) string { return n.Title },
		Badges: func(n assurance.Nonconformity) []ui.Badge {
			b := []ui.Badge{ncStateBadge(n.State), severityBadge(n.Severity)}
			if n.RecurrenceOf != 0 {
				b = append(b, ui.Badge{Text: "Recurring", Tone: ui.Danger})
			}
			return b
		},
		Details: func(ctx context.Context, rq *web.Request, n assurance.Nonconformity) []ui.Item {
			actor := rq.Auth.Actor
			src := ui.Value{Empty: "None"}
			if n.SourceEntity != "" {
				src = p.Ref(ctx, actor, n.SourceEntity, n.SourceID)
				if src.Text == "" {
					src = ui.Text(c.RefNumber(assurance.Ref{Entity: n.SourceEntity, ID: n.SourceID}))
				}
			}
			items := []ui.Item{
				{Label: "Severity", Help: assurance.NCSeverityHelp, Value: ui.Value{Badges: []ui.Badge{severityBadge(n.Severity)}}},
				{Label: "Origin", Help: assurance.NCOriginHelp, Value: ui.Text(rq.L.Lookup(lbl(assurance.NCOrigins, n.Origin)))},
				{Label: "Source record", Value: src},
				{Label: "Requirement", Help: "The requirement of the standard that is not met.", Value: p.Ref(ctx, actor, sms.RequirementKind.Entity, n.RequirementID)},
				{Label: "Owner", Help: "The one person who sees it through to closing.", Value: p.Ref(ctx, actor, account.UserKind.Entity, n.OwnerID)},
				{Label: "Raised on", Value: dayOf(n.RaisedOn)},
				{Label: "Next due", Help: "By the deadlines in force for its origin and severity.", Value: nextValue(rq, np.deadlines(ctx, actor), n)},
			}
			if n.RecurrenceOf != 0 {
				v := p.Ref(ctx, actor, assurance.NonconformityKind.Entity, n.RecurrenceOf)
				if v.Text == "" {
					v = ui.Text(k.Number(n.RecurrenceOf))
				}
				v.Badges = []ui.Badge{{Text: "Recurring", Tone: ui.Danger}}
				items = append(items, ui.Item{Label: "Recurrence of", Help: "An earlier nonconformity against the same requirement, raised in the twelve months before: the earlier corrective actions did not stop it coming back.", Value: v})
			}
			if n.ClosedOn != "" {
				items = append(items, ui.Item{Label: "Closed on", Value: dayOf(n.ClosedOn)})
			}
			return append(items, ui.Item{Label: "Description", Value: ui.Value{Text: n.Description, Long: true, Empty: "Not written"}})
		},
		Related: np.sections,
		Fields:  np.fields,
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.Nonconformity, error) {
			in, err := np.input(f)
			if err != nil {
				return assurance.Nonconformity{}, err
			}
			return c.CreateNonconformity(ctx, actor, in)
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.Nonconformity, error) {
			in, err := np.input(f)
			if err != nil {
				return assurance.Nonconformity{}, err
			}
			return c.UpdateNonconformity(ctx, actor, id, version, assurance.NonconformityUpdate{Title: &in.Title, Description: &in.Description,
				Severity: &in.Severity, Origin: &in.Origin, SourceEntity: &in.SourceEntity, SourceID: &in.SourceID, RaisedOn: &in.RaisedOn,
				RequirementID: &in.RequirementID, OwnerID: &in.OwnerID})
		},
		MayEdit:   func(n assurance.Nonconformity) bool { return !n.Closed() },
		Delete:    c.DeleteNonconformity,
		MayDelete: func(n assurance.Nonconformity) bool { return n.State == "open" },
		DeleteText: func(assurance.Nonconformity) string {
			return "It leaves every list; its history stays in the audit trail. Only an open nonconformity with no corrective action can be deleted."
		},
	}
}

func codeIn(codes []sms.Code, v string) (sms.Code, bool) {
	for _, c := range codes {
		if c.Code == v && v != "" {
			return c, true
		}
	}
	return sms.Code{}, false
}

// input reads a nonconformity's form; the source record is given by its
// number.
func (np ncPages) input(f url.Values) (assurance.NonconformityInput, error) {
	num := func(name string) int64 {
		n, err := strconv.ParseInt(f.Get(name), 10, 64)
		if err != nil && f.Get(name) != "" {
			return -1
		}
		return n
	}
	in := assurance.NonconformityInput{Title: f.Get("title"), Description: f.Get("description"), Severity: f.Get("severity"), Origin: f.Get("origin"),
		RaisedOn: f.Get("raised_on"), RequirementID: num("requirement_id"), OwnerID: num("owner_id")}
	refs, err := np.c.ParseRefs("source", f.Get("source"))
	if err != nil {
		return in, err
	}
	if len(refs) > 1 {
		return in, errs.Field("source", "names one record only")
	}
	if len(refs) == 1 {
		in.SourceEntity, in.SourceID = refs[0].Entity, refs[0].ID
	}
	return in, nil
}

// fields are a nonconformity's form.
func (np ncPages) fields(fc web.FormContext, n assurance.Nonconformity) ([]ui.Field, error) {
	owner := n.OwnerID
	if fc.Creating && owner == 0 {
		owner = fc.Actor.UserID
	}
	if fc.Posted != nil {
		owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
	}
	owners, err := np.p.UserPicker(fc, "owner_id", "Owner", owner, access.NonconformitiesRead)
	if err != nil {
		return nil, err
	}
	owners.Help, owners.Required = "The one person who sees it through to closing.", true
	reqs, err := np.c.Requirements(fc.Ctx, fc.Actor)
	if err != nil {
		return nil, err
	}
	req := n.RequirementID
	if fc.Creating && req == 0 {
		req, _ = strconv.ParseInt(fc.Query.Get("requirement_id"), 10, 64)
	}
	opts := []ui.Option{{Value: "", Label: "Choose a requirement", Selected: req == 0}}
	for _, r := range reqs {
		opts = append(opts, ui.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Label(), Selected: r.ID == req})
	}
	raised := n.RaisedOn
	if raised == "" {
		raised = todayUTC()
	}
	source := ""
	if n.SourceEntity != "" {
		source = np.c.RefNumber(assurance.Ref{Entity: n.SourceEntity, ID: n.SourceID})
	}
	severity, origin := n.Severity, n.Origin
	if origin == "" {
		origin = "internal_audit"
	}
	return []ui.Field{
		{Name: "title", Label: "Title", Value: n.Title, Required: true, Help: "What is not met, in a line."},
		{Name: "severity", Label: "Severity", Type: "radios", Value: severity, Options: choices(assurance.Severities, severity), Required: true, Help: assurance.NCSeverityHelp},
		{Name: "origin", Label: "Origin", Type: "select", Value: origin, Options: choices(assurance.NCOrigins, origin), Help: assurance.NCOriginHelp},
		{Name: "source", Label: "Source record", Value: source, Placeholder: "FND-000003",
			Help: "The number of the record it comes from, when there is one: an audit finding, a complaint, an incident."},
		{Name: "requirement_id", Label: "Requirement", Type: "select", Options: opts, Required: true, Help: "The requirement of the standard that is not met."},
		owners,
		{Name: "raised_on", Label: "Raised on", Type: "date", Value: raised, Required: true},
		{Name: "description", Label: "Description", Type: "textarea", Rows: 4, Value: n.Description, Help: "What was found, where, and the evidence of it."},
	}, nil
}

// stepAction is the button that takes the next step.
func stepAction(n assurance.Nonconformity, next string) *ui.Action {
	switch next {
	case "correction":
		return &ui.Action{Label: "Record the correction", Icon: "pencil", Href: ncHref(n.ID) + "/correction"}
	case "analysis":
		return &ui.Action{Label: "Analyse the root cause", Icon: "search", Href: ncHref(n.ID) + "/analysis"}
	case "actions":
		if n.State == "analysed" {
			return &ui.Action{Label: "Add a corrective action", Icon: "plus", Href: newActionHref(n.ID)}
		}
	case "verification":
		return &ui.Action{Label: "Verify effectiveness", Icon: "circle-check", Href: ncHref(n.ID) + "/verification"}
	case "closed":
		return &ui.Action{Label: "Close the nonconformity", Icon: "check", Href: ncHref(n.ID) + "/close"}
	}
	return nil
}

func newActionHref(id int64) string {
	return fmt.Sprintf("/%s/new?source=nonconformity&source_nonconformity=%d", sms.ActionKind.Path(), id)
}

// sections are the record's workflow, its steps as recorded and its
// corrective actions.
func (np ncPages) sections(ctx context.Context, rq *web.Request, n assurance.Nonconformity) ([]web.Section, error) {
	actor := rq.Auth.Actor
	var actions []sms.Action
	if actor.Can(sms.ActionKind.Read) {
		var err error
		if actions, err = np.c.CorrectiveActions(ctx, actor, n.ID); err != nil {
			return nil, err
		}
	}
	write := actor.Can(assurance.NonconformityKind.Write)
	d := np.deadlines(ctx, actor)
	plan, closeBy := d.Due(n)
	wf := web.Section{Title: "Workflow", Help: "Each step in order: what is done, and what is next."}
	steps := n.Steps(actions)
	next := n.NextStep(actions)
	for _, s := range steps {
		v := ui.Value{}
		switch {
		case s.Done:
			v.Badges = []ui.Badge{{Text: "Done", Tone: ui.Success}}
		case s.Current:
			v.Badges = []ui.Badge{{Text: "Next step", Tone: ui.Info}}
		default:
			v.Badges = []ui.Badge{{Text: "To do", Tone: ui.Neutral}}
		}
		switch s.Code {
		case "raised":
			v.Note = rq.T("On %s", rq.Day(n.RaisedOn))
		case "correction":
			if n.CorrectedOn != "" {
				v.Note = rq.T("On %s", rq.Day(n.CorrectedOn))
			}
		case "analysis":
			if s.Done {
				v.Note = rq.T("On %s", rq.Day(n.AnalysedOn))
			} else {
				v.Note = rq.T("Due by %s, with the correction", rq.Day(plan))
			}
		case "actions":
			done := 0
			for _, a := range actions {
				if a.State == "done" {
					done++
				}
			}
			v.Note = rq.T("%d of %d done", done, len(actions))
			if len(actions) == 0 {
				v.Note = rq.L.Lookup("None yet")
			}
		case "verification":
			if s.Done {
				v.Note = rq.T("On %s", rq.Day(n.VerifiedOn))
			} else if n.VerificationResult == "not_effective" {
				v.Note = rq.T("Found not effective on %s: root cause analysed again", rq.Day(n.VerifiedOn))
			}
		case "closed":
			if s.Done {
				v.Note = rq.T("On %s", rq.Day(n.ClosedOn))
			} else {
				v.Note = rq.T("Due by %s", rq.Day(closeBy))
			}
		}
		if d.Overdue(n, todayUTC()) && s.Current {
			v.Badges = append(v.Badges, ui.Badge{Text: "Overdue", Tone: ui.Danger})
		}
		wf.Items = append(wf.Items, ui.Item{Label: s.Label, Value: v})
	}
	if write && !n.Closed() {
		if a := stepAction(n, next); a != nil {
			wf.Actions = append(wf.Actions, *a)
		}
		if next != "closed" {
			wf.Actions = append(wf.Actions, ui.Action{Label: "Close", Icon: "check", Href: ncHref(n.ID) + "/close", Style: ui.Secondary})
		}
	}
	out := []web.Section{wf}
	if n.CorrectedOn != "" {
		s := web.Section{Title: "Correction", Items: []ui.Item{
			{Label: "What was done", Value: ui.Value{Text: n.Correction, Long: true}},
			{Label: "Corrected by", Value: np.userRef(ctx, actor, n.CorrectedBy)},
			{Label: "Corrected on", Value: dayOf(n.CorrectedOn)},
		}}
		if write && (n.State == "corrected") {
			s.Actions = []ui.Action{{Label: "Revise the correction", Icon: "pencil", Href: ncHref(n.ID) + "/correction", Style: ui.Secondary}}
		}
		out = append(out, s)
	}
	if n.AnalysedOn != "" {
		s := web.Section{Title: "Root cause analysis", Help: assurance.NCCauseHelp}
		if n.CauseMethod == "five_whys" {
			for i, w := range n.Whys {
				s.Items = append(s.Items, ui.Item{Label: rq.T("Why %d", i+1), Value: ui.Text(w)})
			}
		} else {
			s.Items = append(s.Items, ui.Item{Label: "Cause category", Value: ui.Text(rq.L.Lookup(lbl(assurance.CauseCategories, n.CauseCategory)))})
		}
		s.Items = append(s.Items, ui.Item{Label: "Root cause", Value: ui.Value{Text: n.CauseSummary, Long: true}}, ui.Item{Label: "Analysed on", Value: dayOf(n.AnalysedOn)})
		if write && (n.State == "analysed" || n.State == "corrected") {
			s.Actions = []ui.Action{{Label: "Revise the analysis", Icon: "pencil", Href: ncHref(n.ID) + "/analysis", Style: ui.Secondary}}
		}
		out = append(out, s)
	}
	if actor.Can(sms.ActionKind.Read) {
		s := web.Section{Title: "Corrective actions", Help: "The actions that remove the root cause, each with its owner and due day. Closing needs every one done or cancelled, and at least one done."}
		if len(actions) == 0 {
			s.Empty = &ui.Empty{Icon: "list-details", Title: "No corrective actions yet",
				Text: "Once the root cause is known, add the actions that remove it; they show here and in the list of actions."}
			if write && actor.Can(sms.ActionKind.Write) && !n.Closed() {
				s.Empty.Action = &ui.Action{Label: "Add a corrective action", Icon: "plus", Href: newActionHref(n.ID)}
			}
		} else {
			t := &ui.Table{Caption: "Corrective actions", Columns: []ui.Column{{Label: "Action", Key: true}, {Label: "Number"}, {Label: "Owner"}, {Label: "Due on"}, {Label: "State"}}}
			for _, a := range actions {
				href := fmt.Sprintf("/%s/%d", sms.ActionKind.Path(), a.ID)
				due := ui.Value{Empty: "No due day"}
				if a.DueOn != "" {
					due = dayOf(a.DueOn)
				}
				t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(a.Title, href), ui.Text(sms.ActionKind.Number(a.ID)), np.p.Ref(ctx, actor, account.UserKind.Entity, a.OwnerID), due,
					{Badges: []ui.Badge{{Text: lbl(sms.ActionStates, a.State), Tone: map[bool]ui.Tone{true: ui.Success, false: ui.Info}[a.State == "done"]}}}}})
			}
			s.Table = t
			// Not twice: the workflow offers it while actions are the next step.
			if actor.Can(sms.ActionKind.Write) && !n.Closed() && !(write && next == "actions" && n.State == "analysed") {
				s.Actions = []ui.Action{{Label: "Add a corrective action", Icon: "plus", Href: newActionHref(n.ID), Style: ui.Secondary}}
			}
		}
		out = append(out, s)
	}
	if n.VerifiedOn != "" {
		ev := ui.Value{Empty: "None named"}
		for _, r := range n.Evidence {
			v := np.p.Ref(ctx, actor, r.Entity, r.ID)
			if v.Text == "" {
				v = ui.Text(np.c.RefNumber(r))
			}
			ev.Links = append(ev.Links, ui.Link{Text: v.Text, Href: v.Href})
		}
		tone := ui.Success
		if n.VerificationResult != "effective" {
			tone = ui.Danger
		}
		out = append(out, web.Section{Title: "Verification of effectiveness", Help: assurance.NCVerifyHelp, Items: []ui.Item{
			{Label: "Result", Value: ui.Value{Badges: []ui.Badge{{Text: lbl(assurance.VerificationResults, n.VerificationResult), Tone: tone}}}},
			{Label: "Verified by", Value: np.userRef(ctx, actor, n.VerifiedBy)},
			{Label: "Verified on", Value: dayOf(n.VerifiedOn)},
			{Label: "Evidence", Value: ev},
			{Label: "Note", Value: ui.Value{Text: n.VerificationNote, Long: true, Empty: "None"}},
		}})
	}
	return out, nil
}

func (np ncPages) userRef(ctx context.Context, actor access.Actor, id *int64) ui.Value {
	if id == nil {
		return ui.Value{Empty: "Nobody"}
	}
	return np.p.Ref(ctx, actor, account.UserKind.Entity, *id)
}

// stepForm is one step's form page: its fields for the record as it
// stands, and what saving it does.
type stepForm struct {
	verb, title, submit, subtitle string
	fields                        func(fc web.FormContext, n assurance.Nonconformity) ([]ui.Field, error)
	save                          func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) error
}

// handle shows the step's form, and takes it when posted: back to the
// record when it is saved, the form with its errors (or the refusal)
// when not.
func (np ncPages) handle(s stepForm) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		ctx, actor := r.Context(), rq.Auth.Actor
		render := func(status int, msg string, errors web.FieldErrors) error {
			n, err := np.c.GetNonconformity(ctx, actor, id)
			if err != nil {
				return err
			}
			fc := web.FormContext{Ctx: ctx, Actor: actor, L: rq.L, Query: r.URL.Query()}
			if r.Method == http.MethodPost {
				fc.Posted = r.PostForm
			}
			fields, err := s.fields(fc, n)
			if err != nil {
				return err
			}
			version := strconv.FormatInt(n.Version, 10)
			if v := r.PostFormValue("version"); v != "" {
				version = v
			}
			f := ui.Form{ID: s.verb + "-form", Action: ncHref(id) + "/" + s.verb, CSRF: rq.Base.CSRF, Fields: fields, Message: msg,
				Submit: s.submit, Cancel: ncHref(id), Hidden: []ui.Hidden{{Name: "version", Value: version}}}
			for _, m := range f.SetErrors(errors) {
				f.Message = strings.TrimSpace(f.Message + " " + m)
			}
			// The record page's layout: what the nonconformity is, for the
			// one taking the step, above the step's form.
			page := web.RecordPage{Base: rq.Base, Showing: "details", Items: np.stepContext(ctx, rq, n, s.verb),
				Sections: []web.Section{{Title: s.title, Form: &f}}}
			page.Title = rq.T("%s: %s", rq.L.Lookup(s.title), assurance.NonconformityKind.Number(id))
			page.TitleBadges = []ui.Badge{ncStateBadge(n.State), severityBadge(n.Severity)}
			page.Subtitle = s.subtitle
			page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.NonconformityKind.Plural, Href: ncPath()}, {Label: n.Title, Href: ncHref(id)}}
			return np.p.Render(w, r, status, "record", page)
		}
		if r.Method != http.MethodPost {
			return render(http.StatusOK, "", nil)
		}
		err = s.save(ctx, actor, id, web.FormInt(r, "version"), r.PostForm)
		return web.FormDone(w, r, err, ncHref(id)+"?done=saved", render)
	}
}

// stepContext is what the one taking a step needs to see of the
// nonconformity: what it is and, for the later steps, what was done.
func (np ncPages) stepContext(ctx context.Context, rq *web.Request, n assurance.Nonconformity, verb string) []ui.Item {
	actor := rq.Auth.Actor
	items := []ui.Item{
		{Label: "Nonconformity", Value: ui.Linked(n.Title, ncHref(n.ID))},
		{Label: "Requirement", Value: np.p.Ref(ctx, actor, sms.RequirementKind.Entity, n.RequirementID)},
		{Label: "Raised on", Value: dayOf(n.RaisedOn)},
		{Label: "Description", Value: ui.Value{Text: n.Description, Long: true, Empty: "Not written"}},
	}
	if verb != "correction" && n.Correction != "" {
		items = append(items, ui.Item{Label: "Correction", Value: ui.Value{Text: n.Correction, Long: true}})
	}
	if (verb == "verification" || verb == "close") && n.CauseSummary != "" {
		items = append(items, ui.Item{Label: "Root cause", Value: ui.Value{Text: n.CauseSummary, Long: true}})
	}
	if (verb == "verification" || verb == "close") && actor.Can(sms.ActionKind.Read) {
		actions, err := np.c.CorrectiveActions(ctx, actor, n.ID)
		if err == nil {
			v := ui.Value{Empty: "None"}
			for _, a := range actions {
				v.Links = append(v.Links, ui.Link{Text: fmt.Sprintf("%s · %s", a.Title, rq.L.Lookup(lbl(sms.ActionStates, a.State))), Href: fmt.Sprintf("/%s/%d", sms.ActionKind.Path(), a.ID)})
			}
			items = append(items, ui.Item{Label: "Corrective actions", Value: v})
		}
	}
	return items
}

// posted is a field's posted value, else its value on record.
func posted(fc web.FormContext, name, had string) string {
	if fc.Posted != nil {
		return fc.Posted.Get(name)
	}
	return had
}

func (np ncPages) personField(fc web.FormContext, name, label string, had *int64) (ui.Field, error) {
	chosen := fc.Actor.UserID
	if had != nil {
		chosen = *had
	}
	if fc.Posted != nil {
		chosen, _ = strconv.ParseInt(fc.Posted.Get(name), 10, 64)
	}
	f, err := np.p.UserPicker(fc, name, label, chosen, access.NonconformitiesRead)
	f.Required = true
	return f, err
}

func formID(f url.Values, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(f.Get(name)), 10, 64)
	if err != nil && f.Get(name) != "" {
		return -1
	}
	return n
}

func orToday(day string) string {
	if day == "" {
		return todayUTC()
	}
	return day
}

// steps are the workflow's form pages.
func (np ncPages) steps() []stepForm {
	c := np.c
	return []stepForm{
		{verb: "correction", title: "Correction", submit: "Record the correction",
			subtitle: "What was done at once to contain the nonconformity and its effects, before its cause is known.",
			fields: func(fc web.FormContext, n assurance.Nonconformity) ([]ui.Field, error) {
				by, err := np.personField(fc, "corrected_by", "Corrected by", n.CorrectedBy)
				return []ui.Field{
					{Name: "correction", Label: "What was done", Type: "textarea", Rows: 4, Required: true, Value: posted(fc, "correction", n.Correction),
						Help: "The immediate fix: what was contained, restored or put right."},
					by,
					{Name: "corrected_on", Label: "Corrected on", Type: "date", Required: true, Value: posted(fc, "corrected_on", orToday(n.CorrectedOn))},
				}, err
			},
			save: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) error {
				_, err := c.RecordCorrection(ctx, actor, id, version, assurance.CorrectionInput{Correction: f.Get("correction"), CorrectedBy: formID(f, "corrected_by"), CorrectedOn: f.Get("corrected_on")})
				return err
			}},
		{verb: "analysis", title: "Root cause analysis", submit: "Record the root cause",
			subtitle: "Ask why it happened, then why that happened, up to five times; or choose the kind of cause. Then state the root cause the corrective actions must remove.",
			fields: func(fc web.FormContext, n assurance.Nonconformity) ([]ui.Field, error) {
				method := posted(fc, "cause_method", n.CauseMethod)
				if method == "" {
					method = "five_whys"
				}
				fields := []ui.Field{{Name: "cause_method", Label: "Method", Type: "radios", Value: method, Options: choices(assurance.CauseMethods, method),
					Help: "Five whys: each answer is the cause of the one before. Cause category: when the cause is plain, say what kind it is."}}
				for i := range assurance.MaxWhys {
					had := ""
					if i < len(n.Whys) {
						had = n.Whys[i]
					}
					f := ui.Field{Name: fmt.Sprintf("why_%d", i+1), Label: fc.L.T("Why %d", i+1), Value: posted(fc, fmt.Sprintf("why_%d", i+1), had)}
					if i == 0 {
						f.Help = "Why did the nonconformity happen? Leave the later lines empty once the root cause is reached."
					}
					fields = append(fields, f)
				}
				cat := posted(fc, "cause_category", n.CauseCategory)
				fields = append(fields,
					ui.Field{Name: "cause_category", Label: "Cause category", Type: "select", Value: cat,
						Options: choices(append([]sms.Code{{Code: "", Label: "Choose a category"}}, assurance.CauseCategories...), cat), Help: "With the cause category method only."},
					ui.Field{Name: "cause_summary", Label: "Root cause", Type: "textarea", Rows: 3, Required: true, Value: posted(fc, "cause_summary", n.CauseSummary),
						Help: "The root cause in a sentence: what the corrective actions must remove."},
					ui.Field{Name: "analysed_on", Label: "Analysed on", Type: "date", Required: true, Value: posted(fc, "analysed_on", orToday(n.AnalysedOn))})
				return fields, nil
			},
			save: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) error {
				in := assurance.AnalysisInput{Method: f.Get("cause_method"), Category: f.Get("cause_category"), Summary: f.Get("cause_summary"), AnalysedOn: f.Get("analysed_on")}
				for i := range assurance.MaxWhys {
					in.Whys = append(in.Whys, f.Get(fmt.Sprintf("why_%d", i+1)))
				}
				_, err := c.RecordAnalysis(ctx, actor, id, version, in)
				return onField(err, "whys", "why_1")
			}},
		{verb: "verification", title: "Verification of effectiveness", submit: "Record the verification",
			subtitle: "Once the corrective actions are done, check that the root cause is gone and the nonconformity has not come back. Not effective sends it back to root cause analysis.",
			fields: func(fc web.FormContext, n assurance.Nonconformity) ([]ui.Field, error) {
				by, err := np.personField(fc, "verified_by", "Verified by", n.VerifiedBy)
				res := posted(fc, "verification_result", "")
				var ev []string
				for _, r := range n.Evidence {
					ev = append(ev, c.RefNumber(r))
				}
				return []ui.Field{
					{Name: "verification_result", Label: "Result", Type: "radios", Value: res, Options: choices(assurance.VerificationResults, res), Required: true},
					by,
					{Name: "verified_on", Label: "Verified on", Type: "date", Required: true, Value: posted(fc, "verified_on", todayUTC())},
					{Name: "evidence", Label: "Evidence", Value: posted(fc, "evidence", strings.Join(ev, ", ")), Placeholder: "EVD-000003, DOC-000002",
						Help: "The numbers of the records that show it worked, separated by commas: evidence, documents, audit findings."},
					{Name: "verification_note", Label: "Note", Type: "textarea", Rows: 3, Value: posted(fc, "verification_note", n.VerificationNote), Help: "What was checked and what was found."},
				}, err
			},
			save: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) error {
				ev, err := c.ParseRefs("evidence", f.Get("evidence"))
				if err != nil {
					return err
				}
				_, err = c.RecordVerification(ctx, actor, id, version, assurance.VerificationInput{Result: f.Get("verification_result"), VerifiedBy: formID(f, "verified_by"),
					VerifiedOn: f.Get("verified_on"), Note: f.Get("verification_note"), Evidence: ev})
				return err
			}},
		{verb: "close", title: "Close", submit: "Close the nonconformity",
			subtitle: "A nonconformity is closed once its correction and root cause are recorded, its corrective actions are finished and their effectiveness is verified.",
			fields: func(fc web.FormContext, n assurance.Nonconformity) ([]ui.Field, error) {
				return []ui.Field{{Name: "closed_on", Label: "Closed on", Type: "date", Required: true, Value: posted(fc, "closed_on", todayUTC())}}, nil
			},
			save: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) error {
				_, err := c.CloseNonconformity(ctx, actor, id, version, f.Get("closed_on"))
				return err
			}},
	}
}

// onField moves an error on one field to another, the form's.
func onField(err error, from, to string) error {
	if e := errs.As(err); e != nil {
		for i := range e.Fields {
			if e.Fields[i].Field == from {
				e.Fields[i].Field = to
			}
		}
	}
	return err
}

// deadlinesPage shows the deadlines, and to SMS managers the form that
// changes them.
func (np ncPages) deadlinesPage(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	ctx, actor := r.Context(), rq.Auth.Actor
	render := func(status int, msg string, errors web.FieldErrors) error {
		d, err := np.c.NCDeadlines(ctx, actor)
		if err != nil {
			return err
		}
		page := web.RecordPage{Base: rq.Base, Showing: "details", Error: msg}
		if page.History, err = np.p.RecordHistory(ctx, actor, assurance.NCDeadlinesKind.Entity, d.ID); err != nil {
			return err
		}
		page.Tabs = []ui.Tab{{Label: "Details", Href: deadlinesPath(), Current: true},
			{Label: "History", Href: deadlinesPath() + "?tab=history", Count: len(page.History)}}
		if r.URL.Query().Get("tab") == "history" {
			page.Showing, page.Tabs[0].Current, page.Tabs[1].Current = "history", false, true
		}
		page.Items = []ui.Item{
			{Label: "Reminders", Value: ui.Text(rq.T("The owner, %d days before a deadline and once it has passed", assuranceapp.NCSoonDays))},
			{Label: "Last changed", Value: ui.At(d.UpdatedAt)},
		}
		page.Title = "Nonconformity deadlines"
		page.Subtitle = "How many days after it is raised a nonconformity's plan (correction and root cause) and its closing are due. External audit findings follow the certification body; every other origin the organisation's own rule."
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: assurance.NonconformityKind.Plural, Href: ncPath()}}
		t := &ui.Table{Caption: "Deadlines in days after raising", Columns: []ui.Column{{Label: "Nonconformity", Key: true}, {Label: "Plan within", Numeric: true}, {Label: "Close within", Numeric: true}}}
		for _, rl := range d.Rules() {
			name := "Other origins"
			if rl.External {
				name = "External audit finding"
			}
			t.Rows = append(t.Rows, ui.Row{Cells: []ui.Value{ui.Text(rq.T("%s, %s", rq.L.Lookup(name), strings.ToLower(rq.L.Lookup(lbl(assurance.Severities, rl.Severity))))),
				ui.Text(rq.T("%d days", rl.Plan)), ui.Text(rq.T("%d days", rl.Close))}})
		}
		page.Sections = []web.Section{{Title: "Deadlines in force", Table: t}}
		if actor.Can(assurance.NCDeadlinesKind.Write) {
			f := &ui.Form{ID: "deadlines-form", Action: deadlinesPath(), CSRF: rq.Base.CSRF, Submit: "Save deadlines",
				Hidden: []ui.Hidden{{Name: "version", Value: strconv.FormatInt(d.Version, 10)}}}
			in := d.Input()
			for _, fd := range []struct {
				name, label string
				v           int64
			}{
				{"external_major_plan", "External audit, major: plan within (days)", in.ExternalMajorPlan},
				{"external_major_close", "External audit, major: close within (days)", in.ExternalMajorClose},
				{"external_minor_plan", "External audit, minor: plan within (days)", in.ExternalMinorPlan},
				{"external_minor_close", "External audit, minor: close within (days)", in.ExternalMinorClose},
				{"internal_major_plan", "Other origins, major: plan within (days)", in.InternalMajorPlan},
				{"internal_major_close", "Other origins, major: close within (days)", in.InternalMajorClose},
				{"internal_minor_plan", "Other origins, minor: plan within (days)", in.InternalMinorPlan},
				{"internal_minor_close", "Other origins, minor: close within (days)", in.InternalMinorClose},
			} {
				v := strconv.FormatInt(fd.v, 10)
				if r.Method == http.MethodPost {
					v = r.PostFormValue(fd.name)
				}
				f.Fields = append(f.Fields, ui.Field{Name: fd.name, Label: fd.label, Type: "number", Value: v, Required: true})
			}
			f.Fields[1].Help = "A major nonconformity found by the certification body must be corrected and verified before certification is granted; bodies commonly allow about 90 days."
			for _, m := range f.SetErrors(errors) {
				f.Message = strings.TrimSpace(f.Message + " " + m)
			}
			page.Sections = append(page.Sections, web.Section{Title: "Change the deadlines", Form: f})
		}
		return np.p.Render(w, r, status, "record", page)
	}
	if r.Method != http.MethodPost {
		return render(http.StatusOK, "", nil)
	}
	n := func(name string) int64 { return formID(r.PostForm, name) }
	_, err := np.c.UpdateNCDeadlines(ctx, actor, web.FormInt(r, "version"), assurance.NCDeadlinesInput{
		ExternalMajorPlan: n("external_major_plan"), ExternalMajorClose: n("external_major_close"), ExternalMinorPlan: n("external_minor_plan"),
		ExternalMinorClose: n("external_minor_close"), InternalMajorPlan: n("internal_major_plan"), InternalMajorClose: n("internal_major_close"),
		InternalMinorPlan: n("internal_minor_plan"), InternalMinorClose: n("internal_minor_close")})
	return web.FormDone(w, r, err, deadlinesPath()+"?done=saved", render)
}

// registerNonconformities adds the nonconformities' pages, their steps
// and the deadlines.
func registerNonconformities(p *web.Pages, c *assuranceapp.Catalogue, mux guard.Registrar) {
	np := ncPages{p: p, c: c}
	k := assurance.NonconformityKind
	for _, s := range np.steps() {
		p.Handle(mux, "GET "+ncPath()+"/{id}/"+s.verb, k.Write, np.handle(s))
		p.Handle(mux, "POST "+ncPath()+"/{id}/"+s.verb, k.Write, np.handle(s))
	}
	dk := assurance.NCDeadlinesKind
	p.Handle(mux, "GET "+deadlinesPath(), dk.Read, np.deadlinesPage)
	p.Handle(mux, "POST "+deadlinesPath(), dk.Write, np.deadlinesPage)
	np.resource().Register(p, mux)
}
