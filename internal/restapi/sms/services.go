package sms

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Service is a service the provider delivers.
type Service struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	OwnerID     int64     `json:"owner_id" doc:"The user who answers for the service."`
	Description string    `json:"description"`
	Status      string    `json:"status" enum:"planned,live,retired"`
	CustomerIDs []int64   `json:"customer_ids" doc:"The organisations the service is delivered to."`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

func serviceOut(s sms.Service) Service {
	return Service{ID: s.ID, Name: s.Name, OwnerID: s.OwnerID, Description: s.Description, Status: s.Status, CustomerIDs: s.CustomerIDs,
		CreatedAt: s.CreatedAt, CreatedBy: s.CreatedBy, UpdatedAt: s.UpdatedAt, UpdatedBy: s.UpdatedBy, Version: s.Version}
}

type serviceCreateIn struct {
	Body struct {
		Name        string  `json:"name" maxLength:"200"`
		OwnerID     int64   `json:"owner_id" minimum:"1"`
		Description string  `json:"description,omitempty" maxLength:"4000"`
		Status      string  `json:"status,omitempty" enum:"planned,live,retired" doc:"live when left out."`
		CustomerIDs []int64 `json:"customer_ids,omitempty" maxItems:"1000" doc:"The customers' organisation ids."`
	}
}

type servicePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Name        *string  `json:"name,omitempty" maxLength:"200"`
		OwnerID     *int64   `json:"owner_id,omitempty" minimum:"1"`
		Description *string  `json:"description,omitempty" maxLength:"4000"`
		Status      *string  `json:"status,omitempty" enum:"planned,live,retired"`
		CustomerIDs *[]int64 `json:"customer_ids,omitempty" maxItems:"1000" doc:"The whole list of customers: it replaces the one stored."`
	}
}

type serviceListIn struct {
	restapi.PageParams
	Q          string `query:"q" maxLength:"100" doc:"Part of the name."`
	OwnerID    int64  `query:"owner_id" minimum:"0" doc:"Only this user's services."`
	Status     string `query:"status" enum:"planned,live,retired"`
	CustomerID int64  `query:"customer_id" minimum:"0" doc:"Only services delivered to this organisation."`
}

// registerServices adds the services' operations.
func registerServices(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.ServiceKind
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *serviceListIn) ([]sms.Service, string, error) {
		return c.ListServices(ctx, actor, store.ServiceFilter{Query: in.Q, OwnerID: in.OwnerID, Status: in.Status, CustomerID: in.CustomerID, Cursor: in.Cursor, Limit: in.Limit})
	}, serviceOut)
	restapi.RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *serviceCreateIn) (sms.Service, error) {
		b := in.Body
		return c.CreateService(ctx, actor, sms.ServiceInput{Name: b.Name, OwnerID: b.OwnerID, Description: b.Description, Status: b.Status, CustomerIDs: b.CustomerIDs})
	}, serviceOut)
	restapi.RegisterGet(api, k, c.GetService, serviceOut)
	restapi.RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *servicePatchIn, version int64) (sms.Service, error) {
		b := in.Body
		return c.UpdateService(ctx, actor, in.ID, version, sms.ServiceUpdate{Name: b.Name, OwnerID: b.OwnerID, Description: b.Description, Status: b.Status, CustomerIDs: b.CustomerIDs})
	}, serviceOut)
	restapi.RegisterDelete(api, k, "", "Refused (409) while a revision of the scope names the service: retire it instead.", c.DeleteService)
	api.RegisterHistory(k)
}
