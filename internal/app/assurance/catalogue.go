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
	return c, nil
}

// area declares the area's kinds with, for each, who may see a record
// (its Get use case), how its records are named and found, and the
// reminders the area sends. Each kind's file adds its own through one
// call here.
func (c *Catalogue) area() app.Area {
	ar := app.Area{Name: assurance.Area.Name, Kinds: assurance.Kinds(),
		See: map[string]app.Seer{}, Names: map[string]app.Namer{}, Find: map[string]app.Finder{}, Remind: map[string]app.Reminder{}}
	c.auditParts(&ar)
	return ar
}
