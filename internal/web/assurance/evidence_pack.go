package assurance

import (
	"io"
	"net/http"

	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/reports"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// evidencePackSection offers an audit's evidence pack to those who may
// read the evidence in it.
func evidencePackSection(rq *web.Request, a assurance.Audit) (web.Section, bool) {
	if !rq.Auth.Actor.Can(sms.EvidenceKind.Read) {
		return web.Section{}, false
	}
	return web.Section{Title: "Evidence pack",
		Help:    "One ZIP for the auditor: an index by clause of every evidence item in scope, the uploaded files, the documents' versions in force, the report, the held management reviews' frozen input packs and the linked records as CSV, with MANIFEST.sha256 to check every file with sha256sum -c.",
		Actions: []ui.Action{{Label: "Download the evidence pack", Icon: "download", Href: auditHref(a.ID) + "/evidence-pack.zip", Name: rq.T("Download the evidence pack of %s", a.Title)}}}, true
}

// sharedEvidencePack answers the evidence pack of an audit shared with
// the external auditor asking, recording the view.
func (pg *pages) sharedEvidencePack(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	return pg.sendPack(w, r, func(id int64) (assuranceapp.EvidencePack, error) {
		return pg.c.SharedEvidencePack(viewing(r), rq.Auth.Actor, id)
	})
}

// evidencePack answers an audit's evidence pack.
func (pg *pages) evidencePack(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	return pg.sendPack(w, r, func(id int64) (assuranceapp.EvidencePack, error) {
		return pg.c.EvidencePack(r.Context(), rq.Auth.Actor, id)
	})
}

// sendPack answers the evidence pack read for the audit in the path as a
// ZIP, written as it is sent: everything it holds is read first, so a
// refusal is still an error page, then the files one at a time.
func (pg *pages) sendPack(w http.ResponseWriter, r *http.Request, read func(id int64) (assuranceapp.EvidencePack, error)) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	p, err := read(id)
	if err != nil {
		return err
	}
	pg.p.StreamFile(w, r, reports.PackFileName(p.Audit), "application/zip", func(out io.Writer) error {
		_, err := reports.EvidencePackZIP(r.Context(), out, p, pg.c.PackFile)
		return err
	})
	return nil
}
