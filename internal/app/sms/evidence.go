package sms

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// evidence is read by all staff; those who do the work keep it.
var evidence = app.Scope[sms.Evidence]{Kind: sms.EvidenceKind}

// ListEvidence lists evidence.
func (c *Catalogue) ListEvidence(ctx context.Context, actor access.Actor, f store.EvidenceFilter) ([]sms.Evidence, string, error) {
	if err := evidence.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListEvidence(ctx, f)
}

// GetEvidence reads one item of evidence.
func (c *Catalogue) GetEvidence(ctx context.Context, actor access.Actor, id int64) (sms.Evidence, error) {
	return evidence.Get(ctx, actor, id, c.db.GetEvidence)
}

// CreateEvidence adds evidence; upload, for an uploaded file, is the file
// (checked before anything is written, refused naming its field).
func (c *Catalogue) CreateEvidence(ctx context.Context, actor access.Actor, in sms.EvidenceInput, upload *files.Upload) (sms.Evidence, error) {
	check := func() error {
		if err := c.takeUpload(&in, upload); err != nil {
			return err
		}
		in.Normalize()
		return in.Validate(false)
	}
	return app.Change(ctx, c.app, actor, evidence.Kind.Write, "add evidence", check, func(tx *store.Tx) (sms.Evidence, error) {
		var e sms.Evidence
		if err := c.checkEvidenceRefs(ctx, actor, in); err != nil {
			return e, err
		}
		if err := c.storeUpload(ctx, tx, in, upload); err != nil {
			return e, err
		}
		in.Set(&e)
		return e, tx.CreateEvidence(ctx, actor, &e)
	})
}

// UpdateEvidence changes evidence read at version (0: any); upload, when
// given, replaces its file.
func (c *Catalogue) UpdateEvidence(ctx context.Context, actor access.Actor, id, version int64, up sms.EvidenceUpdate, upload *files.Upload) (sms.Evidence, error) {
	check := func() error {
		if upload == nil {
			return nil
		}
		f, err := c.app.CheckUpload(*upload)
		up.File = &f
		return err
	}
	return app.Change(ctx, c.app, actor, evidence.Kind.Write, "change evidence", check, func(tx *store.Tx) (sms.Evidence, error) {
		return tx.UpdateEvidence(ctx, actor, id, version, evidence.GuardChange(actor, id, func(e *sms.Evidence) error {
			in := up.Apply(*e)
			in.Normalize()
			if err := in.Validate(e.FileHash != ""); err != nil {
				return err
			}
			if err := c.checkEvidenceRefs(ctx, actor, in); err != nil {
				return err
			}
			if err := c.storeUpload(ctx, tx, in, upload); err != nil {
				return err
			}
			in.Set(e)
			return nil
		}))
	})
}

// DeleteEvidence removes evidence read at version (0: any). Its file
// stays stored, as its history names it.
func (c *Catalogue) DeleteEvidence(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, evidence.Kind.Write, "delete evidence", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteEvidence(ctx, actor, id, version, evidence.Guard(actor, id, nil))
	}))
	return err
}

// EvidenceFile reads an uploaded file's evidence and the file, for a
// reader who may see the evidence.
func (c *Catalogue) EvidenceFile(ctx context.Context, actor access.Actor, id int64) (files.File, []byte, error) {
	e, err := c.GetEvidence(ctx, actor, id)
	if err != nil {
		return files.File{}, nil, err
	}
	if e.Kind != sms.EvidenceFile || e.FileHash == "" {
		return files.File{}, nil, errs.E(errs.NotFound, "evidence %s has no file", sms.EvidenceKind.Number(id))
	}
	data, err := c.app.FileContent(ctx, e.File())
	return e.File(), data, err
}

// EvidenceStates reads the evidence state of every requirement of a
// framework that has evidence.
func (c *Catalogue) EvidenceStates(ctx context.Context, actor access.Actor, frameworkID int64) (map[int64]sms.EvidenceState, error) {
	if err := evidence.MayRead(actor, "count"); err != nil {
		return nil, err
	}
	return c.db.EvidenceStates(ctx, frameworkID)
}

// Readiness counts an assessment's readiness, with its requirements'
// evidence, as of today.
func (c *Catalogue) Readiness(ctx context.Context, actor access.Actor, assessmentID int64) (sms.Readiness, error) {
	if _, err := c.GetAssessment(ctx, actor, assessmentID); err != nil {
		return sms.Readiness{}, err
	}
	return c.db.Readiness(ctx, assessmentID, Today())
}

// Today is the day evidence is judged fresh or expired on, in UTC.
func Today() string { return time.Now().UTC().Format(time.DateOnly) }

// takeUpload checks an upload and puts its file into the input.
func (c *Catalogue) takeUpload(in *sms.EvidenceInput, upload *files.Upload) error {
	if upload == nil {
		return nil
	}
	f, err := c.app.CheckUpload(*upload)
	if err != nil {
		return err
	}
	in.File = &f
	return nil
}

func (c *Catalogue) storeUpload(ctx context.Context, tx *store.Tx, in sms.EvidenceInput, upload *files.Upload) error {
	if in.File == nil || upload == nil {
		return nil
	}
	return app.StoreFile(ctx, tx, *in.File, *upload)
}

// checkEvidenceRefs refuses an owner who cannot keep evidence, a
// requirement that does not exist and a record the actor cannot see,
// naming the field. Document evidence refers to a controlled document
// once that kind exists; until then to any record.
func (c *Catalogue) checkEvidenceRefs(ctx context.Context, actor access.Actor, in sms.EvidenceInput) error {
	owner, err := c.app.GetUser(ctx, access.CLI, in.OwnerID)
	switch {
	case errs.Is(err, errs.NotFound):
		return errs.Field("owner_id", "names no user")
	case err != nil:
		return err
	case !owner.Active:
		return errs.Field("owner_id", "names a deactivated user")
	case !owner.Actor("").Can(access.EvidenceRead):
		return errs.Field("owner_id", "names a user whose role cannot see evidence; choose one of the provider's staff")
	}
	if _, err := c.GetRequirement(ctx, actor, in.RequirementID); errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return errs.Field("requirement_id", "names no requirement")
	} else if err != nil {
		return err
	}
	if in.Kind == sms.EvidenceDocument || in.Kind == sms.EvidenceRecord {
		if _, documents := c.app.Kinds().Get(sms.DocumentEntity); documents && in.Kind == sms.EvidenceDocument && in.RefEntity != sms.DocumentEntity {
			return errs.Field("ref_entity", "must be document: document evidence names a controlled document")
		}
		return c.app.SeeRecord(ctx, actor, in.RefEntity, in.RefID, "ref_entity", "ref_id")
	}
	return nil
}
