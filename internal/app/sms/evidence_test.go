package sms_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

const (
	past   = "2020-01-31"
	future = "2099-12-31"
)

// Evidence of every kind on both engines: refusals name the field and
// write nothing (files over the limit or of a refused type included);
// the same file uploaded twice is stored once; each requirement's count
// and latest review day follow every write; the readiness counts an
// implemented requirement whose evidence has all expired as partly; a
// record shows what it is evidence for; only those who may see the
// evidence get its file.
func TestEvidence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, c := newArea(t, db)
		agent, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "agent@example.com", Name: "Agent", Role: access.Agent})
		if err != nil {
			t.Fatal(err)
		}
		requester, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "req@example.com", Name: "Requester", Role: access.Requester, OrgID: 1})
		if err != nil {
			t.Fatal(err)
		}
		auditor := access.Actor{UserID: 0, Name: "auditor", Role: access.InternalAuditor, Via: "test"}
		doer := agent.Actor("test")
		fws, _, err := c.ListFrameworks(ctx, manager, store.FrameworkFilter{})
		if err != nil || len(fws) != 1 {
			t.Fatalf("the built-in framework: %v %v", fws, err)
		}
		tree, err := c.Tree(ctx, manager, fws[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		r1, r2 := tree[1], tree[2]
		act, err := c.CreateAction(ctx, doer, sms.ActionInput{Title: "Write the incident procedure", OwnerID: agent.ID})
		if err != nil {
			t.Fatal(err)
		}
		pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 100)...)
		base := func(kind string) sms.EvidenceInput {
			return sms.EvidenceInput{Title: "Procedure", RequirementID: r1.ID, OwnerID: agent.ID, ReviewBy: future, Kind: kind}
		}

		before, _ := db.CountAudit(ctx)
		files0, _, _ := db.BlobStats(ctx)
		for _, bad := range []struct {
			what  string
			in    sms.EvidenceInput
			up    *files.Upload
			field string
		}{
			{"no title", sms.EvidenceInput{RequirementID: r1.ID, OwnerID: agent.ID, ReviewBy: future, Kind: "url", URL: "https://example.com"}, nil, "title"},
			{"no review day", sms.EvidenceInput{Title: "x", RequirementID: r1.ID, OwnerID: agent.ID, Kind: "url", URL: "https://example.com"}, nil, "review_by"},
			{"a bad review day", sms.EvidenceInput{Title: "x", RequirementID: r1.ID, OwnerID: agent.ID, ReviewBy: "31/12/2099", Kind: "url", URL: "https://example.com"}, nil, "review_by"},
			{"an unknown kind", base("link"), nil, "kind"},
			{"a javascript URL", func() sms.EvidenceInput { in := base("url"); in.URL = "javascript:alert(1)"; return in }(), nil, "url"},
			{"a file URL", func() sms.EvidenceInput { in := base("url"); in.URL = "file:///etc/passwd"; return in }(), nil, "url"},
			{"a file without one", base("file"), nil, "file"},
			{"a file over the limit", base("file"), &files.Upload{Field: "file", Name: "big.pdf", TooLarge: true}, "file"},
			{"an HTML file", base("file"), &files.Upload{Field: "file", Name: "page.html", Data: []byte("<html><script>alert(1)</script>")}, "file"},
			{"HTML named PDF", base("file"), &files.Upload{Field: "file", Name: "page.pdf", Data: []byte("<html><script>alert(1)</script>")}, "file"},
			{"a record of no kind", func() sms.EvidenceInput { in := base("record"); in.RefEntity, in.RefID = "nothing", 1; return in }(), nil, "ref_entity"},
			{"a record that does not exist", func() sms.EvidenceInput { in := base("record"); in.RefEntity, in.RefID = "action", 99999; return in }(), nil, "ref_id"},
			{"no requirement", func() sms.EvidenceInput {
				in := base("url")
				in.URL, in.RequirementID = "https://example.com", 99999
				return in
			}(), nil, "requirement_id"},
			{"an owner who cannot see evidence", func() sms.EvidenceInput {
				in := base("url")
				in.URL, in.OwnerID = "https://example.com", requester.ID
				return in
			}(), nil, "owner_id"},
		} {
			_, err := c.CreateEvidence(ctx, doer, bad.in, bad.up)
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != bad.field {
				t.Errorf("%s: %v, want a field error on %s", bad.what, err, bad.field)
			}
		}
		if _, err := c.CreateEvidence(ctx, auditor, func() sms.EvidenceInput { in := base("url"); in.URL = "https://example.com"; return in }(), nil); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an internal auditor adding evidence: %v, want forbidden", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused writes wrote %d audit entries", after-before)
		}
		if n, _, _ := db.BlobStats(ctx); n != files0 {
			t.Errorf("refused writes stored %d files", n-files0)
		}

		// One of each kind, two files of the same content.
		mk := func(in sms.EvidenceInput, up *files.Upload) sms.Evidence {
			t.Helper()
			e, err := c.CreateEvidence(ctx, doer, in, up)
			if err != nil {
				t.Fatalf("create %s: %v", in.Kind, err)
			}
			return e
		}
		owner, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: "owner@example.com", Name: "Owner", Role: access.ProcessOwner})
		if err != nil {
			t.Fatal(err)
		}
		policy, err := c.CreateDocument(ctx, owner.Actor("test"), sms.DocumentInput{Title: "Incident procedure", Type: "procedure", OwnerID: owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		doc := base("document")
		doc.RefEntity, doc.RefID = "action", act.ID
		if _, err := c.CreateEvidence(ctx, doer, doc, nil); err == nil {
			t.Error("document evidence naming an action was accepted")
		}
		doc.RefEntity, doc.RefID = sms.DocumentEntity, policy.ID
		eDoc := mk(doc, nil)
		rec := base("record")
		rec.RefEntity, rec.RefID, rec.ReviewBy = "action", act.ID, past
		eRec := mk(rec, nil)
		u := base("url")
		u.URL, u.RequirementID, u.ReviewBy = "https://intranet.example.com/sms/policy", r2.ID, past
		eURL := mk(u, nil)
		f1 := mk(base("file"), &files.Upload{Field: "file", Name: "procedure.pdf", Data: pdf})
		f2 := mk(base("file"), &files.Upload{Field: "file", Name: "copy.pdf", Data: pdf})
		if f1.FileHash != files.Hash(pdf) || f1.FileType != "application/pdf" || f2.FileName != "copy.pdf" || f1.FileHash != f2.FileHash {
			t.Errorf("files: %+v and %+v, want both named by the content's hash", f1, f2)
		}
		if n, _, _ := db.BlobStats(ctx); n != files0+1 {
			t.Errorf("the same content twice: %d files stored, want 1", n-files0)
		}
		if eDoc.RefEntity != sms.DocumentEntity || eURL.URL == "" || eRec.Kind != "record" {
			t.Errorf("made %+v, %+v, %+v", eDoc, eURL, eRec)
		}

		// The file: for those who may see the evidence, and only a file's.
		if _, data, err := c.EvidenceFile(ctx, auditor, f2.ID); err != nil || !bytes.Equal(data, pdf) {
			t.Errorf("an internal auditor reading the file: %d bytes, %v", len(data), err)
		}
		if _, _, err := c.EvidenceFile(ctx, requester.Actor("test"), f1.ID); !errs.Is(err, errs.Forbidden) && !errs.Is(err, errs.NotFound) {
			t.Errorf("a requester reading the file: %v, want refused", err)
		}
		if _, _, err := c.EvidenceFile(ctx, auditor, eURL.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("the file of a web address: %v, want not found", err)
		}

		// Counts, latest review days and the expired filter.
		states, err := c.EvidenceStates(ctx, manager, fws[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if s := states[r1.ID]; s.Items != 4 || s.Latest != future {
			t.Errorf("%s: %+v, want 4 items, latest %s", r1.Code, s, future)
		}
		if s := states[r2.ID]; s.Items != 1 || s.Latest != past || !s.Expired("2026-01-01") {
			t.Errorf("%s: %+v, want 1 expired item", r2.Code, s)
		}
		expired, _, err := c.ListEvidence(ctx, manager, store.EvidenceFilter{ExpiredOn: "2026-01-01"})
		if err != nil || len(expired) != 2 {
			t.Errorf("expired: %d, %v; want the record and the web address", len(expired), err)
		}
		files1, _, _ := c.ListEvidence(ctx, manager, store.EvidenceFilter{Kind: "file", RequirementID: r1.ID})
		if len(files1) != 2 {
			t.Errorf("files of %s: %d, want 2", r1.Code, len(files1))
		}
		forAction, _, err := c.ListEvidence(ctx, manager, store.EvidenceFilter{RefEntity: "action", RefID: act.ID})
		if err != nil || len(forAction) != 1 {
			t.Errorf("evidence naming the action: %d, %v; want 1", len(forAction), err)
		}
		forDoc, _, err := c.ListEvidence(ctx, manager, store.EvidenceFilter{RefEntity: sms.DocumentEntity, RefID: policy.ID})
		if err != nil || len(forDoc) != 1 {
			t.Errorf("evidence naming the document: %d, %v; want 1", len(forDoc), err)
		}

		// Readiness: r2 implemented with only expired evidence counts half.
		asm, err := c.CreateAssessment(ctx, manager, sms.AssessmentInput{FrameworkID: fws[0].ID, Title: "Gap analysis", StartedOn: "2026-11-01"})
		if err != nil {
			t.Fatal(err)
		}
		rs, _ := c.ResultsOf(ctx, manager, asm.ID)
		impl := "implemented"
		for _, r := range rs {
			if r.RequirementID == r1.ID || r.RequirementID == r2.ID {
				if _, err := c.UpdateResult(ctx, manager, r.ID, 0, sms.ResultUpdate{Status: &impl}); err != nil {
					t.Fatal(err)
				}
			}
		}
		rd, err := c.Readiness(ctx, manager, asm.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := len(rs)
		if rd.Implemented != 2 || rd.Expired != 1 || rd.Percent() != (2*2-1)*100/(2*n) {
			t.Errorf("readiness %+v (%d%%), want 2 implemented, 1 with expired evidence, %d%%", rd, rd.Percent(), 3*100/(2*n))
		}
		// Renewing r2's evidence makes it whole again; moving it away too.
		later := future
		if _, err := c.UpdateEvidence(ctx, doer, eURL.ID, eURL.Version, sms.EvidenceUpdate{ReviewBy: &later}, nil); err != nil {
			t.Fatal(err)
		}
		if rd, _ := c.Readiness(ctx, manager, asm.ID); rd.Expired != 0 || rd.Percent() != 2*100/n {
			t.Errorf("after review: %+v, want nothing expired", rd)
		}
		if err := c.DeleteEvidence(ctx, doer, eURL.ID, 0); err != nil {
			t.Fatal(err)
		}
		states, _ = c.EvidenceStates(ctx, manager, fws[0].ID)
		if _, ok := states[r2.ID]; ok {
			t.Errorf("%s after its only evidence went: %+v, want none", r2.Code, states[r2.ID])
		}
		// Moving evidence between requirements counts both again.
		if _, err := c.UpdateEvidence(ctx, doer, eRec.ID, 0, sms.EvidenceUpdate{RequirementID: &r2.ID}, nil); err != nil {
			t.Fatal(err)
		}
		states, _ = c.EvidenceStates(ctx, manager, fws[0].ID)
		if states[r1.ID].Items != 3 || states[r2.ID].Items != 1 || states[r2.ID].Latest != past {
			t.Errorf("after moving: %+v / %+v", states[r1.ID], states[r2.ID])
		}
		// Replacing a file; changing a file's evidence to a link drops it.
		txt := []byte("name,owner\nincident,ana\n")
		f1b, err := c.UpdateEvidence(ctx, doer, f1.ID, 0, sms.EvidenceUpdate{}, &files.Upload{Field: "file", Name: "list.csv", Data: txt})
		if err != nil || f1b.FileHash != files.Hash(txt) || !strings.HasPrefix(f1b.FileType, "text/csv") {
			t.Errorf("replace the file: %+v, %v", f1b, err)
		}
		toURL, link := "url", "https://example.com/x"
		f2b, err := c.UpdateEvidence(ctx, doer, f2.ID, 0, sms.EvidenceUpdate{Kind: &toURL, URL: &link}, nil)
		if err != nil || f2b.FileHash != "" || f2b.FileName != "" || f2b.URL != link {
			t.Errorf("a file made a link: %+v, %v", f2b, err)
		}
		hist, _, err := a.History(ctx, access.CLI, sms.EvidenceKind.Entity, f1.ID, "", 50)
		if err != nil || len(hist) != 2 {
			t.Errorf("history of a file's evidence: %d entries, %v; want create and update", len(hist), err)
		}
	})
}
