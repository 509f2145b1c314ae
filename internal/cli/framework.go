package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// positional takes a command's one argument out of args, wherever it
// stands among the flags (each of which takes a value), and returns it
// with the flags left.
func positional(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" && i+1 < len(args) {
			return args[i+1], append(append([]string(nil), args[:i]...), args[i+2:]...)
		}
		if strings.HasPrefix(a, "-") {
			if !strings.Contains(a, "=") && !isHelp(a) {
				i++ // its value
			}
			continue
		}
		return a, append(append([]string(nil), args[:i]...), args[i+1:]...)
	}
	return "", args
}

func runFrameworkList(ctx context.Context, e env, args []string) error {
	fs := flags(e, "framework list", "[--data-dir DIR | --database URL]",
		"List the frameworks of the requirements catalogue: id, code, requirement count and name.\nISO/IEC 20000-1:2018 is built in.")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	db, _, as, err := openAreas(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	fws, _, err := as.SMS.ListFrameworks(ctx, access.CLI, store.FrameworkFilter{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	counts, err := as.SMS.RequirementCounts(ctx, access.CLI)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNUMBER\tCODE\tREQUIREMENTS\tEXCLUSIONS\tNAME")
	for _, f := range fws {
		excl := "not allowed"
		if f.AllowsExclusions {
			excl = "allowed"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", f.ID, sms.FrameworkKind.Number(f.ID), f.Code, counts[f.ID], excl, f.Name)
	}
	return tw.Flush()
}

func runFrameworkImport(ctx context.Context, e env, args []string) error {
	file, args := positional(args)
	fs := flags(e, "framework import", "FILE [--data-dir DIR | --database URL]",
		"Load a framework from FILE (YAML or JSON; docs/frameworks.md describes the format).\n"+
			"A framework whose code is already loaded is brought to what the file says: requirements\n"+
			"and cross-references are matched by their codes and keep their ids, so nothing that\n"+
			"refers to them is lost. All or nothing: each mistake is reported as FILE:LINE, with\n"+
			"the field, and nothing changes.")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if file == "" {
		fmt.Fprintf(e.stderr, "conform framework import: which file? Give the framework file to load.\nRun conform framework import --help for its flags.\n")
		return errUsage
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}
	db, _, as, err := openAreas(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	loaded, err := as.SMS.Import(ctx, access.CLI, data)
	var ps sms.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			where := file
			if p.Line > 0 {
				where += ":" + strconv.Itoa(p.Line)
			}
			msg := p.Reason
			if p.Field != "" {
				msg = p.Field + " " + msg
			}
			fmt.Fprintf(e.stderr, "%s: %s\n", where, msg)
		}
		fmt.Fprintf(e.stderr, "conform framework import: %s was not loaded; nothing changed\n", file)
		return errFailed
	}
	if err != nil {
		return err
	}
	verb := "updated"
	if loaded.New {
		verb = "loaded"
	}
	fmt.Fprintf(e.stdout, "%s %s (%s, id %d)\n", verb, loaded.Framework.Name, loaded.Framework.Code, loaded.Framework.ID)
	fmt.Fprintf(e.stdout, "requirements:     %s\ncross-references: %s\n", counts(loaded.Requirements), counts(loaded.Mappings))
	return nil
}

func counts(c smsapp.Counts) string {
	return fmt.Sprintf("%d added, %d changed, %d removed, %d unchanged", c.Added, c.Changed, c.Removed, c.Unchanged)
}

func runFrameworkExport(ctx context.Context, e env, args []string) error {
	which, args := positional(args)
	fs := flags(e, "framework export", "ID [--out FILE] [--data-dir DIR | --database URL]",
		"Write a framework as a YAML file: its requirements with their guidance and its\n"+
			"cross-references. ID is the framework's id, its number (FRM-000001) or its code\n"+
			"(iso-iec-20000-1-2018). conform framework import reads the file back unchanged.")
	out := fs.String("out", "", "`file` to write; the standard output when not given")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if which == "" {
		fmt.Fprintf(e.stderr, "conform framework export: which framework? Give its id, number or code (conform framework list shows them).\n")
		return errUsage
	}
	db, _, as, err := openAreas(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := frameworkID(ctx, db, which)
	if err != nil {
		return err
	}
	doc, err := as.SMS.Export(ctx, access.CLI, id)
	if err != nil {
		return err
	}
	data, err := sms.Encode(doc)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = e.stdout.Write(data)
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(e.stderr, "wrote %s (%d requirements) to %s\n", doc.Name, doc.Count(), *out)
	return nil
}

// frameworkID finds a framework by id, number or code.
func frameworkID(ctx context.Context, db *store.DB, which string) (int64, error) {
	n := strings.TrimPrefix(strings.ToUpper(which), sms.FrameworkKind.Prefix+"-")
	if id, err := strconv.ParseInt(n, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	f, err := db.FrameworkByCode(ctx, which)
	if errs.Is(err, errs.NotFound) {
		return 0, errs.E(errs.NotFound, "no framework has id, number or code %q; conform framework list shows them", which)
	}
	return f.ID, err
}
