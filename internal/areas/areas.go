// Package areas puts together the product's areas beyond the platform,
// once for every way Conform starts (serve, the commands, the tests):
// each area's use cases are added to the App, and its pages and API
// operations handed to the server.
package areas

import (
	"context"

	"github.com/conform-itsm/conform/internal/app"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	assuranceapi "github.com/conform-itsm/conform/internal/restapi/assurance"
	smsapi "github.com/conform-itsm/conform/internal/restapi/sms"
	"github.com/conform-itsm/conform/internal/server"
	assuranceweb "github.com/conform-itsm/conform/internal/web/assurance"
	smsweb "github.com/conform-itsm/conform/internal/web/sms"
)

// Areas are the areas' use cases.
type Areas struct {
	// SMS is the management system: the requirements catalogue,
	// assessments, evidence, documents, the plan and the rest of clauses
	// 4 to 8 and 10's actions.
	SMS *smsapp.Catalogue
	// Assurance is audits, nonconformities, management review,
	// improvement and certification.
	Assurance *assuranceapp.Catalogue
}

// Add adds every area to the App, which loads what each ships (the
// built-in framework).
func Add(ctx context.Context, a *app.App) (*Areas, error) {
	catalogue, err := smsapp.New(ctx, a)
	if err != nil {
		return nil, err
	}
	assurance, err := assuranceapp.New(ctx, a, catalogue)
	if err != nil {
		return nil, err
	}
	if err := smsapp.CheckActionSources(a); err != nil {
		return nil, err
	}
	return &Areas{SMS: catalogue, Assurance: assurance}, nil
}

// Server is the areas' pages and API operations, for server.Config.
func (as *Areas) Server() []server.Area {
	return []server.Area{{Pages: smsweb.Area(as.SMS), API: smsapi.Area(as.SMS)},
		{Pages: assuranceweb.Area(as.Assurance), API: assuranceapi.Area(as.Assurance)}}
}
