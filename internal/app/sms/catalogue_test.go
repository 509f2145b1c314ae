package sms_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func newCatalogue(t *testing.T, db *store.DB) *smsapp.Catalogue {
	t.Helper()
	a, err := app.New(context.Background(), db, nil, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := smsapp.New(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var manager = access.Actor{UserID: 0, Name: "manager", Role: access.SMSManager, Via: "test"}

const demoV1 = `format: conform-framework/1
code: demo-standard
name: Demo standard
allows_exclusions: true
requirements:
  - code: "1"
    title: Leadership
    questions:
      - Do we lead?
    requirements:
      - code: "1.1"
        title: Policy
      - code: "1.2"
        title: Roles
  - code: "2"
    title: Operation
mappings:
  - from: "1.1"
    framework: iso-iec-20000-1-2018
    to: "5.2.1"
    relation: equivalent
  - from: "2"
    framework: iso-iec-20000-1-2018
    to: "8"
`

// The built-in framework is there from the start, once, however often
// the area starts; exporting it and loading what came out changes
// nothing, and the export is the shipped file byte for byte.
func TestBuiltInSeedAndRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newCatalogue(t, db)
		before, err := db.CountAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := newCatalogue(t, db) // a second start
		fws, _, err := c.ListFrameworks(ctx, manager, store.FrameworkFilter{})
		if err != nil || len(fws) != 1 || fws[0].Code != sms.BuiltInCode || fws[0].AllowsExclusions {
			t.Fatalf("frameworks after two starts: %+v, %v; want the built-in one, allowing no exclusions", fws, err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("a second start wrote %d audit entries; the built-in framework was current", after-before)
		}
		tree, err := c.Tree(ctx, manager, fws[0].ID)
		if err != nil || len(tree) != 77 {
			t.Fatalf("built-in tree: %d requirements, %v; want 77", len(tree), err)
		}
		d, err := c.Export(ctx, manager, fws[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		out, err := sms.Encode(d)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(sms.BuiltInFile()) {
			t.Error("exporting the built-in framework does not give back the shipped file")
		}
		loaded, err := c.Import(ctx, manager, out)
		if err != nil {
			t.Fatal(err)
		}
		if loaded.New || loaded.Requirements != (smsapp.Counts{Unchanged: 77}) {
			t.Errorf("loading the export: %+v, want 77 unchanged", loaded)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("loading the export wrote %d audit entries; nothing changed", after-before)
		}
	})
}

// Loading a framework again updates it in place: requirements keep their
// ids, changed ones are changed, new ones added, dropped ones removed with
// their cross-references; cross-references are matched and kept too.
func TestReimportKeepsIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCatalogue(t, db)
		first, err := c.Import(ctx, manager, []byte(demoV1))
		if err != nil {
			t.Fatal(err)
		}
		if !first.New || first.Requirements.Added != 4 || first.Mappings.Added != 2 {
			t.Fatalf("first load: %+v", first)
		}
		ids := codeIDs(t, c, first.Framework.ID)
		v2 := strings.Replace(demoV1, "title: Policy", "title: Policy and direction", 1)
		v2 = strings.Replace(v2, "      - code: \"1.2\"\n        title: Roles\n", "", 1)
		v2 = strings.Replace(v2, "  - code: \"2\"\n    title: Operation\n", "  - code: \"2\"\n    title: Operation\n    requirements:\n      - code: \"2.1\"\n        title: Planning\n", 1)
		v2 = strings.Replace(v2, "relation: equivalent", "relation: partial", 1)
		second, err := c.Import(ctx, manager, []byte(v2))
		if err != nil {
			t.Fatal(err)
		}
		want := smsapp.Counts{Added: 1, Changed: 2, Removed: 1, Unchanged: 1} // 2 moved up a place
		if second.New || second.Framework.ID != first.Framework.ID || second.Requirements != want {
			t.Errorf("second load: %+v, want the same framework with requirements %+v", second, want)
		}
		if second.Mappings != (smsapp.Counts{Changed: 1, Unchanged: 1}) {
			t.Errorf("second load's cross-references: %+v, want one changed, one unchanged", second.Mappings)
		}
		again := codeIDs(t, c, first.Framework.ID)
		for _, code := range []string{"1", "1.1", "2"} {
			if again[code] != ids[code] {
				t.Errorf("requirement %s: id %d, was %d; a new version must keep it", code, again[code], ids[code])
			}
		}
		if _, ok := again["1.2"]; ok {
			t.Error("1.2, which the file dropped, is still there")
		}
		r, err := c.GetRequirement(ctx, manager, ids["1.1"])
		if err != nil || r.Title != "Policy and direction" {
			t.Errorf("1.1 after the new version: %+v, %v", r, err)
		}
		xs, err := c.CrossReferences(ctx, manager, ids["1.1"])
		if err != nil || len(xs) != 1 || xs[0].Relation != sms.Partial || xs[0].Other.Code != "5.2.1" || !xs[0].Outgoing {
			t.Errorf("cross-references of 1.1: %+v, %v", xs, err)
		}
		// Seen from the other side, the cross-reference is there too.
		xs, err = c.CrossReferences(ctx, manager, xs[0].Other.ID)
		if err != nil || len(xs) != 1 || xs[0].Outgoing || xs[0].OtherFramework.Code != "demo-standard" {
			t.Errorf("cross-references of 5.2.1: %+v, %v", xs, err)
		}
		// Export then load is lossless for a framework with cross-references.
		d, err := c.Export(ctx, manager, first.Framework.ID)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := sms.Parse([]byte(v2))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(parsed, d, cmpopts.IgnoreFields(sms.DocClause{}, "Line"), cmpopts.IgnoreFields(sms.DocMapping{}, "Line")); diff != "" {
			t.Errorf("export differs from the file loaded (-file +export):\n%s", diff)
		}
	})
}

func codeIDs(t *testing.T, c *smsapp.Catalogue, fw int64) map[string]int64 {
	t.Helper()
	tree, err := c.Tree(context.Background(), manager, fw)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range tree {
		out[r.Code] = r.ID
	}
	return out
}

// A bad file, a cross-reference to a framework not loaded, or a caller
// who may not load frameworks: refused, and nothing changes.
func TestImportRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCatalogue(t, db)
		before, _ := db.CountAudit(ctx)
		bad := strings.Replace(demoV1, "framework: iso-iec-20000-1-2018\n    to: \"8\"", "framework: iso-iec-27001-2022\n    to: \"5.2\"", 1)
		_, err := c.Import(ctx, manager, []byte(bad))
		var ps sms.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 22 || ps[0].Field != "mappings[1].framework" {
			t.Errorf("cross-reference to a framework not loaded: got %v, want a problem on mappings[1].framework, line 22", err)
		}
		bad = strings.Replace(demoV1, "to: \"8\"", "to: \"99\"", 1)
		_, err = c.Import(ctx, manager, []byte(bad))
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Field != "mappings[1].to" || ps[0].Reason != "names 99, which is not a requirement of iso-iec-20000-1-2018" {
			t.Errorf("cross-reference to no requirement: got %v", err)
		}
		agent := access.Actor{Name: "agent", Role: access.Agent}
		if _, err := c.Import(ctx, agent, []byte(demoV1)); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agent loading a framework: got %v, want forbidden", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused loads wrote %d audit entries", after-before)
		}
		fws, _, _ := c.ListFrameworks(ctx, manager, store.FrameworkFilter{})
		if len(fws) != 1 {
			t.Errorf("refused loads left %d frameworks, want only the built-in one", len(fws))
		}
		if _, _, err := c.ListFrameworks(ctx, access.Actor{Role: access.Requester}, store.FrameworkFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a requester listing frameworks: got %v, want forbidden", err)
		}
	})
}
