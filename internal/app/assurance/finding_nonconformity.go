package assurance

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
)

// nonconformityFromFinding opens the nonconformity a major or minor
// finding asks for, with the finding as its source (OnFinding): the
// auditee it names owns it, or else the audit's lead auditor, or else
// whoever recorded the finding; an external audit's finding is an
// external one, with the certification body's deadlines. Raising it
// again gives the one already open.
func (c *Catalogue) nonconformityFromFinding(ctx context.Context, actor access.Actor, f assurance.Finding) error {
	a, err := c.db.GetAudit(ctx, f.AuditID)
	if err != nil {
		return err
	}
	owner := actor.UserID
	switch {
	case f.OwnerID != nil:
		owner = *f.OwnerID
	case a.LeadAuditorID != nil:
		owner = *a.LeadAuditorID
	}
	severity := "minor"
	if f.Type == "major_nc" {
		severity = "major"
	}
	_, err = c.RaiseFromFinding(ctx, actor, FindingInput{Entity: assurance.FindingKind.Entity, ID: f.ID, External: a.Origin == "external",
		Title: findingTitle(f), Description: f.Statement, Severity: severity, RaisedOn: c.today(), RequirementID: f.RequirementID, OwnerID: owner})
	return err
}

// findingTitle is a nonconformity's one-line title from its finding: the
// statement's first line, shortened to fit, after the finding's number.
func findingTitle(f assurance.Finding) string {
	line, _, _ := strings.Cut(strings.TrimSpace(f.Statement), "\n")
	title := assurance.FindingKind.Number(f.ID) + ": " + strings.TrimSpace(line)
	if utf8.RuneCountInString(title) > 200 {
		title = string([]rune(title)[:199]) + "…"
	}
	return title
}
