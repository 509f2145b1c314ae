package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

func runExport(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "evidence-pack" {
		return runEvidencePack(ctx, e, args[1:])
	}
	fs := flags(e, "export", "--out DIR [--data-dir DIR | --database URL]\n       conform export evidence-pack --audit AUD-000012 --out FILE.zip",
		"Write every record, kind by kind, and the whole audit trail to DIR as JSON lines\n"+
			"(<kind>.jsonl, audit.jsonl) and as CSV (<kind>.csv), for archiving or for a user\n"+
			"leaving Conform. Secrets (password hashes, token hashes, session cookies) are never\n"+
			"written. DIR must not exist yet; its files are readable by their owner alone.\n"+
			"With evidence-pack, write one audit's evidence pack as a ZIP instead (conform export\n"+
			"evidence-pack --help).")
	out := fs.String("out", "", "`folder` to write the export to; it must not exist yet")
	var d dbFlags
	d.register(fs)
	fs.require("out")
	if err := fs.parse(args); err != nil {
		return err
	}
	dir := absPath(*out)
	if _, err := os.Lstat(dir); err == nil {
		return errs.E(errs.Conflict, "%s already exists; an export never writes into an existing folder", dir)
	}
	db, err := d.open(ctx, quietLogger(e))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	for _, x := range store.Exporters() {
		n, err := exportKind(ctx, db, dir, x)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%-14s %d\n", x.Name, n)
	}
	n, err := exportAudit(ctx, db, filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-14s %d entries\nexported to %s\n", "audit trail", n, dir)
	return nil
}

// exportKind writes one kind as JSON lines and as CSV, the CSV's columns
// being the JSON fields of the first record (lists joined with ";").
func exportKind(ctx context.Context, db *store.DB, dir string, x store.Exporter) (int, error) {
	jf, err := create(filepath.Join(dir, x.Name+".jsonl"))
	if err != nil {
		return 0, err
	}
	defer jf.Close()
	cf, err := create(filepath.Join(dir, x.Name+".csv"))
	if err != nil {
		return 0, err
	}
	defer cf.Close()
	enc := json.NewEncoder(jf)
	cw := csv.NewWriter(cf)
	var header []string
	n := 0
	err = x.Each(ctx, db, func(rec any) error {
		raw, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if err := enc.Encode(json.RawMessage(raw)); err != nil {
			return err
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return err
		}
		if header == nil {
			for k := range fields {
				header = append(header, k)
			}
			slices.Sort(header)
			if err := cw.Write(header); err != nil {
				return err
			}
		}
		row := make([]string, len(header))
		for i, k := range header {
			row[i] = csvValue(fields[k])
		}
		n++
		return cw.Write(row)
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, errors.Join(jf.Sync(), cf.Sync())
}

// csvValue shows a JSON value in a CSV cell: text as it is, lists joined
// with ";", nothing for null.
func csvValue(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		parts := make([]string, len(list))
		for i, v := range list {
			parts[i] = csvValue(v)
		}
		return strings.Join(parts, ";")
	}
	return string(raw)
}

// exportAudit writes the whole trail, oldest first, with each entry's
// hashes, so that the export itself can be checked.
func exportAudit(ctx context.Context, db *store.DB, path string) (int, error) {
	f, err := create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	n := 0
	err = db.EachAuditEntry(ctx, func(e audit.Entry) error {
		n++
		return enc.Encode(e)
	})
	if err != nil {
		return n, err
	}
	return n, f.Sync()
}

func create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return f, nil
}
