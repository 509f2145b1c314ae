package sms

import (
	"mime"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/restapi"
)

// Uploaded files through the API: the body is the file's bytes
// (application/octet-stream), its name in the query; downloads answer it
// as an attachment that a browser never runs.

// fileOut is a downloaded file.
type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	NoSniff            string `header:"X-Content-Type-Options"`
	CSP                string `header:"Content-Security-Policy"`
	ETag               string `header:"ETag" doc:"The file's SHA-256."`
	Body               []byte
}

// download answers a stored file as an attachment, typed as it was
// stored (or as bytes when the type is not one served as it is), with
// nosniff and a sandboxing Content-Security-Policy.
func download(f files.File, data []byte) *fileOut {
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disp == "" {
		disp = "attachment"
	}
	return &fileOut{ContentType: files.SafeType(f.Type), ContentDisposition: disp, NoSniff: "nosniff", CSP: "sandbox; default-src 'none'",
		ETag: `"` + f.Hash + `"`, Body: data}
}

// fileIn is a file sent as the body, replacing a record's file.
type fileIn struct {
	restapi.IDParam
	restapi.IfMatch
	Name    string `query:"name" maxLength:"255" required:"true" doc:"The file's name, with its extension (policy.pdf): with its content it decides the type."`
	RawBody []byte `contentType:"application/octet-stream"`
}

// upload is the file of a fileIn, refused naming the field body.
func (in *fileIn) upload() files.Upload {
	return files.Upload{Field: "body", Name: in.Name, Data: in.RawBody}
}

// acceptedFiles says which files an upload takes, for the operations'
// descriptions.
func acceptedFiles(api *restapi.API) string {
	return "Accepted: PDF, images (PNG, JPEG, GIF, WebP), text, CSV and office documents (" + files.Accepted() + "), at most " + files.Size(api.App().MaxUpload()) +
		"; the type is detected from the content and must agree with the name's extension. A file refused for its size or type is refused naming the field body, and nothing is written."
}

// fileBodies declares the request bodies of upload operations and the
// answers of downloads as strings of bytes: huma's binary format would
// write contentMediaType, which OpenAPI 3.0 does not know.
func fileBodies(uploads ...*huma.Operation) {
	for _, op := range uploads {
		op.RequestBody.Required = true
		op.RequestBody.Content["application/octet-stream"].Schema = &huma.Schema{Type: "string", Description: "The file's bytes."}
	}
}

// fileAnswer is a download's 200 answer in the OpenAPI document.
var fileAnswer = map[string]*huma.Response{"200": {Description: "The file, as an attachment.",
	Content: map[string]*huma.MediaType{"*/*": {Schema: &huma.Schema{Type: "string", Description: "The file's bytes."}}}}}
