package assurance

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/store"
)

// AuditorAccess lets one external auditor read one audit until a day.
type AuditorAccess struct {
	ID        int64      `json:"id"`
	Number    string     `json:"number" doc:"Human number, AXS-000001."`
	AuditID   int64      `json:"audit_id"`
	UserID    int64      `json:"user_id" doc:"The external auditor: a user whose role is external_auditor."`
	ExpiresOn string     `json:"expires_on" doc:"The last day the auditor may read the audit (2006-01-02)."`
	Note      string     `json:"note"`
	RevokedAt *time.Time `json:"revoked_at,omitempty" doc:"When it was revoked; absent while it is not."`
	Status    string     `json:"status" enum:"live,expired,revoked" doc:"Whether the auditor may read the audit today."`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy int64      `json:"created_by"`
	UpdatedAt time.Time  `json:"updated_at"`
	UpdatedBy int64      `json:"updated_by"`
	Version   int64      `json:"version"`
}

func accessOut(today string) func(g assurance.AuditorAccess) AuditorAccess {
	return func(g assurance.AuditorAccess) AuditorAccess {
		return AuditorAccess{ID: g.ID, Number: assurance.AuditorAccessKind.Number(g.ID), AuditID: g.AuditID, UserID: g.UserID, ExpiresOn: g.ExpiresOn,
			Note: g.Note, RevokedAt: g.RevokedAt, Status: g.Status(today),
			CreatedAt: g.CreatedAt, CreatedBy: g.CreatedBy, UpdatedAt: g.UpdatedAt, UpdatedBy: g.UpdatedBy, Version: g.Version}
	}
}

// AuditorViewOut is one page or file an external auditor opened.
type AuditorViewOut struct {
	ID         int64     `json:"id"`
	AccessID   int64     `json:"access_id"`
	AuditID    int64     `json:"audit_id"`
	UserID     int64     `json:"user_id"`
	UserName   string    `json:"user_name"`
	At         time.Time `json:"at"`
	Path       string    `json:"path" doc:"The address opened."`
	What       string    `json:"what" doc:"What it showed: the audit, an item of evidence, a document or a file, by number."`
	RemoteAddr string    `json:"remote_addr"`
}

type accessCreateIn struct {
	Body struct {
		AuditID   int64  `json:"audit_id" minimum:"1"`
		UserID    int64  `json:"user_id" minimum:"1" doc:"A user whose role is external_auditor."`
		ExpiresOn string `json:"expires_on" maxLength:"10" doc:"2006-01-02: today at the earliest, a year ahead at the latest."`
		Note      string `json:"note,omitempty" maxLength:"2000"`
	}
}

type accessPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		ExpiresOn *string `json:"expires_on,omitempty" maxLength:"10" doc:"2006-01-02: today at the earliest, a year ahead at the latest."`
		Note      *string `json:"note,omitempty" maxLength:"2000"`
	}
}

type accessListIn struct {
	restapi.PageParams
	AuditID int64 `query:"audit_id" minimum:"0" doc:"Only the accesses to this audit."`
	UserID  int64 `query:"user_id" minimum:"0" doc:"Only this external auditor's accesses."`
	Live    bool  `query:"live" doc:"Only the accesses neither expired nor revoked."`
}

type accessViewsIn struct {
	restapi.IDParam
	restapi.PageParams
}

// registerAccesses adds the operations of external auditors' accesses
// and the log of what they viewed.
func registerAccesses(api *restapi.API, c *assuranceapp.Catalogue) {
	k := assurance.AuditorAccessKind
	out := func(g assurance.AuditorAccess) AuditorAccess { return accessOut(c.Today())(g) }
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *accessListIn) ([]assurance.AuditorAccess, string, error) {
		f := store.AuditorAccessFilter{AuditID: in.AuditID, UserID: in.UserID, Cursor: in.Cursor, Limit: in.Limit}
		if in.Live {
			f.LiveOn = c.Today()
		}
		return c.ListAuditorAccesses(ctx, actor, f)
	}, out)
	restapi.RegisterCreate(api, k, "A user who is not an external auditor is refused naming user_id; a day in the past or more than a year ahead, naming expires_on.",
		func(ctx context.Context, actor access.Actor, in *accessCreateIn) (assurance.AuditorAccess, error) {
			b := in.Body
			return c.CreateAuditorAccess(ctx, actor, assurance.AccessInput{AuditID: b.AuditID, UserID: b.UserID, ExpiresOn: b.ExpiresOn, Note: b.Note})
		}, out)
	restapi.RegisterGet(api, k, c.GetAuditorAccess, out)
	restapi.RegisterUpdate(api, k, "Only the expiry and the note change; a revoked access is refused (409).",
		func(ctx context.Context, actor access.Actor, in *accessPatchIn, version int64) (assurance.AuditorAccess, error) {
			return c.UpdateAuditorAccess(ctx, actor, in.ID, version, assurance.AccessUpdate{ExpiresOn: in.Body.ExpiresOn, Note: in.Body.Note})
		}, out)
	restapi.RegisterDelete(api, k, "", "An access the auditor used is refused (409): revoke it instead.", c.DeleteAuditorAccess)
	api.RegisterHistory(k)
	restapi.RegisterTransition(api, k, k.Write, "revoke", "Revoke an external auditor's access",
		"Ends the access now: the auditor's next page is refused. What they viewed stays on record.", c.RevokeAuditorAccess, out)
	restapi.Register(api, k.Read, huma.Operation{OperationID: "list-auditor-views", Method: http.MethodGet, Path: restapi.ItemPath(k) + "/views",
		Tags: []string{k.Plural}, Summary: "List what an external auditor viewed",
		Description: "Every page and file the auditor opened through the access, newest first."},
		func(ctx context.Context, actor access.Actor, in *accessViewsIn) (*struct{ Body restapi.Page[AuditorViewOut] }, error) {
			vs, next, err := c.ListAuditorViews(ctx, actor, in.ID, in.Cursor, in.Limit)
			if err != nil {
				return nil, err
			}
			items := make([]AuditorViewOut, len(vs))
			for i, v := range vs {
				items[i] = AuditorViewOut{ID: v.ID, AccessID: v.AccessID, AuditID: v.AuditID, UserID: v.UserID, UserName: v.UserName, At: v.At,
					Path: v.Path, What: v.What, RemoteAddr: v.RemoteAddr}
			}
			return &struct{ Body restapi.Page[AuditorViewOut] }{restapi.Page[AuditorViewOut]{Items: items, NextCursor: next}}, nil
		})
}
