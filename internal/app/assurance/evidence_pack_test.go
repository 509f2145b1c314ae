package assurance_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// An audit's evidence pack holds the evidence of the requirements in its
// scope and under them, never of others; the documents that relate to
// them with their versions in force; the findings and the
// nonconformities they opened; and its ZIP lists every file in a
// manifest whose hashes are the files' own. On both engines.
func TestEvidencePack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, s, c := withAreas(t, db)
		mgr, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "mgr@example.com", Name: "Mona Manager", Role: access.SMSManager})
		if err != nil {
			t.Fatal(err)
		}
		requester, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "cust@example.com", Name: "Customer", Role: access.Requester})
		if err != nil {
			t.Fatal(err)
		}
		actor := mgr.Actor("session")
		reqs, _, err := s.ListRequirements(ctx, access.CLI, store.RequirementFilter{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		code := func(c string) sms.Requirement {
			t.Helper()
			i := slices.IndexFunc(reqs, func(r sms.Requirement) bool { return r.Code == c })
			if i < 0 {
				t.Fatalf("no requirement %s", c)
			}
			return reqs[i]
		}
		policy, sub, outside := code("5.2"), code("5.2.1"), code("9.1")
		today := time.Now().UTC().Format(time.DateOnly)
		next := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)

		// A document on 5.2 with a version in force that has a file.
		doc, err := s.CreateDocument(ctx, actor, sms.DocumentInput{Title: "Service management policy", OwnerID: mgr.ID, ReviewMonths: 12,
			ApproverIDs: []int64{mgr.ID}, SelfApproval: true, RequirementIDs: []int64{policy.ID}})
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.CreateDocumentVersion(ctx, actor, doc.ID, sms.VersionInput{Content: "# Policy\n\nWe deliver what we agree.", ChangeNote: "First issue"},
			files.Upload{Field: "file", Name: "policy signed.txt", Data: []byte("Signed: the policy, by top management.\n")})
		if err != nil {
			t.Fatal(err)
		}
		inReview := "in_review"
		if v, err = s.UpdateDocumentVersion(ctx, actor, v.ID, 0, smsapp.VersionUpdate{State: &inReview}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveDocumentVersion(ctx, actor, v.ID, 0); err != nil {
			t.Fatal(err)
		}
		// Evidence: an uploaded file and a web address in scope (under
		// 5.2), the document, a record; and a file outside the scope.
		evidence := func(in sms.EvidenceInput, up *files.Upload) sms.Evidence {
			t.Helper()
			in.OwnerID, in.ReviewBy = mgr.ID, next
			e, err := s.CreateEvidence(ctx, actor, in, up)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		minutes := []byte("date,topic\n2026-01-10,policy communicated\n")
		upload := evidence(sms.EvidenceInput{Title: "Communication minutes", RequirementID: sub.ID, Kind: sms.EvidenceFile},
			&files.Upload{Field: "file", Name: "Minutes (Jan) ä.csv", Data: minutes})
		url := evidence(sms.EvidenceInput{Title: "Policy on the intranet", RequirementID: policy.ID, Kind: sms.EvidenceURL, URL: "https://intranet.example/policy"}, nil)
		docEv := evidence(sms.EvidenceInput{Title: "The policy", RequirementID: policy.ID, Kind: sms.EvidenceDocument, RefID: doc.ID}, nil)
		recEv := evidence(sms.EvidenceInput{Title: "The manager's account", RequirementID: sub.ID, Kind: sms.EvidenceRecord, RefEntity: account.UserKind.Entity, RefID: mgr.ID}, nil)
		out := evidence(sms.EvidenceInput{Title: "Monitoring report", RequirementID: outside.ID, Kind: sms.EvidenceFile},
			&files.Upload{Field: "file", Name: "monitoring.txt", Data: []byte("outside the scope")})

		au, err := c.CreateAudit(ctx, actor, assurance.AuditInput{Title: "Leadership", RequirementIDs: []int64{policy.ID}, PlannedStart: today, PlannedEnd: today})
		if err != nil {
			t.Fatal(err)
		}
		st := "in_progress"
		if au, err = c.UpdateAudit(ctx, actor, au.ID, 0, assurance.AuditUpdate{State: &st, ActualStart: &today}); err != nil {
			t.Fatal(err)
		}
		major, err := c.CreateFinding(ctx, actor, assurance.FindingInput{AuditID: au.ID, RequirementID: sub.ID, Type: "major_nc", Statement: "The policy was not communicated to suppliers.",
			Records: assurance.Refs{{Entity: sms.EvidenceKind.Entity, ID: upload.ID}}})
		if err != nil {
			t.Fatal(err)
		}

		// Who may not read audits and evidence gets no pack.
		if _, err := c.EvidencePack(ctx, requester.Actor("session"), au.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a requester's pack: %v, want forbidden", err)
		}
		if _, err := c.EvidencePack(ctx, actor, au.ID+100); !errs.Is(err, errs.NotFound) {
			t.Errorf("the pack of no audit: %v, want not found", err)
		}
		p, err := c.EvidencePack(ctx, actor, au.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, cl := range p.Clauses {
			if cl.Clause.Code != "5" {
				t.Errorf("clause %s in the pack, want only 5", cl.Clause.Code)
			}
			for _, r := range cl.Requirements {
				for _, e := range r.Evidence {
					got = append(got, e.ID)
				}
			}
		}
		slices.Sort(got)
		if want := []int64{upload.ID, url.ID, docEv.ID, recEv.ID}; !slices.Equal(got, want) {
			t.Errorf("evidence in the pack %v, want %v (never %d, outside the scope)", got, want, out.ID)
		}
		if len(p.Documents) != 1 || p.Documents[0].Document.ID != doc.ID || !p.Documents[0].InForce || p.Documents[0].Version.Number != 1 {
			t.Errorf("documents %+v, want %s in force at version 1", p.Documents, sms.DocumentKind.Number(doc.ID))
		}
		if len(p.Findings) != 1 || len(p.Nonconformities) != 1 || p.Nonconformities[0].SourceID != major.ID {
			t.Errorf("findings %d and nonconformities %+v, want the major finding and the one it opened", len(p.Findings), p.Nonconformities)
		}
		if p.People[mgr.ID] != "Mona Manager" {
			t.Errorf("people %v, want the owner named", p.People)
		}
		head, err := db.AuditHead(ctx)
		if err != nil || p.Head != head {
			t.Errorf("head %+v, want the trail's %+v (%v)", p.Head, head, err)
		}

		var zbuf bytes.Buffer
		sum, err := reports.EvidencePackZIP(ctx, &zbuf, p, c.PackFile)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(zbuf.Bytes()), int64(zbuf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		content := map[string][]byte{}
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, sum.Root+"/") || strings.Contains(f.Name, "..") {
				t.Errorf("file %q outside the pack's folder %s", f.Name, sum.Root)
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			content[strings.TrimPrefix(f.Name, sum.Root+"/")] = data
		}
		manifest := string(content[reports.ManifestName])
		lines := strings.Split(strings.TrimSpace(manifest), "\n")
		if len(lines) != len(content)-1 || len(lines) != sum.Files {
			t.Errorf("manifest lists %d files, the pack holds %d besides it, the summary says %d", len(lines), len(content)-1, sum.Files)
		}
		for _, l := range lines {
			hash, name, ok := strings.Cut(l, "  ")
			h := sha256.Sum256(content[name])
			if !ok || hex.EncodeToString(h[:]) != hash {
				t.Errorf("manifest line %q does not match the file's content", l)
			}
		}
		wantFiles := map[string][]byte{
			"evidence/" + sms.EvidenceKind.Number(upload.ID) + "-Minutes__Jan___.csv": minutes,
			"documents/" + sms.DocumentKind.Number(doc.ID) + "-v1.md":                 []byte("# Policy\n\nWe deliver what we agree."),
			"documents/" + sms.DocumentKind.Number(doc.ID) + "-v1-policy_signed.txt":  []byte("Signed: the policy, by top management.\n"),
		}
		for name, want := range wantFiles {
			if !bytes.Equal(content[name], want) {
				t.Errorf("%s: %q, want %q", name, content[name], want)
			}
		}
		for name, data := range content {
			if bytes.Contains(data, []byte("outside the scope")) {
				t.Errorf("%s holds the evidence outside the scope", name)
			}
		}
		index := string(content["index.html"])
		for _, want := range []string{"Clause 5", "5.2.1", `href="evidence/` + sms.EvidenceKind.Number(upload.ID), "https://intranet.example/policy",
			"sha256sum -c MANIFEST.sha256", head.Hash, assurance.FindingKind.Number(major.ID)} {
			if !strings.Contains(index, want) {
				t.Errorf("index.html lacks %q", want)
			}
		}
		if !strings.Contains(string(content["AUDIT-TRAIL-HEAD.txt"]), head.Hash) {
			t.Errorf("AUDIT-TRAIL-HEAD.txt: %s", content["AUDIT-TRAIL-HEAD.txt"])
		}
		rows, err := csv.NewReader(bytes.NewReader(content["records/evidence.csv"])).ReadAll()
		if err != nil || len(rows) != 5 {
			t.Fatalf("evidence.csv: %d rows %v, want a header and 4", len(rows), err)
		}
		if rows[0][0] != "number" || !slices.ContainsFunc(rows[1:], func(r []string) bool {
			return r[0] == sms.EvidenceKind.Number(recEv.ID) && r[7] == "user:"+strconv.FormatInt(mgr.ID, 10)
		}) {
			t.Errorf("evidence.csv rows %v", rows)
		}

		// A stored file that no longer matches its hash stops the pack.
		broken := func(ctx context.Context, f files.File) ([]byte, error) { return []byte("altered"), nil }
		if _, err := reports.EvidencePackZIP(ctx, io.Discard, p, broken); err == nil || !strings.Contains(err.Error(), "does not match its hash") {
			t.Errorf("a pack from an altered file: %v, want refused", err)
		}
	})
}
