package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Files are stored once per content, whole, byte for byte, and only
// with the transaction that stores them.
func TestBlobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		data := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 0xff, 'x'}, 1000)...)
		f, err := files.Upload{Field: "file", Name: "policy.pdf", Data: data}.Check(1 << 20)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			copyName := f
			copyName.Name = []string{"policy.pdf", "same-content.pdf"}[i]
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.PutBlob(ctx, copyName, data) }); err != nil {
				t.Fatalf("put %d: %v", i, err)
			}
		}
		n, size, err := db.BlobStats(ctx)
		if err != nil || n != 1 || size != int64(len(data)) {
			t.Fatalf("after storing the same content twice: got %d files, %d bytes, %v; want 1 and %d", n, size, err, len(data))
		}
		got, err := db.Blob(ctx, f.Hash)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read back: got %d bytes, %v; want the %d stored", len(got), err, len(data))
		}
		other := []byte("%PDF-1.4 another")
		of := files.File{Hash: files.Hash(other), Name: "b.pdf", Type: "application/pdf", Size: int64(len(other))}
		boom := errors.New("the record failed")
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.PutBlob(ctx, of, other); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("failing unit: got %v", err)
		}
		if _, err := db.Blob(ctx, of.Hash); !errs.Is(err, errs.NotFound) {
			t.Errorf("a file stored by a unit that failed: got %v, want not found", err)
		}
	})
}
