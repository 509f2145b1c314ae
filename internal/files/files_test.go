package files

import (
	"bytes"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/errs"
)

var (
	pdf  = []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	zip  = []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml")
	csv  = []byte("name,owner\nincident,ana\n")
	html = []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
	oleD = append(append([]byte{}, ole...), bytes.Repeat([]byte{0}, 32)...)
)

func TestCheckAccepts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		data     []byte
		wantType string
	}{
		{"policy.pdf", pdf, "application/pdf"},
		{"Scan.PNG", png, "image/png"},
		{"register.xlsx", zip, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"minutes.docx", zip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"list.csv", csv, "text/csv; charset=utf-8"},
		{"notes.txt", csv, "text/plain; charset=utf-8"},
		{"old.doc", oleD, "application/msword"},
		{`C:\Users\ana\report.pdf`, pdf, "application/pdf"},
	} {
		f, err := Upload{Field: "file", Name: tc.name, Data: tc.data}.Check(1 << 20)
		if err != nil {
			t.Errorf("%s: got %v, want accepted", tc.name, err)
			continue
		}
		if f.Type != tc.wantType || f.Size != int64(len(tc.data)) || f.Hash != Hash(tc.data) || strings.ContainsAny(f.Name, `\/`) {
			t.Errorf("%s: got %+v, want type %s, size %d, its hash and a name without a path", tc.name, f, tc.wantType, len(tc.data))
		}
	}
}

func TestCheckRefuses(t *testing.T) {
	for _, tc := range []struct {
		what string
		up   Upload
		max  int64
		want string
	}{
		{"over the limit", Upload{Field: "file", Name: "big.pdf", Data: pdf}, 10, "is larger than the limit of 10 bytes"},
		{"cut off at the limit", Upload{Field: "attachment", Name: "big.pdf", TooLarge: true}, 10 << 20, "is larger than the limit of 10 MiB"},
		{"empty", Upload{Field: "file", Name: "a.pdf"}, 1 << 20, "is empty"},
		{"HTML", Upload{Field: "file", Name: "page.html", Data: html}, 1 << 20, "is of a type Conform does not keep"},
		{"SVG", Upload{Field: "file", Name: "logo.svg", Data: []byte("<svg onload=alert(1)></svg>")}, 1 << 20, "is of a type Conform does not keep"},
		{"no extension", Upload{Field: "file", Name: "report", Data: pdf}, 1 << 20, "is of a type Conform does not keep"},
		{"HTML named PDF", Upload{Field: "file", Name: "report.pdf", Data: html}, 1 << 20, "does not hold what its name says"},
		{"HTML named CSV", Upload{Field: "file", Name: "list.csv", Data: html}, 1 << 20, "does not hold what its name says"},
		{"text named DOC", Upload{Field: "file", Name: "old.doc", Data: csv}, 1 << 20, "does not hold what its name says"},
		{"executable named PNG", Upload{Field: "file", Name: "a.png", Data: []byte("MZ\x90\x00")}, 1 << 20, "does not hold what its name says"},
	} {
		_, err := tc.up.Check(tc.max)
		e := errs.As(err)
		if e == nil || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tc.up.Field || !strings.Contains(e.Fields[0].Reason, tc.want) {
			t.Errorf("%s: got %v, want %s: %s", tc.what, err, tc.up.Field, tc.want)
		}
	}
}

func TestSafeTypeAndNames(t *testing.T) {
	if got := SafeType("text/html"); got != "application/octet-stream" {
		t.Errorf("SafeType(text/html): got %s", got)
	}
	if got := SafeType("application/pdf"); got != "application/pdf" {
		t.Errorf("SafeType(application/pdf): got %s", got)
	}
	long := strings.Repeat("é", 300) + ".pdf"
	if got := cleanName(long); !strings.HasSuffix(got, ".pdf") || len([]rune(got)) != 200 {
		t.Errorf("long name: got %d runes ending %q, want 200 keeping .pdf", len([]rune(got)), got[len(got)-4:])
	}
	if got := cleanName("a\"b\r\n.pdf"); got != "ab.pdf" {
		t.Errorf("control characters: got %q", got)
	}
	if !ValidHash(Hash(pdf)) || ValidHash("../etc/passwd") || ValidHash(strings.ToUpper(Hash(pdf))) {
		t.Error("ValidHash accepts only a lower-case SHA-256 in hex")
	}
	for n, want := range map[int64]string{10 << 20: "10 MiB", 1536 << 10: "1.5 MiB", 2048: "2 KiB", 12: "12 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d): got %s, want %s", n, got, want)
		}
	}
}
