package assurance

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
)

// cycleReminders reminds every active SMS manager of each planned audit
// of a certificate in force not done yet: "due_soon" from the
// certificate's reminder lead time before its due-by day, "overdue" once
// that day has passed (a missed surveillance risks suspension). Each is
// sent once per due-by day, so moving the day reminds again.
func (c *Catalogue) cycleReminders(ctx context.Context, now time.Time) ([]account.Notice, error) {
	today := assurance.Today(now)
	open, err := app.EveryPage(func(cursor string) ([]assurance.PlannedAudit, string, error) {
		return c.db.ListPlannedAudits(ctx, store.PlannedAuditFilter{Open: true, Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil || len(open) == 0 {
		return nil, err
	}
	active := true
	managers, err := app.EveryPage(func(cursor string) ([]account.User, string, error) {
		return c.db.ListUsers(ctx, store.UserFilter{Role: access.SMSManager, Active: &active, Cursor: cursor, Limit: store.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	certs := map[int64]assurance.Certificate{}
	e := assurance.PlannedAuditKind.Entity
	var out []account.Notice
	for _, p := range open {
		x, ok := certs[p.CertificateID]
		if !ok {
			if x, err = c.db.GetCertificate(ctx, p.CertificateID); err != nil {
				return nil, err
			}
			certs[p.CertificateID] = x
		}
		if st := x.State(today); st == "withdrawn" || st == "expired" {
			continue
		}
		topic := ""
		switch {
		case p.Overdue(today):
			topic = "overdue"
		case assurance.ReminderFrom(p.DueBy, int(x.ReminderDays)) <= today:
			topic = "due_soon"
		default:
			continue
		}
		title := assurance.LabelOf(assurance.CycleAuditTypes, p.Type) + " audit, " + assurance.CertificateKind.Number(x.ID)
		for _, u := range managers {
			out = append(out, account.Notice{UserID: u.ID, Topic: topic, Entity: e, EntityID: p.ID, Title: title,
				Key: account.NoticeKey(topic, e, p.ID, p.DueBy)})
		}
	}
	return out, nil
}
