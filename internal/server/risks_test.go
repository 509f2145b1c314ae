package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The register through the API: bad input refused naming the field and
// nothing written; scores and bands; the filters and the matrix; a
// treatment action names its risk, which then cannot be deleted; the
// scales shortened only while no risk is rated on the level lost.
func TestRisksAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	owner, agent, top := f.users[access.ProcessOwner].ID, f.users[access.Agent].ID, f.users[access.TopManagement].ID
	today := time.Now().UTC().Format(time.DateOnly)
	risk := func(extra string) string {
		return fmt.Sprintf(`{"title":"Colocation fails","category":"supplier","owner_id":%d,"likelihood":4,"impact":5%s}`, owner, extra)
	}
	levels := func(n int) string {
		var ls []string
		for i := 1; i <= n; i++ {
			ls = append(ls, fmt.Sprintf(`{"label":"L%d","description":""}`, i))
		}
		return "[" + strings.Join(ls, ",") + "]"
	}
	ids := runSteps(t, f, []apiStep{
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: fmt.Sprintf(`{"title":" ","category":"supplier","owner_id":%d,"likelihood":1,"impact":1}`, owner), status: 422, field: "title"},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: risk(`,"category":"weather"`), status: 422, field: "category"},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: fmt.Sprintf(`{"title":"x","category":"supplier","owner_id":%d,"likelihood":6,"impact":1}`, owner), status: 422, field: "likelihood"},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: risk(`,"residual_likelihood":5`), status: 422, field: "residual_likelihood"},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: risk(`,"treatment":"accept"`), status: 422, field: "accepted_by"},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: risk(fmt.Sprintf(`,"treatment":"accept","accepted_by":%d,"accepted_on":%q`, agent, today)), status: 422, field: "accepted_by"},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: risk(`,"review_on":"31.12.2027"`), status: 422, field: "review_on"},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: risk(`,"service_ids":[987654]`), status: 422, field: "service_ids"},
		{role: access.ProcessOwner, method: "GET", path: "/api/v1/risks?state=open", status: 200, contains: `"items":[]`},
		{role: access.Agent, method: "POST", path: "/api/v1/risks", body: risk(""), status: 403},
		{role: access.ProcessOwner, method: "POST", path: "/api/v1/risks", body: risk(fmt.Sprintf(`,"residual_likelihood":2,"residual_impact":3,"treatment":"accept","accepted_by":%d,"accepted_on":%q,"review_on":"2020-01-01"`, top, today)),
			status: 201, contains: `"score":20,"band":"critical"`, keep: "colo"},
		{role: access.Agent, method: "GET", path: "/api/v1/risks/{colo}", status: 200, contains: `"residual_score":6,"residual_band":"medium"`},
		{role: access.Agent, method: "GET", path: "/api/v1/risks/{colo}", status: 200, contains: `"review_overdue":true`},
		{role: access.Agent, method: "GET", path: "/api/v1/risks?band=critical", status: 200, contains: `"number":"RSK-`},
		{role: access.Agent, method: "GET", path: "/api/v1/risks?band=low", status: 200, contains: `"items":[]`},
		{role: access.Agent, method: "GET", path: "/api/v1/risks?residual=true&likelihood=2&impact=3", status: 200, contains: `"title":"Colocation fails"`},
		{role: access.Agent, method: "GET", path: "/api/v1/risks?overdue=true", status: 200, contains: `"title":"Colocation fails"`},
		{role: access.Agent, method: "GET", path: "/api/v1/risks/matrix", status: 200, contains: `{"likelihood":4,"impact":5,"score":20,"band":"critical","count":1}`},
		{role: access.Agent, method: "GET", path: "/api/v1/risks/matrix?residual=true", status: 200, contains: `{"likelihood":2,"impact":3,"score":6,"band":"medium","count":1}`},
		{role: access.ProcessOwner, method: "PATCH", path: "/api/v1/risks/{colo}", body: `{"treatment":"mitigate","accepted_by":0,"accepted_on":""}`, status: 200, contains: `"accepted_by":null`},
		{role: access.ProcessOwner, method: "PATCH", path: "/api/v1/risks/{colo}", body: `{"impact":2}`, status: 422, field: "residual_impact"},
		{role: access.Agent, method: "POST", path: "/api/v1/actions", body: fmt.Sprintf(`{"title":"Quote a third site","owner_id":%d,"source":"risk"}`, agent), status: 422, field: "source_id"},
		{role: access.Agent, method: "POST", path: "/api/v1/actions", body: fmt.Sprintf(`{"title":"Quote a third site","owner_id":%d,"source":"risk","source_id":{colo}}`, agent), status: 201, keep: "act"},
		{role: access.SMSManager, method: "DELETE", path: "/api/v1/risks/{colo}", status: 409, contains: "1 treatment action comes from it"},
		// The scales: the impact scale cannot lose level 5 while the risk is
		// rated on it; once it is not, it can.
		{role: access.ProcessOwner, method: "PUT", path: "/api/v1/risk-scales", body: fmt.Sprintf(`{"likelihood":%s,"impact":%s,"medium_from":3,"high_from":6,"critical_from":12}`, levels(5), levels(4)), status: 403},
		{role: access.SMSManager, method: "PUT", path: "/api/v1/risk-scales", body: fmt.Sprintf(`{"likelihood":%s,"impact":%s,"medium_from":3,"high_from":6,"critical_from":12}`, levels(5), levels(4)), status: 422, contains: "1 risk is rated on them"},
		{role: access.SMSManager, method: "PUT", path: "/api/v1/risk-scales", body: fmt.Sprintf(`{"likelihood":%s,"impact":%s,"medium_from":3,"high_from":6,"critical_from":21}`, levels(5), levels(4)), status: 422, field: "critical_from"},
		{role: access.ProcessOwner, method: "PATCH", path: "/api/v1/risks/{colo}", body: `{"impact":4}`, status: 200},
		{role: access.SMSManager, method: "PUT", path: "/api/v1/risk-scales", body: fmt.Sprintf(`{"likelihood":%s,"impact":%s,"medium_from":3,"high_from":6,"critical_from":12}`, levels(5), levels(4)), status: 200, contains: `"max_score":20`},
		{role: access.Agent, method: "GET", path: "/api/v1/risk-scales", status: 200, contains: `"label":"L4"`},
		{role: access.Agent, method: "GET", path: "/api/v1/risks/{colo}", status: 200, contains: `"score":16,"band":"critical"`},
		{role: access.Agent, method: "DELETE", path: "/api/v1/actions/{act}", status: 204},
		{role: access.SMSManager, method: "DELETE", path: "/api/v1/risks/{colo}", status: 204},
	})
	var hist struct {
		Items []struct {
			Action string `json:"action"`
		} `json:"items"`
	}
	if err := json.NewDecoder(f.do(t, access.InternalAuditor, "GET", fmt.Sprintf("/api/v1/risks/%d/history", ids["colo"]), "").Body).Decode(&hist); err != nil || len(hist.Items) != 4 {
		t.Errorf("the risk's history: %+v %v, want its create, two changes (not the refused one) and its delete", hist, err)
	}
}
