package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// The static files (the design system, htmx, our own CSS and JS) are
// served under content-hashed names, /static/app.1a2b3c4d.css, so a
// browser may keep them for a year and still never runs an old copy after
// an upgrade: a changed file gets a new name. Each is compressed once, at
// start, and sent compressed to every browser that accepts gzip.

// asset is one static file, ready to serve.
type asset struct {
	name   string // path under static/, "vendor/tabler.min.css"
	hashed string // the same with the content hash, "vendor/tabler.min.3f2a9c1e.css"
	ctype  string
	raw    []byte
	gz     []byte // nil when compressing does not pay
	etag   string
}

// assets is every static file by plain and hashed name.
type assets struct {
	byName, byHashed map[string]*asset
}

// staticAssets reads, hashes and compresses the embedded static files the
// first time it is called.
var staticAssets = sync.OnceValues(func() (*assets, error) {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	return loadAssets(sub)
})

func loadAssets(files fs.FS) (*assets, error) {
	as := &assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		h := hex.EncodeToString(sum[:4])
		ext := path.Ext(name)
		if strings.HasSuffix(name, ".min"+ext) {
			ext = ".min" + ext
		}
		a := &asset{
			name:   name,
			hashed: strings.TrimSuffix(name, ext) + "." + h + ext,
			ctype:  mime.TypeByExtension(path.Ext(name)),
			raw:    raw,
			etag:   `"` + hex.EncodeToString(sum[:12]) + `"`,
		}
		if a.ctype == "" {
			a.ctype = "application/octet-stream"
		}
		if a.gz, err = compress(raw); err != nil {
			return fmt.Errorf("compress %s: %w", name, err)
		}
		as.byName[name], as.byHashed[a.hashed] = a, a
		return nil
	})
	return as, err
}

// compress gzips b, or returns nil when that saves too little to bother.
func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() > len(b)*9/10 {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// URL is the address to link a static file by: its hashed name.
func (as *assets) URL(name string) string {
	if a, ok := as.byName[name]; ok {
		return "/static/" + a.hashed
	}
	return "/static/" + name
}

// serve answers GET /static/<name>: a hashed name for a year, a plain one
// (an old bookmark, a tool) revalidated every time; anything else is not
// found.
func (as *assets) serve(w http.ResponseWriter, r *http.Request, notFound func()) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	a, ok := as.byHashed[name]
	if ok {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else if a, ok = as.byName[name]; ok {
		w.Header().Set("Cache-Control", "no-cache")
	} else {
		notFound()
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", a.etag)
	h.Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.raw
	if a.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// acceptsGzip reports whether the request accepts a gzip body.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			q, _ = strconv.ParseFloat(v, 64)
		}
		return q > 0
	}
	return false
}
