package sms

import (
	"context"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// objectiveNames names objectives by their statement.
func (c *Catalogue) objectiveNames(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
	for chunk := range slices.Chunk(ids, store.MaxLimit) {
		os, _, err := c.ListObjectives(ctx, actor, store.ObjectiveFilter{IDs: chunk, Limit: len(chunk)})
		if err != nil {
			return nil, err
		}
		for _, o := range os {
			names[o.ID] = o.Statement
		}
	}
	return names, nil
}

// processNames names processes.
func (c *Catalogue) processNames(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
	for chunk := range slices.Chunk(ids, store.MaxLimit) {
		ps, _, err := c.ListProcesses(ctx, actor, store.ProcessFilter{IDs: chunk, Limit: len(chunk)})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			names[p.ID] = p.Name
		}
	}
	return names, nil
}

// findObjectives finds objectives by part of their statement, for the
// jump box and the pickers.
func (c *Catalogue) findObjectives(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
	os, _, err := c.ListObjectives(ctx, actor, store.ObjectiveFilter{Query: q, Limit: limit})
	var out []app.Found
	for _, o := range os {
		out = append(out, app.Found{Entity: sms.ObjectiveKind.Entity, ID: o.ID, Name: o.Statement, Detail: sms.ObjectiveKind.Number(o.ID)})
	}
	return out, err
}

// findProcesses finds processes by part of their name.
func (c *Catalogue) findProcesses(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
	ps, _, err := c.ListProcesses(ctx, actor, store.ProcessFilter{Query: q, Limit: limit})
	var out []app.Found
	for _, p := range ps {
		out = append(out, app.Found{Entity: sms.ProcessKind.Entity, ID: p.ID, Name: p.Name, Detail: sms.ProcessKind.Number(p.ID)})
	}
	return out, err
}
