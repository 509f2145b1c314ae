package restapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
)

// collection describes a kind of record served under /api/v1/<name>, so
// that the operations every record has are declared once.
type collection struct {
	name   string // path segment, plural: "teams"
	entity string // singular, as in the audit trail: "team"
	tag    string // OpenAPI tag
	one    string // with its article, for summaries: "a team", "an organisation"
}

func (c collection) path() string     { return "/api/v1/" + c.name }
func (c collection) itemPath() string { return "/api/v1/" + c.name + "/{id}" }

// registerGet adds GET /api/v1/<name>/{id}, answering with the record and
// its ETag.
func registerGet[T, O any](api *API, c collection, perm access.Permission, get func(ctx context.Context, actor access.Actor, id int64) (T, error),
	out func(T) O, version func(T) int64) {
	register(api, perm, huma.Operation{OperationID: "get-" + c.entity, Method: http.MethodGet, Path: c.itemPath(), Tags: []string{c.tag},
		Summary: "Read " + c.one},
		func(ctx context.Context, actor access.Actor, in *IDParam) (*Tagged[O], error) {
			v, err := get(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[O]{ETag: etag(version(v)), Body: out(v)}, nil
		})
}

// registerUpdate adds PATCH /api/v1/<name>/{id}. Its input type embeds
// IDParam and IfMatch; update gets the id, the version the caller read (0:
// any) and the input.
func registerUpdate[I any, PI interface {
	*I
	version() (int64, error)
}, T, O any](api *API, c collection, perm access.Permission, description string,
	update func(ctx context.Context, actor access.Actor, in PI, version int64) (T, error), out func(T) O, version func(T) int64) {
	register(api, perm, huma.Operation{OperationID: "update-" + c.entity, Method: http.MethodPatch, Path: c.itemPath(), Tags: []string{c.tag},
		Summary: "Change " + c.one, Description: strings.TrimSpace("Send only the fields to change. " + description)},
		func(ctx context.Context, actor access.Actor, in *I) (*Tagged[O], error) {
			v, err := PI(in).version()
			if err != nil {
				return nil, err
			}
			rec, err := update(ctx, actor, PI(in), v)
			if err != nil {
				return nil, err
			}
			return &Tagged[O]{ETag: etag(version(rec)), Body: out(rec)}, nil
		})
}

// registerDelete adds DELETE /api/v1/<name>/{id}, which takes If-Match.
func registerDelete(api *API, c collection, perm access.Permission, description string,
	del func(ctx context.Context, actor access.Actor, id, version int64) error) {
	register(api, perm, huma.Operation{OperationID: "delete-" + c.entity, Method: http.MethodDelete, Path: c.itemPath(), Tags: []string{c.tag},
		Summary: "Delete " + c.one, Description: description, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, actor access.Actor, in *struct {
			IDParam
			IfMatch
		}) (*NoContent, error) {
			v, err := in.version()
			if err != nil {
				return nil, err
			}
			return &NoContent{}, del(ctx, actor, in.ID, v)
		})
}

// created answers a create with the record's location and ETag.
func created[O any](c collection, id, version int64, body O) *Created[O] {
	return &Created[O]{ETag: etag(version), Location: fmt.Sprintf("%s/%d", c.path(), id), Body: body}
}
