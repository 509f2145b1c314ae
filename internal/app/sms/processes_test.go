package sms_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// wantField fails unless err is a field error on field.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	if e := errs.As(err); e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != field {
		t.Errorf("%s: %v, want a field error on %s", what, err, field)
	}
}

// Objectives: their rules, their values, and which miss their target by
// the latest value, on both engines.
func TestObjectives(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		owner, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "owner@example.com", Name: "Olive Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		auditor, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "aud@example.com", Name: "Aud", Role: access.InternalAuditor})
		if err != nil {
			t.Fatal(err)
		}
		mgr := access.Actor{UserID: owner.ID, Role: access.SMSManager}
		good := sms.ObjectiveInput{Statement: "Resolve incidents on time", OwnerID: owner.ID, Measure: "Share of incidents resolved within target", Unit: "%", Target: 95}

		before, _ := db.CountAudit(ctx)
		for _, bad := range []struct {
			change func(*sms.ObjectiveInput)
			field  string
		}{
			{func(in *sms.ObjectiveInput) { in.Statement = "" }, "statement"},
			{func(in *sms.ObjectiveInput) { in.OwnerID = 0 }, "owner_id"},
			{func(in *sms.ObjectiveInput) { in.OwnerID = 99999 }, "owner_id"},
			{func(in *sms.ObjectiveInput) { in.Measure = "" }, "measure"},
			{func(in *sms.ObjectiveInput) { in.Direction = "up" }, "direction"},
			{func(in *sms.ObjectiveInput) { in.Frequency = "hourly" }, "frequency"},
			{func(in *sms.ObjectiveInput) { in.Source = "query" }, "source"},
		} {
			in := good
			bad.change(&in)
			_, err := c.CreateObjective(ctx, mgr, in)
			wantField(t, "create objective", err, bad.field)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused creates wrote %d audit entries", after-before)
		}
		if _, err := c.CreateObjective(ctx, auditor.Actor("test"), good); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an auditor creating an objective: %v, want forbidden", err)
		}

		missed, err := c.CreateObjective(ctx, mgr, good)
		if err != nil {
			t.Fatal(err)
		}
		lower := good
		lower.Statement, lower.Direction, lower.Target, lower.Unit = "Keep failed changes rare", "lower", 4, "%"
		met, err := c.CreateObjective(ctx, mgr, lower)
		if err != nil {
			t.Fatal(err)
		}
		none := good
		none.Statement = "Customers satisfied"
		unmeasured, err := c.CreateObjective(ctx, mgr, none)
		if err != nil {
			t.Fatal(err)
		}
		day := func(d int) string { return time.Now().UTC().AddDate(0, 0, d).Format(time.DateOnly) }
		for _, v := range []sms.ValueInput{
			{ObjectiveID: missed.ID, On: day(-60), Value: 97}, {ObjectiveID: missed.ID, On: day(-1), Value: 91.5},
			{ObjectiveID: met.ID, On: day(-60), Value: 6}, {ObjectiveID: met.ID, On: day(-30), Value: 3},
		} {
			if _, err := c.RecordValue(ctx, mgr, v); err != nil {
				t.Fatal(err)
			}
		}
		_, err = c.RecordValue(ctx, mgr, sms.ValueInput{ObjectiveID: missed.ID, On: day(-1), Value: 99})
		wantField(t, "a second value on a day", err, "on")
		_, err = c.RecordValue(ctx, mgr, sms.ValueInput{ObjectiveID: missed.ID, On: day(2), Value: 99})
		wantField(t, "a value in the future", err, "on")
		_, err = c.RecordValue(ctx, mgr, sms.ValueInput{ObjectiveID: 99999, On: day(-2), Value: 99})
		wantField(t, "a value of no objective", err, "objective_id")

		for standing, want := range map[string][]int64{"missed": {missed.ID}, "met": {met.ID}, "none": {unmeasured.ID}, "": {missed.ID, met.ID, unmeasured.ID}} {
			os, _, err := c.ListObjectives(ctx, mgr, store.ObjectiveFilter{Standing: standing})
			var got []int64
			for _, o := range os {
				got = append(got, o.ID)
			}
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("objectives %q: %v (%v), want %v", standing, got, err, want)
			}
		}
		latest, err := c.LatestValues(ctx, mgr, []int64{missed.ID, met.ID, unmeasured.ID})
		if err != nil {
			t.Fatal(err)
		}
		if l, ok := latest[missed.ID]; !ok || l.Value != 91.5 || missed.Standing(&l) != "missed" {
			t.Errorf("latest of the missed objective: %+v, want 91.5 and missed", l)
		}
		if l := latest[met.ID]; met.Standing(&l) != "met" {
			t.Errorf("latest of the met objective: %+v, want met", l)
		}
		if _, ok := latest[unmeasured.ID]; ok || unmeasured.Standing(nil) != "none" {
			t.Errorf("an objective with no value has a latest one")
		}
		// Lowering the bar changes the flag: it is computed, never stored.
		target := 90.0
		if _, err := c.UpdateObjective(ctx, mgr, missed.ID, 0, sms.ObjectiveUpdate{Target: &target}); err != nil {
			t.Fatal(err)
		}
		if os, _, _ := c.ListObjectives(ctx, mgr, store.ObjectiveFilter{Standing: "missed"}); len(os) != 0 {
			t.Errorf("after lowering the target, still missed: %v", os)
		}

		// A KPI of a process stays; otherwise it goes with its values.
		ps, _, err := c.ListProcesses(ctx, mgr, store.ProcessFilter{Query: "incident management"})
		if err != nil || len(ps) != 1 {
			t.Fatalf("incident management: %v %v", ps, err)
		}
		kpis := []int64{missed.ID}
		if _, err := c.UpdateProcess(ctx, mgr, ps[0].ID, 0, sms.ProcessUpdate{KPIIDs: &kpis}); err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteObjective(ctx, mgr, missed.ID, 0); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), sms.ProcessKind.Number(ps[0].ID)) {
			t.Errorf("deleting a process's KPI: %v, want a conflict naming %s", err, sms.ProcessKind.Number(ps[0].ID))
		}
		if err := c.DeleteObjective(ctx, mgr, met.ID, 0); err != nil {
			t.Fatal(err)
		}
		if vs, _, _ := c.ListObjectiveValues(ctx, mgr, store.ObjectiveValueFilter{ObjectiveID: met.ID}); len(vs) != 0 {
			t.Errorf("values outlived their objective: %v", vs)
		}
	})
}

// The built-in process register loads once, with the clause 8 processes
// and the SMS's own, their interfaces and requirements; loading again
// changes nothing, and a process the organisation renamed stays renamed.
func TestProcessRegisterSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, c := newArea(t, db)
		ps, err := c.AllProcesses(ctx, access.CLI)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != len(sms.BuiltInProcesses) || len(ps) != 21 {
			t.Fatalf("processes after the first start: %d, want 21", len(ps))
		}
		byCode := map[string]sms.Process{}
		for _, p := range ps {
			byCode[p.Code] = p
		}
		inc := byCode["incident"]
		reqs, _, err := c.ListRequirements(ctx, access.CLI, store.RequirementFilter{IDs: inc.RequirementIDs})
		if err != nil || len(reqs) != 2 {
			t.Fatalf("incident management's requirements: %v %v", reqs, err)
		}
		if codes := []string{reqs[0].Code, reqs[1].Code}; !slices.Contains(codes, "8.6.1") {
			t.Errorf("incident management answers %v, want 8.6.1 among them", codes)
		}
		if !slices.Contains(inc.InterfaceIDs, byCode["problem"].ID) || inc.Area != "resolution" {
			t.Errorf("incident management: %+v, want problem management among its interfaces, in resolution", inc)
		}
		for _, code := range []string{"service_portfolio", "change", "information_security", "improvement", "internal_audit", "management_review"} {
			if _, ok := byCode[code]; !ok {
				t.Errorf("no built-in %s process", code)
			}
		}

		name := "Incident and major incident management"
		if _, err := c.UpdateProcess(ctx, access.CLI, inc.ID, 0, sms.ProcessUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		before, _ := db.CountAudit(ctx)
		for range 2 {
			if err := c.SeedProcesses(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("loading the register again wrote %d audit entries", after-before)
		}
		again, _ := c.AllProcesses(ctx, access.CLI)
		if len(again) != 21 {
			t.Errorf("processes after loading again: %d, want 21", len(again))
		}
		if p, _ := c.GetProcess(ctx, access.CLI, inc.ID); p.Name != name {
			t.Errorf("the renamed process is called %q again", p.Name)
		}
	})
}

// Processes: their rules; one named as an interface stays.
func TestProcesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		owner, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "owner@example.com", Name: "Olive Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		customer, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Customer", Kind: account.Customer})
		if err != nil {
			t.Fatal(err)
		}
		requester, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "req@example.com", Name: "Rae", Role: access.Requester, OrgID: customer.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.CreateProcess(ctx, access.CLI, sms.ProcessInput{Name: "Onboarding", Area: "sms", OwnerID: &requester.ID})
		wantField(t, "a requester as process owner", err, "owner_id")
		ps, _ := c.AllProcesses(ctx, access.CLI)
		self := ps[0].ID
		for _, bad := range []struct {
			in    sms.ProcessInput
			field string
		}{
			{sms.ProcessInput{Area: "sms"}, "name"},
			{sms.ProcessInput{Name: "X", Area: "elsewhere"}, "area"},
			{sms.ProcessInput{Name: "X", Area: "sms", Maturity: 6}, "maturity"},
			{sms.ProcessInput{Name: ps[1].Name, Area: "sms"}, "name"},
			{sms.ProcessInput{Name: "X", Area: "sms", InterfaceIDs: []int64{99999}}, "interface_ids"},
			{sms.ProcessInput{Name: "X", Area: "sms", KPIIDs: []int64{99999}}, "kpi_ids"},
		} {
			_, err := c.CreateProcess(ctx, access.CLI, bad.in)
			wantField(t, "create process", err, bad.field)
		}
		ifs := []int64{self}
		_, err = c.UpdateProcess(ctx, access.CLI, self, 0, sms.ProcessUpdate{InterfaceIDs: &ifs})
		wantField(t, "a process its own interface", err, "interface_ids")

		own, err := c.CreateProcess(ctx, access.CLI, sms.ProcessInput{Name: "Knowledge management", Area: "resolution", OwnerID: &owner.ID, Maturity: 2,
			InterfaceIDs: []int64{self}})
		if err != nil {
			t.Fatal(err)
		}
		if own.DocStatus() != "outline" {
			t.Errorf("a process with only a name: %s, want outline", own.DocStatus())
		}
		if err := c.DeleteProcess(ctx, access.CLI, self, 0); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), sms.ProcessKind.Number(own.ID)) {
			t.Errorf("deleting a process named as an interface: %v, want a conflict naming %s", err, sms.ProcessKind.Number(own.ID))
		}
		if err := c.DeleteProcess(ctx, access.CLI, own.ID, 0); err != nil {
			t.Errorf("deleting one's own process: %v", err)
		}
	})
}

// The implementation team has exactly one project manager, and each RACI
// row exactly one accountable person.
func TestTeamAndRaci(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		mk := func(email, name string, role access.Role) account.User {
			u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: email, Name: name, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		sam, jo, riley := mk("sam@example.com", "Sam", access.SMSManager), mk("jo@example.com", "Jo", access.ProcessOwner), mk("riley@example.com", "Riley", access.Agent)
		mgr := sam.Actor("test")

		_, err := c.AddProjectMember(ctx, mgr, sms.MemberInput{UserID: jo.ID, Role: "member"})
		wantField(t, "a first member who is not the project manager", err, "role")
		pm, err := c.AddProjectMember(ctx, mgr, sms.MemberInput{UserID: sam.ID, Role: sms.ProjectManager})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.AddProjectMember(ctx, mgr, sms.MemberInput{UserID: jo.ID, Role: sms.ProjectManager})
		wantField(t, "a second project manager", err, "role")
		if err != nil && !strings.Contains(err.Error(), "Sam is already the project manager") {
			t.Errorf("the refusal of a second project manager: %v, want it to name Sam", err)
		}
		_, err = c.AddProjectMember(ctx, mgr, sms.MemberInput{UserID: sam.ID, Role: "member"})
		wantField(t, "someone on the team twice", err, "user_id")
		jom, err := c.AddProjectMember(ctx, mgr, sms.MemberInput{UserID: jo.ID, Role: "process_owner"})
		if err != nil {
			t.Fatal(err)
		}
		member := "member"
		_, err = c.UpdateProjectMember(ctx, mgr, pm.ID, 0, sms.MemberUpdate{Role: &member})
		wantField(t, "the project manager made a member", err, "role")
		if err := c.RemoveProjectMember(ctx, mgr, pm.ID, 0); !errs.Is(err, errs.Conflict) {
			t.Errorf("removing the project manager from a team of two: %v, want a conflict", err)
		}
		if _, err := c.AddProjectMember(ctx, jo.Actor("test"), sms.MemberInput{UserID: riley.ID}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a process owner changing the team: %v, want forbidden", err)
		}
		if _, err := c.DesignateProjectManager(ctx, mgr, jom.ID); err != nil {
			t.Fatal(err)
		}
		pms, _, _ := c.ListProjectMembers(ctx, mgr, store.ProjectMemberFilter{Role: sms.ProjectManager})
		if len(pms) != 1 || pms[0].UserID != jo.ID {
			t.Errorf("project managers after handing over: %+v, want Jo alone", pms)
		}

		own, err := c.CreateProcess(ctx, access.CLI, sms.ProcessInput{Name: "Knowledge management", Area: "resolution"})
		if err != nil {
			t.Fatal(err)
		}
		proc := own.ID
		reqs, _, _ := c.ListRequirements(ctx, mgr, store.RequirementFilter{Query: "internal audit", Limit: 1})
		clause := reqs[0].ID
		for _, bad := range []struct {
			in    sms.RaciInput
			field string
		}{
			{sms.RaciInput{ProcessID: &proc}, "accountable_id"},
			{sms.RaciInput{AccountableID: sam.ID}, "process_id"},
			{sms.RaciInput{ProcessID: &proc, RequirementID: &clause, AccountableID: sam.ID}, "process_id"},
			{sms.RaciInput{ProcessID: &proc, AccountableID: sam.ID, ConsultedIDs: []int64{sam.ID}}, "consulted_ids"},
			{sms.RaciInput{ProcessID: &proc, AccountableID: sam.ID, ConsultedIDs: []int64{jo.ID}, InformedIDs: []int64{jo.ID}}, "informed_ids"},
			{sms.RaciInput{ProcessID: &proc, AccountableID: 99999}, "accountable_id"},
		} {
			_, err := c.CreateRaci(ctx, mgr, bad.in)
			wantField(t, "create RACI row", err, bad.field)
		}
		row, err := c.CreateRaci(ctx, mgr, sms.RaciInput{ProcessID: &proc, AccountableID: jo.ID, ResponsibleIDs: []int64{jo.ID, riley.ID}, InformedIDs: []int64{sam.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if row.Letter(jo.ID) != "A/R" || row.Letter(riley.ID) != "R" || row.Letter(sam.ID) != "I" {
			t.Errorf("letters: %s %s %s, want A/R R I", row.Letter(jo.ID), row.Letter(riley.ID), row.Letter(sam.ID))
		}
		_, err = c.CreateRaci(ctx, mgr, sms.RaciInput{ProcessID: &proc, AccountableID: sam.ID})
		wantField(t, "a second row for a process", err, "process_id")
		if _, err := c.CreateRaci(ctx, mgr, sms.RaciInput{RequirementID: &clause, AccountableID: sam.ID}); err != nil {
			t.Errorf("a row for a clause: %v", err)
		}
		noOne := int64(0)
		_, err = c.UpdateRaci(ctx, mgr, row.ID, 0, sms.RaciUpdate{AccountableID: &noOne})
		wantField(t, "taking the accountable person away", err, "accountable_id")
		if rows, _, _ := c.ListRacis(ctx, mgr, store.RaciFilter{UserID: riley.ID}); len(rows) != 1 {
			t.Errorf("rows naming Riley: %d, want 1", len(rows))
		}
		if err := c.DeleteProcess(ctx, mgr, proc, 0); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), sms.RaciKind.Number(row.ID)) {
			t.Errorf("deleting a process with a RACI row: %v, want a conflict naming %s", err, sms.RaciKind.Number(row.ID))
		}
	})
}
