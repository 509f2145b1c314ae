package sms

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/record"
)

// Evidence shows that a requirement is met: a controlled document, an
// uploaded file, a record in Conform or a web address. Each item has an
// owner who keeps it current and a day by which it must be reviewed;
// past that day it has expired, and counts against the requirement's
// readiness (docs/assessments.md).
type Evidence struct {
	record.Meta
	Title         string `json:"title"`
	Notes         string `json:"notes"`
	RequirementID int64  `json:"requirement_id"`
	OwnerID       int64  `json:"owner_id"`
	// ReviewBy is the day by which it must be looked at again,
	// "2006-01-02"; after it, the evidence has expired.
	ReviewBy string `json:"review_by"`
	Kind     string `json:"kind"`
	// RefEntity and RefID name the record, for a document (entity
	// "document" once that kind exists) or a record.
	RefEntity string `json:"ref_entity"`
	RefID     int64  `json:"ref_id"`
	URL       string `json:"url"`
	// The file, for an uploaded file.
	FileHash string `json:"file_hash"`
	FileName string `json:"file_name"`
	FileType string `json:"file_type"`
	FileSize int64  `json:"file_size"`
}

// Evidence kinds.
const (
	EvidenceDocument = "document"
	EvidenceFile     = "file"
	EvidenceRecord   = "record"
	EvidenceURL      = "url"
)

// EvidenceKinds are the kinds of evidence.
var EvidenceKinds = []Code{{EvidenceDocument, "Controlled document"}, {EvidenceFile, "Uploaded file"}, {EvidenceRecord, "Record in Conform"}, {EvidenceURL, "Web address"}}

// DocumentEntity is the entity of controlled documents, which document
// evidence refers to.
const DocumentEntity = "document"

// ExpiringDays is how near its review day evidence is said to expire
// soon.
const ExpiringDays = 30

// Expired reports whether the evidence is past its review day.
func (e Evidence) Expired(today string) bool { return e.ReviewBy < today }

// File is the evidence's file, for an uploaded file.
func (e Evidence) File() files.File {
	return files.File{Hash: e.FileHash, Name: e.FileName, Type: e.FileType, Size: e.FileSize}
}

// Freshness is how current evidence due for review on reviewBy is today:
// "expired", "expiring" (within ExpiringDays) or "current".
func Freshness(reviewBy, today string) string {
	switch {
	case reviewBy < today:
		return "expired"
	case reviewBy <= addDays(today, ExpiringDays):
		return "expiring"
	}
	return "current"
}

func addDays(day string, n int) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return d.AddDate(0, 0, n).Format(time.DateOnly)
}

// EvidenceInput is what an item of evidence is made of, whole; File, for
// an uploaded file, is the file checked and about to be stored (nil
// keeps the one it has).
type EvidenceInput struct {
	Title, Notes, ReviewBy, Kind, RefEntity, URL string
	RequirementID, OwnerID, RefID                int64
	File                                         *files.File
}

// Normalize trims the input and drops what its kind does not use.
func (in *EvidenceInput) Normalize() {
	in.Title, in.Notes, in.ReviewBy = strings.TrimSpace(in.Title), strings.TrimSpace(in.Notes), strings.TrimSpace(in.ReviewBy)
	in.Kind, in.RefEntity, in.URL = strings.TrimSpace(in.Kind), strings.TrimSpace(in.RefEntity), strings.TrimSpace(in.URL)
	if in.Kind != EvidenceDocument && in.Kind != EvidenceRecord {
		in.RefEntity, in.RefID = "", 0
	}
	if in.Kind == EvidenceDocument && in.RefEntity == "" {
		in.RefEntity = DocumentEntity
	}
	if in.Kind != EvidenceURL {
		in.URL = ""
	}
	if in.Kind != EvidenceFile {
		in.File = nil
	}
}

// Validate checks every field; hasFile says whether the evidence has a
// file already (an edit that keeps it).
func (in EvidenceInput) Validate(hasFile bool) error {
	var c errs.Checker
	switch {
	case in.Title == "":
		c.Add("title", "is required")
	case utf8.RuneCountInString(in.Title) > 200 || strings.ContainsAny(in.Title, "\x00\r\n"):
		c.Add("title", "must be a single line of at most 200 characters")
	}
	c.Check(utf8.RuneCountInString(in.Notes) <= 4000 && !strings.ContainsRune(in.Notes, 0), "notes", "must be at most 4000 characters")
	c.Check(in.RequirementID > 0, "requirement_id", "is required: choose the requirement it shows is met")
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who keeps it current")
	if in.ReviewBy == "" {
		c.Add("review_by", "is required: the day by which it must be looked at again")
	} else if _, err := time.Parse(time.DateOnly, in.ReviewBy); err != nil {
		c.Add("review_by", "must be a date such as 2027-01-31")
	}
	switch in.Kind {
	case EvidenceDocument:
		c.Check(in.RefID > 0, "ref_id", "is required: choose the controlled document")
	case EvidenceRecord:
		c.Check(in.RefEntity != "", "ref_entity", "is required: choose the kind of record")
		c.Check(in.RefID > 0, "ref_id", "is required: choose the record")
	case EvidenceURL:
		c.Check(validURL(in.URL), "url", "must be a web address starting with http:// or https://, of at most 2000 characters")
	case EvidenceFile:
		c.Check(in.File != nil || hasFile, "file", "is required: choose the file to upload")
	default:
		c.Add("kind", "must be document, file, record or url")
	}
	return c.Err()
}

func validURL(s string) bool {
	if s == "" || len(s) > 2000 || strings.ContainsAny(s, " \x00\r\n\t") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// Set puts the input into the evidence; a kind other than a file drops
// the file.
func (in EvidenceInput) Set(e *Evidence) {
	e.Title, e.Notes, e.RequirementID, e.OwnerID, e.ReviewBy, e.Kind = in.Title, in.Notes, in.RequirementID, in.OwnerID, in.ReviewBy, in.Kind
	e.RefEntity, e.RefID, e.URL = in.RefEntity, in.RefID, in.URL
	if in.File != nil {
		e.FileHash, e.FileName, e.FileType, e.FileSize = in.File.Hash, in.File.Name, in.File.Type, in.File.Size
	}
	if in.Kind != EvidenceFile {
		e.FileHash, e.FileName, e.FileType, e.FileSize = "", "", "", 0
	}
}

// EvidenceUpdate changes evidence; nil fields stay as they are.
type EvidenceUpdate struct {
	Title, Notes, ReviewBy, Kind, RefEntity, URL *string
	RequirementID, OwnerID, RefID                *int64
	File                                         *files.File
}

// Apply returns e with the update applied, as the input it must pass.
func (up EvidenceUpdate) Apply(e Evidence) EvidenceInput {
	in := EvidenceInput{Title: e.Title, Notes: e.Notes, ReviewBy: e.ReviewBy, Kind: e.Kind, RefEntity: e.RefEntity, URL: e.URL,
		RequirementID: e.RequirementID, OwnerID: e.OwnerID, RefID: e.RefID, File: up.File}
	for dst, src := range map[*string]*string{&in.Title: up.Title, &in.Notes: up.Notes, &in.ReviewBy: up.ReviewBy, &in.Kind: up.Kind, &in.RefEntity: up.RefEntity, &in.URL: up.URL} {
		if src != nil {
			*dst = *src
		}
	}
	for dst, src := range map[*int64]*int64{&in.RequirementID: up.RequirementID, &in.OwnerID: up.OwnerID, &in.RefID: up.RefID} {
		if src != nil {
			*dst = *src
		}
	}
	return in
}

// EvidenceState is what a requirement's evidence says for its readiness:
// how many items it has and the latest review day among them.
type EvidenceState struct {
	Items  int
	Latest string
}

// Expired reports whether the requirement has evidence and all of it has
// expired.
func (s EvidenceState) Expired(today string) bool { return s.Items > 0 && s.Latest < today }

// AddResult counts one result's status with its requirement's evidence:
// an implemented requirement whose evidence has all expired counts as
// partly implemented (docs/assessments.md).
func (r *Readiness) AddResult(status string, ev EvidenceState, today string) {
	r.Add(status)
	if status == "implemented" && ev.Expired(today) {
		r.Expired++
	}
}
