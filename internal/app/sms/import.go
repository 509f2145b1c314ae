package sms

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Loaded says what loading a framework did.
type Loaded struct {
	Framework sms.Framework
	// New is true when the framework was not loaded before.
	New bool
	// Requirements and Mappings count what was added, changed, removed
	// and left as it was.
	Requirements, Mappings Counts
}

// Counts are the records a load added, changed, removed and kept.
type Counts struct {
	Added, Changed, Removed, Unchanged int
}

// Import loads a framework from a file: a new one is created; one already
// loaded (the same code) is brought to what the file says, requirement by
// requirement matched on their codes, so that every requirement the file
// keeps keeps its id and whatever refers to it. Requirements the file no
// longer lists are removed with their cross-references. Cross-references
// may only point to frameworks already loaded. All or nothing: one
// mistake and nothing changes.
func (c *Catalogue) Import(ctx context.Context, actor access.Actor, data []byte) (Loaded, error) {
	if err := app.Require(actor, sms.FrameworkKind.Write, "load frameworks"); err != nil {
		return Loaded{}, err
	}
	d, err := sms.Parse(data)
	if err != nil {
		return Loaded{}, err
	}
	return c.load(ctx, actor, d)
}

func (c *Catalogue) load(ctx context.Context, actor access.Actor, d sms.Document) (Loaded, error) {
	return app.Change(ctx, c.app, actor, sms.FrameworkKind.Write, "load frameworks", nil, func(tx *store.Tx) (Loaded, error) {
		return loadIn(ctx, tx, actor, d)
	})
}

func loadIn(ctx context.Context, tx *store.Tx, actor access.Actor, d sms.Document) (Loaded, error) {
	var out Loaded
	fw, err := tx.FrameworkByCode(ctx, d.Code)
	switch {
	case errs.Is(err, errs.NotFound):
		fw = sms.Framework{Code: d.Code}
		applyFramework(&fw, d)
		if err := tx.CreateFramework(ctx, actor, &fw); err != nil {
			return out, err
		}
		out.New = true
	case err != nil:
		return out, err
	default:
		if fw, err = tx.UpdateFramework(ctx, actor, fw.ID, 0, func(f *sms.Framework) error {
			applyFramework(f, d)
			return nil
		}); err != nil {
			return out, err
		}
	}
	out.Framework = fw

	existing, err := tx.RequirementTree(ctx, fw.ID)
	if err != nil {
		return out, err
	}
	byCode := map[string]sms.Requirement{}
	for _, r := range existing {
		byCode[r.Code] = r
	}
	ids := map[string]int64{} // the file's codes to their requirements' ids
	var position int64
	var walkErr error
	var added []int64 // the requirements new in this version
	d.Walk(func(dc sms.DocClause, parent string) {
		if walkErr != nil {
			return
		}
		position++
		var parentID *int64
		if parent != "" {
			id := ids[parent]
			parentID = &id
		}
		apply := func(r *sms.Requirement) {
			r.ParentID, r.Code, r.Title, r.Position, r.Guidance = parentID, dc.Code, dc.Title, position, dc.Guidance()
		}
		old, ok := byCode[dc.Code]
		if !ok {
			r := sms.Requirement{FrameworkID: fw.ID}
			apply(&r)
			walkErr = tx.CreateRequirement(ctx, actor, &r)
			ids[dc.Code] = r.ID
			added = append(added, r.ID)
			out.Requirements.Added++
			return
		}
		ids[dc.Code] = old.ID
		after, err := tx.UpdateRequirement(ctx, actor, old.ID, 0, func(r *sms.Requirement) error {
			apply(r)
			return nil
		})
		if err != nil {
			walkErr = err
			return
		}
		if after.Version != old.Version {
			out.Requirements.Changed++
		} else {
			out.Requirements.Unchanged++
		}
	})
	if walkErr != nil {
		return out, walkErr
	}
	// The open assessments over the framework get a result, not started,
	// for each new requirement, so that they still cover all of it; a
	// closed one stays the record of its day.
	if len(added) > 0 && !out.New {
		open, err := tx.OpenAssessmentsOf(ctx, fw.ID)
		if err != nil {
			return out, err
		}
		for _, a := range open {
			for _, id := range added {
				res := sms.Result{AssessmentID: a.ID, RequirementID: id, Status: "not_started"}
				if err := tx.CreateResult(ctx, actor, &res); err != nil {
					return out, err
				}
			}
		}
	}
	// Requirements the file no longer lists go, children before parents,
	// each with its cross-references.
	gone := slices.DeleteFunc(slices.Clone(existing), func(r sms.Requirement) bool { _, kept := ids[r.Code]; return kept })
	slices.Reverse(gone)
	for _, r := range gone {
		ms, err := tx.ListMappings(ctx, store.MappingFilter{RequirementID: r.ID})
		if err != nil {
			return out, err
		}
		for _, m := range ms {
			if err := tx.DeleteMapping(ctx, actor, m.ID, 0); err != nil {
				return out, err
			}
			if m.FromID == r.ID {
				out.Mappings.Removed++
			}
		}
		// Its results in assessments go with it: there is nothing left
		// to assess.
		rs, err := tx.ResultsFor(ctx, r.ID)
		if err != nil {
			return out, err
		}
		for _, x := range rs {
			if err := tx.DeleteResult(ctx, actor, x.ID, 0); err != nil {
				return out, err
			}
		}
		if err := tx.DeleteRequirement(ctx, actor, r.ID, 0); err != nil {
			return out, fmt.Errorf("remove requirement %s, which the file no longer lists: %w", r.Code, err)
		}
		out.Requirements.Removed++
	}
	return out, loadMappings(ctx, tx, actor, fw, d, ids, &out)
}

func applyFramework(f *sms.Framework, d sms.Document) {
	f.Name, f.Publisher, f.Description = d.Name, d.Publisher, d.Description
	f.AllowsExclusions, f.ExclusionsNote = d.AllowsExclusions, d.ExclusionsNote
}

// loadMappings brings the cross-references from the framework's
// requirements to what the file lists, matched on the pair of
// requirements they join.
func loadMappings(ctx context.Context, tx *store.Tx, actor access.Actor, fw sms.Framework, d sms.Document, ids map[string]int64, out *Loaded) error {
	existing, err := tx.ListMappings(ctx, store.MappingFilter{FromFramework: fw.ID})
	if err != nil {
		return err
	}
	type pair struct{ from, to int64 }
	have := map[pair]sms.Mapping{}
	for _, m := range existing {
		have[pair{m.FromID, m.ToID}] = m
	}
	trees := map[string]map[string]int64{} // other frameworks' codes to their requirements' ids
	var problems sms.Problems
	keep := map[int64]bool{}
	for i, dm := range d.Mappings {
		at := fmt.Sprintf("mappings[%d]", i)
		codes, ok := trees[dm.Framework]
		if !ok {
			other, err := tx.FrameworkByCode(ctx, dm.Framework)
			if errs.Is(err, errs.NotFound) {
				problems = append(problems, sms.Problem{Line: dm.Line, Field: at + ".framework",
					Reason: fmt.Sprintf("names %s, which is not loaded; load that framework first", dm.Framework)})
				trees[dm.Framework] = nil
				continue
			} else if err != nil {
				return err
			}
			rs, err := tx.RequirementTree(ctx, other.ID)
			if err != nil {
				return err
			}
			codes = map[string]int64{}
			for _, r := range rs {
				codes[r.Code] = r.ID
			}
			trees[dm.Framework] = codes
		}
		if codes == nil {
			continue
		}
		to, ok := codes[dm.To]
		if !ok {
			problems = append(problems, sms.Problem{Line: dm.Line, Field: at + ".to",
				Reason: fmt.Sprintf("names %s, which is not a requirement of %s", dm.To, dm.Framework)})
			continue
		}
		p := pair{ids[dm.From], to}
		if old, ok := have[p]; ok {
			keep[old.ID] = true
			after, err := tx.UpdateMapping(ctx, actor, old.ID, 0, func(m *sms.Mapping) error {
				m.Relation, m.Note = dm.Relation, dm.Note
				return nil
			})
			if err != nil {
				return err
			}
			if after.Version != old.Version {
				out.Mappings.Changed++
			} else {
				out.Mappings.Unchanged++
			}
			continue
		}
		m := sms.Mapping{FromID: p.from, ToID: p.to, Relation: dm.Relation, Note: dm.Note}
		if err := tx.CreateMapping(ctx, actor, &m); err != nil {
			return err
		}
		out.Mappings.Added++
	}
	if len(problems) > 0 {
		return problems.Err()
	}
	for _, m := range existing {
		if !keep[m.ID] {
			if err := tx.DeleteMapping(ctx, actor, m.ID, 0); err != nil {
				return err
			}
			out.Mappings.Removed++
		}
	}
	return nil
}

// Seed loads the built-in framework, or brings it up to date after an
// upgrade of Conform; when it is already current it writes nothing. Two
// instances starting together may both try to create it: the one that
// loses finds it the second time.
func (c *Catalogue) Seed(ctx context.Context) error {
	d, err := sms.BuiltIn()
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		if fw, err := c.db.FrameworkByCode(ctx, d.Code); err == nil {
			have, err := export(ctx, c.db, fw)
			if err != nil {
				return err
			}
			// Cross-references from the built-in framework are the
			// installation's own; the file brings none.
			d.Mappings = have.Mappings
			want, err := sms.Encode(d)
			if err != nil {
				return err
			}
			got, err := sms.Encode(have)
			if err != nil {
				return err
			}
			if bytes.Equal(got, want) {
				return nil
			}
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		_, err = c.load(ctx, access.System, d)
		if err == nil || attempt > 0 || !errs.Is(err, errs.Invalid) {
			if err != nil {
				return fmt.Errorf("load the built-in framework: %w", err)
			}
			return nil
		}
	}
}
