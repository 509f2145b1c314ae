package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// A nonconformity through the API, step by step with If-Match: closing
// too early refused naming all that is missing and writing nothing; a
// bad requirement refused naming requirement_id; the overdue and
// recurring filters; requesters kept out.
func TestNonconformitiesAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	fw, err := f.db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := f.db.RequirementTree(ctx, fw.ID)
	if err != nil {
		t.Fatal(err)
	}
	var req int64
	for _, r := range tree {
		if r.Code == "8.6.1" {
			req = r.ID
		}
	}
	owner, mgr := f.users[access.ProcessOwner].ID, f.users[access.SMSManager].ID
	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	nc := func(title, raised string, reqID int64) string {
		return fmt.Sprintf(`{"title":%q,"severity":"major","origin":"incident","requirement_id":%d,"owner_id":%d,"raised_on":%q}`, title, reqID, owner, raised)
	}
	var id int64
	version := func(v int) map[string]string { return map[string]string{"If-Match": fmt.Sprintf(`"%d"`, v)} }
	path := func(suffix string) string { return fmt.Sprintf("/api/v1/nonconformities/%d%s", id, suffix) }
	holds := func(want ...string) func(t *testing.T, m map[string]any, r *http.Response) {
		return func(t *testing.T, m map[string]any, r *http.Response) {
			t.Helper()
			got := fmt.Sprint(m)
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("answer %s, want it to hold %q", got, w)
				}
			}
		}
	}
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: "/api/v1/nonconformities", body: nc("Bad requirement", day(0), 987654), status: 422, fields: []string{"body.requirement_id"}})
	f.run(t, scenario{role: access.Requester, method: "POST", path: "/api/v1/nonconformities", body: nc("Requester", day(0), req), status: 403})
	f.run(t, scenario{role: access.Requester, method: "GET", path: "/api/v1/nonconformities", status: 403})
	// An earlier one against the same requirement, 100 days ago and past
	// its plan (internal major: 30 days), then the one carried through.
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: "/api/v1/nonconformities", body: nc("Escalated late in spring", day(-100), req), status: 201, newAudits: 1})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: "/api/v1/nonconformities", body: nc("Escalated late again", day(-2), req), status: 201, newAudits: 1,
		check: func(t *testing.T, m map[string]any, _ *http.Response) {
			id = int64(m["id"].(float64))
			if m["recurrence_of"].(float64) == 0 || m["state"] != "open" {
				t.Errorf("the second one: %v, want open and recurring", m)
			}
		}})
	f.run(t, scenario{role: access.Agent, method: "GET", path: "/api/v1/nonconformities?overdue=true", status: 200, check: holds("Escalated late in spring")})
	f.run(t, scenario{role: access.Agent, method: "GET", path: "/api/v1/nonconformities?recurring=true", status: 200,
		check: func(t *testing.T, m map[string]any, _ *http.Response) {
			if items := m["items"].([]any); len(items) != 1 || items[0].(map[string]any)["title"] != "Escalated late again" {
				t.Errorf("recurring: %v, want only the second", items)
			}
		}})
	// Closing now is refused, naming all that is missing, and writes nothing.
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/close"), body: `{}`, header: version(1), status: 409,
		check: holds("correction not recorded", "root cause not analysed", "no corrective action done", "effectiveness not verified")})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/correction"), header: version(1), status: 200, newAudits: 1,
		body: fmt.Sprintf(`{"correction":"Duty manager called in","corrected_by":%d,"corrected_on":%q}`, owner, day(-2)), check: holds("state:corrected")})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/analysis"), header: version(1), status: 412,
		body: fmt.Sprintf(`{"whys":["No criteria"],"cause_summary":"No criteria","analysed_on":%q}`, day(-1))})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/analysis"), header: version(2), status: 200, newAudits: 1,
		body: fmt.Sprintf(`{"whys":["Classed as priority 2","No criteria for a major incident"],"cause_summary":"No written criteria","analysed_on":%q}`, day(-1)), check: holds("state:analysed")})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/verification"), header: version(3), status: 422, fields: []string{"body.verification_result"},
		body: fmt.Sprintf(`{"verification_result":"effective","verified_by":%d,"verified_on":%q}`, mgr, day(0))})
	var act int64
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: "/api/v1/actions", status: 201, newAudits: 1,
		body:  fmt.Sprintf(`{"title":"Write the criteria","owner_id":%d,"source":"nonconformity","source_id":%d,"state":"done"}`, owner, id),
		check: func(t *testing.T, m map[string]any, _ *http.Response) { act = int64(m["id"].(float64)) }})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/close"), body: `{}`, header: version(3), status: 409,
		check: holds("effectiveness not verified")})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/verification"), header: version(3), status: 200, newAudits: 1,
		body: fmt.Sprintf(`{"verification_result":"effective","verified_by":%d,"verified_on":%q,"evidence":[{"entity":"action","id":%d}]}`, mgr, day(0), act), check: holds("state:verified")})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/close"), body: `{}`, header: version(4), status: 200, newAudits: 1, check: holds("state:closed")})
	f.run(t, scenario{role: access.ProcessOwner, method: "POST", path: path("/close"), body: `{}`, status: 409})
}
