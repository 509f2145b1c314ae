package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Management reviews and improvements through the API: bad input refused
// naming the field; a review prepared (its pack a to k), held (the hash),
// its pack refused once held; its output action named in its answer; an
// improvement scored, refused approval before its evaluation, approved.
func TestReviewsAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	top, agent := f.users[access.TopManagement].ID, f.users[access.Agent].ID
	today := time.Now().UTC().Format(time.DateOnly)
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	review := func(extra string) string {
		return fmt.Sprintf(`{"title":"First half","planned_on":%q,"chair_id":%d%s}`, today, top, extra)
	}
	runSteps(t, f, []apiStep{
		{role: access.SMSManager, method: "POST", path: "/api/v1/management-reviews", body: review(`,"planned_on":"2027-02-30"`), status: 422, field: "planned_on"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/management-reviews", body: fmt.Sprintf(`{"title":"x","planned_on":%q,"chair_id":%d}`, today, agent), status: 422, field: "chair_id"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/management-reviews", body: review(`,"interval_months":30`), status: 422},
		{role: access.Agent, method: "POST", path: "/api/v1/management-reviews", body: review(""), status: 403},
		{role: access.SMSManager, method: "POST", path: "/api/v1/management-reviews", body: review(`,"interval_months":6`), status: 201, contains: `"state":"planned"`, keep: "mr"},
		{role: access.TopManagement, method: "POST", path: "/api/v1/management-reviews/{mr}/hold", status: 422, field: "state"},
		{role: access.TopManagement, method: "POST", path: "/api/v1/management-reviews/{mr}/prepare", status: 200, contains: `"input":"k"`},
		{role: access.Agent, method: "GET", path: "/api/v1/management-reviews/{mr}", status: 200, contains: `"empty":"No audit was completed so far (no review was held before)."`},
		{role: access.TopManagement, method: "POST", path: "/api/v1/management-reviews/{mr}/hold", body: fmt.Sprintf(`{"held_on":%q}`, tomorrow), status: 422, field: "held_on"},
		{role: access.TopManagement, method: "POST", path: "/api/v1/management-reviews/{mr}/hold", body: `{}`, status: 200, contains: `"state":"held"`},
		{role: access.SMSManager, method: "PATCH", path: "/api/v1/management-reviews/{mr}", body: `{"pack":"{}"}`, status: 422, field: "pack"},
		{role: access.SMSManager, method: "PATCH", path: "/api/v1/management-reviews/{mr}", body: `{"minutes":"Discussed the pack.","decisions":["Plan the audit programme"]}`, status: 200, contains: `"decisions":["Plan the audit programme"]`},
		{role: access.SMSManager, method: "POST", path: "/api/v1/actions", body: fmt.Sprintf(`{"title":"Plan the audit programme","owner_id":%d,"source":"review","source_id":{mr}}`, agent), status: 201},
		{role: access.Agent, method: "GET", path: "/api/v1/management-reviews/{mr}", status: 200, contains: `"title":"Plan the audit programme","owner_id"`},
		{role: access.Agent, method: "GET", path: "/api/v1/management-reviews?state=held", status: 200, contains: `"pack_hash":"`},
		{role: access.Agent, method: "GET", path: "/api/v1/management-reviews/next", status: 200, contains: fmt.Sprintf(`"day":%q`, time.Now().UTC().AddDate(0, 6, 0).Format(time.DateOnly))},
		{role: access.SMSManager, method: "DELETE", path: "/api/v1/management-reviews/{mr}", status: 409},
		{role: access.TopManagement, method: "POST", path: "/api/v1/management-reviews/{mr}/approve", status: 200, contains: `"state":"approved"`},

		{role: access.Agent, method: "POST", path: "/api/v1/improvements", body: `{"title":"Self-service resets","benefit":6}`, status: 422, field: "benefit"},
		{role: access.Agent, method: "POST", path: "/api/v1/improvements", body: `{"title":"Self-service resets","source":"complaint","unit":"%","before":21}`, status: 201, contains: `"priority":0`, keep: "imp"},
		{role: access.SMSManager, method: "POST", path: "/api/v1/improvements/{imp}/approve", status: 422, field: "state"},
		{role: access.Agent, method: "POST", path: "/api/v1/improvements/{imp}/evaluate", status: 422, field: "benefit"},
		{role: access.Agent, method: "PATCH", path: "/api/v1/improvements/{imp}", body: `{"benefit":5,"effort":2,"risk":2,"alignment":5}`, status: 200, contains: `"priority":28,"priority_band":"high"`},
		{role: access.Agent, method: "POST", path: "/api/v1/improvements/{imp}/evaluate", status: 200, contains: `"state":"evaluated"`},
		{role: access.Agent, method: "POST", path: "/api/v1/improvements/{imp}/approve", status: 403},
		{role: access.TopManagement, method: "POST", path: "/api/v1/improvements/{imp}/approve", status: 200, contains: fmt.Sprintf(`"approved_on":%q`, today)},
		{role: access.Agent, method: "PATCH", path: "/api/v1/improvements/{imp}", body: `{"effort":1}`, status: 422, field: "effort"},
		{role: access.Agent, method: "GET", path: "/api/v1/improvements?open=true&source=complaint", status: 200, contains: `"state":"approved"`},
	})
}
