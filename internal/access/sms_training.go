package access

// Competence, training and awareness (7.2, 7.3): competences, courses,
// their sessions and completions, direct assessments of competence.
const (
	TrainingRead  Permission = "training.read"
	TrainingWrite Permission = "training.write"
)

// trainingGrants: all staff read who must hold which competence and who
// does (so each sees their own gaps, and a team lead their team's); the
// SMS managers, who answer for 7.2, keep the records.
var trainingGrants = Grants{
	TrainingRead:  staff,
	TrainingWrite: smsManagers,
}
