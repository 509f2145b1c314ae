package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/files"
)

// Uploads: a page whose form carries a file (ui.Form.Multipart, a field
// of Type "file") is posted as multipart/form-data. Handle reads such a
// form as it reads any other (its fields in r.PostForm) and keeps its
// files for the handler, which takes one with Uploaded and hands it to
// its use case; a file over the size limit arrives marked TooLarge, so
// the use case refuses it naming the field. A file is served back with
// ServeFile, by a route that has read the record it belongs to.

type uploadsKey struct{}

// Uploaded is the file posted in field, if one was.
func Uploaded(ctx context.Context, field string) (files.Upload, bool) {
	ups, _ := ctx.Value(uploadsKey{}).(map[string]files.Upload)
	up, ok := ups[field]
	return up, ok
}

// WithUpload returns ctx carrying up as the file posted in its field, for
// tests and for handlers that read a file another way.
func WithUpload(ctx context.Context, up files.Upload) context.Context {
	ups, _ := ctx.Value(uploadsKey{}).(map[string]files.Upload)
	next := map[string]files.Upload{up.Field: up}
	for k, v := range ups {
		if k != up.Field {
			next[k] = v
		}
	}
	return context.WithValue(ctx, uploadsKey{}, next)
}

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// parseMultipart reads a multipart form: its values into r.PostForm and
// r.Form, its files, each read up to maxFile bytes (the rest is read and
// dropped, the file marked TooLarge), into the returned request's
// context. The whole body may be at most twice maxFile and a form's
// worth more; beyond, it is refused as too large.
func parseMultipart(w http.ResponseWriter, r *http.Request, maxFile int64) (*http.Request, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 2*maxFile+maxForm)
	mr, err := r.MultipartReader()
	if err != nil {
		return r, err
	}
	post, ups := url.Values{}, map[string]files.Upload{}
	var valueBytes int64
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return r, err
		}
		name := part.FormName()
		if name == "" {
			part.Close()
			continue
		}
		if part.FileName() == "" {
			v, err := io.ReadAll(io.LimitReader(part, maxForm-valueBytes+1))
			if err != nil {
				return r, err
			}
			if valueBytes += int64(len(v)); valueBytes > maxForm {
				return r, &http.MaxBytesError{Limit: maxForm}
			}
			post.Add(name, string(v))
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, maxFile+1))
		if err != nil {
			return r, err
		}
		up := files.Upload{Field: name, Name: part.FileName(), Data: data}
		if int64(len(data)) > maxFile {
			up.Data, up.TooLarge = nil, true
			if _, err := io.Copy(io.Discard, part); err != nil {
				return r, err
			}
		}
		ups[name] = up
	}
	r.PostForm = post
	r.Form = url.Values{}
	for k, v := range r.URL.Query() {
		r.Form[k] = v
	}
	for k, v := range post {
		r.Form[k] = append(r.Form[k], v...)
	}
	return r.WithContext(context.WithValue(r.Context(), uploadsKey{}, ups)), nil
}

// multipartCSRF finds the _csrf field of a multipart form, which must be
// its first part (ui-form puts it first), reading no further than the
// start of the body, which it leaves for the handler to read whole.
func multipartCSRF(r *http.Request) string {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return ""
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(r.Body, head)
	head = head[:n]
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	part, err := multipart.NewReader(bytes.NewReader(head), params["boundary"]).NextPart()
	if err != nil || part.FormName() != "_csrf" || part.FileName() != "" {
		return ""
	}
	v, err := io.ReadAll(io.LimitReader(part, 256))
	if err != nil {
		return ""
	}
	return string(v)
}

// ServeFile answers with a stored file as a download, never as something
// the browser would show or run: as an attachment under its name, with
// the type it was stored as (one of files' allow-list, else a plain byte
// stream), no sniffing and a sandbox for anything that opens it anyway.
// The caller has checked that the reader may see it.
func ServeFile(w http.ResponseWriter, r *http.Request, f files.File, data []byte) {
	h := w.Header()
	h.Set("Content-Type", files.SafeType(f.Type))
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disp == "" {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+f.Hash+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// StreamFile answers a file made as it is sent (an evidence pack): the
// headers of a download, then write's output as it comes. An error once
// sending has begun can no longer become an error page: the connection
// is cut (http.ErrAbortHandler), so the client sees a broken download
// rather than a file that looks whole.
func (p *Pages) StreamFile(w http.ResponseWriter, r *http.Request, name, contentType string, write func(io.Writer) error) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if err := write(w); err != nil {
		p.log.ErrorContext(r.Context(), "download cut short", "path", r.URL.Path, "file", name, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// UploadError says, for a multipart form that could not be read, why.
func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return errs.E(errs.Invalid, "the form could not be read: %s", strings.TrimPrefix(err.Error(), "multipart: "))
}
