package web

import (
	"context"
	"fmt"
	"net/url"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// organisationPages are the organisations' pages, on the shared Resource.
func (p *Pages) organisationPages() Resource[account.Organisation, *account.Organisation] {
	a := p.app
	return Resource[account.Organisation, *account.Organisation]{
		Kind:     account.OrganisationKind,
		Subtitle: "The provider runs this service management system; customers are those it serves. A customer's users see only their own organisation's records.",
		Empty: ui.Empty{Icon: "building", Title: "No customer organisations yet",
			Text: "Add the customers you serve; each gets its own requesters, who see only their organisation's records."},
		Columns: []Column[account.Organisation]{
			{Column: ui.Column{Label: "Name", Key: true, Sort: "text"}, Value: func(o account.Organisation) ui.Value { return ui.Text(o.Name) }},
			{Column: ui.Column{Label: "Kind", Sort: "text"}, Value: func(o account.Organisation) ui.Value { return ui.Value{Badges: []ui.Badge{orgBadge(o.Kind)}} }},
			{Column: ui.Column{Label: "Description"}, Value: func(o account.Organisation) ui.Value { return ui.Text(o.Description) }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "kind", Label: "Kind", Type: "select", Value: q.Get("kind"),
				Options: []ui.Option{{Value: "", Label: "All kinds"}, {Value: "provider", Label: "Provider", Selected: q.Get("kind") == "provider"}, {Value: "customer", Label: "Customers", Selected: q.Get("kind") == "customer"}}}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]account.Organisation, string, error) {
			return a.ListOrganisations(ctx, actor, store.OrganisationFilter{Query: q.Get("q"), Kind: account.OrgKind(q.Get("kind")), Cursor: cursor})
		},
		Get:    a.GetOrganisation,
		Name:   func(o account.Organisation) string { return o.Name },
		Badges: func(o account.Organisation) []ui.Badge { return []ui.Badge{orgBadge(o.Kind)} },
		Details: func(_ context.Context, _ *Request, o account.Organisation) []ui.Item {
			return []ui.Item{{Label: "Description", Value: ui.Value{Text: o.Description, Long: true}}}
		},
		Related: func(ctx context.Context, rq *Request, o account.Organisation) ([]Section, error) {
			us, _, err := a.ListUsers(ctx, rq.Auth.Actor, store.UserFilter{OrgID: o.ID, Limit: store.MaxLimit})
			if err != nil {
				return nil, err
			}
			s := Section{Title: "Users", Table: &ui.Table{Caption: rq.T("Users of %s", o.Name),
				Columns: []ui.Column{{Label: "Name", Key: true}, {Label: "Email"}, {Label: "Role"}},
				Empty:   ui.Empty{Icon: "users", Title: "No users yet", Text: "Users of this organisation appear here. Create a user and choose this organisation."}}}
			if rq.Auth.Actor.Can(access.UsersWrite) {
				s.Table.Empty.Action = &ui.Action{Label: "New user", Icon: "plus", Href: "/users/new"}
			}
			for _, u := range us {
				s.Table.Rows = append(s.Table.Rows, ui.Row{Href: fmt.Sprintf("/users/%d", u.ID), Cells: []ui.Value{
					ui.Linked(u.Name, fmt.Sprintf("/users/%d", u.ID)), ui.Text(u.Email), {Badges: []ui.Badge{roleBadge(u.Role)}}}})
			}
			return []Section{s}, nil
		},
		Fields: func(fc FormContext, o account.Organisation) ([]ui.Field, error) {
			fs := []ui.Field{{Name: "name", Label: "Name", Value: o.Name, Required: true, Autocomplete: "organization"}}
			if fc.Creating {
				kind := string(o.Kind)
				if kind == "" {
					kind = string(account.Customer)
				}
				fs = append(fs, ui.Field{Name: "kind", Label: "Kind", Type: "radios", Value: kind,
					Help: "There is exactly one provider: the organisation whose service management system this is (ISO/IEC 20000-1 calls it “the organization”).",
					Options: []ui.Option{
						{Value: "customer", Label: "Customer", Help: "An organisation you provide services to.", Selected: kind == "customer"},
						{Value: "provider", Label: "Provider", Help: "Your own organisation, which runs this system.", Selected: kind == "provider"},
					}})
			}
			return append(fs, ui.Field{Name: "description", Label: "Description", Type: "textarea", Rows: 3, Value: o.Description}), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (account.Organisation, error) {
			return a.CreateOrganisation(ctx, actor, account.OrganisationInput{Name: f.Get("name"), Kind: account.OrgKind(f.Get("kind")), Description: f.Get("description")})
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (account.Organisation, error) {
			name, desc := f.Get("name"), f.Get("description")
			return a.UpdateOrganisation(ctx, actor, id, version, account.OrganisationUpdate{Name: &name, Description: &desc})
		},
		Delete:    a.DeleteOrganisation,
		MayDelete: func(o account.Organisation) bool { return o.Kind == account.Customer },
		DeleteText: func(account.Organisation) string {
			return "Only an organisation without users can be deleted; its history stays in the audit trail."
		},
	}
}

// orgBadge tells the provider from customers.
func orgBadge(k account.OrgKind) ui.Badge {
	if k == account.Provider {
		return ui.Badge{Text: "Provider", Tone: ui.Accent}
	}
	return ui.Badge{Text: "Customer", Tone: ui.Neutral}
}

// roleBadge shows a role in its tone: administrators stand out, auditors
// and management read, requesters are customers.
func roleBadge(r access.Role) ui.Badge {
	tone := ui.Info
	switch r {
	case access.Admin:
		tone = ui.Accent
	case access.InternalAuditor, access.ExternalAuditor, access.TopManagement:
		tone = ui.Warning
	case access.Requester:
		tone = ui.Neutral
	}
	return ui.Badge{Text: r.Label(), Tone: tone}
}
