package reports

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/conform-itsm/conform/internal/assurance"
)

// AuditPDF writes an audit report on A4: what was audited against what,
// by whom and when, the summary, the results of the checklist, the
// findings by clause and the conclusion. sum, for an issued report, is
// its SHA-256, printed on every page; now is the time printed on it.
func AuditPDF(r assurance.Report, sum string, now time.Time) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetTitle(r.Title, true)
	pdf.SetSubject("Audit report "+r.Number, true)
	pdf.SetCreator("Conform", true)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	state := "Draft, not issued"
	if sum != "" {
		state = "Issued " + r.IssuedOn + " · SHA-256 " + sum
	}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("Helvetica", "", 7)
		pdf.SetTextColor(90, 90, 90)
		pdf.MultiCell(0, 3.5, tr(fmt.Sprintf("%s · %s\n%s · printed %s UTC · page %d of {nb}", r.Number, state, r.Title, now.UTC().Format("2006-01-02 15:04"), pdf.PageNo())), "", "L", false)
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	heading := func(size float64, text string) {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", size)
		pdf.MultiCell(0, size*0.5, tr(text), "", "L", false)
		pdf.Ln(1)
	}
	text := func(style string, s string) {
		pdf.SetFont("Helvetica", style, 9.5)
		pdf.MultiCell(0, 4.6, tr(s), "", "L", false)
	}
	field := func(label, value string) {
		if value == "" {
			value = "—"
		}
		pdf.SetFont("Helvetica", "B", 9.5)
		pdf.CellFormat(40, 4.6, tr(label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9.5)
		pdf.MultiCell(0, 4.6, tr(value), "", "L", false)
	}
	heading(16, "Audit report: "+r.Title)
	text("", r.Number+" · "+state)
	heading(12, "The audit")
	kind := r.Origin + " · " + r.Type
	if r.Body != "" {
		kind += " · " + r.Body
	}
	field("Type", kind)
	field("Programme", r.Programme)
	field("Planned", r.Planned)
	field("Held", r.Held)
	field("Scope", strings.Join(r.Scope, "\n"))
	field("Processes", strings.Join(r.Processes, ", "))
	field("Services", strings.Join(r.Services, ", "))
	field("Criteria", r.Criteria)
	field("Lead auditor", r.Lead)
	field("Audit team", strings.Join(r.Team, ", "))
	heading(12, "Summary")
	text("", or(r.Summary, "No summary written."))
	heading(12, "Checklist results")
	keys := make([]string, 0, len(r.Results))
	for k := range r.Results {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		label := assurance.LabelOf(assurance.Results, k)
		if k == "not_answered" {
			label = "Not answered"
		}
		field(label, fmt.Sprint(r.Results[k]))
	}
	heading(12, "Findings by clause")
	if len(r.Clauses) == 0 {
		text("", "No findings.")
	}
	for _, c := range r.Clauses {
		pdf.SetFont("Helvetica", "B", 10.5)
		pdf.SetFillColor(236, 240, 245)
		pdf.MultiCell(0, 6, tr("Clause "+c.Clause), "", "L", true)
		for _, f := range c.Findings {
			pdf.Ln(1)
			text("B", f.Number+" · "+f.Type+" · "+f.Requirement)
			text("", f.Statement)
			if len(f.Records) > 0 {
				text("I", "Shown by: "+strings.Join(f.Records, ", "))
			}
			if f.Owner != "" {
				text("I", "Auditee: "+f.Owner)
			}
		}
		pdf.Ln(1)
	}
	heading(12, "Conclusion")
	text("", or(r.Conclusion, "No conclusion written."))
	if r.IssuedBy != "" {
		pdf.Ln(2)
		text("I", "Issued by "+r.IssuedBy+" on "+r.IssuedOn+".")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
