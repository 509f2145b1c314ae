package sms

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// objective is an objective with its latest value (lists) or all of them
// (its page), oldest first.
type objective struct {
	sms.Objective
	latest *sms.ObjectiveValue
	values []sms.ObjectiveValue
}

func objectiveHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.ObjectiveKind.Path(), id) }
func valueHref(id int64) string     { return fmt.Sprintf("/%s/%d", sms.ObjectiveValueKind.Path(), id) }

// amount is a number with the objective's unit.
func amount(o sms.Objective, v float64) string {
	if o.Unit == "" {
		return sms.FormatNumber(v)
	}
	return sms.FormatNumber(v) + " " + o.Unit
}

// targetText is the target with its direction: "≥ 95 %", "≤ 4 hours".
func targetText(o sms.Objective) string {
	if o.Direction == "lower" {
		return "≤ " + amount(o, o.Target)
	}
	return "≥ " + amount(o, o.Target)
}

// standingBadge flags an objective whose latest value misses its target.
func standingBadge(o sms.Objective, latest *sms.ObjectiveValue) ui.Badge {
	switch o.Standing(latest) {
	case "missed":
		return ui.Badge{Text: "Misses its target", Tone: ui.Danger}
	case "met":
		return ui.Badge{Text: "Meets its target", Tone: ui.Success}
	}
	return ui.Badge{Text: "No values yet", Tone: ui.Neutral}
}

// meetsBadge says whether one value meets the target.
func meetsBadge(o sms.Objective, v float64) ui.Badge {
	if o.Meets(v) {
		return ui.Badge{Text: "Meets", Tone: ui.Success}
	}
	return ui.Badge{Text: "Misses", Tone: ui.Danger}
}

// number reads a typed number; anything else is NaN, which the rules
// refuse naming the field.
func number(s string) float64 {
	if v, ok := sms.ParseNumber(s); ok {
		return v
	}
	return math.NaN()
}

// numberValue writes a stored number back into a form field.
func numberValue(v float64, creating bool) string {
	if creating && v == 0 {
		return ""
	}
	return sms.FormatNumber(v)
}

// objectivePages are the objectives' pages: the list flags those whose
// latest value misses the target; an objective's page shows its trend,
// its values and a form to record the next.
func objectivePages(p *web.Pages, c *smsapp.Catalogue) web.Resource[objective, *objective] {
	return web.Resource[objective, *objective]{
		Kind:     sms.ObjectiveKind,
		Subtitle: "What the service management system means to achieve, each measured against a target. An objective whose latest value misses its target is flagged.",
		Empty: ui.Empty{Icon: "arrow-up", Title: "No objectives yet",
			Text: "Set the SMS's objectives (clause 6.2): for each, what is measured, the target, and who answers for it. Then record a value each period."},
		Columns: []web.Column[objective]{
			{Column: ui.Column{Label: "Objective", Key: true, Sort: "text"}, Value: func(o objective) ui.Value { return ui.Text(o.Statement) }},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(o objective) int64 { return o.OwnerID }},
			{Column: ui.Column{Label: "Target"}, Value: func(o objective) ui.Value { return ui.Text(targetText(o.Objective)) }},
			{Column: ui.Column{Label: "Latest value"}, Value: func(o objective) ui.Value {
				if o.latest == nil {
					return ui.Value{Empty: "None yet"}
				}
				return ui.Value{Text: amount(o.Objective, o.latest.Value), Note: o.latest.On}
			}},
			{Column: ui.Column{Label: "Standing", Sort: "text"}, Value: func(o objective) ui.Value {
				return ui.Value{Badges: []ui.Badge{standingBadge(o.Objective, o.latest)}}
			}},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "standing", Label: "Standing", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Any standing"},
					{Code: "missed", Label: "Misses its target"}, {Code: "met", Label: "Meets its target"}, {Code: "none", Label: "No values yet"}}, q.Get("standing"))},
				{Name: "mine", Label: "Owner", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Anyone"}, {Code: "1", Label: "Mine"}}, q.Get("mine"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]objective, string, error) {
			f := store.ObjectiveFilter{Query: q.Get("q"), Standing: q.Get("standing"), Cursor: cursor}
			if q.Get("mine") != "" {
				f.OwnerID = actor.UserID
			}
			os, next, err := c.ListObjectives(ctx, actor, f)
			if err != nil {
				return nil, "", err
			}
			ids := make([]int64, len(os))
			for i, o := range os {
				ids[i] = o.ID
			}
			latest, err := c.LatestValues(ctx, actor, ids)
			out := make([]objective, len(os))
			for i, o := range os {
				out[i] = objective{Objective: o}
				if l, ok := latest[o.ID]; ok {
					out[i].latest = &l
				}
			}
			return out, next, err
		},
		Get: func(ctx context.Context, actor access.Actor, id int64) (objective, error) {
			o, err := c.GetObjective(ctx, actor, id)
			if err != nil {
				return objective{}, err
			}
			vs, err := c.ValuesOf(ctx, actor, id)
			out := objective{Objective: o, values: vs}
			if len(vs) > 0 {
				out.latest = &vs[len(vs)-1]
			}
			return out, err
		},
		Name:   func(o objective) string { return o.Statement },
		Badges: func(o objective) []ui.Badge { return []ui.Badge{standingBadge(o.Objective, o.latest)} },
		Details: func(ctx context.Context, rq *web.Request, o objective) []ui.Item {
			latest := ui.Value{Empty: "None recorded yet"}
			if o.latest != nil {
				latest = ui.Value{Text: amount(o.Objective, o.latest.Value), Note: rq.T("Measured for %s", o.latest.On),
					Badges: []ui.Badge{meetsBadge(o.Objective, o.latest.Value)}}
			}
			return []ui.Item{
				{Label: "Owner", Help: "The one person who answers for the objective and its measurements.", Value: p.Ref(ctx, rq.Auth.Actor, account.UserKind.Entity, o.OwnerID)},
				{Label: "Measure", Help: "What is measured and how, so that anyone measuring gets the same figure.", Value: ui.Value{Text: o.Measure, Long: true}},
				{Label: "Target", Help: "Higher is better: the target is a floor to stay above. Lower is better: a ceiling to stay under.",
					Value: ui.Value{Text: targetText(o.Objective), Note: label(sms.Directions, o.Direction)}},
				{Label: "Latest value", Value: latest},
				{Label: "Frequency", Value: ui.Text(rq.L.Lookup(label(sms.ObjectiveFrequencies, o.Frequency)))},
				{Label: "Source", Help: "Where the values come from. Today people record them; a live query over operational records will follow.",
					Value: ui.Text(rq.L.Lookup(label(sms.ObjectiveSources, o.Source)))},
				{Label: "Notes", Value: ui.Value{Text: o.Notes, Long: true}},
				{Label: "KPI of", Help: "The processes this objective measures.", Value: kpiOf(ctx, c, rq.Auth.Actor, o.ID)},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, o objective) ([]web.Section, error) {
			return objectiveSections(ctx, p, c, rq, o)
		},
		Fields: func(fc web.FormContext, o objective) ([]ui.Field, error) {
			owner := o.OwnerID
			if fc.Creating && owner == 0 {
				owner = fc.Actor.UserID
			}
			if fc.Posted != nil {
				owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
			}
			owners, err := p.UserPicker(fc, "owner_id", "Owner", owner, access.ObjectivesRead)
			if err != nil {
				return nil, err
			}
			owners.Help, owners.Required = "The one person who answers for the objective and its measurements.", true
			dir, freq, source := or(o.Direction, "higher"), or(o.Frequency, "monthly"), or(o.Source, "manual")
			return []ui.Field{
				{Name: "statement", Label: "Statement", Value: o.Statement, Required: true, Help: "What the SMS means to achieve, in one sentence.",
					Placeholder: "Resolve incidents within the agreed times"},
				owners,
				{Name: "measure", Label: "Measure", Type: "textarea", Rows: 3, Value: o.Measure, Required: true,
					Help: "What is measured and how, so that anyone measuring gets the same figure."},
				{Name: "unit", Label: "Unit", Value: o.Unit, Placeholder: "%", Help: "What the values count in: %, hours, incidents, points."},
				{Name: "target", Label: "Target", Value: numberValue(o.Target, fc.Creating), Required: true, Help: "The figure to reach, in the unit above."},
				{Name: "direction", Label: "Direction", Type: "radios", Value: dir, Options: choices(sms.Directions, dir),
					Help: "Higher is better: the target is a floor to stay above. Lower is better: a ceiling to stay under."},
				{Name: "frequency", Label: "Frequency", Type: "select", Value: freq, Options: choices(sms.ObjectiveFrequencies, freq), Help: "How often a value is measured and recorded."},
				{Name: "source", Label: "Source", Type: "select", Value: source, Options: choices(sms.ObjectiveSources, source),
					Help: "Where the values come from. Today people record them; a live query over operational records will follow."},
				{Name: "notes", Label: "Notes", Type: "textarea", Rows: 3, Value: o.Notes},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (objective, error) {
			o, err := c.CreateObjective(ctx, actor, objectiveInput(f))
			return objective{Objective: o}, err
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (objective, error) {
			in := objectiveInput(f)
			o, err := c.UpdateObjective(ctx, actor, id, version, sms.ObjectiveUpdate{Statement: &in.Statement, OwnerID: &in.OwnerID, Measure: &in.Measure,
				Unit: &in.Unit, Target: &in.Target, Direction: &in.Direction, Frequency: &in.Frequency, Source: &in.Source, Notes: &in.Notes})
			return objective{Objective: o}, err
		},
		Delete: c.DeleteObjective,
		DeleteText: func(objective) string {
			return "Its measured values go with it; the history of both stays in the audit trail. An objective a process names as a KPI cannot be deleted."
		},
	}
}

// objectiveInput reads an objective's form.
func objectiveInput(f url.Values) sms.ObjectiveInput {
	owner, _ := strconv.ParseInt(f.Get("owner_id"), 10, 64)
	return sms.ObjectiveInput{Statement: f.Get("statement"), OwnerID: owner, Measure: f.Get("measure"), Unit: f.Get("unit"), Target: number(f.Get("target")),
		Direction: f.Get("direction"), Frequency: f.Get("frequency"), Source: f.Get("source"), Notes: f.Get("notes")}
}

// objectiveSections are an objective's trend, its values and the form to
// record the next one.
func objectiveSections(ctx context.Context, p *web.Pages, c *smsapp.Catalogue, rq *web.Request, o objective) ([]web.Section, error) {
	actor := rq.Auth.Actor
	var out []web.Section
	if len(o.values) > 0 {
		ch := ui.Chart{Title: rq.T("Trend of %s", sms.ObjectiveKind.Number(o.ID)), Target: o.Target, HasTarget: true,
			TargetLabel: rq.T("Target %s", targetText(o.Objective))}
		missed := 0
		for _, v := range o.values {
			lbl := v.On
			if o.Frequency != "weekly" && len(lbl) >= 7 {
				lbl = lbl[:7]
			}
			ch.Points = append(ch.Points, ui.ChartPoint{Label: lbl, Value: v.Value, Text: amount(o.Objective, v.Value), Miss: !o.Meets(v.Value)})
			if !o.Meets(v.Value) {
				missed++
			}
		}
		l := o.latest
		verdict := rq.T("which meets the target of %s", targetText(o.Objective))
		if !o.Meets(l.Value) {
			verdict = rq.T("which misses the target of %s", targetText(o.Objective))
		}
		ch.Summary = rq.T("Values measured: %d, from %s to %s; missing the target: %d. The latest, for %s, is %s, %s.",
			len(o.values), o.values[0].On, l.On, missed, l.On, amount(o.Objective, l.Value), verdict)
		out = append(out, web.Section{Title: "Trend", Help: "Each point is a measured value; the larger red points miss the target, drawn as the dashed line. The table below holds the same figures.", Chart: &ch})
	}
	t := &ui.Table{Caption: "Measured values", Columns: []ui.Column{{Label: "Measured on", Key: true, Sort: "time"}, {Label: "Value", Numeric: true, Sort: "number"},
		{Label: "Against the target"}, {Label: "Note"}},
		Empty: ui.Empty{Icon: "arrow-up", Title: "No values yet", Text: "Record the first value measured for this objective below."}}
	for i := len(o.values) - 1; i >= 0; i-- {
		v := o.values[i]
		href := valueHref(v.ID)
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{dayLinked(v.On, href), ui.Text(amount(o.Objective, v.Value)),
			{Badges: []ui.Badge{meetsBadge(o.Objective, v.Value)}}, ui.Text(v.Note)}})
	}
	out = append(out, web.Section{Title: "Measured values", Table: t})
	if actor.Can(sms.ObjectiveValueKind.Write) {
		out = append(out, web.Section{Title: "Record a value", Form: &ui.Form{ID: "value-form", Action: "/" + sms.ObjectiveValueKind.Path(), CSRF: rq.Base.CSRF,
			Hidden: []ui.Hidden{{Name: "objective_id", Value: strconv.FormatInt(o.ID, 10)}}, Submit: "Record the value",
			Fields: valueFields(o.Objective, sms.ObjectiveValue{On: time.Now().UTC().Format(time.DateOnly)}, true)}})
	}
	return out, nil
}

// dayLinked is a day leading somewhere.
func dayLinked(day, href string) ui.Value {
	v := dayValue(day)
	if v.Text == "" {
		v.Text = day
	}
	v.Href = href
	return v
}

// valueFields are a value's form fields.
func valueFields(o sms.Objective, v sms.ObjectiveValue, creating bool) []ui.Field {
	unit := "The measured figure."
	if o.Unit != "" {
		unit = "The measured figure, in " + o.Unit + "."
	}
	return []ui.Field{
		{Name: "on", Label: "Measured on", Type: "date", Value: v.On, Required: true, Help: "The day (or the end of the period) the value stands for."},
		{Name: "value", Label: "Value", Value: numberValue(v.Value, creating), Required: true, Help: unit},
		{Name: "note", Label: "Note", Type: "textarea", Rows: 2, Value: v.Note},
	}
}

// objectiveValue is a value with its objective.
type objectiveValue struct {
	sms.ObjectiveValue
	obj sms.Objective
}

// valuePages are the measured values' pages: each value's record and
// form, reached from its objective.
func valuePages(p *web.Pages, c *smsapp.Catalogue) web.Resource[objectiveValue, *objectiveValue] {
	withObjective := func(ctx context.Context, actor access.Actor, v sms.ObjectiveValue) (objectiveValue, error) {
		o, err := c.GetObjective(ctx, actor, v.ObjectiveID)
		return objectiveValue{ObjectiveValue: v, obj: o}, err
	}
	return web.Resource[objectiveValue, *objectiveValue]{
		Kind:     sms.ObjectiveValueKind,
		Subtitle: "The values measured for the objectives. Open an objective to see its trend and record the next value.",
		Empty:    ui.Empty{Icon: "arrow-up", Title: "No values yet", Text: "Open an objective and record the value measured for the last period."},
		Columns: []web.Column[objectiveValue]{
			{Column: ui.Column{Label: "Measured on", Key: true, Sort: "time"}, Value: func(v objectiveValue) ui.Value { return dayLinked(v.On, valueHref(v.ID)) }},
			{Column: ui.Column{Label: "Objective"}, Ref: sms.ObjectiveKind.Entity, RefID: func(v objectiveValue) int64 { return v.ObjectiveID }},
			{Column: ui.Column{Label: "Value", Numeric: true, Sort: "number"}, Value: func(v objectiveValue) ui.Value { return ui.Text(amount(v.obj, v.Value)) }},
			{Column: ui.Column{Label: "Against the target"}, Value: func(v objectiveValue) ui.Value { return ui.Value{Badges: []ui.Badge{meetsBadge(v.obj, v.Value)}} }},
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]objectiveValue, string, error) {
			obj, _ := strconv.ParseInt(q.Get("objective"), 10, 64)
			vs, next, err := c.ListObjectiveValues(ctx, actor, store.ObjectiveValueFilter{ObjectiveID: obj, Cursor: cursor})
			if err != nil {
				return nil, "", err
			}
			objs := map[int64]sms.Objective{}
			out := make([]objectiveValue, len(vs))
			for i, v := range vs {
				o, ok := objs[v.ObjectiveID]
				if !ok {
					if o, err = c.GetObjective(ctx, actor, v.ObjectiveID); err != nil {
						return nil, "", err
					}
					objs[o.ID] = o
				}
				out[i] = objectiveValue{ObjectiveValue: v, obj: o}
			}
			return out, next, nil
		},
		Get: func(ctx context.Context, actor access.Actor, id int64) (objectiveValue, error) {
			v, err := c.GetObjectiveValue(ctx, actor, id)
			if err != nil {
				return objectiveValue{}, err
			}
			return withObjective(ctx, actor, v)
		},
		Name: func(v objectiveValue) string { return sms.FormatNumber(v.Value) + " · " + v.On },
		Crumbs: func(v objectiveValue) []ui.Crumb {
			return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.ObjectiveKind.Plural, Href: "/" + sms.ObjectiveKind.Path()},
				{Label: v.obj.Statement, Href: objectiveHref(v.ObjectiveID)}}
		},
		Badges: func(v objectiveValue) []ui.Badge { return []ui.Badge{meetsBadge(v.obj, v.Value)} },
		Details: func(ctx context.Context, rq *web.Request, v objectiveValue) []ui.Item {
			return []ui.Item{
				{Label: "Objective", Value: ui.Linked(v.obj.Statement, objectiveHref(v.ObjectiveID))},
				{Label: "Measured on", Value: dayValue(v.On)},
				{Label: "Value", Value: ui.Text(amount(v.obj, v.Value))},
				{Label: "Target", Value: ui.Text(targetText(v.obj))},
				{Label: "Note", Value: ui.Value{Text: v.Note, Long: true}},
			}
		},
		Fields: func(fc web.FormContext, v objectiveValue) ([]ui.Field, error) {
			if !fc.Creating {
				return valueFields(v.obj, v.ObjectiveValue, false), nil
			}
			chosen := v.ObjectiveID
			if fc.Posted != nil {
				chosen, _ = strconv.ParseInt(fc.Posted.Get("objective_id"), 10, 64)
			}
			os, _, err := c.ListObjectives(fc.Ctx, fc.Actor, store.ObjectiveFilter{Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			opts := []ui.Option{{Value: "", Label: "Choose an objective", Selected: chosen == 0}}
			var obj sms.Objective
			for _, o := range os {
				opts = append(opts, ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Statement, Selected: o.ID == chosen})
				if o.ID == chosen {
					obj = o
				}
			}
			if v.On == "" {
				v.On = time.Now().UTC().Format(time.DateOnly)
			}
			return append([]ui.Field{{Name: "objective_id", Label: "Objective", Type: "select", Options: opts, Required: true}},
				valueFields(obj, v.ObjectiveValue, true)...), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (objectiveValue, error) {
			obj, _ := strconv.ParseInt(f.Get("objective_id"), 10, 64)
			v, err := c.RecordValue(ctx, actor, sms.ValueInput{ObjectiveID: obj, On: f.Get("on"), Value: number(f.Get("value")), Note: f.Get("note")})
			return objectiveValue{ObjectiveValue: v}, err
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (objectiveValue, error) {
			on, note, val := f.Get("on"), f.Get("note"), number(f.Get("value"))
			v, err := c.UpdateObjectiveValue(ctx, actor, id, version, sms.ValueUpdate{On: &on, Note: &note, Value: &val})
			return objectiveValue{ObjectiveValue: v}, err
		},
		Delete: c.DeleteObjectiveValue,
	}
}

// kpiOf links the processes an objective measures.
func kpiOf(ctx context.Context, c *smsapp.Catalogue, actor access.Actor, id int64) ui.Value {
	if !actor.Can(sms.ProcessKind.Read) {
		return ui.Value{}
	}
	ps, _, err := c.ListProcesses(ctx, actor, store.ProcessFilter{KPI: id, Limit: store.MaxLimit})
	if err != nil {
		return ui.Value{Empty: "Could not be read"}
	}
	v := ui.Value{Empty: "No process yet"}
	for _, pr := range ps {
		v.Links = append(v.Links, ui.Link{Text: pr.Name, Href: processHref(pr.ID)})
	}
	return v
}
