// Package sms holds the management system's use cases: reading the
// requirements catalogue, loading frameworks into it and writing them out.
package sms

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// The area's kinds and how they scope their records: every staff member
// who may read the catalogue reads all of it.
var (
	frameworks   = app.Scope[sms.Framework]{Kind: sms.FrameworkKind}
	requirements = app.Scope[sms.Requirement]{Kind: sms.RequirementKind}
	mappings     = app.Scope[sms.Mapping]{Kind: sms.MappingKind}
)

// Catalogue is the requirements catalogue's use cases.
type Catalogue struct {
	app *app.App
	db  *store.DB
	// later are the journey's stages other areas add after the
	// management system's own (AddJourneyStages).
	later []StageSource
}

// New adds the management system area to the App and makes sure the
// built-in framework is loaded and current (see Seed).
func New(ctx context.Context, a *app.App) (*Catalogue, error) {
	c := &Catalogue{app: a, db: a.DB()}
	ar := c.withTraining(c.area())
	maps.Copy(ar.See, c.scopeSeers())
	maps.Copy(ar.Names, c.scopeNames())
	maps.Copy(ar.Find, c.scopeFinders())
	maps.Copy(ar.See, c.riskSeers())
	maps.Copy(ar.Names, c.riskNames())
	maps.Copy(ar.Find, c.riskFinders())
	if err := a.AddArea(ar); err != nil {
		return nil, err
	}
	if err := c.Seed(ctx); err != nil {
		return nil, err
	}
	if err := c.SeedProcesses(ctx); err != nil {
		return nil, err
	}
	if err := c.SeedRiskScales(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// CheckActionSources refuses an action source naming a kind no area
// declares; run once every area is added, as a source may be another
// area's kind (an audit finding, a nonconformity).
func CheckActionSources(a *app.App) error {
	for _, src := range sms.ActionSources {
		if _, ok := a.Kinds().Get(src.Entity); src.Entity != "" && !ok {
			return fmt.Errorf("action source %s: names undeclared kind %q", src.Code, src.Entity)
		}
	}
	return nil
}

func (c *Catalogue) area() app.Area {
	return app.Area{Name: sms.Area.Name, Kinds: sms.Kinds(),
		Remind: map[string]app.Reminder{"sms.actions": c.actionReminders, "sms.evidence": c.evidenceReminders, "sms.documents": c.documentReminders},
		See: map[string]app.Seer{
			sms.FrameworkKind.Entity:   app.Seeing(c.GetFramework),
			sms.RequirementKind.Entity: app.Seeing(c.GetRequirement),
			sms.MappingKind.Entity:     app.Seeing(c.getMapping),
			sms.ActionKind.Entity:      app.Seeing(c.GetAction),
			sms.AssessmentKind.Entity:  app.Seeing(c.GetAssessment),
			sms.ResultKind.Entity:      app.Seeing(c.GetResult),
			sms.EvidenceKind.Entity:    app.Seeing(c.GetEvidence),

			sms.DocumentKind.Entity:         app.Seeing(c.GetDocument),
			sms.DocumentVersionKind.Entity:  app.Seeing(c.GetDocumentVersion),
			sms.AcknowledgementKind.Entity:  app.Seeing(c.GetAcknowledgement),
			sms.RequiredDocumentKind.Entity: app.Seeing(c.GetRequiredDocument),

			sms.ObjectiveKind.Entity:      app.Seeing(c.GetObjective),
			sms.ObjectiveValueKind.Entity: app.Seeing(c.GetObjectiveValue),
			sms.ProcessKind.Entity:        app.Seeing(c.GetProcess),
			sms.ProjectMemberKind.Entity:  app.Seeing(c.GetProjectMember),
			sms.RaciKind.Entity:           app.Seeing(c.GetRaci),
		},
		Names: map[string]app.Namer{
			sms.DocumentKind.Entity:        c.documentNames,
			sms.DocumentVersionKind.Entity: c.versionNames,
			sms.ObjectiveKind.Entity:       c.objectiveNames,
			sms.ProcessKind.Entity:         c.processNames,
			sms.AssessmentKind.Entity: func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
				for chunk := range slices.Chunk(ids, store.MaxLimit) {
					as, _, err := c.ListAssessments(ctx, actor, store.AssessmentFilter{IDs: chunk, Limit: len(chunk)})
					if err != nil {
						return nil, err
					}
					for _, a := range as {
						names[a.ID] = a.Title
					}
				}
				return names, nil
			},
			sms.ActionKind.Entity: func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
				for chunk := range slices.Chunk(ids, store.MaxLimit) {
					as, _, err := c.ListActions(ctx, actor, store.ActionFilter{IDs: chunk, Limit: len(chunk)})
					if err != nil {
						return nil, err
					}
					for _, a := range as {
						names[a.ID] = a.Title
					}
				}
				return names, nil
			},
			sms.EvidenceKind.Entity: func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
				for chunk := range slices.Chunk(ids, store.MaxLimit) {
					es, _, err := c.ListEvidence(ctx, actor, store.EvidenceFilter{IDs: chunk, Limit: len(chunk)})
					if err != nil {
						return nil, err
					}
					for _, e := range es {
						names[e.ID] = e.Title
					}
				}
				return names, nil
			},
			sms.FrameworkKind.Entity: func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
				fs, _, err := c.ListFrameworks(ctx, actor, store.FrameworkFilter{IDs: ids, Limit: store.MaxLimit})
				for _, f := range fs {
					names[f.ID] = f.Name
				}
				return names, err
			},
			sms.RequirementKind.Entity: func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
				for chunk := range slices.Chunk(ids, store.MaxLimit) {
					rs, _, err := c.ListRequirements(ctx, actor, store.RequirementFilter{IDs: chunk, Limit: len(chunk)})
					if err != nil {
						return nil, err
					}
					for _, r := range rs {
						names[r.ID] = r.Label()
					}
				}
				return names, nil
			},
		},
		Find: map[string]app.Finder{
			sms.DocumentKind.Entity: c.findDocuments,

			sms.ObjectiveKind.Entity: c.findObjectives,
			sms.ProcessKind.Entity:   c.findProcesses,
			sms.AssessmentKind.Entity: func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
				as, _, err := c.ListAssessments(ctx, actor, store.AssessmentFilter{Query: q, Limit: limit})
				var out []app.Found
				for _, a := range as {
					out = append(out, app.Found{Entity: sms.AssessmentKind.Entity, ID: a.ID, Name: a.Title, Detail: sms.AssessmentKind.Number(a.ID)})
				}
				return out, err
			},
			sms.ActionKind.Entity: func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
				as, _, err := c.ListActions(ctx, actor, store.ActionFilter{Query: q, Limit: limit})
				var out []app.Found
				for _, a := range as {
					out = append(out, app.Found{Entity: sms.ActionKind.Entity, ID: a.ID, Name: a.Title, Detail: sms.ActionKind.Number(a.ID)})
				}
				return out, err
			},
			sms.EvidenceKind.Entity: func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
				es, _, err := c.ListEvidence(ctx, actor, store.EvidenceFilter{Query: q, Limit: limit})
				var out []app.Found
				for _, e := range es {
					out = append(out, app.Found{Entity: sms.EvidenceKind.Entity, ID: e.ID, Name: e.Title, Detail: sms.EvidenceKind.Number(e.ID)})
				}
				return out, err
			},
			sms.FrameworkKind.Entity: func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
				fs, _, err := c.ListFrameworks(ctx, actor, store.FrameworkFilter{Query: q, Limit: limit})
				var out []app.Found
				for _, f := range fs {
					out = append(out, app.Found{Entity: sms.FrameworkKind.Entity, ID: f.ID, Name: f.Name, Detail: sms.FrameworkKind.Number(f.ID)})
				}
				return out, err
			},
			sms.RequirementKind.Entity: func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
				rs, _, err := c.ListRequirements(ctx, actor, store.RequirementFilter{Query: q, Limit: limit})
				var out []app.Found
				for _, r := range rs {
					out = append(out, app.Found{Entity: sms.RequirementKind.Entity, ID: r.ID, Name: r.Label(), Detail: sms.RequirementKind.Number(r.ID)})
				}
				return out, err
			},
		},
	}
}

// ListFrameworks lists frameworks.
func (c *Catalogue) ListFrameworks(ctx context.Context, actor access.Actor, f store.FrameworkFilter) ([]sms.Framework, string, error) {
	if err := frameworks.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListFrameworks(ctx, f)
}

// GetFramework reads one framework.
func (c *Catalogue) GetFramework(ctx context.Context, actor access.Actor, id int64) (sms.Framework, error) {
	return frameworks.Get(ctx, actor, id, c.db.GetFramework)
}

// RequirementCounts counts each framework's requirements.
func (c *Catalogue) RequirementCounts(ctx context.Context, actor access.Actor) (map[int64]int, error) {
	if err := requirements.MayRead(actor, "count"); err != nil {
		return nil, err
	}
	return c.db.RequirementCounts(ctx)
}

// ListRequirements lists requirements.
func (c *Catalogue) ListRequirements(ctx context.Context, actor access.Actor, f store.RequirementFilter) ([]sms.Requirement, string, error) {
	if err := requirements.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListRequirements(ctx, f)
}

// GetRequirement reads one requirement with its guidance.
func (c *Catalogue) GetRequirement(ctx context.Context, actor access.Actor, id int64) (sms.Requirement, error) {
	return requirements.Get(ctx, actor, id, c.db.GetRequirement)
}

// Tree reads every requirement of a framework, parents before their
// children, in the framework's order.
func (c *Catalogue) Tree(ctx context.Context, actor access.Actor, frameworkID int64) ([]sms.Requirement, error) {
	if _, err := c.GetFramework(ctx, actor, frameworkID); err != nil {
		return nil, err
	}
	return c.db.RequirementTree(ctx, frameworkID)
}

func (c *Catalogue) getMapping(ctx context.Context, actor access.Actor, id int64) (sms.Mapping, error) {
	return mappings.Get(ctx, actor, id, func(ctx context.Context, id int64) (sms.Mapping, error) {
		return c.db.GetMapping(ctx, id)
	})
}

// CrossReference is a cross-reference seen from one requirement: the
// requirement at its other end and that requirement's framework.
type CrossReference struct {
	sms.Mapping
	// Outgoing: the mapping goes from this requirement to Other.
	Outgoing       bool
	Other          sms.Requirement
	OtherFramework sms.Framework
}

// CrossReferences lists a requirement's cross-references, both those
// from it and those to it.
func (c *Catalogue) CrossReferences(ctx context.Context, actor access.Actor, requirementID int64) ([]CrossReference, error) {
	if err := mappings.MayRead(actor, "list"); err != nil {
		return nil, err
	}
	ms, err := c.db.ListMappings(ctx, store.MappingFilter{RequirementID: requirementID})
	if err != nil {
		return nil, err
	}
	fws := map[int64]sms.Framework{}
	out := make([]CrossReference, 0, len(ms))
	for _, m := range ms {
		x := CrossReference{Mapping: m, Outgoing: m.FromID == requirementID}
		other := m.FromID
		if x.Outgoing {
			other = m.ToID
		}
		if x.Other, err = c.db.GetRequirement(ctx, other); err != nil {
			return nil, fmt.Errorf("cross-reference %d: %w", m.ID, err)
		}
		fw, ok := fws[x.Other.FrameworkID]
		if !ok {
			if fw, err = c.db.GetFramework(ctx, x.Other.FrameworkID); err != nil {
				return nil, err
			}
			fws[fw.ID] = fw
		}
		x.OtherFramework = fw
		out = append(out, x)
	}
	return out, nil
}

// Export writes a framework out as a file holds it: its requirements and
// the cross-references from them. Loading what it gives changes nothing.
func (c *Catalogue) Export(ctx context.Context, actor access.Actor, id int64) (sms.Document, error) {
	fw, err := c.GetFramework(ctx, actor, id)
	if err != nil {
		return sms.Document{}, err
	}
	return export(ctx, c.db, fw)
}

func export(ctx context.Context, db *store.DB, fw sms.Framework) (sms.Document, error) {
	d := sms.Document{Format: sms.Format, Code: fw.Code, Name: fw.Name, Publisher: fw.Publisher, Description: fw.Description,
		AllowsExclusions: fw.AllowsExclusions, ExclusionsNote: fw.ExclusionsNote}
	tree, err := db.RequirementTree(ctx, fw.ID)
	if err != nil {
		return d, err
	}
	children := map[int64][]sms.Requirement{}
	codes := map[int64]string{}
	for _, r := range tree {
		var parent int64
		if r.ParentID != nil {
			parent = *r.ParentID
		}
		children[parent] = append(children[parent], r)
		codes[r.ID] = r.Code
	}
	var build func(parent int64) []sms.DocClause
	build = func(parent int64) []sms.DocClause {
		var out []sms.DocClause
		for _, r := range children[parent] {
			out = append(out, sms.DocClause{Code: r.Code, Title: r.Title, Plain: r.Plain, Auditor: r.Auditor, Evidence: r.Evidence,
				Questions: r.QuestionList(), Requirements: build(r.ID)})
		}
		return out
	}
	d.Requirements = build(0)
	ms, err := db.ListMappings(ctx, store.MappingFilter{FromFramework: fw.ID})
	if err != nil {
		return d, err
	}
	others := map[int64]string{}
	for _, m := range ms {
		to, err := db.GetRequirement(ctx, m.ToID)
		if err != nil {
			return d, err
		}
		code, ok := others[to.FrameworkID]
		if !ok {
			other, err := db.GetFramework(ctx, to.FrameworkID)
			if err != nil {
				return d, err
			}
			code, others[to.FrameworkID] = other.Code, other.Code
		}
		d.Mappings = append(d.Mappings, sms.DocMapping{From: codes[m.FromID], Framework: code, To: to.Code, Relation: m.Relation, Note: m.Note})
	}
	return d, nil
}
