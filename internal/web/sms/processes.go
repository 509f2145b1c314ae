package sms

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

func processHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.ProcessKind.Path(), id) }

// links names records of a kind, each linked, in the order of their names.
func links(ctx context.Context, p *web.Pages, actor access.Actor, k record.Kind, ids []int64) (ui.Value, error) {
	if len(ids) == 0 {
		return ui.Value{Empty: "None"}, nil
	}
	names, err := p.App().Names(ctx, actor, k.Entity, ids)
	if err != nil {
		return ui.Value{}, err
	}
	var v ui.Value
	for _, id := range ids {
		if n, ok := names[id]; ok {
			v.Links = append(v.Links, ui.Link{Text: n, Href: fmt.Sprintf("/%s/%d", k.Path(), id)})
		}
	}
	slices.SortStableFunc(v.Links, func(a, b ui.Link) int { return cmp.Compare(a.Text, b.Text) })
	return v, nil
}

// maturityBadge says a process's maturity in words, toned from red
// (nothing in place) to green (measured, optimised).
func maturityBadge(m int64) ui.Badge {
	tone := []ui.Tone{ui.Danger, ui.Danger, ui.Warning, ui.Info, ui.Success, ui.Success}[min(max(m, 0), 5)]
	return ui.Badge{Text: "Maturity " + label(sms.MaturityLevels, strconv.FormatInt(m, 10)), Tone: tone}
}

// docBadge says how far a process is written down.
func docBadge(p sms.Process) ui.Badge {
	if p.DocStatus() == "described" {
		return ui.Badge{Text: "Described", Tone: ui.Success}
	}
	return ui.Badge{Text: "Description incomplete", Tone: ui.Warning}
}

// processPages are the process register's pages, with a link to the
// process map.
func processPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Process, *sms.Process] {
	return web.Resource[sms.Process, *sms.Process]{
		Kind:     sms.ProcessKind,
		Subtitle: "The SMS's processes: the ones clause 8 asks for and the SMS's own, each with its owner, purpose, interfaces, KPIs, maturity and the requirements it answers.",
		Empty: ui.Empty{Icon: "refresh", Title: "No processes",
			Text: "Conform starts with the processes ISO/IEC 20000-1 asks for. Add one of your own, such as knowledge management."},
		Columns: []web.Column[sms.Process]{
			{Column: ui.Column{Label: "Process", Key: true, Sort: "text"}, Value: func(p sms.Process) ui.Value { return ui.Text(p.Name) }},
			{Column: ui.Column{Label: "Area", Sort: "text"}, Value: func(p sms.Process) ui.Value { return ui.Badged(label(sms.ProcessAreas, p.Area), ui.Neutral) }},
			{Column: ui.Column{Label: "Process owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(p sms.Process) int64 {
				if p.OwnerID == nil {
					return 0
				}
				return *p.OwnerID
			}},
			{Column: ui.Column{Label: "Maturity", Sort: "text"}, Value: func(p sms.Process) ui.Value { return ui.Value{Badges: []ui.Badge{maturityBadge(p.Maturity)}} }},
			{Column: ui.Column{Label: "Documentation", Sort: "text"}, Value: func(p sms.Process) ui.Value { return ui.Value{Badges: []ui.Badge{docBadge(p)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "area", Label: "Area", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any area"}}, sms.ProcessAreas...), q.Get("area"))},
				{Name: "owner", Label: "Process owner", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Anyone"}, {Code: "mine", Label: "Mine"},
					{Code: "none", Label: "No owner yet"}}, q.Get("owner"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Process, string, error) {
			f := store.ProcessFilter{Query: q.Get("q"), Area: q.Get("area"), Cursor: cursor}
			switch q.Get("owner") {
			case "mine":
				f.OwnerID = actor.UserID
			case "none":
				f.NoOwner = true
			}
			return c.ListProcesses(ctx, actor, f)
		},
		ListActions: []ui.Action{{Label: "Process map", Icon: "components", Href: "/" + sms.ProcessKind.Path() + "/map"}},
		Get:         c.GetProcess,
		Name:        func(p sms.Process) string { return p.Name },
		Badges:      func(p sms.Process) []ui.Badge { return []ui.Badge{maturityBadge(p.Maturity), docBadge(p)} },
		Details: func(ctx context.Context, rq *web.Request, pr sms.Process) []ui.Item {
			actor := rq.Auth.Actor
			owner := ui.Value{Empty: "No owner yet"}
			if pr.OwnerID != nil {
				owner = p.Ref(ctx, actor, account.UserKind.Entity, *pr.OwnerID)
			}
			items := []ui.Item{
				{Label: "Area", Help: "The group of processes it belongs to, as clause 8 groups them.", Value: ui.Text(rq.L.Lookup(label(sms.ProcessAreas, pr.Area)))},
				{Label: "Process owner", Help: "The one person who answers for the process working and improving.", Value: owner},
				{Label: "Maturity", Help: sms.MaturityHelp, Value: ui.Value{Badges: []ui.Badge{maturityBadge(pr.Maturity)}}},
				{Label: "Documentation", Help: "Described once its purpose, scope, inputs and outputs are all written.", Value: ui.Value{Badges: []ui.Badge{docBadge(pr)}}},
				{Label: "Purpose", Help: "Why the process exists: what it achieves for the services.", Value: ui.Value{Text: pr.Purpose, Long: true, Empty: "Not written yet"}},
				{Label: "Scope", Help: "Where the process starts and ends, and which services, locations and teams it covers.", Value: ui.Value{Text: pr.Scope, Long: true, Empty: "Not written yet"}},
				{Label: "Inputs", Help: "What the process takes in, and from whom.", Value: ui.Value{Text: pr.Inputs, Long: true, Empty: "Not written yet"}},
				{Label: "Outputs", Help: "What the process produces, and for whom.", Value: ui.Value{Text: pr.Outputs, Long: true, Empty: "Not written yet"}},
			}
			for _, l := range []struct {
				label, help string
				k           record.Kind
				ids         []int64
			}{
				{"Interfaces", "The processes it hands work to or takes work from.", sms.ProcessKind, pr.InterfaceIDs},
				{"KPIs", "The objectives that measure how well the process works.", sms.ObjectiveKind, pr.KPIIDs},
				{"Requirements answered", "The requirements of the standard this process meets.", sms.RequirementKind, pr.RequirementIDs},
			} {
				v, err := links(ctx, p, actor, l.k, l.ids)
				if err != nil {
					v = ui.Value{Empty: "Could not be read"}
				}
				items = append(items, ui.Item{Label: l.label, Help: l.help, Value: v})
			}
			if others, _, err := c.ListProcesses(ctx, actor, store.ProcessFilter{InterfaceOf: pr.ID, Limit: store.MaxLimit}); err == nil {
				ids := make([]int64, len(others))
				for i, o := range others {
					ids[i] = o.ID
				}
				if v, err := links(ctx, p, actor, sms.ProcessKind, ids); err == nil {
					items = append(items, ui.Item{Label: "Named as an interface by", Value: v})
				}
			}
			return items
		},
		Related: func(ctx context.Context, rq *web.Request, pr sms.Process) ([]web.Section, error) {
			return processRaci(ctx, p, c, rq, pr)
		},
		Fields: func(fc web.FormContext, pr sms.Process) ([]ui.Field, error) {
			return processFields(p, c, fc, pr)
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Process, error) {
			return c.CreateProcess(ctx, actor, processInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Process, error) {
			in := processInput(f)
			owner := int64(0)
			if in.OwnerID != nil {
				owner = *in.OwnerID
			}
			return c.UpdateProcess(ctx, actor, id, version, sms.ProcessUpdate{Name: &in.Name, Area: &in.Area, OwnerID: &owner, Purpose: &in.Purpose,
				Scope: &in.Scope, Inputs: &in.Inputs, Outputs: &in.Outputs, Maturity: &in.Maturity,
				InterfaceIDs: &in.InterfaceIDs, KPIIDs: &in.KPIIDs, RequirementIDs: &in.RequirementIDs})
		},
		Delete: c.DeleteProcess,
		DeleteText: func(sms.Process) string {
			return "It leaves the register and the process map; its history stays in the audit trail. A process another names as an interface, or with a RACI row, cannot be deleted."
		},
	}
}

// ids reads a list of ids posted as one field per id.
func ids(f url.Values, name string) []int64 {
	out := []int64{}
	for _, s := range f[name] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// processInput reads a process's form.
func processInput(f url.Values) sms.ProcessInput {
	owner, _ := strconv.ParseInt(f.Get("owner_id"), 10, 64)
	maturity, err := strconv.ParseInt(f.Get("maturity"), 10, 64)
	if err != nil {
		maturity = -1
	}
	return sms.ProcessInput{Name: f.Get("name"), Area: f.Get("area"), OwnerID: &owner, Purpose: f.Get("purpose"), Scope: f.Get("scope"),
		Inputs: f.Get("inputs"), Outputs: f.Get("outputs"), Maturity: maturity,
		InterfaceIDs: ids(f, "interface_ids"), KPIIDs: ids(f, "kpi_ids"), RequirementIDs: ids(f, "requirement_ids")}
}

// processFields are a process's form: its interfaces, KPIs and
// requirements as boxes to tick.
func processFields(p *web.Pages, c *smsapp.Catalogue, fc web.FormContext, pr sms.Process) ([]ui.Field, error) {
	var owner int64
	if pr.OwnerID != nil {
		owner = *pr.OwnerID
	}
	if fc.Posted != nil {
		owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
	}
	owners, err := p.UserPicker(fc, "owner_id", "Process owner", owner, access.ProcessesRead)
	if err != nil {
		return nil, err
	}
	owners.Help = "The one person who answers for the process working and improving."
	if owner != 0 {
		owners.Options = append([]ui.Option{{Value: "", Label: "No owner yet"}}, owners.Options...)
	}
	area, maturity := or(pr.Area, "resolution"), strconv.FormatInt(pr.Maturity, 10)
	has := func(list []int64) func(int64) bool { return func(id int64) bool { return slices.Contains(list, id) } }
	procs, err := c.AllProcesses(fc.Ctx, fc.Actor)
	if err != nil {
		return nil, err
	}
	var interfaces []ui.Option
	for _, o := range procs {
		if o.ID != pr.ID {
			interfaces = append(interfaces, ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: has(pr.InterfaceIDs)(o.ID)})
		}
	}
	objs, _, err := c.ListObjectives(fc.Ctx, fc.Actor, store.ObjectiveFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var kpis []ui.Option
	for _, o := range objs {
		kpis = append(kpis, ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Statement, Selected: has(pr.KPIIDs)(o.ID)})
	}
	var reqs []ui.Option
	fws, _, err := c.ListFrameworks(fc.Ctx, fc.Actor, store.FrameworkFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, fw := range fws {
		tree, err := c.Tree(fc.Ctx, fc.Actor, fw.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range tree {
			lbl := r.Label()
			if !fw.BuiltIn() {
				lbl = fw.Name + " · " + lbl
			}
			reqs = append(reqs, ui.Option{Value: strconv.FormatInt(r.ID, 10), Label: lbl, Selected: has(pr.RequirementIDs)(r.ID)})
		}
	}
	return []ui.Field{
		{Name: "name", Label: "Name", Value: pr.Name, Required: true},
		{Name: "area", Label: "Area", Type: "select", Value: area, Options: choices(sms.ProcessAreas, area), Help: "The group of processes it belongs to, as clause 8 groups them."},
		owners,
		{Name: "maturity", Label: "Maturity", Type: "select", Value: maturity, Options: choices(sms.MaturityLevels, maturity), Help: sms.MaturityHelp},
		{Name: "purpose", Label: "Purpose", Type: "textarea", Rows: 3, Value: pr.Purpose, Help: "Why the process exists: what it achieves for the services."},
		{Name: "scope", Label: "Scope", Type: "textarea", Rows: 3, Value: pr.Scope, Help: "Where the process starts and ends, and which services, locations and teams it covers."},
		{Name: "inputs", Label: "Inputs", Type: "textarea", Rows: 3, Value: pr.Inputs, Help: "What the process takes in, and from whom."},
		{Name: "outputs", Label: "Outputs", Type: "textarea", Rows: 3, Value: pr.Outputs, Help: "What the process produces, and for whom."},
		{Name: "interface_ids", Label: "Interfaces", Type: "checkboxes", Options: interfaces, Help: "The processes it hands work to or takes work from."},
		{Name: "kpi_ids", Label: "KPIs", Type: "checkboxes", Options: kpis, Help: "The objectives that measure how well the process works. Add objectives first to choose them here."},
		{Name: "requirement_ids", Label: "Requirements answered", Type: "checkboxes", Options: reqs, Help: "The requirements of the standard this process meets."},
	}, nil
}

// processRaci is a process's RACI row, or the way to add one.
func processRaci(ctx context.Context, p *web.Pages, c *smsapp.Catalogue, rq *web.Request, pr sms.Process) ([]web.Section, error) {
	actor := rq.Auth.Actor
	if !actor.Can(sms.RaciKind.Read) {
		return nil, nil
	}
	rows, _, err := c.ListRacis(ctx, actor, store.RaciFilter{ProcessID: pr.ID, Limit: 1})
	if err != nil {
		return nil, err
	}
	s := web.Section{Title: "RACI", Help: "Who is responsible, the one person accountable, who is consulted and who is informed for this process."}
	if len(rows) == 0 {
		s.Empty = &ui.Empty{Icon: "users", Title: "No RACI row yet", Text: "Say who does the work, who answers for it, who is asked and who is told."}
		if actor.Can(sms.RaciKind.Write) {
			s.Empty.Action = &ui.Action{Label: "Add the RACI row", Icon: "plus", Href: "/" + sms.RaciKind.Path() + "/new?process=" + strconv.FormatInt(pr.ID, 10)}
		}
		return []web.Section{s}, nil
	}
	items, err := raciItems(ctx, p, actor, rows[0])
	if err != nil {
		return nil, err
	}
	s.Items = items
	s.Actions = []ui.Action{{Label: "Open the RACI row", Href: raciHref(rows[0].ID)}}
	return []web.Section{s}, nil
}

// mapArea is one area of the process map with its processes.
type mapArea struct {
	Code, Title string
	Processes   []mapProcess
}

// mapProcess is one process on the map.
type mapProcess struct {
	Name, Href, Number string
	Owner              string
	Maturity, Doc      ui.Badge
	Status             string // the Tabler colour of the card's top edge, by maturity
	Interfaces         []ui.Link
	KPIs               int
	Requirements       int
}

// ProcessMapPage is the process map.
type ProcessMapPage struct {
	web.Base
	Areas    []mapArea
	Legend   []ui.Badge
	Unowned  int
	Outlined int
}

// processMap draws the processes by area, each with its owner, maturity,
// documentation and interfaces, leading to the process.
func processMap(p *web.Pages, c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		ctx, actor := r.Context(), rq.Auth.Actor
		ps, err := c.AllProcesses(ctx, actor)
		if err != nil {
			return err
		}
		slices.SortStableFunc(ps, func(a, b sms.Process) int {
			return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.Name, b.Name))
		})
		var owners []int64
		names := map[int64]string{}
		for _, pr := range ps {
			names[pr.ID] = pr.Name
			if pr.OwnerID != nil {
				owners = append(owners, *pr.OwnerID)
			}
		}
		people, err := p.App().Names(ctx, actor, account.UserKind.Entity, owners)
		if err != nil {
			return err
		}
		page := ProcessMapPage{Base: rq.Base}
		page.Title = "Process map"
		page.Subtitle = "The SMS's processes by area, each with its owner, maturity and documentation, and the processes it works with."
		page.Crumbs = []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.ProcessKind.Plural, Href: "/" + sms.ProcessKind.Path()}}
		if actor.Can(sms.ProcessKind.Write) {
			page.Actions = []ui.Action{{Label: "New process", Icon: "plus", Href: "/" + sms.ProcessKind.Path() + "/new"}}
		}
		for m := range int64(6) {
			page.Legend = append(page.Legend, maturityBadge(m))
		}
		status := []string{"border-red", "border-red", "border-yellow", "border-blue", "border-green", "border-green"}
		for _, a := range sms.ProcessAreas {
			ma := mapArea{Code: a.Code, Title: a.Label}
			for _, pr := range ps {
				if pr.Area != a.Code {
					continue
				}
				mp := mapProcess{Name: pr.Name, Href: processHref(pr.ID), Number: sms.ProcessKind.Number(pr.ID), Maturity: maturityBadge(pr.Maturity),
					Doc: docBadge(pr), Status: status[min(max(pr.Maturity, 0), 5)], KPIs: len(pr.KPIIDs), Requirements: len(pr.RequirementIDs)}
				if pr.OwnerID != nil {
					mp.Owner = people[*pr.OwnerID]
				} else {
					page.Unowned++
				}
				if pr.DocStatus() != "described" {
					page.Outlined++
				}
				for _, id := range pr.InterfaceIDs {
					if n, ok := names[id]; ok {
						mp.Interfaces = append(mp.Interfaces, ui.Link{Text: n, Href: processHref(id)})
					}
				}
				ma.Processes = append(ma.Processes, mp)
			}
			if len(ma.Processes) > 0 {
				page.Areas = append(page.Areas, ma)
			}
		}
		return p.Render(w, r, http.StatusOK, "sms/process_map", page)
	}
}

// registerProcesses adds the pages of objectives, processes, the
// implementation team and the RACI.
func registerProcesses(p *web.Pages, mux guard.Registrar, c *smsapp.Catalogue) {
	p.Handle(mux, "GET /"+sms.ProcessKind.Path()+"/map", sms.ProcessKind.Read, processMap(p, c))
	p.Handle(mux, "GET /"+sms.RaciKind.Path()+"/matrix", sms.RaciKind.Read, raciMatrix(p, c))
	p.Handle(mux, "GET /"+sms.RaciKind.Path()+"/matrix.csv", sms.RaciKind.Read, raciCSV(p, c))
	p.Handle(mux, "POST /"+sms.ProjectMemberKind.Path()+"/{id}/designate", sms.ProjectMemberKind.Write, designate(c))
	objectivePages(p, c).Register(p, mux)
	valuePages(p, c).Register(p, mux)
	processPages(p, c).Register(p, mux)
	memberPages(p, c).Register(p, mux)
	raciPages(p, c).Register(p, mux)
}
