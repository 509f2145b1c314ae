// Package record is the contract every kind of record in Conform is
// written against: the bookkeeping every record carries (Meta) and the
// declaration of a kind (Kind), from which the audit trail, the history
// pages, the navigation, the home page and the authorization tests read
// what they need. It knows nothing of SQL or HTTP.
package record

import (
	"fmt"
	"time"
)

// Meta is what every record carries.
type Meta struct {
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy int64     `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy int64     `json:"updated_by"`
	Version   int64     `json:"version"`
}

// Base returns the record's bookkeeping; every struct embedding Meta has
// it, which is how generic code finds a record's id and version.
func (m *Meta) Base() *Meta { return m }

// Based is a record: a pointer to a struct that embeds Meta.
type Based interface{ Base() *Meta }

// Number formats a human number such as TEAM-000012.
func Number(prefix string, id int64) string {
	if prefix == "" || id <= 0 {
		return fmt.Sprintf("%d", id)
	}
	return fmt.Sprintf("%s-%06d", prefix, id)
}
