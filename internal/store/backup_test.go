package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestBackupSQLiteUnderLoad takes a backup while writers create
// organisations: every create acknowledged before the backup began is in
// the copy, the copy's chain verifies and its head is the one returned.
func TestBackupSQLiteUnderLoad(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	ctx := context.Background()

	var (
		mu    sync.Mutex
		acked []string // names whose create returned nil, in order
		wg    sync.WaitGroup
		errMu sync.Mutex
		werr  error
	)
	stop := make(chan struct{})
	const writers = 4
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Customer %d-%d", w, i)
				err := db.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: name, Kind: account.Customer})
					return err
				})
				if err != nil {
					errMu.Lock()
					werr = err
					errMu.Unlock()
					return
				}
				mu.Lock()
				acked = append(acked, name)
				mu.Unlock()
			}
		}()
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	for deadline := time.Now().Add(10 * time.Second); count() < 200 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}

	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	path := filepath.Join(t.TempDir(), "backup.db")
	head, err := db.BackupSQLite(ctx, path)
	during := count() - len(before)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if werr != nil {
		t.Fatalf("a writer failed: %v", werr)
	}
	if len(before) == 0 {
		t.Fatal("no create was acknowledged before the backup")
	}
	t.Logf("%d creates acknowledged before the backup, %d during it, %d in all", len(before), during, count())

	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := st.Mode().Perm(); mode != 0o600 {
		t.Errorf("got backup file mode %v, want 0600", mode)
	}

	cp, err := store.OpenCopy(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	inCopy := map[string]bool{}
	for cursor := ""; ; {
		orgs, next, err := cp.ListOrganisations(ctx, store.OrganisationFilter{Cursor: cursor, Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orgs {
			inCopy[o.Name] = true
		}
		if next == "" {
			break
		}
		cursor = next
	}
	missing := 0
	for _, name := range before {
		if !inCopy[name] {
			missing++
			if missing <= 5 {
				t.Errorf("%q was acknowledged before the backup began but is not in the copy", name)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d organisations acknowledged before the backup are missing from the copy", missing, len(before))
	}
	if got, max := len(inCopy), count(); got > max {
		t.Errorf("the copy holds %d organisations, more than the %d ever acknowledged", got, max)
	}

	res, err := cp.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Problem != nil {
		t.Fatalf("the copy's audit chain is broken at %d: %s", res.Problem.Seq, res.Problem.Reason)
	}
	// One entry per organisation: the chain and the records agree.
	if res.Entries != int64(len(inCopy)) || res.HeadSeq != head.Seq {
		t.Errorf("got %d entries and head %d in the copy, want %d entries (one per organisation) and the returned head %d",
			res.Entries, res.HeadSeq, len(inCopy), head.Seq)
	}
	cpHead, err := cp.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cpHead != head {
		t.Errorf("got head %+v in the copy, want the returned %+v", cpHead, head)
	}
	// The copy's head is an entry of the live chain: the newest entry of
	// the copy, found in the live trail by its record, is the same.
	newest, _, err := cp.ListAudit(ctx, store.AuditFilter{Limit: 1})
	if err != nil || len(newest) != 1 {
		t.Fatalf("newest entry of the copy: %v, %v", newest, err)
	}
	live, _, err := db.ListAudit(ctx, store.AuditFilter{Entity: newest[0].Entity, EntityID: newest[0].EntityID})
	if err != nil {
		t.Fatal(err)
	}
	if len(live) != 1 || live[0].Seq != head.Seq || live[0].Hash != head.Hash {
		t.Errorf("live entries of the head's record are %+v, want one at %d with hash %s", live, head.Seq, head.Hash)
	}
}

func TestBackupSQLiteRefusesAnExistingFile(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	mustOrg(t, db, "Provider Ltd", account.Provider)
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := db.BackupSQLite(context.Background(), path)
	wantCode(t, err, errs.Conflict)
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Errorf("the existing file now holds %q, want it untouched", b)
	}
}

func TestBackupAuditHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h, err := db.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if h != (store.AuditHead{Seq: 0, Hash: audit.Genesis}) {
			t.Errorf("got head %+v of an empty trail, want seq 0 and the genesis hash", h)
		}
		mustOrg(t, db, "Provider Ltd", account.Provider)
		mustOrg(t, db, "Customer A", account.Customer)
		h, err = db.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		newest, _, err := db.ListAudit(ctx, store.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if h.Seq != 2 || len(newest) != 1 || h.Hash != newest[0].Hash {
			t.Errorf("got head %+v, want seq 2 and the newest entry's hash (%+v)", h, newest)
		}
	})
}

// TestBackupExportSnapshot: the head read with the snapshot stays what the
// snapshot saw while others write.
func TestBackupExportSnapshot(t *testing.T) {
	db := storetest.Open(t, storetest.Postgres)
	ctx := context.Background()
	mustOrg(t, db, "Provider Ltd", account.Provider)
	want, err := db.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := db.ExportSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustOrg(t, db, "Customer A", account.Customer)
	if err := snap.Close(); err != nil {
		t.Fatal(err)
	}
	if snap.Head != want || snap.ID == "" {
		t.Errorf("got snapshot %q with head %+v, want an id and head %+v", snap.ID, snap.Head, want)
	}
	if _, err := storetest.Open(t, storetest.SQLite).ExportSnapshot(ctx); err == nil {
		t.Error("ExportSnapshot on SQLite: got no error")
	}
}
