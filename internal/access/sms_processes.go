package access

// The permissions of objectives, processes and the implementation
// project (the Management system area).
const (
	// ObjectivesRead and ObjectivesWrite: the SMS's objectives and the
	// values measured for them.
	ObjectivesRead  Permission = "objectives.read"
	ObjectivesWrite Permission = "objectives.write"
	// ProcessesRead and ProcessesWrite: the process register.
	ProcessesRead  Permission = "processes.read"
	ProcessesWrite Permission = "processes.write"
	// ProjectRead and ProjectWrite: the implementation team and the RACI.
	ProjectRead  Permission = "project.read"
	ProjectWrite Permission = "project.write"
)

// processGrants: all staff read. Objectives and processes are changed by
// those who answer for them, the SMS managers and the process owners (who
// record their KPIs' values and rate their processes); the project's team
// and RACI by the SMS managers who run it.
var processGrants = Grants{
	ObjectivesRead:  staff,
	ObjectivesWrite: assessors,
	ProcessesRead:   staff,
	ProcessesWrite:  assessors,
	ProjectRead:     staff,
	ProjectWrite:    smsManagers,
}
