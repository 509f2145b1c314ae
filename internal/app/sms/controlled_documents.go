package sms

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Documented information (7.5): every member of staff reads the
// documents; their maintainers (access.DocumentsWrite) register them and
// write drafts; the approvers each document names approve its versions;
// everyone acknowledges what they are given to read.
var (
	documents        = app.Scope[sms.ControlledDocument]{Kind: sms.DocumentKind}
	documentVersions = app.Scope[sms.DocumentVersion]{Kind: sms.DocumentVersionKind}
	acknowledgements = app.Scope[sms.DocumentAcknowledgement]{Kind: sms.AcknowledgementKind}
	requiredDocs     = app.Scope[sms.RequiredDocument]{Kind: sms.RequiredDocumentKind}
)

// ListDocuments lists documents.
func (c *Catalogue) ListDocuments(ctx context.Context, actor access.Actor, f store.DocumentFilter) ([]sms.ControlledDocument, string, error) {
	if err := documents.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListDocuments(ctx, f)
}

// GetDocument reads one document.
func (c *Catalogue) GetDocument(ctx context.Context, actor access.Actor, id int64) (sms.ControlledDocument, error) {
	return documents.Get(ctx, actor, id, c.db.GetDocument)
}

// CreateDocument registers a document, a draft until a version of it is
// approved.
func (c *Catalogue) CreateDocument(ctx context.Context, actor access.Actor, in sms.DocumentInput) (sms.ControlledDocument, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, documents.Kind.Write, "create documents", in.Validate, func(tx *store.Tx) (sms.ControlledDocument, error) {
		d := sms.ControlledDocument{Status: "draft"}
		if err := c.checkDocumentPeople(ctx, in); err != nil {
			return d, err
		}
		in.Set(&d)
		return d, tx.CreateDocument(ctx, actor, &d)
	})
}

// UpdateDocument changes a document read at version (0: any). Its status
// and version in force follow its versions and are not changed here.
func (c *Catalogue) UpdateDocument(ctx context.Context, actor access.Actor, id, version int64, up sms.DocumentUpdate) (sms.ControlledDocument, error) {
	return app.Change(ctx, c.app, actor, documents.Kind.Write, "change documents", nil, func(tx *store.Tx) (sms.ControlledDocument, error) {
		return tx.UpdateDocument(ctx, actor, id, version, documents.GuardChange(actor, id, func(d *sms.ControlledDocument) error {
			in := up.Apply(*d)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if err := c.checkDocumentPeople(ctx, in); err != nil {
				return err
			}
			in.Set(d)
			return nil
		}))
	})
}

// DeleteDocument removes a document read at version (0: any) with its
// versions and acknowledgements, each audited. A document that evidence
// or the checklist points to is refused, naming what points to it:
// withdrawing it keeps it on record instead.
func (c *Catalogue) DeleteDocument(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, documents.Kind.Write, "delete documents", nil, app.NoResult(func(tx *store.Tx) error {
		d, err := tx.GetDocument(ctx, id)
		if err != nil {
			return err
		}
		if err := documents.Sees(actor, id, d); err != nil {
			return err
		}
		refs, err := tx.DocumentReferences(ctx, id)
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return errs.E(errs.Conflict, "%s cannot be deleted: %s point to it; withdraw it instead, which keeps it on record",
				sms.DocumentKind.Number(id), strings.Join(refs, " and "))
		}
		acks, err := tx.AcknowledgementIDsOf(ctx, id)
		if err != nil {
			return err
		}
		for _, a := range acks {
			if err := tx.DeleteAcknowledgement(ctx, actor, a); err != nil {
				return err
			}
		}
		vs, err := tx.VersionsOf(ctx, id)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if err := tx.DeleteDocumentVersion(ctx, actor, v.ID, 0, nil); err != nil {
				return err
			}
		}
		return tx.DeleteDocument(ctx, actor, id, version, nil)
	}))
	return err
}

// checkDocumentPeople refuses an owner who cannot see documents and an
// approver who may not approve, naming the field.
func (c *Catalogue) checkDocumentPeople(ctx context.Context, in sms.DocumentInput) error {
	if err := c.checkUser(ctx, "owner_id", in.OwnerID, access.DocumentsWrite, "maintain documents"); err != nil {
		return err
	}
	for _, id := range in.ApproverIDs {
		if err := c.checkUser(ctx, "approver_ids", id, access.DocumentsApprove, "approve documents"); err != nil {
			return err
		}
	}
	return nil
}

// checkUser refuses, on field, a user who is missing, deactivated or
// whose role lacks perm.
func (c *Catalogue) checkUser(ctx context.Context, field string, id int64, perm access.Permission, doing string) error {
	u, err := c.app.GetUser(ctx, access.CLI, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field(field, fmt.Sprintf("names user %d, who does not exist", id))
	case err != nil:
		return err
	case !u.Active:
		return errs.Field(field, fmt.Sprintf("names %s, who is deactivated", u.Name))
	case !u.Actor("").Can(perm):
		return errs.Field(field, fmt.Sprintf("names %s, whose role (%s) may not %s", u.Name, u.Role.Label(), doing))
	}
	return nil
}

// ListDocumentVersions lists versions.
func (c *Catalogue) ListDocumentVersions(ctx context.Context, actor access.Actor, f store.DocumentVersionFilter) ([]sms.DocumentVersion, string, error) {
	if err := documentVersions.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListDocumentVersions(ctx, f)
}

// GetDocumentVersion reads one version.
func (c *Catalogue) GetDocumentVersion(ctx context.Context, actor access.Actor, id int64) (sms.DocumentVersion, error) {
	return documentVersions.Get(ctx, actor, id, c.db.GetDocumentVersion)
}

// CreateDocumentVersion starts a new version of a document as a draft,
// numbered after the last, its content written or uploaded as a file (up,
// when not nil; checked against the size limit and the types kept). A
// document has one version in the works at a time.
func (c *Catalogue) CreateDocumentVersion(ctx context.Context, actor access.Actor, documentID int64, in sms.VersionInput, up ...files.Upload) (sms.DocumentVersion, error) {
	in.Normalize()
	f, err := c.checkUpload(up)
	if err != nil {
		return sms.DocumentVersion{}, err
	}
	in.HasFile = in.HasFile || f.Hash != ""
	return app.Change(ctx, c.app, actor, documentVersions.Kind.Write, "write document versions", in.Validate, func(tx *store.Tx) (sms.DocumentVersion, error) {
		v := sms.DocumentVersion{DocumentID: documentID, State: "draft", Content: in.Content, ChangeNote: in.ChangeNote}
		if f.Hash != "" {
			if err := app.StoreFile(ctx, tx, f, up[0]); err != nil {
				return v, err
			}
			v.File = f
		}
		if _, err := tx.GetDocument(ctx, documentID); errs.Is(err, errs.NotFound) {
			return v, errs.Field("document_id", "names no document")
		} else if err != nil {
			return v, err
		}
		vs, err := tx.VersionsOf(ctx, documentID)
		if err != nil {
			return v, err
		}
		for _, o := range vs {
			if o.State == "draft" || o.State == "in_review" {
				return v, errs.Field("document_id", fmt.Sprintf("%s already has version %d %s: finish it or withdraw it first",
					sms.DocumentKind.Number(documentID), o.Number, strings.ToLower(sms.Labels(sms.VersionStates)[o.State])))
			}
		}
		if v.Number, err = tx.NextVersionNumber(ctx, documentID); err != nil {
			return v, err
		}
		return v, tx.CreateDocumentVersion(ctx, actor, &v)
	})
}

// VersionUpdate changes a version: its text or file while a draft, or
// its state by a move allowed by hand (submit for review, back to draft,
// withdraw).
type VersionUpdate struct {
	Content, ChangeNote, State *string
	// File, when set, is a new upload that replaces the version's file.
	File *files.Upload
}

// checkUpload checks the upload given, if any, naming the file field.
func (c *Catalogue) checkUpload(up []files.Upload) (files.File, error) {
	if len(up) == 0 || (up[0].Name == "" && len(up[0].Data) == 0 && !up[0].TooLarge) {
		return files.File{}, nil
	}
	if up[0].Field == "" {
		up[0].Field = "file"
	}
	return c.app.CheckUpload(up[0])
}

// UpdateDocumentVersion changes a version read at version (0: any). The
// text of a version that left draft never changes; going back from
// review to draft drops the approvals it got; withdrawing the version in
// force withdraws the document.
func (c *Catalogue) UpdateDocumentVersion(ctx context.Context, actor access.Actor, id, version int64, up VersionUpdate) (sms.DocumentVersion, error) {
	var ups []files.Upload
	if up.File != nil {
		ups = append(ups, *up.File)
	}
	f, err := c.checkUpload(ups)
	if err != nil {
		return sms.DocumentVersion{}, err
	}
	return app.Change(ctx, c.app, actor, documentVersions.Kind.Write, "change document versions", nil, func(tx *store.Tx) (sms.DocumentVersion, error) {
		var withdrawn *sms.DocumentVersion
		v, err := tx.UpdateDocumentVersion(ctx, actor, id, version, documentVersions.GuardChange(actor, id, func(v *sms.DocumentVersion) error {
			if f.Hash != "" && f.Hash != v.File.Hash {
				if v.Final() {
					return errs.Field("file", fmt.Sprintf("cannot change: version %d is %s, and its content is fixed; start a new version instead",
						v.Number, strings.ToLower(sms.Labels(sms.VersionStates)[v.State])))
				}
				if err := app.StoreFile(ctx, tx, f, ups[0]); err != nil {
					return err
				}
				v.File = f
			}
			in := sms.VersionInput{Content: v.Content, ChangeNote: v.ChangeNote, HasFile: v.HasFile()}
			if up.Content != nil {
				in.Content = *up.Content
			}
			if up.ChangeNote != nil {
				in.ChangeNote = *up.ChangeNote
			}
			in.Normalize()
			if in.Content != v.Content || in.ChangeNote != v.ChangeNote {
				if v.Final() {
					field := "content"
					if in.Content == v.Content {
						field = "change_note"
					}
					return errs.Field(field, fmt.Sprintf("cannot change: version %d is %s, and its text is fixed; start a new version instead",
						v.Number, strings.ToLower(sms.Labels(sms.VersionStates)[v.State])))
				}
				if err := in.Validate(); err != nil {
					return err
				}
				v.Content, v.ChangeNote = in.Content, in.ChangeNote
			}
			if up.State != nil && *up.State != v.State {
				to := strings.TrimSpace(*up.State)
				if err := sms.CheckMove(v.State, to); err != nil {
					return err
				}
				if v.State == "approved" && to == "withdrawn" {
					w := *v
					withdrawn = &w
				}
				if to == "draft" {
					v.ApprovalIDs = []int64{}
				}
				v.State = to
			}
			return nil
		}))
		if err != nil || withdrawn == nil {
			return v, err
		}
		_, err = tx.UpdateDocument(ctx, actor, v.DocumentID, 0, func(d *sms.ControlledDocument) error {
			if d.CurrentVersion == withdrawn.Number {
				d.Status, d.CurrentVersion = "withdrawn", 0
			}
			return nil
		})
		return v, err
	})
}

// ApproveDocumentVersion records the actor's approval of a version in
// review. The actor must be one of the document's approvers, must not
// have approved it already, and, unless the document allows it, must not
// be its author. With the approvals the document asks for, the version
// is approved: it comes into force, the version it replaces is
// superseded, and the document counts as reviewed today.
func (c *Catalogue) ApproveDocumentVersion(ctx context.Context, actor access.Actor, id, version int64) (sms.DocumentVersion, error) {
	return app.Change(ctx, c.app, actor, access.DocumentsApprove, "approve document versions", nil, func(tx *store.Tx) (sms.DocumentVersion, error) {
		var doc sms.ControlledDocument
		v, err := tx.UpdateDocumentVersion(ctx, actor, id, version, documentVersions.GuardChange(actor, id, func(v *sms.DocumentVersion) error {
			var err error
			if doc, err = tx.GetDocument(ctx, v.DocumentID); err != nil {
				return err
			}
			switch {
			case v.State != "in_review":
				return errs.Field("state", fmt.Sprintf("is %s: only a version in review can be approved; submit it for review first",
					strings.ToLower(sms.Labels(sms.VersionStates)[v.State])))
			case !slices.Contains(doc.ApproverIDs, actor.UserID):
				return errs.Field("approval_ids", fmt.Sprintf("you are not among the approvers of %s; its owner names them on the document", sms.DocumentKind.Number(doc.ID)))
			case slices.Contains(v.ApprovalIDs, actor.UserID):
				return errs.Field("approval_ids", "you have already approved this version")
			case v.CreatedBy == actor.UserID && !doc.SelfApproval:
				return errs.Field("approval_ids", fmt.Sprintf("you wrote this version, and %s asks for someone else to approve it", sms.DocumentKind.Number(doc.ID)))
			}
			v.ApprovalIDs = append(slices.Clone(v.ApprovalIDs), actor.UserID)
			slices.Sort(v.ApprovalIDs)
			if int64(len(v.ApprovalIDs)) >= doc.NeedsQuorum() {
				at := tx.Now()
				v.State, v.ApprovedAt = "approved", &at
			}
			return nil
		}))
		if err != nil || v.State != "approved" {
			return v, err
		}
		vs, err := tx.VersionsOf(ctx, v.DocumentID)
		if err != nil {
			return v, err
		}
		for _, o := range vs {
			if o.ID != v.ID && o.State == "approved" {
				if _, err := tx.UpdateDocumentVersion(ctx, actor, o.ID, 0, func(o *sms.DocumentVersion) error {
					o.State = "superseded"
					return nil
				}); err != nil {
					return v, err
				}
			}
		}
		_, err = tx.UpdateDocument(ctx, actor, v.DocumentID, 0, func(d *sms.ControlledDocument) error {
			d.Status, d.CurrentVersion = "approved", v.Number
			d.ReviewedOn = tx.Now().UTC().Format(time.DateOnly)
			d.ReviewDueOn = d.NextReview()
			return nil
		})
		return v, err
	})
}

// DeleteDocumentVersion removes a draft; a version that went further is
// kept (withdraw it instead).
func (c *Catalogue) DeleteDocumentVersion(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, documentVersions.Kind.Write, "delete document versions", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteDocumentVersion(ctx, actor, id, version, documentVersions.Guard(actor, id, func(v sms.DocumentVersion) error {
			if v.State != "draft" {
				return errs.E(errs.Conflict, "version %d is %s and stays on record; withdraw it instead", v.Number, strings.ToLower(sms.Labels(sms.VersionStates)[v.State]))
			}
			return nil
		}))
	}))
	return err
}

// VersionFile reads the content of a version's uploaded file, for a
// reader who may see the version.
func (c *Catalogue) VersionFile(ctx context.Context, actor access.Actor, id int64) (files.File, []byte, error) {
	v, err := c.GetDocumentVersion(ctx, actor, id)
	if err != nil {
		return files.File{}, nil, err
	}
	if !v.HasFile() {
		return files.File{}, nil, errs.E(errs.NotFound, "version %d has no file", v.Number)
	}
	data, err := c.app.FileContent(ctx, v.File)
	return v.File, data, err
}

// ListAcknowledgements lists acknowledgements.
func (c *Catalogue) ListAcknowledgements(ctx context.Context, actor access.Actor, f store.AcknowledgementFilter) ([]sms.DocumentAcknowledgement, string, error) {
	if err := acknowledgements.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListAcknowledgements(ctx, f)
}

// GetAcknowledgement reads one acknowledgement.
func (c *Catalogue) GetAcknowledgement(ctx context.Context, actor access.Actor, id int64) (sms.DocumentAcknowledgement, error) {
	return acknowledgements.Get(ctx, actor, id, c.db.GetAcknowledgement)
}

// Acknowledge records that the actor read and understood the version of
// a document in force. Once per version: a new version asks again.
func (c *Catalogue) Acknowledge(ctx context.Context, actor access.Actor, documentID int64) (sms.DocumentAcknowledgement, error) {
	return app.Change(ctx, c.app, actor, acknowledgements.Kind.Write, "acknowledge documents", nil, func(tx *store.Tx) (sms.DocumentAcknowledgement, error) {
		a := sms.DocumentAcknowledgement{DocumentID: documentID, UserID: actor.UserID}
		d, err := tx.GetDocument(ctx, documentID)
		if errs.Is(err, errs.NotFound) {
			return a, errs.Field("document_id", "names no document")
		} else if err != nil {
			return a, err
		}
		if d.Status != "approved" || d.CurrentVersion == 0 {
			return a, errs.Field("document_id", fmt.Sprintf("%s has no approved version in force to acknowledge", sms.DocumentKind.Number(documentID)))
		}
		vs, err := tx.VersionsOf(ctx, documentID)
		if err != nil {
			return a, err
		}
		for _, v := range vs {
			if v.Number == d.CurrentVersion {
				a.VersionID = v.ID
			}
		}
		return a, tx.CreateAcknowledgement(ctx, actor, &a)
	})
}

// Completion says who is asked to read a document and who acknowledged
// its version in force. The training area counts awareness of the policy
// and objectives with it.
func (c *Catalogue) Completion(ctx context.Context, actor access.Actor, documentID int64) (sms.AckCompletion, error) {
	d, err := c.GetDocument(ctx, actor, documentID)
	if err != nil {
		return sms.AckCompletion{}, err
	}
	return c.completion(ctx, d)
}

func (c *Catalogue) completion(ctx context.Context, d sms.ControlledDocument) (sms.AckCompletion, error) {
	out := sms.AckCompletion{DocumentID: d.ID}
	readers, err := c.db.DocumentReaders(ctx, d)
	if err != nil {
		return out, err
	}
	out.Readers = readers
	if d.Status != "approved" {
		return out, nil
	}
	out.Version = d.CurrentVersion
	cur, err := c.currentVersion(ctx, d)
	if err != nil {
		return out, err
	}
	acked, err := c.db.AcknowledgedBy(ctx, cur.ID)
	if err != nil {
		return out, err
	}
	for _, id := range acked {
		if slices.Contains(readers, id) {
			out.Acknowledged = append(out.Acknowledged, id)
		}
	}
	return out, nil
}

// CurrentVersion reads the version of a document in force; not found
// when none is.
func (c *Catalogue) CurrentVersion(ctx context.Context, actor access.Actor, documentID int64) (sms.DocumentVersion, error) {
	d, err := c.GetDocument(ctx, actor, documentID)
	if err != nil {
		return sms.DocumentVersion{}, err
	}
	return c.currentVersion(ctx, d)
}

func (c *Catalogue) currentVersion(ctx context.Context, d sms.ControlledDocument) (sms.DocumentVersion, error) {
	if d.CurrentVersion == 0 {
		return sms.DocumentVersion{}, errs.E(errs.NotFound, "%s has no version in force", sms.DocumentKind.Number(d.ID))
	}
	vs, _, err := c.db.ListDocumentVersions(ctx, store.DocumentVersionFilter{DocumentID: d.ID, Limit: store.MaxLimit})
	if err != nil {
		return sms.DocumentVersion{}, err
	}
	for _, v := range vs {
		if v.Number == d.CurrentVersion {
			return v, nil
		}
	}
	return sms.DocumentVersion{}, errs.E(errs.NotFound, "%s has no version %d", sms.DocumentKind.Number(d.ID), d.CurrentVersion)
}

// Reading is one document a person is asked to read, and whether they
// acknowledged its version in force.
type Reading struct {
	Document     sms.ControlledDocument
	Acknowledged bool
	// At is when they acknowledged it; zero when they have not.
	At time.Time
}

// Readings lists the documents in force a person is asked to read, with
// whether they acknowledged each. Anyone may ask for their own; for
// another's, the read permission is needed.
func (c *Catalogue) Readings(ctx context.Context, actor access.Actor, userID int64) ([]Reading, error) {
	if err := documents.MayRead(actor, "list"); err != nil {
		return nil, err
	}
	u, err := c.app.GetUser(ctx, actor, userID)
	if err != nil {
		return nil, err
	}
	ids, err := c.db.DocumentsToRead(ctx, u.ID, u.Role)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	ds, _, err := c.db.ListDocuments(ctx, store.DocumentFilter{IDs: ids, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	acks, _, err := c.db.ListAcknowledgements(ctx, store.AcknowledgementFilter{UserID: u.ID, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	out := make([]Reading, 0, len(ds))
	for _, d := range ds {
		r := Reading{Document: d}
		cur, err := c.currentVersion(ctx, d)
		if err != nil {
			return nil, err
		}
		for _, a := range acks {
			if a.VersionID == cur.ID {
				r.Acknowledged, r.At = true, a.CreatedAt
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// ToAcknowledge lists the documents in force a person has yet to
// acknowledge.
func (c *Catalogue) ToAcknowledge(ctx context.Context, actor access.Actor, userID int64) ([]sms.ControlledDocument, error) {
	rs, err := c.Readings(ctx, actor, userID)
	var out []sms.ControlledDocument
	for _, r := range rs {
		if !r.Acknowledged {
			out = append(out, r.Document)
		}
	}
	return out, err
}

// DocumentCoverage tallies the checklist of documented information the standard
// asks for against the documents mapped to it: "12 of 19 required
// documents approved", and which are missing. The certification journey
// shows it.
func (c *Catalogue) DocumentCoverage(ctx context.Context, actor access.Actor) (sms.ChecklistCoverage, error) {
	if err := requiredDocs.MayRead(actor, "read"); err != nil {
		return sms.ChecklistCoverage{}, err
	}
	return c.documentCoverage(ctx)
}

func (c *Catalogue) documentCoverage(ctx context.Context) (sms.ChecklistCoverage, error) {
	maps, err := c.db.ListRequiredDocuments(ctx)
	if err != nil {
		return sms.ChecklistCoverage{}, err
	}
	var ids []int64
	for _, m := range maps {
		ids = append(ids, m.DocumentID)
	}
	ds, _, err := c.db.ListDocuments(ctx, store.DocumentFilter{IDs: ids, Limit: store.MaxLimit})
	if err != nil {
		return sms.ChecklistCoverage{}, err
	}
	byID := map[int64]sms.ControlledDocument{}
	for _, d := range ds {
		byID[d.ID] = d
	}
	mapped := map[string]sms.ControlledDocument{}
	for _, m := range maps {
		mapped[m.Item] = byID[m.DocumentID]
	}
	return sms.NewChecklistCoverage(mapped), nil
}

// GetRequiredDocument reads one of the checklist's mappings.
func (c *Catalogue) GetRequiredDocument(ctx context.Context, actor access.Actor, id int64) (sms.RequiredDocument, error) {
	return requiredDocs.Get(ctx, actor, id, c.db.GetRequiredDocument)
}

// MapRequiredDocument says which document fulfils a checklist item; 0
// takes the mapping away. Each change is audited.
func (c *Catalogue) MapRequiredDocument(ctx context.Context, actor access.Actor, item string, documentID int64) error {
	check := func() error {
		if _, ok := sms.RequiredItemByCode(item); !ok {
			return errs.Field("item", fmt.Sprintf("%q is not an item of the checklist", item))
		}
		if documentID < 0 {
			return errs.Field("document_id", "must name a document, or be 0 for none")
		}
		return nil
	}
	_, err := app.Change(ctx, c.app, actor, requiredDocs.Kind.Write, "map the documented information checklist", check, app.NoResult(func(tx *store.Tx) error {
		if documentID != 0 {
			if _, err := tx.GetDocument(ctx, documentID); errs.Is(err, errs.NotFound) {
				return errs.Field("document_id", "names no document")
			} else if err != nil {
				return err
			}
		}
		cur, err := tx.RequiredDocumentFor(ctx, item)
		switch {
		case errs.Is(err, errs.NotFound) && documentID == 0:
			return nil
		case errs.Is(err, errs.NotFound):
			return tx.CreateRequiredDocument(ctx, actor, &sms.RequiredDocument{Item: item, DocumentID: documentID})
		case err != nil:
			return err
		case documentID == 0:
			return tx.DeleteRequiredDocument(ctx, actor, cur.ID)
		}
		_, err = tx.UpdateRequiredDocument(ctx, actor, cur.ID, func(r *sms.RequiredDocument) error {
			r.DocumentID = documentID
			return nil
		})
		return err
	}))
	return err
}

// documentNames names documents by title, for references.
func (c *Catalogue) documentNames(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
	for chunk := range slices.Chunk(ids, store.MaxLimit) {
		ds, _, err := c.ListDocuments(ctx, actor, store.DocumentFilter{IDs: chunk, Limit: len(chunk)})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			names[d.ID] = d.Title
		}
	}
	return names, nil
}

// versionNames names versions "Version 3" (the document's title is beside
// them wherever they are shown).
func (c *Catalogue) versionNames(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
	for chunk := range slices.Chunk(ids, store.MaxLimit) {
		vs, _, err := c.ListDocumentVersions(ctx, actor, store.DocumentVersionFilter{IDs: chunk, Limit: len(chunk)})
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			names[v.ID] = v.Label()
		}
	}
	return names, nil
}

// findDocuments is the jump box's search of documents.
func (c *Catalogue) findDocuments(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
	ds, _, err := c.ListDocuments(ctx, actor, store.DocumentFilter{Query: q, Limit: limit})
	var out []app.Found
	for _, d := range ds {
		out = append(out, app.Found{Entity: sms.DocumentKind.Entity, ID: d.ID, Name: d.Title, Detail: sms.DocumentKind.Number(d.ID)})
	}
	return out, err
}
