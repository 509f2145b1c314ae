package restapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// The operations every kind of record has (list, create, read, change,
// delete, history) are declared here once and take their paths, names
// and permissions from the kind's declaration (package record). A kind's
// file adds its own input and output types and what is its own.

// KindPath is a kind's collection, /api/v1/teams.
func KindPath(k record.Kind) string { return "/api/v1/" + k.Path() }

// ItemPath is one record of a kind, /api/v1/teams/{id}.
func ItemPath(k record.Kind) string { return KindPath(k) + "/{id}" }

// phrase puts a label inside a sentence: "Teams" becomes "teams", but an
// acronym stays: "API tokens".
func phrase(label string) string {
	word, _, _ := strings.Cut(label, " ")
	if len(word) > 1 && strings.ToUpper(word) == word {
		return label
	}
	return strings.ToLower(label[:1]) + label[1:]
}

// one is the kind with its article, for summaries: "a team", "an
// organisation", "an API token".
func one(k record.Kind) string {
	label := phrase(k.Label)
	if strings.ContainsRune("aeioAEIO", rune(label[0])) {
		return "an " + label
	}
	return "a " + label
}

func version(v any) int64 {
	if b, ok := v.(record.Based); ok {
		return b.Base().Version
	}
	return 0
}

// RegisterList adds GET /api/v1/<kind>, paged by cursor.
func RegisterList[I, T, O any](api *API, k record.Kind, description string,
	list func(ctx context.Context, actor access.Actor, in *I) ([]T, string, error), out func(T) O) {
	Register(api, k.Read, huma.Operation{OperationID: "list-" + k.Path(), Method: http.MethodGet, Path: KindPath(k), Tags: []string{k.Plural},
		Summary: "List " + phrase(k.Plural), Description: description},
		func(ctx context.Context, actor access.Actor, in *I) (*ListOutput[O], error) {
			items, next, err := list(ctx, actor, in)
			if err != nil {
				return nil, err
			}
			return listOutput(KindPath(k), mapSlice(items, out), next), nil
		})
}

// RegisterCreate adds POST /api/v1/<kind>, answering 201 with the record,
// its location and ETag.
func RegisterCreate[I, T, O any](api *API, k record.Kind, description string,
	create func(ctx context.Context, actor access.Actor, in *I) (T, error), out func(T) O) {
	Register(api, k.Write, huma.Operation{OperationID: "create-" + k.Entity, Method: http.MethodPost, Path: KindPath(k), Tags: []string{k.Plural},
		Summary: "Create " + one(k), Description: description, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor access.Actor, in *I) (*Created[O], error) {
			v, err := create(ctx, actor, in)
			if err != nil {
				return nil, err
			}
			b := any(&v).(record.Based).Base()
			return &Created[O]{ETag: etag(b.Version), Location: fmt.Sprintf("%s/%d", KindPath(k), b.ID), Body: out(v)}, nil
		})
}

// RegisterGet adds GET /api/v1/<kind>/{id}, answering with the record and
// its ETag.
func RegisterGet[T, O any](api *API, k record.Kind, get func(ctx context.Context, actor access.Actor, id int64) (T, error), out func(T) O) {
	Register(api, k.Read, huma.Operation{OperationID: "get-" + k.Entity, Method: http.MethodGet, Path: ItemPath(k), Tags: []string{k.Plural},
		Summary: "Read " + one(k)},
		func(ctx context.Context, actor access.Actor, in *IDParam) (*Tagged[O], error) {
			v, err := get(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &Tagged[O]{ETag: etag(version(&v)), Body: out(v)}, nil
		})
}

// RegisterUpdate adds PATCH /api/v1/<kind>/{id}. Its input type embeds
// IDParam and IfMatch; update gets the id, the version the caller read (0:
// any) and the input.
func RegisterUpdate[I any, PI interface {
	*I
	ifMatch() IfMatch
}, T, O any](api *API, k record.Kind, description string,
	update func(ctx context.Context, actor access.Actor, in PI, version int64) (T, error), out func(T) O) {
	Register(api, k.Write, huma.Operation{OperationID: "update-" + k.Entity, Method: http.MethodPatch, Path: ItemPath(k), Tags: []string{k.Plural},
		Summary: "Change " + one(k), Description: strings.TrimSpace("Send only the fields to change. " + description)},
		func(ctx context.Context, actor access.Actor, in *I) (*Tagged[O], error) {
			rec, err := atVersions(PI(in).ifMatch(), func(v int64) (T, error) { return update(ctx, actor, PI(in), v) })
			if err != nil {
				return nil, err
			}
			return &Tagged[O]{ETag: etag(version(&rec)), Body: out(rec)}, nil
		})
}

// RegisterDelete adds DELETE /api/v1/<kind>/{id}, which takes If-Match.
// verb names what deleting does to this kind ("" for delete, "revoke").
func RegisterDelete(api *API, k record.Kind, verb, description string,
	del func(ctx context.Context, actor access.Actor, id, version int64) error) {
	if verb == "" {
		verb = "delete"
	}
	Register(api, k.Write, huma.Operation{OperationID: verb + "-" + k.Entity, Method: http.MethodDelete, Path: ItemPath(k), Tags: []string{k.Plural},
		Summary: strings.ToUpper(verb[:1]) + verb[1:] + " " + one(k), Description: description, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, actor access.Actor, in *struct {
			IDParam
			IfMatch
		}) (*NoContent, error) {
			_, err := atVersions(in.IfMatch, func(v int64) (struct{}, error) { return struct{}{}, del(ctx, actor, in.ID, v) })
			return &NoContent{}, err
		})
}

// RegisterHistory adds GET /api/v1/<kind>/{id}/history.
func (api *API) RegisterHistory(k record.Kind) {
	Register(api, k.Read, huma.Operation{OperationID: "history-" + k.Entity, Method: http.MethodGet, Path: ItemPath(k) + "/history", Tags: []string{"Audit trail"},
		Summary: "History of " + one(k), Description: "The audit entries of one record, newest first; also for deleted records."},
		func(ctx context.Context, actor access.Actor, in *struct {
			IDParam
			PageParams
		}) (*ListOutput[AuditEntry], error) {
			es, next, err := api.app.History(ctx, actor, k.Entity, in.ID, in.Cursor, in.Limit)
			if err != nil {
				return nil, err
			}
			return listOutput(fmt.Sprintf("%s/%d/history", KindPath(k), in.ID), mapSlice(es, entryOut), next), nil
		})
}

// RegisterTransition adds POST /api/v1/<kind>/{id}/<verb>, a step of the
// kind's lifecycle (approve, close), which takes If-Match and answers
// with the record as it became and its ETag. perm is who may take the
// step, which need not be the kind's write permission.
func RegisterTransition[T, O any](api *API, k record.Kind, perm access.Permission, verb, summary, description string,
	step func(ctx context.Context, actor access.Actor, id, version int64) (T, error), out func(T) O) {
	Register(api, perm, huma.Operation{OperationID: verb + "-" + k.Entity, Method: http.MethodPost, Path: ItemPath(k) + "/" + verb, Tags: []string{k.Plural},
		Summary: summary, Description: description},
		func(ctx context.Context, actor access.Actor, in *struct {
			IDParam
			IfMatch
		}) (*Tagged[O], error) {
			rec, err := atVersions(in.IfMatch, func(v int64) (T, error) { return step(ctx, actor, in.ID, v) })
			if err != nil {
				return nil, err
			}
			return &Tagged[O]{ETag: etag(version(&rec)), Body: out(rec)}, nil
		})
}
