package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Assessments through the API: one made over the built-in framework has
// its results, one per requirement; refusals name the field; a result is
// changed with If-Match, a stale one refused, "not applicable" refused for
// ISO/IEC 20000-1; the assessment's readiness follows.
func TestAssessmentsAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	body := func(r *http.Response) string {
		b, _ := io.ReadAll(r.Body)
		return string(b)
	}
	decode := func(r *http.Response, v any) {
		t.Helper()
		if err := json.NewDecoder(r.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var fws struct {
		Items []struct {
			ID      int64 `json:"id"`
			BuiltIn bool  `json:"built_in"`
		} `json:"items"`
	}
	decode(f.do(t, access.Agent, http.MethodGet, "/api/v1/frameworks", ""), &fws)
	if len(fws.Items) != 1 || !fws.Items[0].BuiltIn {
		t.Fatalf("frameworks: %+v", fws)
	}
	iso := fws.Items[0].ID

	for _, bad := range []struct{ body, field string }{
		{`{"framework_id":99999,"title":"Gap analysis","started_on":"2026-11-01"}`, "framework_id"},
		{fmt.Sprintf(`{"framework_id":%d,"title":"","started_on":"2026-11-01"}`, iso), "title"},
		{fmt.Sprintf(`{"framework_id":%d,"title":"Gap analysis","started_on":"November"}`, iso), "started_on"},
	} {
		r := f.do(t, access.SMSManager, http.MethodPost, "/api/v1/assessments", bad.body)
		if b := body(r); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, bad.field) {
			t.Errorf("create %s: %d %s, want 422 naming %s", bad.body, r.StatusCode, b, bad.field)
		}
	}
	create := fmt.Sprintf(`{"framework_id":%d,"title":"Gap analysis","started_on":"2026-11-01"}`, iso)
	if r := f.do(t, access.Agent, http.MethodPost, "/api/v1/assessments", create); r.StatusCode != http.StatusForbidden {
		t.Errorf("an agent creating: %d, want 403", r.StatusCode)
	}
	r := f.do(t, access.ProcessOwner, http.MethodPost, "/api/v1/assessments", create)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", r.StatusCode, body(r))
	}
	var asm struct {
		ID     int64  `json:"id"`
		Number string `json:"number"`
		State  string `json:"state"`
	}
	decode(r, &asm)
	if asm.State != "open" || !strings.HasPrefix(asm.Number, "ASM-") {
		t.Errorf("created %+v", asm)
	}

	type result struct {
		ID      int64  `json:"id"`
		Status  string `json:"status"`
		Version int64  `json:"version"`
	}
	var list struct {
		Items []result `json:"items"`
	}
	decode(f.do(t, access.InternalAuditor, http.MethodGet, fmt.Sprintf("/api/v1/assessment-results?assessment_id=%d&limit=200", asm.ID), ""), &list)
	if len(list.Items) != 77 || list.Items[0].Status != "not_started" {
		t.Fatalf("%d results (first %+v), want 77 not started", len(list.Items), list.Items)
	}
	patch := func(role access.Role, id int64, version int64, b string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPatch, f.ts.URL+fmt.Sprintf("/api/v1/assessment-results/%d", id), strings.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("If-Match", fmt.Sprintf(`"%d"`, version))
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Body.Close() })
		return r
	}
	first, second := list.Items[0], list.Items[1]
	if r := patch(access.SMSManager, first.ID, first.Version, `{"status":"not_applicable","justification":"Outsourced"}`); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(r), "status") {
		t.Errorf("not applicable for ISO/IEC 20000-1: %d, want 422 naming status", r.StatusCode)
	}
	if r := patch(access.SMSManager, first.ID, first.Version, `{"maturity":7}`); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(r), "maturity") {
		t.Errorf("maturity 7: %d, want 422 naming maturity", r.StatusCode)
	}
	if r := patch(access.Agent, first.ID, first.Version, `{"status":"implemented"}`); r.StatusCode != http.StatusForbidden {
		t.Errorf("an agent grading: %d, want 403", r.StatusCode)
	}
	if r := patch(access.SMSManager, first.ID, first.Version, `{"status":"implemented","maturity":3}`); r.StatusCode != http.StatusOK {
		t.Fatalf("grading: %d %s", r.StatusCode, body(r))
	}
	if r := patch(access.SMSManager, first.ID, first.Version, `{"status":"partial"}`); r.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("stale PATCH: %d, want 412", r.StatusCode)
	}
	if r := patch(access.ProcessOwner, second.ID, second.Version, `{"status":"partial"}`); r.StatusCode != http.StatusOK {
		t.Fatalf("grading: %d %s", r.StatusCode, body(r))
	}
	var detail struct {
		Readiness struct {
			Percent, Implemented, Partial, NotStarted int
		} `json:"readiness"`
	}
	decode(f.do(t, access.TopManagement, http.MethodGet, fmt.Sprintf("/api/v1/assessments/%d", asm.ID), ""), &detail)
	if got := detail.Readiness; got.Implemented != 1 || got.Partial != 1 || got.Percent != 150/77 {
		t.Errorf("readiness %+v, want 1 implemented, 1 partial, %d%%", got, 150/77)
	}
	var hist struct {
		Items []struct {
			Action string `json:"action"`
		} `json:"items"`
	}
	decode(f.do(t, access.SMSManager, http.MethodGet, fmt.Sprintf("/api/v1/assessment-results/%d/history", first.ID), ""), &hist)
	if len(hist.Items) != 2 {
		t.Errorf("the result's history: %+v, want its creation and one change", hist.Items)
	}
	if r := f.do(t, access.SMSManager, http.MethodDelete, fmt.Sprintf("/api/v1/assessments/%d", asm.ID), ""); r.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.StatusCode, body(r))
	}
	if r := f.do(t, access.SMSManager, http.MethodGet, fmt.Sprintf("/api/v1/assessment-results/%d", first.ID), ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted assessment's result: %d, want 404", r.StatusCode)
	}
}

// Assessments on the pages: a process owner starts one from its form,
// sees its readiness with a bar and its results clause by clause, assesses
// one result from its own form (a refusal names the field and changes
// nothing), and the readiness moves; an agent only reads.
func TestAssessmentPages(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login(string(access.ProcessOwner)+"@example.com", "correct horse battery")
	_, form := b.get("/assessments/new")
	fw := regexp.MustCompile(`<option value="(\d+)" selected>`).FindStringSubmatch(form)
	if fw == nil {
		t.Fatalf("the new assessment form offers no framework chosen:\n%s", form)
	}
	csrf := b.csrf("/assessments/new")
	if r, page := b.post("/assessments", url.Values{"_csrf": {csrf}, "framework_id": {fw[1]}, "title": {""}, "started_on": {"2026-11-01"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="f-title"`) {
		t.Errorf("an assessment without a title: %d, want 422 with the form", r.StatusCode)
	}
	r, _ := b.post("/assessments", url.Values{"_csrf": {csrf}, "framework_id": {fw[1]}, "title": {"Gap analysis"}, "started_on": {"2026-11-01"}, "state": {"open"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/assessments/") {
		t.Fatalf("create: %d %s", r.StatusCode, loc)
	}
	page := strings.TrimSuffix(loc, "?done=created")
	readiness := regexp.MustCompile(`<progress class="progress[^"]*" value="(\d+)" max="100"`)
	_, body := b.get(page)
	if m := readiness.FindStringSubmatch(body); m == nil || m[1] != "0" || !strings.Contains(body, "0 %") {
		t.Errorf("a new assessment's readiness: %v, want a bar at 0", m)
	}
	if !strings.Contains(body, "8 Operation of the service management system") || !strings.Contains(body, `href="/requirements/`) {
		t.Errorf("the assessment's page lacks its clause 8 card or links to the requirements")
	}
	edits := regexp.MustCompile(`data-href="(/assessment-results/(\d+))"`).FindAllStringSubmatch(body, -1)
	if len(edits) != 77 {
		t.Fatalf("%d results on the page, want 77", len(edits))
	}
	if n := len(regexp.MustCompile(`aria-label="Assess [^"]+" href="/assessments/\d+/work\?clause=|href="/assessments/\d+/work\?clause=[^"]+" class="btn"`).FindAllString(body, -1)); n != 77 {
		t.Errorf("%d Assess buttons leading to the questionnaire, want 77", n)
	}
	res := edits[0][1]
	_, edit := b.get(res + "/edit")
	if strings.Contains(edit, `value="not_applicable"`) {
		t.Errorf("the result form offers not applicable for ISO/IEC 20000-1")
	}
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(edit)
	if version == nil {
		t.Fatal("the result form has no version")
	}
	csrf = b.csrf(res + "/edit")
	if r, body := b.post(res, url.Values{"_csrf": {csrf}, "version": {version[1]}, "status": {"implemented"}, "maturity": {"9"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#f-maturity"`) {
		t.Errorf("maturity 9: %d, want 422 with the error on maturity", r.StatusCode)
	}
	if r, _ := b.post(res, url.Values{"_csrf": {csrf}, "version": {version[1]}, "status": {"implemented"}, "maturity": {"3"}, "owner_id": {""}, "notes": {"Scope signed off"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("assess: %d", r.StatusCode)
	}
	_, body = b.get(page)
	if m := readiness.FindStringSubmatch(body); m == nil || m[1] != "1" {
		t.Errorf("readiness after one of 77 implemented: %v, want 1", m)
	}
	_, body = b.get(res)
	if !strings.Contains(body, "Scope signed off") || !strings.Contains(body, "Next requirement") {
		t.Errorf("the result's page lacks its notes or the way on")
	}
	// The requirement's page shows where it stands in the assessment.
	reqLink := regexp.MustCompile(`<a href="(/requirements/\d+)">`).FindStringSubmatch(body)
	if reqLink == nil {
		t.Fatal("the result's page does not link its requirement")
	}
	_, body = b.get(reqLink[1])
	if !regexp.MustCompile(`data-href="`+res+`"`).MatchString(body) || !strings.Contains(body, "Implemented") {
		t.Errorf("the requirement's page does not show its result in the assessment")
	}

	agent := newBrowser(t, f)
	agent.login(string(access.Agent)+"@example.com", "correct horse battery")
	if r, _ := agent.get(res + "/edit"); r.StatusCode != http.StatusForbidden {
		t.Errorf("an agent's result form: %d, want 403", r.StatusCode)
	}
	if _, body := agent.get(page); strings.Contains(body, "/edit\"") && regexp.MustCompile(`/assessment-results/\d+/edit`).MatchString(body) {
		t.Errorf("an agent is offered to assess")
	}
}
