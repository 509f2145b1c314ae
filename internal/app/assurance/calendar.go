package assurance

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Calendar tokens are each user's own: nobody sees another's.
var calendarTokens = app.Scope[assurance.CalendarToken]{Kind: assurance.CalendarTokenKind, Owner: func(t assurance.CalendarToken) int64 { return t.UserID }}

// ListCalendarTokens lists the actor's own calendar tokens.
func (c *Catalogue) ListCalendarTokens(ctx context.Context, actor access.Actor, f store.CalendarTokenFilter) ([]assurance.CalendarToken, string, error) {
	if err := calendarTokens.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	f.UserID = actor.UserID
	return c.db.ListCalendarTokens(ctx, f)
}

// GetCalendarToken reads one of the actor's calendar tokens.
func (c *Catalogue) GetCalendarToken(ctx context.Context, actor access.Actor, id int64) (assurance.CalendarToken, error) {
	return calendarTokens.Get(ctx, actor, id, c.db.GetCalendarToken)
}

// CreateCalendarToken makes the actor a new secret address for their
// calendar, revoking the one in force (each revocation audited); the
// secret is answered once and only its hash kept.
func (c *Catalogue) CreateCalendarToken(ctx context.Context, actor access.Actor) (assurance.CalendarToken, string, error) {
	if actor.UserID == 0 {
		return assurance.CalendarToken{}, "", errs.E(errs.Invalid, "only a person has a calendar")
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return assurance.CalendarToken{}, "", err
	}
	secret := assurance.CalendarSecretPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t, err := app.Change(ctx, c.app, actor, calendarTokens.Kind.Write, "create calendar addresses", nil, func(tx *store.Tx) (assurance.CalendarToken, error) {
		if err := c.revokeAll(ctx, tx, actor); err != nil {
			return assurance.CalendarToken{}, err
		}
		t := assurance.CalendarToken{UserID: actor.UserID, Hash: assurance.HashCalendarSecret(secret), Prefix: secret[:len(assurance.CalendarSecretPrefix)+4]}
		return t, tx.CreateCalendarToken(ctx, actor, &t)
	})
	if err != nil {
		return t, "", err
	}
	return t, secret, nil
}

func (c *Catalogue) revokeAll(ctx context.Context, tx *store.Tx, actor access.Actor) error {
	ids, err := tx.ActiveCalendarTokens(ctx, actor.UserID)
	if err != nil {
		return err
	}
	now := c.db.Now()
	for _, id := range ids {
		if _, err := tx.UpdateCalendarToken(ctx, actor, id, 0, func(t *assurance.CalendarToken) error { t.RevokedAt = &now; return nil }); err != nil {
			return err
		}
	}
	return nil
}

// RevokeCalendarToken revokes one of the actor's calendar tokens read at
// version (0: any): its address answers nothing from now on.
func (c *Catalogue) RevokeCalendarToken(ctx context.Context, actor access.Actor, id, version int64) (assurance.CalendarToken, error) {
	return app.Change(ctx, c.app, actor, calendarTokens.Kind.Write, "revoke calendar addresses", nil, func(tx *store.Tx) (assurance.CalendarToken, error) {
		now := c.db.Now()
		return tx.UpdateCalendarToken(ctx, actor, id, version, calendarTokens.GuardChange(actor, id, func(t *assurance.CalendarToken) error {
			if t.RevokedAt != nil {
				return errs.E(errs.Conflict, "this calendar address is already revoked")
			}
			t.RevokedAt = &now
			return nil
		}))
	})
}

// CalendarFeed answers the calendar of the user whose secret it is, as
// an iCalendar document whose events link to pages under base
// ("https://conform.example"). Each use is recorded on the token, and so
// audited; a secret revoked, unknown or of a deactivated user answers
// not found.
func (c *Catalogue) CalendarFeed(ctx context.Context, secret, base string) (string, error) {
	if !strings.HasPrefix(secret, assurance.CalendarSecretPrefix) || len(secret) > 100 {
		return "", errs.E(errs.NotFound, "no such calendar")
	}
	t, err := c.db.CalendarTokenByHash(ctx, assurance.HashCalendarSecret(secret))
	if err != nil {
		return "", err
	}
	u, err := c.app.GetUser(ctx, access.CLI, t.UserID)
	if err != nil || !u.Active {
		return "", errs.E(errs.NotFound, "no such calendar")
	}
	actor := u.Actor("calendar")
	now := c.db.Now()
	if _, err := app.Change(ctx, c.app, actor, calendarTokens.Kind.Write, "use calendar addresses", nil, func(tx *store.Tx) (assurance.CalendarToken, error) {
		return tx.UpdateCalendarToken(ctx, actor, t.ID, 0, func(t *assurance.CalendarToken) error {
			if t.RevokedAt != nil {
				return errs.E(errs.NotFound, "no such calendar")
			}
			t.LastUsedAt, t.Uses = &now, t.Uses+1
			return nil
		})
	}); err != nil {
		return "", err
	}
	var events []assurance.CalendarEvent
	for _, src := range c.calendarSources() {
		evs, err := src.events(ctx, actor, strings.TrimSuffix(base, "/"))
		if errs.Is(err, errs.Forbidden) {
			continue // a source the user's role does not see
		}
		if err != nil {
			return "", fmt.Errorf("calendar %s: %w", src.name, err)
		}
		events = append(events, evs...)
	}
	return assurance.WriteICal("Conform: "+u.Name, now, events), nil
}

// calendarSource is one kind of thing that falls due on a day: given the
// user (as an actor, so that they see only what their role may) and the
// installation's address, its events.
type calendarSource struct {
	name   string
	events func(ctx context.Context, actor access.Actor, base string) ([]assurance.CalendarEvent, error)
}

// calendarSources are what a user's calendar shows. Adding a source
// (audits, management reviews) is one function and its line here.
func (c *Catalogue) calendarSources() []calendarSource {
	return []calendarSource{
		{"actions", c.actionEvents},
		{"certification", c.cycleEvents},
		{"documents", c.documentReviewEvents},
		{"audits", c.auditEvents},
		{"reviews", c.reviewEvents},
	}
}

// calendarUID is an event's UID: stable for the thing and the event, so
// that a calendar moves the event when its day moves.
func calendarUID(entity string, id int64, what string) string {
	return fmt.Sprintf("%s-%d-%s@conform", entity, id, what)
}

// actionEvents are the due days of the user's open actions.
func (c *Catalogue) actionEvents(ctx context.Context, actor access.Actor, base string) ([]assurance.CalendarEvent, error) {
	list, err := app.EveryPage(func(cursor string) ([]sms.Action, string, error) {
		return c.sms.ListActions(ctx, actor, store.ActionFilter{OwnerID: actor.UserID, Open: true, Cursor: cursor, Limit: store.MaxLimit})
	})
	var out []assurance.CalendarEvent
	for _, a := range list {
		if a.DueOn == "" {
			continue
		}
		k := sms.ActionKind
		out = append(out, assurance.CalendarEvent{UID: calendarUID(k.Entity, a.ID, "due"), Day: a.DueOn,
			Summary: "Action due: " + a.Title, Description: k.Number(a.ID) + "\n" + a.Description, URL: fmt.Sprintf("%s/%s/%d", base, k.Path(), a.ID)})
	}
	return out, err
}

// documentReviewEvents are the review due days of the documents in force
// the user owns.
func (c *Catalogue) documentReviewEvents(ctx context.Context, actor access.Actor, base string) ([]assurance.CalendarEvent, error) {
	list, err := app.EveryPage(func(cursor string) ([]sms.ControlledDocument, string, error) {
		return c.sms.ListDocuments(ctx, actor, store.DocumentFilter{OwnerID: actor.UserID, Status: "approved", Cursor: cursor, Limit: store.MaxLimit})
	})
	var out []assurance.CalendarEvent
	for _, d := range list {
		if d.ReviewDueOn == "" {
			continue
		}
		k := sms.DocumentKind
		out = append(out, assurance.CalendarEvent{UID: calendarUID(k.Entity, d.ID, "review"), Day: d.ReviewDueOn,
			Summary: "Document review due: " + d.Title, Description: k.Number(d.ID), URL: fmt.Sprintf("%s/%s/%d", base, k.Path(), d.ID)})
	}
	return out, err
}

// cycleEvents are the certification cycle's audits not done yet: the
// day each is due by and, once booked, the day it is planned for.
func (c *Catalogue) cycleEvents(ctx context.Context, actor access.Actor, base string) ([]assurance.CalendarEvent, error) {
	list, err := app.EveryPage(func(cursor string) ([]assurance.PlannedAudit, string, error) {
		return c.ListPlannedAudits(ctx, actor, store.PlannedAuditFilter{Open: true, Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, p := range list {
		if _, ok := names[p.CertificateID]; !ok {
			x, err := c.db.GetCertificate(ctx, p.CertificateID)
			if err != nil {
				return nil, err
			}
			names[p.CertificateID] = assurance.CertificateKind.Number(x.ID) + " (" + CertificateName(x) + ")"
		}
	}
	var out []assurance.CalendarEvent
	k := assurance.PlannedAuditKind
	for _, p := range list {
		what := assurance.LabelOf(assurance.CycleAuditTypes, p.Type) + " audit"
		url := fmt.Sprintf("%s/%s/%d", base, k.Path(), p.ID)
		desc := k.Number(p.ID) + ", certificate " + names[p.CertificateID]
		out = append(out, assurance.CalendarEvent{UID: calendarUID(k.Entity, p.ID, "due"), Day: p.DueBy,
			Summary: what + " due by this day", Description: desc, URL: url})
		if p.PlannedOn != "" {
			out = append(out, assurance.CalendarEvent{UID: calendarUID(k.Entity, p.ID, "planned"), Day: p.PlannedOn,
				Summary: what + " planned", Description: desc, URL: url})
		}
	}
	return out, nil
}

// auditEvents are the planned days of the audits the user leads or is on
// the team of, while they are planned or under way.
func (c *Catalogue) auditEvents(ctx context.Context, actor access.Actor, base string) ([]assurance.CalendarEvent, error) {
	if !actor.Can(access.AuditsRead) {
		return nil, nil
	}
	var out []assurance.CalendarEvent
	k := assurance.AuditKind
	for _, state := range []string{"planned", "in_progress"} {
		list, err := app.EveryPage(func(cursor string) ([]assurance.Audit, string, error) {
			return c.ListAudits(ctx, actor, store.AuditListFilter{State: state, Cursor: cursor, Limit: store.MaxLimit})
		})
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			if a.PlannedStart == "" || !slices.Contains(a.Auditors(), actor.UserID) {
				continue
			}
			out = append(out, assurance.CalendarEvent{UID: calendarUID(k.Entity, a.ID, "start"), Day: a.PlannedStart,
				Summary: "Audit: " + a.Title, Description: k.Number(a.ID) + ", " + assurance.LabelOf(assurance.AuditTypes, a.Type),
				URL: fmt.Sprintf("%s/%s/%d", base, k.Path(), a.ID)})
		}
	}
	return out, nil
}

// reviewEvents are the planned days of the management reviews the user
// chairs or attends, until they are held.
func (c *Catalogue) reviewEvents(ctx context.Context, actor access.Actor, base string) ([]assurance.CalendarEvent, error) {
	if !actor.Can(assurance.ManagementReviewKind.Read) {
		return nil, nil
	}
	var out []assurance.CalendarEvent
	k := assurance.ManagementReviewKind
	for _, state := range []string{"planned", "prepared"} {
		list, err := app.EveryPage(func(cursor string) ([]assurance.ManagementReview, string, error) {
			return c.ListManagementReviews(ctx, actor, store.ManagementReviewFilter{State: state, Cursor: cursor, Limit: store.MaxLimit})
		})
		if err != nil {
			return nil, err
		}
		for _, r := range list {
			if r.ChairID != actor.UserID && !slices.Contains(r.AttendeeIDs, actor.UserID) {
				continue
			}
			out = append(out, assurance.CalendarEvent{UID: calendarUID(k.Entity, r.ID, "planned"), Day: r.PlannedOn,
				Summary: "Management review: " + r.Title, Description: k.Number(r.ID), URL: fmt.Sprintf("%s/%s/%d", base, k.Path(), r.ID)})
		}
	}
	return out, nil
}
