package sms

// BuiltInProcess is one process of the register Conform starts with: the
// processes clause 8 of ISO/IEC 20000-1:2018 asks for, and the SMS's own.
// The purposes are our own words.
type BuiltInProcess struct {
	Code, Name, Area, Purpose string
	// Clauses are the codes of the built-in framework's requirements the
	// process answers.
	Clauses []string
	// Interfaces are the codes of the processes it works with.
	Interfaces []string
}

// BuiltInProcesses is the register Conform starts with, in map order.
var BuiltInProcesses = []BuiltInProcess{
	{"service_portfolio", "Service portfolio and catalogue management", "portfolio",
		"Decide which services are offered and planned, keep each one's requirements, criticality and dependencies, and publish a catalogue people can rely on.",
		[]string{"8.2", "8.2.1", "8.2.2", "8.2.3", "8.2.4"}, []string{"business_relationship", "service_level", "design_transition", "configuration"}},
	{"asset", "Asset management", "portfolio",
		"Know which assets the services depend on, who owns them and what obligations (licences, warranties, disposal) come with them.",
		[]string{"8.2.5"}, []string{"configuration", "supplier"}},
	{"configuration", "Configuration management", "portfolio",
		"Record the configuration items and their relationships, keep the records accurate through controlled changes and periodic checks.",
		[]string{"8.2.6"}, []string{"change", "release", "incident", "asset"}},
	{"business_relationship", "Business relationship management", "relationship",
		"Know the customers and users, keep a named contact for each, measure their satisfaction and take complaints through to closure.",
		[]string{"8.3", "8.3.1", "8.3.2"}, []string{"service_level", "service_portfolio"}},
	{"service_level", "Service level management", "relationship",
		"Agree the services and their targets with customers, watch performance against them, report it and act where targets are missed.",
		[]string{"8.3.3", "9.4"}, []string{"business_relationship", "supplier", "incident", "availability", "capacity"}},
	{"supplier", "Supplier management", "relationship",
		"Put an agreement in place with every supplier that helps deliver the services, and check their performance against it.",
		[]string{"8.3.4", "8.3.4.1", "8.3.4.2"}, []string{"service_level", "budgeting"}},
	{"budgeting", "Budgeting and accounting for services", "supply_demand",
		"Plan what the services will cost, account for what they did cost, and explain the difference.",
		[]string{"8.4", "8.4.1"}, []string{"demand", "capacity", "supplier"}},
	{"demand", "Demand management", "supply_demand",
		"Understand and forecast how much of each service customers will use, and report what they actually use.",
		[]string{"8.4.2"}, []string{"capacity", "service_portfolio"}},
	{"capacity", "Capacity management", "supply_demand",
		"Make sure people, technology, information and money are there in time for the demand, and that performance meets the targets.",
		[]string{"8.4.3"}, []string{"availability", "change"}},
	{"change", "Change management", "design_transition",
		"Assess, approve, schedule and review every change to the services and their components, so changes succeed and the unplanned ones are rare.",
		[]string{"8.5", "8.5.1", "8.5.1.1", "8.5.1.2", "8.5.1.3"}, []string{"release", "configuration", "design_transition", "information_security"}},
	{"design_transition", "Service design and transition", "design_transition",
		"Plan, design, build and test new or changed services, and their removal, so that they deliver what was agreed.",
		[]string{"8.5.2", "8.5.2.1", "8.5.2.2", "8.5.2.3"}, []string{"change", "release", "service_portfolio"}},
	{"release", "Release and deployment management", "design_transition",
		"Plan, test and deploy releases into the live environment without harming the services, and be able to back them out.",
		[]string{"8.5.3"}, []string{"change", "configuration", "incident"}},
	{"incident", "Incident management", "resolution",
		"Restore normal service as quickly as possible after an interruption, by priority, with a documented way of handling major incidents.",
		[]string{"8.6", "8.6.1"}, []string{"problem", "service_request", "service_level", "information_security", "configuration"}},
	{"service_request", "Service request management", "resolution",
		"Record and fulfil the requests users make for standard things (access, information, equipment), with clear instructions for those who fulfil them.",
		[]string{"8.6.2"}, []string{"incident", "change"}},
	{"problem", "Problem management", "resolution",
		"Find the causes of incidents, record known errors with their workarounds, and remove the causes through change management.",
		[]string{"8.6.3"}, []string{"change", "incident"}},
	{"availability", "Service availability management", "assurance",
		"Agree how available each service must be, measure it, and investigate whenever a service was unavailable when it should not have been.",
		[]string{"8.7", "8.7.1"}, []string{"continuity", "incident"}},
	{"continuity", "Service continuity management", "assurance",
		"Keep plans to continue the services through a serious disruption, and test them so they work when needed.",
		[]string{"8.7.2"}, []string{"availability", "change"}},
	{"information_security", "Information security management", "assurance",
		"Protect the information the services handle through a policy, controls chosen by risk, and the handling of security incidents.",
		[]string{"8.7.3", "8.7.3.1", "8.7.3.2", "8.7.3.3"}, []string{"incident", "change", "continuity"}},
	{"improvement", "Continual improvement", "sms",
		"Collect, judge and carry out improvements to the SMS and the services, and correct nonconformities at their cause.",
		[]string{"10", "10.1", "10.2"}, []string{"management_review", "internal_audit"}},
	{"internal_audit", "Internal audit", "sms",
		"Check at planned intervals, with auditors independent of what they audit, that the SMS meets the standard and the organisation's own rules.",
		[]string{"9.2"}, []string{"improvement", "management_review"}},
	{"management_review", "Management review", "sms",
		"Have top management review the SMS at planned intervals, on measured results, and decide what must change.",
		[]string{"9", "9.1", "9.3"}, []string{"improvement"}},
}
