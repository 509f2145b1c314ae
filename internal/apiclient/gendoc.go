//go:build ignore

// gendoc writes the API's OpenAPI document, downgraded to 3.0 as
// /api/openapi-3.0.json serves it, for the client generator: oapi-codegen
// reads OpenAPI 3.0.
package main

import (
	"bytes"
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/conform-itsm/conform/internal/restapi"
)

func main() {
	doc, err := restapi.Mount(http.NewServeMux(), nil, "client").OpenAPI().Downgrade()
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, doc, "", "  "); err != nil {
		log.Fatal(err)
	}
	out.WriteByte('\n')
	if err := os.WriteFile("openapi-3.0.json", out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
