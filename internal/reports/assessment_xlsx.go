package reports

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
)

// XLSX writes an assessment as a workbook of four sheets: Summary (the
// assessment, its readiness and each top-level clause's), Heatmap (a row
// per clause, a cell per requirement filled in its status's colour and
// naming its status), Results (every result with its readiness, owner,
// notes and answers) and Answers (a row per question).
func XLSX(rp smsapp.Report) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsx{f: f}
	bold := x.style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	title := x.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	wrap := x.style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	fills := map[string]int{}
	for st, c := range statusColours {
		fills[st] = x.style(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.hex()}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Border: []excelize.Border{{Type: "left", Color: "FFFFFF", Style: 2}, {Type: "right", Color: "FFFFFF", Style: 2}}})
	}

	a, o := rp.Assessment, rp.Scores.Overall
	const sum = "Summary"
	x.rename("Sheet1", sum)
	x.put(sum, 1, title, a.Title)
	for i, kv := range [][2]any{
		{"Number", sms.AssessmentKind.Number(a.ID)}, {"Framework", rp.Framework.Name}, {"Started on", a.StartedOn}, {"State", a.State},
		{"Readiness", float64(o.Percent()) / 100}, {"Implemented", o.Implemented}, {"Partly implemented", o.Partial}, {"Not started", o.NotStarted},
		{"Not applicable", o.NotApplicable}, {"How readiness is counted", Formula}, {"Notes", a.Notes},
	} {
		x.put(sum, 3+i, bold, kv[0])
		x.set(sum, 2, 3+i, kv[1])
	}
	pct := x.style(&excelize.Style{NumFmt: 9})
	x.styleCell(sum, 2, 7, pct)
	head := 3 + 11 + 1
	x.row(sum, head, bold, "Clause", "Title", "Readiness", "Implemented", "Partly implemented", "Not started", "Not applicable")
	for i, c := range rp.Scores.Clauses {
		t := c.Readiness
		x.row(sum, head+1+i, 0, c.Requirement.Code, c.Requirement.Title, float64(t.Percent())/100, t.Implemented, t.Partial, t.NotStarted, t.NotApplicable)
		x.styleCell(sum, 3, head+1+i, pct)
	}
	x.widths(sum, 22, 60, 12, 12, 18, 12, 14)
	x.styleRange(sum, "B12", "B13", wrap)

	const heat = "Heatmap"
	x.sheet(heat)
	x.put(heat, 1, title, "Requirements by clause and status")
	x.row(heat, 2, 0, "Each cell names a requirement and its status; its colour is the status's: green implemented, blue partly, yellow not started, grey not applicable.")
	line := map[string]int{}
	for i, c := range rp.Scores.Clauses {
		line[c.Requirement.Code] = 4 + i
		x.row(heat, 4+i, bold, c.Requirement.Label(), float64(c.Readiness.Percent())/100)
		x.styleCell(heat, 2, 4+i, pct)
	}
	col := map[string]int{}
	maxCol := 2
	for _, r := range rows(rp) {
		top := sms.TopClause(r.req.Code)
		ln, ok := line[top]
		if !ok {
			continue
		}
		if col[top] == 0 {
			col[top] = 3
		}
		c := col[top]
		col[top]++
		x.set(heat, c, ln, r.req.Code+"\n"+statusLabel(r.res.Status))
		x.styleCell(heat, c, ln, fills[r.res.Status])
		maxCol = max(maxCol, c)
	}
	x.widths(heat, 34, 11)
	if maxCol >= 3 {
		first, _ := excelize.ColumnNumberToName(3)
		last, _ := excelize.ColumnNumberToName(maxCol)
		x.err = firstErr(x.err, f.SetColWidth(heat, first, last, 13))
	}

	const res = "Results"
	x.sheet(res)
	x.row(res, 1, bold, "Clause", "Requirement", "Status", "Maturity", "Readiness", "Owner", "Questions answered", "Notes", "Justification", "Answers")
	const ans = "Answers"
	x.sheet(ans)
	x.row(ans, 1, bold, "Clause", "Requirement", "Question", "Asked", "Reply", "Note")
	an := 2
	for i, r := range rows(rp) {
		var answers []string
		for n, q := range r.questions {
			ar := r.res.Answers.For(n+1, q)
			text := fmt.Sprintf("%d. %s: %s", n+1, q, replyLabel(ar.Reply))
			if ar.Note != "" {
				text += " (" + ar.Note + ")"
			}
			answers = append(answers, text)
			x.row(ans, an, 0, r.req.Code, r.req.Title, n+1, q, replyLabel(ar.Reply), ar.Note)
			an++
		}
		x.row(res, 2+i, 0, r.req.Code, r.req.Title, statusLabel(r.res.Status), maturityLabel(r.res.Maturity), float64(r.readiness.Percent())/100,
			r.owner, fmt.Sprintf("%d of %d", r.res.Answers.Replied(r.questions), len(r.questions)), r.res.Notes, r.res.Justification, joinLines(answers))
		x.styleCell(res, 3, 2+i, fills[r.res.Status])
		x.styleCell(res, 5, 2+i, pct)
	}
	x.widths(res, 9, 44, 20, 18, 11, 20, 12, 50, 30, 80)
	x.styleRange(res, "H2", fmt.Sprintf("J%d", len(rp.Results)+1), wrap)
	x.widths(ans, 9, 40, 9, 70, 14, 50)
	x.styleRange(ans, "D2", fmt.Sprintf("F%d", an), wrap)
	for _, s := range []string{res, ans} {
		x.err = firstErr(x.err, f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
		x.err = firstErr(x.err, f.AutoFilter(s, "A1:"+map[string]string{res: "J1", ans: "F1"}[s], nil))
	}
	f.SetActiveSheet(0)
	if x.err != nil {
		return nil, fmt.Errorf("write the spreadsheet of %s: %w", sms.AssessmentKind.Number(a.ID), x.err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write the spreadsheet of %s: %w", sms.AssessmentKind.Number(a.ID), err)
	}
	return buf.Bytes(), nil
}

// xlsx writes cells, keeping the first error.
type xlsx struct {
	f   *excelize.File
	err error
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func (x *xlsx) style(s *excelize.Style) int {
	id, err := x.f.NewStyle(s)
	x.err = firstErr(x.err, err)
	return id
}

func (x *xlsx) rename(from, to string) { x.err = firstErr(x.err, x.f.SetSheetName(from, to)) }

func (x *xlsx) sheet(name string) {
	_, err := x.f.NewSheet(name)
	x.err = firstErr(x.err, err)
}

func (x *xlsx) cell(col, row int) string {
	c, err := excelize.CoordinatesToCellName(col, row)
	x.err = firstErr(x.err, err)
	return c
}

func (x *xlsx) set(sheet string, col, row int, v any) {
	x.err = firstErr(x.err, x.f.SetCellValue(sheet, x.cell(col, row), v))
}

func (x *xlsx) styleCell(sheet string, col, row, style int) {
	c := x.cell(col, row)
	x.err = firstErr(x.err, x.f.SetCellStyle(sheet, c, c, style))
}

func (x *xlsx) styleRange(sheet, from, to string, style int) {
	x.err = firstErr(x.err, x.f.SetCellStyle(sheet, from, to, style))
}

// put writes one value in column A of row, in style (0: none).
func (x *xlsx) put(sheet string, row, style int, v any) {
	x.set(sheet, 1, row, v)
	if style != 0 {
		x.styleCell(sheet, 1, row, style)
	}
}

// row writes values from column A, all in style (0: none).
func (x *xlsx) row(sheet string, row, style int, vs ...any) {
	x.err = firstErr(x.err, x.f.SetSheetRow(sheet, x.cell(1, row), &vs))
	if style != 0 && len(vs) > 0 {
		x.styleRange(sheet, x.cell(1, row), x.cell(len(vs), row), style)
	}
}

func (x *xlsx) widths(sheet string, ws ...float64) {
	for i, w := range ws {
		name, err := excelize.ColumnNumberToName(i + 1)
		x.err = firstErr(x.err, err)
		x.err = firstErr(x.err, x.f.SetColWidth(sheet, name, name, w))
	}
}

func joinLines(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += "\n"
		}
		out += s
	}
	return out
}
