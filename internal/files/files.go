// Package files is what Conform accepts as an uploaded file and how it
// names one: by the SHA-256 of its content, so the same file uploaded
// twice is stored once. It decides, from the content and the name's
// extension together, whether a file is of a type Conform keeps (PDF,
// images, text, CSV, office documents) and the safe type it is served as.
// It knows nothing of SQL or HTTP.
package files

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
)

// DefaultMaxSize is the size limit of an upload unless configured.
const DefaultMaxSize = 10 << 20

// File is a stored file as a record refers to it: its content's hash,
// the name it was uploaded under, its type and its size.
type File struct {
	Hash string `json:"hash"`
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
}

// Upload is a file as a form or a request brings it, before it is
// checked: the field it came in, its name and content. TooLarge is set
// when the content was cut off at the limit; Data then holds only part.
type Upload struct {
	Field    string
	Name     string
	Data     []byte
	TooLarge bool
}

// kind is a type Conform accepts: the extensions it goes by, the type it
// is served as, and how its content must look.
type kind struct {
	exts  []string
	serve string
	// sniffed is the prefix of what http.DetectContentType finds in it;
	// magic, when set, is checked instead.
	sniffed string
	magic   []byte
}

// ole is the signature of the compound files older office documents are.
var ole = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// allowed is the allow-list. Anything that a browser could run (HTML,
// SVG, scripts) is absent, and everything is served as an attachment
// anyway.
var allowed = []kind{
	{exts: []string{".pdf"}, serve: "application/pdf", sniffed: "application/pdf"},
	{exts: []string{".png"}, serve: "image/png", sniffed: "image/png"},
	{exts: []string{".jpg", ".jpeg"}, serve: "image/jpeg", sniffed: "image/jpeg"},
	{exts: []string{".gif"}, serve: "image/gif", sniffed: "image/gif"},
	{exts: []string{".webp"}, serve: "image/webp", sniffed: "image/webp"},
	{exts: []string{".txt", ".md", ".log"}, serve: "text/plain; charset=utf-8", sniffed: "text/plain"},
	{exts: []string{".csv"}, serve: "text/csv; charset=utf-8", sniffed: "text/plain"},
	{exts: []string{".docx"}, serve: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", sniffed: "application/zip"},
	{exts: []string{".xlsx"}, serve: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", sniffed: "application/zip"},
	{exts: []string{".pptx"}, serve: "application/vnd.openxmlformats-officedocument.presentationml.presentation", sniffed: "application/zip"},
	{exts: []string{".odt"}, serve: "application/vnd.oasis.opendocument.text", sniffed: "application/zip"},
	{exts: []string{".ods"}, serve: "application/vnd.oasis.opendocument.spreadsheet", sniffed: "application/zip"},
	{exts: []string{".odp"}, serve: "application/vnd.oasis.opendocument.presentation", sniffed: "application/zip"},
	{exts: []string{".doc"}, serve: "application/msword", magic: ole},
	{exts: []string{".xls"}, serve: "application/vnd.ms-excel", magic: ole},
	{exts: []string{".ppt"}, serve: "application/vnd.ms-powerpoint", magic: ole},
}

// Accepted is the list of extensions accepted, for help texts and the
// file input's accept attribute.
func Accepted() string {
	var out []string
	for _, k := range allowed {
		out = append(out, k.exts...)
	}
	return strings.Join(out, ",")
}

// Detect returns the type a file of this name and content is served as,
// or false when it is not a type Conform keeps or its content is not what
// its name says.
func Detect(name string, data []byte) (string, bool) {
	ext := strings.ToLower(path.Ext(name))
	for _, k := range allowed {
		for _, e := range k.exts {
			if e != ext {
				continue
			}
			if k.magic != nil {
				return k.serve, bytes.HasPrefix(data, k.magic)
			}
			return k.serve, strings.HasPrefix(http.DetectContentType(data), k.sniffed)
		}
	}
	return "", false
}

// SafeType is t if it is a type files of the allow-list are served as,
// else a plain byte stream.
func SafeType(t string) string {
	for _, k := range allowed {
		if k.serve == t {
			return t
		}
	}
	return "application/octet-stream"
}

// Hash is the content's name: its SHA-256 in hex.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ValidHash reports whether h looks like a Hash.
func ValidHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil && strings.ToLower(h) == h
}

// Size says a byte count the way people read it: 10 MiB, 512 KiB, 12 bytes.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", (n+512)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Check checks an upload against the size limit and the allow-list and
// returns the file it will be stored as; the error names the upload's
// field and why it is refused.
func (u Upload) Check(maxSize int64) (File, error) {
	field := u.Field
	if field == "" {
		field = "file"
	}
	name := cleanName(u.Name)
	switch {
	case u.TooLarge || int64(len(u.Data)) > maxSize:
		return File{}, errs.Field(field, "is larger than the limit of "+Size(maxSize))
	case len(u.Data) == 0:
		return File{}, errs.Field(field, "is empty: choose a file that has something in it")
	case name == "":
		return File{}, errs.Field(field, "has no name")
	}
	typ, ok := Detect(name, u.Data)
	if !ok {
		if typ == "" {
			return File{}, errs.Field(field, "is of a type Conform does not keep: upload a PDF, an image, a text or CSV file or an office document")
		}
		return File{}, errs.Field(field, "does not hold what its name says: its content is not a "+strings.TrimPrefix(path.Ext(name), ".")+" file")
	}
	return File{Hash: Hash(u.Data), Name: name, Type: typ, Size: int64(len(u.Data))}, nil
}

// cleanName keeps the last element of a path a browser may send, without
// control characters, at most 200 characters.
func cleanName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimSpace(name))
	if name == "." || name == "/" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for utf8.RuneCountInString(stem+ext) > 200 && stem != "" {
		_, size := utf8.DecodeLastRuneInString(stem)
		stem = stem[:len(stem)-size]
	}
	return stem + ext
}
