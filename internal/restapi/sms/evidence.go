package sms

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Evidence is what shows a requirement is met.
type Evidence struct {
	ID            int64     `json:"id"`
	Title         string    `json:"title"`
	Notes         string    `json:"notes"`
	RequirementID int64     `json:"requirement_id"`
	OwnerID       int64     `json:"owner_id" doc:"The user who keeps it current."`
	ReviewBy      string    `json:"review_by" doc:"The day by which it must be reviewed (2006-01-02); after it, it has expired."`
	Expired       bool      `json:"expired" doc:"Whether review_by has passed (today, in UTC)."`
	Kind          string    `json:"kind" enum:"document,file,record,url"`
	RefEntity     string    `json:"ref_entity" doc:"For a document or a record: the record's kind (its entity, such as action); empty otherwise."`
	RefID         int64     `json:"ref_id" doc:"For a document or a record: the record's id; 0 otherwise."`
	URL           string    `json:"url" doc:"For a web address; empty otherwise."`
	File          *File     `json:"file,omitempty" doc:"For an uploaded file: GET /api/v1/evidence/{id}/file downloads it."`
	CreatedAt     time.Time `json:"created_at"`
	CreatedBy     int64     `json:"created_by"`
	UpdatedAt     time.Time `json:"updated_at"`
	UpdatedBy     int64     `json:"updated_by"`
	Version       int64     `json:"version"`
}

// File is an uploaded file, named by its content's SHA-256.
type File struct {
	Name   string `json:"name"`
	Type   string `json:"type" doc:"The type it is served as, from the allow-list."`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func evidenceOut(e sms.Evidence) Evidence {
	out := Evidence{ID: e.ID, Title: e.Title, Notes: e.Notes, RequirementID: e.RequirementID, OwnerID: e.OwnerID, ReviewBy: e.ReviewBy,
		Expired: e.Expired(smsapp.Today()), Kind: e.Kind, RefEntity: e.RefEntity, RefID: e.RefID, URL: e.URL,
		CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy, UpdatedAt: e.UpdatedAt, UpdatedBy: e.UpdatedBy, Version: e.Version}
	if e.Kind == sms.EvidenceFile {
		out.File = &File{Name: e.FileName, Type: e.FileType, Size: e.FileSize, SHA256: e.FileHash}
	}
	return out
}

type evidenceCreateIn struct {
	Body struct {
		Title         string `json:"title" maxLength:"200"`
		Notes         string `json:"notes,omitempty" maxLength:"4000"`
		RequirementID int64  `json:"requirement_id" minimum:"1"`
		OwnerID       int64  `json:"owner_id" minimum:"1"`
		ReviewBy      string `json:"review_by" maxLength:"10" doc:"2006-01-02"`
		Kind          string `json:"kind" enum:"document,record,url" doc:"An uploaded file is created with POST /api/v1/evidence/files."`
		RefEntity     string `json:"ref_entity,omitempty" maxLength:"50" doc:"For a record: its kind (entity); for a document, document when left out."`
		RefID         int64  `json:"ref_id,omitempty" minimum:"0"`
		URL           string `json:"url,omitempty" maxLength:"2000"`
	}
}

type evidencePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title         *string `json:"title,omitempty" maxLength:"200"`
		Notes         *string `json:"notes,omitempty" maxLength:"4000"`
		RequirementID *int64  `json:"requirement_id,omitempty" minimum:"1"`
		OwnerID       *int64  `json:"owner_id,omitempty" minimum:"1"`
		ReviewBy      *string `json:"review_by,omitempty" maxLength:"10"`
		Kind          *string `json:"kind,omitempty" enum:"document,file,record,url" doc:"To file only for evidence that has a file; PUT /api/v1/evidence/{id}/file replaces it."`
		RefEntity     *string `json:"ref_entity,omitempty" maxLength:"50"`
		RefID         *int64  `json:"ref_id,omitempty" minimum:"0"`
		URL           *string `json:"url,omitempty" maxLength:"2000"`
	}
}

type evidenceListIn struct {
	restapi.PageParams
	Q             string `query:"q" maxLength:"100" doc:"Part of the title."`
	RequirementID int64  `query:"requirement_id" minimum:"0" doc:"Only the evidence of this requirement."`
	OwnerID       int64  `query:"owner_id" minimum:"0" doc:"Only this user's evidence."`
	Kind          string `query:"kind" enum:"document,file,record,url"`
	Expired       bool   `query:"expired" doc:"Only evidence whose review day has passed."`
	RefEntity     string `query:"ref_entity" maxLength:"50" doc:"With ref_id: only evidence naming this record."`
	RefID         int64  `query:"ref_id" minimum:"0"`
}

// evidenceUploadIn is a file sent as the body, with the evidence's
// fields in the query.
type evidenceUploadIn struct {
	Name          string `query:"name" maxLength:"255" required:"true" doc:"The file's name, with its extension (policy.pdf): with its content it decides the type."`
	Title         string `query:"title" maxLength:"200" required:"true"`
	Notes         string `query:"notes" maxLength:"4000"`
	RequirementID int64  `query:"requirement_id" minimum:"1" required:"true"`
	OwnerID       int64  `query:"owner_id" minimum:"1" required:"true"`
	ReviewBy      string `query:"review_by" maxLength:"10" required:"true" doc:"2006-01-02"`
	RawBody       []byte `contentType:"application/octet-stream"`
}

// registerEvidence adds evidence's operations.
func registerEvidence(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.EvidenceKind
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *evidenceListIn) ([]sms.Evidence, string, error) {
		f := store.EvidenceFilter{Query: in.Q, RequirementID: in.RequirementID, OwnerID: in.OwnerID, Kind: in.Kind, Cursor: in.Cursor, Limit: in.Limit}
		if in.Expired {
			f.ExpiredOn = smsapp.Today()
		}
		if in.RefEntity != "" || in.RefID != 0 {
			f.RefEntity, f.RefID = in.RefEntity, in.RefID
			if f.RefEntity == "" {
				return nil, "", errs.Field("ref_entity", "is required with ref_id")
			}
		}
		return c.ListEvidence(ctx, actor, f)
	}, evidenceOut)
	restapi.RegisterCreate(api, k, "A controlled document, a record in Conform or a web address; an uploaded file is created with POST /api/v1/evidence/files.",
		func(ctx context.Context, actor access.Actor, in *evidenceCreateIn) (sms.Evidence, error) {
			b := in.Body
			return c.CreateEvidence(ctx, actor, sms.EvidenceInput{Title: b.Title, Notes: b.Notes, RequirementID: b.RequirementID, OwnerID: b.OwnerID,
				ReviewBy: b.ReviewBy, Kind: b.Kind, RefEntity: b.RefEntity, RefID: b.RefID, URL: b.URL}, nil)
		}, evidenceOut)
	restapi.RegisterGet(api, k, c.GetEvidence, evidenceOut)
	restapi.RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *evidencePatchIn, version int64) (sms.Evidence, error) {
		b := in.Body
		return c.UpdateEvidence(ctx, actor, in.ID, version, sms.EvidenceUpdate{Title: b.Title, Notes: b.Notes, RequirementID: b.RequirementID, OwnerID: b.OwnerID,
			ReviewBy: b.ReviewBy, Kind: b.Kind, RefEntity: b.RefEntity, RefID: b.RefID, URL: b.URL}, nil)
	}, evidenceOut)
	restapi.RegisterDelete(api, k, "", "The file of an uploaded file stays stored, as the evidence's history names it.", c.DeleteEvidence)
	api.RegisterHistory(k)

	maxBody := 2 * api.App().MaxUpload()
	restapi.Register(api, k.Write, huma.Operation{OperationID: "upload-evidence", Method: http.MethodPost, Path: restapi.KindPath(k) + "/files",
		Tags: []string{k.Plural}, Summary: "Create evidence from an uploaded file", DefaultStatus: http.StatusCreated, MaxBodyBytes: maxBody,
		Errors:      []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge},
		Description: "The body is the file; the evidence's fields are in the query. " + acceptedFiles(api)},
		func(ctx context.Context, actor access.Actor, in *evidenceUploadIn) (*restapi.Created[Evidence], error) {
			up := files.Upload{Field: "body", Name: in.Name, Data: in.RawBody}
			e, err := c.CreateEvidence(ctx, actor, sms.EvidenceInput{Title: in.Title, Notes: in.Notes, RequirementID: in.RequirementID, OwnerID: in.OwnerID,
				ReviewBy: in.ReviewBy, Kind: sms.EvidenceFile}, &up)
			if err != nil {
				return nil, err
			}
			return &restapi.Created[Evidence]{ETag: restapi.ETag(e.Version), Location: restapi.KindPath(k) + "/" + strconv.FormatInt(e.ID, 10), Body: evidenceOut(e)}, nil
		})
	restapi.Register(api, k.Write, huma.Operation{OperationID: "replace-evidence-file", Method: http.MethodPut, Path: restapi.ItemPath(k) + "/file",
		Tags: []string{k.Plural}, Summary: "Replace an uploaded file's file", MaxBodyBytes: maxBody, Errors: []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge},
		Description: "The body is the new file. " + acceptedFiles(api)},
		func(ctx context.Context, actor access.Actor, in *fileIn) (*restapi.Tagged[Evidence], error) {
			up, kind := in.upload(), sms.EvidenceFile
			e, err := restapi.AtVersions(in.IfMatch, func(v int64) (sms.Evidence, error) {
				return c.UpdateEvidence(ctx, actor, in.ID, v, sms.EvidenceUpdate{Kind: &kind}, &up)
			})
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[Evidence]{ETag: restapi.ETag(e.Version), Body: evidenceOut(e)}, nil
		})
	paths := api.OpenAPI().Paths
	fileBodies(paths[restapi.KindPath(k)+"/files"].Post, paths[restapi.ItemPath(k)+"/file"].Put)
	restapi.Register(api, k.Read, huma.Operation{OperationID: "download-evidence-file", Method: http.MethodGet, Path: restapi.ItemPath(k) + "/file",
		Tags: []string{k.Plural}, Summary: "Download an uploaded file's file",
		Description: "Answers the file as an attachment, with the type it was stored as, X-Content-Type-Options: nosniff and a sandboxing Content-Security-Policy. 404 for evidence that is not an uploaded file.",
		Responses:   fileAnswer},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*fileOut, error) {
			f, data, err := c.EvidenceFile(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return download(f, data), nil
		})
}
