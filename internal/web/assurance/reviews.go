package assurance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

func reviewHref(id int64) string {
	return fmt.Sprintf("/%s/%d", assurance.ManagementReviewKind.Path(), id)
}

// codeChoices are a select's options from codes, the selected one marked.
func codeChoices(codes []sms.Code, selected string) []ui.Option {
	out := make([]ui.Option, 0, len(codes))
	for _, c := range codes {
		out = append(out, ui.Option{Value: c.Code, Label: c.Label, Selected: c.Code == selected})
	}
	return out
}

func codeLabel(codes []sms.Code, code string) string {
	for _, c := range codes {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// reviewDay is a day as people read it.
func reviewDay(day string) ui.Value {
	if d, err := time.Parse(time.DateOnly, day); err == nil {
		return ui.Value{Day: d}
	}
	return ui.Value{Text: day}
}

func reviewBadge(state string) ui.Badge {
	tone := map[string]ui.Tone{"planned": ui.Neutral, "prepared": ui.Info, "held": ui.Success, "approved": ui.Success, "cancelled": ui.Neutral}[state]
	return ui.Badge{Text: codeLabel(assurance.ReviewStates, state), Tone: tone}
}

// registerReviews adds the management reviews' pages and steps.
func registerReviews(p *web.Pages, c *assuranceapp.Catalogue, mux guard.Registrar) {
	k := assurance.ManagementReviewKind
	reviewPages(p, c).Register(p, mux)
	steps := map[string]func(context.Context, access.Actor, int64, int64, *http.Request) (assurance.ManagementReview, error){
		"prepare": func(ctx context.Context, a access.Actor, id, v int64, _ *http.Request) (assurance.ManagementReview, error) {
			return c.PrepareManagementReview(ctx, a, id, v)
		},
		"hold": func(ctx context.Context, a access.Actor, id, v int64, r *http.Request) (assurance.ManagementReview, error) {
			return c.HoldManagementReview(ctx, a, id, v, strings.TrimSpace(r.FormValue("held_on")))
		},
		"approve": func(ctx context.Context, a access.Actor, id, v int64, _ *http.Request) (assurance.ManagementReview, error) {
			return c.ApproveReviewMinutes(ctx, a, id, v)
		},
		"cancel": func(ctx context.Context, a access.Actor, id, v int64, _ *http.Request) (assurance.ManagementReview, error) {
			return c.CancelManagementReview(ctx, a, id, v)
		},
	}
	for verb, do := range steps {
		p.Handle(mux, "POST /"+k.Path()+"/{id}/"+verb, k.Write, func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
			id, err := web.PathID(r)
			if err != nil {
				return err
			}
			if _, err := do(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version"), r); err != nil {
				return err
			}
			http.Redirect(w, r, reviewHref(id)+"?done="+verb, http.StatusSeeOther)
			return nil
		})
	}
	p.Handle(mux, "GET /"+k.Path()+"/{id}/minutes.pdf", k.Read, minutesPDF(p, c))
}

// reviewPages are the management reviews' pages: the list with the next
// review's suggested day; a review's page with its steps, its input pack
// section by section (frozen with its hash once held), its minutes,
// decisions and output actions.
func reviewPages(p *web.Pages, c *assuranceapp.Catalogue) web.Resource[assurance.ManagementReview, *assurance.ManagementReview] {
	k := assurance.ManagementReviewKind
	return web.Resource[assurance.ManagementReview, *assurance.ManagementReview]{
		Kind:     k,
		Subtitle: "Top management's reviews of the service management system at planned intervals: each prepared with an input pack read from the live records, frozen when the review is held.",
		Empty: ui.Empty{Icon: "gauge", Title: "No management reviews yet",
			Text: "Plan the first review: its day, its chair from top management and who attends. Prepare it to assemble the input pack, then hold it."},
		Columns: []web.Column[assurance.ManagementReview]{
			{Column: ui.Column{Label: "Review", Key: true, Sort: "text"}, Value: func(r assurance.ManagementReview) ui.Value { return ui.Text(r.Title) }},
			{Column: ui.Column{Label: "Planned on", Sort: "time"}, Value: func(r assurance.ManagementReview) ui.Value { return reviewDay(r.PlannedOn) }},
			{Column: ui.Column{Label: "Held on", Sort: "time"}, Value: func(r assurance.ManagementReview) ui.Value {
				if r.HeldOn == "" {
					return ui.Value{Empty: "Not held"}
				}
				return reviewDay(r.HeldOn)
			}},
			{Column: ui.Column{Label: "Chair"}, Ref: account.UserKind.Entity, RefID: func(r assurance.ManagementReview) int64 { return r.ChairID }},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(r assurance.ManagementReview) ui.Value { return ui.Value{Badges: []ui.Badge{reviewBadge(r.State)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "state", Label: "State", Type: "select", Options: codeChoices(append([]sms.Code{{Code: "", Label: "Any state"}}, assurance.ReviewStates...), q.Get("state"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]assurance.ManagementReview, string, error) {
			return c.ListManagementReviews(ctx, actor, store.ManagementReviewFilter{Query: q.Get("q"), State: q.Get("state"), Cursor: cursor})
		},
		Lead: func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
			day, last, err := c.NextReviewDay(ctx, rq.Auth.Actor)
			if err != nil || day == "" {
				return nil, err
			}
			sec := web.Section{Title: "Next review", Help: rq.T("Due %d months after the last review held, %s.", last.IntervalMonths, k.Number(last.ID)),
				Items: []ui.Item{{Label: "Suggested day", Value: reviewDay(day)}, {Label: "Last held", Value: ui.Linked(last.Title, reviewHref(last.ID))}}}
			if rq.Auth.Actor.Can(k.Write) {
				sec.Actions = []ui.Action{{Label: "Plan the next review", Icon: "plus", Href: "/" + k.Path() + "/new?planned_on=" + day}}
			}
			return []web.Section{sec}, nil
		},
		Get:       c.GetManagementReview,
		Name:      func(r assurance.ManagementReview) string { return r.Title },
		Badges:    func(r assurance.ManagementReview) []ui.Badge { return []ui.Badge{reviewBadge(r.State)} },
		MayEdit:   func(r assurance.ManagementReview) bool { return !r.Closed() },
		MayDelete: func(r assurance.ManagementReview) bool { return !r.Frozen() },
		DeleteText: func(assurance.ManagementReview) string {
			return "The review disappears from every list; its history stays in the audit trail. Cancel it instead to keep that it was planned."
		},
		Details: func(ctx context.Context, rq *web.Request, r assurance.ManagementReview) []ui.Item {
			actor := rq.Auth.Actor
			attendees := ui.Value{Empty: "No one named yet"}
			names, _ := p.App().Names(ctx, actor, account.UserKind.Entity, r.AttendeeIDs)
			for _, id := range r.AttendeeIDs {
				attendees.Links = append(attendees.Links, ui.Link{Text: names[id], Href: fmt.Sprintf("/%s/%d", account.UserKind.Path(), id)})
			}
			held := ui.Value{Empty: "Not held yet"}
			if r.HeldOn != "" {
				held = reviewDay(r.HeldOn)
			}
			items := []ui.Item{
				{Label: "Planned on", Value: reviewDay(r.PlannedOn)},
				{Label: "Held on", Value: held},
				{Label: "Chair", Help: "Who chairs the review: a member of top management or an SMS manager.", Value: p.Ref(ctx, actor, account.UserKind.Entity, r.ChairID)},
				{Label: "Attendees", Value: attendees},
				{Label: "Next review due", Help: "This review's day plus its interval; the list of reviews suggests it for the next one.",
					Value: ui.Value{Day: mustDay(r.NextDue()), Note: rq.T("%d months after this review", r.IntervalMonths)}},
			}
			if r.State == "approved" {
				items = append(items, ui.Item{Label: "Minutes approved", Value: ui.Value{Text: rq.Day(r.ApprovedOn), Note: rq.T("by %s", p.Ref(ctx, actor, account.UserKind.Entity, r.ApprovedBy).Text)}})
			}
			return items
		},
		Related: func(ctx context.Context, rq *web.Request, r assurance.ManagementReview) ([]web.Section, error) {
			return reviewSections(ctx, c, rq, r)
		},
		Fields: func(fc web.FormContext, r assurance.ManagementReview) ([]ui.Field, error) {
			return reviewFields(p, fc, r)
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (assurance.ManagementReview, error) {
			return c.CreateManagementReview(ctx, actor, reviewInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (assurance.ManagementReview, error) {
			in := reviewInput(f)
			up := assurance.ReviewUpdate{Title: &in.Title, ChairID: &in.ChairID, AttendeeIDs: &in.AttendeeIDs, IntervalMonths: &in.IntervalMonths,
				Minutes: &in.Minutes, Decisions: &in.Decisions}
			if f.Has("planned_on") {
				up.PlannedOn = &in.PlannedOn
			}
			return c.UpdateManagementReview(ctx, actor, id, version, up)
		},
		Delete: c.DeleteManagementReview,
	}
}

func mustDay(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

// reviewInput reads a review's form; decisions are one a line.
func reviewInput(f url.Values) assurance.ReviewInput {
	chair, _ := strconv.ParseInt(f.Get("chair_id"), 10, 64)
	months, _ := strconv.ParseInt(f.Get("interval_months"), 10, 64)
	var attendees []int64
	for _, s := range f["attendee_ids"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			attendees = append(attendees, id)
		}
	}
	return assurance.ReviewInput{Title: f.Get("title"), PlannedOn: f.Get("planned_on"), ChairID: chair, IntervalMonths: months, AttendeeIDs: attendees,
		Minutes: f.Get("minutes"), Decisions: strings.Split(strings.ReplaceAll(f.Get("decisions"), "\r\n", "\n"), "\n")}
}

// reviewFields are a review's form: the plan, and once it is held the
// minutes and decisions.
func reviewFields(p *web.Pages, fc web.FormContext, r assurance.ManagementReview) ([]ui.Field, error) {
	chair := r.ChairID
	if fc.Posted != nil {
		chair, _ = strconv.ParseInt(fc.Posted.Get("chair_id"), 10, 64)
	}
	chairs, err := p.UserPicker(fc, "chair_id", "Chair", chair, access.ManagementReviewsWrite)
	if err != nil {
		return nil, err
	}
	chairs.Help, chairs.Required = "A member of top management or an SMS manager.", true
	us, _, err := p.App().ListUsers(fc.Ctx, fc.Actor, store.UserFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	chosen := map[int64]bool{}
	for _, id := range r.AttendeeIDs {
		chosen[id] = true
	}
	if fc.Posted != nil {
		chosen = map[int64]bool{}
		for _, s := range fc.Posted["attendee_ids"] {
			id, _ := strconv.ParseInt(s, 10, 64)
			chosen[id] = true
		}
	}
	var people []ui.Option
	for _, u := range us {
		if u.Active && u.Actor("").Can(access.ManagementReviewsRead) {
			people = append(people, ui.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name, Selected: chosen[u.ID]})
		}
	}
	planned := r.PlannedOn
	if fc.Creating && planned == "" {
		planned = fc.Query.Get("planned_on")
	}
	months := r.IntervalMonths
	if months == 0 {
		months = 12
	}
	var intervals []ui.Option
	for _, m := range assurance.ReviewIntervals {
		intervals = append(intervals, ui.Option{Value: strconv.FormatInt(m, 10), Label: fc.L.T("Every %d months", m), Selected: m == months})
	}
	fields := []ui.Field{
		{Name: "title", Label: "Title", Value: r.Title, Required: true, Placeholder: "Management review, first half of 2027"},
	}
	if !r.Frozen() {
		fields = append(fields, ui.Field{Name: "planned_on", Label: "Planned on", Type: "date", Value: planned, Required: true})
	}
	fields = append(fields, chairs,
		ui.Field{Name: "attendee_ids", Label: "Attendees", Type: "checkboxes", Options: people, Help: "Who takes part: top management, the SMS manager, process owners."},
		ui.Field{Name: "interval_months", Label: "Next review after", Type: "select", Options: intervals, Help: "The next review is suggested this long after this one is held."})
	if r.Frozen() {
		fields = append(fields,
			ui.Field{Name: "minutes", Label: "Minutes", Type: "textarea", Rows: 10, Value: r.Minutes, Help: "What was discussed, input by input."},
			ui.Field{Name: "decisions", Label: "Decisions", Type: "textarea", Rows: 5, Value: strings.Join(r.Decisions, "\n"),
				Help: "One decision a line: on improvement opportunities, on changes to the SMS and the services, on resources."})
	}
	return fields, nil
}

// reviewSections are a review's next step, its input pack, its decisions
// and minutes, and its output actions.
func reviewSections(ctx context.Context, c *assuranceapp.Catalogue, rq *web.Request, r assurance.ManagementReview) ([]web.Section, error) {
	actor := rq.Auth.Actor
	k := assurance.ManagementReviewKind
	var out []web.Section
	version := []ui.Hidden{{Name: "version", Value: strconv.FormatInt(r.Version, 10)}}
	step := web.Section{Title: "Next step"}
	may := actor.Can(k.Write)
	switch r.State {
	case "planned":
		step.Help = "Preparing reads the inputs a to k from the live records into the review's input pack. It can be prepared again until the review is held."
		if may {
			step.Actions = []ui.Action{{Label: "Prepare the input pack", Icon: "refresh", Style: ui.Primary, Post: reviewHref(r.ID) + "/prepare", CSRF: rq.Base.CSRF, Hidden: version},
				{Label: "Cancel the review", Icon: "x", Post: reviewHref(r.ID) + "/cancel", CSRF: rq.Base.CSRF, Hidden: version,
					Confirm: &ui.Confirm{Title: rq.T("Cancel %s?", r.Title), Text: "It stays on record as cancelled and can no longer be prepared or held.", Button: "Cancel the review"}}}
		}
	case "prepared":
		step.Help = "Holding the review freezes its input pack as it stands: it is kept with its SHA-256 and never assembled again."
		if may {
			step.Form = &ui.Form{ID: "hold-form", Action: reviewHref(r.ID) + "/hold", CSRF: rq.Base.CSRF, Hidden: version, Submit: "Hold the review",
				Fields: []ui.Field{{Name: "held_on", Label: "Held on", Type: "date", Value: c.ReviewToday(), Required: true, Help: "Not before the pack was assembled, not in the future."}}}
			step.Actions = []ui.Action{{Label: "Prepare again", Icon: "refresh", Post: reviewHref(r.ID) + "/prepare", CSRF: rq.Base.CSRF, Hidden: version}}
		}
	case "held":
		step.Help = "Record the minutes and decisions (Edit), add the output actions, then approve the minutes; the review then no longer changes."
		if may {
			step.Actions = []ui.Action{{Label: "Approve the minutes", Icon: "check", Style: ui.Primary, Post: reviewHref(r.ID) + "/approve", CSRF: rq.Base.CSRF, Hidden: version,
				Confirm: &ui.Confirm{Title: rq.T("Approve the minutes of %s?", r.Title), Text: "The review, its minutes and decisions then no longer change.", Button: "Approve the minutes"}}}
		}
	default:
		step = web.Section{}
	}
	if step.Title != "" && (len(step.Actions) > 0 || step.Form != nil || step.Help != "") {
		out = append(out, step)
	}
	if r.Frozen() {
		out = append(out, web.Section{Title: "Minutes and decisions", Actions: []ui.Action{{Label: "Minutes as PDF", Icon: "file-type-pdf", Href: reviewHref(r.ID) + "/minutes.pdf"}},
			Items: []ui.Item{{Label: "Minutes", Value: ui.Value{Text: r.Minutes, Long: true, Empty: "Not recorded yet"}},
				{Label: "Decisions", Value: decisionsValue(r.Decisions)}}})
	}
	if actor.Can(sms.ActionKind.Read) {
		as, _, err := c.ReviewActions(ctx, actor, "review", r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, actionsSection(rq, "Output actions", "The actions the review decided on, each with its owner and due day.", "review", r.ID, as,
			"No output actions yet", "Add the actions the review decided on; they show here, in the list of actions and in the next review's input pack."))
	}
	pack, err := assurance.DecodePack(r.Pack)
	if err != nil {
		return nil, err
	}
	if r.Pack == "" {
		return out, nil
	}
	head := web.Section{Title: "Input pack", Help: rq.T("Assembled on %s from the live records; changes counted since %s.", rq.Days(pack.AssembledOn), orNone(rq, pack.Since))}
	if r.Frozen() {
		head.Help = rq.T("Frozen when the review was held on %s; assembled on %s. The SHA-256 of the stored pack is shown so that anyone can check it was not changed.", rq.Day(r.HeldOn), rq.Days(pack.AssembledOn))
		head.Items = []ui.Item{{Label: "SHA-256", Value: ui.Value{Text: r.PackHash, Code: true}}}
	} else {
		head.Items = []ui.Item{{Label: "State", Value: ui.Text(rq.L.Lookup("Not frozen: preparing again brings it up to date."))}}
	}
	out = append(out, head)
	for _, s := range pack.Sections {
		out = append(out, packSection(rq, s))
	}
	return out, nil
}

func orNone(rq *web.Request, since string) string {
	if since == "" {
		return rq.L.Lookup("the start (no earlier review)")
	}
	return rq.Days(since)
}

func decisionsValue(ds []string) ui.Value {
	if len(ds) == 0 {
		return ui.Value{Empty: "None recorded yet"}
	}
	return ui.Value{Text: "• " + strings.Join(ds, "\n• "), Long: true}
}

// packSection draws one section of the pack: its figures, its records
// linked, what it was read from, or plainly that there is nothing.
func packSection(rq *web.Request, s assurance.PackSection) web.Section {
	// The pack is stored as assembled; its days show in the reader's language.
	sec := web.Section{Title: rq.T("%s. %s", s.Input, rq.L.Lookup(s.Title)), Help: rq.Days(s.Query)}
	for _, f := range s.Facts {
		sec.Items = append(sec.Items, ui.Item{Label: f.Label, Value: ui.Text(rq.Days(f.Value))})
	}
	if len(s.Rows) > 0 {
		t := &ui.Table{Caption: s.Title, Columns: []ui.Column{{Label: "Record", Key: true}, {Label: "Number"}, {Label: "Standing"}}}
		for _, r := range s.Rows {
			t.Rows = append(t.Rows, ui.Row{Href: r.Href, Cells: []ui.Value{ui.Linked(r.Name, r.Href), {Text: r.Number, Code: true}, ui.Text(rq.Days(r.Detail))}})
		}
		sec.Table = t
	}
	if s.Empty != "" && len(s.Rows) == 0 {
		sec.Items = append(sec.Items, ui.Item{Label: "Found", Value: ui.Text(rq.Days(s.Empty))})
	}
	if s.Href != "" {
		sec.Actions = []ui.Action{{Label: "Open the records", Icon: "external-link", Href: s.Href, Name: rq.T("Open the records of %s", rq.L.Lookup(s.Title))}}
	}
	return sec
}

// actionsSection lists the actions a record asked for, with the way to
// add one.
func actionsSection(rq *web.Request, title, help, source string, id int64, as []sms.Action, emptyTitle, emptyText string) web.Section {
	s := web.Section{Title: title, Help: help}
	newHref := fmt.Sprintf("/%s/new?source=%s&source_%s=%d", sms.ActionKind.Path(), source, source, id)
	may := rq.Auth.Actor.Can(sms.ActionKind.Write)
	if len(as) == 0 {
		s.Empty = &ui.Empty{Icon: "list-details", Title: emptyTitle, Text: emptyText}
		if may {
			s.Empty.Action = &ui.Action{Label: "Add an action", Icon: "plus", Href: newHref}
		}
		return s
	}
	t := &ui.Table{Caption: title, Columns: []ui.Column{{Label: "Action", Key: true}, {Label: "Due on"}, {Label: "State"}}}
	for _, a := range as {
		href := fmt.Sprintf("/%s/%d", sms.ActionKind.Path(), a.ID)
		due := ui.Value{Empty: "No due day"}
		if a.DueOn != "" {
			due = reviewDay(a.DueOn)
		}
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(a.Title, href), due, ui.Text(codeLabel(sms.ActionStates, a.State))}})
	}
	s.Table = t
	if may {
		s.Actions = []ui.Action{{Label: "Add an action", Icon: "plus", Href: newHref}}
	}
	return s
}

// minutesPDF sends a held review's minutes as a PDF.
func minutesPDF(p *web.Pages, c *assuranceapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		ctx, actor := r.Context(), rq.Auth.Actor
		rv, err := c.GetManagementReview(ctx, actor, id)
		if err != nil {
			return err
		}
		if !rv.Frozen() {
			return errs.E(errs.Conflict, "%s is not held yet: its minutes are written once it is", assurance.ManagementReviewKind.Number(id))
		}
		names, err := p.App().Names(ctx, actor, account.UserKind.Entity, append([]int64{rv.ChairID}, rv.AttendeeIDs...))
		if err != nil {
			return err
		}
		var attendees, lines []string
		for _, a := range rv.AttendeeIDs {
			attendees = append(attendees, names[a])
		}
		if actor.Can(sms.ActionKind.Read) {
			as, _, err := c.ReviewActions(ctx, actor, "review", id)
			if err != nil {
				return err
			}
			for _, a := range as {
				line := fmt.Sprintf("%s %s (%s", sms.ActionKind.Number(a.ID), a.Title, codeLabel(sms.ActionStates, a.State))
				if a.DueOn != "" {
					line += ", due " + a.DueOn
				}
				lines = append(lines, line+")")
			}
		}
		b, err := reports.MinutesPDF(rv, names[rv.ChairID], attendees, lines, time.Now())
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-minutes.pdf"`, assurance.ManagementReviewKind.Number(id)))
		_, err = w.Write(b)
		return err
	}
}
