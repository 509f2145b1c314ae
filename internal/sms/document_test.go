package sms_test

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// The built-in framework has every numbered heading of clauses 4 to 10,
// as listed in testdata (id, title, parent), in that order, each with
// guidance in every part and three to six questions.
func TestBuiltInHasEveryHeadingWithGuidance(t *testing.T) {
	d, err := sms.BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/iso20000-1-2018-headings.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type heading struct{ code, title, parent string }
	var want []heading
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		want = append(want, heading{cols[0], cols[1], cols[2]})
	}
	var got []heading
	d.Walk(func(c sms.DocClause, parent string) {
		got = append(got, heading{c.Code, c.Title, parent})
		switch {
		case len(c.Plain) < 60 || len(c.Auditor) < 80 || len(c.Evidence) < 40:
			t.Errorf("%s: guidance too thin: plain %d, auditor %d, evidence %d characters", c.Code, len(c.Plain), len(c.Auditor), len(c.Evidence))
		case len(c.Questions) < 3 || len(c.Questions) > 6:
			t.Errorf("%s: %d questions, want 3 to 6", c.Code, len(c.Questions))
		}
		for _, q := range c.Questions {
			if !strings.HasSuffix(q, "?") {
				t.Errorf("%s: question %q is not a question", c.Code, q)
			}
		}
	})
	if len(want) != 77 {
		t.Fatalf("testdata lists %d headings, want 77", len(want))
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(heading{})); diff != "" {
		t.Errorf("built-in headings differ from the list (-want +got):\n%s", diff)
	}
	if d.AllowsExclusions {
		t.Error("ISO/IEC 20000-1 allows no exclusions, but the built-in framework says it does")
	}
}

// What Encode writes, Parse reads back unchanged; the built-in file is
// itself what Encode writes of it.
func TestEncodeParseRoundTrip(t *testing.T) {
	d, err := sms.BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	d.Mappings = []sms.DocMapping{{From: "8.7.3.1", Framework: "iso-iec-27001-2022", To: "5.2", Relation: sms.Related, Note: "Both ask for an approved security policy."}}
	out, err := sms.Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	back, err := sms.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	ignoreLines := cmpopts.IgnoreFields(sms.DocClause{}, "Line")
	if diff := cmp.Diff(d, back, ignoreLines, cmpopts.IgnoreFields(sms.DocMapping{}, "Line")); diff != "" {
		t.Errorf("round trip changed the document (-before +after):\n%s", diff)
	}
	d.Mappings = nil
	shipped, err := sms.Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	if string(shipped) != string(sms.BuiltInFile()) {
		t.Error("the built-in file is not as Encode writes it; regenerate it with Encode so that export gives it back byte for byte")
	}
}

// Every mistake is reported with its line and its field.
func TestParseNamesLineAndField(t *testing.T) {
	const good = `format: conform-framework/1
code: demo
name: Demo
allows_exclusions: false
requirements:
  - code: "1"
    title: One
`
	for _, tc := range []struct {
		name string
		doc  string
		want []sms.Problem
	}{
		{"missing title", good + "  - code: \"2\"\n", []sms.Problem{{Line: 8, Field: "requirements[1].title", Reason: "is required"}}},
		{"unknown field", strings.Replace(good, "    title: One\n", "    title: One\n    tilte: Two\n", 1),
			[]sms.Problem{{Line: 8, Field: "requirements[0].tilte", Reason: "is not a field here; the fields are code, title, plain, auditor, evidence, questions, requirements"}}},
		{"duplicate code", good + "  - code: \"1\"\n    title: Again\n",
			[]sms.Problem{{Line: 8, Field: "requirements[1].code", Reason: "1 is already the code of the requirement on line 6; each code names one requirement"}}},
		{"bad flag", strings.Replace(good, "allows_exclusions: false", "allows_exclusions: maybe", 1),
			[]sms.Problem{{Line: 4, Field: "allows_exclusions", Reason: "must be true or false"}}},
		{"wrong format", strings.Replace(good, "conform-framework/1", "conform-framework/9", 1),
			[]sms.Problem{{Line: 1, Field: "format", Reason: "must be conform-framework/1 (this version of Conform reads no other)"}}},
		{"question not text", good + "    questions:\n      - [a, b]\n",
			[]sms.Problem{{Line: 9, Field: "requirements[0].questions[0]", Reason: "must be text"}}},
		{"nested bad code", good + "    requirements:\n      - code: \"1 1\"\n        title: Sub\n",
			[]sms.Problem{{Line: 9, Field: "requirements[0].requirements[0].code", Reason: "must be letters, digits, dots, dashes and underscores, starting with a letter or digit (such as 8.6.1)"}}},
		{"mapping to itself", good + "mappings:\n  - from: \"1\"\n    framework: demo\n    to: \"2\"\n    relation: same\n",
			[]sms.Problem{
				{Line: 10, Field: "mappings[0].framework", Reason: "names this framework; cross-references join requirements of two different frameworks"},
				{Line: 12, Field: "mappings[0].relation", Reason: "must be equivalent, partial or related"}}},
		{"mapping from unknown", good + "mappings:\n  - from: \"9\"\n    framework: other\n    to: \"2\"\n",
			[]sms.Problem{{Line: 9, Field: "mappings[0].from", Reason: "names 9, which is not a requirement of this framework"}}},
		{"syntax", "code: [unclosed\n", []sms.Problem{{Line: 1, Reason: "cannot be read: did not find expected ',' or ']'"}}},
		{"not a mapping", "- a\n- b\n", []sms.Problem{{Line: 1, Reason: "must be a mapping of fields (key: value)"}}},
		{"json", `{"format": "conform-framework/1", "code": "Demo", "name": "Demo", "allows_exclusions": false,
 "requirements": [{"code": "1", "title": "One"}]}`, []sms.Problem{{Line: 1, Field: "code", Reason: "must be lower-case letters, digits, dots, colons and dashes, starting with a letter or digit"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sms.Parse([]byte(tc.doc))
			var got sms.Problems
			if !errors.As(err, &got) {
				t.Fatalf("got %v, want problems", err)
			}
			if diff := cmp.Diff(tc.want, []sms.Problem(got)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || len(e.Fields) != len(tc.want) {
				t.Fatalf("got %v, want an invalid-input error naming %d fields", err, len(tc.want))
			}
		})
	}
	if _, err := sms.Parse([]byte(good)); err != nil {
		t.Errorf("a good file is refused: %v", err)
	}
}
