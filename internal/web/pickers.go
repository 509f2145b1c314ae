package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// anyone is a user filter's choice of no one in particular.
const anyone = "Anyone"

// userChoicesShown is how many users a user picker offers at once; more
// are found by searching.
const userChoicesShown = 50

// UserPicker is a form field choosing one user among many: the active
// users matching the field's search who hold perm, and always the one
// chosen, so that saving never changes the choice unseen. Its search asks
// /pickers/users for the choices as the user types.
func (p *Pages) UserPicker(fc FormContext, name, label string, chosen int64, perm access.Permission) (ui.Field, error) {
	q := ""
	if fc.Posted != nil {
		q = fc.Posted.Get(name + "_q")
	}
	opts, more, err := p.userChoices(fc.Ctx, fc.Actor, q, chosen, perm)
	if err != nil {
		return ui.Field{}, err
	}
	u := url.Values{"field": {name}, "perm": {string(perm)}}
	return ui.Field{Name: name, Label: label, Type: "picker", Options: opts,
		Picker: &ui.Picker{Query: name + "_q", Value: q, URL: "/pickers/users?" + u.Encode(), Label: "Find a person", More: more}}, nil
}

func (p *Pages) userChoices(ctx context.Context, actor access.Actor, q string, chosen int64, perm access.Permission) ([]ui.Option, bool, error) {
	active := true
	us, next, err := p.app.ListUsers(ctx, actor, store.UserFilter{Query: q, Active: &active, Limit: userChoicesShown})
	if err != nil {
		return nil, false, err
	}
	us = slices.DeleteFunc(us, func(u account.User) bool { return perm != "" && !u.Actor("").Can(perm) })
	if chosen != 0 && !slices.ContainsFunc(us, func(u account.User) bool { return u.ID == chosen }) {
		if u, err := p.app.GetUser(ctx, actor, chosen); err == nil {
			us = append([]account.User{u}, us...)
		}
	}
	opts := make([]ui.Option, 0, len(us)+1)
	if chosen == 0 {
		opts = append(opts, ui.Option{Value: "", Label: "Choose a person"})
	}
	for _, u := range us {
		opts = append(opts, ui.Option{Value: fmt.Sprint(u.ID), Label: u.Name + " · " + u.Email, Selected: u.ID == chosen})
	}
	return opts, next != "", nil
}

// userPickerChoices answers a user picker's search (htmx): the choices
// for what was typed, the chosen one kept.
func (p *Pages) userPickerChoices(w http.ResponseWriter, r *http.Request, rq *Request) error {
	field := r.URL.Query().Get("field")
	var chosen int64
	fmt.Sscan(r.FormValue(field), &chosen)
	opts, more, err := p.userChoices(r.Context(), rq.Auth.Actor, r.FormValue(field+"_q"), chosen, access.Permission(r.URL.Query().Get("perm")))
	if err != nil {
		return err
	}
	if chosen == 0 && len(opts) > 0 && r.URL.Query().Get("none") == anyone {
		opts[0].Label = anyone // a filter's "no one in particular"
	}
	return p.RenderFragment(w, r, http.StatusOK, "choices", ui.Choices{Options: opts, Query: r.FormValue(field + "_q"), More: more})
}

// RecordPicker is a form field choosing one record of a kind among many
// by name (any kind the jump box can find): those matching the field's
// search, and always the one chosen; none, when set, is the choice of no
// record ("None").
func (p *Pages) RecordPicker(fc FormContext, name, label, entity string, chosen int64, none string) (ui.Field, error) {
	q := ""
	if fc.Posted != nil {
		q = fc.Posted.Get(name + "_q")
	}
	opts, more, err := p.recordChoices(fc.Ctx, fc.Actor, entity, q, chosen, none)
	if err != nil {
		return ui.Field{}, err
	}
	u := url.Values{"entity": {entity}, "field": {name}, "none": {none}}
	return ui.Field{Name: name, Label: label, Type: "picker", Options: opts,
		Picker: &ui.Picker{Query: name + "_q", Value: q, URL: "/pickers/records?" + u.Encode(), Label: "Find by name", More: more}}, nil
}

// RecordPickerFollowing is a RecordPicker whose kind of record is chosen
// in another field of the form, entityField (a select of kinds): its
// search looks among records of the kind chosen there, entity at first.
func (p *Pages) RecordPickerFollowing(fc FormContext, name, label, entityField, entity string, chosen int64, none string) (ui.Field, error) {
	f, err := p.RecordPicker(fc, name, label, entity, chosen, none)
	if err != nil {
		return f, err
	}
	u := url.Values{"entity": {entity}, "entity_field": {entityField}, "field": {name}, "none": {none}}
	f.Picker.URL, f.Picker.Include = "/pickers/records?"+u.Encode(), "#f-"+entityField
	return f, nil
}

func (p *Pages) recordChoices(ctx context.Context, actor access.Actor, entity, q string, chosen int64, none string) ([]ui.Option, bool, error) {
	found, err := p.app.SearchKind(ctx, actor, entity, q, userChoicesShown+1)
	if err != nil {
		return nil, false, err
	}
	more := len(found) > userChoicesShown
	if more {
		found = found[:userChoicesShown]
	}
	var opts []ui.Option
	if none != "" {
		opts = append(opts, ui.Option{Value: "", Label: none, Selected: chosen == 0})
	}
	if chosen != 0 && !slices.ContainsFunc(found, func(f app.Found) bool { return f.ID == chosen }) {
		if names, err := p.app.Names(ctx, actor, entity, []int64{chosen}); err == nil && names[chosen] != "" {
			opts = append(opts, ui.Option{Value: fmt.Sprint(chosen), Label: names[chosen], Selected: true})
		}
	}
	for _, f := range found {
		opts = append(opts, ui.Option{Value: fmt.Sprint(f.ID), Label: f.Name, Selected: f.ID == chosen})
	}
	return opts, more, nil
}

// recordPickerChoices answers a record picker's search (htmx).
func (p *Pages) recordPickerChoices(w http.ResponseWriter, r *http.Request, rq *Request) error {
	qs := r.URL.Query()
	field := qs.Get("field")
	chosen, _ := strconv.ParseInt(r.FormValue(field), 10, 64)
	entity := qs.Get("entity")
	if from := qs.Get("entity_field"); from != "" && r.FormValue(from) != "" {
		entity = r.FormValue(from)
	}
	opts, more, err := p.recordChoices(r.Context(), rq.Auth.Actor, entity, r.FormValue(field+"_q"), chosen, qs.Get("none"))
	if err != nil {
		return err
	}
	return p.RenderFragment(w, r, http.StatusOK, "choices", ui.Choices{Options: opts, Query: r.FormValue(field + "_q"), More: more})
}
