package sms

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Document is a controlled document.
type Document struct {
	ID              int64     `json:"id"`
	Number          string    `json:"number" doc:"The human number, DOC-000012."`
	Title           string    `json:"title"`
	Type            string    `json:"type" enum:"policy,plan,process,procedure,record,other"`
	OwnerID         int64     `json:"owner_id"`
	Classification  string    `json:"classification" enum:"public,internal,confidential,restricted" doc:"Who may see it: public, internal, confidential (those who need it), restricted (only the people named)."`
	Summary         string    `json:"summary"`
	ReviewMonths    int64     `json:"review_months" doc:"How often it is reviewed, in months; 0 for no regular review."`
	ReviewedOn      string    `json:"reviewed_on" doc:"The day it was last reviewed (2006-01-02); empty before the first approval."`
	NextReviewOn    string    `json:"next_review_on" doc:"The day the next review is due; empty for none."`
	ReviewOverdue   bool      `json:"review_overdue" doc:"In force and its next review is past."`
	Status          string    `json:"status" enum:"draft,approved,withdrawn" doc:"Follows its versions: draft until one is approved, withdrawn when the version in force is withdrawn."`
	CurrentVersion  int64     `json:"current_version" doc:"The number of the version in force; 0 for none."`
	ApproverIDs     []int64   `json:"approver_ids" nullable:"false"`
	Quorum          int64     `json:"quorum" doc:"How many approvers must approve a version; 0 or 1: one."`
	SelfApproval    bool      `json:"self_approval" doc:"Whether a version's author may approve it too."`
	RequirementIDs  []int64   `json:"requirement_ids" nullable:"false"`
	AudienceRoles   []string  `json:"audience_roles" nullable:"false" doc:"Roles whose holders must acknowledge each approved version."`
	AudienceTeamIDs []int64   `json:"audience_team_ids" nullable:"false"`
	AudienceUserIDs []int64   `json:"audience_user_ids" nullable:"false"`
	CreatedAt       time.Time `json:"created_at"`
	CreatedBy       int64     `json:"created_by"`
	UpdatedAt       time.Time `json:"updated_at"`
	UpdatedBy       int64     `json:"updated_by"`
	Version         int64     `json:"version"`
}

func documentOut(d sms.ControlledDocument) Document {
	roles := []string{}
	for _, r := range d.Roles() {
		roles = append(roles, string(r))
	}
	return Document{ID: d.ID, Number: sms.DocumentKind.Number(d.ID), Title: d.Title, Type: d.Type, OwnerID: d.OwnerID, Classification: d.Classification,
		Summary: d.Summary, ReviewMonths: d.ReviewMonths, ReviewedOn: d.ReviewedOn, NextReviewOn: d.ReviewDueOn,
		ReviewOverdue: d.ReviewOverdue(time.Now().UTC().Format(time.DateOnly)), Status: d.Status, CurrentVersion: d.CurrentVersion,
		ApproverIDs: d.ApproverIDs, Quorum: d.Quorum, SelfApproval: d.SelfApproval, RequirementIDs: d.RequirementIDs, AudienceRoles: roles,
		AudienceTeamIDs: d.AudienceTeamIDs, AudienceUserIDs: d.AudienceUserIDs,
		CreatedAt: d.CreatedAt, CreatedBy: d.CreatedBy, UpdatedAt: d.UpdatedAt, UpdatedBy: d.UpdatedBy, Version: d.Version}
}

type documentCreateIn struct {
	Body struct {
		Title           string   `json:"title" maxLength:"200"`
		Type            string   `json:"type,omitempty" enum:"policy,plan,process,procedure,record,other" doc:"policy when left out."`
		OwnerID         int64    `json:"owner_id" minimum:"1"`
		Classification  string   `json:"classification,omitempty" enum:"public,internal,confidential,restricted" doc:"internal when left out."`
		Summary         string   `json:"summary,omitempty" maxLength:"4000"`
		ReviewMonths    *int64   `json:"review_months,omitempty" minimum:"0" maximum:"60" doc:"12 when left out."`
		ReviewedOn      string   `json:"reviewed_on,omitempty" maxLength:"10"`
		ApproverIDs     []int64  `json:"approver_ids,omitempty" maxItems:"500"`
		Quorum          int64    `json:"quorum,omitempty" minimum:"0"`
		SelfApproval    bool     `json:"self_approval,omitempty"`
		RequirementIDs  []int64  `json:"requirement_ids,omitempty" maxItems:"500"`
		AudienceRoles   []string `json:"audience_roles,omitempty" maxItems:"8"`
		AudienceTeamIDs []int64  `json:"audience_team_ids,omitempty" maxItems:"500"`
		AudienceUserIDs []int64  `json:"audience_user_ids,omitempty" maxItems:"500"`
	}
}

type documentPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title           *string   `json:"title,omitempty" maxLength:"200"`
		Type            *string   `json:"type,omitempty" enum:"policy,plan,process,procedure,record,other"`
		OwnerID         *int64    `json:"owner_id,omitempty" minimum:"1"`
		Classification  *string   `json:"classification,omitempty" enum:"public,internal,confidential,restricted"`
		Summary         *string   `json:"summary,omitempty" maxLength:"4000"`
		ReviewMonths    *int64    `json:"review_months,omitempty" minimum:"0" maximum:"60"`
		ReviewedOn      *string   `json:"reviewed_on,omitempty" maxLength:"10"`
		ApproverIDs     *[]int64  `json:"approver_ids,omitempty" maxItems:"500"`
		Quorum          *int64    `json:"quorum,omitempty" minimum:"0"`
		SelfApproval    *bool     `json:"self_approval,omitempty"`
		RequirementIDs  *[]int64  `json:"requirement_ids,omitempty" maxItems:"500"`
		AudienceRoles   *[]string `json:"audience_roles,omitempty" maxItems:"8"`
		AudienceTeamIDs *[]int64  `json:"audience_team_ids,omitempty" maxItems:"500"`
		AudienceUserIDs *[]int64  `json:"audience_user_ids,omitempty" maxItems:"500"`
	}
}

type documentListIn struct {
	restapi.PageParams
	Q             string `query:"q" maxLength:"100" doc:"Part of the title."`
	Type          string `query:"type" enum:"policy,plan,process,procedure,record,other"`
	Status        string `query:"status" enum:"draft,approved,withdrawn"`
	OwnerID       int64  `query:"owner_id" minimum:"0"`
	RequirementID int64  `query:"requirement_id" minimum:"0" doc:"Only documents related to this requirement."`
	ReviewOverdue bool   `query:"review_overdue" doc:"Only documents in force whose review is overdue."`
}

// DocumentVersion is one version of a document's text.
type DocumentVersion struct {
	ID          int64        `json:"id"`
	DocumentID  int64        `json:"document_id"`
	Number      int64        `json:"number"`
	State       string       `json:"state" enum:"draft,in_review,approved,superseded,withdrawn"`
	Content     string       `json:"content" doc:"The text, in Markdown."`
	ChangeNote  string       `json:"change_note"`
	ApprovedAt  *time.Time   `json:"approved_at" doc:"When the last approval needed came in; null before."`
	ApprovalIDs []int64      `json:"approval_ids" nullable:"false" doc:"The approvers who approved it so far."`
	File        *VersionFile `json:"file,omitempty" doc:"The uploaded file that is its content, beside or instead of the text; absent for none. PUT .../file uploads it to a draft; GET .../file downloads it."`
	CreatedAt   time.Time    `json:"created_at"`
	CreatedBy   int64        `json:"created_by" doc:"The author."`
	UpdatedAt   time.Time    `json:"updated_at"`
	UpdatedBy   int64        `json:"updated_by"`
	Version     int64        `json:"version"`
}

// VersionFile describes a version's uploaded file.
type VersionFile struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size" doc:"In bytes."`
	Hash string `json:"hash" doc:"SHA-256 of the content, hex."`
}

func versionOut(v sms.DocumentVersion) DocumentVersion {
	out := versionOutText(v)
	if v.HasFile() {
		out.File = &VersionFile{Name: v.File.Name, Type: v.File.Type, Size: v.File.Size, Hash: v.File.Hash}
	}
	return out
}

func versionOutText(v sms.DocumentVersion) DocumentVersion {
	return DocumentVersion{ID: v.ID, DocumentID: v.DocumentID, Number: v.Number, State: v.State, Content: v.Content, ChangeNote: v.ChangeNote,
		ApprovedAt: v.ApprovedAt, ApprovalIDs: v.ApprovalIDs, CreatedAt: v.CreatedAt, CreatedBy: v.CreatedBy, UpdatedAt: v.UpdatedAt, UpdatedBy: v.UpdatedBy, Version: v.Version}
}

type versionCreateIn struct {
	Body struct {
		DocumentID int64  `json:"document_id" minimum:"1"`
		Content    string `json:"content" maxLength:"200000" doc:"Markdown; raw HTML is not shown, and links to javascript:, data: or file: addresses are refused."`
		ChangeNote string `json:"change_note,omitempty" maxLength:"1000"`
	}
}

type versionPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Content    *string `json:"content,omitempty" maxLength:"200000" doc:"Only while a draft."`
		ChangeNote *string `json:"change_note,omitempty" maxLength:"1000" doc:"Only while a draft."`
		State      *string `json:"state,omitempty" enum:"draft,in_review,approved,superseded,withdrawn" doc:"By hand: draft to in_review (submit) or withdrawn; in_review back to draft (drops its approvals) or withdrawn; approved to withdrawn. Approval has its own operation."`
	}
}

type versionListIn struct {
	restapi.PageParams
	DocumentID int64  `query:"document_id" minimum:"0"`
	State      string `query:"state" enum:"draft,in_review,approved,superseded,withdrawn"`
}

// Acknowledgement records that someone read and understood a version.
type Acknowledgement struct {
	ID         int64     `json:"id"`
	DocumentID int64     `json:"document_id"`
	VersionID  int64     `json:"version_id"`
	UserID     int64     `json:"user_id"`
	CreatedAt  time.Time `json:"created_at" doc:"When it was acknowledged."`
	CreatedBy  int64     `json:"created_by"`
	UpdatedAt  time.Time `json:"updated_at"`
	UpdatedBy  int64     `json:"updated_by"`
	Version    int64     `json:"version"`
}

func ackOut(a sms.DocumentAcknowledgement) Acknowledgement {
	return Acknowledgement{ID: a.ID, DocumentID: a.DocumentID, VersionID: a.VersionID, UserID: a.UserID,
		CreatedAt: a.CreatedAt, CreatedBy: a.CreatedBy, UpdatedAt: a.UpdatedAt, UpdatedBy: a.UpdatedBy, Version: a.Version}
}

type ackCreateIn struct {
	Body struct {
		DocumentID int64 `json:"document_id" minimum:"1" doc:"The document whose version in force the caller read and understood."`
	}
}

type ackListIn struct {
	restapi.PageParams
	DocumentID int64 `query:"document_id" minimum:"0"`
	VersionID  int64 `query:"version_id" minimum:"0"`
	UserID     int64 `query:"user_id" minimum:"0"`
}

// DocumentCompletion is who must read a document and who acknowledged its
// version in force.
type DocumentCompletion struct {
	DocumentID   int64   `json:"document_id"`
	Version      int64   `json:"version" doc:"The number of the version in force; 0 for none."`
	Percent      int     `json:"percent" doc:"Acknowledged readers ÷ readers, rounded down; 100 when nobody is asked."`
	Readers      []int64 `json:"readers" nullable:"false" doc:"The active people asked to read it: by role, team or name."`
	Acknowledged []int64 `json:"acknowledged" nullable:"false"`
	Pending      []int64 `json:"pending" nullable:"false"`
}

// DocumentChecklist is the documented information the standard asks for, each
// item with the document mapped to it.
type DocumentChecklist struct {
	Approved int                     `json:"approved" doc:"Items whose document is approved."`
	Total    int                     `json:"total"`
	Percent  int                     `json:"percent"`
	Items    []DocumentChecklistItem `json:"items" nullable:"false"`
}

// DocumentChecklistItem is one item of the checklist.
type DocumentChecklistItem struct {
	Item           string `json:"item"`
	Clause         string `json:"clause"`
	Title          string `json:"title"`
	About          string `json:"about"`
	DocumentID     int64  `json:"document_id" doc:"The document that fulfils it; 0 for none yet."`
	DocumentStatus string `json:"document_status,omitempty" enum:"draft,approved,withdrawn"`
	Covered        bool   `json:"covered" doc:"An approved document fulfils it."`
}

func checklistOut(c sms.ChecklistCoverage) DocumentChecklist {
	out := DocumentChecklist{Approved: c.Approved, Total: c.Total(), Percent: c.Percent(), Items: []DocumentChecklistItem{}}
	for _, i := range c.Items {
		out.Items = append(out.Items, DocumentChecklistItem{Item: i.Code, Clause: i.Clause, Title: i.Title, About: i.About, DocumentID: i.DocumentID,
			DocumentStatus: i.DocumentStatus, Covered: i.Covered()})
	}
	return out
}

func ptrRoles(rs *[]string) *string {
	if rs == nil {
		return nil
	}
	s := strings.Join(*rs, ",")
	return &s
}

// registerDocuments adds the operations of documented information.
func registerDocuments(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.DocumentKind
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *documentListIn) ([]sms.ControlledDocument, string, error) {
		f := store.DocumentFilter{Query: in.Q, Type: in.Type, Status: in.Status, OwnerID: in.OwnerID, RequirementID: in.RequirementID, Cursor: in.Cursor, Limit: in.Limit}
		if in.ReviewOverdue {
			f.ReviewBefore = time.Now().UTC().Format(time.DateOnly)
		}
		return c.ListDocuments(ctx, actor, f)
	}, documentOut)
	restapi.RegisterCreate(api, k, "A document is a draft until a version of it is approved.",
		func(ctx context.Context, actor access.Actor, in *documentCreateIn) (sms.ControlledDocument, error) {
			b := in.Body
			months := int64(12)
			if b.ReviewMonths != nil {
				months = *b.ReviewMonths
			}
			return c.CreateDocument(ctx, actor, sms.DocumentInput{Title: b.Title, Type: b.Type, OwnerID: b.OwnerID, Classification: b.Classification,
				Summary: b.Summary, ReviewMonths: months, ReviewedOn: b.ReviewedOn, ApproverIDs: b.ApproverIDs, Quorum: b.Quorum, SelfApproval: b.SelfApproval,
				RequirementIDs: b.RequirementIDs, AudienceRoles: strings.Join(b.AudienceRoles, ","), AudienceTeamIDs: b.AudienceTeamIDs, AudienceUserIDs: b.AudienceUserIDs})
		}, documentOut)
	restapi.RegisterGet(api, k, c.GetDocument, documentOut)
	restapi.RegisterUpdate(api, k, "Its status and version in force follow its versions.",
		func(ctx context.Context, actor access.Actor, in *documentPatchIn, version int64) (sms.ControlledDocument, error) {
			b := in.Body
			return c.UpdateDocument(ctx, actor, in.ID, version, sms.DocumentUpdate{Title: b.Title, Type: b.Type, OwnerID: b.OwnerID, Classification: b.Classification,
				Summary: b.Summary, ReviewMonths: b.ReviewMonths, ReviewedOn: b.ReviewedOn, ApproverIDs: b.ApproverIDs, Quorum: b.Quorum, SelfApproval: b.SelfApproval,
				RequirementIDs: b.RequirementIDs, AudienceRoles: ptrRoles(b.AudienceRoles), AudienceTeamIDs: b.AudienceTeamIDs, AudienceUserIDs: b.AudienceUserIDs})
		}, documentOut)
	restapi.RegisterDelete(api, k, "", "Deletes its versions and acknowledgements with it. Refused (409) while evidence or the checklist points to it, naming what does: withdraw it instead.", c.DeleteDocument)
	api.RegisterHistory(k)
	restapi.Register(api, k.Read, huma.Operation{OperationID: "document-completion", Method: http.MethodGet, Path: restapi.ItemPath(k) + "/completion",
		Tags: []string{k.Plural}, Summary: "Who has read a document",
		Description: "The people asked to read the document (by role, team or name, active only) and which of them acknowledged its version in force."},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*struct{ Body DocumentCompletion }, error) {
			a, err := c.Completion(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			out := DocumentCompletion{DocumentID: a.DocumentID, Version: a.Version, Percent: a.Percent(), Readers: orEmpty(a.Readers), Acknowledged: orEmpty(a.Acknowledged), Pending: orEmpty(a.Pending())}
			return &struct{ Body DocumentCompletion }{out}, nil
		})
	restapi.Register(api, k.Read, huma.Operation{OperationID: "documents-to-acknowledge", Method: http.MethodGet, Path: restapi.KindPath(k) + "/to-acknowledge",
		Tags: []string{k.Plural}, Summary: "Documents the caller has yet to acknowledge",
		Description: "The documents in force the caller is asked to read whose version in force they have not acknowledged."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body restapi.Page[Document] }, error) {
			ds, err := c.ToAcknowledge(ctx, actor, actor.UserID)
			if err != nil {
				return nil, err
			}
			out := []Document{}
			for _, d := range ds {
				out = append(out, documentOut(d))
			}
			return &struct{ Body restapi.Page[Document] }{restapi.Page[Document]{Items: out}}, nil
		})
	restapi.Register(api, k.Read, huma.Operation{OperationID: "document-checklist", Method: http.MethodGet, Path: "/api/v1/document-checklist",
		Tags: []string{k.Plural}, Summary: "The documented information checklist",
		Description: "Each item of documented information ISO/IEC 20000-1:2018 asks for, the document mapped to it, and how many are covered by an approved document."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body DocumentChecklist }, error) {
			cov, err := c.DocumentCoverage(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &struct{ Body DocumentChecklist }{checklistOut(cov)}, nil
		})
	restapi.Register(api, k.Write, huma.Operation{OperationID: "map-checklist-item", Method: http.MethodPut, Path: "/api/v1/document-checklist/{item}",
		Tags: []string{k.Plural}, Summary: "Map a checklist item to a document",
		Description: "Names the document that fulfils the item; document_id 0 takes the mapping away. Answers the checklist."},
		func(ctx context.Context, actor access.Actor, in *struct {
			Item string `path:"item" maxLength:"40" doc:"The item's code, as the checklist lists it."`
			Body struct {
				DocumentID int64 `json:"document_id" minimum:"0"`
			}
		}) (*struct{ Body DocumentChecklist }, error) {
			if err := c.MapRequiredDocument(ctx, actor, in.Item, in.Body.DocumentID); err != nil {
				return nil, err
			}
			cov, err := c.DocumentCoverage(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &struct{ Body DocumentChecklist }{checklistOut(cov)}, nil
		})

	vk := sms.DocumentVersionKind
	restapi.RegisterList(api, vk, "", func(ctx context.Context, actor access.Actor, in *versionListIn) ([]sms.DocumentVersion, string, error) {
		return c.ListDocumentVersions(ctx, actor, store.DocumentVersionFilter{DocumentID: in.DocumentID, State: in.State, Cursor: in.Cursor, Limit: in.Limit})
	}, versionOut)
	restapi.RegisterCreate(api, vk, "Starts the next version of a document as a draft; refused while another is a draft or in review.",
		func(ctx context.Context, actor access.Actor, in *versionCreateIn) (sms.DocumentVersion, error) {
			return c.CreateDocumentVersion(ctx, actor, in.Body.DocumentID, sms.VersionInput{Content: in.Body.Content, ChangeNote: in.Body.ChangeNote})
		}, versionOut)
	restapi.RegisterGet(api, vk, c.GetDocumentVersion, versionOut)
	restapi.RegisterUpdate(api, vk, "A version's text changes only while it is a draft; a move its state may not make is refused, naming the moves it may.",
		func(ctx context.Context, actor access.Actor, in *versionPatchIn, version int64) (sms.DocumentVersion, error) {
			return c.UpdateDocumentVersion(ctx, actor, in.ID, version, smsapp.VersionUpdate{Content: in.Body.Content, ChangeNote: in.Body.ChangeNote, State: in.Body.State})
		}, versionOut)
	restapi.RegisterDelete(api, vk, "", "Only a draft; a version that went further stays on record (withdraw it instead).", c.DeleteDocumentVersion)
	api.RegisterHistory(vk)
	restapi.Register(api, access.DocumentsApprove, huma.Operation{OperationID: "approve-document_version", Method: http.MethodPost, Path: restapi.ItemPath(vk) + "/approve",
		Tags: []string{vk.Plural}, Summary: "Approve a document version",
		Description: "Records the caller's approval of a version in review. The caller must be one of the document's approvers and, unless the document allows it, not the version's author. With the approvals the document asks for, the version comes into force and the one before is superseded."},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*struct{ Body DocumentVersion }, error) {
			v, err := c.ApproveDocumentVersion(ctx, actor, in.ID, 0)
			if err != nil {
				return nil, err
			}
			return &struct{ Body DocumentVersion }{versionOut(v)}, nil
		})

	restapi.Register(api, vk.Read, huma.Operation{OperationID: "document-version-file", Method: http.MethodGet, Path: restapi.ItemPath(vk) + "/file",
		Tags: []string{vk.Plural}, Summary: "Download a document version's file",
		Description: "The uploaded file that is the version's content, as an attachment, with X-Content-Type-Options: nosniff and a sandboxing Content-Security-Policy; 404 when the version has none.",
		Responses:   fileAnswer},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*fileOut, error) {
			f, data, err := c.VersionFile(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return download(f, data), nil
		})
	restapi.Register(api, vk.Write, huma.Operation{OperationID: "upload-document-version-file", Method: http.MethodPut, Path: restapi.ItemPath(vk) + "/file",
		Tags: []string{vk.Plural}, Summary: "Upload a document version's file", MaxBodyBytes: 2 * api.App().MaxUpload(),
		Errors:      []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge},
		Description: "The body is the file that is the version's content, beside or instead of its text, replacing any it had. Only a draft takes a file: a version that left draft never changes. " + acceptedFiles(api)},
		func(ctx context.Context, actor access.Actor, in *fileIn) (*restapi.Tagged[DocumentVersion], error) {
			up := in.upload()
			v, err := restapi.AtVersions(in.IfMatch, func(version int64) (sms.DocumentVersion, error) {
				return c.UpdateDocumentVersion(ctx, actor, in.ID, version, smsapp.VersionUpdate{File: &up})
			})
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[DocumentVersion]{ETag: restapi.ETag(v.Version), Body: versionOut(v)}, nil
		})
	fileBodies(api.OpenAPI().Paths[restapi.ItemPath(vk)+"/file"].Put)

	ak := sms.AcknowledgementKind
	restapi.RegisterList(api, ak, "", func(ctx context.Context, actor access.Actor, in *ackListIn) ([]sms.DocumentAcknowledgement, string, error) {
		return c.ListAcknowledgements(ctx, actor, store.AcknowledgementFilter{DocumentID: in.DocumentID, VersionID: in.VersionID, UserID: in.UserID, Cursor: in.Cursor, Limit: in.Limit})
	}, ackOut)
	restapi.RegisterCreate(api, ak, "The caller acknowledges the version of a document in force, once per version.",
		func(ctx context.Context, actor access.Actor, in *ackCreateIn) (sms.DocumentAcknowledgement, error) {
			return c.Acknowledge(ctx, actor, in.Body.DocumentID)
		}, ackOut)
	restapi.RegisterGet(api, ak, c.GetAcknowledgement, ackOut)
	api.RegisterHistory(ak)
}

func orEmpty(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
