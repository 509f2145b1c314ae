package reports

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/conform-itsm/conform/internal/assurance"
)

// MinutesPDF writes a management review's minutes on A4: the review, who
// chaired and attended (names given), the minutes, the decisions, the
// output actions (lines given) and the frozen input pack's sections with
// its SHA-256. now is the time printed on it.
func MinutesPDF(r assurance.ManagementReview, chair string, attendees, actions []string, now time.Time) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetTitle("Minutes: "+r.Title, true)
	pdf.SetCreator("Conform", true)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	pdf.AliasNbPages("")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	number := assurance.ManagementReviewKind.Number(r.ID)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("%s · %s · printed %s UTC", number, r.Title, now.UTC().Format("2006-01-02 15:04"))), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	heading := func(size float64, text string) {
		pdf.SetFont("Helvetica", "B", size)
		pdf.MultiCell(0, size*0.5, tr(text), "", "L", false)
		pdf.Ln(1)
	}
	text := func(style string, size float64, s string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.MultiCell(0, size*0.45, tr(s), "", "L", false)
	}
	heading(16, "Minutes: "+r.Title)
	state := "held on " + r.HeldOn
	if r.State == "approved" {
		state += ", minutes approved on " + r.ApprovedOn
	}
	text("", 10, fmt.Sprintf("%s · planned for %s · %s", number, r.PlannedOn, state))
	text("", 10, "Chair: "+chair)
	text("", 10, "Attendees: "+orDash(strings.Join(attendees, ", ")))
	pdf.Ln(3)
	heading(12, "Minutes")
	text("", 10, orDash(r.Minutes))
	pdf.Ln(3)
	heading(12, "Decisions")
	if len(r.Decisions) == 0 {
		text("", 10, "None recorded.")
	}
	for i, d := range r.Decisions {
		text("", 10, fmt.Sprintf("%d. %s", i+1, d))
	}
	pdf.Ln(3)
	heading(12, "Output actions")
	if len(actions) == 0 {
		text("", 10, "None recorded.")
	}
	for _, a := range actions {
		text("", 10, "• "+a)
	}
	pdf.Ln(3)
	pack, err := assurance.DecodePack(r.Pack)
	if err != nil {
		return nil, err
	}
	heading(12, "Input pack")
	text("I", 9, fmt.Sprintf("Assembled on %s, frozen when the review was held. SHA-256 %s", pack.AssembledOn, orDash(r.PackHash)))
	for _, s := range pack.Sections {
		pdf.Ln(2)
		heading(10, s.Input+". "+s.Title)
		text("I", 8, s.Query)
		if s.Empty != "" && len(s.Rows) == 0 {
			text("", 9, s.Empty)
		}
		var facts []string
		for _, f := range s.Facts {
			facts = append(facts, f.Label+": "+f.Value)
		}
		if len(facts) > 0 {
			text("", 9, strings.Join(facts, " · "))
		}
		for _, row := range s.Rows {
			text("", 9, fmt.Sprintf("%s %s: %s", row.Number, row.Name, row.Detail))
		}
	}
	var buf bytes.Buffer
	err = pdf.Output(&buf)
	return buf.Bytes(), err
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
