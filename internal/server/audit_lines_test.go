package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// An auditor works a checklist one line at a time: the checklist links
// each line to its page; the page says where the line is, leads to the
// lines before and after and to the next one unanswered; an answer given
// there is saved and leads on; a bad answer is shown again with the
// reason; the findings raised from the line are listed on it; a reader
// sees the line without the form; the API reads and answers one line.
func TestChecklistLinePages(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := t.Context()
	c := f.areas.Assurance
	auditor := f.users[access.InternalAuditor]
	actor := auditor.Actor("test")
	reqs, err := c.Requirements(ctx, access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	clause := map[string]int64{}
	for _, r := range reqs {
		clause[r.Code] = r.ID
	}
	a, err := c.CreateAudit(ctx, actor, assurance.AuditInput{Title: "Context", RequirementIDs: []int64{clause["4.1"], clause["4.2"], clause["4.3"]},
		PlannedStart: "2027-02-01", PlannedEnd: "2027-02-02"})
	if err != nil {
		t.Fatal(err)
	}
	st := "in_progress"
	if a, err = c.UpdateAudit(ctx, actor, a.ID, 0, assurance.AuditUpdate{State: &st}); err != nil {
		t.Fatal(err)
	}
	lines, err := c.Checklist(ctx, actor, a.ID)
	if err != nil || len(lines) != 3 {
		t.Fatalf("checklist: %d lines (%v), want 3", len(lines), err)
	}
	href := func(i int) string { return fmt.Sprintf("/checklist-items/%d", lines[i].ID) }

	b := newBrowser(t, f)
	b.login("internal_auditor@example.com", "correct horse battery")
	_, page := b.get(fmt.Sprintf("/audits/%d/checklist", a.ID))
	for i := range lines {
		if !strings.Contains(page, `href="`+href(i)+`"`) {
			t.Errorf("the checklist does not link line %d to %s", i+1, href(i))
		}
	}
	r, page := b.get(href(1))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("line 2: %d", r.StatusCode)
	}
	for _, want := range []string{`id="line-position">Line 2 of 3<`, `href="` + href(0) + `" rel="prev"`, `href="` + href(2) + `" rel="next"`,
		`href="` + href(2) + `" id="next-unanswered"`, `id="save-next"`, ">4.2<"} {
		if !strings.Contains(page, want) {
			t.Errorf("line 2's page lacks %s", want)
		}
	}
	token := csrfField.FindStringSubmatch(page)[1]

	// A bad answer: shown again with the reason and what was given.
	r, page = b.post(href(1), url.Values{"_csrf": {token}, "version": {"1"}, "result": {"minor_nc"}, "notes": {"Interested parties not listed"}, "sampled": {"nothing-here"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `role="alert"`) || !strings.Contains(page, "Interested parties not listed") {
		t.Errorf("a bad sampled record: %d, want 422 with the reason and the notes kept", r.StatusCode)
	}
	if it, _ := c.GetChecklistItem(ctx, actor, lines[1].ID); it.Result != "" {
		t.Errorf("after a refused answer the line is %q, want unanswered", it.Result)
	}
	// Saved, and on to the next unanswered line.
	r, _ = b.post(href(1), url.Values{"_csrf": {token}, "version": {"1"}, "result": {"minor_nc"}, "notes": {"Interested parties not listed"}, "sampled": {""}, "then": {"next"}})
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != href(2)+"?done=saved" {
		t.Errorf("save and next: %d to %q, want 303 to %s", r.StatusCode, loc, href(2))
	}
	if it, err := c.GetChecklistItem(ctx, actor, lines[1].ID); err != nil || it.Result != "minor_nc" || it.Notes != "Interested parties not listed" {
		t.Errorf("line 2 after saving: %+v (%v)", it, err)
	}
	// The last line: the next unanswered goes round to the first.
	_, page = b.get(href(2))
	if !strings.Contains(page, `href="`+href(0)+`" id="next-unanswered"`) || strings.Contains(page, `rel="next"`) {
		t.Errorf("line 3's page: want the next unanswered to be line 1 and no next line")
	}
	// Saving and staying: back on the line, saved.
	r, _ = b.post(href(2), url.Values{"_csrf": {token}, "version": {"1"}, "result": {"conforming"}, "then": {"stay"}})
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != href(2)+"?done=saved" {
		t.Errorf("save: %d to %q, want 303 back to the line", r.StatusCode, loc)
	}
	// The line's findings, and the way to raise one.
	fnd, err := c.CreateFinding(ctx, actor, assurance.FindingInput{AuditID: a.ID, RequirementID: clause["4.2"], Type: "minor_nc",
		Statement: "The interested parties are not determined.", ItemID: &lines[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	_, page = b.get(href(1))
	if !strings.Contains(page, assurance.FindingKind.Number(fnd.ID)) || !strings.Contains(page, fmt.Sprintf("item_id=%d", lines[1].ID)) {
		t.Errorf("line 2's page: want its finding %s and the way to raise another", assurance.FindingKind.Number(fnd.ID))
	}
	_, page = b.get(href(0))
	if strings.Contains(page, `id="next-unanswered"`) {
		t.Errorf("line 1's page offers a next unanswered line, but every other line is answered")
	}

	// A reader sees the line, not the form's buttons.
	rb := newBrowser(t, f)
	rb.login("agent@example.com", "correct horse battery")
	if r, page := rb.get(href(0)); r.StatusCode != http.StatusOK || strings.Contains(page, `id="save-next"`) {
		t.Errorf("an agent on a line: %d, want it read-only", r.StatusCode)
	}

	// The API reads and answers one line, at its version.
	var etag string
	path := fmt.Sprintf("/api/v1/checklist-items/%d", lines[0].ID)
	for _, s := range []scenario{
		{name: "read a line", role: access.Agent, method: "GET", path: path, status: 200,
			check: func(t *testing.T, m map[string]any, resp *http.Response) {
				etag = resp.Header.Get("ETag")
				if m["audit_id"] != float64(a.ID) || m["result"] != "" || etag == "" {
					t.Errorf("line: %v, ETag %q", m, etag)
				}
			}},
		{name: "a reader may not answer", role: access.Agent, method: "PATCH", path: path, status: 403, body: `{"result":"conforming"}`},
		{name: "answer a line", role: access.InternalAuditor, method: "PATCH", path: path, status: 200, newAudits: 1, body: `{"result":"ofi","notes":"Could say more"}`,
			check: func(t *testing.T, m map[string]any, _ *http.Response) {
				if m["result"] != "ofi" || m["notes"] != "Could say more" {
					t.Errorf("answered line: %v", m)
				}
			}},
	} {
		t.Run(s.name, func(t *testing.T) { f.run(t, s) })
	}
	f.run(t, scenario{name: "answer at a stale version", role: access.InternalAuditor, method: "PATCH", path: path, status: 412,
		header: map[string]string{"If-Match": etag}, body: `{"result":"conforming"}`})
}

// The audit's page links its certification body; the body's page lists
// the audits it runs.
func TestAuditBodyPages(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := t.Context()
	c := f.areas.Assurance
	actor := f.users[access.SMSManager].Actor("test")
	reqs, err := c.Requirements(ctx, access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	body, err := c.CreateCertificationBody(ctx, actor, assurance.BodyInput{Name: "Certa Assurance"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.CreateAudit(ctx, actor, assurance.AuditInput{Type: "stage1", Title: "Stage 1 review", BodyID: &body.ID, RequirementIDs: []int64{reqs[0].ID},
		PlannedStart: "2027-03-01", PlannedEnd: "2027-03-02"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	if _, page := b.get(fmt.Sprintf("/audits/%d", a.ID)); !strings.Contains(page, fmt.Sprintf(`href="/certification-bodies/%d"`, body.ID)) {
		t.Errorf("the audit's page does not link its body")
	}
	if _, page := b.get(fmt.Sprintf("/certification-bodies/%d", body.ID)); !strings.Contains(page, fmt.Sprintf(`href="/audits/%d"`, a.ID)) {
		t.Errorf("the body's page does not list its audit")
	}
	b = newBrowser(t, f)
	b.login("sms_manager@example.com", "correct horse battery")
	if _, page := b.get(fmt.Sprintf("/audits/%d/edit", a.ID)); !strings.Contains(page, fmt.Sprintf(`<option value="%d" selected`, body.ID)) {
		t.Errorf("the audit's form does not offer its body, chosen")
	}
}

// Assurance pages show days in the reader's language (German here:
// 01.02.2027), while a form's date fields keep the ISO day the browser
// needs.
func TestAssuranceDaysInTheReadersLanguage(t *testing.T) {
	f := newFixtureOpts(t, storetest.Open(t, storetest.SQLite), fixtureOpts{cfg: server.Config{Language: "de", TimeZone: "Europe/Berlin"}})
	ctx := t.Context()
	c := f.areas.Assurance
	actor := f.users[access.SMSManager].Actor("test")
	reqs, err := c.Requirements(ctx, access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := c.CreateProgramme(ctx, actor, assurance.ProgrammeInput{Title: "Cycle", StartOn: "2027-01-01", EndOn: "2029-12-31", OwnerID: f.users[access.SMSManager].ID})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.CreateAudit(ctx, actor, assurance.AuditInput{ProgrammeID: &prog.ID, Title: "Context", RequirementIDs: []int64{reqs[0].ID},
		PlannedStart: "2027-02-01", PlannedEnd: "2027-02-02"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("sms_manager@example.com", "correct horse battery")
	for _, c := range []struct{ path, want, not string }{
		{fmt.Sprintf("/audits/%d", a.ID), "01.02.2027 – 02.02.2027", "2027-02-01"},
		{fmt.Sprintf("/audits/%d/report", a.ID), "01.02.2027 – 02.02.2027", "2027-02-01"},
		{fmt.Sprintf("/audit-programmes/%d", prog.ID), "01.01.2027 – 31.12.2029", "2027-01-01 –"},
		{fmt.Sprintf("/audit-programmes/%d/coverage", prog.ID), "01.02.2027", "2027-02-01"},
		{fmt.Sprintf("/audits/%d/edit", a.ID), `value="2027-02-01"`, "01.02.2027"},
	} {
		r, page := b.get(c.path)
		if r.StatusCode != http.StatusOK || !strings.Contains(page, c.want) || strings.Contains(page, c.not) {
			t.Errorf("%s: %d, want %q and not %q", c.path, r.StatusCode, c.want, c.not)
		}
	}
}
