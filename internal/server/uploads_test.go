package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// sendFile sends data as the body of an API request, as a file upload.
func (f *fixture) sendFile(t *testing.T, role access.Role, method, path, ifMatch string, data []byte) (int, string) {
	t.Helper()
	rq, _ := http.NewRequest(method, f.ts.URL+path, bytes.NewReader(data))
	rq.Header.Set("Authorization", "Bearer "+f.tokens[role])
	rq.Header.Set("Content-Type", "application/octet-stream")
	if ifMatch != "" {
		rq.Header.Set("If-Match", ifMatch)
	}
	r, err := http.DefaultClient.Do(rq)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// Files through the API beside evidence: a draft document version's file
// and a course completion's certificate are uploaded as the body,
// refused for their type, size or state naming the field with nothing
// written, and downloaded as attachments.
func TestDocumentAndCertificateUploadsAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := t.Context()
	manager := f.users[access.SMSManager]
	mgr := manager.Actor("test")
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
	html := []byte("<html><script>alert(1)</script></html>")
	big := append([]byte("%PDF-1.7\n"), make([]byte, 10<<20)...)

	doc, err := f.areas.SMS.CreateDocument(ctx, mgr, sms.DocumentInput{Title: "Continuity plan", OwnerID: manager.ID, ApproverIDs: []int64{manager.ID}, SelfApproval: true})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := f.areas.SMS.CreateDocumentVersion(ctx, mgr, doc.ID, sms.VersionInput{Content: "# Plan"})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/document-versions/%d/file", draft.ID)
	before := auditCount(t, f.db)
	for _, bad := range []struct {
		what, name string
		data       []byte
		status     int
	}{
		{"HTML", "plan.html", html, http.StatusUnprocessableEntity},
		{"HTML named PDF", "plan.pdf", html, http.StatusUnprocessableEntity},
		{"over the limit", "plan.pdf", big, http.StatusUnprocessableEntity},
	} {
		if st, b := f.sendFile(t, access.SMSManager, http.MethodPut, path+"?name="+bad.name, "", bad.data); st != bad.status || !strings.Contains(b, "body") {
			t.Errorf("version file, %s: %d %.300s; want %d naming body", bad.what, st, b, bad.status)
		}
	}
	if st, _ := f.sendFile(t, access.Agent, http.MethodPut, path+"?name=plan.pdf", "", pdf); st != http.StatusForbidden {
		t.Errorf("an agent uploading a version's file: %d, want 403", st)
	}
	if st, b := f.sendFile(t, access.SMSManager, http.MethodPut, path+"?name=plan.pdf", `"99"`, pdf); st != http.StatusPreconditionFailed {
		t.Errorf("a stale If-Match: %d %.200s, want 412", st, b)
	}
	if after := auditCount(t, f.db); after != before {
		t.Errorf("refused uploads wrote %d audit entries", after-before)
	}
	st, b := f.sendFile(t, access.SMSManager, http.MethodPut, path+"?name=plan.pdf", fmt.Sprintf(`"%d"`, draft.Version), pdf)
	if st != http.StatusOK || !strings.Contains(b, `"name":"plan.pdf"`) || !strings.Contains(b, `"type":"application/pdf"`) {
		t.Fatalf("version file uploaded: %d %s", st, b)
	}
	r := f.do(t, access.Agent, http.MethodGet, path, "")
	got, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || !bytes.Equal(got, pdf) || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("version file downloaded: %d %d bytes %v", r.StatusCode, len(got), r.Header)
	}
	// Approved, the version never changes.
	inReview := "in_review"
	if _, err := f.areas.SMS.UpdateDocumentVersion(ctx, mgr, draft.ID, 0, smsUpdateState(inReview)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.areas.SMS.ApproveDocumentVersion(ctx, mgr, draft.ID, 0); err != nil {
		t.Fatal(err)
	}
	other := append(bytes.Clone(pdf), "% revised\n"...)
	if st, b := f.sendFile(t, access.SMSManager, http.MethodPut, path+"?name=other.pdf", "", other); st != http.StatusUnprocessableEntity && st != http.StatusConflict {
		t.Errorf("a file for an approved version: %d %.300s, want it refused", st, b)
	}

	// A completion's certificate.
	course, err := f.areas.SMS.CreateCourse(ctx, mgr, sms.CourseInput{Title: "Foundation", ValidityMonths: 12})
	if err != nil {
		t.Fatal(err)
	}
	done, err := f.areas.SMS.CreateCompletion(ctx, mgr, sms.CompletionInput{CourseID: course.ID, UserID: f.users[access.Agent].ID, Status: "completed", CompletedOn: "2026-11-02"})
	if err != nil {
		t.Fatal(err)
	}
	cpath := fmt.Sprintf("/api/v1/course-completions/%d/certificate", done.ID)
	if r := f.do(t, access.Agent, http.MethodGet, cpath, ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("the certificate of a completion without one: %d, want 404", r.StatusCode)
	}
	before = auditCount(t, f.db)
	if st, b := f.sendFile(t, access.SMSManager, http.MethodPut, cpath+"?name=cert.html", "", html); st != http.StatusUnprocessableEntity || !strings.Contains(b, "body") {
		t.Errorf("an HTML certificate: %d %.300s, want 422 naming body", st, b)
	}
	if st, _ := f.sendFile(t, access.Agent, http.MethodPut, cpath+"?name=cert.pdf", "", pdf); st != http.StatusForbidden {
		t.Errorf("an agent uploading a certificate: %d, want 403", st)
	}
	if after := auditCount(t, f.db); after != before {
		t.Errorf("refused certificates wrote %d audit entries", after-before)
	}
	if st, b := f.sendFile(t, access.SMSManager, http.MethodPut, cpath+"?name=cert.pdf", "", pdf); st != http.StatusOK || !strings.Contains(b, `"certificate":{`) {
		t.Fatalf("certificate uploaded: %d %s", st, b)
	}
	r = f.do(t, access.Agent, http.MethodGet, cpath, "")
	got, _ = io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || !bytes.Equal(got, pdf) || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("certificate downloaded: %d %d bytes %v", r.StatusCode, len(got), r.Header)
	}
	if r := f.do(t, access.Requester, http.MethodGet, cpath, ""); r.StatusCode != http.StatusForbidden {
		t.Errorf("a requester downloading a certificate: %d, want 403", r.StatusCode)
	}
}

func smsUpdateState(state string) smsapp.VersionUpdate { return smsapp.VersionUpdate{State: &state} }
