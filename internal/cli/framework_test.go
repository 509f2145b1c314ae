package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/sms"
)

// A small framework cross-referenced to the built-in one.
const testFramework = `format: conform-framework/1
code: test-frame
name: Test Frame
publisher: Tests
allows_exclusions: true
requirements:
  - code: "1"
    title: One
    requirements:
      - code: "1.1"
        title: One point one
mappings:
  - from: "1.1"
    framework: iso-iec-20000-1-2018
    to: "8.6.1"
    relation: related
`

// TestFrameworkCommands lists, loads, loads again and exports
// frameworks as a user of the commands would: the built-in framework is
// there from the start and exports as it ships, a file loads and then
// updates in place, a file with mistakes changes nothing and says where
// they are, and an export loads back unchanged.
func TestFrameworkCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CONFORM_DATA_DIR": filepath.Join(dir, "data")}
	file := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rows := func(r result) []string {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("framework list: %+v", r)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if !regexp.MustCompile(`^ID\s+NUMBER\s+CODE\s+REQUIREMENTS\s+EXCLUSIONS\s+NAME$`).MatchString(lines[0]) {
			t.Errorf("framework list header: %q", lines[0])
		}
		return lines[1:]
	}

	builtIn := regexp.MustCompile(`^1\s+FRM-000001\s+iso-iec-20000-1-2018\s+77\s+not allowed\s+ISO/IEC 20000-1:2018$`)
	if got := rows(run(t, env, "", "framework", "list")); len(got) != 1 || !builtIn.MatchString(got[0]) {
		t.Fatalf("framework list on a new database: %q, want the built-in framework alone", got)
	}

	// The built-in framework exports as it ships, by id, number or code.
	ships, err := os.ReadFile("../sms/frameworks/iso-iec-20000-1-2018.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, which := range []string{"1", "FRM-000001", "frm-000001", "iso-iec-20000-1-2018"} {
		r := run(t, env, "", "framework", "export", which)
		if r.code != 0 || r.stdout != string(ships) {
			t.Errorf("framework export %s: exit %d, stderr %q, %d bytes out; want the shipped file's %d bytes", which, r.code, r.stderr, len(r.stdout), len(ships))
		}
	}

	// A new framework loads; loaded again with a change, it updates.
	r := run(t, env, "", "framework", "import", file("test.yaml", testFramework))
	if r.code != 0 || !strings.Contains(r.stdout, "loaded Test Frame (test-frame, id 2)") ||
		!strings.Contains(r.stdout, "requirements:     2 added, 0 changed, 0 removed, 0 unchanged") ||
		!strings.Contains(r.stdout, "cross-references: 1 added, 0 changed, 0 removed, 0 unchanged") {
		t.Fatalf("framework import of a new framework: %+v", r)
	}
	changed := strings.Replace(testFramework, "title: One point one", "title: One and a bit", 1)
	r = run(t, env, "", "framework", "import", "--data-dir", env["CONFORM_DATA_DIR"], file("changed.yaml", changed))
	if r.code != 0 || !strings.Contains(r.stdout, "updated Test Frame (test-frame, id 2)") ||
		!strings.Contains(r.stdout, "requirements:     0 added, 1 changed, 0 removed, 1 unchanged") ||
		!strings.Contains(r.stdout, "cross-references: 0 added, 0 changed, 0 removed, 1 unchanged") {
		t.Fatalf("framework import of a new version (the file after the flags): %+v", r)
	}
	got := rows(run(t, env, "", "framework", "list"))
	test := regexp.MustCompile(`^2\s+FRM-000002\s+test-frame\s+2\s+allowed\s+Test Frame$`)
	if len(got) != 2 || !builtIn.MatchString(got[0]) || !test.MatchString(got[1]) {
		t.Errorf("framework list after loading: %q, want the built-in framework and Test Frame with 2 requirements", got)
	}

	// A file with mistakes: each named with its line and field, nothing loaded.
	bad := file("bad.yaml", strings.Replace(strings.Replace(testFramework, "title: One\n", "title: \"\"\n", 1), "relation: related", "relation: alike", 1))
	r = run(t, env, "", "framework", "import", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "was not loaded; nothing changed") {
		t.Errorf("framework import of a file with mistakes: %+v, want exit 1 saying nothing changed", r)
	}
	for _, want := range []string{bad + ":8: requirements[0].title ", bad + ":16: mappings[0].relation "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("framework import of a file with mistakes: stderr %q, want a line starting %q", r.stderr, want)
		}
	}
	if after := rows(run(t, env, "", "framework", "list")); len(after) != 2 || !test.MatchString(after[1]) {
		t.Errorf("framework list after a refused file: %q, want it unchanged", after)
	}

	// An export, to a file, loads back with nothing to change.
	out := filepath.Join(dir, "exported.yaml")
	r = run(t, env, "", "framework", "export", "test-frame", "--out", out)
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "wrote Test Frame (2 requirements) to "+out) {
		t.Fatalf("framework export --out: %+v", r)
	}
	exported, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	d, err := sms.Parse(exported)
	if err != nil || d.Code != "test-frame" || d.Count() != 2 || !strings.Contains(string(exported), "One and a bit") {
		t.Errorf("exported file: %v, code %q, %d requirements; want the updated Test Frame:\n%s", err, d.Code, d.Count(), exported)
	}
	r = run(t, env, "", "framework", "import", out)
	if r.code != 0 || !strings.Contains(r.stdout, "requirements:     0 added, 0 changed, 0 removed, 2 unchanged") ||
		!strings.Contains(r.stdout, "cross-references: 0 added, 0 changed, 0 removed, 1 unchanged") {
		t.Errorf("framework import of its own export: %+v, want nothing changed", r)
	}
}

// TestFrameworkCommandMistakes: a missing argument is a usage mistake
// (exit 2), a framework or file that is not there a failure (exit 1),
// each saying what to give instead.
func TestFrameworkCommandMistakes(t *testing.T) {
	env := map[string]string{"CONFORM_DATA_DIR": t.TempDir()}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"import without a file", []string{"framework", "import"}, 2, "which file?"},
		{"import of a file not there", []string{"framework", "import", filepath.Join(t.TempDir(), "none.yaml")}, 1, "none.yaml"},
		{"export without a framework", []string{"framework", "export"}, 2, "which framework?"},
		{"export of a framework not there", []string{"framework", "export", "iso-9001"}, 1, `no framework has id, number or code "iso-9001"`},
		{"export of a number not there", []string{"framework", "export", "FRM-000009"}, 1, "not found"},
		{"an unknown flag", []string{"framework", "list", "--colour"}, 2, "colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, env, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) || r.stdout != "" {
				t.Errorf("conform %s: %+v, want exit %d, nothing on stdout and stderr saying %q", strings.Join(tt.args, " "), r, tt.code, tt.stderr)
			}
		})
	}
	for _, sub := range []string{"list", "import", "export"} {
		r := run(t, nil, "", "framework", sub, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: conform framework "+sub) || !strings.Contains(r.stdout, "--data-dir") {
			t.Errorf("conform framework %s --help: %+v", sub, r)
		}
	}
}
