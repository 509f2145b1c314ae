package reports_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/sms"
)

// fullReport is an assessment of the whole built-in framework, with a
// mix of statuses, an owner for some results, notes, and every question
// answered: the largest an assessment of it gets.
func fullReport(tb testing.TB) smsapp.Report {
	tb.Helper()
	doc, err := sms.BuiltIn()
	if err != nil {
		tb.Fatal(err)
	}
	rp := smsapp.Report{
		Assessment:   sms.Assessment{Meta: record.Meta{ID: 7}, Title: "Gap analysis, spring 2027 — “before stage 1”", StartedOn: "2027-03-01", State: "open", Notes: "Worked with the process owners."},
		Framework:    sms.Framework{Name: doc.Name, Code: doc.Code},
		Requirements: map[int64]sms.Requirement{},
		Owners:       map[int64]string{42: "Jordan Lee"},
	}
	ids := map[string]int64{}
	statuses := []string{"implemented", "partial", "not_started", "partial", "implemented"}
	owner := int64(42)
	doc.Walk(func(c sms.DocClause, parent string) {
		id := int64(len(rp.Tree) + 1)
		ids[c.Code] = id
		q := sms.Requirement{Meta: record.Meta{ID: id}, Code: c.Code, Title: c.Title, Position: id, Guidance: c.Guidance()}
		if parent != "" {
			p := ids[parent]
			q.ParentID = &p
		}
		rp.Tree = append(rp.Tree, q)
		rp.Requirements[id] = q
		r := sms.Result{Meta: record.Meta{ID: 1000 + id}, RequirementID: id, Status: statuses[int(id)%len(statuses)], Maturity: id % 6, Notes: "Notes on " + c.Code}
		if id%3 == 0 {
			r.OwnerID = &owner
		}
		for n, text := range c.Questions {
			r.Answers = append(r.Answers, sms.Answer{N: n + 1, Question: text, Reply: sms.Replies[n%3].Code, Note: fmt.Sprintf("Note %d on %s", n+1, c.Code)})
		}
		rp.Results = append(rp.Results, r)
	})
	rp.Scores = sms.Score(rp.Tree, rp.Results)
	return rp
}

// The spreadsheet: its sheets, the summary's readiness, each clause's, a
// heatmap cell naming its requirement and status in its colour, every
// result with its answers, and a row per question.
func TestXLSX(t *testing.T) {
	rp := fullReport(t)
	out, err := reports.XLSX(rp)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the file does not open as a workbook: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "Summary,Heatmap,Results,Answers" {
		t.Errorf("sheets %v", got)
	}
	cell := func(sheet, at string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, at)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	overall := rp.Scores.Overall.Percent()
	if got := cell("Summary", "A1"); got != rp.Assessment.Title {
		t.Errorf("title %q", got)
	}
	if got := cell("Summary", "B7"); got != fmt.Sprintf("%d%%", overall) {
		t.Errorf("readiness %q, want %d%%", got, overall)
	}
	if got, want := cell("Summary", "A16"), "4"; got != want || cell("Summary", "C16") != fmt.Sprintf("%d%%", rp.Scores.Clauses[0].Readiness.Percent()) {
		t.Errorf("clause 4's line: %q %q", got, cell("Summary", "C16"))
	}
	// Heatmap: clause 8 is the fifth row (from row 4); its first cell is 8.
	row := 4 + 4
	if got := cell("Heatmap", fmt.Sprintf("A%d", row)); !strings.HasPrefix(got, "8 ") {
		t.Fatalf("heatmap row %d: %q, want clause 8", row, got)
	}
	var r861 sms.Result
	for col := 3; col < 60; col++ {
		at, _ := excelize.CoordinatesToCellName(col, row)
		v := cell("Heatmap", at)
		if !strings.HasPrefix(v, "8.6.1\n") {
			continue
		}
		for _, r := range rp.Results {
			if rp.Requirements[r.RequirementID].Code == "8.6.1" {
				r861 = r
			}
		}
		want := map[string]string{"implemented": "Implemented", "partial": "Partly implemented", "not_started": "Not started"}[r861.Status]
		if v != "8.6.1\n"+want {
			t.Errorf("heatmap cell of 8.6.1: %q, want its status %q", v, want)
		}
		style, _ := f.GetCellStyle("Heatmap", at)
		s, err := f.GetStyle(style)
		if err != nil || len(s.Fill.Color) == 0 || s.Fill.Color[0] == "" {
			t.Errorf("the heatmap cell of 8.6.1 is not filled: %+v %v", s, err)
		}
	}
	if r861.ID == 0 {
		t.Fatal("the heatmap has no cell for 8.6.1")
	}
	rows, err := f.GetRows("Results")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(rp.Results) {
		t.Errorf("%d result rows, want %d", len(rows)-1, len(rp.Results))
	}
	q := rp.Requirements[r861.RequirementID].QuestionList()
	for _, r := range rows[1:] {
		if r[0] != "8.6.1" {
			continue
		}
		if !strings.Contains(r[9], "1. "+q[0]+": Yes (Note 1 on 8.6.1)") || r[6] != fmt.Sprintf("%d of %d", len(q), len(q)) || r[7] != "Notes on 8.6.1" {
			t.Errorf("the result row of 8.6.1: %q", r)
		}
	}
	answers, _ := f.GetRows("Answers")
	n := 0
	for _, x := range rp.Tree {
		n += len(x.QuestionList())
	}
	if len(answers) != 1+n {
		t.Errorf("%d answer rows, want one per question, %d", len(answers)-1, n)
	}
}

// The PDF: a PDF document with pages, the heatmap and every result
// written in it (fpdf compresses page content, so this checks it
// uncompressed).
func TestPDF(t *testing.T) {
	rp := fullReport(t)
	out, err := reports.PDF(rp, time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) || !bytes.Contains(out[len(out)-32:], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q … %q", out[:16], out[len(out)-16:])
	}
	pages := regexp.MustCompile(`/Type /Pages\n/Kids \[[^\]]*\]\n/Count (\d+)`).FindSubmatch(out)
	if pages == nil {
		t.Fatal("the PDF has no page tree")
	}
	if n, _ := strconv.Atoi(string(pages[1])); n < 3 {
		t.Errorf("%d pages, want at least 3 (summary and heatmap, results)", n)
	}
	if !bytes.Contains(out, []byte("/Title (")) {
		t.Error("the PDF has no title")
	}
}

func TestFileName(t *testing.T) {
	a := sms.Assessment{Meta: record.Meta{ID: 3}, Title: "Gap analysis, spring 2027 / “final”"}
	if got := reports.FileName(a, "xlsx"); got != "ASM-000003-Gap-analysis--spring-2027--final.xlsx" {
		t.Errorf("got %q", got)
	}
	if got := reports.FileName(sms.Assessment{Meta: record.Meta{ID: 3}, Title: "„“"}, "pdf"); got != "ASM-000003.pdf" {
		t.Errorf("got %q", got)
	}
}

// TestWriteSamples writes the files of a full assessment to
// CONFORM_REPORT_DIR, for people to look at; without it, nothing.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("CONFORM_REPORT_DIR")
	if dir == "" {
		t.Skip("CONFORM_REPORT_DIR not set")
	}
	rp := fullReport(t)
	x, err := reports.XLSX(rp)
	if err != nil {
		t.Fatal(err)
	}
	p, err := reports.PDF(rp, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"assessment.xlsx": x, "assessment.pdf": p} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
