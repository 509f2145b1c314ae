package store

import (
	"context"
	"fmt"
)

// Exporter writes every record of one kind, in id order, one at a time.
type Exporter struct {
	Name string // the kind's plural, a file name: "teams"
	Each func(ctx context.Context, db *DB, fn func(rec any) error) error
}

// Exporters lists every kind's table for `conform export`: the
// platform's, then the areas'.
func Exporters() []Exporter {
	return []Exporter{
		exporter("organisations", Organisations),
		exporter("users", Users),
		exporter("teams", Teams),
		exporter("tokens", Tokens),
		exporter("sessions", Sessions),
		exporter("notifications", Notifications),
		exporter("frameworks", Frameworks),
		exporter("actions", Actions),
		exporter("requirements", Requirements),
		exporter("requirement_mappings", Mappings),
		exporter("assessments", Assessments),
		exporter("assessment_results", Results),
		exporter("competences", Competences),
		exporter("courses", Courses),
		exporter("course_sessions", CourseSessions),
		exporter("course_completions", Completions),
		exporter("competence_appraisals", Appraisals),
		exporter("evidence", Evidences),
		exporter("documents", Documents),
		exporter("document_versions", DocumentVersions),
		exporter("document_acknowledgements", Acknowledgements),
		exporter("required_documents", RequiredDocuments),
		exporter("services", Services),
		exporter("scopes", Scopes),
		exporter("context_issues", ContextIssues),
		exporter("interested_parties", InterestedParties),
		exporter("communications", Communications),
		exporter("objectives", Objectives),
		exporter("objective_values", ObjectiveValues),
		exporter("processes", Processes),
		exporter("project_members", ProjectMembers),
		exporter("raci_rows", Racis),
		exporter("risks", Risks),
		exporter("audit_programmes", AuditProgrammes),
		exporter("audits", Audits),
		exporter("checklist_items", ChecklistItems),
		exporter("findings", Findings),
		exporter("auditor_accesses", AuditorAccesses),
		exporter("risk_scales", RiskScalesTable),
		exporter("nonconformities", Nonconformities),
		exporter("nc_deadlines", NCDeadlinesTable),
		exporter("management_reviews", ManagementReviews),
		exporter("improvements", Improvements),
		exporter("certification_bodies", CertificationBodies),
		exporter("certificates", Certificates),
		exporter("planned_audits", PlannedAudits),
		exporter("calendar_tokens", CalendarTokens),
	}
}

func exporter[T any](name string, t *Table[T]) Exporter {
	return Exporter{Name: name, Each: func(ctx context.Context, db *DB, fn func(rec any) error) error {
		return t.Each(ctx, db, func(v T) error { return fn(v) })
	}}
}

// Each calls fn with every record of the table, in id order, a page at a
// time from the read pool.
func (t *Table[T]) Each(ctx context.Context, db *DB, fn func(T) error) error {
	cursor := ""
	for {
		w := whereBuilder{}
		if err := w.cursorAfter("id", cursor); err != nil {
			return err
		}
		page, next, err := t.List(ctx, db.reader(), w, MaxLimit)
		if err != nil {
			return fmt.Errorf("export %s: %w", t.def.Name, err)
		}
		for _, v := range page {
			if err := fn(v); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}
