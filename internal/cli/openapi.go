package cli

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/conform-itsm/conform/internal/restapi"
)

// runOpenAPI prints the API's OpenAPI 3.1 document, generated from the same
// code that serves the API (as /api/openapi.json does), for client
// generators and linters.
func runOpenAPI(_ context.Context, e env, args []string) error {
	fs := flags(e, "openapi", "",
		"Print the JSON API's OpenAPI 3.1 document, as GET /api/openapi.json serves it.")
	if err := fs.parse(args); err != nil {
		return err
	}
	api := restapi.Mount(http.NewServeMux(), nil, version())
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(api.OpenAPI())
}
