package assurance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Nonconformities are read by all staff and carried through by SMS
// managers, process owners and internal auditors; the deadlines are
// changed by SMS managers only.
var (
	nonconformities = app.Scope[assurance.Nonconformity]{Kind: assurance.NonconformityKind}
	ncDeadlines     = app.Scope[assurance.NCDeadlines]{Kind: assurance.NCDeadlinesKind}
)

// ncSource is the action source whose actions are a nonconformity's
// corrective actions.
const ncSource = "nonconformity"

// NCQuery is a listing of nonconformities as people ask for it: the
// store's filter, and whether only those past their next deadline, which
// the deadlines in force turn into days.
type NCQuery struct {
	store.NonconformityFilter
	Overdue bool
}

// ListNonconformities lists nonconformities.
func (c *Catalogue) ListNonconformities(ctx context.Context, actor access.Actor, q NCQuery) ([]assurance.Nonconformity, string, error) {
	if err := nonconformities.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	f := q.NonconformityFilter
	if q.Overdue {
		d, err := c.currentDeadlines(ctx)
		if err != nil {
			return nil, "", err
		}
		f.Overdue = overdueCutoffs(d, c.today())
	}
	return c.db.ListNonconformities(ctx, f)
}

// overdueCutoffs turns the deadlines into the raised-on days before which
// each kind of nonconformity is past its plan or its closing today.
func overdueCutoffs(d assurance.NCDeadlines, today string) []store.NCOverdue {
	var out []store.NCOverdue
	for _, r := range d.Rules() {
		out = append(out, store.NCOverdue{External: r.External, Severity: r.Severity,
			PlanBefore: assurance.AddDays(today, -r.Plan), CloseBefore: assurance.AddDays(today, -r.Close)})
	}
	return out
}

// GetNonconformity reads one nonconformity.
func (c *Catalogue) GetNonconformity(ctx context.Context, actor access.Actor, id int64) (assurance.Nonconformity, error) {
	return nonconformities.Get(ctx, actor, id, c.db.GetNonconformity)
}

// CreateNonconformity raises a nonconformity; one against a requirement
// that had another raised in the twelve months before is marked as its
// recurrence.
func (c *Catalogue) CreateNonconformity(ctx context.Context, actor access.Actor, in assurance.NonconformityInput) (assurance.Nonconformity, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, nonconformities.Kind.Write, "raise nonconformities", func() error { return in.Validate(c.today()) },
		func(tx *store.Tx) (assurance.Nonconformity, error) {
			var n assurance.Nonconformity
			if err := c.checkNC(ctx, actor, in, n); err != nil {
				return n, err
			}
			in.Set(&n)
			earlier, err := tx.EarlierNonconformity(ctx, in.RequirementID, assurance.RecurrenceSince(in.RaisedOn), in.RaisedOn, 0)
			if err != nil {
				return n, err
			}
			n.RecurrenceOf = earlier
			return n, tx.CreateNonconformity(ctx, actor, &n)
		})
}

// FindingInput is what an audit finding passes on when it is raised as a
// nonconformity.
type FindingInput struct {
	// Entity and ID name the finding; External says it was found by the
	// certification body rather than by an internal audit.
	Entity                                 string
	ID                                     int64
	External                               bool
	Title, Description, Severity, RaisedOn string
	RequirementID, OwnerID                 int64
}

// RaiseFromFinding raises a nonconformity from an audit finding, with the
// finding as its source record and the origin its audit's: the seam by
// which audits open nonconformities. A finding already raised gives the
// nonconformity it opened, so raising twice makes one.
func (c *Catalogue) RaiseFromFinding(ctx context.Context, actor access.Actor, in FindingInput) (assurance.Nonconformity, error) {
	had, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{SourceEntity: in.Entity, SourceID: in.ID, Limit: 1}})
	if err != nil {
		return assurance.Nonconformity{}, err
	}
	if len(had) > 0 && in.Entity != "" {
		return had[0], nil
	}
	origin := "internal_audit"
	if in.External {
		origin = "external_audit"
	}
	if in.RaisedOn == "" {
		in.RaisedOn = c.today()
	}
	return c.CreateNonconformity(ctx, actor, assurance.NonconformityInput{Title: in.Title, Description: in.Description, Severity: in.Severity,
		Origin: origin, SourceEntity: in.Entity, SourceID: in.ID, RaisedOn: in.RaisedOn, RequirementID: in.RequirementID, OwnerID: in.OwnerID})
}

// UpdateNonconformity changes a nonconformity's own fields, read at
// version (0: any), until it is closed.
func (c *Catalogue) UpdateNonconformity(ctx context.Context, actor access.Actor, id, version int64, up assurance.NonconformityUpdate) (assurance.Nonconformity, error) {
	return app.Change(ctx, c.app, actor, nonconformities.Kind.Write, "change nonconformities", nil, func(tx *store.Tx) (assurance.Nonconformity, error) {
		return tx.UpdateNonconformity(ctx, actor, id, version, nonconformities.GuardChange(actor, id, func(n *assurance.Nonconformity) error {
			in := up.Apply(*n)
			in.Normalize()
			if err := in.Validate(c.today()); err != nil {
				return err
			}
			if err := n.CheckUpdate(in); err != nil {
				return err
			}
			if err := c.checkNC(ctx, actor, in, *n); err != nil {
				return err
			}
			in.Set(n)
			return nil
		}))
	})
}

// DeleteNonconformity removes a nonconformity read at version (0: any),
// only while it is open with no corrective action: one worked on stays
// on record.
func (c *Catalogue) DeleteNonconformity(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, nonconformities.Kind.Write, "delete nonconformities", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteNonconformity(ctx, actor, id, version, nonconformities.Guard(actor, id, func(n assurance.Nonconformity) error {
			if n.State != "open" {
				return errs.E(errs.Conflict, "%s is %s: only an open nonconformity is deleted; one worked on stays on record", assurance.NonconformityKind.Number(id), n.State)
			}
			k, err := tx.CountActionsFrom(ctx, ncSource, id)
			if err != nil || k == 0 {
				return err
			}
			return errs.E(errs.Conflict, "%s has %d corrective %s: delete %s or give %s another source first",
				assurance.NonconformityKind.Number(id), k, plural(k, "action", "actions"), plural(k, "it", "them"), plural(k, "it", "them"))
		}))
	}))
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// step changes a nonconformity read at version (0: any) through one step
// of its workflow, given its corrective actions as read in the
// transaction.
func (c *Catalogue) step(ctx context.Context, actor access.Actor, id, version int64, doing string, check func() error,
	do func(n *assurance.Nonconformity, actions []sms.Action) error) (assurance.Nonconformity, error) {
	return app.Change(ctx, c.app, actor, nonconformities.Kind.Write, doing, check, func(tx *store.Tx) (assurance.Nonconformity, error) {
		return tx.UpdateNonconformity(ctx, actor, id, version, nonconformities.GuardChange(actor, id, func(n *assurance.Nonconformity) error {
			actions, err := tx.ActionsFromSource(ctx, ncSource, id)
			if err != nil {
				return err
			}
			return do(n, actions)
		}))
	})
}

// RecordCorrection records what was done at once.
func (c *Catalogue) RecordCorrection(ctx context.Context, actor access.Actor, id, version int64, in assurance.CorrectionInput) (assurance.Nonconformity, error) {
	in.Normalize()
	return c.step(ctx, actor, id, version, "record corrections", nil, func(n *assurance.Nonconformity, _ []sms.Action) error {
		if err := n.Correct(in, c.today()); err != nil {
			return err
		}
		return c.checkNCPerson(ctx, "corrected_by", in.CorrectedBy)
	})
}

// RecordAnalysis records the root cause.
func (c *Catalogue) RecordAnalysis(ctx context.Context, actor access.Actor, id, version int64, in assurance.AnalysisInput) (assurance.Nonconformity, error) {
	in.Normalize()
	return c.step(ctx, actor, id, version, "record root cause analyses", nil, func(n *assurance.Nonconformity, _ []sms.Action) error {
		return n.Analyse(in, c.today())
	})
}

// RecordVerification records the check of effectiveness; not effective
// sends the nonconformity back to root cause analysis.
func (c *Catalogue) RecordVerification(ctx context.Context, actor access.Actor, id, version int64, in assurance.VerificationInput) (assurance.Nonconformity, error) {
	in.Normalize()
	return c.step(ctx, actor, id, version, "record verifications", nil, func(n *assurance.Nonconformity, actions []sms.Action) error {
		if err := n.Verify(in, actions, c.today()); err != nil {
			return err
		}
		if err := c.checkNCPerson(ctx, "verified_by", in.VerifiedBy); err != nil {
			return err
		}
		for _, r := range in.Evidence {
			if err := c.checkRecord(ctx, actor, "evidence", r.Entity, r.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// CloseNonconformity closes a nonconformity once its corrective actions
// are finished and their effectiveness verified; the refusal names all
// that is missing.
func (c *Catalogue) CloseNonconformity(ctx context.Context, actor access.Actor, id, version int64, closedOn string) (assurance.Nonconformity, error) {
	closedOn = strings.TrimSpace(closedOn)
	if closedOn == "" {
		closedOn = c.today()
	}
	return c.step(ctx, actor, id, version, "close nonconformities", nil, func(n *assurance.Nonconformity, actions []sms.Action) error {
		return n.Close(closedOn, actions, c.today())
	})
}

// CorrectiveActions are a nonconformity's corrective actions, as the
// reader may see them.
func (c *Catalogue) CorrectiveActions(ctx context.Context, actor access.Actor, id int64) ([]sms.Action, error) {
	return c.sms.ActionsFrom(ctx, actor, assurance.NonconformityKind.Entity, id)
}

// checkNC checks a nonconformity's references: the requirement must be
// one of the built-in framework, the owner active staff who may see
// nonconformities, the source record one the actor may see. What it had
// already stays, even if since changed.
func (c *Catalogue) checkNC(ctx context.Context, actor access.Actor, in assurance.NonconformityInput, was assurance.Nonconformity) error {
	if in.RequirementID != was.RequirementID {
		fw, err := c.db.FrameworkByCode(ctx, sms.BuiltInCode)
		if err != nil {
			return err
		}
		req, err := c.db.GetRequirement(ctx, in.RequirementID)
		switch {
		case errs.Is(err, errs.NotFound) || (err == nil && req.FrameworkID != fw.ID):
			return errs.Field("requirement_id", fmt.Sprintf("names requirement %d, which is not one of %s", in.RequirementID, fw.Name))
		case err != nil:
			return err
		}
	}
	if in.OwnerID != was.OwnerID {
		if err := c.checkNCPerson(ctx, "owner_id", in.OwnerID); err != nil {
			return err
		}
	}
	if in.SourceEntity != "" && (in.SourceEntity != was.SourceEntity || in.SourceID != was.SourceID) {
		return c.checkRecord(ctx, actor, "source_id", in.SourceEntity, in.SourceID)
	}
	return nil
}

// checkNCPerson refuses a user who does not exist, is deactivated, or
// whose role may not see nonconformities.
func (c *Catalogue) checkNCPerson(ctx context.Context, field string, id int64) error {
	return c.checkStaff(ctx, field, id, access.NonconformitiesRead, "nonconformities")
}

// checkRecord refuses a reference to a kind no area declares, or to a
// record the actor may not see.
func (c *Catalogue) checkRecord(ctx context.Context, actor access.Actor, field, entity string, id int64) error {
	if _, ok := c.app.Kinds().Get(entity); !ok {
		return errs.Field(field, fmt.Sprintf("names a record of kind %q, which does not exist", entity))
	}
	err := c.app.See(ctx, actor, entity, id)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return errs.Field(field, fmt.Sprintf("names %s %d, which does not exist or which you may not see", entity, id))
	}
	return err
}

// today is the day it is now, in UTC, by the store's clock.
func (c *Catalogue) today() string { return c.db.Now().Format(time.DateOnly) }

// currentDeadlines are the deadlines in force: the defaults until they
// are first written.
func (c *Catalogue) currentDeadlines(ctx context.Context) (assurance.NCDeadlines, error) {
	d, err := c.db.NCDeadlines(ctx)
	if errs.Is(err, errs.NotFound) {
		return assurance.DefaultNCDeadlines(), nil
	}
	return d, err
}

// NCDeadlines reads the deadlines nonconformities are answered in.
func (c *Catalogue) NCDeadlines(ctx context.Context, actor access.Actor) (assurance.NCDeadlines, error) {
	if err := ncDeadlines.MayRead(actor, "read"); err != nil {
		return assurance.NCDeadlines{}, err
	}
	return c.currentDeadlines(ctx)
}

// getNCDeadlines reads the deadlines by id, for the audit trail's links.
func (c *Catalogue) getNCDeadlines(ctx context.Context, actor access.Actor, id int64) (assurance.NCDeadlines, error) {
	return ncDeadlines.Get(ctx, actor, id, func(ctx context.Context, id int64) (assurance.NCDeadlines, error) {
		d, err := c.db.NCDeadlines(ctx)
		if err == nil && d.ID != id {
			return assurance.NCDeadlines{}, errs.E(errs.NotFound, "nonconformity deadlines %d not found", id)
		}
		return d, err
	})
}

// UpdateNCDeadlines replaces the deadlines read at version (0: any).
func (c *Catalogue) UpdateNCDeadlines(ctx context.Context, actor access.Actor, version int64, in assurance.NCDeadlinesInput) (assurance.NCDeadlines, error) {
	return app.Change(ctx, c.app, actor, ncDeadlines.Kind.Write, "change the nonconformity deadlines", in.Validate, func(tx *store.Tx) (assurance.NCDeadlines, error) {
		d, err := ensureDeadlines(ctx, tx)
		if err != nil {
			return d, err
		}
		return tx.UpdateNCDeadlines(ctx, actor, d.ID, version, func(d *assurance.NCDeadlines) error {
			in.Set(d)
			return nil
		})
	})
}

// ensureDeadlines reads the deadlines in the transaction, writing the
// defaults first if they were never written.
func ensureDeadlines(ctx context.Context, tx *store.Tx) (assurance.NCDeadlines, error) {
	d, err := tx.NCDeadlines(ctx)
	if !errs.Is(err, errs.NotFound) {
		return d, err
	}
	d = assurance.DefaultNCDeadlines()
	return d, tx.CreateNCDeadlines(ctx, access.System, &d)
}

// seedNCDeadlines writes the default deadlines on first start; once they
// are there it does nothing.
func (c *Catalogue) seedNCDeadlines(ctx context.Context) error {
	if _, err := c.db.NCDeadlines(ctx); !errs.Is(err, errs.NotFound) {
		return err
	}
	return c.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := ensureDeadlines(ctx, tx)
		return err
	})
}

// NCSoonDays is how many days ahead of a deadline a nonconformity's owner
// is reminded of it.
const NCSoonDays = 7

// ncReminders reminds the owner of each nonconformity not closed of its
// next deadline: within NCSoonDays (due_soon) and once past (overdue),
// each once per deadline and day, so a new deadline reminds again.
func (c *Catalogue) ncReminders(ctx context.Context, now time.Time) ([]account.Notice, error) {
	d, err := c.currentDeadlines(ctx)
	if err != nil {
		return nil, err
	}
	today := now.UTC().Format(time.DateOnly)
	var out []account.Notice
	cursor := ""
	for {
		ns, next, err := c.db.ListNonconformities(ctx, store.NonconformityFilter{Open: true, Cursor: cursor, Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			out = append(out, ncNotices(n, d.Next(n), today)...)
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

func ncNotices(n assurance.Nonconformity, dl assurance.Deadline, today string) []account.Notice {
	if dl.On == "" {
		return nil
	}
	e := assurance.NonconformityKind.Entity
	notice := func(topic string) account.Notice {
		return account.Notice{UserID: n.OwnerID, Topic: topic, Entity: e, EntityID: n.ID, Title: n.Title,
			Key: account.NoticeKey(topic, e, n.ID, dl.What+":"+dl.On)}
	}
	switch {
	case dl.On < today:
		return []account.Notice{notice("overdue")}
	case dl.On <= assurance.AddDays(today, NCSoonDays):
		return []account.Notice{notice("due_soon")}
	}
	return nil
}

// nonconformityParts adds the kinds' Seers, Namers, Finders and reminders
// to the area.
func (c *Catalogue) nonconformityParts(ar *app.Area) {
	ar.See[assurance.NonconformityKind.Entity] = app.Seeing(c.GetNonconformity)
	ar.See[assurance.NCDeadlinesKind.Entity] = app.Seeing(c.getNCDeadlines)
	ar.Names[assurance.NonconformityKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		for i := 0; i < len(ids); i += store.MaxLimit {
			chunk := ids[i:min(i+store.MaxLimit, len(ids))]
			ns, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{IDs: chunk, Limit: len(chunk)}})
			if err != nil {
				return nil, err
			}
			for _, n := range ns {
				names[n.ID] = n.Title
			}
		}
		return names, nil
	}
	ar.Find[assurance.NonconformityKind.Entity] = func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
		ns, _, err := c.ListNonconformities(ctx, actor, NCQuery{NonconformityFilter: store.NonconformityFilter{Query: q, Limit: limit}})
		var out []app.Found
		for _, n := range ns {
			out = append(out, app.Found{Entity: assurance.NonconformityKind.Entity, ID: n.ID, Name: n.Title, Detail: assurance.NonconformityKind.Number(n.ID)})
		}
		return out, err
	}
	ar.Remind["assurance.nonconformities"] = c.ncReminders
}

// ParseRefs reads records named by their numbers ("EVD-000003,
// DOC-000002"), each of a kind some area declares; field names the input
// in the refusal.
func (c *Catalogue) ParseRefs(field, numbers string) ([]assurance.Ref, error) {
	var out []assurance.Ref
	for _, num := range strings.FieldsFunc(numbers, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' }) {
		prefix, digits, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(num)), "-")
		var id int64
		if _, err := fmt.Sscan(digits, &id); !ok || err != nil || id <= 0 {
			return nil, errs.Field(field, fmt.Sprintf("%q is not a record number such as ACT-000012", num))
		}
		found := false
		for _, k := range c.app.Kinds().All() {
			if k.Prefix == prefix {
				out, found = append(out, assurance.Ref{Entity: k.Entity, ID: id}), true
				break
			}
		}
		if !found {
			return nil, errs.Field(field, fmt.Sprintf("%q: no kind of record is numbered %s-", num, prefix))
		}
	}
	return out, nil
}

// RefNumber is a record's number, for a form showing references.
func (c *Catalogue) RefNumber(r assurance.Ref) string {
	if k, ok := c.app.Kinds().Get(r.Entity); ok {
		return k.Number(r.ID)
	}
	return fmt.Sprintf("%s %d", r.Entity, r.ID)
}
