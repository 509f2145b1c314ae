package assurance

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// What an external auditor reads of an audit shared with them. Each use
// case here checks, besides the permission, that the auditor holds a
// live access to the audit and that what they ask for lies in the
// audit's scope (anything else is not found), then records the view
// before answering: a page is never shown whose view was not written.
// The records are read as the system, as the auditor holds none of the
// staff's permissions.

// Viewing is where a view comes from: the address opened and the
// address of whoever opened it. The transports put it in the request's
// context (WithViewing), as request data such as its id is.
type Viewing struct {
	Path, RemoteAddr string
}

type viewingKey struct{}

// WithViewing returns ctx carrying where the views of the request come
// from.
func WithViewing(ctx context.Context, v Viewing) context.Context {
	return context.WithValue(ctx, viewingKey{}, v)
}

func viewingOf(ctx context.Context) Viewing {
	v, _ := ctx.Value(viewingKey{}).(Viewing)
	return v
}

// SharedAccess is an audit shared with an external auditor, and the
// access that shares it.
type SharedAccess struct {
	Access assurance.AuditorAccess
	Audit  assurance.Audit
}

// SharedAudits lists the audits shared with the actor today, soonest
// expiring first. Reading the list is no view of any audit.
func (c *Catalogue) SharedAudits(ctx context.Context, actor access.Actor) ([]SharedAccess, error) {
	if !actor.Can(access.AuditsShared) {
		return nil, nil
	}
	gs, err := app.EveryPage(func(cursor string) ([]assurance.AuditorAccess, string, error) {
		return c.db.ListAuditorAccesses(ctx, store.AuditorAccessFilter{UserID: actor.UserID, LiveOn: c.Today(), Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	out := make([]SharedAccess, 0, len(gs))
	for _, g := range gs {
		a, err := c.db.GetAudit(ctx, g.AuditID)
		if err != nil {
			return nil, err
		}
		out = append(out, SharedAccess{Access: g, Audit: a})
	}
	slices.SortFunc(out, func(a, b SharedAccess) int { return cmp.Compare(a.Access.ExpiresOn, b.Access.ExpiresOn) })
	return out, nil
}

// liveAccess finds the actor's live access to the audit. An audit not
// shared with them is not found; one whose access expired or was revoked
// is refused, saying which.
func (c *Catalogue) liveAccess(ctx context.Context, actor access.Actor, auditID int64) (assurance.AuditorAccess, error) {
	if !actor.Can(access.AuditsShared) || actor.UserID == 0 {
		return assurance.AuditorAccess{}, errs.E(errs.Forbidden, "%s may not read shared audits", actor)
	}
	gs, _, err := c.db.ListAuditorAccesses(ctx, store.AuditorAccessFilter{AuditID: auditID, UserID: actor.UserID, Limit: store.MaxLimit})
	if err != nil {
		return assurance.AuditorAccess{}, err
	}
	if len(gs) == 0 {
		return assurance.AuditorAccess{}, errs.E(errs.NotFound, "no such audit shared with you")
	}
	today := c.Today()
	if i := slices.IndexFunc(gs, func(g assurance.AuditorAccess) bool { return g.Live(today) }); i >= 0 {
		return gs[i], nil
	}
	return gs[len(gs)-1], gs[len(gs)-1].CheckLive(today)
}

// view records that the auditor opened what through the access.
func (c *Catalogue) view(ctx context.Context, g assurance.AuditorAccess, what string) error {
	v := viewingOf(ctx)
	return c.db.AddAuditorView(ctx, assurance.AuditorView{AccessID: g.ID, AuditID: g.AuditID, UserID: g.UserID, At: c.db.Now(),
		Path: v.Path, What: what, RemoteAddr: v.RemoteAddr})
}

// SharedAudit returns the audit if the actor is an external auditor
// with a live access to it, and records the view: for a feature that
// offers an audit's auditor something of it (the evidence pack).
func (c *Catalogue) SharedAudit(ctx context.Context, actor access.Actor, auditID int64) (assurance.Audit, error) {
	g, err := c.liveAccess(ctx, actor, auditID)
	if err != nil {
		return assurance.Audit{}, err
	}
	a, err := c.db.GetAudit(ctx, auditID)
	if err != nil {
		return a, err
	}
	return a, c.view(ctx, g, assurance.AuditKind.Number(auditID))
}

// SharedView is an audit as its external auditor reads it: its scope,
// checklist and findings, the requirements in scope and their evidence.
type SharedView struct {
	Access       assurance.AuditorAccess
	Audit        assurance.Audit
	Checklist    []assurance.ChecklistItem
	Findings     []assurance.Finding
	Requirements []sms.Requirement // in scope, in the framework's order
	Evidence     []sms.Evidence    // of the requirements in scope
	// People names the audit's lead auditor, team and the findings'
	// auditees; Processes and Services the scope's.
	People, Processes, Services map[int64]string
	// Body names the certification body that runs the audit, or the
	// consultant of a pre-audit; empty for an internal audit.
	Body string
}

// SharedAuditView reads the audit shared with the actor, whole, and
// records the view.
func (c *Catalogue) SharedAuditView(ctx context.Context, actor access.Actor, auditID int64) (SharedView, error) {
	var v SharedView
	g, err := c.liveAccess(ctx, actor, auditID)
	if err != nil {
		return v, err
	}
	v.Access = g
	if v.Audit, err = c.db.GetAudit(ctx, auditID); err != nil {
		return v, err
	}
	reqs, covered, err := c.sharedScope(ctx, v.Audit)
	if err != nil {
		return v, err
	}
	for _, r := range reqs {
		if covered[r.ID] {
			v.Requirements = append(v.Requirements, r)
		}
	}
	if v.Checklist, err = c.Checklist(ctx, access.CLI, auditID); err != nil {
		return v, err
	}
	if v.Findings, _, err = c.db.ListFindings(ctx, store.FindingFilter{AuditID: auditID, Limit: store.MaxLimit}); err != nil {
		return v, err
	}
	all, err := app.EveryPage(func(cursor string) ([]sms.Evidence, string, error) {
		return c.db.ListEvidence(ctx, store.EvidenceFilter{Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return v, err
	}
	for _, e := range all {
		if covered[e.RequirementID] {
			v.Evidence = append(v.Evidence, e)
		}
	}
	v.People, v.Processes, v.Services = map[int64]string{}, map[int64]string{}, map[int64]string{}
	people := v.Audit.Auditors()
	for _, f := range v.Findings {
		if f.OwnerID != nil {
			people = append(people, *f.OwnerID)
		}
	}
	for _, id := range people {
		if u, err := c.app.GetUser(ctx, access.CLI, id); err == nil {
			v.People[id] = u.Name
		}
	}
	for _, id := range v.Audit.ProcessIDs {
		if p, err := c.db.GetProcess(ctx, id); err == nil {
			v.Processes[id] = p.Name
		}
	}
	for _, id := range v.Audit.ServiceIDs {
		if s, err := c.db.GetService(ctx, id); err == nil {
			v.Services[id] = s.Name
		}
	}
	v.Body = v.Audit.Consultant
	if v.Audit.BodyID != nil {
		if b, err := c.db.GetCertificationBody(ctx, *v.Audit.BodyID); err == nil {
			v.Body = b.Name
		}
	}
	return v, c.view(ctx, g, assurance.AuditKind.Number(auditID))
}

// sharedScope reads the built-in framework's requirements and which of
// them the audit's scope covers.
func (c *Catalogue) sharedScope(ctx context.Context, a assurance.Audit) ([]sms.Requirement, map[int64]bool, error) {
	reqs, err := c.builtIn(ctx, access.CLI)
	if err != nil {
		return nil, nil, err
	}
	return reqs, assurance.Covered(a.RequirementIDs, assurance.Under(reqs)), nil
}

// sharedEvidence reads an item of evidence of a requirement in the
// audit's scope; any other is not found.
func (c *Catalogue) sharedEvidence(ctx context.Context, actor access.Actor, auditID, evidenceID int64) (assurance.AuditorAccess, sms.Evidence, error) {
	g, err := c.liveAccess(ctx, actor, auditID)
	if err != nil {
		return g, sms.Evidence{}, err
	}
	a, err := c.db.GetAudit(ctx, auditID)
	if err != nil {
		return g, sms.Evidence{}, err
	}
	_, covered, err := c.sharedScope(ctx, a)
	if err != nil {
		return g, sms.Evidence{}, err
	}
	e, err := c.db.GetEvidence(ctx, evidenceID)
	if err != nil || !covered[e.RequirementID] {
		return g, sms.Evidence{}, errs.E(errs.NotFound, "no such evidence in the scope of %s", assurance.AuditKind.Number(auditID))
	}
	return g, e, nil
}

// SharedEvidence reads an item of evidence of the audit shared with the
// actor, and records the view.
func (c *Catalogue) SharedEvidence(ctx context.Context, actor access.Actor, auditID, evidenceID int64) (sms.Evidence, error) {
	g, e, err := c.sharedEvidence(ctx, actor, auditID, evidenceID)
	if err != nil {
		return e, err
	}
	return e, c.view(ctx, g, sms.EvidenceKind.Number(e.ID))
}

// SharedEvidenceFile reads the uploaded file of an item of evidence of
// the audit shared with the actor, and records the download.
func (c *Catalogue) SharedEvidenceFile(ctx context.Context, actor access.Actor, auditID, evidenceID int64) (files.File, []byte, error) {
	g, e, err := c.sharedEvidence(ctx, actor, auditID, evidenceID)
	if err != nil {
		return files.File{}, nil, err
	}
	if e.Kind != sms.EvidenceFile || e.FileHash == "" {
		return files.File{}, nil, errs.E(errs.NotFound, "evidence %s has no file", sms.EvidenceKind.Number(e.ID))
	}
	data, err := c.app.FileContent(ctx, e.File())
	if err != nil {
		return files.File{}, nil, err
	}
	return e.File(), data, c.view(ctx, g, fmt.Sprintf("%s file %s", sms.EvidenceKind.Number(e.ID), e.FileName))
}

// SharedDocument is a controlled document as an audit's external auditor
// reads it: the version in force, if any.
type SharedDocument struct {
	Document sms.ControlledDocument
	// Version is the version in force; its ID is 0 when none is.
	Version sms.DocumentVersion
}

// sharedDocument reads a controlled document that evidence of a
// requirement in the audit's scope names; any other is not found.
func (c *Catalogue) sharedDocument(ctx context.Context, actor access.Actor, auditID, documentID int64) (assurance.AuditorAccess, SharedDocument, error) {
	var d SharedDocument
	g, err := c.liveAccess(ctx, actor, auditID)
	if err != nil {
		return g, d, err
	}
	a, err := c.db.GetAudit(ctx, auditID)
	if err != nil {
		return g, d, err
	}
	_, covered, err := c.sharedScope(ctx, a)
	if err != nil {
		return g, d, err
	}
	es, _, err := c.db.ListEvidence(ctx, store.EvidenceFilter{RefEntity: sms.DocumentEntity, RefID: documentID, Limit: store.MaxLimit})
	if err != nil {
		return g, d, err
	}
	if !slices.ContainsFunc(es, func(e sms.Evidence) bool { return e.Kind == sms.EvidenceDocument && covered[e.RequirementID] }) {
		return g, d, errs.E(errs.NotFound, "no such document in the evidence of %s", assurance.AuditKind.Number(auditID))
	}
	if d.Document, err = c.db.GetDocument(ctx, documentID); err != nil {
		return g, d, err
	}
	v, err := c.sms.CurrentVersion(ctx, access.CLI, documentID)
	switch {
	case errs.Is(err, errs.NotFound):
	case err != nil:
		return g, d, err
	default:
		d.Version = v
	}
	return g, d, nil
}

// SharedDocument reads a controlled document the evidence of the audit
// shared with the actor names, with its version in force, and records
// the view.
func (c *Catalogue) SharedDocument(ctx context.Context, actor access.Actor, auditID, documentID int64) (SharedDocument, error) {
	g, d, err := c.sharedDocument(ctx, actor, auditID, documentID)
	if err != nil {
		return d, err
	}
	return d, c.view(ctx, g, sms.DocumentKind.Number(documentID))
}

// SharedDocumentFile reads the file of the version in force of a
// controlled document the evidence of the audit shared with the actor
// names, and records the download.
func (c *Catalogue) SharedDocumentFile(ctx context.Context, actor access.Actor, auditID, documentID int64) (files.File, []byte, error) {
	g, d, err := c.sharedDocument(ctx, actor, auditID, documentID)
	if err != nil {
		return files.File{}, nil, err
	}
	if d.Version.ID == 0 || !d.Version.HasFile() {
		return files.File{}, nil, errs.E(errs.NotFound, "%s has no file in force", sms.DocumentKind.Number(documentID))
	}
	data, err := c.app.FileContent(ctx, d.Version.File)
	if err != nil {
		return files.File{}, nil, err
	}
	return d.Version.File, data, c.view(ctx, g, fmt.Sprintf("%s version %d file %s", sms.DocumentKind.Number(documentID), d.Version.Number, d.Version.File.Name))
}
