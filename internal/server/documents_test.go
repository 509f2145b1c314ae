package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// documentApprovers may be named a document's approvers.
var documentApprovers = []access.Role{access.Admin, access.SMSManager, access.ProcessOwner, access.TopManagement}

// Documents through the API: registered, refused by field, a version
// written, refused with a script link, submitted, refused approval by one
// not named, approved by the named approver, its text then fixed;
// acknowledged by an agent once; the checklist covered by it; and the
// document kept from deletion while the checklist points to it.
func TestDocumentsAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	boss, agent, manager := f.users[access.TopManagement], f.users[access.Agent], f.users[access.SMSManager]
	call := func(role access.Role, method, path, body string) (int, string) {
		t.Helper()
		r := f.do(t, role, method, path, body)
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	want := func(what string, status int, body string, code int, has ...string) {
		t.Helper()
		if status != code {
			t.Errorf("%s: %d %s, want %d", what, status, body, code)
			return
		}
		for _, h := range has {
			if !strings.Contains(body, h) {
				t.Errorf("%s: %s, want it to contain %q", what, body, h)
			}
		}
	}

	st, b := call(access.SMSManager, http.MethodPost, "/api/v1/documents", fmt.Sprintf(
		`{"title":"Service management policy","owner_id":%d,"approver_ids":[%d],"audience_roles":["agent"],"classification":"internal"}`, manager.ID, boss.ID))
	want("create", st, b, http.StatusCreated, `"status":"draft"`, `"number":"DOC-`, `"review_months":12`)
	var doc struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal([]byte(b), &doc)
	for _, bad := range []struct{ body, field string }{
		{fmt.Sprintf(`{"title":"x","owner_id":%d,"audience_roles":["janitor"]}`, manager.ID), "audience_roles"},
		{fmt.Sprintf(`{"title":"x","owner_id":%d,"approver_ids":[%d],"quorum":2}`, manager.ID, boss.ID), "quorum"},
		{fmt.Sprintf(`{"title":"x","owner_id":%d}`, agent.ID), "owner_id"},
		{fmt.Sprintf(`{"title":"x","owner_id":%d,"approver_ids":[%d]}`, manager.ID, agent.ID), "approver_ids"},
		{fmt.Sprintf(`{"title":"x","owner_id":%d,"type":"memo"}`, manager.ID), "type"},
	} {
		st, b := call(access.SMSManager, http.MethodPost, "/api/v1/documents", bad.body)
		want("create "+bad.body, st, b, http.StatusUnprocessableEntity, bad.field)
	}
	st, b = call(access.Agent, http.MethodPost, "/api/v1/documents", fmt.Sprintf(`{"title":"x","owner_id":%d}`, manager.ID))
	want("an agent creating", st, b, http.StatusForbidden)

	st, b = call(access.SMSManager, http.MethodPost, "/api/v1/document-versions", fmt.Sprintf(`{"document_id":%d,"content":"[click](javascript:alert(1))"}`, doc.ID))
	want("a version linking to script", st, b, http.StatusUnprocessableEntity, "content", "javascript")
	st, b = call(access.SMSManager, http.MethodPost, "/api/v1/document-versions", fmt.Sprintf(`{"document_id":%d,"content":"# Policy\n\nWe deliver.","change_note":"First"}`, doc.ID))
	want("a version", st, b, http.StatusCreated, `"number":1`, `"state":"draft"`)
	var ver struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal([]byte(b), &ver)
	vpath := fmt.Sprintf("/api/v1/document-versions/%d", ver.ID)
	st, b = call(access.SMSManager, http.MethodPatch, vpath, `{"state":"approved"}`)
	want("approved by hand", st, b, http.StatusUnprocessableEntity, "state", "approved by its approvers")
	st, b = call(access.SMSManager, http.MethodPatch, vpath, `{"state":"in_review"}`)
	want("submit", st, b, http.StatusOK, `"state":"in_review"`)
	st, b = call(access.SMSManager, http.MethodPost, vpath+"/approve", "")
	want("approval by one not named", st, b, http.StatusUnprocessableEntity, "approval_ids")
	st, b = call(access.Agent, http.MethodPost, vpath+"/approve", "")
	want("approval by an agent", st, b, http.StatusForbidden)
	st, b = call(access.TopManagement, http.MethodPost, vpath+"/approve", "")
	want("approval", st, b, http.StatusOK, `"state":"approved"`, fmt.Sprintf(`"approval_ids":[%d]`, boss.ID))
	st, b = call(access.SMSManager, http.MethodPatch, vpath, `{"content":"changed"}`)
	want("changing an approved version", st, b, http.StatusUnprocessableEntity, "content", "start a new version")
	st, b = call(access.InternalAuditor, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d", doc.ID), "")
	want("read the document", st, b, http.StatusOK, `"status":"approved"`, `"current_version":1`, `"next_review_on":"2`)

	dpath := fmt.Sprintf("/api/v1/documents/%d", doc.ID)
	st, b = call(access.SMSManager, http.MethodGet, dpath+"/completion", "")
	want("completion", st, b, http.StatusOK, fmt.Sprintf(`"pending":[%d]`, agent.ID), `"percent":0`)
	st, b = call(access.Agent, http.MethodGet, "/api/v1/documents/to-acknowledge", "")
	want("the agent's documents to acknowledge", st, b, http.StatusOK, "Service management policy")
	st, b = call(access.Agent, http.MethodPost, "/api/v1/document-acknowledgements", fmt.Sprintf(`{"document_id":%d}`, doc.ID))
	want("acknowledge", st, b, http.StatusCreated, fmt.Sprintf(`"user_id":%d`, agent.ID), fmt.Sprintf(`"version_id":%d`, ver.ID))
	st, b = call(access.Agent, http.MethodPost, "/api/v1/document-acknowledgements", fmt.Sprintf(`{"document_id":%d}`, doc.ID))
	want("acknowledge twice", st, b, http.StatusUnprocessableEntity, "version_id")
	st, b = call(access.Requester, http.MethodPost, "/api/v1/document-acknowledgements", fmt.Sprintf(`{"document_id":%d}`, doc.ID))
	want("a requester acknowledging", st, b, http.StatusForbidden)
	st, b = call(access.SMSManager, http.MethodGet, dpath+"/completion", "")
	want("completion after", st, b, http.StatusOK, `"percent":100`, `"pending":[]`)
	st, b = call(access.Agent, http.MethodGet, "/api/v1/documents/to-acknowledge", "")
	want("nothing left to acknowledge", st, b, http.StatusOK, `"items":[]`)

	st, b = call(access.Agent, http.MethodGet, "/api/v1/document-checklist", "")
	want("checklist", st, b, http.StatusOK, `"approved":0`, `"item":"policy"`)
	st, b = call(access.Agent, http.MethodPut, "/api/v1/document-checklist/policy", fmt.Sprintf(`{"document_id":%d}`, doc.ID))
	want("an agent mapping", st, b, http.StatusForbidden)
	st, b = call(access.SMSManager, http.MethodPut, "/api/v1/document-checklist/nonsense", fmt.Sprintf(`{"document_id":%d}`, doc.ID))
	want("mapping an unknown item", st, b, http.StatusUnprocessableEntity, "item")
	st, b = call(access.SMSManager, http.MethodPut, "/api/v1/document-checklist/policy", fmt.Sprintf(`{"document_id":%d}`, doc.ID))
	want("mapping", st, b, http.StatusOK, `"approved":1`)
	st, b = call(access.SMSManager, http.MethodDelete, dpath, "")
	want("deleting a mapped document", st, b, http.StatusConflict, "checklist", "withdraw")
	st, b = call(access.SMSManager, http.MethodGet, vpath+"/history", "")
	want("the version's history", st, b, http.StatusOK, `"action":"create"`, `"in_review"`, `"approved"`)

	// A version whose content is an uploaded file: described in the API,
	// downloaded as an attachment that a browser never runs.
	mgr := manager.Actor("test")
	plan, err := f.areas.SMS.CreateDocument(t.Context(), mgr, sms.DocumentInput{Title: "Continuity plan", OwnerID: manager.ID})
	if err != nil {
		t.Fatal(err)
	}
	fv, err := f.areas.SMS.CreateDocumentVersion(t.Context(), mgr, plan.ID, sms.VersionInput{},
		files.Upload{Field: "file", Name: "plan.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")})
	if err != nil {
		t.Fatal(err)
	}
	st, b = call(access.Agent, http.MethodGet, fmt.Sprintf("/api/v1/document-versions/%d", fv.ID), "")
	want("a version with a file", st, b, http.StatusOK, `"name":"plan.pdf"`, `"type":"application/pdf"`)
	r := f.do(t, access.Agent, http.MethodGet, fmt.Sprintf("/api/v1/document-versions/%d/file", fv.ID), "")
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || string(body) != "%PDF-1.4\n%%EOF\n" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download: %d %q %v", r.StatusCode, body, r.Header)
	}
	st, b = call(access.Agent, http.MethodGet, vpath+"/file", "")
	want("the file of a version without one", st, b, http.StatusNotFound)
	pb := newBrowser(t, f)
	pb.login("agent@example.com", "correct horse battery")
	if r, page := pb.get(fmt.Sprintf("/document-versions/%d/file", fv.ID)); r.StatusCode != http.StatusOK || page != "%PDF-1.4\n%%EOF\n" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download from the page: %d %v", r.StatusCode, r.Header)
	}
}

// Documents on the pages: an approver approves a version in review from
// its page and sees the checklist's coverage rise; an agent finds the
// policy on their home page and acknowledges it.
func TestDocumentPages(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := t.Context()
	c := f.areas.SMS
	boss, agent, manager := f.users[access.TopManagement], f.users[access.Agent], f.users[access.SMSManager]
	mgr := manager.Actor("test")

	// The manager registers the policy on its form.
	b := newBrowser(t, f)
	b.login("sms_manager@example.com", "correct horse battery")
	token := b.csrf("/documents/new")
	r, page := b.post("/documents", url.Values{"_csrf": {token}, "title": {"Service management policy"}, "type": {"policy"}, "owner_id": {fmt.Sprint(manager.ID)},
		"classification": {"internal"}, "review_months": {"12"}, "approver_ids": {fmt.Sprint(boss.ID)}, "audience_roles": {"agent"}, "requirement_ids": {"5.2, 9.9.9"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "9.9.9") {
		t.Fatalf("a clause that does not exist: %d, want 422 naming it", r.StatusCode)
	}
	r, _ = b.post("/documents", url.Values{"_csrf": {token}, "title": {"Service management policy"}, "type": {"policy"}, "owner_id": {fmt.Sprint(manager.ID)},
		"classification": {"internal"}, "review_months": {"12"}, "approver_ids": {fmt.Sprint(boss.ID)}, "audience_roles": {"agent"}, "requirement_ids": {"5.2"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/documents/") {
		t.Fatalf("create: %d to %q", r.StatusCode, loc)
	}
	var docID int64
	fmt.Sscanf(loc, "/documents/%d", &docID)
	if err := c.MapRequiredDocument(ctx, mgr, "policy", docID); err != nil {
		t.Fatal(err)
	}
	// A new version opens on its form, starting from a heading.
	r, _ = b.post(fmt.Sprintf("/documents/%d/versions", docID), url.Values{"_csrf": {token}})
	loc = r.Header.Get("Location")
	var verID int64
	if _, err := fmt.Sscanf(loc, "/document-versions/%d/edit", &verID); err != nil {
		t.Fatalf("new version: %d to %q", r.StatusCode, loc)
	}
	r, _ = b.post(fmt.Sprintf("/document-versions/%d", verID), url.Values{"_csrf": {token}, "version": {"1"},
		"content": {"# Policy\n\nWe deliver <script>alert(1)</script> services."}, "change_note": {"First"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the text: %d", r.StatusCode)
	}
	_, page = b.get(fmt.Sprintf("/document-versions/%d", verID))
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "<h2>Policy</h2>") || !strings.Contains(page, "Submit for review") {
		t.Errorf("the version's page: want the text rendered without the script and the submit button")
	}
	r, _ = b.post(fmt.Sprintf("/document-versions/%d/state", verID), url.Values{"_csrf": {token}, "state": {"in_review"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	// The manager may not approve: not named. The page says why.
	if r, page = b.post(fmt.Sprintf("/document-versions/%d/approve", verID), url.Values{"_csrf": {token}}); r.StatusCode != http.StatusConflict || !strings.Contains(page, "not among the approvers") {
		t.Errorf("approval by the manager: %d, want 409 saying why", r.StatusCode)
	}
	_, page = b.get("/document-checklist")
	if !strings.Contains(page, "0 of 19 required documents approved") {
		t.Errorf("the checklist before approval does not say 0 of 19")
	}

	// Top management approves; the checklist rises.
	tb := newBrowser(t, f)
	tb.login("top_management@example.com", "correct horse battery")
	_, page = tb.get(fmt.Sprintf("/document-versions/%d", verID))
	if !strings.Contains(page, ">Approve<") {
		t.Fatalf("the approver's view of the version has no Approve button")
	}
	r, _ = tb.post(fmt.Sprintf("/document-versions/%d/approve", verID), url.Values{"_csrf": {tb.csrf(fmt.Sprintf("/document-versions/%d", verID))}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.StatusCode)
	}
	if _, page = tb.get("/document-checklist"); !strings.Contains(page, "1 of 19 required documents approved") {
		t.Errorf("the checklist after approval does not say 1 of 19")
	}

	// The agent sees it to acknowledge on the home page, and acknowledges.
	ab := newBrowser(t, f)
	ab.login("agent@example.com", "correct horse battery")
	if _, page = ab.get("/"); !strings.Contains(page, "To acknowledge") || !strings.Contains(page, "Service management policy") {
		t.Errorf("the agent's home page does not ask them to acknowledge the policy")
	}
	_, page = ab.get(fmt.Sprintf("/documents/%d", docID))
	if !strings.Contains(page, "I have read and understood it") || !strings.Contains(page, "We deliver") {
		t.Fatalf("the policy's page does not show its text and the button")
	}
	r, _ = ab.post(fmt.Sprintf("/documents/%d/acknowledge", docID), url.Values{"_csrf": {ab.csrf("/")}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", r.StatusCode)
	}
	if _, page = ab.get(fmt.Sprintf("/documents/%d", docID)); !strings.Contains(page, "You have acknowledged this version.") {
		t.Errorf("the policy's page does not say it was acknowledged")
	}
	if _, page = ab.get("/documents/reading"); !strings.Contains(page, "1 of 1 documents") {
		t.Errorf("the agent's reading list does not count the policy acknowledged")
	}
	_ = agent
}
