package sms

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// The kinds of competence, training and awareness (7.2, 7.3).

// CompetenceKind declares competences.
var CompetenceKind = record.Kind{
	Entity: "competence", Prefix: "CMP", Label: "Competence", Plural: "Competences", Area: Area,
	Read: access.TrainingRead, Write: access.TrainingWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "name", Label: "Name"},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "level", Label: "Level required", Help: LevelHelp},
		{Name: "roles", Label: "Required of roles", Help: "Everyone in these roles must hold the competence."},
		{Name: "team_ids", Label: "Required of teams", Display: record.RefList, Ref: "team", Help: "Every member of these teams must hold the competence, whatever their role."},
	},
	Nav: &record.Nav{Order: 60, Icon: "user-circle", Summary: "What people must be able to do for the SMS, who must, and who does: the competence matrix and its gaps."},
}

// CourseKind declares courses.
var CourseKind = record.Kind{
	Entity: "course", Prefix: "CRS", Label: "Course", Plural: "Courses", Area: Area,
	Read: access.TrainingRead, Write: access.TrainingWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "description", Label: "Description", Display: record.LongText},
		{Name: "provider", Label: "Given by"},
		{Name: "level", Label: "Level reached", Help: "The level of each competence taught that completing the course brings. " + LevelHelp},
		{Name: "validity_months", Label: "Certificate valid for (months)", Help: "How long a certificate of the course stays valid; 0 for good."},
		{Name: "competence_ids", Label: "Competences taught", Display: record.RefList, Ref: "competence"},
	},
	Nav: &record.Nav{Order: 61, Icon: "device-desktop", Summary: "Training that teaches the competences: its sessions, who attended and completed it, and certificates that expire."},
}

// CourseSessionKind declares a course's sessions.
var CourseSessionKind = record.Kind{
	Entity: "course_session", Prefix: "CSN", Label: "Course session", Plural: "Course sessions", Area: Area,
	Read: access.TrainingRead, Write: access.TrainingWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "course_id", Label: "Course", Display: record.Ref, Ref: "course"},
		{Name: "starts_on", Label: "First day"},
		{Name: "ends_on", Label: "Last day"},
		{Name: "trainer", Label: "Trainer"},
		{Name: "place", Label: "Place", Help: "A room or an address; for an online session, its link."},
		{Name: "online", Label: "Online", Display: record.Flag},
		{Name: "notes", Label: "Notes", Display: record.LongText},
	},
}

// CompletionKind declares attendance and completion of courses.
var CompletionKind = record.Kind{
	Entity: "course_completion", Prefix: "CPL", Label: "Course completion", Plural: "Course completions", Area: Area,
	Read: access.TrainingRead, Write: access.TrainingWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "course_id", Label: "Course", Display: record.Ref, Ref: "course"},
		{Name: "session_id", Label: "Session", Display: record.Ref, Ref: "course_session"},
		{Name: "user_id", Label: "Person", Display: record.Ref, Ref: "user"},
		{Name: "status", Label: "Status", Display: record.Enum, Values: Labels(CompletionStatuses)},
		{Name: "completed_on", Label: "Completed on"},
		{Name: "expires_on", Label: "Certificate expires on", Help: "The last day the certificate is valid; after it, the competences the course taught count as gaps again."},
		{Name: "evidence", Label: "Evidence", Display: record.LongText, Help: "Where the proof is: the certificate's number or a link to it, the exam result, the attendance list. Clause 7.2 asks for evidence of competence to be kept."},
		{Name: "certificate_name", Label: "Certificate file"},
		{Name: "certificate_hash", Label: "Certificate fingerprint (SHA-256)"},
		{Name: "certificate_type", Label: "Certificate file type"},
		{Name: "certificate_size", Label: "Certificate file size (bytes)"},
	},
}

// AppraisalKind declares direct assessments of competence.
var AppraisalKind = record.Kind{
	Entity: "competence_appraisal", Prefix: "CAP", Label: "Competence assessment", Plural: "Competence assessments", Segment: "competence-assessments", Area: Area,
	Read: access.TrainingRead, Write: access.TrainingWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "user_id", Label: "Person", Display: record.Ref, Ref: "user"},
		{Name: "competence_id", Label: "Competence", Display: record.Ref, Ref: "competence"},
		{Name: "level", Label: "Level held", Help: LevelHelp},
		{Name: "assessed_on", Label: "Assessed on"},
		{Name: "expires_on", Label: "Valid until", Help: "The last day the assessment counts; empty for good."},
		{Name: "assessor_id", Label: "Assessed by", Display: record.Ref, Ref: "user"},
		{Name: "notes", Label: "Notes", Display: record.LongText, Help: "What was observed: the work seen, the questions asked, where the record is."},
	},
}

// TrainingKinds lists the training kinds, for Kinds.
func TrainingKinds() []record.Kind {
	return []record.Kind{CompetenceKind, CourseKind, CourseSessionKind, CompletionKind, AppraisalKind}
}
