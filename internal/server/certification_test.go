package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The certification API: refusals name the field and write nothing; a
// certificate answers with its cycle and its risk; the calendar address
// made through the API opens the feed without a session.
func TestCertificationAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	read := func(resp *http.Response, into any) string {
		t.Helper()
		b, _ := io.ReadAll(resp.Body)
		if into != nil {
			if err := json.Unmarshal(b, into); err != nil {
				t.Fatalf("%v: %s", err, b)
			}
		}
		return string(b)
	}
	var body struct{ ID int64 }
	resp := f.do(t, access.SMSManager, "POST", "/api/v1/certification-bodies", `{"name":"Certa","covers_20000":"yes"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create body: %d %s", resp.StatusCode, read(resp, nil))
	}
	read(resp, &body)
	decided := time.Now().UTC().AddDate(0, -13, 0).Format(time.DateOnly)
	issued := time.Now().UTC().AddDate(0, -13, 5).Format(time.DateOnly)
	for _, c := range []struct {
		name, json, field string
		status            int
	}{
		{"decision after issue", fmt.Sprintf(`{"body_id":%d,"certificate_number":"C-1","scope":"All","decided_on":"%s","issued_on":"%s"}`, body.ID, issued, decided), "decided_on", 422},
		{"expiry before issue", fmt.Sprintf(`{"body_id":%d,"certificate_number":"C-1","scope":"All","decided_on":"%s","issued_on":"%s","expires_on":"%s"}`, body.ID, decided, issued, decided), "expires_on", 422},
		{"no such body", fmt.Sprintf(`{"body_id":%d,"certificate_number":"C-1","scope":"All","decided_on":"%s","issued_on":"%s"}`, body.ID+50, decided, issued), "body_id", 422},
		{"bad day", fmt.Sprintf(`{"body_id":%d,"certificate_number":"C-1","scope":"All","decided_on":"13 May","issued_on":"%s"}`, body.ID, issued), "decided_on", 422},
	} {
		before := auditCount(t, f.db)
		resp := f.do(t, access.SMSManager, "POST", "/api/v1/certificates", c.json)
		text := read(resp, nil)
		if resp.StatusCode != c.status || !strings.Contains(text, c.field) {
			t.Errorf("%s: %d %s, want %d naming %s", c.name, resp.StatusCode, text, c.status, c.field)
		}
		if n := auditCount(t, f.db) - before; n != 0 {
			t.Errorf("%s: %d audit entries written", c.name, n)
		}
	}
	if resp := f.do(t, access.TopManagement, "POST", "/api/v1/certificates", "{}"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("top management creating a certificate: %d, want 403", resp.StatusCode)
	}
	resp = f.do(t, access.SMSManager, "POST", "/api/v1/certificates", fmt.Sprintf(`{"body_id":%d,"certificate_number":"C-1","scope":"All","decided_on":"%s","issued_on":"%s"}`, body.ID, decided, issued))
	var cert struct {
		ID        int64
		ExpiresOn string `json:"expires_on"`
		Risk      string
		Cycle     []struct{ Type, DueBy string }
	}
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create certificate: %d %s", resp.StatusCode, read(resp, nil))
	}
	read(resp, &cert)
	resp = f.do(t, access.TopManagement, "GET", fmt.Sprintf("/api/v1/certificates/%d", cert.ID), "")
	read(resp, &cert)
	if len(cert.Cycle) != 3 || cert.Risk != "suspension" {
		t.Errorf("certificate as top management reads it: %+v, want three planned audits and a suspension risk", cert)
	}
	resp = f.do(t, access.Agent, "GET", "/api/v1/certificates?at_risk=true", "")
	var page struct{ Items []struct{ ID int64 } }
	read(resp, &page)
	if len(page.Items) != 1 {
		t.Errorf("at risk: %+v, want the one certificate", page)
	}

	// The calendar address, made through the API, opens the feed
	// anonymously; once revoked it answers 404.
	resp = f.do(t, access.Agent, "POST", "/api/v1/calendar-tokens", "")
	var tok struct {
		ID      int64
		Path    string
		Version int64
	}
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create calendar token: %d %s", resp.StatusCode, read(resp, nil))
	}
	read(resp, &tok)
	resp = f.do(t, "", "GET", tok.Path, "")
	feed := read(resp, nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") || !strings.HasPrefix(feed, "BEGIN:VCALENDAR\r\n") {
		t.Errorf("feed: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), feed)
	}
	if resp := f.do(t, access.SMSManager, "DELETE", fmt.Sprintf("/api/v1/calendar-tokens/%d", tok.ID), ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another user revoking the token: %d, want 404", resp.StatusCode)
	}
	if resp := f.do(t, access.Agent, "DELETE", fmt.Sprintf("/api/v1/calendar-tokens/%d", tok.ID), ""); resp.StatusCode != http.StatusNoContent {
		t.Errorf("revoke: %d %s", resp.StatusCode, read(resp, nil))
	}
	if resp := f.do(t, "", "GET", tok.Path, ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a revoked feed: %d, want 404", resp.StatusCode)
	}
}
