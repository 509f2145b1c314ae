package store

import (
	"database/sql"
	"encoding/base64"
	"strconv"

	"github.com/conform-itsm/conform/internal/errs"
)

// DefaultLimit and MaxLimit bound a page of any listing.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

var readOnlySnapshot = sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// Cursors are opaque to clients: the key of the last row of a page.
func encodeCursor(key int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k" + strconv.FormatInt(key, 10)))
}

func decodeCursor(s string) (int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && len(raw) > 1 && raw[0] == 'k' {
		if n, err := strconv.ParseInt(string(raw[1:]), 10, 64); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, errs.Field("cursor", "is not a cursor returned by this listing")
}
