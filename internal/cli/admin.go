package cli

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/errs"
)

func quietLogger(e env) *slog.Logger {
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func runDemo(ctx context.Context, e env, args []string) error {
	fs := flags(e, "demo", "[--data-dir DIR | --database URL]",
		"Load the demo organisation (a provider, customers, users in every role, teams and tokens)\ninto a database that holds no users yet. serve --demo does the same on start.")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	db, a, as, err := openAreas(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demo.Load(ctx, a); err != nil {
		return err
	}
	if err := demo.LoadAreas(ctx, as.SMS, as.Assurance, db); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo organisation loaded into %s\nsign in as %s with password %s\n", db.Where(), demo.AdminEmail, demo.Password)
	return nil
}

// userCreateFields names the flag behind each field user create can report.
var userCreateFields = map[string]string{
	"email":           "--email",
	"name":            "--name",
	"role":            "--role",
	"organisation_id": "--organisation-id",
	"provider_name":   "--provider-name",
	"password_stdin":  "--password-stdin",
	"password":        "the password", // typed at the prompt or read with --password-stdin
}

func runUserCreate(ctx context.Context, e env, args []string) error {
	fs := flags(e, "user create", "--email ADDRESS --name NAME --role ROLE [--password-stdin | --no-password] [flags]",
		"Create a user. Without --organisation-id the user joins the provider organisation,\nwhich is created first if the installation has none. The password is prompted for\ntwice on a terminal, or read from the first line of standard input with --password-stdin.")
	email := fs.String("email", "", "sign-in `address`")
	name := fs.String("name", "", "full `name`")
	role := fs.String("role", "", "`role`: one of "+strings.Join(roleNames(), ", "))
	org := fs.Int64("organisation-id", 0, "`id` of the user's organisation; default: the provider organisation")
	provider := fs.String("provider-name", "Service provider", "`name` for the provider organisation if the installation has none yet")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of prompting")
	noPW := fs.Bool("no-password", false, "create the user without a password (API tokens only until one is set)")
	var d dbFlags
	d.register(fs)
	fs.require("email", "name", "role")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *pwStdin && *noPW {
		fmt.Fprintln(e.stderr, "conform user create: --password-stdin and --no-password exclude each other")
		return errUsage
	}
	in := account.UserInput{Email: *email, Name: *name, Role: access.Role(*role), OrgID: *org}
	in.Normalize()
	// Check the record before asking for a password that would be wasted.
	if err := in.Validate(); err != nil {
		return err
	}
	if in.OrgID == 0 && strings.TrimSpace(*provider) == "" {
		return errs.Field("provider_name", "must not be empty")
	}
	if !*noPW {
		var err error
		if in.Password, err = readPassword(e, *pwStdin); err != nil {
			return err
		}
	}
	db, a, err := openApp(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	if in.OrgID == 0 {
		p, err := a.EnsureProvider(ctx, access.CLI, *provider)
		if err != nil {
			return err
		}
		in.OrgID = p.ID
	}
	u, err := a.CreateUser(ctx, access.CLI, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %d: %s <%s>, role %s\n", u.ID, u.Name, u.Email, u.Role)
	return nil
}

func roleNames() []string {
	out := make([]string, len(access.Roles))
	for i, r := range access.Roles {
		out[i] = string(r)
	}
	return out
}

// readPassword prompts on a terminal (twice, without echo) or reads one
// line from standard input.
func readPassword(e env, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password: %w", err)
		}
		pw := strings.TrimRight(line, "\r\n")
		if err := account.CheckPassword(pw); err != nil {
			return "", errs.Field("password", err.Error())
		}
		return pw, nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errs.Field("password_stdin", "is needed when standard input is not a terminal (or use --no-password)")
	}
	fmt.Fprint(e.stderr, "Password: ")
	p1, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", err
	}
	if err := account.CheckPassword(string(p1)); err != nil {
		return "", errs.Field("password", err.Error())
	}
	fmt.Fprint(e.stderr, "Repeat password: ")
	p2, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", err
	}
	if string(p1) != string(p2) {
		return "", errs.Field("password", "does not match its repetition")
	}
	return string(p1), nil
}

// tokenCreateFields names the flag behind each field token create can report.
var tokenCreateFields = map[string]string{
	"user":       "--user",
	"user_id":    "--user",
	"name":       "--name",
	"expires_at": "--expires",
}

func runTokenCreate(ctx context.Context, e env, args []string) error {
	fs := flags(e, "token create", "--user ADDRESS --name NAME [--expires DATE] [flags]",
		"Create an API token that acts for a user, with that user's role, and print its secret\n(shown this once) on standard output. Send it as Authorization: Bearer <token>.")
	user := fs.String("user", "", "sign-in `address` of the user the token acts for")
	name := fs.String("name", "", "what the token is for, e.g. ci")
	expires := fs.String("expires", "", "`date` the token stops working: YYYY-MM-DD (midnight UTC) or an RFC 3339 time; never if not given")
	var d dbFlags
	d.register(fs)
	fs.require("user", "name")
	if err := fs.parse(args); err != nil {
		return err
	}
	var c errs.Checker
	in := account.TokenInput{Name: *name}
	if *expires != "" {
		t, err := parseExpiry(*expires)
		if c.Check(err == nil, "expires_at", "must be a date such as 2027-01-31 or a time such as 2027-01-31T18:00:00Z") {
			in.ExpiresAt = &t
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	db, a, err := openApp(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	// Report an unknown user and a bad name or expiry together.
	u, err := db.UserByEmail(ctx, account.NormalizeEmail(*user))
	if errs.Is(err, errs.NotFound) {
		c.Add("user", "names no user")
	} else if err != nil {
		return err
	}
	in.Normalize()
	if err := in.Validate(db.Now()); err != nil {
		e := errs.As(err)
		if e == nil {
			return err
		}
		for _, f := range e.Fields {
			c.Add(f.Field, f.Reason)
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	in.UserID = u.ID
	_, secret, err := a.CreateToken(ctx, access.CLI, in)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	return nil
}

func parseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func runAuditVerify(ctx context.Context, e env, args []string) error {
	fs := flags(e, "audit verify", "[--checkpoints FILE [--public-key KEY]] [--data-dir DIR | --database URL]",
		"Walk the audit trail's hash chain from the first entry to the head and name the first\n"+
			"entry that was altered or removed. With --checkpoints, also hold the trail to each signed\n"+
			"checkpoint in FILE: a rewritten (and re-hashed) entry, entries cut from the end and an\n"+
			"older backup restored are named with the checkpoint that shows them. Every checkpoint's\n"+
			"signature is checked with --public-key, or with the installation's own key when it is\n"+
			"not given. Exits 1 if the chain is broken or a checkpoint does not hold.\n\n"+checkpointAbout)
	file := fs.String("checkpoints", "", "checkpoint log `file` (JSON lines, as serve and audit checkpoint write) to hold the trail to")
	pubKey := fs.String("public-key", "", "the checkpoints' public `key` (ed25519:<base64>, or a file holding it or its PEM); default: the installation's")
	var d dbFlags
	d.register(fs)
	var cf checkpointFlags
	cf.register(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	var pub ed25519.PublicKey
	var whose string
	if *file != "" {
		cfg, err := cf.config(e, &d)
		if err != nil {
			return err
		}
		if pub, whose, err = trustedKey(e, *pubKey, cfg); err != nil {
			return err
		}
	} else if *pubKey != "" {
		return errs.Field("public_key", "needs --checkpoints: it checks their signatures")
	}
	db, a, err := openApp(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	if *file != "" {
		return verifyCheckpoints(ctx, e, a, *file, pub, whose)
	}
	res, err := a.VerifyAudit(ctx, access.CLI)
	if err != nil {
		return err
	}
	if reportChain(e, res) {
		return errFailed
	}
	return nil
}
