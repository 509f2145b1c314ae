package store_test

import (
	"context"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The catalogue's tables on both engines: a tree of requirements kept in
// order, unique codes per framework, cross-references both ways, every
// write audited.
func TestFrameworkTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, actor := context.Background(), access.System
		var fw, other sms.Framework
		var top, child, elsewhere sms.Requirement
		err := db.InTx(ctx, func(tx *store.Tx) error {
			fw = sms.Framework{Code: "demo", Name: "Demo"}
			if err := tx.CreateFramework(ctx, actor, &fw); err != nil {
				return err
			}
			other = sms.Framework{Code: "other", Name: "Other", AllowsExclusions: true}
			if err := tx.CreateFramework(ctx, actor, &other); err != nil {
				return err
			}
			top = sms.Requirement{FrameworkID: fw.ID, Code: "1", Title: "Top", Position: 1}
			if err := tx.CreateRequirement(ctx, actor, &top); err != nil {
				return err
			}
			child = sms.Requirement{FrameworkID: fw.ID, ParentID: &top.ID, Code: "1.1", Title: "Child", Position: 2,
				Guidance: sms.Guidance{Plain: "Do it.", Questions: "Do we?\nHow?"}}
			if err := tx.CreateRequirement(ctx, actor, &child); err != nil {
				return err
			}
			elsewhere = sms.Requirement{FrameworkID: other.ID, Code: "1", Title: "Same code, other framework", Position: 1}
			if err := tx.CreateRequirement(ctx, actor, &elsewhere); err != nil {
				return err
			}
			return tx.CreateMapping(ctx, actor, &sms.Mapping{FromID: child.ID, ToID: elsewhere.ID, Relation: sms.Related})
		})
		if err != nil {
			t.Fatal(err)
		}
		tree, err := db.RequirementTree(ctx, fw.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tree) != 2 || tree[0].ID != top.ID || tree[1].ID != child.ID || tree[1].ParentID == nil || *tree[1].ParentID != top.ID || tree[0].ParentID != nil {
			t.Fatalf("tree: got %+v, want top then its child", tree)
		}
		if got := tree[1].QuestionList(); len(got) != 2 || got[1] != "How?" {
			t.Errorf("questions: got %q", got)
		}
		tops, _, err := db.ListRequirements(ctx, store.RequirementFilter{FrameworkID: fw.ID, TopLevel: true})
		if err != nil || len(tops) != 1 || tops[0].ID != top.ID {
			t.Errorf("top-level requirements: got %v, %v", tops, err)
		}
		under, _, err := db.ListRequirements(ctx, store.RequirementFilter{ParentID: top.ID})
		if err != nil || len(under) != 1 || under[0].ID != child.ID {
			t.Errorf("requirements under 1: got %v, %v", under, err)
		}
		for _, id := range []int64{child.ID, elsewhere.ID} {
			ms, err := db.ListMappings(ctx, store.MappingFilter{RequirementID: id})
			if err != nil || len(ms) != 1 {
				t.Errorf("cross-references of %d: got %v, %v, want the one", id, ms, err)
			}
		}
		counts, err := db.RequirementCounts(ctx)
		if err != nil || counts[fw.ID] != 2 || counts[other.ID] != 1 {
			t.Errorf("counts: got %v, %v", counts, err)
		}

		// A second requirement with code 1 in the same framework is refused
		// on its field; so is a second framework with the same code.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			return tx.CreateRequirement(ctx, actor, &sms.Requirement{FrameworkID: fw.ID, Code: "1", Title: "Again", Position: 3})
		})
		if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "code" {
			t.Errorf("duplicate code: got %v, want an error on code", err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			return tx.CreateFramework(ctx, actor, &sms.Framework{Code: "demo", Name: "Again"})
		})
		if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "code" {
			t.Errorf("duplicate framework code: got %v, want an error on code", err)
		}
		// Each write is in the audit trail.
		for entity, id := range map[string]int64{"framework": fw.ID, "requirement": child.ID} {
			es, _, err := db.ListAudit(ctx, store.AuditFilter{Entity: entity, EntityID: id})
			if err != nil || len(es) != 1 {
				t.Errorf("history of %s %d: got %d entries, %v; want its creation", entity, id, len(es), err)
			}
		}
	})
}
