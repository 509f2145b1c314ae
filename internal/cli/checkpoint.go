package cli

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// checkpointKeyEnv holds the signing key itself. It has no flag: a key on
// the command line would show in the process list.
const checkpointKeyEnv = "CONFORM_CHECKPOINT_KEY"

// Default names, in the data folder, of the key file and the log.
const (
	defaultKeyFile = "audit-checkpoint.key"
	defaultLogFile = "audit-checkpoints.jsonl"
)

// checkpointFields names the flag (or variable) behind each checkpoint field.
var checkpointFields = map[string]string{
	"checkpoint_key":      "$" + checkpointKeyEnv,
	"checkpoint_key_file": "--checkpoint-key-file",
	"checkpoint_log":      "--checkpoint-log",
	"checkpoint_url":      "--checkpoint-url",
	"checkpoint_every":    "--checkpoint-every",
	"checkpoints":         "--checkpoints",
	"public_key":          "--public-key",
}

// checkpointFlags are the settings of signed audit checkpoints, shared by
// serve and the audit commands.
type checkpointFlags struct {
	keyFile string
	log     string
	url     string
}

const checkpointAbout = "The signing key is read from $" + checkpointKeyEnv + " (PEM, or the base64 of a 32-byte\n" +
	"Ed25519 seed) if set, else from --checkpoint-key-file, which is generated (mode 0600) on first use."

func (c *checkpointFlags) register(fs *flagSet) {
	fs.StringVar(&c.keyFile, "checkpoint-key-file", "", "`file` holding the Ed25519 key that signs audit checkpoints, kept outside the database (default "+defaultKeyFile+" in --data-dir)")
	fs.StringVar(&c.log, "checkpoint-log", "", "`file` each signed checkpoint is appended to as a JSON line (default "+defaultLogFile+" in --data-dir)")
	fs.StringVar(&c.url, "checkpoint-url", "", "`URL` each signed checkpoint is also POSTed to as JSON (optional)")
	fs.fromEnv("checkpoint-key-file", "checkpoint-log", "checkpoint-url")
}

// config resolves the defaults in the data folder and checks the URL.
func (c *checkpointFlags) config(e env, d *dbFlags) (app.CheckpointConfig, error) {
	cfg := app.CheckpointConfig{Key: e.getenv(checkpointKeyEnv), KeyFile: c.keyFile, Log: c.log, URL: c.url}
	if cfg.KeyFile == "" {
		cfg.KeyFile = filepath.Join(d.dataDir, defaultKeyFile)
	}
	if cfg.Log == "" {
		cfg.Log = filepath.Join(d.dataDir, defaultLogFile)
	}
	if cfg.URL != "" {
		u, err := url.Parse(cfg.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, errs.Field("checkpoint_url", "must be an http:// or https:// URL")
		}
	}
	return cfg, nil
}

// keyExists reports whether a signing key is there, without making one.
func keyExists(cfg app.CheckpointConfig) bool {
	if cfg.Key != "" {
		return true
	}
	_, err := os.Stat(cfg.KeyFile)
	return err == nil
}

var auditCheckpointFields = mergeFields(dbFields, checkpointFields)

func mergeFields(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func runAuditCheckpoint(ctx context.Context, e env, args []string) error {
	fs := flags(e, "audit checkpoint", "[--data-dir DIR | --database URL] [flags]",
		"Sign the audit chain's head (its newest entry's number and hash, and the time) with the\n"+
			"checkpoint key, append the checkpoint to the log and POST it to --checkpoint-url if set.\n"+
			"serve does this every --checkpoint-every. Keep the log, and a copy of the public key,\n"+
			"where whoever can change the database cannot.\n\n"+checkpointAbout)
	var d dbFlags
	d.register(fs)
	var cf checkpointFlags
	cf.register(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	cfg, err := cf.config(e, &d)
	if err != nil {
		return err
	}
	db, a, err := openApp(ctx, &d, quietLogger(e), app.Config{Checkpoints: cfg})
	if err != nil {
		return err
	}
	defer db.Close()
	cp, err := a.Checkpoint(ctx, access.CLI)
	if cp.Signature != "" {
		fmt.Fprintf(e.stdout, "signed checkpoint of entry %d (hash %s) at %s\nappended to %s\npublic key %s\n",
			cp.Seq, cp.Hash, cp.At.Format(time.RFC3339), absPath(cfg.Log), cp.Key)
	}
	return err
}

func runAuditKey(ctx context.Context, e env, args []string) error {
	fs := flags(e, "audit key", "[--data-dir DIR] [--checkpoint-key-file FILE]",
		"Print the public key that checks audit checkpoints, as text and as PEM, for an auditor\n"+
			"to keep a copy of.\n\n"+checkpointAbout)
	var d dbFlags
	d.register(fs)
	var cf checkpointFlags
	cf.register(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	cfg, err := cf.config(e, &d)
	if err != nil {
		return err
	}
	db, a, err := openApp(ctx, &d, quietLogger(e), app.Config{Checkpoints: cfg})
	if err != nil {
		return err
	}
	defer db.Close()
	pub, _ := a.CheckpointPublicKey()
	fmt.Fprintf(e.stdout, "%s\n%s", audit.PublicKeyText(pub), audit.PublicKeyPEM(pub))
	return nil
}

// trustedKey is the public key checkpoints are checked with: the one
// given (as text, or a file holding it), else the installation's own,
// which is never generated here.
func trustedKey(e env, given string, cfg app.CheckpointConfig) (ed25519.PublicKey, string, error) {
	if given != "" {
		if pub, err := audit.ParsePublicKey(given); err == nil {
			return pub, "given", nil
		}
		raw, err := os.ReadFile(given)
		if err != nil {
			return nil, "", errs.Field("public_key", "is neither a public key (ed25519:<base64>) nor a file that can be read")
		}
		pub, err := audit.ParsePublicKey(string(raw))
		if err != nil {
			return nil, "", errs.Field("public_key", "names a file that "+err.Error())
		}
		return pub, "given", nil
	}
	if !keyExists(cfg) {
		return nil, "", errs.Field("public_key", "is needed: there is no checkpoint key at "+cfg.KeyFile+" (nor in $"+checkpointKeyEnv+"); give the public key you kept")
	}
	var priv ed25519.PrivateKey
	var err error
	if cfg.Key != "" {
		priv, err = audit.ParsePrivateKey(cfg.Key)
		if err != nil {
			return nil, "", errs.Field("checkpoint_key", err.Error())
		}
	} else {
		raw, rerr := os.ReadFile(cfg.KeyFile)
		if rerr != nil {
			return nil, "", errs.Field("checkpoint_key_file", "cannot be read: "+rerr.Error())
		}
		if priv, err = audit.ParsePrivateKey(string(raw)); err != nil {
			return nil, "", errs.Field("checkpoint_key_file", err.Error())
		}
	}
	return priv.Public().(ed25519.PublicKey), "the installation's", nil
}

// verifyCheckpoints holds the trail to the checkpoints in file.
func verifyCheckpoints(ctx context.Context, e env, a *app.App, file string, pub ed25519.PublicKey, whose string) error {
	f, err := os.Open(file)
	if err != nil {
		return errs.Field("checkpoints", "cannot be read: "+err.Error())
	}
	lines, err := audit.ReadCheckpoints(f)
	f.Close()
	if err != nil {
		return errs.Field("checkpoints", err.Error())
	}
	if len(lines) == 0 {
		return errs.Field("checkpoints", "holds no checkpoint")
	}
	rep, err := a.VerifyCheckpoints(ctx, access.CLI, lines, pub)
	if err != nil {
		return err
	}
	broken := reportChain(e, rep.Chain)
	for _, p := range rep.Problems {
		fmt.Fprintf(e.stdout, "%s\n", p.Error())
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintf(e.stdout, "checkpoints FAILED: %d of %d do not hold (checked with %s public key %s)\n", len(rep.Problems), rep.Checked, whose, audit.PublicKeyText(pub))
		return errFailed
	}
	fmt.Fprintf(e.stdout, "checkpoints hold: all %d signed with %s public key %s and matched by the trail\n", rep.Checked, whose, audit.PublicKeyText(pub))
	if broken {
		return errFailed
	}
	return nil
}

// reportChain prints the chain's own check and reports whether it broke.
func reportChain(e env, res store.VerifyResult) bool {
	if res.Problem != nil {
		fmt.Fprintf(e.stdout, "audit trail BROKEN at entry %d: %s\n%d entries verified before it; the head records %d\n", res.Problem.Seq, res.Problem.Reason, res.Entries, res.HeadSeq)
		return true
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d entries verified\n", res.Entries)
	return false
}
