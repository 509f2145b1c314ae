package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The store benchmarks measure what one request's database work costs on
// each engine, without HTTP. Compare their ops/s with the targets in
// docs/PERFORMANCE.md:
//
//	go test ./internal/store/ -run XXX -bench . -benchtime 2s

// benchOrgs creates n customer organisations and returns their ids.
func benchOrgs(b *testing.B, db *store.DB, n int) []int64 {
	b.Helper()
	ctx := context.Background()
	ids := make([]int64, 0, n)
	// A few hundred per transaction keeps the set-up short on both engines.
	for len(ids) < n {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := 0; i < 250 && len(ids) < n; i++ {
				o, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: fmt.Sprintf("Read %d", len(ids)), Kind: account.Customer})
				if err != nil {
					return err
				}
				ids = append(ids, o.ID)
			}
			return nil
		})
		if err != nil {
			b.Fatalf("create organisations: %v", err)
		}
	}
	return ids
}

func reportOpsPerSec(b *testing.B, unit string) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, unit)
	}
}

// BenchmarkCreateWithAudit writes one organisation and its audit entry per
// op, in one transaction, from one writer.
func BenchmarkCreateWithAudit(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			db := storetest.Open(b, e)
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				err := db.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: fmt.Sprintf("Bench %d", i), Kind: account.Customer})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			reportOpsPerSec(b, "writes/s")
		})
	}
}

// BenchmarkGetByID reads one organisation by id, from one goroutine and
// from several at once (the read pool on SQLite, the shared pool on
// PostgreSQL).
func BenchmarkGetByID(b *testing.B) {
	const records = 1000
	for _, e := range storetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			db := storetest.Open(b, e)
			ids := benchOrgs(b, db, records)
			ctx := context.Background()
			b.Run("serial", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					if _, err := db.GetOrganisation(ctx, ids[i%len(ids)]); err != nil {
						b.Fatal(err)
					}
				}
				reportOpsPerSec(b, "reads/s")
			})
			b.Run("parallel", func(b *testing.B) {
				// 4 goroutines per core: about as many readers as a busy
				// server has requests in flight on this machine.
				b.SetParallelism(4)
				var next atomic.Int64
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						i := next.Add(1)
						if _, err := db.GetOrganisation(ctx, ids[i%int64(len(ids))]); err != nil {
							b.Error(err)
							return
						}
					}
				})
				reportOpsPerSec(b, "reads/s")
			})
		})
	}
}
