package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/reports"
)

// runEvidencePack writes an audit's evidence pack to a ZIP file.
func runEvidencePack(ctx context.Context, e env, args []string) error {
	fs := flags(e, "export evidence-pack", "--audit AUD-000012 --out FILE.zip [--data-dir DIR | --database URL]",
		"Write an audit's evidence pack to FILE.zip: under one folder, index.html listing every evidence\n"+
			"item of the requirements in the audit's scope by clause, the uploaded evidence files, the\n"+
			"controlled documents' versions in force, the audit report, the held management reviews'\n"+
			"frozen input packs, the linked records as CSV, the audit trail's head at export time, and\n"+
			"MANIFEST.sha256, which `sha256sum -c MANIFEST.sha256` checks in the unzipped folder.\n"+
			"The pack is written as it is read, file by file. FILE must not exist yet.")
	which := fs.String("audit", "", "the `audit`: its number (AUD-000012) or id")
	out := fs.String("out", "", "the ZIP `file` to write; it must not exist yet")
	var d dbFlags
	d.register(fs)
	fs.require("audit", "out")
	if err := fs.parse(args); err != nil {
		return err
	}
	id, err := auditID(*which)
	if err != nil {
		return err
	}
	path := absPath(*out)
	if _, err := os.Lstat(path); err == nil {
		return errs.E(errs.Conflict, "%s already exists; an evidence pack never writes over a file", path)
	}
	db, _, as, err := openAreas(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := as.Assurance.EvidencePack(ctx, access.CLI, id)
	if err != nil {
		return err
	}
	f, err := create(path)
	if err != nil {
		return err
	}
	sum, err := reports.EvidencePackZIP(ctx, f, p, as.Assurance.PackFile)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return errors.Join(err, os.Remove(path))
	}
	fmt.Fprintf(e.stdout, "%s: %d files, %d bytes, %d evidence items and documents\nfolder %s, manifest sha256 %s\naudit trail head: entry %d, %s\nwritten to %s\n",
		assurance.AuditKind.Number(id), sum.Files, sum.Bytes, p.Items(), sum.Root, sum.ManifestSHA256, p.Head.Seq, p.Head.Hash, path)
	return nil
}

// auditID reads an audit's number (AUD-000012) or id.
func auditID(which string) (int64, error) {
	n := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(which)), assurance.AuditKind.Prefix+"-")
	id, err := strconv.ParseInt(n, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field("audit", fmt.Sprintf("%q is not an audit's number (AUD-000012) or id", which))
	}
	return id, nil
}
