package restapi

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
)

// Organisation is the provider that owns the installation or a customer it serves.
type Organisation struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind" enum:"provider,customer"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

func orgOut(o account.Organisation) Organisation {
	return Organisation{ID: o.ID, Name: o.Name, Kind: string(o.Kind), Description: o.Description, CreatedAt: o.CreatedAt, CreatedBy: o.CreatedBy,
		UpdatedAt: o.UpdatedAt, UpdatedBy: o.UpdatedBy, Version: o.Version}
}

type orgCreateIn struct {
	Body struct {
		Name        string `json:"name" maxLength:"200"`
		Kind        string `json:"kind,omitempty" enum:"provider,customer" doc:"customer (the default) or provider; there is exactly one provider."`
		Description string `json:"description,omitempty" maxLength:"4000"`
	}
}

type orgPatchIn struct {
	IDParam
	IfMatch
	Body struct {
		Name        *string `json:"name,omitempty" maxLength:"200"`
		Description *string `json:"description,omitempty" maxLength:"4000"`
	}
}

type orgListIn struct {
	PageParams
	Kind string `query:"kind" enum:"provider,customer," doc:"Only organisations of this kind."`
	Q    string `query:"q" maxLength:"100" doc:"Part of the name."`
}

func (api *API) registerOrganisations() {
	k := account.OrganisationKind
	RegisterList(api, k, "Requesters see only their own organisation.",
		func(ctx context.Context, actor access.Actor, in *orgListIn) ([]account.Organisation, string, error) {
			return api.app.ListOrganisations(ctx, actor, store.OrganisationFilter{Kind: account.OrgKind(in.Kind), Query: in.Q, Cursor: in.Cursor, Limit: in.Limit})
		}, orgOut)
	RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *orgCreateIn) (account.Organisation, error) {
		return api.app.CreateOrganisation(ctx, actor, account.OrganisationInput{Name: in.Body.Name, Kind: account.OrgKind(in.Body.Kind), Description: in.Body.Description})
	}, orgOut)
	RegisterGet(api, k, api.app.GetOrganisation, orgOut)
	RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *orgPatchIn, version int64) (account.Organisation, error) {
		return api.app.UpdateOrganisation(ctx, actor, in.ID, version, account.OrganisationUpdate{Name: in.Body.Name, Description: in.Body.Description})
	}, orgOut)
	RegisterDelete(api, k, "", "Only a customer organisation without users can be deleted.", api.app.DeleteOrganisation)
	api.RegisterHistory(k)
}
