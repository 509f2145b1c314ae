package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The scope through the API: services with customers, a draft refused
// for an unjustified exclusion, one draft at a time, approval by the
// roles that may (with If-Match), an approved revision that no longer
// changes nor goes; and the context registers with their filters.
func TestScopeAndContextAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	owner := f.users[access.ProcessOwner]
	type answer struct {
		status int
		body   string
		etag   string
	}
	call := func(role access.Role, method, path, body string, header ...string) answer {
		t.Helper()
		req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return answer{r.StatusCode, string(b), r.Header.Get("ETag")}
	}
	id := func(a answer) int64 {
		t.Helper()
		var v struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal([]byte(a.body), &v); err != nil || v.ID == 0 {
			t.Fatalf("no id in %d %s", a.status, a.body)
		}
		return v.ID
	}
	want := func(what string, a answer, status int, has ...string) {
		t.Helper()
		if a.status != status {
			t.Errorf("%s: %d %s, want %d", what, a.status, a.body, status)
			return
		}
		for _, h := range has {
			if !strings.Contains(a.body, h) {
				t.Errorf("%s: %s, want it to hold %s", what, a.body, h)
			}
		}
	}

	desk := call(access.SMSManager, "POST", "/api/v1/services", fmt.Sprintf(`{"name":"Service desk","owner_id":%d,"customer_ids":[%d]}`, owner.ID, f.orgs["a"].ID))
	want("create a service", desk, http.StatusCreated, `"status":"live"`, fmt.Sprintf(`"customer_ids":[%d]`, f.orgs["a"].ID))
	want("a service of an agent", call(access.Agent, "POST", "/api/v1/services", fmt.Sprintf(`{"name":"x","owner_id":%d}`, owner.ID)), http.StatusForbidden)
	want("a service for no organisation", call(access.SMSManager, "POST", "/api/v1/services", fmt.Sprintf(`{"name":"x","owner_id":%d,"customer_ids":[987654]}`, owner.ID)),
		http.StatusUnprocessableEntity, "customer_ids")
	want("services of customer A", call(access.Agent, "GET", fmt.Sprintf("/api/v1/services?customer_id=%d", f.orgs["a"].ID), ""), http.StatusOK, "Service desk")
	deskID := id(desk)

	want("an exclusion without a justification",
		call(access.SMSManager, "POST", "/api/v1/scopes", `{"statement":"The SMS","exclusions":[{"subject":"Hosting","justification":""}]}`),
		http.StatusUnprocessableEntity, "exclusions[0].justification")
	want("an exclusion of a clause",
		call(access.SMSManager, "POST", "/api/v1/scopes", `{"statement":"The SMS","exclusions":[{"subject":"Clause 8.4","justification":"We have no budget"}]}`),
		http.StatusUnprocessableEntity, "exclusions[0].subject", "no exclusion of its requirements")
	draft := call(access.SMSManager, "POST", "/api/v1/scopes", `{"statement":"The SMS of Provider","locations":"Leeds","exclusions":[{"subject":"Payroll","justification":"Outsourced to the parent"}]}`)
	want("a draft", draft, http.StatusCreated, `"revision":1`, `"state":"draft"`, `"approved_at":null`)
	scope := id(draft)
	want("a second draft", call(access.SMSManager, "POST", "/api/v1/scopes", `{"statement":"Another"}`), http.StatusConflict)
	want("approve with no service", call(access.TopManagement, "POST", fmt.Sprintf("/api/v1/scopes/%d/approve", scope), ""), http.StatusUnprocessableEntity, "service_ids")
	patched := call(access.SMSManager, "PATCH", fmt.Sprintf("/api/v1/scopes/%d", scope), fmt.Sprintf(`{"service_ids":[%d]}`, deskID), "If-Match", draft.etag)
	want("name the service", patched, http.StatusOK, fmt.Sprintf(`"service_ids":[%d]`, deskID))
	want("approve as an agent", call(access.Agent, "POST", fmt.Sprintf("/api/v1/scopes/%d/approve", scope), ""), http.StatusForbidden)
	want("approve a stale read", call(access.TopManagement, "POST", fmt.Sprintf("/api/v1/scopes/%d/approve", scope), "", "If-Match", draft.etag), http.StatusPreconditionFailed)
	approved := call(access.TopManagement, "POST", fmt.Sprintf("/api/v1/scopes/%d/approve", scope), "", "If-Match", patched.etag)
	want("approve", approved, http.StatusOK, `"state":"approved"`, fmt.Sprintf(`"approved_by":%d`, f.users[access.TopManagement].ID))
	if approved.etag == "" || approved.etag == patched.etag {
		t.Errorf("approval's ETag %q, want a new one", approved.etag)
	}
	want("change the approved revision", call(access.SMSManager, "PATCH", fmt.Sprintf("/api/v1/scopes/%d", scope), `{"statement":"Changed"}`), http.StatusConflict)
	want("delete the approved revision", call(access.SMSManager, "DELETE", fmt.Sprintf("/api/v1/scopes/%d", scope), ""), http.StatusConflict)
	want("delete a service in scope", call(access.SMSManager, "DELETE", fmt.Sprintf("/api/v1/services/%d", deskID), ""), http.StatusConflict, "retired")
	want("the scope in force", call(access.InternalAuditor, "GET", "/api/v1/scopes?state=approved", ""), http.StatusOK, "The SMS of Provider", "Outsourced to the parent")
	want("its history", call(access.InternalAuditor, "GET", fmt.Sprintf("/api/v1/scopes/%d/history", scope), ""), http.StatusOK, "approved")
	want("a requester reading the scope", call(access.Requester, "GET", "/api/v1/scopes", ""), http.StatusForbidden)

	want("an issue with no owner", call(access.SMSManager, "POST", "/api/v1/context-issues", `{"title":"Heat","origin":"external"}`), http.StatusUnprocessableEntity, "owner_id")
	want("a climate issue", call(access.SMSManager, "POST", "/api/v1/context-issues",
		fmt.Sprintf(`{"title":"Heatwaves","origin":"external","category":"environmental","climate":true,"owner_id":%d}`, owner.ID)), http.StatusCreated, `"climate":true`)
	want("another issue", call(access.SMSManager, "POST", "/api/v1/context-issues",
		fmt.Sprintf(`{"title":"Staff turnover","origin":"internal","owner_id":%d}`, owner.ID)), http.StatusCreated, `"category":"other"`)
	climate := call(access.Agent, "GET", "/api/v1/context-issues?climate=true", "")
	want("the climate issues", climate, http.StatusOK, "Heatwaves")
	if strings.Contains(climate.body, "Staff turnover") {
		t.Errorf("the climate issues hold one that is not: %s", climate.body)
	}
	want("a party without requirements", call(access.SMSManager, "POST", "/api/v1/interested-parties", `{"name":"Regulator","category":"regulator","requirements":""}`),
		http.StatusUnprocessableEntity, "requirements")
	want("a party", call(access.SMSManager, "POST", "/api/v1/interested-parties", `{"name":"Regulator","category":"regulator","requirements":"Breaches reported in 72 hours"}`),
		http.StatusCreated, `"relevance":"medium"`)
	want("a communication with no owner", call(access.SMSManager, "POST", "/api/v1/communications", `{"subject":"Policy","audience":"All staff","frequency":"yearly","channel":"intranet","owner_id":987654}`),
		http.StatusUnprocessableEntity, "owner_id")
	want("a communication", call(access.SMSManager, "POST", "/api/v1/communications",
		fmt.Sprintf(`{"subject":"Policy","audience":"All staff","frequency":"yearly","channel":"intranet","owner_id":%d}`, owner.ID)), http.StatusCreated)
	want("the yearly communications", call(access.TopManagement, "GET", "/api/v1/communications?frequency=yearly", ""), http.StatusOK, "All staff")
}
