package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestAuditVerifyCatchesRehashedNewestEntry: someone with write access to
// the database alters the newest entry and re-hashes it so that it fits
// its new content and still links to the entry before it. Only the chain
// head knows the old hash; verify must compare it and name the entry.
func TestAuditVerifyCatchesRehashedNewestEntry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 3 {
			mustOrg(t, db, fmt.Sprintf("R%d", i), account.Customer)
		}
		newest, err := db.GetAuditEntry(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		forged := newest
		forged.ActorName = "mallory"
		forged.Hash = audit.Hash(forged.PrevHash, forged)
		w, _ := db.Pools()
		if _, err := w.ExecContext(ctx, rebind(db, "UPDATE audit_log SET actor_name = ?, hash = ? WHERE seq = ?"), forged.ActorName, forged.Hash, 3); err != nil {
			t.Fatal(err)
		}
		res, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Problem == nil || res.Problem.Seq != 3 {
			t.Fatalf("re-hashed newest entry: problem %v, want entry 3", res.Problem)
		}
		if res.Entries != 3 || res.HeadSeq != 3 {
			t.Errorf("verified %d entries with head at %d, want 3 and 3", res.Entries, res.HeadSeq)
		}
	})
}
