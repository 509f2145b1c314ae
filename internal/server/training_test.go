package server_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// trainingRecords are the training records the audit test writes.
type trainingRecords struct {
	cmp sms.Competence
	crs sms.Course
	ses sms.CourseSession
	cpl sms.Completion
	apr sms.Appraisal
}

// Training through the API: competences, a course with a session and a
// completion that takes the course's validity, refusals naming the field,
// the expired list, the course with its sessions and completions, the
// matrix and its coverage, deletes refused while records rest on them.
func TestTrainingAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		agent, mgr := f.users[access.Agent], f.users[access.SMSManager]
		var cmpID, crsID, sesID, otherSesID, cplID float64
		id := func(dst *float64) func(t *testing.T, m map[string]any, _ *http.Response) {
			return func(t *testing.T, m map[string]any, _ *http.Response) { *dst, _ = m["id"].(float64) }
		}
		for _, s := range []scenario{
			{name: "create a competence", role: access.SMSManager, method: "POST", path: "/api/v1/competences",
				body: `{"name":"Major incidents","level":2,"roles":["agent"]}`, status: 201, newAudits: 1,
				check: func(t *testing.T, m map[string]any, r *http.Response) {
					id(&cmpID)(t, m, r)
					if m["number"] != fmt.Sprintf("CMP-%06d", int(cmpID)) || fmt.Sprint(m["roles"]) != "[agent]" {
						t.Errorf("competence: %v", m)
					}
				}},
			{name: "a level off the scale", role: access.SMSManager, method: "POST", path: "/api/v1/competences",
				body: `{"name":"x","level":0,"roles":["requester"]}`, status: 422, fields: []string{"body.roles[0]"}},
			{name: "an agent may not", role: access.Agent, method: "POST", path: "/api/v1/competences", body: `{"name":"y"}`, status: 403},
		} {
			t.Run(s.name, func(t *testing.T) { f.run(t, s) })
		}
		for _, s := range []scenario{
			{name: "create a course", role: access.SMSManager, method: "POST", path: "/api/v1/courses",
				body: fmt.Sprintf(`{"title":"Major incident handling","level":2,"validity_months":24,"competence_ids":[%d]}`, int(cmpID)), status: 201, newAudits: 1, check: id(&crsID)},
			{name: "a course teaching a competence that does not exist", role: access.SMSManager, method: "POST", path: "/api/v1/courses",
				body: `{"title":"Ghost","competence_ids":[987654]}`, status: 422, fields: []string{"body.competence_ids"}},
		} {
			t.Run(s.name, func(t *testing.T) { f.run(t, s) })
		}
		var otherCourse float64
		for _, s := range []scenario{
			{name: "create a session", role: access.SMSManager, method: "POST", path: "/api/v1/course-sessions",
				body: fmt.Sprintf(`{"course_id":%d,"starts_on":"2026-05-04","ends_on":"2026-05-05","trainer":"Jordan"}`, int(crsID)), status: 201, newAudits: 1, check: id(&sesID)},
			{name: "a session ending before it starts", role: access.SMSManager, method: "POST", path: "/api/v1/course-sessions",
				body: fmt.Sprintf(`{"course_id":%d,"starts_on":"2026-05-04","ends_on":"2026-05-01"}`, int(crsID)), status: 422, fields: []string{"body.ends_on"}},
			{name: "another course", role: access.SMSManager, method: "POST", path: "/api/v1/courses", body: `{"title":"Other"}`, status: 201, newAudits: 1, check: id(&otherCourse)},
		} {
			t.Run(s.name, func(t *testing.T) { f.run(t, s) })
		}
		f.run(t, scenario{role: access.SMSManager, method: "POST", path: "/api/v1/course-sessions",
			body: fmt.Sprintf(`{"course_id":%d,"starts_on":"2026-06-01"}`, int(otherCourse)), status: 201, newAudits: 1, check: id(&otherSesID)})
		for _, s := range []scenario{
			{name: "record a completion: the course's validity sets the expiry", role: access.SMSManager, method: "POST", path: "/api/v1/course-completions",
				body:   fmt.Sprintf(`{"course_id":%d,"session_id":%d,"user_id":%d,"status":"completed","completed_on":"2026-05-05","evidence":"Certificate 42"}`, int(crsID), int(sesID), agent.ID),
				status: 201, newAudits: 1, check: func(t *testing.T, m map[string]any, r *http.Response) {
					id(&cplID)(t, m, r)
					if m["expires_on"] != "2028-05-05" || m["expired"] != false {
						t.Errorf("completion: %v, want expiry 2028-05-05, not expired", m)
					}
				}},
			{name: "completed with no day", role: access.SMSManager, method: "POST", path: "/api/v1/course-completions",
				body: fmt.Sprintf(`{"course_id":%d,"user_id":%d,"status":"completed"}`, int(crsID), mgr.ID), status: 422, fields: []string{"body.completed_on"}},
			{name: "an expiry before the day completed", role: access.SMSManager, method: "POST", path: "/api/v1/course-completions",
				body: fmt.Sprintf(`{"course_id":%d,"user_id":%d,"status":"completed","completed_on":"2026-05-05","expires_on":"2026-05-01"}`, int(crsID), mgr.ID), status: 422, fields: []string{"body.expires_on"}},
			{name: "a session of another course", role: access.SMSManager, method: "POST", path: "/api/v1/course-completions",
				body: fmt.Sprintf(`{"course_id":%d,"session_id":%d,"user_id":%d}`, int(crsID), int(otherSesID), mgr.ID), status: 422, fields: []string{"body.session_id"}},
			{name: "a second place in the session", role: access.SMSManager, method: "POST", path: "/api/v1/course-completions",
				body: fmt.Sprintf(`{"course_id":%d,"session_id":%d,"user_id":%d}`, int(crsID), int(sesID), agent.ID), status: 422, fields: []string{"body.user_id"}},
			{name: "a customer's user", role: access.SMSManager, method: "POST", path: "/api/v1/course-completions",
				body: fmt.Sprintf(`{"course_id":%d,"user_id":%d}`, int(crsID), f.users[access.Requester].ID), status: 422, fields: []string{"body.user_id"}},
			{name: "an expired certificate, recorded as such", role: access.SMSManager, method: "POST", path: "/api/v1/course-completions",
				body:   fmt.Sprintf(`{"course_id":%d,"user_id":%d,"status":"completed","completed_on":"2020-01-01","expires_on":"2022-01-01"}`, int(crsID), mgr.ID),
				status: 201, newAudits: 1, check: func(t *testing.T, m map[string]any, _ *http.Response) {
					if m["expired"] != true {
						t.Errorf("completion: %v, want expired", m)
					}
				}},
			{name: "the expired ones", role: access.InternalAuditor, method: "GET", path: "/api/v1/course-completions?expired=true", status: 200,
				check: func(t *testing.T, m map[string]any, _ *http.Response) {
					items, _ := m["items"].([]any)
					if len(items) != 1 || items[0].(map[string]any)["user_id"] != float64(mgr.ID) {
						t.Errorf("expired: %v, want the manager's only", items)
					}
				}},
			{name: "the course with its sessions and completions", role: access.Agent, method: "GET", path: fmt.Sprintf("/api/v1/courses/%d", int(crsID)), status: 200,
				check: func(t *testing.T, m map[string]any, _ *http.Response) {
					ss, _ := m["sessions"].([]any)
					cs, _ := m["completions"].([]any)
					if len(ss) != 1 || len(cs) != 2 {
						t.Errorf("course: %d sessions, %d completions, want 1 and 2", len(ss), len(cs))
					}
				}},
			{name: "the matrix", role: access.Agent, method: "GET", path: "/api/v1/competences/matrix", status: 200,
				check: func(t *testing.T, m map[string]any, _ *http.Response) {
					cov, _ := m["coverage"].(map[string]any)
					if cov["required"] != float64(1) || cov["held"] != float64(1) || cov["percent"] != float64(100) {
						t.Errorf("coverage %v, want the one agent's one competence held", cov)
					}
				}},
			{name: "a course with sessions cannot be deleted", role: access.SMSManager, method: "DELETE", path: fmt.Sprintf("/api/v1/courses/%d", int(crsID)), status: 409},
			{name: "nor a competence a course teaches", role: access.SMSManager, method: "DELETE", path: fmt.Sprintf("/api/v1/competences/%d", int(cmpID)), status: 409},
			{name: "nor a session with people on it", role: access.SMSManager, method: "DELETE", path: fmt.Sprintf("/api/v1/course-sessions/%d", int(sesID)), status: 409},
			{name: "a customer sees none of it", role: access.Requester, method: "GET", path: "/api/v1/courses", status: 403},
		} {
			t.Run(s.name, func(t *testing.T) { f.run(t, s) })
		}
		// The certificate expires: the agent's competence becomes a gap.
		f.run(t, scenario{role: access.SMSManager, method: "PATCH", path: fmt.Sprintf("/api/v1/course-completions/%d", int(cplID)),
			body: `{"expires_on":"2026-06-01"}`, status: 200, newAudits: 1})
		f.run(t, scenario{role: access.Agent, method: "GET", path: "/api/v1/competences/matrix", status: 200,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				cov, _ := m["coverage"].(map[string]any)
				if cov["held"] != float64(0) || cov["gaps"] != float64(1) {
					t.Errorf("coverage after expiry %v, want the gap", cov)
				}
				for _, p := range m["people"].([]any) {
					row := p.(map[string]any)
					if row["user_id"] == float64(agent.ID) {
						cell := row["cells"].([]any)[0].(map[string]any)
						if cell["state"] != "gap_expired" {
							t.Errorf("the agent's cell %v, want gap_expired", cell)
						}
					}
				}
			}})
	})
}

// A completion's certificate uploaded through its form: kept, linked from
// the completion's page and downloaded as an attachment by staff; a type
// that is not kept is refused on its field and nothing is recorded.
func TestCompletionCertificateUpload(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := t.Context()
	mgr := f.users[access.SMSManager].Actor("test")
	course, err := f.areas.SMS.CreateCourse(ctx, mgr, sms.CourseInput{Title: "Foundation", ValidityMonths: 12})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("sms_manager@example.com", "correct horse battery")
	token := b.csrf("/course-completions/new")
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	post := func(name string, content []byte) (*http.Response, string) {
		t.Helper()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		for _, kv := range [][2]string{{"_csrf", token}, {"course_id", fmt.Sprint(course.ID)}, {"user_id", fmt.Sprint(f.users[access.Agent].ID)},
			{"status", "completed"}, {"completed_on", "2026-11-02"}, {"evidence", "Exam passed"}} {
			if err := w.WriteField(kv[0], kv[1]); err != nil {
				t.Fatal(err)
			}
		}
		part, err := w.CreateFormFile("certificate", name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(content)
		w.Close()
		req, _ := http.NewRequest("POST", f.ts.URL+"/course-completions", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp, string(page)
	}
	r, page := post("evil.html", []byte("<html><script>alert(1)</script></html>"))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="f-certificate-error"`) {
		t.Errorf("an HTML certificate: %d, want 422 with the error beside the certificate field", r.StatusCode)
	}
	if cs, _, _ := f.areas.SMS.ListCompletions(ctx, mgr, store.CompletionFilter{}); len(cs) != 0 {
		t.Errorf("after a refused upload: %d completions, want none", len(cs))
	}
	r, _ = post("certificate.pdf", pdf)
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/course-completions/") {
		t.Fatalf("record with a certificate: %d to %q, want 303 to the completion", r.StatusCode, loc)
	}
	path, _, _ := strings.Cut(loc, "?")
	if _, page := b.get(path); !strings.Contains(page, `href="`+path+`/certificate"`) || !strings.Contains(page, "certificate.pdf") {
		t.Errorf("the completion's page does not link its certificate")
	}
	r, got := b.get(path + "/certificate")
	if r.StatusCode != http.StatusOK || got != string(pdf) || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") ||
		r.Header.Get("Content-Type") != "application/pdf" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download: %d %q %v, want the PDF as an attachment", r.StatusCode, got, r.Header)
	}
	cs, _, _ := f.areas.SMS.ListCompletions(ctx, mgr, store.CompletionFilter{})
	if len(cs) != 1 || cs[0].ExpiresOn != "2027-11-02" || cs[0].CertificateName != "certificate.pdf" || cs[0].CertificateSize != int64(len(pdf)) {
		t.Errorf("the completion kept: %+v", cs)
	}
	f.run(t, scenario{role: access.InternalAuditor, method: "GET", path: fmt.Sprintf("/api/v1/course-completions/%d", cs[0].ID), status: 200,
		check: func(t *testing.T, m map[string]any, _ *http.Response) {
			cert, _ := m["certificate"].(map[string]any)
			if cert["name"] != "certificate.pdf" || cert["type"] != "application/pdf" {
				t.Errorf("the API's certificate: %v", m["certificate"])
			}
		}})
}
