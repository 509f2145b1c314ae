package assurance

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// PackReviewYears is how far back before an audit's end the held
// management reviews go into its evidence pack: the certification
// cycle.
const PackReviewYears = 3

// ReviewClause is the clause the management reviews answer: a pack
// whose audit covers it holds the reviews held in the cycle.
const ReviewClause = "9.3"

// EvidencePack is what an audit's evidence pack holds, read from live
// records when it is asked for: the audit and its report, the
// requirements in scope by clause with each one's checklist line,
// evidence, documents and findings, the documents' versions in force,
// the nonconformities the findings opened, the records all of them
// name, the management reviews held in the cycle with their frozen
// input packs (when the scope covers 9.3), and the audit trail's head at that moment. The files
// themselves are read one at a time as the pack is written (File), so
// a pack of any size is never held in memory.
type EvidencePack struct {
	Audit  assurance.Audit
	Report AuditReport
	// Clauses are the top-level clauses with requirements in scope, in
	// the framework's order.
	Clauses []PackClause
	// Documents are the controlled documents the requirements in scope
	// relate to or their evidence names, each once, by number.
	Documents []PackDocument
	Findings  []assurance.Finding
	// Nonconformities are those the audit's findings opened.
	Nonconformities []assurance.Nonconformity
	// Records are the records the evidence, the checklist and the
	// findings name, each once.
	Records []PackRecord
	// Reviews are the management reviews held in the cycle, the latest
	// first, each with its frozen input pack.
	Reviews []assurance.ManagementReview
	// People names the users the pack mentions (owners, auditors).
	People map[int64]string
	// Requirements names every requirement of the framework by id, as
	// "code title".
	Requirements map[int64]string
	Head         store.AuditHead
	ExportedAt   time.Time
	ExportedBy   string
}

// PackClause is a top-level clause and its requirements in scope.
type PackClause struct {
	Clause       sms.Requirement
	Requirements []PackRequirement
}

// PackRequirement is one requirement in scope: its checklist line, its
// evidence, the documents that relate to it and the findings against
// it.
type PackRequirement struct {
	Requirement sms.Requirement
	// Line is its checklist line; nil when the audit has none for it.
	Line        *assurance.ChecklistItem
	Evidence    []sms.Evidence
	DocumentIDs []int64
	Findings    []assurance.Finding
}

// PackDocument is a controlled document and its version in force.
type PackDocument struct {
	Document sms.ControlledDocument
	// Version is its version in force; InForce is false when it has
	// none (a draft never approved, or withdrawn).
	Version sms.DocumentVersion
	InForce bool
}

// PackRecord is a record the pack names, by kind, number and name.
type PackRecord struct {
	assurance.Ref
	Kind, Number, Name string
}

// Items counts the evidence items and documents in the pack.
func (p EvidencePack) Items() int {
	n := len(p.Documents)
	for _, c := range p.Clauses {
		for _, r := range c.Requirements {
			n += len(r.Evidence)
		}
	}
	return n
}

// EvidencePack reads what an audit's evidence pack holds, for a reader
// who may read the audit and the evidence; what of the management
// system the reader may not see is left out by the management system's
// own use cases.
func (c *Catalogue) EvidencePack(ctx context.Context, actor access.Actor, auditID int64) (EvidencePack, error) {
	a, err := c.GetAudit(ctx, actor, auditID)
	if err != nil {
		return EvidencePack{}, err
	}
	if !actor.Can(sms.EvidenceKind.Read) {
		return EvidencePack{}, errs.E(errs.Forbidden, "an evidence pack holds evidence, which your role may not read")
	}
	return c.evidencePack(ctx, actor, a)
}

// SharedEvidencePack reads the evidence pack of an audit shared with the
// actor, an external auditor with a live access to it, and records the
// view. The records are read as the system, as the auditor holds none of
// the staff's permissions; the pack holds only the audit's scope.
func (c *Catalogue) SharedEvidencePack(ctx context.Context, actor access.Actor, auditID int64) (EvidencePack, error) {
	a, err := c.SharedAudit(ctx, actor, auditID)
	if err != nil {
		return EvidencePack{}, err
	}
	p, err := c.evidencePack(ctx, access.System, a)
	p.ExportedBy = actor.Name
	return p, err
}

// PackFile reads the content of a file the pack names: an evidence
// item's upload or a document version's file.
func (c *Catalogue) PackFile(ctx context.Context, f files.File) ([]byte, error) {
	return c.app.FileContent(ctx, f)
}

func (c *Catalogue) evidencePack(ctx context.Context, reader access.Actor, a assurance.Audit) (EvidencePack, error) {
	p := EvidencePack{Audit: a, ExportedAt: time.Now().UTC(), ExportedBy: reader.Name, People: map[int64]string{}, Requirements: map[int64]string{}}
	head, err := c.db.AuditHead(ctx)
	if err != nil {
		return p, err
	}
	p.Head = head
	if p.Report, err = c.Report(ctx, access.CLI, a.ID); err != nil {
		return p, err
	}
	reqs, err := c.builtIn(ctx, access.CLI)
	if err != nil {
		return p, err
	}
	byID := map[int64]sms.Requirement{}
	for _, r := range reqs {
		byID[r.ID] = r
		p.Requirements[r.ID] = r.Code + " " + r.Title
	}
	lines, _, err := c.db.ListChecklistItems(ctx, store.ChecklistItemFilter{AuditID: a.ID, Limit: store.MaxLimit})
	if err != nil {
		return p, err
	}
	lineOf := map[int64]*assurance.ChecklistItem{}
	for i := range lines {
		lineOf[lines[i].RequirementID] = &lines[i]
	}
	p.Findings, _, err = c.db.ListFindings(ctx, store.FindingFilter{AuditID: a.ID, Limit: store.MaxLimit})
	if err != nil {
		return p, err
	}
	refs := newRefSet()
	docs := map[int64]bool{}
	covered := assurance.Covered(a.RequirementIDs, assurance.Under(reqs))
	for _, r := range reqs {
		if !covered[r.ID] {
			continue
		}
		pr := PackRequirement{Requirement: r, Line: lineOf[r.ID]}
		if pr.Line != nil {
			refs.add(pr.Line.Sampled...)
		}
		if pr.Evidence, err = app.EveryPage(func(cursor string) ([]sms.Evidence, string, error) {
			return c.sms.ListEvidence(ctx, reader, store.EvidenceFilter{RequirementID: r.ID, Cursor: cursor, Limit: store.MaxLimit})
		}); err != nil {
			return p, err
		}
		for _, e := range pr.Evidence {
			p.People[e.OwnerID] = ""
			switch e.Kind {
			case sms.EvidenceDocument:
				pr.DocumentIDs = append(pr.DocumentIDs, e.RefID)
			case sms.EvidenceRecord:
				refs.add(assurance.Ref{Entity: e.RefEntity, ID: e.RefID})
			}
		}
		related, err := app.EveryPage(func(cursor string) ([]sms.ControlledDocument, string, error) {
			return c.sms.ListDocuments(ctx, reader, store.DocumentFilter{RequirementID: r.ID, Cursor: cursor, Limit: store.MaxLimit})
		})
		if err != nil {
			return p, err
		}
		for _, d := range related {
			pr.DocumentIDs = append(pr.DocumentIDs, d.ID)
		}
		slices.Sort(pr.DocumentIDs)
		pr.DocumentIDs = slices.Compact(pr.DocumentIDs)
		for _, id := range pr.DocumentIDs {
			docs[id] = true
		}
		for _, f := range p.Findings {
			if f.RequirementID == r.ID {
				pr.Findings = append(pr.Findings, f)
			}
		}
		top := r
		for top.ParentID != nil {
			top = byID[*top.ParentID]
		}
		if n := len(p.Clauses); n == 0 || p.Clauses[n-1].Clause.ID != top.ID {
			p.Clauses = append(p.Clauses, PackClause{Clause: top})
		}
		last := &p.Clauses[len(p.Clauses)-1]
		last.Requirements = append(last.Requirements, pr)
	}
	if err := c.packDocuments(ctx, reader, &p, docs); err != nil {
		return p, err
	}
	for _, f := range p.Findings {
		refs.add(f.Records...)
		if f.OwnerID != nil {
			p.People[*f.OwnerID] = ""
		}
		if !f.Nonconformity() {
			continue
		}
		ncs, _, err := c.db.ListNonconformities(ctx, store.NonconformityFilter{SourceEntity: assurance.FindingKind.Entity, SourceID: f.ID, Limit: store.MaxLimit})
		if err != nil {
			return p, err
		}
		p.Nonconformities = append(p.Nonconformities, ncs...)
	}
	for _, nc := range p.Nonconformities {
		p.People[nc.OwnerID] = ""
	}
	// The management reviews are the evidence of 9.3: in the pack when
	// the scope covers it.
	if slices.ContainsFunc(reqs, func(r sms.Requirement) bool { return r.Code == ReviewClause && covered[r.ID] }) {
		if p.Reviews, err = c.packReviews(ctx, a); err != nil {
			return p, err
		}
	}
	for _, id := range a.Auditors() {
		p.People[id] = ""
	}
	if p.Records, err = c.packRecords(ctx, refs.list()); err != nil {
		return p, err
	}
	ids := make([]int64, 0, len(p.People))
	for id := range p.People {
		ids = append(ids, id)
	}
	if p.People, err = c.app.Names(ctx, access.CLI, account.UserKind.Entity, ids); err != nil {
		return p, err
	}
	return p, nil
}

// packDocuments reads the documents the pack names and the version in
// force of each, by number.
func (c *Catalogue) packDocuments(ctx context.Context, reader access.Actor, p *EvidencePack, ids map[int64]bool) error {
	sorted := make([]int64, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	slices.Sort(sorted)
	for _, id := range sorted {
		d, err := c.sms.GetDocument(ctx, reader, id)
		if errs.Is(err, errs.NotFound) {
			continue
		} else if err != nil {
			return err
		}
		pd := PackDocument{Document: d}
		v, err := c.sms.CurrentVersion(ctx, reader, id)
		switch {
		case err == nil:
			pd.Version, pd.InForce = v, true
		case !errs.Is(err, errs.NotFound):
			return err
		}
		p.People[d.OwnerID] = ""
		p.Documents = append(p.Documents, pd)
	}
	return nil
}

// packReviews reads the management reviews held in the cycle before the
// audit's end (or today, for an audit not yet held), latest first.
func (c *Catalogue) packReviews(ctx context.Context, a assurance.Audit) ([]assurance.ManagementReview, error) {
	until := cmp.Or(a.ActualEnd, a.PlannedEnd, today())
	from := until
	if d, err := time.Parse(time.DateOnly, until); err == nil {
		from = d.AddDate(-PackReviewYears, 0, 0).Format(time.DateOnly)
	}
	all, err := app.EveryPage(func(cursor string) ([]assurance.ManagementReview, string, error) {
		return c.db.ListManagementReviews(ctx, store.ManagementReviewFilter{Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	var out []assurance.ManagementReview
	for _, r := range all {
		if r.Frozen() && r.Pack != "" && r.HeldOn >= from && r.HeldOn <= until {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(x, y assurance.ManagementReview) int {
		return cmp.Or(cmp.Compare(y.HeldOn, x.HeldOn), cmp.Compare(y.ID, x.ID))
	})
	return out, nil
}

// packRecords names the records the pack refers to.
func (c *Catalogue) packRecords(ctx context.Context, refs []assurance.Ref) ([]PackRecord, error) {
	out := make([]PackRecord, 0, len(refs))
	byEntity := map[string][]int64{}
	for _, r := range refs {
		byEntity[r.Entity] = append(byEntity[r.Entity], r.ID)
	}
	names := map[string]map[int64]string{}
	for entity, ids := range byEntity {
		if _, ok := c.app.Kinds().Get(entity); !ok {
			continue
		}
		m, err := c.app.Names(ctx, access.CLI, entity, ids)
		if err != nil && !errs.Is(err, errs.Invalid) {
			return nil, err
		}
		names[entity] = m
	}
	for _, r := range refs {
		pr := PackRecord{Ref: r, Kind: r.Entity, Number: r.Entity + " " + strconv.FormatInt(r.ID, 10)}
		if k, ok := c.app.Kinds().Get(r.Entity); ok {
			pr.Kind, pr.Number = k.Label, k.Number(r.ID)
		}
		pr.Name = names[r.Entity][r.ID]
		out = append(out, pr)
	}
	return out, nil
}

// refSet gathers references each once, in the order first met.
type refSet struct {
	seen map[assurance.Ref]bool
	refs []assurance.Ref
}

func newRefSet() *refSet { return &refSet{seen: map[assurance.Ref]bool{}} }

func (s *refSet) add(refs ...assurance.Ref) {
	for _, r := range refs {
		if r.Entity != "" && r.ID > 0 && !s.seen[r] {
			s.seen[r] = true
			s.refs = append(s.refs, r)
		}
	}
}

func (s *refSet) list() []assurance.Ref {
	out := slices.Clone(s.refs)
	slices.SortFunc(out, func(a, b assurance.Ref) int { return cmp.Or(cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.ID, b.ID)) })
	return out
}
