package cli

import (
	"bufio"
	"context"
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
	fs := flags(e, "demo", "demo [--data-dir DIR | --database URL]")
	var d dbFlags
	d.register(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	db, a, err := openApp(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demo.Load(ctx, a); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo organisation loaded into %s\nsign in as %s with password %s\n", db.Where(), demo.AdminEmail, demo.Password)
	return nil
}

func runUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: conform user create --email ADDRESS --name NAME --role ROLE [--password-stdin | --no-password]")
		return errUsage
	}
	fs := flags(e, "user create", "user create --email ADDRESS --name NAME --role ROLE [flags]")
	var d dbFlags
	d.register(fs)
	email := fs.String("email", "", "sign-in address (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "", "one of "+strings.Join(roleNames(), ", ")+" (required)")
	org := fs.Int64("organisation-id", 0, "organisation of the user; default: the provider organisation")
	provider := fs.String("provider-name", "Service provider", "name for the provider organisation if the installation has none yet")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of prompting")
	noPW := fs.Bool("no-password", false, "create the user without a password (API tokens only until one is set)")
	if err := parse(e, fs, args[1:]); err != nil {
		return err
	}
	var pw string
	if !*noPW {
		var err error
		if pw, err = readPassword(e, *pwStdin); err != nil {
			return err
		}
	}
	in := account.UserInput{Email: *email, Name: *name, Role: access.Role(*role), OrgID: *org, Password: pw}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return err
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
		return "", errs.Field("password-stdin", "is needed when standard input is not a terminal (or use --no-password)")
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

func runToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: conform token create --user ADDRESS --name NAME [--expires YYYY-MM-DD]")
		return errUsage
	}
	fs := flags(e, "token create", "token create --user ADDRESS --name NAME [flags]")
	var d dbFlags
	d.register(fs)
	user := fs.String("user", "", "email of the user the token acts for (required)")
	name := fs.String("name", "", "what the token is for, e.g. ci (required)")
	expires := fs.String("expires", "", "date the token stops working, YYYY-MM-DD; never if empty")
	if err := parse(e, fs, args[1:]); err != nil {
		return err
	}
	var c errs.Checker
	c.Check(*user != "", "user", "is required")
	in := account.TokenInput{Name: *name}
	if *expires != "" {
		t, err := time.Parse("2006-01-02", *expires)
		if c.Check(err == nil, "expires", "must be a date such as 2027-01-31") {
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
	u, err := db.UserByEmail(ctx, account.NormalizeEmail(*user))
	if errs.Is(err, errs.NotFound) {
		return errs.Field("user", "names no user")
	} else if err != nil {
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

func runAudit(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(e.stderr, "Usage: conform audit verify [--data-dir DIR | --database URL]")
		return errUsage
	}
	fs := flags(e, "audit verify", "audit verify [flags]")
	var d dbFlags
	d.register(fs)
	if err := parse(e, fs, args[1:]); err != nil {
		return err
	}
	db, a, err := openApp(ctx, &d, quietLogger(e), app.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := a.VerifyAudit(ctx, access.CLI)
	if err != nil {
		return err
	}
	if res.Problem != nil {
		fmt.Fprintf(e.stdout, "audit trail BROKEN at entry %d: %s\n%d entries verified before it; the head records %d\n", res.Problem.Seq, res.Problem.Reason, res.Entries, res.HeadSeq)
		return errFailed
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d entries verified\n", res.Entries)
	return nil
}
