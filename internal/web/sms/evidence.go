package sms

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// evidencePages are evidence's pages, on the shared Resource; its form
// takes an uploaded file.
func evidencePages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.Evidence, *sms.Evidence] {
	today := smsapp.Today
	return web.Resource[sms.Evidence, *sms.Evidence]{
		Kind:     sms.EvidenceKind,
		Subtitle: "What shows each requirement is met: controlled documents, uploaded files, records in Conform and web addresses, each with an owner who reviews it by its day.",
		Empty: ui.Empty{Icon: "file-text", Title: "No evidence yet",
			Text: "Open a requirement and add what shows it is met: a document, a file, a record or a link. Each item needs an owner and a review day."},
		Columns: []web.Column[sms.Evidence]{
			{Column: ui.Column{Label: "Title", Key: true, Sort: "text"}, Value: func(e sms.Evidence) ui.Value { return ui.Text(e.Title) }},
			{Column: ui.Column{Label: "Requirement", Sort: "text"}, Ref: sms.RequirementKind.Entity, RefID: func(e sms.Evidence) int64 { return e.RequirementID }},
			{Column: ui.Column{Label: "Kind", Sort: "text"}, Value: func(e sms.Evidence) ui.Value { return ui.Text(label(sms.EvidenceKinds, e.Kind)) }},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(e sms.Evidence) int64 { return e.OwnerID }},
			{Column: ui.Column{Label: "Review by", Sort: "time"}, Value: func(e sms.Evidence) ui.Value { return reviewValue(e.ReviewBy, today()) }},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "kind", Label: "Kind", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any kind"}}, sms.EvidenceKinds...), q.Get("kind"))},
				{Name: "fresh", Label: "Review", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Any review day"}, {Code: "expired", Label: "Expired"}}, q.Get("fresh"))},
				{Name: "mine", Label: "Owner", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Anyone"}, {Code: "1", Label: "Mine"}}, q.Get("mine"))},
				{Name: "requirement_id", Label: "Requirement", Type: "select", Options: requirementFilter(c, q.Get("requirement_id"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.Evidence, string, error) {
			f := store.EvidenceFilter{Query: q.Get("q"), Kind: q.Get("kind"), Cursor: cursor}
			f.RequirementID, _ = strconv.ParseInt(q.Get("requirement_id"), 10, 64)
			if q.Get("fresh") == "expired" {
				f.ExpiredOn = today()
			}
			if q.Get("mine") != "" {
				f.OwnerID = actor.UserID
			}
			return c.ListEvidence(ctx, actor, f)
		},
		Get:  c.GetEvidence,
		Name: func(e sms.Evidence) string { return e.Title },
		Badges: func(e sms.Evidence) []ui.Badge {
			return []ui.Badge{{Text: label(sms.EvidenceKinds, e.Kind), Tone: ui.Neutral}, freshnessBadge(e.ReviewBy, today())}
		},
		Details: func(ctx context.Context, rq *web.Request, e sms.Evidence) []ui.Item {
			actor := rq.Auth.Actor
			items := []ui.Item{
				{Label: "Requirement", Help: "The requirement this evidence shows is met.", Value: p.Ref(ctx, actor, sms.RequirementKind.Entity, e.RequirementID)},
				{Label: "Owner", Help: "Who keeps it current and reviews it by its review day.", Value: p.Ref(ctx, actor, account.UserKind.Entity, e.OwnerID)},
				{Label: "Review by", Help: "After this day the evidence has expired and counts against the requirement's readiness.", Value: reviewValue(e.ReviewBy, today())},
				{Label: "Kind", Value: ui.Text(label(sms.EvidenceKinds, e.Kind))},
			}
			switch e.Kind {
			case sms.EvidenceDocument, sms.EvidenceRecord:
				v := p.Ref(ctx, actor, e.RefEntity, e.RefID)
				if v.Text == "" {
					v = ui.Value{Empty: "A record you cannot see, or one deleted since"}
				}
				if k, ok := p.App().Kinds().Get(e.RefEntity); ok {
					v.Note = k.Number(e.RefID)
				}
				items = append(items, ui.Item{Label: "Record", Value: v})
			case sms.EvidenceURL:
				items = append(items, ui.Item{Label: "Web address", Value: ui.Linked(e.URL, e.URL)})
			case sms.EvidenceFile:
				items = append(items, ui.Item{Label: "File", Value: ui.Value{Text: e.FileName, Href: evidenceFileHref(e.ID), Note: files.Size(e.FileSize)}},
					ui.Item{Label: "File's SHA-256", Help: "The file's fingerprint: the same content always gives the same one.", Value: ui.Value{Text: e.FileHash, Code: true}})
			}
			return append(items, ui.Item{Label: "Notes", Value: ui.Value{Text: e.Notes, Long: true}})
		},
		Multipart: true,
		Fields: func(fc web.FormContext, e sms.Evidence) ([]ui.Field, error) {
			return evidenceFields(p, fc, e)
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.Evidence, error) {
			return c.CreateEvidence(ctx, actor, evidenceInput(f), upload(ctx))
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.Evidence, error) {
			in := evidenceInput(f)
			return c.UpdateEvidence(ctx, actor, id, version, sms.EvidenceUpdate{Title: &in.Title, Notes: &in.Notes, ReviewBy: &in.ReviewBy, Kind: &in.Kind,
				RefEntity: &in.RefEntity, URL: &in.URL, RequirementID: &in.RequirementID, OwnerID: &in.OwnerID, RefID: &in.RefID}, upload(ctx))
		},
		Delete: c.DeleteEvidence,
		DeleteText: func(sms.Evidence) string {
			return "The requirement no longer counts it; its history stays in the audit trail, and an uploaded file stays stored for it."
		},
	}
}

// requirementFilter offers the requirements evidence can be filtered by.
// The filter bar has no caller to read them as: the catalogue is read by
// all staff, as evidence is.
func requirementFilter(c *smsapp.Catalogue, chosen string) []ui.Option {
	opts := []ui.Option{{Value: "", Label: "Any requirement", Selected: chosen == ""}}
	rs, _, err := c.ListRequirements(context.Background(), access.System, store.RequirementFilter{Limit: store.MaxLimit})
	if err != nil {
		return opts
	}
	for _, r := range rs {
		id := strconv.FormatInt(r.ID, 10)
		opts = append(opts, ui.Option{Value: id, Label: r.Label(), Selected: id == chosen})
	}
	return opts
}

// upload is the file posted in the form's file field, if any.
func upload(ctx context.Context) *files.Upload {
	if up, ok := web.Uploaded(ctx, "file"); ok {
		return &up
	}
	return nil
}

// evidenceFields are evidence's form fields: what it is for, who owns it,
// its review day, its kind and, by kind, the record, the web address or
// the file.
func evidenceFields(p *web.Pages, fc web.FormContext, e sms.Evidence) ([]ui.Field, error) {
	in := evidenceInputOf(e)
	if fc.Creating && in.OwnerID == 0 {
		in.OwnerID = fc.Actor.UserID
	}
	if fc.Creating && in.RequirementID == 0 && fc.Query != nil {
		in.RequirementID, _ = strconv.ParseInt(fc.Query.Get("requirement_id"), 10, 64)
	}
	if fc.Creating && in.ReviewBy == "" {
		in.ReviewBy = time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
	}
	if fc.Posted != nil {
		in = evidenceInput(fc.Posted)
	}
	kind := or(in.Kind, sms.EvidenceFile)
	requirement, err := p.RecordPicker(fc, "requirement_id", "Requirement", sms.RequirementKind.Entity, in.RequirementID, "")
	if err != nil {
		return nil, err
	}
	requirement.Required, requirement.Help = true, "The requirement this evidence shows is met. Type part of its number or title."
	owner, err := p.UserPicker(fc, "owner_id", "Owner", in.OwnerID, access.EvidenceRead)
	if err != nil {
		return nil, err
	}
	owner.Required, owner.Help = true, "Who keeps it current and reviews it by its review day."
	var kinds []ui.Option
	entity := in.RefEntity
	for _, k := range p.App().Kinds().All() {
		if !p.App().Searchable(k.Entity) || !fc.Actor.Can(k.Read) {
			continue
		}
		if entity == "" {
			entity = k.Entity
		}
		kinds = append(kinds, ui.Option{Value: k.Entity, Label: k.Label, Selected: k.Entity == entity})
	}
	ref, err := p.RecordPickerFollowing(fc, "ref_id", "Record", "ref_entity", entity, in.RefID, "None")
	if err != nil {
		return nil, err
	}
	ref.Help = "For a controlled document or a record: type part of its name, then choose it."
	fileHelp := fc.L.T("For an uploaded file: a PDF, an image, a text or CSV file or an office document, at most %s.", files.Size(p.App().MaxUpload()))
	if e.FileName != "" {
		fileHelp = fc.L.T("Stored: %s (%s). Choose another file only to replace it.", e.FileName, files.Size(e.FileSize))
	}
	return []ui.Field{
		{Name: "title", Label: "Title", Value: in.Title, Required: true, Placeholder: "Incident management procedure, approved"},
		requirement,
		owner,
		{Name: "review_by", Label: "Review by", Type: "date", Value: in.ReviewBy, Required: true,
			Help: "The day by which it must be looked at again; after it the evidence has expired and counts against the requirement's readiness."},
		{Name: "kind", Label: "Kind", Type: "radios", Value: kind, Options: choices(sms.EvidenceKinds, kind), Required: true},
		{Name: "file", Label: "File", Type: "file", Accept: files.Accepted(), Help: fileHelp},
		{Name: "url", Label: "Web address", Type: "url", Value: in.URL, Placeholder: "https://", Help: "For a web address: where it is, starting with https:// or http://."},
		{Name: "ref_entity", Label: "Kind of record", Type: "select", Value: entity, Options: kinds,
			Help: "For a controlled document or a record: what kind of record it is."},
		ref,
		{Name: "notes", Label: "Notes", Type: "textarea", Rows: 3, Value: in.Notes},
	}, nil
}

func evidenceInputOf(e sms.Evidence) sms.EvidenceInput {
	return sms.EvidenceInput{Title: e.Title, Notes: e.Notes, ReviewBy: e.ReviewBy, Kind: e.Kind, RefEntity: e.RefEntity, URL: e.URL,
		RequirementID: e.RequirementID, OwnerID: e.OwnerID, RefID: e.RefID}
}

// evidenceInput reads evidence's form.
func evidenceInput(f url.Values) sms.EvidenceInput {
	num := func(k string) int64 { n, _ := strconv.ParseInt(f.Get(k), 10, 64); return n }
	return sms.EvidenceInput{Title: f.Get("title"), Notes: f.Get("notes"), ReviewBy: f.Get("review_by"), Kind: f.Get("kind"),
		RefEntity: f.Get("ref_entity"), URL: f.Get("url"), RequirementID: num("requirement_id"), OwnerID: num("owner_id"), RefID: num("ref_id")}
}

func evidenceHref(id int64) string     { return fmt.Sprintf("/%s/%d", sms.EvidenceKind.Path(), id) }
func evidenceFileHref(id int64) string { return evidenceHref(id) + "/file" }

// evidenceFile answers with an uploaded file's evidence's file, as a
// download, for a reader who may see the evidence.
func evidenceFile(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		f, data, err := c.EvidenceFile(r.Context(), rq.Auth.Actor, id)
		if err != nil {
			return err
		}
		web.ServeFile(w, r, f, data)
		return nil
	}
}

// reviewValue is a review day with how fresh it is.
func reviewValue(day, today string) ui.Value {
	v := dayValue(day)
	v.Badges = []ui.Badge{freshnessBadge(day, today)}
	return v
}

// freshnessBadge says whether evidence due for review on day is current,
// due soon or expired.
func freshnessBadge(day, today string) ui.Badge {
	switch sms.Freshness(day, today) {
	case "expired":
		return ui.Badge{Text: "Expired", Tone: ui.Danger}
	case "expiring":
		return ui.Badge{Text: "Review due soon", Tone: ui.Warning}
	}
	return ui.Badge{Text: "Current", Tone: ui.Success}
}

// evidenceFor are the sections on any record's page naming the
// requirements it is evidence for; none when it is evidence for none.
func evidenceFor(c *smsapp.Catalogue) func(ctx context.Context, rq *web.Request, entity string, id int64) ([]web.Section, error) {
	return func(ctx context.Context, rq *web.Request, entity string, id int64) ([]web.Section, error) {
		actor := rq.Auth.Actor
		if entity == sms.EvidenceKind.Entity || !actor.Can(sms.EvidenceKind.Read) {
			return nil, nil
		}
		es, _, err := c.ListEvidence(ctx, actor, store.EvidenceFilter{RefEntity: entity, RefID: id, Limit: store.MaxLimit})
		if err != nil || len(es) == 0 {
			return nil, err
		}
		reqs := make([]int64, len(es))
		for i, e := range es {
			reqs[i] = e.RequirementID
		}
		rs, _, err := c.ListRequirements(ctx, actor, store.RequirementFilter{IDs: reqs, Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		names := map[int64]string{}
		for _, r := range rs {
			names[r.ID] = r.Label()
		}
		t := &ui.Table{ID: "evidence-for", Caption: "Evidence for requirements",
			Columns: []ui.Column{{Label: "Requirement", Key: true}, {Label: "Evidence"}, {Label: "Review by"}}}
		for _, e := range es {
			t.Rows = append(t.Rows, ui.Row{Href: evidenceHref(e.ID), Cells: []ui.Value{
				ui.Linked(names[e.RequirementID], requirementHref(e.RequirementID)),
				ui.Linked(e.Title, evidenceHref(e.ID)),
				reviewValue(e.ReviewBy, smsapp.Today()),
			}})
		}
		return []web.Section{{Title: "Evidence for requirements", Help: "The requirements this record is evidence for, through the evidence that names it.", Table: t}}, nil
	}
}

// requirementEvidence is a requirement's evidence, each item with how
// fresh it is, expired first, and the way to add more.
func (pg *pages) requirementEvidence(r *http.Request, rq *web.Request, req sms.Requirement) (*ui.Table, *ui.Action, error) {
	ctx, actor := r.Context(), rq.Auth.Actor
	es, _, err := pg.c.ListEvidence(ctx, actor, store.EvidenceFilter{RequirementID: req.ID, Limit: store.MaxLimit})
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(es, func(a, b sms.Evidence) int { return strings.Compare(a.ReviewBy, b.ReviewBy) })
	var add *ui.Action
	empty := ui.Empty{Icon: "file-text", Title: "No evidence yet",
		Text: "Add what shows this requirement is met: a controlled document, an uploaded file, a record in Conform or a web address."}
	if actor.Can(sms.EvidenceKind.Write) {
		add = &ui.Action{Label: "Add evidence", Icon: "plus", Href: "/" + sms.EvidenceKind.Path() + "/new?requirement_id=" + strconv.FormatInt(req.ID, 10),
			Name: rq.T("Add evidence for %s", req.Label())}
		empty.Action = add
	}
	owners := make([]int64, len(es))
	for i, e := range es {
		owners[i] = e.OwnerID
	}
	names, err := pg.p.App().Names(ctx, actor, account.UserKind.Entity, owners)
	if err != nil {
		return nil, nil, err
	}
	t := &ui.Table{ID: "evidence", Caption: rq.T("Evidence for %s", req.Code), Empty: empty,
		Columns: []ui.Column{{Label: "Evidence", Key: true}, {Label: "Kind"}, {Label: "Owner"}, {Label: "Review by"}}}
	today := smsapp.Today()
	for _, e := range es {
		href := evidenceHref(e.ID)
		what := ui.Text(label(sms.EvidenceKinds, e.Kind))
		if e.Kind == sms.EvidenceFile {
			what.Note = e.FileName
		}
		t.Rows = append(t.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(e.Title, href), what,
			ui.Linked(names[e.OwnerID], "/users/"+strconv.FormatInt(e.OwnerID, 10)), reviewValue(e.ReviewBy, today)}})
	}
	return t, add, nil
}

// evidenceCell is a requirement's evidence on an assessment's page: how
// many items and whether they are current.
func evidenceCell(rq *web.Request, s sms.EvidenceState, today string) ui.Value {
	if s.Items == 0 {
		return ui.Value{Empty: "None"}
	}
	// Plain text: a link beside the badge would not stand out from it
	// (the requirement's page, a link away, lists the items).
	v := ui.Text(rq.L.Number(s.Items))
	if s.Expired(today) {
		v.Badges = []ui.Badge{{Text: "All expired", Tone: ui.Danger}}
	} else {
		v.Badges = []ui.Badge{freshnessBadge(s.Latest, today)}
	}
	return v
}
