package demo

import (
	"context"
	"fmt"

	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// LoadAreas loads the areas' demo records into the organisation Load
// made: the management system first, then certification, audits,
// nonconformities and last the management review, whose input pack reads
// what came before it.
func LoadAreas(ctx context.Context, s *smsapp.Catalogue, c *assuranceapp.Catalogue, db *store.DB) error {
	for _, step := range []struct {
		what string
		load func() error
	}{
		{"management system", func() error { return LoadSMS(ctx, s, db) }},
		{"certification", func() error { return LoadCertification(ctx, c, db) }},
		{"audits", func() error { return LoadAudits(ctx, c, db) }},
		{"nonconformities", func() error { return LoadNonconformities(ctx, c, s, db) }},
		{"management review", func() error { return LoadReviews(ctx, c, s, db) }},
	} {
		if err := step.load(); err != nil {
			return fmt.Errorf("demo %s: %w", step.what, err)
		}
	}
	return nil
}
