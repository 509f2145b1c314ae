package assurance

import (
	"context"
	"log/slog"
	"mime"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/restapi"
)

// evidencePackAnswer is the evidence pack's 200 answer in the OpenAPI
// document.
var evidencePackAnswer = map[string]*huma.Response{"200": {Description: "The evidence pack, a ZIP, as an attachment.",
	Content: map[string]*huma.MediaType{"application/zip": {Schema: &huma.Schema{Type: "string", Description: "The ZIP's bytes."}}}}}

// evidencePackRoutes declares the download of an audit's evidence pack.
func evidencePackRoutes(api *restapi.API, c *assuranceapp.Catalogue) {
	ak := assurance.AuditKind
	restapi.Register(api, ak.Read, huma.Operation{OperationID: "audit-evidence-pack", Method: http.MethodGet, Path: restapi.ItemPath(ak) + "/evidence-pack",
		Tags: []string{ak.Plural}, Summary: "Download an audit's evidence pack",
		Description: "A ZIP, written as it is sent, holding under one folder: index.html (every evidence item of the requirements in scope, by clause), " +
			"the uploaded evidence files, the controlled documents' versions in force, the audit report (PDF, and as issued once it is), the held management reviews' frozen input packs, " +
			"the linked records as CSV (records/), AUDIT-TRAIL-HEAD.txt (the audit trail's head at export) and MANIFEST.sha256, which lists every other file with its SHA-256 for `sha256sum -c`. " +
			"Needs the permission to read evidence as well.",
		Responses: evidencePackAnswer},
		func(ctx context.Context, actor access.Actor, in *restapi.IDParam) (*huma.StreamResponse, error) {
			p, err := c.EvidencePack(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				hctx.SetHeader("Content-Type", "application/zip")
				hctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": reports.PackFileName(p.Audit)}))
				hctx.SetHeader("X-Content-Type-Options", "nosniff")
				hctx.SetHeader("Cache-Control", "no-store")
				if _, err := reports.EvidencePackZIP(ctx, hctx.BodyWriter(), p, c.PackFile); err != nil {
					slog.ErrorContext(ctx, "evidence pack cut short", "audit", ak.Number(p.Audit.ID), "err", err)
					panic(http.ErrAbortHandler)
				}
			}}, nil
		})
}
