package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/files"
)

// PutBlob stores a file's content under its hash, once: a file stored
// already (the same content, whoever uploaded it) is left as it is. The
// caller has checked f against data (files.Upload.Check).
func (tx *Tx) PutBlob(ctx context.Context, f files.File, data []byte) error {
	return tx.write(ctx, "store file", nil,
		"INSERT INTO blobs (hash, size, content_type, data, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
		f.Hash, f.Size, f.Type, data, tx.now)
}

// Blob reads a stored file's content by its hash.
func (db *DB) Blob(ctx context.Context, hash string) ([]byte, error) {
	var data []byte
	if err := db.reader().queryRow(ctx, "SELECT data FROM blobs WHERE hash = ?", hash).Scan(&data); err != nil {
		return nil, notFound(err, "file", hash)
	}
	return data, nil
}

// BlobStats counts the stored files and their bytes.
func (db *DB) BlobStats(ctx context.Context) (count, bytes int64, err error) {
	if err := db.reader().queryRow(ctx, "SELECT count(*), coalesce(sum(size), 0) FROM blobs").Scan(&count, &bytes); err != nil {
		return 0, 0, db.fault(err, "count files")
	}
	return count, bytes, nil
}
