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

// Processes are read by all staff; SMS managers and process owners
// change them.
var processes = app.Scope[sms.Process]{Kind: sms.ProcessKind}

// ListProcesses lists processes.
func (c *Catalogue) ListProcesses(ctx context.Context, actor access.Actor, f store.ProcessFilter) ([]sms.Process, string, error) {
	if err := processes.MayRead(actor, "list"); err != nil {
		return nil, "", err
	}
	return c.db.ListProcesses(ctx, f)
}

// AllProcesses reads the whole register, for the process map.
func (c *Catalogue) AllProcesses(ctx context.Context, actor access.Actor) ([]sms.Process, error) {
	return app.EveryPage(func(cursor string) ([]sms.Process, string, error) {
		return c.ListProcesses(ctx, actor, store.ProcessFilter{Cursor: cursor, Limit: store.MaxLimit})
	})
}

// GetProcess reads one process.
func (c *Catalogue) GetProcess(ctx context.Context, actor access.Actor, id int64) (sms.Process, error) {
	return processes.Get(ctx, actor, id, c.db.GetProcess)
}

// CreateProcess adds one of the organisation's own processes.
func (c *Catalogue) CreateProcess(ctx context.Context, actor access.Actor, in sms.ProcessInput) (sms.Process, error) {
	in.Normalize()
	return app.Change(ctx, c.app, actor, processes.Kind.Write, "create processes", func() error { return in.Validate(0) }, func(tx *store.Tx) (sms.Process, error) {
		var p sms.Process
		if err := c.checkProcessOwner(ctx, nil, in.OwnerID); err != nil {
			return p, err
		}
		in.Set(&p)
		p.Position = 1000
		return p, tx.CreateProcess(ctx, actor, &p)
	})
}

// UpdateProcess changes a process read at version (0: any). A built-in
// process keeps its code and its place on the map.
func (c *Catalogue) UpdateProcess(ctx context.Context, actor access.Actor, id, version int64, up sms.ProcessUpdate) (sms.Process, error) {
	return app.Change(ctx, c.app, actor, processes.Kind.Write, "change processes", nil, func(tx *store.Tx) (sms.Process, error) {
		return tx.UpdateProcess(ctx, actor, id, version, processes.GuardChange(actor, id, func(p *sms.Process) error {
			in := up.Apply(*p)
			in.Normalize()
			if err := in.Validate(p.ID); err != nil {
				return err
			}
			if err := c.checkProcessOwner(ctx, p.OwnerID, in.OwnerID); err != nil {
				return err
			}
			in.Set(p)
			return nil
		}))
	})
}

// DeleteProcess removes a process read at version (0: any). One that
// other processes name as an interface, or that has a RACI row, stays:
// the refusal names what points to it.
func (c *Catalogue) DeleteProcess(ctx context.Context, actor access.Actor, id, version int64) error {
	_, err := app.Change(ctx, c.app, actor, processes.Kind.Write, "delete processes", nil, app.NoResult(func(tx *store.Tx) error {
		return tx.DeleteProcess(ctx, actor, id, version, processes.Guard(actor, id, func(sms.Process) error {
			if err := refusedWhileNamed(ctx, tx, "process_interfaces", "other_id", id, "an interface"); err != nil {
				return err
			}
			rows, err := tx.RacisOfProcess(ctx, id)
			if err != nil {
				return err
			}
			if len(rows) > 0 {
				return errs.E(errs.Conflict, "%s is its RACI row: delete that first", numbers(sms.RaciKind, rows))
			}
			return nil
		}))
	}))
	return err
}

// checkProcessOwner refuses an owner who cannot see processes, unless
// they were the owner already (a deactivated owner stays until replaced).
func (c *Catalogue) checkProcessOwner(ctx context.Context, was, owner *int64) error {
	if owner == nil || (was != nil && *was == *owner) {
		return nil
	}
	return c.checkPerson(ctx, "owner_id", *owner, access.ProcessesRead, "processes")
}

// SeedProcesses loads the built-in process register on first start: the
// processes clause 8 asks for and the SMS's own, each with its purpose,
// its interfaces and the requirements of the built-in framework it
// answers. Once any built-in process is there it does nothing, so that a
// process the organisation deleted or renamed stays as they left it.
func (c *Catalogue) SeedProcesses(ctx context.Context) error {
	fw, err := c.db.FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		return fmt.Errorf("seed processes: the built-in framework: %w", err)
	}
	tree, err := c.db.RequirementTree(ctx, fw.ID)
	if err != nil {
		return err
	}
	clause := make(map[string]int64, len(tree))
	for _, r := range tree {
		clause[r.Code] = r.ID
	}
	actor := access.System
	err = c.db.InTx(ctx, func(tx *store.Tx) error {
		have, err := tx.ProcessCodes(ctx)
		if err != nil || len(have) > 0 {
			return err
		}
		ids := map[string]int64{}
		for i, b := range sms.BuiltInProcesses {
			p := sms.Process{Code: b.Code, Name: b.Name, Area: b.Area, Position: int64(i + 1), Purpose: b.Purpose,
				InterfaceIDs: []int64{}, KPIIDs: []int64{}, RequirementIDs: []int64{}}
			for _, code := range b.Clauses {
				if id, ok := clause[code]; ok {
					p.RequirementIDs = append(p.RequirementIDs, id)
				}
			}
			if err := tx.CreateProcess(ctx, actor, &p); err != nil {
				return fmt.Errorf("seed process %s: %w", b.Code, err)
			}
			ids[b.Code] = p.ID
		}
		for _, b := range sms.BuiltInProcesses {
			_, err := tx.UpdateProcess(ctx, actor, ids[b.Code], 0, func(p *sms.Process) error {
				for _, code := range b.Interfaces {
					p.InterfaceIDs = append(p.InterfaceIDs, ids[code])
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("seed process %s: interfaces: %w", b.Code, err)
			}
		}
		return nil
	})
	if errs.Is(err, errs.Invalid) {
		// Another instance starting at the same time loaded it first.
		if again := c.db.InTx(ctx, func(tx *store.Tx) error {
			have, err := tx.ProcessCodes(ctx)
			if err == nil && len(have) == 0 {
				return fmt.Errorf("seed processes: %w", errs.E(errs.Invalid, "the built-in register did not load"))
			}
			return err
		}); again == nil {
			return nil
		}
	}
	return err
}
