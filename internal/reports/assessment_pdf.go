package reports

import (
	"bytes"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"

	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
)

// PDF writes an assessment as a report on A4: the assessment and its
// readiness, each top-level clause's readiness with a bar, the heatmap
// (a row per clause, a box per requirement in its status's colour with
// its code and status written in it), then every result with its
// readiness, owner, notes and answers. now is the time printed on it.
func PDF(rp smsapp.Report, now time.Time) ([]byte, error) {
	a, o := rp.Assessment, rp.Scores.Overall
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetTitle(a.Title, true)
	pdf.SetSubject("Gap analysis against "+rp.Framework.Name, true)
	pdf.SetCreator("Conform", true)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	pdf.AliasNbPages("")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	number := sms.AssessmentKind.Number(a.ID)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("%s · %s · printed %s UTC", number, a.Title, now.UTC().Format("2006-01-02 15:04"))), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	width, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	body := width - left - right

	heading := func(size float64, text string) {
		pdf.SetFont("Helvetica", "B", size)
		pdf.MultiCell(0, size*0.5, tr(text), "", "L", false)
		pdf.Ln(1)
	}
	text := func(style string, size float64, s string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.MultiCell(0, size*0.45, tr(s), "", "L", false)
	}
	bar := func(x, y, w float64, t sms.Readiness) {
		pdf.SetFillColor(230, 233, 238)
		pdf.Rect(x, y, w, 2.5, "F")
		pdf.SetFillColor(32, 107, 196)
		pdf.Rect(x, y, w*float64(t.Percent())/100, 2.5, "F")
	}

	heading(16, a.Title)
	text("", 10, fmt.Sprintf("%s · %s · started %s · %s", number, rp.Framework.Name, a.StartedOn, label(sms.AssessmentStates, a.State)))
	pdf.Ln(3)
	heading(12, fmt.Sprintf("Readiness %d %%", o.Percent()))
	bar(left, pdf.GetY(), body, o)
	pdf.Ln(5)
	text("", 10, fmt.Sprintf("%d of %d applicable requirements implemented, %d partly, %d not started; %d not applicable.",
		o.Implemented, o.Applicable(), o.Partial, o.NotStarted, o.NotApplicable))
	text("I", 8, Formula)
	if a.Notes != "" {
		pdf.Ln(2)
		text("", 9, a.Notes)
	}
	pdf.Ln(4)

	heading(12, "Readiness by clause")
	for _, c := range rp.Scores.Clauses {
		pdf.SetFont("Helvetica", "", 9)
		y := pdf.GetY()
		pdf.CellFormat(body*0.55, 6, tr(c.Requirement.Label()), "", 0, "L", false, 0, "")
		pdf.CellFormat(18, 6, percent(c.Readiness), "", 0, "R", false, 0, "")
		bar(left+body*0.55+22, y+1.8, body*0.45-22, c.Readiness)
		pdf.Ln(6)
	}
	pdf.Ln(4)

	heading(12, "Heatmap")
	text("", 8, "Each box names a requirement and its status; its colour is the status's: green implemented, blue partly, yellow not started, grey not applicable.")
	pdf.Ln(2)
	const boxW, boxH, gap = 19.5, 9.0, 1.0
	perLine := int((body - 30) / (boxW + gap))
	byClause := map[string][]row{}
	for _, r := range rows(rp) {
		top := sms.TopClause(r.req.Code)
		byClause[top] = append(byClause[top], r)
	}
	for _, c := range rp.Scores.Clauses {
		items := byClause[c.Requirement.Code]
		lines := (len(items) + perLine - 1) / perLine
		if pdf.GetY()+float64(lines)*(boxH+gap)+4 > 282 {
			pdf.AddPage()
		}
		y0 := pdf.GetY()
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetXY(left, y0)
		pdf.MultiCell(28, 4, tr(fmt.Sprintf("%s\n%s", c.Requirement.Code, percent(c.Readiness))), "", "L", false)
		for i, r := range items {
			x := left + 30 + float64(i%perLine)*(boxW+gap)
			y := y0 + float64(i/perLine)*(boxH+gap)
			col := statusColours[r.res.Status]
			pdf.SetFillColor(col.r, col.g, col.b)
			pdf.Rect(x, y, boxW, boxH, "F")
			pdf.SetXY(x+1, y+0.8)
			pdf.SetFont("Courier", "B", 8)
			pdf.CellFormat(boxW-2, 3.6, r.req.Code, "", 2, "L", false, 0, "")
			pdf.SetX(x + 1)
			pdf.SetFont("Helvetica", "", 6.5)
			pdf.CellFormat(boxW-2, 3.6, tr(shortStatus(r.res.Status)), "", 0, "L", false, 0, "")
		}
		pdf.SetXY(left, y0+float64(max(lines, 1))*(boxH+gap)+2)
	}

	pdf.AddPage()
	heading(14, "Results")
	for _, r := range rows(rp) {
		if pdf.GetY() > 255 {
			pdf.AddPage()
		}
		col := statusColours[r.res.Status]
		pdf.SetFillColor(col.r, col.g, col.b)
		pdf.SetFont("Helvetica", "B", 10)
		pdf.MultiCell(0, 6, tr(r.req.Label()), "", "L", true)
		owner := r.owner
		if owner == "" {
			owner = "no one yet"
		}
		text("", 9, fmt.Sprintf("%s · maturity %s · readiness %s · owner %s", statusLabel(r.res.Status), maturityLabel(r.res.Maturity), percent(r.readiness), owner))
		if r.res.Justification != "" {
			text("", 9, "Not applicable because: "+r.res.Justification)
		}
		if r.res.Notes != "" {
			text("", 9, "Notes: "+r.res.Notes)
		}
		for n, q := range r.questions {
			ar := r.res.Answers.For(n+1, q)
			line := fmt.Sprintf("%d. %s — %s", n+1, q, replyLabel(ar.Reply))
			if ar.Note != "" {
				line += ": " + ar.Note
			}
			pdf.SetX(left + 4)
			pdf.SetFont("Helvetica", "", 8.5)
			pdf.MultiCell(body-4, 4, tr(line), "", "L", false)
		}
		pdf.Ln(3)
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("write the report of %s: %w", number, err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write the report of %s: %w", number, err)
	}
	return buf.Bytes(), nil
}

func label(codes []sms.Code, code string) string {
	for _, c := range codes {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

func shortStatus(s string) string {
	return map[string]string{"not_started": "Not started", "partial": "Partly", "implemented": "Implemented", sms.NotApplicable: "N/A"}[s]
}
