package cli_test

import (
	"archive/zip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidencePackExport writes the demo's internal audit's evidence pack
// and checks it as an auditor would: unzipped, `sha256sum -c
// MANIFEST.sha256` passes, and fails once a file is changed. Mistakes
// are refused naming the flag, and an existing file is never written
// over.
func TestEvidencePackExport(t *testing.T) {
	sha256sum, err := exec.LookPath("sha256sum")
	if err != nil {
		t.Skip("sha256sum (coreutils) is not installed: it checks the manifest as an auditor would")
	}
	dir := t.TempDir()
	env := map[string]string{"CONFORM_DATA_DIR": filepath.Join(dir, "data")}
	if r := run(t, env, "", "demo"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	out := filepath.Join(dir, "pack.zip")
	r := run(t, env, "", "export", "evidence-pack", "--audit", "AUD-000001", "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "AUD-000001-evidence-pack") || !strings.Contains(r.stdout, "audit trail head: entry ") {
		t.Fatalf("export evidence-pack: %+v", r)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("the pack: %v, %v; want it readable by its owner alone", fi, err)
	}
	unpacked := filepath.Join(dir, "unpacked")
	unzip(t, out, unpacked)
	root := filepath.Join(unpacked, "AUD-000001-evidence-pack")
	check := exec.Command(sha256sum, "-c", "--strict", "MANIFEST.sha256")
	check.Dir = root
	if got, err := check.CombinedOutput(); err != nil || !strings.Contains(string(got), "index.html: OK") {
		t.Fatalf("sha256sum -c: %v\n%s", err, got)
	}
	if err := os.WriteFile(filepath.Join(root, "records", "findings.csv"), []byte("number\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	check = exec.Command(sha256sum, "-c", "--quiet", "MANIFEST.sha256")
	check.Dir = root
	if got, err := check.CombinedOutput(); err == nil || !strings.Contains(string(got), "records/findings.csv: FAILED") {
		t.Errorf("sha256sum -c after changing a file: %v\n%s", err, got)
	}

	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no audit", []string{"--out", filepath.Join(dir, "x.zip")}, 2, "--audit"},
		{"not a number", []string{"--audit", "NC-000001", "--out", filepath.Join(dir, "x.zip")}, 1, "audit"},
		{"no such audit", []string{"--audit", "AUD-009999", "--out", filepath.Join(dir, "x.zip")}, 1, "not found"},
		{"file exists", []string{"--audit", "1", "--out", out}, 1, "exists"},
	} {
		before, _ := os.ReadFile(out)
		r := run(t, env, "", append([]string{"export", "evidence-pack"}, c.args...)...)
		if r.code != c.code || !strings.Contains(strings.ToLower(r.stderr), c.msg) {
			t.Errorf("%s: %+v, want code %d naming %q", c.name, r, c.code, c.msg)
		}
		if _, err := os.Stat(filepath.Join(dir, "x.zip")); err == nil {
			t.Errorf("%s: wrote x.zip", c.name)
		}
		if after, _ := os.ReadFile(out); string(after) != string(before) {
			t.Errorf("%s: the existing pack was changed", c.name)
		}
	}
}

// unzip extracts a ZIP into dir.
func unzip(t *testing.T, file, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(path, dir+string(os.PathSeparator)) {
			t.Fatalf("%q escapes the folder", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
