package server_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// apiStep is one call of an API scenario: who calls what with which body,
// the status expected and, for a refusal, the field it must name; the
// answer's id is kept under keep, for later steps' bodies and paths
// ({name} is replaced by the id kept under name).
type apiStep struct {
	role         access.Role
	method, path string
	body         string
	status       int
	field        string // for 422: the field the problem names
	contains     string // text the answer holds
	keep         string
}

func runSteps(t *testing.T, f *fixture, steps []apiStep) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	fill := func(s string) string {
		for k, v := range ids {
			s = strings.ReplaceAll(s, "{"+k+"}", fmt.Sprint(v))
		}
		return s
	}
	for i, s := range steps {
		r := f.do(t, s.role, s.method, fill(s.path), fill(s.body))
		b, _ := io.ReadAll(r.Body)
		what := fmt.Sprintf("step %d: %s %s as %s", i, s.method, fill(s.path), s.role)
		if r.StatusCode != s.status {
			t.Fatalf("%s: %d %s, want %d", what, r.StatusCode, b, s.status)
		}
		if s.field != "" && !strings.Contains(string(b), `"location":"body.`+s.field+`"`) && !strings.Contains(string(b), `"`+s.field+`"`) {
			t.Errorf("%s: %s, want the problem to name %s", what, b, s.field)
		}
		if s.contains != "" && !strings.Contains(string(b), s.contains) {
			t.Errorf("%s: %s, want it to hold %q", what, b, s.contains)
		}
		if s.keep != "" {
			var v struct {
				ID int64 `json:"id"`
			}
			if err := json.Unmarshal(b, &v); err != nil || v.ID == 0 {
				t.Fatalf("%s: no id in %s", what, b)
			}
			ids[s.keep] = v.ID
		}
	}
	return ids
}

// Objectives and their values through the API: refusals name the field;
// the list flags the objective whose latest value misses the target; the
// objective's answer holds its values.
func TestObjectivesAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	owner := f.users[access.ProcessOwner].ID
	day := func(d int) string { return time.Now().UTC().AddDate(0, 0, d).Format(time.DateOnly) }
	obj := func(statement string, target float64, dir string) string {
		return fmt.Sprintf(`{"statement":%q,"owner_id":%d,"measure":"From the records","unit":"%%","target":%g,"direction":%q}`, statement, owner, target, dir)
	}
	value := func(objective, on string, v float64) string {
		return fmt.Sprintf(`{"objective_id":{%s},"on":%q,"value":%g}`, objective, on, v)
	}
	ids := runSteps(t, f, []apiStep{
		{role: access.SMSManager, method: "POST", path: "/api/v1/objectives", body: fmt.Sprintf(`{"statement":"","owner_id":%d,"measure":"x","target":1}`, owner), status: 422, field: "statement"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/objectives", body: fmt.Sprintf(`{"statement":"x","owner_id":%d,"measure":"","target":1}`, owner), status: 422, field: "measure"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/objectives", body: `{"statement":"x","owner_id":99999,"measure":"x","target":1}`, status: 422, field: "owner_id"},
		{role: access.Agent, method: "POST", path: "/api/v1/objectives", body: obj("Resolve on time", 95, "higher"), status: 403},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/objectives", body: obj("Resolve on time", 95, "higher"), status: 201, contains: `"standing":"none"`, keep: "missed"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/objectives", body: obj("Few failed changes", 5, "lower"), status: 201, keep: "met"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/objective-values", body: value("missed", day(-40), 97), status: 201, contains: `"meets":true`},
		{role: access.SMSManager, method: "POST", path: "/api/v1/objective-values", body: value("missed", day(-10), 90.5), status: 201, contains: `"meets":false`, keep: "value"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/objective-values", body: value("missed", day(-10), 99), status: 422, field: "on"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/objective-values", body: value("missed", day(3), 99), status: 422, field: "on"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/objective-values", body: value("met", day(-10), 3.5), status: 201},
		{role: access.Agent, method: "POST", path: "/api/v1/objective-values", body: value("met", day(-5), 3.5), status: 403},
		{role: access.InternalAuditor, method: "GET", path: "/api/v1/objectives?standing=missed", status: 200, contains: `"statement":"Resolve on time"`},
		{role: access.InternalAuditor, method: "GET", path: "/api/v1/objectives/{missed}", status: 200, contains: `"standing":"missed"`},
		{role: access.InternalAuditor, method: "GET", path: "/api/v1/objective-values?objective_id={missed}", status: 200, contains: `"value":90.5`},
		{role: access.SMSManager, method: "PATCH", path: "/api/v1/objective-values/{value}", body: `{"value":96}`, status: 200, contains: `"meets":true`},
		{role: access.InternalAuditor, method: "GET", path: "/api/v1/objectives/{missed}", status: 200, contains: `"standing":"met"`},
		{role: access.SMSManager, method: "PATCH", path: "/api/v1/objectives/{missed}", body: `{"source":"query"}`, status: 422, field: "source"},
		{role: access.SMSManager, method: "DELETE", path: "/api/v1/objectives/{met}", status: 204},
		{role: access.InternalAuditor, method: "GET", path: "/api/v1/objective-values?objective_id={met}", status: 200, contains: `"items":[]`},
	})
	var got struct {
		Items []struct {
			ID       int64  `json:"id"`
			Standing string `json:"standing"`
		} `json:"items"`
	}
	if err := json.NewDecoder(f.do(t, access.Agent, "GET", "/api/v1/objectives?standing=missed", "").Body).Decode(&got); err != nil || len(got.Items) != 0 {
		t.Errorf("after the correction, objectives missing their target: %+v %v, want none", got, err)
	}
	var detail struct {
		Values []struct{ On string } `json:"values"`
	}
	if err := json.NewDecoder(f.do(t, access.Agent, "GET", fmt.Sprintf("/api/v1/objectives/%d", ids["missed"]), "").Body).Decode(&detail); err != nil ||
		len(detail.Values) != 2 || detail.Values[0].On != day(-40) {
		t.Errorf("the objective's values: %+v %v, want both, oldest first", detail, err)
	}
}

// Processes, the team and the RACI through the API and the pages: the
// register is there from the start; one project manager; one accountable
// person per row; the matrix as CSV.
func TestProcessesTeamRaciAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	mgr, owner, agent, top := f.users[access.SMSManager].ID, f.users[access.ProcessOwner].ID, f.users[access.Agent].ID, f.users[access.TopManagement].ID
	var procs struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	if err := json.NewDecoder(f.do(t, access.Agent, "GET", "/api/v1/processes?area=resolution", "").Body).Decode(&procs); err != nil || len(procs.Items) != 3 {
		t.Fatalf("the built-in resolution processes: %+v %v, want incident, request and problem", procs, err)
	}
	incident := procs.Items[0].ID
	runSteps(t, f, []apiStep{
		{role: access.ProcessOwner, method: "PATCH", path: fmt.Sprintf("/api/v1/processes/%d", incident), body: fmt.Sprintf(`{"owner_id":%d,"maturity":3}`, owner), status: 200, contains: `"maturity":3`},
		{role: access.ProcessOwner, method: "PATCH", path: fmt.Sprintf("/api/v1/processes/%d", incident), body: fmt.Sprintf(`{"interface_ids":[%d]}`, incident), status: 422, field: "interface_ids"},
		{role: access.ProcessOwner, method: "PATCH", path: fmt.Sprintf("/api/v1/processes/%d", incident), body: `{"maturity":6}`, status: 422, field: "maturity"},
		{role: access.Agent, method: "PATCH", path: fmt.Sprintf("/api/v1/processes/%d", incident), body: `{"maturity":4}`, status: 403},
		{role: access.SMSManager, method: "POST", path: "/api/v1/processes", body: `{"name":"Knowledge management","area":"resolution","purpose":"Keep what we know findable."}`, status: 201, contains: `"documentation":"outline"`, keep: "own"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/processes", body: `{"name":"Knowledge management","area":"resolution"}`, status: 422, field: "name"},
		{role: access.SMSManager, method: "DELETE", path: fmt.Sprintf("/api/v1/processes/%d", incident), status: 409},
		{role: access.SMSManager, method: "DELETE", path: "/api/v1/processes/{own}", status: 204},

		{role: access.SMSManager, method: "POST", path: "/api/v1/implementation-team", body: fmt.Sprintf(`{"user_id":%d,"role":"member"}`, owner), status: 422, field: "role", contains: "has none yet"},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/implementation-team", body: fmt.Sprintf(`{"user_id":%d,"role":"project_manager"}`, mgr), status: 403},
		{role: access.SMSManager, method: "POST", path: "/api/v1/implementation-team", body: fmt.Sprintf(`{"user_id":%d,"role":"project_manager"}`, mgr), status: 201, keep: "pm"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/implementation-team", body: fmt.Sprintf(`{"user_id":%d,"role":"project_manager"}`, owner), status: 422, field: "role", contains: "is already the project manager"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/implementation-team", body: fmt.Sprintf(`{"user_id":%d,"role":"process_owner"}`, owner), status: 201, keep: "po"},
		{role: access.SMSManager, method: "PATCH", path: "/api/v1/implementation-team/{pm}", body: `{"role":"member"}`, status: 422, field: "role"},
		{role: access.SMSManager, method: "DELETE", path: "/api/v1/implementation-team/{pm}", status: 409},
		{role: access.SMSManager, method: "POST", path: "/api/v1/implementation-team/{po}/designate", status: 200, contains: `"role":"project_manager"`},
		{role: access.Agent, method: "GET", path: "/api/v1/implementation-team/{pm}", status: 200, contains: `"role":"member"`},
		{role: access.Agent, method: "GET", path: "/api/v1/implementation-team?role=project_manager", status: 200, contains: fmt.Sprintf(`"user_id":%d`, owner)},

		{role: access.SMSManager, method: "POST", path: "/api/v1/raci", body: fmt.Sprintf(`{"process_id":%d}`, incident), status: 422, field: "accountable_id"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/raci", body: fmt.Sprintf(`{"accountable_id":%d}`, owner), status: 422, field: "process_id"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/raci", body: fmt.Sprintf(`{"process_id":%d,"accountable_id":%d,"consulted_ids":[%d]}`, incident, owner, owner), status: 422, field: "consulted_ids"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/raci", body: fmt.Sprintf(`{"process_id":%d,"accountable_id":%d,"responsible_ids":[%d,%d],"informed_ids":[%d]}`, incident, owner, owner, agent, top), status: 201, keep: "row"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/raci", body: fmt.Sprintf(`{"process_id":%d,"accountable_id":%d}`, incident, mgr), status: 422, field: "process_id"},
		{role: access.ProcessOwner, method: "PATCH", path: "/api/v1/raci/{row}", body: fmt.Sprintf(`{"accountable_id":%d}`, mgr), status: 403},
		{role: access.SMSManager, method: "PATCH", path: "/api/v1/raci/{row}", body: fmt.Sprintf(`{"consulted_ids":[%d]}`, mgr), status: 200, contains: fmt.Sprintf(`"consulted_ids":[%d]`, mgr)},
		{role: access.Agent, method: "GET", path: fmt.Sprintf("/api/v1/raci?user_id=%d", agent), status: 200, contains: fmt.Sprintf(`"process_id":%d`, incident)},
		{role: access.SMSManager, method: "DELETE", path: fmt.Sprintf("/api/v1/processes/%d", incident), status: 409, contains: "it is an interface of PRC-"},
	})

	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	r, page := b.get("/raci/matrix.csv")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("the matrix as CSV: %d %s %s", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(page)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("the CSV: %v %v, want a heading and one row", rows, err)
	}
	cell := map[string]string{}
	for i, h := range rows[0] {
		cell[h] = rows[1][i]
	}
	if cell["The "+access.ProcessOwner.Label()] != "A/R" || cell["The "+access.Agent.Label()] != "R" || cell["The "+access.SMSManager.Label()] != "C" ||
		cell["The "+access.TopManagement.Label()] != "I" || cell["For"] != "process" {
		t.Errorf("the CSV's row: %v", cell)
	}
	if r, page := b.get("/raci/matrix"); r.StatusCode != http.StatusOK || !strings.Contains(page, "A/R") {
		t.Errorf("the matrix page: %d", r.StatusCode)
	}
	if r, page := b.get("/processes/map"); r.StatusCode != http.StatusOK || !strings.Contains(page, "Incident management") {
		t.Errorf("the process map: %d", r.StatusCode)
	}
	// Handing the role over from the member's page.
	mb := newBrowser(t, f)
	mb.login("sms_manager@example.com", "correct horse battery")
	var team struct {
		Items []struct {
			ID     int64 `json:"id"`
			UserID int64 `json:"user_id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(f.do(t, access.Agent, "GET", "/api/v1/implementation-team?role=member", "").Body).Decode(&team); err != nil || len(team.Items) != 1 {
		t.Fatalf("members: %+v %v", team, err)
	}
	path := fmt.Sprintf("/implementation-team/%d", team.Items[0].ID)
	token := mb.csrf(path)
	if r, _ := mb.post(path+"/designate", url.Values{"_csrf": {token}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("make project manager: %d, want 303", r.StatusCode)
	}
	if r := f.do(t, access.Agent, "GET", fmt.Sprintf("/api/v1/implementation-team?role=project_manager&user_id=%d", mgr), ""); r.StatusCode != http.StatusOK {
		t.Errorf("project manager after handing back: %d", r.StatusCode)
	} else if b, _ := io.ReadAll(r.Body); !strings.Contains(string(b), fmt.Sprintf(`"user_id":%d`, mgr)) {
		t.Errorf("after handing the role back, the project manager is not the SMS manager: %s", b)
	}
}
