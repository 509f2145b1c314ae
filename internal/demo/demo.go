// Package demo loads a demo organisation, so that a newcomer sees a living
// system: a provider with its staff in every role, customers with their
// requesters, teams and API tokens, all made through the use cases so the
// audit trail tells their story. Later features add their own demo records
// here.
package demo

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Password is the password of every demo user.
const Password = "conform-demo"

// AdminEmail signs in as the demo administrator.
const AdminEmail = "admin@northwind.example"

// Empty reports whether the database holds no users yet.
func Empty(ctx context.Context, db *store.DB) (bool, error) {
	n, err := db.CountUsers(ctx)
	return n == 0, err
}

type person struct {
	email, name string
	role        access.Role
}

// Load fills an empty database with the demo organisation.
func Load(ctx context.Context, a *app.App) error {
	empty, err := Empty(ctx, a.DB())
	if err != nil {
		return err
	}
	if !empty {
		return errs.E(errs.Conflict, "the database already holds users; the demo loads only into a fresh database")
	}
	sys := access.System
	provider, err := a.CreateOrganisation(ctx, sys, account.OrganisationInput{Name: "Northwind IT Services", Kind: account.Provider,
		Description: "Managed IT services provider working towards ISO/IEC 20000-1:2018 certification."})
	if err != nil {
		return fmt.Errorf("demo provider: %w", err)
	}
	customers := map[string]account.Organisation{}
	for _, c := range []account.OrganisationInput{
		{Name: "Contoso Retail", Description: "Chain of 120 stores; point-of-sale, e-commerce and warehouse systems."},
		{Name: "Fabrikam Health", Description: "Regional clinics; patient records and scheduling, strict availability targets."},
		{Name: "Tailspin Logistics", Description: "Freight forwarder; tracking platform and EDI links with carriers."},
	} {
		c.Kind = account.Customer
		o, err := a.CreateOrganisation(ctx, sys, c)
		if err != nil {
			return fmt.Errorf("demo customer %s: %w", c.Name, err)
		}
		customers[c.Name] = o
	}
	staff := []person{
		{AdminEmail, "Alex Morgan", access.Admin},
		{"sam.patel@northwind.example", "Sam Patel", access.SMSManager},
		{"jordan.lee@northwind.example", "Jordan Lee", access.ProcessOwner},
		{"riley.chen@northwind.example", "Riley Chen", access.ProcessOwner},
		{"casey.novak@northwind.example", "Casey Novak", access.Agent},
		{"morgan.diaz@northwind.example", "Morgan Diaz", access.Agent},
		{"taylor.kim@northwind.example", "Taylor Kim", access.Agent},
		{"drew.okafor@northwind.example", "Drew Okafor", access.InternalAuditor},
		{"pat.lindqvist@northwind.example", "Pat Lindqvist", access.TopManagement},
		// The certification body's auditor, who signs in to see evidence.
		{"quinn.harper@certify.example", "Quinn Harper", access.ExternalAuditor},
	}
	hash, err := account.HashPassword(Password)
	if err != nil {
		return err
	}
	users := map[string]account.User{}
	create := func(p person, orgID int64) error {
		var u account.User
		err := a.DB().InTx(ctx, func(tx *store.Tx) error {
			var err error
			u, err = tx.CreateUser(ctx, sys, account.UserInput{Email: p.email, Name: p.name, Role: p.role, OrgID: orgID}, hash)
			return err
		})
		if err != nil {
			return fmt.Errorf("demo user %s: %w", p.email, err)
		}
		users[p.email] = u
		return nil
	}
	for _, p := range staff {
		if err := create(p, provider.ID); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		org string
		p   person
	}{
		{"Contoso Retail", person{"erin.walsh@contoso.example", "Erin Walsh", access.Requester}},
		{"Contoso Retail", person{"noah.berg@contoso.example", "Noah Berg", access.Requester}},
		{"Fabrikam Health", person{"lena.roth@fabrikam.example", "Lena Roth", access.Requester}},
		{"Tailspin Logistics", person{"omar.haddad@tailspin.example", "Omar Haddad", access.Requester}},
	} {
		if err := create(c.p, customers[c.org].ID); err != nil {
			return err
		}
	}
	admin := users[AdminEmail].Actor("system")
	ids := func(emails ...string) []int64 {
		out := make([]int64, len(emails))
		for i, e := range emails {
			out[i] = users[e].ID
		}
		return out
	}
	for _, t := range []account.TeamInput{
		{Name: "Service desk", Description: "First line: takes incidents and service requests from all customers.",
			MemberIDs: ids("casey.novak@northwind.example", "morgan.diaz@northwind.example", "taylor.kim@northwind.example")},
		{Name: "Infrastructure", Description: "Second line: servers, network and storage; capacity and availability.",
			MemberIDs: ids("riley.chen@northwind.example", "taylor.kim@northwind.example")},
		{Name: "Change advisory board", Description: "Assesses and approves normal changes every Tuesday.",
			MemberIDs: ids("jordan.lee@northwind.example", "riley.chen@northwind.example", "sam.patel@northwind.example")},
		{Name: "SMS implementation team", Description: "Runs the ISO/IEC 20000-1 certification project.",
			MemberIDs: ids("sam.patel@northwind.example", "jordan.lee@northwind.example", "drew.okafor@northwind.example", "pat.lindqvist@northwind.example")},
	} {
		if _, err := a.CreateTeam(ctx, admin, t); err != nil {
			return fmt.Errorf("demo team %s: %w", t.Name, err)
		}
	}
	// A little history: a customer renamed its description, an agent left.
	c := customers["Tailspin Logistics"]
	desc := "Freight forwarder; tracking platform, EDI links with carriers and a new customs portal."
	if _, err := a.UpdateOrganisation(ctx, admin, c.ID, c.Version, account.OrganisationUpdate{Description: &desc}); err != nil {
		return err
	}
	inactive := false
	leaver := users["morgan.diaz@northwind.example"]
	if _, err := a.UpdateUser(ctx, admin, leaver.ID, leaver.Version, account.UserUpdate{Active: &inactive}); err != nil {
		return err
	}
	if _, _, err := a.CreateToken(ctx, admin, account.TokenInput{Name: "monitoring"}); err != nil {
		return err
	}
	return nil
}
