package sms

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/markdown"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// markdownHelp says how a version's text is written.
const markdownHelp = "Written in Markdown: # for headings, - for lists, **bold**, [text](https://…) for links. Raw HTML is not shown, and links that run script are refused."

// versionPages are the documents' versions' pages: each version's text,
// rendered, with its review and approval.
func versionPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.DocumentVersion, *sms.DocumentVersion] {
	return web.Resource[sms.DocumentVersion, *sms.DocumentVersion]{
		Kind:     sms.DocumentVersionKind,
		Subtitle: "Every version of every controlled document: drafts being written, versions in review, those approved and in force, and those superseded or withdrawn.",
		Empty: ui.Empty{Icon: "file-text", Title: "No versions yet",
			Text: "Open a document and start its first version to write its text."},
		Columns: []web.Column[sms.DocumentVersion]{
			{Column: ui.Column{Label: "Version", Key: true, Sort: "number"}, Value: func(v sms.DocumentVersion) ui.Value { return ui.Text(v.Label()) }},
			{Column: ui.Column{Label: "Document", Sort: "text"}, Ref: sms.DocumentKind.Entity, RefID: func(v sms.DocumentVersion) int64 { return v.DocumentID }},
			{Column: ui.Column{Label: "State", Sort: "text"}, Value: func(v sms.DocumentVersion) ui.Value { return ui.Value{Badges: []ui.Badge{versionBadge(v.State)}} }},
			{Column: ui.Column{Label: "Author", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(v sms.DocumentVersion) int64 { return v.CreatedBy }},
			{Column: ui.Column{Label: "What changed"}, Value: func(v sms.DocumentVersion) ui.Value { return ui.Text(v.ChangeNote) }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{{Name: "state", Label: "State", Type: "select",
				Options: choices(append([]sms.Code{{Code: "", Label: "Any state"}}, sms.VersionStates...), q.Get("state"))}}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.DocumentVersion, string, error) {
			doc, _ := strconv.ParseInt(q.Get("document_id"), 10, 64)
			return c.ListDocumentVersions(ctx, actor, store.DocumentVersionFilter{DocumentID: doc, State: q.Get("state"), Cursor: cursor})
		},
		Get:    c.GetDocumentVersion,
		Name:   func(v sms.DocumentVersion) string { return v.Label() },
		Badges: func(v sms.DocumentVersion) []ui.Badge { return []ui.Badge{versionBadge(v.State)} },
		Crumbs: func(v sms.DocumentVersion) []ui.Crumb {
			return []ui.Crumb{{Label: "Home", Href: "/"}, {Label: sms.DocumentKind.Plural, Href: "/" + sms.DocumentKind.Path()},
				{Label: sms.DocumentKind.Number(v.DocumentID), Href: documentHref(v.DocumentID)}}
		},
		Details: func(ctx context.Context, rq *web.Request, v sms.DocumentVersion) []ui.Item {
			actor := rq.Auth.Actor
			approved := ui.Value{Empty: "Not yet"}
			if v.ApprovedAt != nil {
				approved = ui.At(*v.ApprovedAt)
			}
			return []ui.Item{
				{Label: "Document", Value: p.Ref(ctx, actor, sms.DocumentKind.Entity, v.DocumentID)},
				{Label: "Author", Value: p.Ref(ctx, actor, account.UserKind.Entity, v.CreatedBy)},
				{Label: "Approved at", Value: approved},
				{Label: "Approved by", Value: refList(ctx, p, actor, account.UserKind.Entity, v.ApprovalIDs, "Nobody yet")},
				{Label: "File", Value: fileValue(v)},
				{Label: "What changed", Value: ui.Value{Text: v.ChangeNote, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, v sms.DocumentVersion) ([]web.Section, error) {
			return versionSections(ctx, p, c, rq, v)
		},
		Fields: func(fc web.FormContext, v sms.DocumentVersion) ([]ui.Field, error) {
			var fields []ui.Field
			if fc.Creating {
				ds, _, err := c.ListDocuments(fc.Ctx, fc.Actor, store.DocumentFilter{Limit: store.MaxLimit})
				if err != nil {
					return nil, err
				}
				opts := []ui.Option{{Value: "", Label: "Choose a document"}}
				for _, d := range ds {
					opts = append(opts, ui.Option{Value: strconv.FormatInt(d.ID, 10), Label: d.Title})
				}
				fields = append(fields, ui.Field{Name: "document_id", Label: "Document", Type: "select", Options: opts, Required: true,
					Help: "The new version is numbered after the document's last one."})
			}
			return append(fields,
				ui.Field{Name: "content", Label: "Content", Type: "textarea", Rows: 20, Value: v.Content, Help: markdownHelp + " " + fc.L.Lookup("Leave it empty when you upload the document as a file.")},
				ui.Field{Name: "file", Label: "File", Type: "file", Accept: files.Accepted(),
					Help: fileHelp(fc, v)},
				ui.Field{Name: "change_note", Label: "What changed", Type: "textarea", Rows: 2, Value: v.ChangeNote,
					Help: "A line for readers and approvers: what this version changes, and why."},
			), nil
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.DocumentVersion, error) {
			doc, _ := strconv.ParseInt(f.Get("document_id"), 10, 64)
			var ups []files.Upload
			if up, ok := web.Uploaded(ctx, "file"); ok {
				ups = append(ups, up)
			}
			return c.CreateDocumentVersion(ctx, actor, doc, sms.VersionInput{Content: f.Get("content"), ChangeNote: f.Get("change_note")}, ups...)
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.DocumentVersion, error) {
			content, note := f.Get("content"), f.Get("change_note")
			up := smsapp.VersionUpdate{Content: &content, ChangeNote: &note}
			if u, ok := web.Uploaded(ctx, "file"); ok {
				up.File = &u
			}
			return c.UpdateDocumentVersion(ctx, actor, id, version, up)
		},
		Multipart: true,
		Delete:    c.DeleteDocumentVersion,
		MayDelete: func(v sms.DocumentVersion) bool { return v.State == "draft" },
		DeleteText: func(sms.DocumentVersion) string {
			return "Only a draft can be deleted; its history stays in the audit trail."
		},
	}
}

// versionSections are a version's review and approval, then its text.
func versionSections(ctx context.Context, p *web.Pages, c *smsapp.Catalogue, rq *web.Request, v sms.DocumentVersion) ([]web.Section, error) {
	actor := rq.Auth.Actor
	d, err := c.GetDocument(ctx, actor, v.DocumentID)
	if err != nil {
		return nil, err
	}
	review := web.Section{Title: "Review and approval",
		Help: "A draft is submitted for review; it comes into force when enough of the document's approvers approve it, and the version before is superseded. Once approved its text never changes."}
	review.Items = []ui.Item{
		{Label: "Approvals", Value: ui.Text(rq.T("%d of %d needed", len(v.ApprovalIDs), int(d.NeedsQuorum())))},
		{Label: "Approvers", Value: refList(ctx, p, actor, account.UserKind.Entity, d.ApproverIDs, "None named yet")},
	}
	if v.CreatedBy == actor.UserID && !d.SelfApproval && v.State == "in_review" {
		review.Items = append(review.Items, ui.Item{Label: "Your approval", Value: ui.Text(rq.T("You wrote this version, so someone else approves it."))})
	}
	post := func(label, icon, state string, style ui.Style, confirm *ui.Confirm) ui.Action {
		a := ui.Action{Label: label, Icon: icon, Style: style, Post: versionHref(v.ID) + "/state", CSRF: rq.Base.CSRF, Confirm: confirm,
			Hidden: []ui.Hidden{{Name: "state", Value: state}, {Name: "version", Value: strconv.FormatInt(v.Version, 10)}}}
		return a
	}
	write := actor.Can(sms.DocumentVersionKind.Write)
	switch v.State {
	case "draft":
		if write {
			review.Actions = append(review.Actions, post("Submit for review", "check", "in_review", ui.Primary, nil))
		}
	case "in_review":
		if actor.Can(access.DocumentsApprove) && slices.Contains(d.ApproverIDs, actor.UserID) && !slices.Contains(v.ApprovalIDs, actor.UserID) {
			review.Actions = append(review.Actions, ui.Action{Label: "Approve", Icon: "circle-check", Style: ui.Primary, Post: versionHref(v.ID) + "/approve", CSRF: rq.Base.CSRF,
				Hidden: []ui.Hidden{{Name: "version", Value: strconv.FormatInt(v.Version, 10)}}})
		}
		if write {
			review.Actions = append(review.Actions, post("Return to draft", "arrow-left", "draft", ui.Secondary, nil))
		}
	}
	if write && (v.State == "draft" || v.State == "in_review" || v.State == "approved") {
		text := "The version stays on record as withdrawn; it can never be approved."
		if v.State == "approved" {
			text = "The document has no version in force any more until a new one is approved; this one stays on record as withdrawn."
		}
		review.Actions = append(review.Actions, post("Withdraw", "circle-x", "withdrawn", ui.Destructive,
			&ui.Confirm{Title: rq.T("Withdraw version %d?", int(v.Number)), Text: text, Button: "Withdraw"}))
	}
	if v.Content == "" {
		return []web.Section{review}, nil
	}
	html, err := markdown.HTML(v.Content)
	if err != nil {
		return nil, err
	}
	return []web.Section{review, {Title: "Content", HTML: html}}, nil
}

// fileValue leads to a version's file, with its size.
func fileValue(v sms.DocumentVersion) ui.Value {
	if !v.HasFile() {
		return ui.Value{Empty: "None: the text below is the content"}
	}
	return ui.Value{Text: v.File.Name, Href: versionHref(v.ID) + "/file", Note: files.Size(v.File.Size)}
}

// fileHelp says what may be uploaded, and what happens to a file there is.
func fileHelp(fc web.FormContext, v sms.DocumentVersion) string {
	h := fc.L.Lookup("Instead of writing the text, upload the document: PDF, office documents, images or plain text.")
	if v.HasFile() {
		h += " " + fc.L.T("A new file replaces %s.", v.File.Name)
	}
	return h
}

// versionFile serves a version's file, as an attachment.
func versionFile(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		f, data, err := c.VersionFile(r.Context(), rq.Auth.Actor, id)
		if err != nil {
			return err
		}
		web.ServeFile(w, r, f, data)
		return nil
	}
}

// moveVersion answers a version's workflow buttons: submit, return to
// draft, withdraw.
func moveVersion(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		state := r.PostFormValue("state")
		if _, err := c.UpdateDocumentVersion(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version"), smsapp.VersionUpdate{State: &state}); err != nil {
			return asConflict(err)
		}
		http.Redirect(w, r, versionHref(id)+"?done=saved", http.StatusSeeOther)
		return nil
	}
}

// approveVersion answers a version's Approve button.
func approveVersion(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		if _, err := c.ApproveDocumentVersion(r.Context(), rq.Auth.Actor, id, web.FormInt(r, "version")); err != nil {
			return asConflict(err)
		}
		http.Redirect(w, r, versionHref(id)+"?done=saved", http.StatusSeeOther)
		return nil
	}
}

// ackPages are the acknowledgements' list and record pages; they are
// made by the readers' own button on a document.
func ackPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.DocumentAcknowledgement, *sms.DocumentAcknowledgement] {
	return web.Resource[sms.DocumentAcknowledgement, *sms.DocumentAcknowledgement]{
		Kind:     sms.AcknowledgementKind,
		Subtitle: "Who read and understood which version of which document, and when.",
		Empty: ui.Empty{Icon: "circle-check", Title: "No acknowledgements yet",
			Text: "Give a document in force to roles, teams or people: each of them acknowledges it from the document's page or their home page."},
		Columns: []web.Column[sms.DocumentAcknowledgement]{
			{Column: ui.Column{Label: "Read by", Key: true, Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(a sms.DocumentAcknowledgement) int64 { return a.UserID }},
			{Column: ui.Column{Label: "Document", Sort: "text"}, Ref: sms.DocumentKind.Entity, RefID: func(a sms.DocumentAcknowledgement) int64 { return a.DocumentID }},
			{Column: ui.Column{Label: "Version", Sort: "text"}, Ref: sms.DocumentVersionKind.Entity, RefID: func(a sms.DocumentAcknowledgement) int64 { return a.VersionID }},
			{Column: ui.Column{Label: "Acknowledged", Sort: "time"}, Value: func(a sms.DocumentAcknowledgement) ui.Value { return ui.At(a.CreatedAt) }},
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.DocumentAcknowledgement, string, error) {
			doc, _ := strconv.ParseInt(q.Get("document_id"), 10, 64)
			return c.ListAcknowledgements(ctx, actor, store.AcknowledgementFilter{DocumentID: doc, Cursor: cursor})
		},
		Get:  c.GetAcknowledgement,
		Name: func(a sms.DocumentAcknowledgement) string { return sms.AcknowledgementKind.Number(a.ID) },
		Details: func(ctx context.Context, rq *web.Request, a sms.DocumentAcknowledgement) []ui.Item {
			actor := rq.Auth.Actor
			return []ui.Item{
				{Label: "Document", Value: p.Ref(ctx, actor, sms.DocumentKind.Entity, a.DocumentID)},
				{Label: "Version", Value: p.Ref(ctx, actor, sms.DocumentVersionKind.Entity, a.VersionID)},
				{Label: "Read by", Value: p.Ref(ctx, actor, account.UserKind.Entity, a.UserID)},
				{Label: "Acknowledged", Value: ui.At(a.CreatedAt)},
			}
		},
	}
}
