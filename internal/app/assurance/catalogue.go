// Package assurance holds the use cases of audits, nonconformities and
// corrective action, management review, continual improvement and
// certification. It reads the management system's records (requirements,
// evidence, documents, actions, objectives, risks) through the
// management system's use cases.
package assurance

import (
	"context"

	"github.com/conform-itsm/conform/internal/app"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
)

// Catalogue is the area's use cases.
type Catalogue struct {
	app *app.App
	db  *store.DB
	sms *smsapp.Catalogue
	// auditExists checks a planned audit's link to an audit, once the
	// audits are joined in (SetAuditChecker).
	auditExists AuditChecker
	// OnFinding, when set, is told of each major or minor nonconformity
	// an audit finds, right after it is recorded: where the
	// nonconformities' use cases open a nonconformity for it.
	OnFinding FindingHook
}

// New adds the Audits and certification area to the App. It comes after
// the management system's area, whose records it reads.
func New(ctx context.Context, a *app.App, s *smsapp.Catalogue) (*Catalogue, error) {
	c := &Catalogue{app: a, db: a.DB(), sms: s}
	if err := a.AddArea(c.area()); err != nil {
		return nil, err
	}
	// The seams between the area's parts: a major or minor finding opens
	// its nonconformity; a certification cycle's planned audit names an
	// audit that exists.
	c.OnFinding = c.nonconformityFromFinding
	s.AddJourneyStages(c.journeyStages)
	c.SetAuditChecker(func(ctx context.Context, id int64) error {
		_, err := c.db.GetAudit(ctx, id)
		return err
	})
	if err := c.seedNCDeadlines(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// area declares the area's kinds with, for each, who may see a record
// (its Get use case), how its records are named and found, and the
// reminders the area sends. Each kind's file adds its own through one
// call here.
func (c *Catalogue) area() app.Area {
	ar := app.Area{Name: assurance.Area.Name, Kinds: assurance.Kinds(),
		See: map[string]app.Seer{}, Names: map[string]app.Namer{}, Find: map[string]app.Finder{}, Remind: map[string]app.Reminder{}}
	c.nonconformityParts(&ar)
	c.reviewParts(&ar)
	c.certificationParts(&ar)
	c.auditParts(&ar)
	return ar
}
