package store

import (
	"context"
	"fmt"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
)

// Services is the services table; their customers live in
// service_customers.
var Services = NewTable(TableDef[sms.Service]{
	Name: "services", Entity: sms.ServiceKind.Entity,
	Columns: []Column[sms.Service]{
		Col("name", func(s *sms.Service) any { return &s.Name }),
		Col("owner_id", func(s *sms.Service) any { return &s.OwnerID }),
		Col("description", func(s *sms.Service) any { return &s.Description }),
		Col("status", func(s *sms.Service) any { return &s.Status }),
	},
	Unique:      []Unique{{Index: "services_name", Field: "name", Reason: "is already used by another service"}},
	ForeignKeys: []ForeignKey{{Column: "owner_id", Field: "owner_id", Reason: "names no user"}},
	Sets: []IDSet[sms.Service]{{Table: "service_customers", Owner: "service_id", Member: "organisation_id",
		Field: func(s *sms.Service) *[]int64 { return &s.CustomerIDs },
		Missing: func(id int64) error {
			return errs.Field("customer_ids", fmt.Sprintf("names organisation %d, which does not exist", id))
		}}},
})

// GetService reads one service with its customers.
func (db *DB) GetService(ctx context.Context, id int64) (sms.Service, error) {
	return Services.Get(ctx, db.reader(), id)
}

// ServiceFilter narrows a listing of services.
type ServiceFilter struct {
	IDs        []int64
	Query      string // part of the name
	OwnerID    int64
	Status     string
	CustomerID int64
	Cursor     string
	Limit      int
}

// ListServices returns a page of services by id, with their customers.
func (db *DB) ListServices(ctx context.Context, f ServiceFilter) ([]sms.Service, string, error) {
	w := whereBuilder{}
	if err := w.cursorAfter("id", f.Cursor); err != nil {
		return nil, "", err
	}
	if f.IDs != nil {
		w.in("id", f.IDs)
	}
	if f.Query != "" {
		w.add("lower(name) LIKE ?", likePattern(f.Query))
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.CustomerID != 0 {
		w.add("id IN (SELECT service_id FROM service_customers WHERE organisation_id = ?)", f.CustomerID)
	}
	return Services.List(ctx, db.reader(), w, f.Limit)
}

// CreateService adds a service with its customers and its audit entry.
func (tx *Tx) CreateService(ctx context.Context, actor access.Actor, s *sms.Service) error {
	return Services.Insert(ctx, tx, actor, s)
}

// UpdateService changes a service read at version (0: any).
func (tx *Tx) UpdateService(ctx context.Context, actor access.Actor, id, version int64, change func(*sms.Service) error) (sms.Service, error) {
	_, after, err := Services.Update(ctx, tx, actor, id, version, change)
	return after, err
}

// DeleteService removes a service read at version (0: any).
func (tx *Tx) DeleteService(ctx context.Context, actor access.Actor, id, version int64, check func(sms.Service) error) error {
	_, err := Services.Delete(ctx, tx, actor, id, version, check)
	return err
}

// ScopesNaming lists, in the transaction, the revisions of the scope that
// name a service, by revision.
func (tx *Tx) ScopesNaming(ctx context.Context, serviceID int64) ([]int64, error) {
	return Scopes.IDsWhere(ctx, tx, "id IN (SELECT scope_id FROM scope_services WHERE service_id = ?)", serviceID)
}
