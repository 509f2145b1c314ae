package sms

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// actionPages are the actions' pages, on the shared Resource.
func actionPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Action, *sms.Action] {
	return web.Resource[sms.Action, *sms.Action]{
		Kind:     sms.ActionKind,
		Subtitle: "Everything the management system must do, each with one owner and a due day, whatever asked for it: the implementation plan, a gap, a risk, an objective.",
		Empty: ui.Empty{Icon: "list-details", Title: "No actions yet",
			Text: "Add the steps of your implementation plan, or the actions that close the gaps an assessment found."},
		Columns: []web.Column[sms.Action]{
			{Column: ui.Column{Label: "Title", Key: true, Sort: "text"}, Value: func(a sms.Action) ui.Value { return ui.Text(a.Title) }},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(a sms.Action) int64 { return a.OwnerID }},
			{Column: ui.Column{Label: "Due on", Sort: "time"}, Value: dueValue},
			{Column: ui.Column{Label: "Progress", Sort: "number"}, Value: progressValue},
			{Column: ui.Column{Label: "Priority", Sort: "text"}, Value: func(a sms.Action) ui.Value { return ui.Value{Badges: []ui.Badge{priorityBadge(a.Priority)}} }},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(a sms.Action) ui.Value { return ui.Value{Badges: []ui.Badge{stateBadge(a.State)}} }},
			{Column: ui.Column{Label: "Comes from", Sort: "text"}, RefOf: sourceRef},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "state", Label: "State", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Open and in progress"}, {Code: "all", Label: "Any state"}}, sms.ActionStates...), q.Get("state"))},
				{Name: "due", Label: "Due", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Any day"}, {Code: "overdue", Label: "Overdue"}, {Code: "week", Label: "Due within a week"}}, q.Get("due"))},
				{Name: "mine", Label: "Owner", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Anyone"}, {Code: "1", Label: "Mine"}}, q.Get("mine"))},
				{Name: "source", Label: "Source", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any source"}}, sms.SourceCodes()...), q.Get("source"))},
			}
		},
		ListActions: []ui.Action{{Label: "Timeline", Icon: "calendar", Href: timelinePath}},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Action, string, error) {
			f := store.ActionFilter{Query: q.Get("q"), Cursor: cursor}
			switch st := q.Get("state"); st {
			case "":
				f.Open = true
			case "all":
			default:
				f.State = st
			}
			today := time.Now().UTC()
			switch q.Get("due") {
			case "overdue":
				f.Open, f.DueUntil = true, today.AddDate(0, 0, -1).Format(time.DateOnly)
			case "week":
				f.Open, f.DueUntil = true, today.AddDate(0, 0, 7).Format(time.DateOnly)
			}
			if q.Get("mine") != "" {
				f.OwnerID = actor.UserID
			}
			if _, ok := sms.SourceOf(q.Get("source")); ok {
				f.Source = q.Get("source")
			}
			return c.ListActions(ctx, actor, f)
		},
		Get:    c.GetAction,
		Name:   func(a sms.Action) string { return a.Title },
		Badges: func(a sms.Action) []ui.Badge { return []ui.Badge{stateBadge(a.State), priorityBadge(a.Priority)} },
		Details: func(ctx context.Context, rq *web.Request, a sms.Action) []ui.Item {
			items := []ui.Item{
				{Label: "Owner", Help: "The one person who sees that it gets done.", Value: p.Ref(ctx, rq.Auth.Actor, account.UserKind.Entity, a.OwnerID)},
				{Label: "Starts on", Value: ui.Value{Day: dayValue(a.StartOn).Day, Empty: "Not planned"}},
				{Label: "Due on", Value: dueValue(a)},
				{Label: "Progress", Value: progressValue(a)},
				{Label: "Waits for", Help: "The actions that must be done before this one starts.", Value: waitsForValue(ctx, rq, c, a)},
				{Label: "Source", Value: ui.Text(label(sms.SourceCodes(), a.Source))},
			}
			if entity, id := sourceRef(a); entity != "" {
				items = append(items, ui.Item{Label: kindOf(p, entity).Label, Value: p.Ref(ctx, rq.Auth.Actor, entity, id)})
			}
			return append(items, ui.Item{Label: "Description", Value: ui.Value{Text: a.Description, Long: true}})
		},
		Related: func(ctx context.Context, rq *web.Request, a sms.Action) ([]web.Section, error) {
			return dependencySections(ctx, rq, c, a)
		},
		Fields: func(fc web.FormContext, a sms.Action) ([]ui.Field, error) {
			owner := a.OwnerID
			if fc.Creating && owner == 0 {
				owner = fc.Actor.UserID
			}
			if fc.Posted != nil {
				owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
			}
			owners, err := p.UserPicker(fc, "owner_id", "Owner", owner, access.ActionsRead)
			if err != nil {
				return nil, err
			}
			owners.Help, owners.Required = "The one person who sees that it gets done.", true
			state, prio, source := or(a.State, "open"), or(a.Priority, "medium"), or(a.Source, "plan")
			if fc.Creating && fc.Query.Get("source") != "" {
				// Preset from the record it is for (a risk's "Add a
				// treatment action").
				source = fc.Query.Get("source")
			}
			fields := []ui.Field{
				{Name: "title", Label: "Title", Value: a.Title, Required: true},
				owners,
				{Name: "start_on", Label: "Starts on", Type: "date", Value: a.StartOn, Help: "The day work starts; the timeline draws the action from it to the due day."},
				{Name: "due_on", Label: "Due on", Type: "date", Value: a.DueOn},
				{Name: "progress", Label: "Progress (%)", Type: "number", Value: strconv.FormatInt(a.Progress, 10),
					Help: "How much is done, from 0 to 100. Setting the state to done makes it 100; 100 is only for a done action."},
				{Name: "depends_on", Label: "Waits for", Value: numbers(a.DependsOn), Placeholder: "ACT-000003, ACT-000007",
					Help: "The numbers of the actions that must be done before this one starts, separated by commas."},
				{Name: "priority", Label: "Priority", Type: "select", Value: prio, Options: choices(sms.Priorities, prio)},
				{Name: "state", Label: "State", Type: "select", Value: state, Options: choices(sms.ActionStates, state)},
				{Name: "source", Label: "Source", Type: "select", Value: source, Options: choices(sms.SourceCodes(), source),
					Help: "What asked for it: a step of the implementation plan, a gap against a requirement, a risk's treatment, an objective."},
			}
			// One choice of record for each source that names one; the
			// source chosen says which counts.
			for _, src := range sms.ActionSources {
				if src.Entity == "" {
					continue
				}
				var chosen int64
				if a.Source == src.Code {
					chosen = a.SourceID
				}
				if fc.Creating && source == src.Code {
					if id, err := strconv.ParseInt(fc.Query.Get(sourceField(src.Code)), 10, 64); err == nil {
						chosen = id
					}
				}
				if fc.Posted != nil {
					chosen, _ = strconv.ParseInt(fc.Posted.Get(sourceField(src.Code)), 10, 64)
				}
				k := kindOf(p, src.Entity)
				f, err := p.RecordPicker(fc, sourceField(src.Code), k.Label, src.Entity, chosen, "None")
				if err != nil {
					return nil, err
				}
				f.Help = fc.L.T("Only when the source is %s: the record it comes from. Type part of its number or name.", fc.L.Lookup(src.Label))
				fields = append(fields, f)
			}
			return append(fields, ui.Field{Name: "description", Label: "Description", Type: "textarea", Rows: 4, Value: a.Description}), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Action, error) {
			in, err := actionInput(f)
			if err != nil {
				return sms.Action{}, err
			}
			a, err := c.CreateAction(ctx, actor, in)
			return a, onSourceField(err, f.Get("source"))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Action, error) {
			in, err := actionInput(f)
			if err != nil {
				return sms.Action{}, err
			}
			a, err := c.UpdateAction(ctx, actor, id, version, sms.ActionUpdate{Title: &in.Title, Description: &in.Description, OwnerID: &in.OwnerID,
				DueOn: &in.DueOn, State: &in.State, Priority: &in.Priority, Source: &in.Source, SourceID: &in.SourceID,
				StartOn: &in.StartOn, Progress: &in.Progress, DependsOn: &in.DependsOn})
			return a, onSourceField(err, f.Get("source"))
		},
		Delete: c.DeleteAction,
		DeleteText: func(sms.Action) string {
			return "It leaves every list; its history stays in the audit trail. Cancelling it instead keeps it on record. An action others wait for cannot be deleted until they no longer do."
		},
	}
}

// actionInput reads an action's form: the source record from the choice
// of the source's kind, the dependencies from their numbers.
func actionInput(f url.Values) (sms.ActionInput, error) {
	owner, _ := strconv.ParseInt(f.Get("owner_id"), 10, 64)
	source, _ := strconv.ParseInt(f.Get(sourceField(f.Get("source"))), 10, 64)
	in := sms.ActionInput{Title: f.Get("title"), Description: f.Get("description"), OwnerID: owner, DueOn: f.Get("due_on"),
		State: f.Get("state"), Priority: f.Get("priority"), Source: f.Get("source"), SourceID: source, StartOn: f.Get("start_on")}
	var c errs.Checker
	if p := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f.Get("progress")), "%")); p != "" {
		n, err := strconv.ParseInt(p, 10, 64)
		c.Check(err == nil, "progress", "must be a whole number from 0 to 100")
		in.Progress = n
	}
	deps, err := parseNumbers(f.Get("depends_on"))
	if err != nil {
		c.Add("depends_on", err.Error())
	}
	in.DependsOn = deps
	return in, c.Err()
}

// sourceField is the form's field choosing the record of a source.
func sourceField(code string) string { return "source_" + code }

// onSourceField puts an error on the source record under the form's
// choice for the source posted.
func onSourceField(err error, source string) error {
	if e := errs.As(err); e != nil {
		for i := range e.Fields {
			if e.Fields[i].Field == "source_id" {
				e.Fields[i].Field = sourceField(source)
			}
		}
	}
	return err
}

// sourceRef is the record an action comes from, when its source names one.
func sourceRef(a sms.Action) (string, int64) {
	if src, ok := sms.SourceOf(a.Source); ok && src.Entity != "" && a.SourceID > 0 {
		return src.Entity, a.SourceID
	}
	return "", 0
}

// kindOf is the declaration of a kind: one of the area's, else one
// another area declares (a nonconformity asks for corrective actions).
func kindOf(p *web.Pages, entity string) record.Kind {
	for _, k := range sms.Kinds() {
		if k.Entity == entity {
			return k
		}
	}
	if k, ok := p.App().Kinds().Get(entity); ok {
		return k
	}
	return record.Kind{Entity: entity, Label: entity}
}

// dueValue shows the due day, marked when it has passed.
func dueValue(a sms.Action) ui.Value {
	if a.DueOn == "" {
		return ui.Value{Empty: "No due day"}
	}
	v := ui.Text(a.DueOn)
	if d, err := time.Parse(time.DateOnly, a.DueOn); err == nil {
		v = ui.Value{Day: d}
	}
	if a.Overdue(time.Now().UTC().Format(time.DateOnly)) {
		v.Badges = []ui.Badge{{Text: "Overdue", Tone: ui.Danger}}
	}
	return v
}

func stateBadge(state string) ui.Badge {
	tone := map[string]ui.Tone{"open": ui.Neutral, "in_progress": ui.Info, "done": ui.Success, "cancelled": ui.Neutral}[state]
	return ui.Badge{Text: label(sms.ActionStates, state), Tone: tone}
}

func priorityBadge(p string) ui.Badge {
	tone := map[string]ui.Tone{"low": ui.Neutral, "medium": ui.Info, "high": ui.Warning}[p]
	return ui.Badge{Text: label(sms.Priorities, p), Tone: tone}
}

func choices(codes []sms.Code, selected string) []ui.Option {
	out := make([]ui.Option, len(codes))
	for i, c := range codes {
		out[i] = ui.Option{Value: c.Code, Label: c.Label, Selected: c.Code == selected}
	}
	return out
}

func label(codes []sms.Code, code string) string {
	for _, c := range codes {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// actionsHome is the home page's card of the reader's open actions, the
// overdue first, with links to what is overdue and due this week for
// everyone; nothing for a reader who may not see actions.
func actionsHome(c *smsapp.Catalogue) func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
	return func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
		actor := rq.Auth.Actor
		if !actor.Can(sms.ActionKind.Read) {
			return nil, nil
		}
		mine, _, err := c.ListActions(ctx, actor, store.ActionFilter{OwnerID: actor.UserID, Open: true, Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		slices.SortStableFunc(mine, func(a, b sms.Action) int { return strings.Compare(or(a.DueOn, "9999"), or(b.DueOn, "9999")) })
		overdue, err := c.CountActions(ctx, actor, store.ActionCount{Open: true, DueBefore: time.Now().UTC().Format(time.DateOnly)})
		if err != nil {
			return nil, err
		}
		s := web.Section{Title: "Your actions", Table: &ui.Table{Caption: "Your open actions",
			Columns: []ui.Column{{Label: "Title", Key: true}, {Label: "Due on"}, {Label: "Priority"}},
			Empty:   ui.Empty{Icon: "circle-check", Title: "Nothing on your list", Text: "Actions you own appear here until they are done."}}}
		for i, a := range mine {
			if i == 8 {
				break
			}
			href := "/actions/" + strconv.FormatInt(a.ID, 10)
			s.Table.Rows = append(s.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(a.Title, href), dueValue(a), {Badges: []ui.Badge{priorityBadge(a.Priority)}}}})
		}
		if overdue > 0 {
			s.Actions = append(s.Actions, ui.Action{Label: rq.T("Overdue: %d", overdue), Icon: "alert-triangle", Style: ui.Destructive, Href: "/actions?due=overdue"})
		}
		s.Actions = append(s.Actions, ui.Action{Label: "Due within a week", Href: "/actions?due=week"}, ui.Action{Label: "All your actions", Href: "/actions?mine=1"})
		return []web.Section{s}, nil
	}
}

// planFromGaps answers the assessment page's "Make the plan from the
// gaps": the actions made, shown as the list of gap actions.
func planFromGaps(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		made, err := c.PlanFromGaps(r.Context(), rq.Auth.Actor, id)
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/actions?done=planned&n="+strconv.Itoa(len(made)), http.StatusSeeOther)
		return nil
	}
}
