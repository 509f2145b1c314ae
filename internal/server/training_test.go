package server_test

import "github.com/conform-itsm/conform/internal/sms"

// trainingRecords are the training records the audit test writes.
type trainingRecords struct {
	cmp sms.Competence
	crs sms.Course
	ses sms.CourseSession
	cpl sms.Completion
	apr sms.Appraisal
}
