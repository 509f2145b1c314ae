package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The checker of answers reads a downloaded file as bytes, whatever its
// type.
func init() {
	for _, typ := range []string{"application/pdf", "text/csv", "image/png", "image/jpeg", "image/gif", "image/webp"} {
		openapi3filter.RegisterBodyDecoder(typ, openapi3filter.FileBodyDecoder)
	}
}

// Evidence through the API: kinds made with JSON, files uploaded as the
// body, refused for their size or type naming the field with nothing
// written, downloaded only as attachments by those who may read them.
func TestEvidenceAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := t.Context()
	agent := f.users[access.Agent]
	fws, _, err := f.areas.SMS.ListFrameworks(ctx, access.System, store.FrameworkFilter{})
	if err != nil || len(fws) == 0 {
		t.Fatal(fws, err)
	}
	tree, err := f.areas.SMS.Tree(ctx, access.System, fws[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	req := tree[5]
	body := func(r *http.Response) string {
		b, _ := io.ReadAll(r.Body)
		return string(b)
	}
	send := func(role access.Role, method, path, contentType string, data []byte) *http.Response {
		t.Helper()
		rq, _ := http.NewRequest(method, f.ts.URL+path, bytes.NewReader(data))
		rq.Header.Set("Authorization", "Bearer "+f.tokens[role])
		rq.Header.Set("Content-Type", contentType)
		r, err := http.DefaultClient.Do(rq)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	r := f.do(t, access.Agent, http.MethodPost, "/api/v1/evidence", fmt.Sprintf(`{"title":"Service desk manual","requirement_id":%d,"owner_id":%d,"review_by":"2020-01-31","kind":"url","url":"https://intranet.example.com/manual"}`, req.ID, agent.ID))
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create a web address: %d %s", r.StatusCode, body(r))
	}
	var link struct {
		ID      int64 `json:"id"`
		Expired bool  `json:"expired"`
	}
	if err := json.NewDecoder(r.Body).Decode(&link); err != nil || !link.Expired {
		t.Errorf("created %+v %v, want it expired", link, err)
	}
	before := auditCount(t, f.db)
	q := url.Values{"title": {"Incident report"}, "requirement_id": {strconv.FormatInt(req.ID, 10)}, "owner_id": {strconv.FormatInt(agent.ID, 10)}, "review_by": {"2099-01-31"}}
	for _, bad := range []struct {
		what, name string
		data       []byte
		status     int
		field      string
	}{
		{"HTML", "report.html", []byte("<html><script>alert(1)</script></html>"), http.StatusUnprocessableEntity, "body"},
		{"HTML named PDF", "report.pdf", []byte("<html><script>alert(1)</script></html>"), http.StatusUnprocessableEntity, "body"},
		{"over the limit", "big.pdf", append([]byte("%PDF-1.7\n"), make([]byte, 10<<20)...), http.StatusUnprocessableEntity, "body"},
	} {
		q.Set("name", bad.name)
		r := send(access.Agent, http.MethodPost, "/api/v1/evidence/files?"+q.Encode(), "application/octet-stream", bad.data)
		if b := body(r); r.StatusCode != bad.status || !strings.Contains(b, `"location":"`+bad.field) && !strings.Contains(b, bad.field) {
			t.Errorf("%s: %d %.300s, want %d naming %s", bad.what, r.StatusCode, b, bad.status, bad.field)
		}
	}
	if after := auditCount(t, f.db); after != before {
		t.Errorf("refused uploads wrote %d audit entries", after-before)
	}
	if n, _, _ := f.db.BlobStats(ctx); n != 0 {
		t.Errorf("refused uploads stored %d files", n)
	}
	pdf := []byte("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
	q.Set("name", "Incident report.pdf")
	r = send(access.Agent, http.MethodPost, "/api/v1/evidence/files?"+q.Encode(), "application/octet-stream", pdf)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.StatusCode, body(r))
	}
	var file struct {
		ID   int64 `json:"id"`
		File struct {
			Name, Type, SHA256 string
			Size               int64
		} `json:"file"`
	}
	if err := json.NewDecoder(r.Body).Decode(&file); err != nil || file.File.Type != "application/pdf" || file.File.Size != int64(len(pdf)) {
		t.Fatalf("uploaded %+v %v", file, err)
	}
	if r := send(access.InternalAuditor, http.MethodPost, "/api/v1/evidence/files?"+q.Encode(), "application/octet-stream", pdf); r.StatusCode != http.StatusForbidden {
		t.Errorf("an internal auditor uploading: %d, want 403", r.StatusCode)
	}

	// Downloads: an attachment, never run, for readers only.
	for _, path := range []string{fmt.Sprintf("/api/v1/evidence/%d/file", file.ID)} {
		r := f.do(t, access.InternalAuditor, http.MethodGet, path, "")
		got := body(r)
		h := r.Header
		if r.StatusCode != http.StatusOK || got != string(pdf) || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") ||
			h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("GET %s: %d %v", path, r.StatusCode, h)
		}
		if r := f.do(t, access.Requester, http.MethodGet, path, ""); r.StatusCode != http.StatusForbidden {
			t.Errorf("a requester downloading: %d, want 403", r.StatusCode)
		}
	}
	if r := f.do(t, access.Agent, http.MethodGet, fmt.Sprintf("/api/v1/evidence/%d/file", link.ID), ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("the file of a web address: %d, want 404", r.StatusCode)
	}
	// Replacing the file: a new version, the old one stays stored.
	csv := []byte("clause,owner\n8.6,ana\n")
	r = send(access.Agent, http.MethodPut, fmt.Sprintf("/api/v1/evidence/%d/file?name=owners.csv", file.ID), "application/octet-stream", csv)
	if b := body(r); r.StatusCode != http.StatusOK || !strings.Contains(b, "text/csv") {
		t.Errorf("replace: %d %s", r.StatusCode, b)
	}
	if n, _, _ := f.db.BlobStats(ctx); n != 2 {
		t.Errorf("%d files stored, want the first and its replacement", n)
	}
	r = f.do(t, access.TopManagement, http.MethodGet, fmt.Sprintf("/api/v1/evidence?expired=true&requirement_id=%d", req.ID), "")
	if b := body(r); r.StatusCode != http.StatusOK || !strings.Contains(b, "Service desk manual") || strings.Contains(b, "Incident report") {
		t.Errorf("expired list: %d %s", r.StatusCode, b)
	}
	r = f.do(t, access.Agent, http.MethodGet, "/api/v1/evidence?kind=file&limit=1", "")
	if b := body(r); r.StatusCode != http.StatusOK || !strings.Contains(b, "Incident report") {
		t.Errorf("files list: %d %s", r.StatusCode, b)
	}
}

// Evidence through the pages: a file uploaded from the requirement's
// "Add evidence", its download's headers, the requirement's page and the
// file refused with the field named and the form kept.
func TestEvidencePages(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := t.Context()
	fws, _, _ := f.areas.SMS.ListFrameworks(ctx, access.System, store.FrameworkFilter{})
	tree, _ := f.areas.SMS.Tree(ctx, access.System, fws[0].ID)
	req := tree[3]
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	_, page := b.get(fmt.Sprintf("/requirements/%d", req.ID))
	if !strings.Contains(page, fmt.Sprintf(`href="/evidence/new?requirement_id=%d"`, req.ID)) {
		t.Fatalf("the requirement's page has no way to add evidence:\n%s", page)
	}
	csrf := b.csrf(fmt.Sprintf("/evidence/new?requirement_id=%d", req.ID))
	upload := func(name string, data []byte) (*http.Response, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("_csrf", csrf)
		for k, v := range map[string]string{"title": "Signed procedure", "requirement_id": strconv.FormatInt(req.ID, 10),
			"owner_id": strconv.FormatInt(f.users[access.Agent].ID, 10), "review_by": "2099-06-30", "kind": "file"} {
			_ = mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(data)
		_ = mw.Close()
		rq, _ := http.NewRequest(http.MethodPost, f.ts.URL+"/evidence", &buf)
		rq.Header.Set("Content-Type", mw.FormDataContentType())
		r, err := b.client.Do(rq)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r.Body)
		return r, string(got)
	}
	r, got := upload("page.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, `id="f-file-error"`) || !strings.Contains(got, "Signed procedure") {
		t.Errorf("an SVG: %d, want the form again with the file's error and the title kept:\n%s", r.StatusCode, got)
	}
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	r, _ = upload("signed.pdf", pdf)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	where := r.Header.Get("Location")
	_, page = b.get(where)
	id := strings.TrimPrefix(strings.Split(where, "?")[0], "/evidence/")
	if !strings.Contains(page, "signed.pdf") || !strings.Contains(page, "/evidence/"+id+"/file") {
		t.Errorf("the evidence's page names no file:\n%s", page)
	}
	r, got = b.get("/evidence/" + id + "/file")
	if r.StatusCode != http.StatusOK || got != string(pdf) || r.Header.Get("Content-Disposition") != `attachment; filename=signed.pdf` ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download: %d %v", r.StatusCode, r.Header)
	}
	_, page = b.get(fmt.Sprintf("/requirements/%d", req.ID))
	if !strings.Contains(page, "Signed procedure") || !strings.Contains(page, "Current") {
		t.Errorf("the requirement's page does not show its evidence fresh:\n%s", page)
	}
}
