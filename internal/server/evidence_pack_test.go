package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// An audit's evidence pack downloads from its page and from the API as a
// ZIP whose manifest holds the hash of every other file in it; the audit
// page offers it; who may not read audits gets 403, an audit that does
// not exist 404.
func TestEvidencePackDownload(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	reqs, err := f.areas.Assurance.Requirements(ctx, access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	var policy int64
	for _, r := range reqs {
		if r.Code == "5.2" {
			policy = r.ID
		}
	}
	mgr := f.users[access.SMSManager]
	data := []byte("date,topic\n2026-01-10,policy communicated\n")
	e, err := f.areas.SMS.CreateEvidence(ctx, mgr.Actor("session"), sms.EvidenceInput{Title: "Minutes", RequirementID: policy, OwnerID: mgr.ID, Kind: sms.EvidenceFile,
		ReviewBy: time.Now().AddDate(1, 0, 0).Format(time.DateOnly)}, &files.Upload{Field: "file", Name: "minutes.csv", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	au, err := f.areas.Assurance.CreateAudit(ctx, mgr.Actor("session"), assurance.AuditInput{Title: "Policy", RequirementIDs: []int64{policy}, PlannedStart: today, PlannedEnd: today})
	if err != nil {
		t.Fatal(err)
	}
	number := assurance.AuditKind.Number(au.ID)
	page := "/audits/" + itoa(au.ID)

	resp := f.do(t, access.InternalAuditor, "GET", page, "")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), page+"/evidence-pack.zip") {
		t.Errorf("the audit page (%d) does not offer the evidence pack", resp.StatusCode)
	}
	for _, path := range []string{page + "/evidence-pack.zip", "/api/v1/audits/" + itoa(au.ID) + "/evidence-pack"} {
		resp := f.do(t, access.InternalAuditor, "GET", path, "")
		raw, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", path, resp.StatusCode, err)
		}
		if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "application/zip" || !strings.Contains(cd, number+"-evidence-pack.zip") {
			t.Errorf("%s: Content-Type %q, Content-Disposition %q", path, ct, cd)
		}
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatalf("%s: not a ZIP: %v", path, err)
		}
		got := map[string]string{}
		var manifest string
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			name := strings.TrimPrefix(zf.Name, number+"-evidence-pack/")
			if name == reports.ManifestName {
				manifest = string(b)
				continue
			}
			h := sha256.Sum256(b)
			got[name] = hex.EncodeToString(h[:])
		}
		want := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(manifest), "\n") {
			hash, name, _ := strings.Cut(l, "  ")
			want[name] = hash
		}
		if len(want) != len(got) || len(got) < 5 {
			t.Errorf("%s: manifest lists %d files, the pack holds %d", path, len(want), len(got))
		}
		for name, hash := range got {
			if want[name] != hash {
				t.Errorf("%s: %s has hash %s, the manifest says %q", path, name, hash, want[name])
			}
		}
		if h := sha256.Sum256(data); got["evidence/"+sms.EvidenceKind.Number(e.ID)+"-minutes.csv"] != hex.EncodeToString(h[:]) {
			t.Errorf("%s: the evidence file is missing or altered: %v", path, got)
		}
	}
	for _, c := range []struct {
		role   access.Role
		path   string
		status int
	}{
		{access.Requester, page + "/evidence-pack.zip", http.StatusForbidden},
		{access.Requester, "/api/v1/audits/" + itoa(au.ID) + "/evidence-pack", http.StatusForbidden},
		{access.InternalAuditor, "/audits/987654/evidence-pack.zip", http.StatusNotFound},
		{access.InternalAuditor, "/api/v1/audits/987654/evidence-pack", http.StatusNotFound},
	} {
		if resp := f.do(t, c.role, "GET", c.path, ""); resp.StatusCode != c.status {
			t.Errorf("%s as %s: %d, want %d", c.path, c.role, resp.StatusCode, c.status)
		}
	}
}
