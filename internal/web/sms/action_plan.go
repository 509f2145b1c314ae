package sms

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// The plan on actions: start days, progress, dependencies, and the
// timeline that draws them.

var timelinePath = "/" + sms.ActionKind.Path() + "/timeline"

func actionHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.ActionKind.Path(), id) }

// progressValue shows an action's progress in words and as a bar.
func progressValue(a sms.Action) ui.Value {
	return ui.Value{Text: fmt.Sprintf("%d %%", a.Progress), Progress: &ui.Progress{Value: int(a.Progress), Max: 100, Label: "Progress"}}
}

// numbers writes action ids as their numbers, for the form.
func numbers(ids []int64) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = sms.ActionKind.Number(id)
	}
	return strings.Join(out, ", ")
}

// parseNumbers reads action numbers separated by commas or spaces:
// "ACT-000003", "act-3" or "3".
func parseNumbers(s string) ([]int64, error) {
	out := []int64{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' }) {
		n := strings.TrimPrefix(strings.ToUpper(f), sms.ActionKind.Prefix+"-")
		n = strings.TrimPrefix(n, "#")
		id, err := strconv.ParseInt(n, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%q is not an action's number, such as ACT-000003", f)
		}
		out = append(out, id)
	}
	return out, nil
}

// depLinks lead to the actions deps, each by number and title.
func depLinks(deps []sms.Action) []ui.Link {
	out := make([]ui.Link, len(deps))
	for i, d := range deps {
		out[i] = ui.Link{Text: sms.ActionKind.Number(d.ID) + " · " + d.Title, Href: actionHref(d.ID)}
	}
	return out
}

// waitsForValue lists the actions a waits for, linked, warning when a
// started or finished while some of them are not done.
func waitsForValue(ctx context.Context, rq *web.Request, c *smsapp.Catalogue, a sms.Action) ui.Value {
	if len(a.DependsOn) == 0 {
		return ui.Value{Empty: "Nothing"}
	}
	deps, _, err := c.Dependencies(ctx, rq.Auth.Actor, a)
	if err != nil {
		return ui.Value{Empty: "Could not be read"}
	}
	v := ui.Value{Links: depLinks(deps)}
	if w := a.Waiting(deps); a.OutOfOrder(w) {
		v.Badges = []ui.Badge{{Text: outOfOrder(rq, a, w), Tone: ui.Warning}}
	}
	return v
}

// outOfOrder says that a started or finished before what it waits for.
func outOfOrder(rq *web.Request, a sms.Action, waiting []sms.Action) string {
	nums := make([]string, len(waiting))
	for i, w := range waiting {
		nums[i] = sms.ActionKind.Number(w.ID)
	}
	if a.State == "done" {
		return rq.T("Done before %s is done", strings.Join(nums, ", "))
	}
	return rq.T("Started before %s is done", strings.Join(nums, ", "))
}

// dependencySections are an action's page's cards of what it waits for
// and what waits for it, each action with its state and due day.
func dependencySections(ctx context.Context, rq *web.Request, c *smsapp.Catalogue, a sms.Action) ([]web.Section, error) {
	deps, blocks, err := c.Dependencies(ctx, rq.Auth.Actor, a)
	if err != nil {
		return nil, err
	}
	table := func(caption string, as []sms.Action, empty ui.Empty) *ui.Table {
		t := &ui.Table{Caption: caption, Columns: []ui.Column{{Label: "Action", Key: true}, {Label: "State"}, {Label: "Progress"}, {Label: "Due on"}}, Empty: empty}
		for _, d := range as {
			href := actionHref(d.ID)
			t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(sms.ActionKind.Number(d.ID)+" · "+d.Title, href),
				{Badges: []ui.Badge{stateBadge(d.State)}}, progressValue(d), dueValue(d)}})
		}
		return t
	}
	return []web.Section{
		{Title: "Waits for", Help: "The actions that must be done before this one starts. Change them in the action's form.",
			Table: table("Waits for", deps, ui.Empty{Icon: "list-details", Title: "Waits for nothing", Text: "It can start whenever its owner is ready."})},
		{Title: "Blocks", Help: "The actions waiting for this one: they should not start before it is done.",
			Table: table("Blocks", blocks, ui.Empty{Icon: "list-details", Title: "Blocks nothing", Text: "No other action waits for this one."})},
	}, nil
}

// TimelinePage is the plan drawn on a calendar: a row per action, a bar
// from its start to its due day.
type TimelinePage struct {
	web.Base
	Filter  ui.Filter
	Summary string
	Chart   timelineChart
	Empty   *ui.Empty
}

// timelineChart is the timeline's geometry, in pixels: the same width
// for every row, so their bars line up under the months.
type timelineChart struct {
	Width  int
	Months []timelineTick
	TodayX float64
	Groups []timelineGroup
}

type timelineTick struct {
	X     float64
	Label string
}

type timelineGroup struct {
	Title string
	Rows  []timelineRow
}

// timelineRow is one action: its bar (X, W), the part done (DoneW), the
// part late past its due day up to today (LateX, LateW) and what it says
// in words.
type timelineRow struct {
	Number, Title, Href, Owner string
	After                      []ui.Link
	Badges                     []ui.Badge
	X, W, DoneW                float64
	LateX, LateW               float64
	TextX                      float64
	TextInside                 bool
	Progress                   int64
	Tone                       string // the bar's colour: plan, late, done, cancelled
	OpenEnd                    bool   // no due day: drawn to today
	Label                      string // the bar in words, for screen readers
}

const dayWidth = 4 // pixels a day: a month is about 120

// timeline answers GET /actions/timeline.
func timeline(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		ctx, actor, q := r.Context(), rq.Auth.Actor, r.URL.Query()
		page := TimelinePage{Base: rq.Base}
		page.Title = "Plan timeline"
		page.Subtitle = "Each open action, and each closed in the last 30 days, as a bar from its start to its due day, with how much is done."
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.ActionKind.Plural, Href: "/" + sms.ActionKind.Path()}}
		page.Actions = []ui.Action{{Label: "List of actions", Icon: "list-details", Href: "/" + sms.ActionKind.Path()}}
		if actor.Can(sms.ActionKind.Write) {
			page.Actions = append([]ui.Action{{Label: "New action", Icon: "plus", Style: ui.Primary, Href: "/" + sms.ActionKind.Path() + "/new"}}, page.Actions...)
		}
		f := store.ActionFilter{Recent: c.Today(-30), Limit: store.MaxLimit}
		source, group := q.Get("source"), q.Get("group")
		if _, ok := sms.SourceOf(source); ok {
			f.Source = source
		}
		owner, _ := strconv.ParseInt(q.Get("owner"), 10, 64)
		f.OwnerID = owner
		as, _, err := c.ListActions(ctx, actor, f)
		if err != nil {
			return err
		}
		all, _, err := c.ListActions(ctx, actor, store.ActionFilter{Recent: c.Today(-30), Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		var owners []int64
		for _, a := range all {
			owners = append(owners, a.OwnerID)
		}
		names, err := p.App().Names(ctx, actor, account.UserKind.Entity, owners)
		if err != nil {
			return err
		}
		ownerOpts := []ui.Option{{Value: "", Label: "Anyone", Selected: owner == 0}}
		slices.Sort(owners)
		for _, id := range slices.Compact(owners) {
			ownerOpts = append(ownerOpts, ui.Option{Value: strconv.FormatInt(id, 10), Label: names[id], Selected: id == owner})
		}
		slices.SortStableFunc(ownerOpts[1:], func(a, b ui.Option) int { return cmp.Compare(a.Label, b.Label) })
		page.Filter = ui.Filter{Action: timelinePath, Target: "timeline", Fields: []ui.Field{
			{Name: "source", Label: "Source", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any source"}}, sms.SourceCodes()...), source)},
			{Name: "owner", Label: "Owner", Type: "select", Options: ownerOpts},
			{Name: "group", Label: "Group by", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Source"}, {Code: "owner", Label: "Owner"}}, group)},
		}}
		if len(as) == 0 {
			page.Empty = &ui.Empty{Icon: "calendar", Title: "No plan to draw yet",
				Text: "Make the plan from the gaps of an assessment (on the assessment's page, “Make the plan from the gaps”), or add actions with a start and a due day."}
			if f.Source != "" || f.OwnerID != 0 {
				page.Empty = &ui.Empty{Icon: "filter", Title: "No action matches", Text: "Choose another source or owner, or any."}
			} else if actor.Can(sms.ActionKind.Write) {
				page.Empty.Action = &ui.Action{Label: "New action", Icon: "plus", Style: ui.Primary, Href: "/" + sms.ActionKind.Path() + "/new"}
			}
			return p.Render(w, r, http.StatusOK, "sms/timeline", page)
		}
		byID := map[int64]sms.Action{}
		for _, a := range all {
			byID[a.ID] = a
		}
		page.Chart = drawTimeline(rq, as, byID, names, group, c.Today(0))
		overdue := 0
		for _, a := range as {
			if a.Overdue(c.Today(0)) {
				overdue++
			}
		}
		page.Summary = rq.T("Actions shown: %d; overdue: %d.", len(as), overdue)
		return p.Render(w, r, http.StatusOK, "sms/timeline", page)
	}
}

// drawTimeline places the actions on a calendar from the first month
// any starts in to the last any ends in (today included), grouped by
// source or owner.
func drawTimeline(rq *web.Request, as []sms.Action, byID map[int64]sms.Action, names map[int64]string, group, today string) timelineChart {
	day := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d
	}
	now := day(today)
	type span struct{ start, end time.Time }
	spans := make([]span, len(as))
	first, last := now, now
	for i, a := range as {
		s := day(a.StartOn)
		if a.StartOn == "" {
			s = a.CreatedAt.UTC().Truncate(24 * time.Hour)
		}
		e := now
		if a.DueOn != "" {
			e = day(a.DueOn)
		}
		if e.Before(s) {
			s = e
		}
		spans[i] = span{s, e}
		first, last = minTime(first, s), maxTime(last, e)
	}
	from := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	x := func(t time.Time) float64 { return float64(t.Sub(from).Hours()/24) * dayWidth }
	ch := timelineChart{Width: int(x(to)), TodayX: x(now) + dayWidth/2}
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		label := rq.L.Lookup(m.Month().String()[:3])
		if m.Month() == time.January || m.Equal(from) {
			label += " " + strconv.Itoa(m.Year())
		}
		ch.Months = append(ch.Months, timelineTick{X: x(m), Label: label})
	}
	order := make([]int, len(as))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		return cmp.Or(spans[i].start.Compare(spans[j].start), spans[i].end.Compare(spans[j].end), cmp.Compare(as[i].ID, as[j].ID))
	})
	groups := map[string]*timelineGroup{}
	var keys []string
	for _, i := range order {
		a, sp := as[i], spans[i]
		key, title := a.Source, label(sms.SourceCodes(), a.Source)
		if group == "owner" {
			key, title = strconv.FormatInt(a.OwnerID, 10), names[a.OwnerID]
		}
		g, ok := groups[key]
		if !ok {
			g = &timelineGroup{Title: title}
			groups[key], keys = g, append(keys, key)
		}
		row := timelineRow{Number: sms.ActionKind.Number(a.ID), Title: a.Title, Href: actionHref(a.ID), Owner: names[a.OwnerID],
			X: x(sp.start), W: max(x(sp.end.AddDate(0, 0, 1))-x(sp.start), dayWidth), Progress: a.Progress, Tone: "plan", OpenEnd: a.DueOn == ""}
		row.DoneW = row.W * float64(a.Progress) / 100
		var waiting []sms.Action
		for _, d := range a.DependsOn {
			dep, ok := byID[d]
			if ok {
				waiting = append(waiting, dep)
			}
			row.After = append(row.After, ui.Link{Text: sms.ActionKind.Number(d), Href: actionHref(d)})
		}
		utc := rq.L.In(time.UTC)
		words := rq.T("%s to %s, %d %% done", utc.Date(sp.start), utc.Date(sp.end), a.Progress)
		switch {
		case a.State == "done":
			row.Tone = "done"
			row.Badges = append(row.Badges, stateBadge(a.State))
		case a.State == "cancelled":
			row.Tone = "cancelled"
			row.Badges = append(row.Badges, stateBadge(a.State))
		case a.Overdue(today):
			row.Tone = "late"
			row.LateX, row.LateW = x(sp.end.AddDate(0, 0, 1)), x(now.AddDate(0, 0, 1))-x(sp.end.AddDate(0, 0, 1))
			late := int(now.Sub(sp.end).Hours() / 24)
			row.Badges = append(row.Badges, ui.Badge{Text: rq.T("Overdue by %d days", late), Tone: ui.Danger})
			words += ", " + rq.T("overdue by %d days", late)
		case a.State == "in_progress":
			row.Badges = append(row.Badges, stateBadge(a.State))
		}
		if w := a.Waiting(waiting); a.OutOfOrder(w) {
			row.Badges = append(row.Badges, ui.Badge{Text: outOfOrder(rq, a, w), Tone: ui.Warning})
		}
		if row.OpenEnd {
			words += ", " + rq.L.Lookup("no due day")
		}
		row.Label = rq.T("%s %s: %s", row.Number, a.Title, words)
		row.TextInside = row.W >= 44
		row.TextX = row.X + 6
		if !row.TextInside {
			row.TextX = row.X + max(row.W, row.LateW+row.W) + 4
		}
		g.Rows = append(g.Rows, row)
	}
	slices.SortStableFunc(keys, func(a, b string) int {
		if group == "owner" {
			return cmp.Compare(groups[a].Title, groups[b].Title)
		}
		return cmp.Compare(sourceOrder(a), sourceOrder(b))
	})
	for _, k := range keys {
		ch.Groups = append(ch.Groups, *groups[k])
	}
	return ch
}

// sourceOrder is a source's place in sms.ActionSources.
func sourceOrder(code string) int {
	return slices.IndexFunc(sms.ActionSources, func(s sms.ActionSource) bool { return s.Code == code })
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
