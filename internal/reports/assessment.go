// Package reports writes the files people download: an assessment as a
// spreadsheet (XLSX, with excelize) and as a report (PDF, with fpdf),
// each with its readiness at every level, the heatmap of its clause tree
// and every result with its answers. The texts are English; the data
// (titles, notes, answers) is as entered.
package reports

import (
	"fmt"
	"strings"

	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/sms"
)

// Formula says how readiness is counted, as docs/assessments.md does.
const Formula = "Readiness = (implemented + ½ × partly implemented) ÷ applicable requirements, in whole percent rounded down; " +
	"a requirement's readiness counts it and every requirement under it. Not applicable requirements do not count."

// FileName is the name an assessment's file is offered under:
// "ASM-000003 Gap analysis spring 2027.xlsx", kept to characters every
// system takes.
func FileName(a sms.Assessment, ext string) string {
	var b strings.Builder
	for _, r := range a.Title {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == ',':
			b.WriteRune('-')
		}
		if b.Len() >= 60 {
			break
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		return sms.AssessmentKind.Number(a.ID) + "." + ext
	}
	return sms.AssessmentKind.Number(a.ID) + "-" + name + "." + ext
}

// ContentType is the media type of a file format, "xlsx" or "pdf".
func ContentType(format string) string {
	if format == "xlsx" {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/pdf"
}

// row is one result as both files show it.
type row struct {
	req       sms.Requirement
	res       sms.Result
	readiness sms.Readiness
	owner     string
	questions []string
}

func rows(rp smsapp.Report) []row {
	out := make([]row, 0, len(rp.Results))
	for _, r := range rp.Results {
		q := rp.Requirements[r.RequirementID]
		owner := ""
		if r.OwnerID != nil {
			owner = rp.Owners[*r.OwnerID]
		}
		out = append(out, row{req: q, res: r, readiness: rp.Scores.ByRequirement[q.ID], owner: owner, questions: q.QuestionList()})
	}
	return out
}

func statusLabel(s string) string {
	for _, c := range sms.ResultStatuses {
		if c.Code == s {
			return c.Label
		}
	}
	return s
}

func replyLabel(s string) string {
	for _, c := range sms.Replies {
		if c.Code == s {
			return c.Label
		}
	}
	return "Not answered"
}

var maturityLabels = []string{"0 Nothing in place", "1 Ad hoc", "2 Repeatable", "3 Defined", "4 Measured", "5 Optimised"}

func maturityLabel(m int64) string {
	if m >= 0 && int(m) < len(maturityLabels) {
		return maturityLabels[m]
	}
	return fmt.Sprint(m)
}

// rgb is a status's colour in both files, the light tones of the pages.
type rgb struct{ r, g, b int }

var statusColours = map[string]rgb{
	"not_started":     {0xfc, 0xf0, 0xd4},
	"partial":         {0xe3, 0xee, 0xfa},
	"implemented":     {0xe3, 0xf3, 0xe7},
	sms.NotApplicable: {0xec, 0xef, 0xf3},
}

func (c rgb) hex() string { return fmt.Sprintf("%02X%02X%02X", c.r, c.g, c.b) }

func percent(t sms.Readiness) string { return fmt.Sprintf("%d %%", t.Percent()) }
