package sms

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// The implementation team and the RACI are read by all staff; the SMS
// managers who run the project change them.
var (
	members = app.Scope[sms.ProjectMember]{Kind: sms.ProjectMemberKind}
	racis   = app.Scope[sms.Raci]{Kind: sms.RaciKind}
)

// ListProjectMembers lists the team.
func (c *Catalogue) ListProjectMembers(ctx context.Context, actor access.Actor, f store.ProjectMemberFilter) ([]sms.ProjectMember, string, error) {
	if err := members.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListProjectMembers(ctx, f)
}

// GetProjectMember reads one team member.
func (c *Catalogue) GetProjectMember(ctx context.Context, actor access.Actor, id int64) (sms.ProjectMember, error) {
	return members.Get(ctx, actor, id, c.db.GetProjectMember)
}

// AddProjectMember puts someone on the team. The team has exactly one
// project manager: the first member must be it, and a second is refused.
func (c *Catalogue) AddProjectMember(ctx context.Context, actor access.Actor, in sms.MemberInput) (sms.ProjectMember, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, members.Kind.Write, "change the implementation team", in.Validate, func(tx *store.Tx) (sms.ProjectMember, error) {
		var m sms.ProjectMember
		if err := c.checkPerson(ctx, "user_id", in.UserID, access.ProjectRead, "the implementation project"); err != nil {
			return m, err
		}
		if err := c.checkManagerRule(ctx, tx, 0, "", in.Role); err != nil {
			return m, err
		}
		in.Set(&m)
		return m, tx.CreateProjectMember(ctx, actor, &m)
	})
}

// UpdateProjectMember changes a team member read at version (0: any).
// The project manager's role is handed over with DesignateProjectManager,
// never taken away alone.
func (c *Catalogue) UpdateProjectMember(ctx context.Context, actor access.Actor, id, version int64, up sms.MemberUpdate) (sms.ProjectMember, error) {
	return app.Change(ctx, c.app, actor, members.Kind.Write, "change the implementation team", nil, func(tx *store.Tx) (sms.ProjectMember, error) {
		return tx.UpdateProjectMember(ctx, actor, id, version, members.GuardChange(actor, id, func(m *sms.ProjectMember) error {
			in := up.Apply(*m)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if in.UserID != m.UserID {
				if err := c.checkPerson(ctx, "user_id", in.UserID, access.ProjectRead, "the implementation project"); err != nil {
					return err
				}
			}
			if err := c.checkManagerRule(ctx, tx, m.ID, m.Role, in.Role); err != nil {
				return err
			}
			in.Set(m)
			return nil
		}))
	})
}

// RemoveProjectMember takes someone off the team, read at version (0:
// any). The project manager goes last: while others are on the team,
// another must be designated first.
func (c *Catalogue) RemoveProjectMember(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, members.Kind.Write, "change the implementation team", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteProjectMember(ctx, actor, id, version, members.Guard(actor, id, func(m sms.ProjectMember) error {
			if m.Role != sms.ProjectManager {
				return nil
			}
			n, err := tx.TeamSize(ctx)
			if err != nil {
				return err
			}
			if n > 1 {
				return errs.E(errs.Conflict, "%s is the project manager: make another member project manager first, as the team has exactly one", c.userName(ctx, m.UserID))
			}
			return nil
		}))
	}))
	return err
}

// DesignateProjectManager makes a member the project manager; the one
// before becomes a member. Both changes are audited, in one transaction.
func (c *Catalogue) DesignateProjectManager(ctx context.Context, actor access.Actor, id int64) (sms.ProjectMember, error) {
	return app.Change(ctx, c.app, actor, members.Kind.Write, "change the implementation team", nil, func(tx *store.Tx) (sms.ProjectMember, error) {
		pms, err := tx.MembersInRole(ctx, sms.ProjectManager)
		if err != nil {
			return sms.ProjectMember{}, err
		}
		for _, pm := range pms {
			if pm == id {
				return tx.GetProjectMember(ctx, id)
			}
		}
		m, err := tx.GetProjectMember(ctx, id)
		if err != nil {
			return m, err
		}
		for _, pm := range pms {
			if _, err := tx.UpdateProjectMember(ctx, actor, pm, 0, func(m *sms.ProjectMember) error { m.Role = "member"; return nil }); err != nil {
				return m, err
			}
		}
		return tx.UpdateProjectMember(ctx, actor, id, 0, members.GuardChange(actor, id, func(m *sms.ProjectMember) error {
			m.Role = sms.ProjectManager
			return nil
		}))
	})
}

// checkManagerRule keeps the team at exactly one project manager when a
// member (self, 0 when new) goes from role was to role to.
func (c *Catalogue) checkManagerRule(ctx context.Context, tx *store.Tx, self int64, was, to string) error {
	pms, err := tx.MembersInRole(ctx, sms.ProjectManager)
	if err != nil {
		return err
	}
	var other int64
	for _, id := range pms {
		if id != self {
			other = id
		}
	}
	switch {
	case to == sms.ProjectManager && other != 0:
		pm, err := tx.GetProjectMember(ctx, other)
		if err != nil {
			return err
		}
		return errs.Field("role", c.userName(ctx, pm.UserID)+" is already the project manager, and the team has exactly one: use “Make project manager” to hand the role over")
	case was == sms.ProjectManager && to != sms.ProjectManager:
		return errs.Field("role", "must stay project manager: the team has exactly one, so make another member project manager first")
	case to != sms.ProjectManager && other == 0 && was != sms.ProjectManager:
		return errs.Field("role", "must be project manager: the team has none yet, and it needs exactly one")
	}
	return nil
}

// userName is a user's name for a message, or their number.
func (c *Catalogue) userName(ctx context.Context, id int64) string {
	u, err := c.app.GetUser(ctx, access.CLI, id)
	if err != nil {
		return fmt.Sprintf("user %d", id)
	}
	return u.Name
}

// ListRacis lists RACI rows.
func (c *Catalogue) ListRacis(ctx context.Context, actor access.Actor, f store.RaciFilter) ([]sms.Raci, string, error) {
	if err := racis.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListRacis(ctx, f)
}

// AllRacis reads every RACI row, for the matrix and its export.
func (c *Catalogue) AllRacis(ctx context.Context, actor access.Actor) ([]sms.Raci, error) {
	var out []sms.Raci
	cursor := ""
	for {
		rs, next, err := c.ListRacis(ctx, actor, store.RaciFilter{Cursor: cursor, Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// GetRaci reads one RACI row.
func (c *Catalogue) GetRaci(ctx context.Context, actor access.Actor, id int64) (sms.Raci, error) {
	return racis.Get(ctx, actor, id, c.db.GetRaci)
}

// CreateRaci adds a RACI row for a clause or a process that has none.
func (c *Catalogue) CreateRaci(ctx context.Context, actor access.Actor, in sms.RaciInput) (sms.Raci, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, racis.Kind.Write, "change the RACI", in.Validate, func(tx *store.Tx) (sms.Raci, error) {
		var r sms.Raci
		if err := c.checkRaci(ctx, in, nil); err != nil {
			return r, err
		}
		in.Set(&r)
		return r, tx.CreateRaci(ctx, actor, &r)
	})
}

// UpdateRaci changes a RACI row read at version (0: any); its clause or
// process stays.
func (c *Catalogue) UpdateRaci(ctx context.Context, actor access.Actor, id, version int64, up sms.RaciUpdate) (sms.Raci, error) {
	return app.Change(ctx, c.app, actor, racis.Kind.Write, "change the RACI", nil, func(tx *store.Tx) (sms.Raci, error) {
		return tx.UpdateRaci(ctx, actor, id, version, racis.GuardChange(actor, id, func(r *sms.Raci) error {
			in := up.Apply(*r)
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			if err := c.checkRaci(ctx, in, r); err != nil {
				return err
			}
			in.Set(r)
			return nil
		}))
	})
}

// DeleteRaci removes a RACI row read at version (0: any).
func (c *Catalogue) DeleteRaci(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, racis.Kind.Write, "change the RACI", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteRaci(ctx, actor, id, version, racis.Guard(actor, id, nil))
	}))
	return err
}

// checkRaci refuses a subject that does not exist and a person who
// cannot see the project; those already in the row (was) stay even if
// deactivated since.
func (c *Catalogue) checkRaci(ctx context.Context, in sms.RaciInput, was *sms.Raci) error {
	if was == nil {
		if in.ProcessID != nil {
			if _, err := c.db.GetProcess(ctx, *in.ProcessID); errs.Is(err, errs.NotFound) {
				return errs.Field("process_id", "names no process")
			} else if err != nil {
				return err
			}
		}
		if in.RequirementID != nil {
			if _, err := c.db.GetRequirement(ctx, *in.RequirementID); errs.Is(err, errs.NotFound) {
				return errs.Field("requirement_id", "names no clause")
			} else if err != nil {
				return err
			}
		}
	}
	known := map[int64]bool{}
	if was != nil {
		for _, id := range was.People() {
			known[id] = true
		}
	}
	for _, l := range []struct {
		field string
		ids   []int64
	}{{"accountable_id", []int64{in.AccountableID}}, {"responsible_ids", in.ResponsibleIDs}, {"consulted_ids", in.ConsultedIDs}, {"informed_ids", in.InformedIDs}} {
		for _, id := range l.ids {
			if known[id] {
				continue
			}
			if err := c.checkPerson(ctx, l.field, id, access.ProjectRead, "the implementation project"); err != nil {
				return err
			}
			known[id] = true
		}
	}
	return nil
}
