package sms

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// servicePages are the services' pages.
func servicePages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Service, *sms.Service] {
	return web.Resource[sms.Service, *sms.Service]{
		Kind:     sms.ServiceKind,
		Subtitle: "The services the provider delivers, each with the one person who answers for it and the customers it is delivered to. The scope names the services the SMS covers.",
		Empty: ui.Empty{Icon: "device-desktop", Title: "No services yet",
			Text: "Add the services you deliver to customers; then name those the SMS covers in the scope."},
		Columns: []web.Column[sms.Service]{
			{Column: ui.Column{Label: "Name", Key: true, Sort: "text"}, Value: func(s sms.Service) ui.Value { return ui.Text(s.Name) }},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(s sms.Service) int64 { return s.OwnerID }},
			{Column: ui.Column{Label: "Customers", Numeric: true, Sort: "number"}, Value: func(s sms.Service) ui.Value { return ui.Text(strconv.Itoa(len(s.CustomerIDs))) }},
			{Column: ui.Column{Label: "Status", Sort: "text"}, Value: func(s sms.Service) ui.Value { return ui.Value{Badges: []ui.Badge{serviceBadge(s.Status)}} }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "status", Label: "Status", Type: "select",
				Options: choices(append([]sms.Code{{Code: "", Label: "Any status"}}, sms.ServiceStatuses...), q.Get("status"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Service, string, error) {
			return c.ListServices(ctx, actor, store.ServiceFilter{Query: q.Get("q"), Status: q.Get("status"), Cursor: cursor})
		},
		Get:    c.GetService,
		Name:   func(s sms.Service) string { return s.Name },
		Badges: func(s sms.Service) []ui.Badge { return []ui.Badge{serviceBadge(s.Status)} },
		Details: func(ctx context.Context, rq *web.Request, s sms.Service) []ui.Item {
			return []ui.Item{
				{Label: "Owner", Help: "The one person who answers for the service end to end.", Value: p.Ref(ctx, rq.Auth.Actor, account.UserKind.Entity, s.OwnerID)},
				{Label: "Customers", Help: "The organisations the service is delivered to.", Value: refKindList(ctx, p, rq.Auth.Actor, account.OrganisationKind, s.CustomerIDs, "No customers named")},
				{Label: "Description", Value: ui.Value{Text: s.Description, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, s sms.Service) ([]web.Section, error) {
			revs, _, err := c.ListScopes(ctx, rq.Auth.Actor, store.ScopeFilter{ServiceID: s.ID})
			if err != nil {
				return nil, err
			}
			sec := web.Section{Title: "In the scope", Help: "The revisions of the scope statement that name this service.",
				Table: &ui.Table{Caption: "Revisions of the scope naming this service", Columns: []ui.Column{{Label: "Revision", Key: true}, {Label: "State"}},
					Empty: ui.Empty{Icon: "file-text", Title: "Not in any scope", Text: "No revision of the scope statement names this service yet."}}}
			for _, r := range revs {
				href := scopeHref(r.ID)
				sec.Table.Rows = append(sec.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(rq.T("Revision %d", r.Revision), href), {Badges: scopeBadges(r)}}})
			}
			return []web.Section{sec}, nil
		},
		Fields: func(fc web.FormContext, s sms.Service) ([]ui.Field, error) {
			owner := s.OwnerID
			if fc.Creating && owner == 0 {
				owner = fc.Actor.UserID
			}
			if fc.Posted != nil {
				owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
			}
			owners, err := p.UserPicker(fc, "owner_id", "Owner", owner, access.ServicesRead)
			if err != nil {
				return nil, err
			}
			owners.Help, owners.Required = "The one person who answers for the service end to end.", true
			orgs, _, err := p.App().ListOrganisations(fc.Ctx, fc.Actor, store.OrganisationFilter{Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			var customers []ui.Option
			for _, o := range orgs {
				customers = append(customers, ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: slices.Contains(s.CustomerIDs, o.ID)})
			}
			status := or(s.Status, "live")
			return []ui.Field{
				{Name: "name", Label: "Name", Value: s.Name, Required: true},
				owners,
				{Name: "status", Label: "Status", Type: "select", Value: status, Options: choices(sms.ServiceStatuses, status),
					Help: "Planned: being designed or not yet delivered; live: delivered to customers; retired: no longer delivered."},
				{Name: "customer_ids", Label: "Customers", Type: "checkboxes", Options: customers, Help: "The organisations the service is delivered to."},
				{Name: "description", Label: "Description", Type: "textarea", Rows: 4, Value: s.Description},
			}, nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Service, error) {
			return c.CreateService(ctx, actor, serviceInput(f))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Service, error) {
			in := serviceInput(f)
			return c.UpdateService(ctx, actor, id, version, sms.ServiceUpdate{Name: &in.Name, Description: &in.Description, Status: &in.Status,
				OwnerID: &in.OwnerID, CustomerIDs: &in.CustomerIDs})
		},
		Delete: c.DeleteService,
		DeleteText: func(sms.Service) string {
			return "It leaves every list; its history stays in the audit trail. A service the scope names cannot be deleted: retire it instead."
		},
	}
}

// serviceInput reads a service's form.
func serviceInput(f url.Values) sms.ServiceInput {
	owner, _ := strconv.ParseInt(f.Get("owner_id"), 10, 64)
	return sms.ServiceInput{Name: f.Get("name"), Description: f.Get("description"), Status: f.Get("status"), OwnerID: owner, CustomerIDs: idList(f["customer_ids"])}
}

// idList reads a form's list of ids, leaving out what is not one.
func idList(vs []string) []int64 {
	out := []int64{}
	for _, v := range vs {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func serviceBadge(status string) ui.Badge {
	tone := map[string]ui.Tone{"planned": ui.Info, "live": ui.Success, "retired": ui.Neutral}[status]
	return ui.Badge{Text: label(sms.ServiceStatuses, status), Tone: tone}
}

// refKindList shows records of a kind by name, each linked, in the order of
// ids; none when there are none.
func refKindList(ctx context.Context, p *web.Pages, actor access.Actor, k record.Kind, list []int64, none string) ui.Value {
	if len(list) == 0 {
		return ui.Value{Empty: none}
	}
	names, err := p.App().Names(ctx, actor, k.Entity, list)
	if err != nil {
		return ui.Value{}
	}
	v := ui.Value{}
	for _, id := range list {
		if n, ok := names[id]; ok {
			v.Links = append(v.Links, ui.Link{Text: n, Href: fmt.Sprintf("/%s/%d", k.Path(), id)})
		}
	}
	return v
}
