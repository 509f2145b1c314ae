package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// workFixture is a server with two assessments of the built-in
// framework, an earlier and a later one, and the later one's result for
// 8.6.1 and its requirement's questions.
type workFixture struct {
	*fixture
	earlier, later int64
	res            sms.Result
	questions      []string
}

func newWorkFixture(t testing.TB) workFixture {
	t.Helper()
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	c := f.areas.SMS
	actor := f.users[access.SMSManager].Actor("test")
	fw, err := f.db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		t.Fatal(err)
	}
	w := workFixture{fixture: f}
	for i, title := range []string{"Last year", "This year"} {
		a, err := c.CreateAssessment(ctx, actor, sms.AssessmentInput{FrameworkID: fw.ID, Title: title, StartedOn: fmt.Sprintf("202%d-11-01", 5+i)})
		if err != nil {
			t.Fatal(err)
		}
		w.earlier, w.later = w.later, a.ID
	}
	rp, err := c.Report(ctx, actor, w.later)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rp.Results {
		if q := rp.Requirements[r.RequirementID]; q.Code == "8.6.1" {
			w.res, w.questions = r, q.QuestionList()
		}
	}
	return w
}

func (w workFixture) auditCount(t testing.TB) int64 {
	t.Helper()
	n, err := w.db.CountAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The API of working an assessment, as scenarios: answering one question
// (with If-Match, audited, refused when the question is not there or the
// caller does not assess), the readiness at every level, comparing two.
func TestAssessmentWorkAPI(t *testing.T) {
	w := newWorkFixture(t)
	answer := fmt.Sprintf("/api/v1/assessment-results/%d/answers/", w.res.ID)
	put := func(role access.Role, path, ifMatch, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPut, w.ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+w.tokens[role])
		req.Header.Set("Content-Type", "application/json")
		if ifMatch != "" {
			req.Header.Set("If-Match", ifMatch)
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Body.Close() })
		return r
	}
	v := w.res.Version
	for _, sc := range []struct {
		name, method, path, ifMatch, body string
		role                              access.Role
		status                            int
		contains                          []string
		audited                           int64
	}{
		{name: "an agent answering", method: "PUT", path: answer + "1", body: `{"reply":"yes"}`, role: access.Agent, status: 403},
		{name: "a question it lacks", method: "PUT", path: answer + "9", body: `{"reply":"yes"}`, role: access.SMSManager, status: 422, contains: []string{"answers", "no such question"}},
		{name: "a reply unknown", method: "PUT", path: answer + "1", body: `{"reply":"maybe"}`, role: access.SMSManager, status: 422, contains: []string{"reply"}},
		{name: "answering", method: "PUT", path: answer + "2", ifMatch: fmt.Sprintf(`"%d"`, v), body: `{"reply":"partly","note":"Only on the day shift"}`, role: access.ProcessOwner, status: 200,
			contains: []string{`"n":2`, `"reply":"partly"`, `"note":"Only on the day shift"`, w.questions[1]}, audited: 1},
		{name: "a stale answer", method: "PUT", path: answer + "1", ifMatch: fmt.Sprintf(`"%d"`, v), body: `{"reply":"no"}`, role: access.SMSManager, status: 412},
		{name: "answers through PATCH", method: "PATCH", path: fmt.Sprintf("/api/v1/assessment-results/%d", w.res.ID), body: `{"status":"partial","answers":[{"n":1,"reply":"yes"}]}`, role: access.SMSManager, status: 200,
			contains: []string{`"n":1`, `"n":2`, `"status":"partial"`}, audited: 1},
		{name: "the result with its answers", method: "GET", path: fmt.Sprintf("/api/v1/assessment-results/%d", w.res.ID), role: access.InternalAuditor, status: 200,
			contains: []string{`"answers":[{"n":1`, `"reply":"yes"`}},
		{name: "readiness", method: "GET", path: fmt.Sprintf("/api/v1/assessments/%d/readiness", w.later), role: access.Agent, status: 200,
			contains: []string{`"overall":{"percent":0,"implemented":0,"partial":1`, `"code":"8.6.1"`, `"answered":2`, `"code":"8.6","title"`}},
		{name: "compare", method: "GET", path: fmt.Sprintf("/api/v1/assessments/%d/compare?with=%d", w.later, w.earlier), role: access.TopManagement, status: 200,
			contains: []string{fmt.Sprintf(`"before_id":%d`, w.earlier), `"movements":{"progress":1,"regression":0,"same":76`, `"movement":"progress"`}},
		{name: "compare with itself", method: "GET", path: fmt.Sprintf("/api/v1/assessments/%d/compare?with=%d", w.later, w.later), role: access.SMSManager, status: 422, contains: []string{"with"}},
		{name: "compare with nothing", method: "GET", path: fmt.Sprintf("/api/v1/assessments/%d/compare", w.later), role: access.SMSManager, status: 422, contains: []string{"with"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			before := w.auditCount(t)
			var r *http.Response
			if sc.method == "PUT" {
				r = put(sc.role, sc.path, sc.ifMatch, sc.body)
			} else {
				r = w.do(t, sc.role, sc.method, sc.path, sc.body)
			}
			b, _ := io.ReadAll(r.Body)
			if r.StatusCode != sc.status {
				t.Fatalf("got %d %s, want %d", r.StatusCode, b, sc.status)
			}
			for _, s := range sc.contains {
				if !strings.Contains(string(b), s) {
					t.Errorf("the answer lacks %q:\n%s", s, b)
				}
			}
			if got := w.auditCount(t) - before; got != sc.audited {
				t.Errorf("%d audit entries added, want %d", got, sc.audited)
			}
		})
	}
	var hist struct {
		Items []struct {
			Changes []struct {
				Field string `json:"field"`
			} `json:"changes"`
		} `json:"items"`
	}
	if err := json.NewDecoder(w.do(t, access.SMSManager, "GET", fmt.Sprintf("/api/v1/assessment-results/%d/history", w.res.ID), "").Body).Decode(&hist); err != nil {
		t.Fatal(err)
	}
	if len(hist.Items) < 2 || len(hist.Items[1].Changes) != 1 || hist.Items[1].Changes[0].Field != "answers" {
		t.Errorf("the result's history does not show the answer given: %+v", hist.Items)
	}
}

// The questionnaire's page: it opens at the first requirement not
// answered, or at the clause named; its form saves the answers, the
// status and the maturity (without JavaScript, on to the next
// requirement; with htmx, answering with the new version, progress,
// readiness and heatmap in place); a refusal names the field and saves
// nothing; a reader sees it but cannot change it.
func TestAssessmentWorkPage(t *testing.T) {
	w := newWorkFixture(t)
	b := newBrowser(t, w.fixture)
	b.login(string(access.ProcessOwner)+"@example.com", "correct horse battery")
	work := fmt.Sprintf("/assessments/%d/work", w.later)
	r, page := b.get(work)
	if r.StatusCode != 200 || !strings.Contains(page, "Requirement 1 of 77") || !strings.Contains(page, "0 of 77 requirements answered") {
		t.Fatalf("the questionnaire's first page: %d", r.StatusCode)
	}
	r, page = b.get(work + "?clause=8.6.1")
	if r.StatusCode != 200 || !strings.Contains(page, "8.6.1 Incident management") {
		t.Fatalf("the questionnaire at 8.6.1: %d", r.StatusCode)
	}
	for i, q := range w.questions {
		if !strings.Contains(page, fmt.Sprintf(`name="reply-%d"`, i+1)) || !strings.Contains(page, template(q)) {
			t.Errorf("question %d (%q) is not on the page with its replies", i+1, q)
		}
	}
	for _, want := range []string{`data-key="n"`, `data-key="p"`, `data-key="1"`, `data-key="3"`, `hx-post="` + work + `"`, "What an auditor looks for", "Clause 8"} {
		if !strings.Contains(page, want) {
			t.Errorf("the questionnaire lacks %s", want)
		}
	}
	csrf := b.csrf(work)
	form := url.Values{"_csrf": {csrf}, "result": {fmt.Sprint(w.res.ID)}, "version": {fmt.Sprint(w.res.Version)}, "status": {"implemented"}, "maturity": {"9"}, "reply-1": {"yes"}}
	before := w.auditCount(t)
	if r, page := b.post(work, form); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "from 0 to 5") {
		t.Errorf("maturity 9: %d, want 422 saying why", r.StatusCode)
	}
	if w.auditCount(t) != before {
		t.Error("a refused save wrote to the audit trail")
	}
	// Without JavaScript: Save and go to the next.
	form.Set("maturity", "3")
	form.Set("go", "next")
	r, _ = b.post(work, form)
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "clause=8.6.2") {
		t.Fatalf("save and next: %d to %q, want 303 to 8.6.2", r.StatusCode, loc)
	}
	got, err := w.areas.SMS.GetResult(context.Background(), access.CLI, w.res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "implemented" || got.Maturity != 3 || len(got.Answers) != 1 || got.Answers[0].Reply != "yes" {
		t.Errorf("saved %+v", got)
	}
	// With htmx: one answer changed; the answer is the fragment with the
	// new version and what changed in place.
	form = url.Values{"_csrf": {csrf}, "result": {fmt.Sprint(w.res.ID)}, "version": {fmt.Sprint(got.Version)}, "status": {"implemented"}, "maturity": {"3"},
		"reply-1": {"yes"}, "reply-2": {"no"}, "note-2": {"Escalation is by phone only"}}
	r, frag := b.post(work, form, "HX-Request", "true")
	if r.StatusCode != 200 || strings.Contains(frag, "<html") {
		t.Fatalf("an htmx save: %d, want the fragment", r.StatusCode)
	}
	for _, want := range []string{"Saved", fmt.Sprintf(`id="work-version" value="%d" hx-swap-oob="true"`, got.Version+1), `id="work-progress" hx-swap-oob`,
		`id="work-scores" hx-swap-oob`, `id="work-heat" hx-swap-oob`, "8.6.1", "Implemented"} {
		if !strings.Contains(frag, want) {
			t.Errorf("the htmx answer lacks %s:\n%s", want, frag)
		}
	}
	// A stale version with htmx: said in place, nothing saved.
	r, frag = b.post(work, form, "HX-Request", "true")
	if r.StatusCode != 200 || !strings.Contains(frag, `role="alert"`) {
		t.Errorf("a stale htmx save: %d, want the refusal said in place:\n%s", r.StatusCode, frag)
	}
	// The assessment's page: readiness and the heatmap show 8.6.1.
	_, page = b.get(fmt.Sprintf("/assessments/%d", w.later))
	if m := regexp.MustCompile(`<span class="heat-code">8\.6\.1</span><span class="heat-status">([^<]+)</span>`).FindStringSubmatch(page); m == nil || m[1] != "Implemented" {
		t.Errorf("the heatmap's 8.6.1: %v, want Implemented", m)
	}
	if !strings.Contains(page, "Implemented: 1") {
		t.Error("the heatmap's legend does not count the implemented requirement")
	}

	agent := newBrowser(t, w.fixture)
	agent.login(string(access.Agent)+"@example.com", "correct horse battery")
	r, page = agent.get(work + "?clause=8.6.1")
	if r.StatusCode != 200 || !strings.Contains(page, "fieldset class=\"mb-3\" disabled") || strings.Contains(page, "hx-post=") {
		t.Errorf("an agent's questionnaire: %d, want it read-only", r.StatusCode)
	}
	if r, _ := agent.post(work, url.Values{"_csrf": {agent.csrf(work)}, "result": {fmt.Sprint(w.res.ID)}, "status": {"partial"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("an agent saving: %d, want 403", r.StatusCode)
	}
	if r, _ := b.get(work + "?clause=99.9"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a clause the framework lacks: %d, want 404", r.StatusCode)
	}
}

// template is text as html/template writes it.
func template(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// Downloads: the assessment as XLSX and PDF, from the API and from the
// page, each an attachment with a file name and its media type; the
// workbook opens and carries the answer given; an unknown format is
// refused naming it; an anonymous caller gets nothing.
func TestAssessmentExports(t *testing.T) {
	w := newWorkFixture(t)
	yes := "yes"
	if _, err := w.areas.SMS.UpdateResult(context.Background(), w.users[access.SMSManager].Actor("test"), w.res.ID, 0,
		sms.ResultUpdate{Answers: []sms.AnswerChange{{N: 1, Reply: &yes}}}); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, r *http.Response, format string) []byte {
		t.Helper()
		b, _ := io.ReadAll(r.Body)
		if r.StatusCode != 200 {
			t.Fatalf("%d %s", r.StatusCode, b)
		}
		want := map[string]string{"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}[format]
		if ct := r.Header.Get("Content-Type"); ct != want {
			t.Errorf("Content-Type %q, want %q", ct, want)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="ASM-%06d-This-year.%s"`, w.later, format) {
			t.Errorf("Content-Disposition %q", cd)
		}
		return b
	}
	for _, format := range []string{"xlsx", "pdf"} {
		t.Run(format, func(t *testing.T) {
			api := check(t, w.do(t, access.Agent, "GET", fmt.Sprintf("/api/v1/assessments/%d/export?format=%s", w.later, format), ""), format)
			b := newBrowser(t, w.fixture)
			b.login(string(access.InternalAuditor)+"@example.com", "correct horse battery")
			req, _ := http.NewRequest("GET", w.ts.URL+fmt.Sprintf("/assessments/%d/export.%s", w.later, format), nil)
			r, err := b.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Body.Close()
			page := check(t, r, format)
			if format == "pdf" {
				if !strings.HasPrefix(string(api), "%PDF-") || !strings.HasPrefix(string(page), "%PDF-") {
					t.Error("not a PDF")
				}
				return
			}
			f, err := excelize.OpenReader(strings.NewReader(string(api)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, _ := f.GetRows("Answers")
			found := false
			for _, row := range rows {
				if len(row) >= 5 && row[0] == "8.6.1" && row[2] == "1" && row[4] == "Yes" {
					found = true
				}
			}
			if !found {
				t.Error("the workbook's Answers sheet lacks the answer given to 8.6.1's first question")
			}
		})
	}
	if r := w.do(t, access.Agent, "GET", fmt.Sprintf("/api/v1/assessments/%d/export?format=doc", w.later), ""); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("format doc: %d, want 422", r.StatusCode)
	}
	if r := w.do(t, "", "GET", fmt.Sprintf("/api/v1/assessments/%d/export?format=pdf", w.later), ""); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous: %d, want 401", r.StatusCode)
	}
}

// The comparison's page: by default beside the earlier assessment, the
// counts and each requirement that moved, a regression marked; every
// requirement on asking; an assessment alone says there is nothing to
// compare with.
func TestAssessmentComparePage(t *testing.T) {
	w := newWorkFixture(t)
	ctx := context.Background()
	actor := w.users[access.SMSManager].Actor("test")
	impl, part := "implemented", "partial"
	if _, err := w.areas.SMS.UpdateResult(ctx, actor, w.res.ID, 0, sms.ResultUpdate{Status: &part}); err != nil {
		t.Fatal(err)
	}
	old, err := w.areas.SMS.ResultsOf(ctx, actor, w.earlier)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range old {
		if r.RequirementID == w.res.RequirementID {
			if _, err := w.areas.SMS.UpdateResult(ctx, actor, r.ID, 0, sms.ResultUpdate{Status: &impl}); err != nil {
				t.Fatal(err)
			}
		}
	}
	b := newBrowser(t, w.fixture)
	b.login(string(access.Agent)+"@example.com", "correct horse battery")
	r, page := b.get(fmt.Sprintf("/assessments/%d/compare", w.later))
	if r.StatusCode != 200 {
		t.Fatalf("compare: %d", r.StatusCode)
	}
	for _, want := range []string{fmt.Sprintf(`<option value="%d" selected>Last year (2025-11-01)</option>`, w.earlier), "Progress: 0", "Regression: 1",
		"8.6.1", "Incident management", ">Regression<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the comparison lacks %s", want)
		}
	}
	if rows := strings.Count(page, `data-href="/assessments/`); rows != 1 {
		t.Errorf("%d requirements listed, want only the one that moved", rows)
	}
	_, page = b.get(fmt.Sprintf("/assessments/%d/compare?with=%d&show=all", w.later, w.earlier))
	if rows := strings.Count(page, `data-href="/assessments/`); rows != 77 {
		t.Errorf("%d requirements listed, want all 77", rows)
	}
	if r, _ := b.get(fmt.Sprintf("/assessments/%d/compare?with=%d", w.later, w.later)); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("compared with itself: %d, want 422", r.StatusCode)
	}
	if err := w.areas.SMS.DeleteAssessment(ctx, actor, w.earlier, 0); err != nil {
		t.Fatal(err)
	}
	if _, page := b.get(fmt.Sprintf("/assessments/%d/compare", w.later)); !strings.Contains(page, "Nothing to compare with") {
		t.Error("an assessment alone does not say there is nothing to compare with")
	}
}
