package server_test

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// An external auditor with an access reads the audit and the evidence in
// its scope, and downloads its files; evidence outside the scope and
// another audit are not found, the staff's pages stay forbidden, and
// every page they open is recorded for the audit's managers. Once the
// access expires, and once it is revoked, they are refused saying why.
func TestExternalAuditorAccess(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) { testExternalAuditorAccess(t, e) })
	}
}

func testExternalAuditorAccess(t *testing.T, e storetest.Engine) {
	clock := storetest.NewClock() // 2026-03-02
	f := newFixtureOn(t, storetest.Open(t, e, func(c *store.Config) { c.Now = clock.Now }))
	ctx, c := context.Background(), f.areas.Assurance
	mgr, ext := f.users[access.SMSManager], f.users[access.ExternalAuditor]
	reqs, err := c.Requirements(ctx, access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	clause := map[string]int64{}
	for _, r := range reqs {
		clause[r.Code] = r.ID
	}
	certa, err := c.CreateCertificationBody(ctx, access.CLI, assurance.BodyInput{Name: "Certa"})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(title string, scope ...int64) assurance.Audit {
		t.Helper()
		a, err := c.CreateAudit(ctx, access.CLI, assurance.AuditInput{Origin: "external", Type: "stage1", Title: title, BodyID: &certa.ID, RequirementIDs: scope,
			PlannedStart: "2026-03-20", PlannedEnd: "2026-03-21"})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	shared, other := mk("Stage 1 review", clause["7"]), mk("Operations audit", clause["8"])
	evidence := func(title, code string, in sms.EvidenceInput, up *files.Upload) sms.Evidence {
		t.Helper()
		in.Title, in.RequirementID, in.OwnerID, in.ReviewBy = title, clause[code], mgr.ID, "2026-12-31"
		e, err := f.areas.SMS.CreateEvidence(ctx, access.CLI, in, up)
		if err != nil {
			t.Fatalf("evidence %s: %v", title, err)
		}
		return e
	}
	inScope := evidence("Competence records", "7.2", sms.EvidenceInput{Kind: sms.EvidenceFile}, &files.Upload{Field: "file", Name: "competence.txt", Data: []byte("Who knows what")})
	outOfScope := evidence("Incident report", "8.1", sms.EvidenceInput{Kind: sms.EvidenceURL, URL: "https://example.com/incidents"}, nil)

	var grant int64
	grantPath := func(rest string) string { return fmt.Sprintf("/api/v1/auditor-accesses/%d%s", grant, rest) }
	for _, s := range []scenario{
		{name: "not an external auditor", role: access.SMSManager, method: "POST", path: "/api/v1/auditor-accesses", status: 422, fields: []string{"body.user_id"},
			body: fmt.Sprintf(`{"audit_id":%d,"user_id":%d,"expires_on":"2026-03-10"}`, shared.ID, f.users[access.Agent].ID)},
		{name: "expiring in the past", role: access.SMSManager, method: "POST", path: "/api/v1/auditor-accesses", status: 422, fields: []string{"body.expires_on"},
			body: fmt.Sprintf(`{"audit_id":%d,"user_id":%d,"expires_on":"2026-03-01"}`, shared.ID, ext.ID)},
		{name: "expiring too far ahead", role: access.SMSManager, method: "POST", path: "/api/v1/auditor-accesses", status: 422, fields: []string{"body.expires_on"},
			body: fmt.Sprintf(`{"audit_id":%d,"user_id":%d,"expires_on":"2027-06-01"}`, shared.ID, ext.ID)},
		{name: "a reader may not give access", role: access.Agent, method: "POST", path: "/api/v1/auditor-accesses", status: 403,
			body: fmt.Sprintf(`{"audit_id":%d,"user_id":%d,"expires_on":"2026-03-10"}`, shared.ID, ext.ID)},
		{name: "access", role: access.SMSManager, method: "POST", path: "/api/v1/auditor-accesses", status: 201, newAudits: 1,
			body: fmt.Sprintf(`{"audit_id":%d,"user_id":%d,"expires_on":"2026-03-10","note":"Stage 1"}`, shared.ID, ext.ID),
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				grant = int64(m["id"].(float64))
				if m["status"] != "live" || m["number"] != assurance.AuditorAccessKind.Number(grant) {
					t.Errorf("created: %v", m)
				}
			}},
	} {
		t.Run(s.name, func(t *testing.T) { f.run(t, s) })
	}

	page := func(path string, want int, contains ...string) string {
		t.Helper()
		resp := f.do(t, access.ExternalAuditor, "GET", path, "")
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Errorf("GET %s: got %d, want %d", path, resp.StatusCode, want)
		}
		for _, s := range contains {
			if !strings.Contains(string(body), s) {
				t.Errorf("GET %s lacks %q", path, s)
			}
		}
		return string(body)
	}
	base := fmt.Sprintf("/shared/audits/%d", shared.ID)
	if body := page("/", 200, "Audits shared with you", "Stage 1 review"); strings.Contains(body, "Operations audit") {
		t.Error("the home page lists an audit not shared")
	}
	if body := page(base, 200, "Stage 1 review", "Competence records", "Certa"); strings.Contains(body, "Incident report") {
		t.Error("the shared audit shows evidence out of its scope")
	}
	page(fmt.Sprintf("%s/evidence/%d", base, inScope.ID), 200, "Competence records", "Download the file")
	if body := page(fmt.Sprintf("%s/evidence/%d/file", base, inScope.ID), 200); body != "Who knows what" {
		t.Errorf("file: %q", body)
	}
	page(fmt.Sprintf("%s/evidence/%d", base, outOfScope.ID), 404)
	page(fmt.Sprintf("/shared/audits/%d", other.ID), 404)
	page(fmt.Sprintf("%s/documents/%d", base, 1), 404)
	for _, path := range []string{fmt.Sprintf("/audits/%d", shared.ID), fmt.Sprintf("/api/v1/audits/%d", shared.ID), fmt.Sprintf("/evidence/%d", inScope.ID),
		fmt.Sprintf("/evidence/%d/file", inScope.ID), grantPath(""), grantPath("/views")} {
		page(path, 403)
	}
	// Another feature's way in: it records its view too.
	if a, err := c.SharedAudit(ctx, ext.Actor("test"), shared.ID); err != nil || a.ID != shared.ID {
		t.Errorf("SharedAudit: %+v, %v", a, err)
	}
	if _, err := c.SharedAudit(ctx, f.users[access.Agent].Actor("test"), shared.ID); err == nil {
		t.Error("SharedAudit opened the audit to an agent")
	}
	// The evidence pack of the shared audit: its scope's evidence alone,
	// and a view; another audit's is not found.
	pack := page(base+"/evidence-pack.zip", 200)
	zr, err := zip.NewReader(strings.NewReader(pack), int64(len(pack)))
	if err != nil {
		t.Fatalf("the shared evidence pack is no ZIP: %v", err)
	}
	var inPack []string
	for _, zf := range zr.File {
		inPack = append(inPack, zf.Name)
	}
	if joined := strings.Join(inPack, " "); !strings.Contains(joined, sms.EvidenceKind.Number(inScope.ID)+"-competence.txt") ||
		strings.Contains(joined, sms.EvidenceKind.Number(outOfScope.ID)) || !strings.Contains(joined, "MANIFEST.sha256") {
		t.Errorf("the shared pack holds %v: want the evidence in scope and the manifest, never the evidence outside", inPack)
	}
	page(fmt.Sprintf("/shared/audits/%d/evidence-pack.zip", other.ID), 404)

	views := func() []map[string]any {
		t.Helper()
		var out struct{ Items []map[string]any }
		resp := f.do(t, access.InternalAuditor, "GET", grantPath("/views"), "")
		if resp.StatusCode != 200 {
			t.Fatalf("views: %d", resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out.Items
	}
	vs := views()
	var what []string
	for _, v := range vs {
		what = append(what, v["what"].(string))
	}
	want := []string{"AUD-000001", "AUD-000001", "EVD-000001 file competence.txt", "EVD-000001", "AUD-000001"}
	if strings.Join(what, "|") != strings.Join(want, "|") || vs[0]["path"] != base+"/evidence-pack.zip" || vs[2]["path"] != fmt.Sprintf("%s/evidence/%d/file", base, inScope.ID) ||
		vs[2]["remote_addr"] == "" || int64(vs[2]["user_id"].(float64)) != ext.ID {
		t.Errorf("views, latest first: %v, want %v (%v)", what, want, vs)
	}
	resp := f.do(t, access.SMSManager, "GET", fmt.Sprintf("/auditor-accesses/%d", grant), "")
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || !strings.Contains(string(body), "competence.txt") {
		t.Errorf("the access's page: %d, without its views", resp.StatusCode)
	}
	resp = f.do(t, access.InternalAuditor, "GET", fmt.Sprintf("/audits/%d", shared.ID), "")
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || !strings.Contains(string(body), "External auditor access") ||
		!strings.Contains(string(body), assurance.AuditorAccessKind.Number(grant)) {
		t.Errorf("the audit's page: %d, without its access section", resp.StatusCode)
	}

	// After its last day the access is refused; extended, it opens again.
	clock.Advance(9 * 24 * time.Hour) // 2026-03-11
	page(base, 403, "expired")
	page(fmt.Sprintf("%s/evidence/%d/file", base, inScope.ID), 403)
	if body := page("/", 200, "No audit is shared with you"); strings.Contains(body, "Stage 1 review") {
		t.Error("the home page lists an expired access")
	}
	for _, s := range []scenario{
		{name: "extend", role: access.InternalAuditor, method: "PATCH", path: grantPath(""), status: 200, newAudits: 1, body: `{"expires_on":"2026-04-30"}`},
	} {
		t.Run(s.name, func(t *testing.T) { f.run(t, s) })
	}
	page(base, 200)
	for _, s := range []scenario{
		{name: "revoke", role: access.SMSManager, method: "POST", path: grantPath("/revoke"), status: 200, newAudits: 1,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if m["status"] != "revoked" || m["revoked_at"] == nil {
					t.Errorf("revoked: %v", m)
				}
			}},
		{name: "revoked stays revoked", role: access.SMSManager, method: "PATCH", path: grantPath(""), status: 409, body: `{"expires_on":"2026-05-30"}`},
		{name: "a used access stays on record", role: access.SMSManager, method: "DELETE", path: grantPath(""), status: 409},
	} {
		t.Run(s.name, func(t *testing.T) { f.run(t, s) })
	}
	page(base, 403, "revoked")
	if n := len(views()); n != 6 {
		t.Errorf("%d views recorded, want 6: a refused page is no view", n)
	}
}
