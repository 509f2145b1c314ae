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
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/guard"
	"github.com/conform-itsm/conform/internal/markdown"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// documentPages are the controlled documents' pages, on the shared
// Resource. A document's page shows its version in force (to read and
// acknowledge), its versions, and who has read it.
func documentPages(p *web.Pages, c *smsapp.Catalogue) web.Resource[sms.ControlledDocument, *sms.ControlledDocument] {
	return web.Resource[sms.ControlledDocument, *sms.ControlledDocument]{
		Kind:     sms.DocumentKind,
		Subtitle: "The documented information of the management system: policies, plans, processes, procedures and records, each with its versions, approval, review and readers.",
		Empty: ui.Empty{Icon: "file-text", Title: "No documents yet",
			Text: "Register the service management policy first, then the documents the checklist of documented information asks for."},
		Columns: []web.Column[sms.ControlledDocument]{
			{Column: ui.Column{Label: "Title", Key: true, Sort: "text"}, Value: func(d sms.ControlledDocument) ui.Value { return ui.Text(d.Title) }},
			{Column: ui.Column{Label: "Type", Sort: "text"}, Value: func(d sms.ControlledDocument) ui.Value { return ui.Text(label(sms.DocumentTypes, d.Type)) }},
			{Column: ui.Column{Label: "Owner", Sort: "text"}, Ref: account.UserKind.Entity, RefID: func(d sms.ControlledDocument) int64 { return d.OwnerID }},
			{Column: ui.Column{Label: "Status", Sort: "text"}, Value: func(d sms.ControlledDocument) ui.Value { return ui.Value{Badges: documentBadges(d)} }},
			{Column: ui.Column{Label: "Next review", Sort: "time"}, Value: docReviewValue},
		},
		Filters: func(q url.Values) []ui.Field {
			return []ui.Field{
				{Name: "type", Label: "Type", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any type"}}, sms.DocumentTypes...), q.Get("type"))},
				{Name: "status", Label: "Status", Type: "select", Options: choices(append([]sms.Code{{Code: "", Label: "Any status"}}, sms.DocumentStatuses...), q.Get("status"))},
				{Name: "review", Label: "Review", Type: "select", Options: choices([]sms.Code{{Code: "", Label: "Any"}, {Code: "overdue", Label: "Review overdue"}}, q.Get("review"))},
			}
		},
		List: func(ctx context.Context, actor access.Actor, q url.Values, cursor string) ([]sms.ControlledDocument, string, error) {
			f := store.DocumentFilter{Query: q.Get("q"), Type: q.Get("type"), Status: q.Get("status"), Cursor: cursor}
			if q.Get("review") == "overdue" {
				f.ReviewBefore = today()
			}
			return c.ListDocuments(ctx, actor, f)
		},
		Get:    c.GetDocument,
		Name:   func(d sms.ControlledDocument) string { return d.Title },
		Badges: documentBadges,
		Details: func(ctx context.Context, rq *web.Request, d sms.ControlledDocument) []ui.Item {
			actor := rq.Auth.Actor
			return []ui.Item{
				{Label: "Type", Value: ui.Text(label(sms.DocumentTypes, d.Type))},
				{Label: "Owner", Help: "Who answers for the document: keeps it current and starts its reviews.", Value: p.Ref(ctx, actor, account.UserKind.Entity, d.OwnerID)},
				{Label: "Classification", Help: sms.ClassificationHelp, Value: ui.Text(label(sms.Classifications, d.Classification))},
				{Label: "Version in force", Value: currentValue(d)},
				{Label: "Review every", Help: "How often the document is reviewed to keep it suitable; the next review is due this many months after the last.", Value: monthsValue(rq, d.ReviewMonths)},
				{Label: "Last reviewed on", Value: optDay(d.ReviewedOn, "Not yet")},
				{Label: "Next review", Value: docReviewValue(d)},
				{Label: "Approvers", Help: "The people who approve its versions.", Value: refList(ctx, p, actor, account.UserKind.Entity, d.ApproverIDs, "None named yet")},
				{Label: "Approvals needed", Help: "How many of the approvers must approve a version.", Value: ui.Text(strconv.FormatInt(d.NeedsQuorum(), 10))},
				{Label: "Authors may approve", Help: "Whether the author of a version may approve it too. Off, someone else must look at every change.", Value: yesNo(rq, d.SelfApproval)},
				{Label: "Requirements", Help: "The requirements this document helps meet.", Value: refList(ctx, p, actor, sms.RequirementKind.Entity, d.RequirementIDs, "None")},
				{Label: "Readers", Help: "Who is asked to read and acknowledge each approved version.", Value: audienceValue(ctx, p, actor, d)},
				{Label: "Summary", Value: ui.Value{Text: d.Summary, Long: true}},
			}
		},
		Related: func(ctx context.Context, rq *web.Request, d sms.ControlledDocument) ([]web.Section, error) {
			return documentSections(ctx, p, c, rq, d)
		},
		Fields: func(fc web.FormContext, d sms.ControlledDocument) ([]ui.Field, error) {
			return documentFields(p, c, fc, d)
		},
		Create: func(ctx context.Context, actor access.Actor, f url.Values) (sms.ControlledDocument, error) {
			in, err := documentInput(ctx, c, actor, f)
			if err != nil {
				return sms.ControlledDocument{}, err
			}
			return c.CreateDocument(ctx, actor, in)
		},
		Update: func(ctx context.Context, actor access.Actor, id, version int64, f url.Values) (sms.ControlledDocument, error) {
			in, err := documentInput(ctx, c, actor, f)
			if err != nil {
				return sms.ControlledDocument{}, err
			}
			return c.UpdateDocument(ctx, actor, id, version, sms.DocumentUpdate{Title: &in.Title, Type: &in.Type, OwnerID: &in.OwnerID,
				Classification: &in.Classification, Summary: &in.Summary, ReviewMonths: &in.ReviewMonths, ReviewedOn: &in.ReviewedOn,
				ApproverIDs: &in.ApproverIDs, Quorum: &in.Quorum, SelfApproval: &in.SelfApproval, RequirementIDs: &in.RequirementIDs,
				AudienceRoles: &in.AudienceRoles, AudienceTeamIDs: &in.AudienceTeamIDs, AudienceUserIDs: &in.AudienceUserIDs})
		},
		Delete: c.DeleteDocument,
		DeleteText: func(sms.ControlledDocument) string {
			return "Its versions and acknowledgements go with it; their history stays in the audit trail. A document that evidence or the checklist points to cannot be deleted: withdraw its version in force instead."
		},
	}
}

// documentSections are a document's version in force, its versions and
// its readers.
func documentSections(ctx context.Context, p *web.Pages, c *smsapp.Catalogue, rq *web.Request, d sms.ControlledDocument) ([]web.Section, error) {
	actor := rq.Auth.Actor
	vs, _, err := c.ListDocumentVersions(ctx, actor, store.DocumentVersionFilter{DocumentID: d.ID, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(vs, func(a, b sms.DocumentVersion) int { return int(b.Number - a.Number) })
	completion, err := c.Completion(ctx, actor, d.ID)
	if err != nil {
		return nil, err
	}
	var out []web.Section

	// The version in force, to read and acknowledge.
	cur := web.Section{Title: "Version in force"}
	i := slices.IndexFunc(vs, func(v sms.DocumentVersion) bool { return v.Number == d.CurrentVersion && d.CurrentVersion != 0 })
	if i < 0 {
		cur.Empty = &ui.Empty{Icon: "file-text", Title: "No version in force",
			Text: "Write a version and submit it for review; once its approvers approve it, it comes into force here for everyone to read."}
	} else {
		v := vs[i]
		html, err := markdown.HTML(v.Content)
		if err != nil {
			return nil, err
		}
		cur.HTML = html
		if v.HasFile() {
			cur.Items = []ui.Item{{Label: "File", Value: fileValue(v)}}
		}
		cur.Help = rq.T("Version %d, approved %s.", v.Number, rq.L.Date(*v.ApprovedAt))
		switch {
		case slices.Contains(completion.Acknowledged, actor.UserID):
			cur.Help += " " + rq.T("You have acknowledged this version.")
		case slices.Contains(completion.Readers, actor.UserID) && actor.Can(access.DocumentsAcknowledge):
			cur.Actions = []ui.Action{{Label: "I have read and understood it", Icon: "circle-check", Style: ui.Primary,
				Post: documentHref(d.ID) + "/acknowledge", CSRF: rq.Base.CSRF}}
		}
	}
	out = append(out, cur)

	// The versions, newest first.
	vsec := web.Section{Title: "Versions", Table: &ui.Table{Caption: "Versions",
		Columns: []ui.Column{{Label: "Version", Key: true}, {Label: "State"}, {Label: "What changed"}, {Label: "Author"}, {Label: "Approved"}},
		Empty:   ui.Empty{Icon: "plus", Title: "No versions yet", Text: "Start the first version to write the document's text."}}}
	var authors []int64
	for _, v := range vs {
		authors = append(authors, v.CreatedBy)
	}
	names, err := p.App().Names(ctx, actor, account.UserKind.Entity, authors)
	if err != nil {
		return nil, err
	}
	working := false
	for _, v := range vs {
		href := versionHref(v.ID)
		approved := ui.Value{Empty: "—"}
		if v.ApprovedAt != nil {
			approved = ui.Value{Time: *v.ApprovedAt}
		}
		vsec.Table.Rows = append(vsec.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{
			ui.Linked(rq.T("Version %d", v.Number), href), {Badges: []ui.Badge{versionBadge(v.State)}}, ui.Text(v.ChangeNote), ui.Text(names[v.CreatedBy]), approved}})
		working = working || v.State == "draft" || v.State == "in_review"
	}
	if actor.Can(sms.DocumentVersionKind.Write) && !working {
		vsec.Actions = []ui.Action{{Label: "Start a new version", Icon: "plus", Post: documentHref(d.ID) + "/versions", CSRF: rq.Base.CSRF}}
	}
	out = append(out, vsec)

	// Who has read it.
	rsec := web.Section{Title: "Readers", Help: "Everyone asked to read the document (by role, team or name) acknowledges each approved version; a new version asks again."}
	if d.CurrentVersion == 0 {
		rsec.Empty = &ui.Empty{Icon: "users", Title: "Nothing to acknowledge yet", Text: "Readers are asked to acknowledge the document once a version of it is approved."}
		return append(out, rsec), nil
	}
	rsec.Items = []ui.Item{{Label: "Acknowledged", Value: ui.Value{Text: fmt.Sprintf("%d %%", completion.Percent()),
		Note:     rq.T("%d of %d readers acknowledged version %d.", len(completion.Acknowledged), len(completion.Readers), completion.Version),
		Progress: &ui.Progress{Value: completion.Percent(), Max: 100, Label: "Acknowledged"}}}}
	people, err := p.App().Names(ctx, actor, account.UserKind.Entity, completion.Readers)
	if err != nil {
		return nil, err
	}
	rsec.Table = &ui.Table{Caption: "Readers", Columns: []ui.Column{{Label: "Person", Key: true}, {Label: "Version in force"}},
		Empty: ui.Empty{Icon: "users", Title: "Nobody is asked to read it", Text: "Edit the document to give it to roles, teams or people."}}
	for _, id := range completion.Readers {
		state := ui.Badged("Not yet acknowledged", ui.Warning)
		if slices.Contains(completion.Acknowledged, id) {
			state = ui.Badged("Acknowledged", ui.Success)
		}
		href := "/documents/reading?user=" + strconv.FormatInt(id, 10)
		rsec.Table.Rows = append(rsec.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(people[id], href), state}})
	}
	return append(out, rsec), nil
}

// documentFields are a document's form.
func documentFields(p *web.Pages, c *smsapp.Catalogue, fc web.FormContext, d sms.ControlledDocument) ([]ui.Field, error) {
	owner := d.OwnerID
	if fc.Creating && owner == 0 {
		owner = fc.Actor.UserID
	}
	if fc.Posted != nil {
		owner, _ = strconv.ParseInt(fc.Posted.Get("owner_id"), 10, 64)
	}
	owners, err := p.UserPicker(fc, "owner_id", "Owner", owner, access.DocumentsWrite)
	if err != nil {
		return nil, err
	}
	owners.Help, owners.Required = "Who answers for the document: keeps it current and starts its reviews.", true
	active := true
	users, _, err := p.App().ListUsers(fc.Ctx, fc.Actor, store.UserFilter{Active: &active, Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var approvers, readers []ui.Option
	for _, u := range users {
		o := ui.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name}
		if u.Actor("").Can(access.DocumentsApprove) {
			o.Selected = slices.Contains(d.ApproverIDs, u.ID)
			approvers = append(approvers, o)
		}
		if u.Role.Staff() {
			o.Selected = slices.Contains(d.AudienceUserIDs, u.ID)
			readers = append(readers, o)
		}
	}
	teams, _, err := p.App().ListTeams(fc.Ctx, fc.Actor, store.TeamFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var teamOpts []ui.Option
	for _, t := range teams {
		teamOpts = append(teamOpts, ui.Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name, Selected: slices.Contains(d.AudienceTeamIDs, t.ID)})
	}
	var roleOpts []ui.Option
	for _, r := range access.Roles {
		if r.Staff() {
			roleOpts = append(roleOpts, ui.Option{Value: string(r), Label: r.Label(), Selected: slices.Contains(d.Roles(), r)})
		}
	}
	codes, err := requirementCodes(fc.Ctx, c, fc.Actor, d.RequirementIDs)
	if err != nil {
		return nil, err
	}
	typ, class := or(d.Type, "policy"), or(d.Classification, "internal")
	months := d.ReviewMonths
	if fc.Creating {
		months = 12
	}
	quorum := ""
	if d.Quorum > 0 {
		quorum = strconv.FormatInt(d.Quorum, 10)
	}
	return []ui.Field{
		{Name: "title", Label: "Title", Value: d.Title, Required: true, Placeholder: "Service management policy"},
		{Name: "type", Label: "Type", Type: "select", Value: typ, Options: choices(sms.DocumentTypes, typ)},
		owners,
		{Name: "classification", Label: "Classification", Type: "select", Value: class, Options: choices(sms.Classifications, class), Help: sms.ClassificationHelp},
		{Name: "summary", Label: "Summary", Type: "textarea", Rows: 3, Value: d.Summary, Help: "What the document is for, in a sentence or two. Its text is written in its versions."},
		{Name: "review_months", Label: "Review every (months)", Type: "number", Value: strconv.FormatInt(months, 10),
			Help: "How often the document is reviewed to keep it suitable; 0 for no regular review. The next review is due this many months after the last."},
		{Name: "reviewed_on", Label: "Last reviewed on", Type: "date", Value: d.ReviewedOn,
			Help: "Set when a version is approved; change it when a review found nothing to change."},
		{Name: "approver_ids", Label: "Approvers", Type: "checkboxes", Options: approvers,
			Help: "The people who approve its versions: SMS managers, process owners and top management may."},
		{Name: "quorum", Label: "Approvals needed", Type: "number", Value: quorum, Placeholder: "1",
			Help: "How many of the approvers must approve a version before it comes into force; empty or 1: one is enough."},
		{Name: "self_approval", Label: "Authors may approve their own versions", Type: "checkbox", Checked: d.SelfApproval,
			Help: "Off by default, so that someone other than the author looks at every change."},
		{Name: "requirement_ids", Label: "Requirements", Value: codes, Placeholder: "5.2, 7.5.1",
			Help: "The clauses of ISO/IEC 20000-1:2018 this document helps meet, by number, separated by commas."},
		{Name: "audience_roles", Label: "Readers by role", Type: "checkboxes", Options: roleOpts,
			Help: "Everyone with these roles is asked to read and acknowledge each approved version."},
		{Name: "audience_team_ids", Label: "Reader teams", Type: "checkboxes", Options: teamOpts},
		{Name: "audience_user_ids", Label: "Readers by name", Type: "checkboxes", Options: readers},
	}, nil
}

// documentInput reads a document's form; clause numbers become
// requirements of the built-in framework.
func documentInput(ctx context.Context, c *smsapp.Catalogue, actor access.Actor, f url.Values) (sms.DocumentInput, error) {
	num := func(name string) int64 { n, _ := strconv.ParseInt(strings.TrimSpace(f.Get(name)), 10, 64); return n }
	in := sms.DocumentInput{Title: f.Get("title"), Type: f.Get("type"), Classification: f.Get("classification"), Summary: f.Get("summary"),
		OwnerID: num("owner_id"), ReviewMonths: num("review_months"), ReviewedOn: f.Get("reviewed_on"), Quorum: num("quorum"),
		SelfApproval: f.Get("self_approval") != "", AudienceRoles: strings.Join(f["audience_roles"], ","),
		ApproverIDs: postedIDs(f["approver_ids"]), AudienceTeamIDs: postedIDs(f["audience_team_ids"]), AudienceUserIDs: postedIDs(f["audience_user_ids"])}
	if strings.TrimSpace(f.Get("review_months")) != "" && in.ReviewMonths == 0 && strings.TrimSpace(f.Get("review_months")) != "0" {
		return in, errs.Field("review_months", "must be a whole number of months")
	}
	ids, err := requirementIDs(ctx, c, actor, f.Get("requirement_ids"))
	in.RequirementIDs = ids
	return in, err
}

func postedIDs(vs []string) []int64 {
	out := []int64{}
	for _, v := range vs {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// builtInTree is the built-in framework's requirements.
func builtInTree(ctx context.Context, c *smsapp.Catalogue, actor access.Actor) ([]sms.Requirement, error) {
	fws, _, err := c.ListFrameworks(ctx, actor, store.FrameworkFilter{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, f := range fws {
		if f.BuiltIn() {
			return c.Tree(ctx, actor, f.ID)
		}
	}
	return nil, nil
}

// requirementIDs turns "5.2, 7.5.1" into the requirements of the built-in
// framework, refusing a number it does not have.
func requirementIDs(ctx context.Context, c *smsapp.Catalogue, actor access.Actor, text string) ([]int64, error) {
	out := []int64{}
	if strings.TrimSpace(text) == "" {
		return out, nil
	}
	tree, err := builtInTree(ctx, c, actor)
	if err != nil {
		return nil, err
	}
	for code := range strings.FieldsFuncSeq(text, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		i := slices.IndexFunc(tree, func(r sms.Requirement) bool { return r.Code == code })
		if i < 0 {
			return nil, errs.Field("requirement_ids", fmt.Sprintf("%q is not a clause of ISO/IEC 20000-1:2018; write clause numbers such as 5.2 or 7.5.1", code))
		}
		out = append(out, tree[i].ID)
	}
	return out, nil
}

// requirementCodes writes requirements as their clause numbers.
func requirementCodes(ctx context.Context, c *smsapp.Catalogue, actor access.Actor, ids []int64) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	rs, _, err := c.ListRequirements(ctx, actor, store.RequirementFilter{IDs: ids, Limit: store.MaxLimit})
	codes := make([]string, 0, len(rs))
	for _, r := range rs {
		codes = append(codes, r.Code)
	}
	return strings.Join(codes, ", "), err
}

// newVersion answers "Start a new version": a draft that starts from the
// text in force (or a heading for the first), opened to be written.
func newVersion(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		ctx, actor := r.Context(), rq.Auth.Actor
		d, err := c.GetDocument(ctx, actor, id)
		if err != nil {
			return err
		}
		in := sms.VersionInput{Content: "# " + d.Title + "\n"}
		if cur, err := c.CurrentVersion(ctx, actor, id); err == nil {
			in.Content = cur.Content
		}
		v, err := c.CreateDocumentVersion(ctx, actor, id, in)
		if err != nil {
			return asConflict(err)
		}
		http.Redirect(w, r, versionHref(v.ID)+"/edit", http.StatusSeeOther)
		return nil
	}
}

// acknowledge answers "I have read and understood it".
func acknowledge(c *smsapp.Catalogue) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		if _, err := c.Acknowledge(r.Context(), rq.Auth.Actor, id); err != nil {
			return asConflict(err)
		}
		http.Redirect(w, r, documentHref(id)+"?done=saved", http.StatusSeeOther)
		return nil
	}
}

// asConflict turns a refusal on a field, from a button rather than a
// form, into a conflict whose page says why in words and leads back.
func asConflict(err error) error {
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 {
		return err
	}
	reasons := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		reasons[i] = f.Reason
	}
	msg := strings.Join(reasons, "; ")
	return errs.E(errs.Conflict, "%s", strings.ToUpper(msg[:1])+msg[1:])
}

// documentsHome is the home page's card of the documents the reader has
// yet to acknowledge.
func documentsHome(c *smsapp.Catalogue) func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
	return func(ctx context.Context, rq *web.Request) ([]web.Section, error) {
		actor := rq.Auth.Actor
		if !actor.Can(access.DocumentsAcknowledge) || !actor.Can(sms.DocumentKind.Read) {
			return nil, nil
		}
		ds, err := c.ToAcknowledge(ctx, actor, actor.UserID)
		if err != nil {
			return nil, err
		}
		s := web.Section{Title: "To acknowledge", Table: &ui.Table{Caption: "Documents to acknowledge",
			Columns: []ui.Column{{Label: "Document", Key: true}, {Label: "Version in force"}},
			Empty:   ui.Empty{Icon: "circle-check", Title: "Nothing to read", Text: "Policies and procedures given to you to read appear here until you acknowledge them."}}}
		for _, d := range ds {
			href := documentHref(d.ID)
			s.Table.Rows = append(s.Table.Rows, ui.Row{Href: href, Cells: []ui.Value{ui.Linked(d.Title, href), ui.Text(rq.T("Version %d", d.CurrentVersion))}})
		}
		s.Actions = []ui.Action{{Label: "All your documents", Href: "/documents/reading"}}
		return []web.Section{s}, nil
	}
}

func documentHref(id int64) string { return fmt.Sprintf("/%s/%d", sms.DocumentKind.Path(), id) }
func versionHref(id int64) string  { return fmt.Sprintf("/%s/%d", sms.DocumentVersionKind.Path(), id) }

func today() string { return time.Now().UTC().Format(time.DateOnly) }

func documentBadges(d sms.ControlledDocument) []ui.Badge {
	tone := map[string]ui.Tone{"draft": ui.Neutral, "approved": ui.Success, "withdrawn": ui.Danger}[d.Status]
	out := []ui.Badge{{Text: label(sms.DocumentStatuses, d.Status), Tone: tone}}
	if d.ReviewOverdue(today()) {
		out = append(out, ui.Badge{Text: "Review overdue", Tone: ui.Warning})
	}
	return out
}

func versionBadge(state string) ui.Badge {
	tone := map[string]ui.Tone{"draft": ui.Neutral, "in_review": ui.Info, "approved": ui.Success, "superseded": ui.Neutral, "withdrawn": ui.Danger}[state]
	return ui.Badge{Text: label(sms.VersionStates, state), Tone: tone}
}

// docReviewValue is the next review's day, marked when it has passed.
func docReviewValue(d sms.ControlledDocument) ui.Value {
	if d.ReviewDueOn == "" {
		if d.ReviewMonths == 0 {
			return ui.Value{Empty: "No regular review"}
		}
		return ui.Value{Empty: "After the first approval"}
	}
	v := dayValue(d.ReviewDueOn)
	if d.ReviewOverdue(today()) {
		v.Badges = []ui.Badge{{Text: "Overdue", Tone: ui.Danger}}
	}
	return v
}

func currentValue(d sms.ControlledDocument) ui.Value {
	if d.CurrentVersion == 0 {
		return ui.Value{Empty: "None yet"}
	}
	return ui.Text(strconv.FormatInt(d.CurrentVersion, 10))
}

func monthsValue(rq *web.Request, n int64) ui.Value {
	if n == 0 {
		return ui.Value{Empty: "No regular review"}
	}
	return ui.Text(rq.T("%d months", int(n)))
}

func optDay(day, empty string) ui.Value {
	if day == "" {
		return ui.Value{Empty: empty}
	}
	return dayValue(day)
}

func yesNo(rq *web.Request, b bool) ui.Value {
	if b {
		return ui.Text(rq.T("Yes"))
	}
	return ui.Text(rq.T("No"))
}

// refList names and links records of a kind.
func refList(ctx context.Context, p *web.Pages, actor access.Actor, entity string, ids []int64, empty string) ui.Value {
	v := ui.Value{Empty: empty}
	names, err := p.App().Names(ctx, actor, entity, ids)
	if err != nil {
		return v
	}
	for _, id := range ids {
		if n, ok := names[id]; ok {
			v.Links = append(v.Links, ui.Link{Text: n, Href: refHref(entity, id)})
		}
	}
	return v
}

func refHref(entity string, id int64) string {
	switch entity {
	case account.UserKind.Entity:
		return "/users/" + strconv.FormatInt(id, 10)
	case account.TeamKind.Entity:
		return "/teams/" + strconv.FormatInt(id, 10)
	case sms.RequirementKind.Entity:
		return requirementHref(id)
	}
	return ""
}

// audienceValue names who is asked to read the document: its roles
// (leading to their holders), teams and people.
func audienceValue(ctx context.Context, p *web.Pages, actor access.Actor, d sms.ControlledDocument) ui.Value {
	v := ui.Value{Empty: "Nobody yet"}
	for _, r := range d.Roles() {
		v.Links = append(v.Links, ui.Link{Text: r.Label(), Href: "/users?role=" + string(r)})
	}
	v.Links = append(v.Links, refList(ctx, p, actor, account.TeamKind.Entity, d.AudienceTeamIDs, "").Links...)
	v.Links = append(v.Links, refList(ctx, p, actor, account.UserKind.Entity, d.AudienceUserIDs, "").Links...)
	return v
}

// registerDocumentPages adds the pages of documented information.
func registerDocumentPages(p *web.Pages, c *smsapp.Catalogue, mux guard.Registrar) {
	dk, vk := sms.DocumentKind, sms.DocumentVersionKind
	// The checklist and the reading list before the documents' own
	// routes, which they share a prefix with.
	p.Handle(mux, "GET /"+sms.RequiredDocumentKind.Path(), dk.Read, checklist(p, c))
	p.Handle(mux, "POST /"+sms.RequiredDocumentKind.Path(), sms.RequiredDocumentKind.Write, saveChecklist(p, c))
	p.Handle(mux, "GET /"+dk.Path()+"/reading", dk.Read, reading(p, c))
	documentPages(p, c).Register(p, mux)
	p.Handle(mux, "POST /"+dk.Path()+"/{id}/versions", vk.Write, newVersion(c))
	p.Handle(mux, "POST /"+dk.Path()+"/{id}/acknowledge", access.DocumentsAcknowledge, acknowledge(c))
	versionPages(p, c).Register(p, mux)
	p.Handle(mux, "POST /"+vk.Path()+"/{id}/state", vk.Write, moveVersion(c))
	p.Handle(mux, "POST /"+vk.Path()+"/{id}/approve", access.DocumentsApprove, approveVersion(c))
	p.Handle(mux, "GET /"+vk.Path()+"/{id}/file", vk.Read, versionFile(c))
	ackPages(p, c).Register(p, mux)
}
