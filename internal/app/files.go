package app

import (
	"context"

	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/store"
)

// Uploaded files, for any kind whose records carry one. A kind's use
// case checks the upload before its transaction (CheckUpload), stores it
// in its transaction with the record that refers to it (StoreFile), and
// serves it only after reading that record with the reader's permission
// (FileContent). Files are stored once per content (store.PutBlob).

// MaxUpload is the size limit of an uploaded file.
func (a *App) MaxUpload() int64 { return a.cfg.MaxUpload }

// CheckUpload checks an upload against the size limit and the types
// Conform keeps; its error names the upload's field and why.
func (a *App) CheckUpload(up files.Upload) (files.File, error) {
	return up.Check(a.cfg.MaxUpload)
}

// StoreFile stores a checked upload's content in tx.
func StoreFile(ctx context.Context, tx *store.Tx, f files.File, up files.Upload) error {
	return tx.PutBlob(ctx, f, up.Data)
}

// FileContent reads a stored file's content. The caller has read the
// record that refers to it, with the reader's permission.
func (a *App) FileContent(ctx context.Context, f files.File) ([]byte, error) {
	return a.db.Blob(ctx, f.Hash)
}
