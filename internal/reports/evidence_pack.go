package reports

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"hash"
	"html/template"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
)

// ManifestName is the pack's list of every other file with its SHA-256,
// in the form `sha256sum -c` checks.
const ManifestName = "MANIFEST.sha256"

// PackSummary is what was written into an evidence pack.
type PackSummary struct {
	// Root is the folder every file of the pack is in.
	Root string
	// Files counts the files listed in the manifest; Bytes their size.
	Files int
	Bytes int64
	// ManifestSHA256 is the manifest's own hash.
	ManifestSHA256 string
}

// PackFileName is the name an audit's evidence pack is offered under.
func PackFileName(a assurance.Audit) string {
	return assurance.AuditKind.Number(a.ID) + "-evidence-pack.zip"
}

// EvidencePackZIP writes an audit's evidence pack to w as a ZIP, file by
// file as it goes, so nothing but the file being written is held in
// memory: an HTML index by clause (index.html), the audit report (PDF,
// and for an issued report the frozen report exactly as stored), every
// uploaded evidence file and every document version in force (its text
// and its file), the held management reviews' frozen input packs, the
// linked records as CSV, the audit trail's head at export time, and
// last MANIFEST.sha256 listing every other file with its SHA-256. open
// reads a stored file's content.
func EvidencePackZIP(ctx context.Context, w io.Writer, p assuranceapp.EvidencePack, open func(context.Context, files.File) ([]byte, error)) (PackSummary, error) {
	number := assurance.AuditKind.Number(p.Audit.ID)
	pw := &packWriter{zw: zip.NewWriter(w), root: number + "-evidence-pack/", at: p.ExportedAt, names: map[string]bool{}}
	x := &packIndex{Pack: p, Number: number, Evidence: map[int64]string{}, Documents: map[int64]packDocLinks{}}
	// The audit report: as PDF always, and the frozen report as stored
	// once issued, whose SHA-256 is the one recorded on issue.
	pdf, err := AuditPDF(p.Report.Report, p.Audit.ReportSHA256, p.ExportedAt)
	if err != nil {
		return PackSummary{}, err
	}
	x.ReportPDF = pw.name("audit", number+"-report.pdf")
	if err := pw.bytes(x.ReportPDF, zip.Store, pdf); err != nil {
		return PackSummary{}, err
	}
	if p.Report.Issued {
		x.ReportJSON = pw.name("audit", number+"-report-issued.json")
		if err := pw.bytes(x.ReportJSON, zip.Deflate, []byte(p.Audit.Report)); err != nil {
			return PackSummary{}, err
		}
	}
	// Evidence files, one at a time.
	for _, cl := range p.Clauses {
		for _, r := range cl.Requirements {
			for _, e := range r.Evidence {
				if e.Kind != sms.EvidenceFile || e.FileHash == "" || x.Evidence[e.ID] != "" {
					continue
				}
				if err := ctx.Err(); err != nil {
					return PackSummary{}, err
				}
				name := pw.name("evidence", sms.EvidenceKind.Number(e.ID)+"-"+e.FileName)
				if err := pw.file(ctx, name, e.File(), open); err != nil {
					return PackSummary{}, err
				}
				x.Evidence[e.ID] = name
			}
		}
	}
	// The documents' versions in force: their text and their file.
	for _, d := range p.Documents {
		if !d.InForce {
			continue
		}
		base := fmt.Sprintf("%s-v%d", sms.DocumentKind.Number(d.Document.ID), d.Version.Number)
		var links packDocLinks
		if strings.TrimSpace(d.Version.Content) != "" {
			links.Text = pw.name("documents", base+".md")
			if err := pw.bytes(links.Text, zip.Deflate, []byte(d.Version.Content)); err != nil {
				return PackSummary{}, err
			}
		}
		if d.Version.HasFile() {
			links.File = pw.name("documents", base+"-"+d.Version.File.Name)
			if err := pw.file(ctx, links.File, d.Version.File, open); err != nil {
				return PackSummary{}, err
			}
		}
		x.Documents[d.Document.ID] = links
	}
	// The held reviews' input packs, frozen: each file's SHA-256 is the
	// hash the review recorded when it was held.
	for _, r := range p.Reviews {
		name := pw.name("reviews", assurance.ManagementReviewKind.Number(r.ID)+"-input-pack.json")
		if err := pw.bytes(name, zip.Deflate, []byte(r.Pack)); err != nil {
			return PackSummary{}, err
		}
		x.Reviews = append(x.Reviews, name)
	}
	// The records as CSV.
	for _, t := range packTables(p, x) {
		name := pw.name("records", t.name+".csv")
		if err := pw.csv(name, t.rows); err != nil {
			return PackSummary{}, err
		}
		x.Tables = append(x.Tables, packTableLink{Name: t.title, Href: name, Rows: len(t.rows) - 1})
	}
	head := fmt.Sprintf("Audit trail head at export\nentry: %d\nsha256: %s\nexported at: %s\nexported by: %s\n",
		p.Head.Seq, p.Head.Hash, p.ExportedAt.UTC().Format(time.RFC3339), p.ExportedBy)
	if err := pw.bytes(pw.name("", "AUDIT-TRAIL-HEAD.txt"), zip.Deflate, []byte(head)); err != nil {
		return PackSummary{}, err
	}
	var index bytes.Buffer
	if err := packIndexTemplate.Execute(&index, x); err != nil {
		return PackSummary{}, err
	}
	if err := pw.bytes(pw.name("", "index.html"), zip.Deflate, index.Bytes()); err != nil {
		return PackSummary{}, err
	}
	return pw.close()
}

// packWriter writes the pack's files under its root folder, hashing each
// as it is written, and ends with the manifest.
type packWriter struct {
	zw       *zip.Writer
	root     string
	at       time.Time
	names    map[string]bool
	manifest bytes.Buffer
	files    int
	size     int64
}

// name makes a file's path in the pack from a folder and a name: the
// name reduced to letters, digits, dots, dashes and underscores, and
// made unique.
func (pw *packWriter) name(folder, name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	clean := strings.Trim(b.String(), ".")
	if len(clean) > 120 {
		ext := path.Ext(clean)
		if len(ext) > 10 {
			ext = ""
		}
		clean = clean[:120-len(ext)] + ext
	}
	if clean == "" {
		clean = "file"
	}
	out := path.Join(folder, clean)
	for i := 2; pw.names[out]; i++ {
		ext := path.Ext(clean)
		out = path.Join(folder, strings.TrimSuffix(clean, ext)+"-"+strconv.Itoa(i)+ext)
	}
	pw.names[out] = true
	return out
}

// entry opens a file of the pack; what is written to it is hashed.
func (pw *packWriter) entry(name string, method uint16) (io.Writer, hash.Hash, error) {
	f, err := pw.zw.CreateHeader(&zip.FileHeader{Name: pw.root + name, Method: method, Modified: pw.at})
	if err != nil {
		return nil, nil, err
	}
	h := sha256.New()
	return io.MultiWriter(f, h), h, nil
}

func (pw *packWriter) done(name string, h hash.Hash, n int64) {
	fmt.Fprintf(&pw.manifest, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), name)
	pw.files++
	pw.size += n
}

func (pw *packWriter) bytes(name string, method uint16, data []byte) error {
	w, h, err := pw.entry(name, method)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	pw.done(name, h, int64(len(data)))
	return nil
}

// file copies a stored file into the pack, stored as it is (uploads are
// mostly compressed already), and checks it is the file its hash names.
func (pw *packWriter) file(ctx context.Context, name string, f files.File, open func(context.Context, files.File) ([]byte, error)) error {
	data, err := open(ctx, f)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if files.Hash(data) != f.Hash {
		return fmt.Errorf("the stored content of %s does not match its hash %s", name, f.Hash)
	}
	return pw.bytes(name, zip.Store, data)
}

func (pw *packWriter) csv(name string, rows [][]string) error {
	w, h, err := pw.entry(name, zip.Deflate)
	if err != nil {
		return err
	}
	cw := &countingWriter{w: w}
	c := csv.NewWriter(cw)
	if err := c.WriteAll(rows); err != nil {
		return err
	}
	pw.done(name, h, cw.n)
	return nil
}

func (pw *packWriter) close() (PackSummary, error) {
	sum := sha256.Sum256(pw.manifest.Bytes())
	f, err := pw.zw.CreateHeader(&zip.FileHeader{Name: pw.root + ManifestName, Method: zip.Deflate, Modified: pw.at})
	if err != nil {
		return PackSummary{}, err
	}
	if _, err := f.Write(pw.manifest.Bytes()); err != nil {
		return PackSummary{}, err
	}
	if err := pw.zw.Close(); err != nil {
		return PackSummary{}, err
	}
	return PackSummary{Root: strings.TrimSuffix(pw.root, "/"), Files: pw.files, Bytes: pw.size, ManifestSHA256: hex.EncodeToString(sum[:])}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// packTable is one CSV of the pack: its file name, title and rows, the
// header first.
type packTable struct {
	name, title string
	rows        [][]string
}

// packTables writes the pack's records as tables.
func packTables(p assuranceapp.EvidencePack, x *packIndex) []packTable {
	person := func(id int64) string { return p.People[id] }
	personp := func(id *int64) string {
		if id == nil {
			return ""
		}
		return p.People[*id]
	}
	num := func(n int64) string { return strconv.FormatInt(n, 10) }
	refs := func(rs assurance.Refs) string {
		out := make([]string, 0, len(rs))
		for _, r := range rs {
			out = append(out, r.Entity+":"+num(r.ID))
		}
		return strings.Join(out, ";")
	}
	reqs := packTable{name: "requirements", title: "Requirements in scope", rows: [][]string{{"requirement", "title", "clause", "checklist_line", "result", "notes", "sampled", "evidence_items", "documents", "findings"}}}
	checklist := packTable{name: "checklist", title: "Checklist", rows: [][]string{{"number", "requirement", "result", "notes", "sampled"}}}
	ev := packTable{name: "evidence", title: "Evidence", rows: [][]string{{"number", "requirement", "title", "kind", "owner", "review_by", "freshness", "refers_to", "url", "file_name", "file_sha256", "file_size", "in_pack", "notes"}}}
	today := p.ExportedAt.UTC().Format(time.DateOnly)
	for _, cl := range p.Clauses {
		for _, r := range cl.Requirements {
			line, result, notes, sampled := "", "", "", ""
			if r.Line != nil {
				line, result, notes, sampled = assurance.ChecklistItemKind.Number(r.Line.ID), r.Line.Result, r.Line.Notes, refs(r.Line.Sampled)
				checklist.rows = append(checklist.rows, []string{line, p.Requirements[r.Requirement.ID], result, notes, sampled})
			}
			reqs.rows = append(reqs.rows, []string{r.Requirement.Code, r.Requirement.Title, cl.Clause.Code, line, result, notes, sampled,
				strconv.Itoa(len(r.Evidence)), strconv.Itoa(len(r.DocumentIDs)), strconv.Itoa(len(r.Findings))})
			for _, e := range r.Evidence {
				ref := ""
				if e.RefEntity != "" {
					ref = e.RefEntity + ":" + num(e.RefID)
				}
				size := ""
				if e.FileSize > 0 {
					size = num(e.FileSize)
				}
				ev.rows = append(ev.rows, []string{sms.EvidenceKind.Number(e.ID), r.Requirement.Code, e.Title, e.Kind, person(e.OwnerID), e.ReviewBy,
					sms.Freshness(e.ReviewBy, today), ref, e.URL, e.FileName, e.FileHash, size, x.Evidence[e.ID], e.Notes})
			}
		}
	}
	docs := packTable{name: "documents", title: "Documents", rows: [][]string{{"number", "title", "type", "status", "owner", "version_in_force", "approved_at", "reviewed_on", "review_due_on", "file_name", "file_sha256", "in_pack"}}}
	for _, d := range p.Documents {
		v, approved, inPack := "", "", ""
		if d.InForce {
			v = num(d.Version.Number)
			if d.Version.ApprovedAt != nil {
				approved = d.Version.ApprovedAt.UTC().Format(time.RFC3339)
			}
			l := x.Documents[d.Document.ID]
			inPack = strings.Trim(l.Text+";"+l.File, ";")
		}
		docs.rows = append(docs.rows, []string{sms.DocumentKind.Number(d.Document.ID), d.Document.Title, d.Document.Type, d.Document.Status, person(d.Document.OwnerID),
			v, approved, d.Document.ReviewedOn, d.Document.ReviewDueOn, d.Version.File.Name, d.Version.File.Hash, inPack})
	}
	fs := packTable{name: "findings", title: "Findings", rows: [][]string{{"number", "requirement", "type", "statement", "owner", "records", "checklist_line"}}}
	for _, f := range p.Findings {
		line := ""
		if f.ItemID != nil {
			line = assurance.ChecklistItemKind.Number(*f.ItemID)
		}
		fs.rows = append(fs.rows, []string{assurance.FindingKind.Number(f.ID), p.Requirements[f.RequirementID], f.Type, f.Statement, personp(f.OwnerID), refs(f.Records), line})
	}
	ncs := packTable{name: "nonconformities", title: "Nonconformities", rows: [][]string{{"number", "title", "severity", "state", "requirement", "finding", "owner", "raised_on", "correction", "cause", "verified_on", "verification_result", "closed_on"}}}
	for _, nc := range p.Nonconformities {
		ncs.rows = append(ncs.rows, []string{assurance.NonconformityKind.Number(nc.ID), nc.Title, nc.Severity, nc.State, p.Requirements[nc.RequirementID],
			assurance.FindingKind.Number(nc.SourceID), person(nc.OwnerID), nc.RaisedOn, nc.Correction, nc.CauseSummary, nc.VerifiedOn, nc.VerificationResult, nc.ClosedOn})
	}
	recs := packTable{name: "linked-records", title: "Records named by evidence, checklist and findings", rows: [][]string{{"kind", "number", "name", "entity", "id"}}}
	for _, r := range p.Records {
		recs.rows = append(recs.rows, []string{r.Kind, r.Number, r.Name, r.Entity, num(r.ID)})
	}
	revs := packTable{name: "management-reviews", title: "Management reviews held in the cycle", rows: [][]string{{"number", "title", "held_on", "state", "input_pack_sha256", "decisions", "minutes"}}}
	for _, r := range p.Reviews {
		revs.rows = append(revs.rows, []string{assurance.ManagementReviewKind.Number(r.ID), r.Title, r.HeldOn, r.State, r.PackHash, strings.Join(r.Decisions, "\n"), r.Minutes})
	}
	return []packTable{reqs, checklist, ev, docs, fs, ncs, recs, revs}
}

// packIndex is what index.html shows.
type packIndex struct {
	Pack       assuranceapp.EvidencePack
	Number     string
	ReportPDF  string
	ReportJSON string
	// Evidence and Documents name each item's files in the pack.
	Evidence  map[int64]string
	Documents map[int64]packDocLinks
	Reviews   []string
	Tables    []packTableLink
}

type packDocLinks struct{ Text, File string }

type packTableLink struct {
	Name, Href string
	Rows       int
}

//go:embed evidence_pack_index.html
var packIndexHTML string

var packIndexTemplate = template.Must(template.New("index").Funcs(template.FuncMap{
	"evidenceNumber": sms.EvidenceKind.Number,
	"documentNumber": sms.DocumentKind.Number,
	"findingNumber":  assurance.FindingKind.Number,
	"reviewNumber":   assurance.ManagementReviewKind.Number,
	"ncNumber":       assurance.NonconformityKind.Number,
	"label":          assurance.LabelOf,
	"results":        func() []assurance.Code { return assurance.Results },
	"findingTypes":   func() []assurance.Code { return assurance.FindingTypes },
	"evidenceKind":   func(code string) string { return assurance.LabelOf(sms.EvidenceKinds, code) },
	"freshness":      sms.Freshness,
	"day":            func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
	"stamp":          func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"size":           files.Size,
	"doc": func(p assuranceapp.EvidencePack, id int64) assuranceapp.PackDocument {
		for _, d := range p.Documents {
			if d.Document.ID == id {
				return d
			}
		}
		return assuranceapp.PackDocument{}
	},
}).Parse(packIndexHTML))
