package sms_test

import (
	"testing"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// An exclusion needs a subject and a justification and may not be a
// clause of the standard; the error names the exclusion's field.
func TestScopeInputExclusions(t *testing.T) {
	ok := sms.ScopeInput{Statement: "The SMS of Example Ltd", Exclusions: []sms.Exclusion{
		{Subject: "Legacy mainframe hosting", Justification: "Run by its vendor until it ends."},
		{Subject: "3rd-party payroll", Justification: "Outsourced."},
		{Subject: "24/7 on-call desk", Justification: "Not offered to customers."},
	}}
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid exclusions refused: %v", err)
	}
	for _, c := range []struct {
		name  string
		ex    []sms.Exclusion
		field string
	}{
		{"no justification", []sms.Exclusion{{Subject: "Hosting"}}, "exclusions[0].justification"},
		{"blank justification", []sms.Exclusion{{Subject: "Hosting", Justification: "Fine"}, {Subject: "Desk", Justification: "   "}}, "exclusions[1].justification"},
		{"no subject", []sms.Exclusion{{Justification: "Because"}}, "exclusions[0].subject"},
		{"a clause by number", []sms.Exclusion{{Subject: "8.4", Justification: "We do no budgeting"}}, "exclusions[0].subject"},
		{"a clause with its title", []sms.Exclusion{{Subject: "8.4.1 Budgeting and accounting", Justification: "Done by the parent"}}, "exclusions[0].subject"},
		{"a clause by word", []sms.Exclusion{{Subject: "Clause 10", Justification: "Later"}}, "exclusions[0].subject"},
		{"a top-level clause", []sms.Exclusion{{Subject: "9", Justification: "Later"}}, "exclusions[0].subject"},
	} {
		in := sms.ScopeInput{Statement: "The SMS", Exclusions: c.ex}
		in.Normalize()
		e := errs.As(in.Validate())
		if e == nil || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
			t.Errorf("%s: %v, want one error on %s", c.name, e, c.field)
		}
	}
	in := sms.ScopeInput{}
	if e := errs.As(in.Validate()); e == nil || e.Fields[0].Field != "statement" {
		t.Errorf("no statement: %v, want an error on statement", e)
	}
}

// Only a draft with a statement and a service may be approved.
func TestScopeReadyToApprove(t *testing.T) {
	for _, c := range []struct {
		s     sms.Scope
		code  errs.Code
		field string
	}{
		{sms.Scope{State: "draft", Statement: "x", ServiceIDs: []int64{1}}, "", ""},
		{sms.Scope{State: "draft", Statement: "x"}, errs.Invalid, "service_ids"},
		{sms.Scope{State: "draft", ServiceIDs: []int64{1}}, errs.Invalid, "statement"},
		{sms.Scope{State: "approved", Statement: "x", ServiceIDs: []int64{1}}, errs.Conflict, ""},
		{sms.Scope{State: "superseded", Statement: "x", ServiceIDs: []int64{1}}, errs.Conflict, ""},
	} {
		err := c.s.ReadyToApprove()
		if c.code == "" {
			if err != nil {
				t.Errorf("%+v: %v, want ready", c.s, err)
			}
			continue
		}
		e := errs.As(err)
		if e == nil || e.Code != c.code || (c.field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != c.field)) {
			t.Errorf("%+v: %v, want %s on %q", c.s, err, c.code, c.field)
		}
	}
	if (sms.Scope{State: "approved"}).Editable() || !(sms.Scope{State: "draft"}).Editable() {
		t.Error("only a draft is editable")
	}
}
