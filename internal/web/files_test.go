package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/files"
)

// multipartBody is a form with a CSRF token first, a value and a file.
func multipartBody(t *testing.T, csrf string, file []byte) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if csrf != "" {
		_ = mw.WriteField("_csrf", csrf)
	}
	_ = mw.WriteField("title", "Incident report")
	fw, err := mw.CreateFormFile("file", "report.pdf")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(file)
	_ = mw.WriteField("after", "kept")
	_ = mw.Close()
	return &b, mw.FormDataContentType()
}

func TestMultipartCSRFLeavesTheBody(t *testing.T) {
	body, ct := multipartBody(t, "token-123", []byte("%PDF-1.7 small"))
	r := httptest.NewRequest(http.MethodPost, "/evidence", body)
	r.Header.Set("Content-Type", ct)
	if !CSRFValid(r, "token-123") {
		t.Fatal("a multipart form with its token first: refused")
	}
	r, err := parseMultipart(httptest.NewRecorder(), r, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	up, ok := Uploaded(r.Context(), "file")
	if !ok || up.Name != "report.pdf" || string(up.Data) != "%PDF-1.7 small" || up.TooLarge {
		t.Errorf("file after the CSRF check: got %+v, %v", up, ok)
	}
	if r.PostFormValue("title") != "Incident report" || r.PostFormValue("after") != "kept" {
		t.Errorf("values: got %v", r.PostForm)
	}

	for _, tc := range []struct{ what, sent, want string }{{"wrong token", "other", "token-123"}, {"no token", "", "token-123"}} {
		body, ct := multipartBody(t, tc.sent, []byte("x"))
		r := httptest.NewRequest(http.MethodPost, "/evidence", body)
		r.Header.Set("Content-Type", ct)
		if CSRFValid(r, tc.want) {
			t.Errorf("%s: accepted", tc.what)
		}
	}
}

func TestMultipartTooLarge(t *testing.T) {
	body, ct := multipartBody(t, "t", bytes.Repeat([]byte("a"), 3000))
	r := httptest.NewRequest(http.MethodPost, "/evidence", body)
	r.Header.Set("Content-Type", ct)
	r, err := parseMultipart(httptest.NewRecorder(), r, 2000)
	if err != nil {
		t.Fatal(err)
	}
	up, _ := Uploaded(r.Context(), "file")
	if !up.TooLarge || up.Data != nil || r.PostFormValue("after") != "kept" {
		t.Fatalf("over the limit: got TooLarge %v, %d bytes, after=%q; want marked, no data, the rest read", up.TooLarge, len(up.Data), r.PostFormValue("after"))
	}
	if _, err := up.Check(2000); err == nil || !strings.Contains(err.Error(), "file is larger than the limit") {
		t.Errorf("check: got %v", err)
	}
	// Far beyond the limit the body is not read to its end.
	body, ct = multipartBody(t, "t", bytes.Repeat([]byte("a"), maxForm+5000))
	r = httptest.NewRequest(http.MethodPost, "/evidence", body)
	r.Header.Set("Content-Type", ct)
	var mbe *http.MaxBytesError
	if _, err := parseMultipart(httptest.NewRecorder(), r, 2000); err == nil || !asMaxBytes(err, &mbe) {
		t.Errorf("a body far over the limit: got %v, want refused as too large", err)
	}
}

func asMaxBytes(err error, target **http.MaxBytesError) bool {
	e, ok := err.(*http.MaxBytesError)
	if ok {
		*target = e
	}
	return ok
}

func TestServeFileHeaders(t *testing.T) {
	data := []byte("<html><script>alert(1)</script>")
	for _, f := range []files.File{
		{Hash: files.Hash(data), Name: "Prüfbericht \"final\".pdf", Type: "application/pdf", Size: int64(len(data))},
		{Hash: files.Hash(data), Name: "page.html", Type: "text/html", Size: int64(len(data))},
	} {
		w := httptest.NewRecorder()
		ServeFile(w, httptest.NewRequest(http.MethodGet, "/evidence/1/file", nil), f, data)
		h := w.Result().Header
		wantType := map[string]string{"application/pdf": "application/pdf", "text/html": "application/octet-stream"}[f.Type]
		if got := h.Get("Content-Type"); got != wantType {
			t.Errorf("%s: Content-Type %q, want %q", f.Name, got, wantType)
		}
		if got := h.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment;") || !strings.Contains(got, "filename") {
			t.Errorf("%s: Content-Disposition %q, want an attachment with its name", f.Name, got)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("%s: nosniff %q, CSP %q", f.Name, h.Get("X-Content-Type-Options"), h.Get("Content-Security-Policy"))
		}
		if !bytes.Equal(w.Body.Bytes(), data) {
			t.Errorf("%s: body differs", f.Name)
		}
	}
}
