// Package assurance is the domain of what proves and improves the
// management system once it runs, and of its certification: the audit
// programme and audits (clause 9.2), their findings, nonconformities and
// corrective action (10.1), management review (9.3), continual
// improvement (10.2), certification bodies, certificates and the
// certification cycle. Like every domain package it holds no SQL and no
// HTTP.
package assurance

import "github.com/conform-itsm/conform/internal/record"

// Area is the navigation's section for the area's kinds.
var Area = record.Area{Name: "Audits and certification", Order: 30}

// Kinds are the area's kinds, in the order the navigation lists them.
func Kinds() []record.Kind {
	return append(append(append(append([]record.Kind{}, auditKinds()...), nonconformityKinds()...), reviewKinds()...), certificationKinds()...)
}
