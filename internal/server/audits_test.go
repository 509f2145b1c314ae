package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The audits' API: refusals name their field and write nothing (dates
// out of order, a lead who owns a process in scope, an answer outside
// the scope, a finding without a requirement, a change to an issued
// report); a programme's cycle planned once; an audit run from its
// checklist to its issued report and hash.
func TestAuditsAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	mgr, auditor := f.users[access.SMSManager].ID, f.users[access.InternalAuditor].ID
	reqs, err := f.areas.Assurance.Requirements(ctx, access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	clause := map[string]int64{}
	for _, r := range reqs {
		clause[r.Code] = r.ID
	}
	ps, _, err := f.areas.SMS.ListProcesses(ctx, access.CLI, store.ProcessFilter{Limit: 1})
	if err != nil || len(ps) == 0 {
		t.Fatalf("processes: %v", err)
	}
	if _, err := f.areas.SMS.UpdateProcess(ctx, access.CLI, ps[0].ID, 0, sms.ProcessUpdate{OwnerID: &mgr}); err != nil {
		t.Fatal(err)
	}
	eight := 0 // clause 8 and every requirement under it
	for _, r := range reqs {
		if r.Code == "8" || len(r.Code) > 1 && r.Code[:2] == "8." {
			eight++
		}
	}
	// Planning the cycle: six audits, the management system's clauses
	// three times, clause 8's parts (not its heading) once, a line each.
	planned := int64(6 + 3*(len(reqs)-eight) + eight - 1)
	as := access.InternalAuditor
	var prog, aud, line int64
	for _, s := range []scenario{
		{name: "programme out of order", role: as, method: "POST", path: "/api/v1/audit-programmes", status: 422, fields: []string{"body.end_on"},
			body: fmt.Sprintf(`{"title":"Cycle","start_on":"2027-01-01","end_on":"2026-12-31","owner_id":%d}`, mgr)},
		{name: "programme", role: as, method: "POST", path: "/api/v1/audit-programmes", status: 201, newAudits: 1,
			body:  fmt.Sprintf(`{"title":"Cycle","start_on":"2027-01-01","end_on":"2029-12-31","owner_id":%d}`, mgr),
			check: func(t *testing.T, m map[string]any, _ *http.Response) { prog = int64(m["id"].(float64)) }},
		{name: "reader may not plan", role: access.Agent, method: "POST", path: "/api/v1/audits", status: 403,
			body: fmt.Sprintf(`{"title":"A","requirement_ids":[%d],"planned_start":"2027-02-01","planned_end":"2027-02-02"}`, clause["4.1"])},
		{name: "audit out of order", role: as, method: "POST", path: "/api/v1/audits", status: 422, fields: []string{"body.planned_end"},
			body: fmt.Sprintf(`{"title":"A","requirement_ids":[%d],"planned_start":"2027-02-03","planned_end":"2027-02-02"}`, clause["4.1"])},
		{name: "lead owns a process in scope", role: as, method: "POST", path: "/api/v1/audits", status: 422, fields: []string{"body.lead_auditor_id"},
			body: fmt.Sprintf(`{"title":"A","requirement_ids":[%d],"process_ids":[%d],"lead_auditor_id":%d,"planned_start":"2027-02-01","planned_end":"2027-02-02"}`,
				clause["4.1"], ps[0].ID, mgr)},
		{name: "audit", role: as, method: "POST", path: "/api/v1/audits", status: 201, newAudits: 3, // the audit and two lines
			body: fmt.Sprintf(`{"title":"Year one","requirement_ids":[%d,%d],"process_ids":[%d],"lead_auditor_id":%d,"team_ids":[%d],"planned_start":"2027-02-01","planned_end":"2027-02-02"}`,
				clause["4.1"], clause["4.2"], ps[0].ID, auditor, mgr),
			check: func(t *testing.T, m map[string]any, _ *http.Response) { aud = int64(m["id"].(float64)) }},
	} {
		t.Run(s.name, func(t *testing.T) { f.run(t, s) })
	}
	a := func(format string, args ...any) string { return fmt.Sprintf(format, args...) }
	for _, s := range []scenario{
		{name: "answer before the start", role: as, method: "PUT", path: a("/api/v1/audits/%d/checklist", aud), status: 422, fields: []string{"body.audit_id"},
			body: a(`{"requirement_id":%d,"result":"conforming"}`, clause["4.1"])},
		{name: "start", role: as, method: "PATCH", path: a("/api/v1/audits/%d", aud), status: 200, newAudits: 1, body: `{"state":"in_progress"}`},
		{name: "answer outside the scope", role: as, method: "PUT", path: a("/api/v1/audits/%d/checklist", aud), status: 422, fields: []string{"body.requirement_id"},
			body: a(`{"requirement_id":%d,"result":"conforming"}`, clause["8.1"])},
		{name: "sampled record that does not exist", role: as, method: "PUT", path: a("/api/v1/audits/%d/checklist", aud), status: 422, fields: []string{"body.sampled"},
			body: a(`{"requirement_id":%d,"sampled":[{"entity":"evidence","id":999999}]}`, clause["4.1"])},
		{name: "answer", role: as, method: "PUT", path: a("/api/v1/audits/%d/checklist", aud), status: 200, newAudits: 1,
			body:  a(`{"requirement_id":%d,"result":"minor_nc","notes":"No record of the review","sampled":[{"entity":"process","id":%d}]}`, clause["4.1"], ps[0].ID),
			check: func(t *testing.T, m map[string]any, _ *http.Response) { line = int64(m["id"].(float64)) }},
		{name: "finding without a requirement", role: as, method: "POST", path: "/api/v1/findings", status: 422, fields: []string{"body.requirement_id"},
			body: a(`{"audit_id":%d,"type":"minor_nc","statement":"Missing"}`, aud)},
		// A minor nonconformity found: the finding, and the nonconformity
		// it opens.
		{name: "finding", role: as, method: "POST", path: "/api/v1/findings", status: 201, newAudits: 2,
			body: a(`{"audit_id":%d,"requirement_id":%d,"type":"minor_nc","statement":"The context review is not recorded.","item_id":%d}`, aud, clause["4.1"], line)},
		{name: "issue before completing", role: as, method: "POST", path: a("/api/v1/audits/%d/issue-report", aud), status: 422, fields: []string{"body.state"}},
		{name: "complete", role: as, method: "PATCH", path: a("/api/v1/audits/%d", aud), status: 200, newAudits: 1,
			body: `{"state":"completed","summary":"Short.","conclusion":"Conforms but for one minor."}`},
		{name: "issue", role: as, method: "POST", path: a("/api/v1/audits/%d/issue-report", aud), status: 200, newAudits: 1,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if h, _ := m["report_sha256"].(string); len(h) != 64 || m["state"] != "report_issued" {
					t.Errorf("issued: %v", m)
				}
			}},
		{name: "edit the issued report", role: as, method: "PATCH", path: a("/api/v1/audits/%d", aud), status: 422, fields: []string{"body.summary"},
			body: `{"summary":"Longer."}`},
		{name: "finding on the issued audit", role: as, method: "POST", path: "/api/v1/findings", status: 422, fields: []string{"body.audit_id"},
			body: a(`{"audit_id":%d,"requirement_id":%d,"type":"ofi","statement":"Late"}`, aud, clause["4.2"])},
		{name: "read with checklist and findings", role: access.Agent, method: "GET", path: a("/api/v1/audits/%d", aud), status: 200,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if cl, _ := m["checklist"].([]any); len(cl) != 2 {
					t.Errorf("checklist %v, want two lines", m["checklist"])
				}
				if fs, _ := m["findings"].([]any); len(fs) != 1 {
					t.Errorf("findings %v, want one", m["findings"])
				}
			}},
		{name: "filter", role: access.Agent, method: "GET", path: a("/api/v1/audits?state=report_issued&requirement_id=%d", clause["4.1"]), status: 200,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if items, _ := m["items"].([]any); len(items) != 1 {
					t.Errorf("filtered audits %v, want one", m["items"])
				}
			}},
		{name: "plan the cycle", role: as, method: "POST", path: a("/api/v1/audit-programmes/%d/generate", prog), status: 201, newAudits: planned,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if items, _ := m["items"].([]any); len(items) != 6 {
					t.Errorf("planned %d audits, want six (two a year)", len(items))
				}
			}},
		{name: "plan again", role: as, method: "POST", path: a("/api/v1/audit-programmes/%d/generate", prog), status: 201},
		{name: "coverage", role: access.Agent, method: "GET", path: a("/api/v1/audit-programmes/%d", prog), status: 200,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if m["unaudited"] != float64(0) {
					t.Errorf("unaudited %v, want 0", m["unaudited"])
				}
			}},
	} {
		t.Run(s.name, func(t *testing.T) { f.run(t, s) })
	}
	// The certification body's audits name the body on record.
	var body, stage1 int64
	for _, s := range []scenario{
		{name: "body", role: access.SMSManager, method: "POST", path: "/api/v1/certification-bodies", status: 201, newAudits: 1, body: `{"name":"Certa Assurance"}`,
			check: func(t *testing.T, m map[string]any, _ *http.Response) { body = int64(m["id"].(float64)) }},
		{name: "stage 1 without its body", role: as, method: "POST", path: "/api/v1/audits", status: 422, fields: []string{"body.body_id"},
			body: a(`{"title":"Stage 1","type":"stage1","requirement_ids":[%d],"planned_start":"2027-03-01","planned_end":"2027-03-02"}`, clause["4.1"])},
	} {
		t.Run(s.name, func(t *testing.T) { f.run(t, s) })
	}
	for _, s := range []scenario{
		{name: "internal audit naming a body", role: as, method: "POST", path: "/api/v1/audits", status: 422, fields: []string{"body.body_id"},
			body: a(`{"title":"Internal","requirement_ids":[%d],"body_id":%d,"planned_start":"2027-03-01","planned_end":"2027-03-02"}`, clause["4.1"], body)},
		{name: "stage 1 with its body", role: as, method: "POST", path: "/api/v1/audits", status: 201, newAudits: 2,
			body: a(`{"title":"Stage 1","type":"stage1","body_id":%d,"requirement_ids":[%d],"planned_start":"2027-03-01","planned_end":"2027-03-02"}`, body, clause["4.1"]),
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				stage1 = int64(m["id"].(float64))
				if m["body_id"] != float64(body) || m["origin"] != "external" {
					t.Errorf("stage 1: %v, want external with its body", m)
				}
			}},
		{name: "audits of the body", role: access.Agent, method: "GET", path: a("/api/v1/audits?body_id=%d", body), status: 200,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if items, _ := m["items"].([]any); len(items) != 1 {
					t.Errorf("audits of the body %v, want the stage 1", m["items"])
				}
			}},
		{name: "delete the body an audit names", role: access.SMSManager, method: "DELETE", path: a("/api/v1/certification-bodies/%d", body), status: 409,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if d, _ := m["detail"].(string); !strings.Contains(d, fmt.Sprintf("AUD-%06d", stage1)) {
					t.Errorf("refusal %v, want it to name the audit", m)
				}
			}},
	} {
		t.Run(s.name, func(t *testing.T) { f.run(t, s) })
	}
}
