// Package assurance is the JSON API of audits, nonconformities and
// corrective action, management review, continual improvement and
// certification.
package assurance

import (
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
)

// Area is the area's API operations.
func Area(c *assuranceapp.Catalogue) restapi.Area {
	return func(api *restapi.API) {
		registerReadiness(api, c)
		registerDashboard(api, c)
		registerNonconformities(api, c)
		registerReviews(api, c)
		registerImprovements(api, c)
		registerCertification(api, c)
		registerAudits(api, c)
		evidencePackRoutes(api, c)
		registerAccesses(api, c)
	}
}
