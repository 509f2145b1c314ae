package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// CheckpointConfig says where the key that signs audit checkpoints comes
// from and where each checkpoint goes. The key and the log are kept out of
// the database on purpose: someone who can rewrite the database should not
// also be able to sign for it, nor rewrite the record of what was signed.
type CheckpointConfig struct {
	// Key is the signing key itself (PEM, or the base64 of its 32-byte
	// seed), for a key handed over in the environment; it wins over KeyFile.
	Key string
	// KeyFile holds the signing key; it is generated, readable by its
	// owner alone, if it does not exist (and Key is empty).
	KeyFile string
	// Log is the file each checkpoint is appended to as a line of JSON.
	Log string
	// URL, if set, is sent each checkpoint as a JSON POST.
	URL string
	// Client posts to URL; nil means a client with a 10-second timeout.
	Client *http.Client
}

// enabled reports whether a key is configured at all.
func (c CheckpointConfig) enabled() bool { return c.Key != "" || c.KeyFile != "" }

// loadCheckpointKey reads the signing key, generating the key file on
// first use.
func loadCheckpointKey(cfg CheckpointConfig, log interface{ Warn(string, ...any) }) (ed25519.PrivateKey, error) {
	if cfg.Key != "" {
		k, err := audit.ParsePrivateKey(cfg.Key)
		if err != nil {
			return nil, errs.Field("checkpoint_key", err.Error())
		}
		return k, nil
	}
	raw, err := os.ReadFile(cfg.KeyFile)
	if errors.Is(err, os.ErrNotExist) {
		return generateKeyFile(cfg.KeyFile)
	}
	if err != nil {
		return nil, errs.Field("checkpoint_key_file", "cannot be read: "+err.Error())
	}
	if fi, err := os.Stat(cfg.KeyFile); err == nil && fi.Mode().Perm()&0o077 != 0 {
		log.Warn("the audit checkpoint key file is readable by others; make it readable by its owner alone (chmod 600)",
			"file", cfg.KeyFile, "mode", fi.Mode().Perm().String())
	}
	k, err := audit.ParsePrivateKey(string(raw))
	if err != nil {
		return nil, errs.Field("checkpoint_key_file", err.Error())
	}
	return k, nil
}

func generateKeyFile(path string) (ed25519.PrivateKey, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, errs.Field("checkpoint_key_file", "cannot be created: "+err.Error())
	}
	key, pemBytes, err := audit.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("generate audit checkpoint key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		// Another process made it first: use theirs.
		raw, rerr := os.ReadFile(path)
		if rerr != nil {
			return nil, errs.Field("checkpoint_key_file", "cannot be read: "+rerr.Error())
		}
		k, perr := audit.ParsePrivateKey(string(raw))
		if perr != nil {
			return nil, errs.Field("checkpoint_key_file", perr.Error())
		}
		return k, nil
	}
	if err != nil {
		return nil, errs.Field("checkpoint_key_file", "cannot be created: "+err.Error())
	}
	if _, err := f.Write(pemBytes); err != nil {
		f.Close()
		return nil, fmt.Errorf("write audit checkpoint key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write audit checkpoint key: %w", err)
	}
	return key, f.Close()
}

func (a *App) checkpointKey() (ed25519.PrivateKey, error) {
	if a.checkpointSigner == nil {
		return nil, errs.E(errs.Invalid, "audit checkpoints are not set up: no signing key is configured")
	}
	return a.checkpointSigner, nil
}

// CheckpointPublicKey is the public half of the signing key, if one is
// configured.
func (a *App) CheckpointPublicKey() (ed25519.PublicKey, bool) {
	if a.checkpointSigner == nil {
		return nil, false
	}
	return a.checkpointSigner.Public().(ed25519.PublicKey), true
}

// Checkpoint signs the audit chain's head as it is now and records the
// checkpoint: appended to the log file, kept in the database for display,
// and posted to the URL if one is set. A checkpoint that reached the log
// file but not the URL is returned with the error.
func (a *App) Checkpoint(ctx context.Context, actor access.Actor) (audit.Checkpoint, error) {
	if err := Require(actor, access.AuditVerify, "sign an audit checkpoint"); err != nil {
		return audit.Checkpoint{}, err
	}
	key, err := a.checkpointKey()
	if err != nil {
		return audit.Checkpoint{}, err
	}
	head, err := a.db.AuditHead(ctx)
	if err != nil {
		return audit.Checkpoint{}, err
	}
	cp := audit.Sign(key, head.Seq, head.Hash, a.db.Now())
	line, err := json.Marshal(cp)
	if err != nil {
		return cp, err
	}
	cfg := a.cfg.Checkpoints
	if cfg.Log != "" {
		if err := appendLine(cfg.Log, line); err != nil {
			return cp, err
		}
	}
	if err := a.db.AddCheckpoint(ctx, cp); err != nil {
		return cp, err
	}
	if cfg.URL != "" {
		if err := postCheckpoint(ctx, cfg, line); err != nil {
			return cp, err
		}
	}
	return cp, nil
}

// appendLine adds one line to the log and waits until it is on disk.
func appendLine(path string, line []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create checkpoint log folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open checkpoint log: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("append to checkpoint log: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("append to checkpoint log: %w", err)
	}
	return f.Close()
}

func postCheckpoint(ctx context.Context, cfg CheckpointConfig, line []byte) error {
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.URL, bytes.NewReader(line))
	if err != nil {
		return fmt.Errorf("post checkpoint: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("post checkpoint to %s: %w", cfg.URL, err)
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("post checkpoint to %s: answered %s", cfg.URL, resp.Status)
	}
	return nil
}

// CheckpointReport is the outcome of holding the trail to its checkpoints.
type CheckpointReport struct {
	Chain    store.VerifyResult        // the chain's own check
	Checked  int                       // checkpoints held to the trail
	Problems []audit.CheckpointProblem // each checkpoint that failed
}

// VerifyCheckpoints walks the chain, then holds it to each checkpoint
// (from a log kept outside the database), whose signature must verify
// with the trusted public key. The chain alone cannot show that it was not
// rewritten and re-hashed, cut short or rolled back; the checkpoints can.
func (a *App) VerifyCheckpoints(ctx context.Context, actor access.Actor, lines []audit.Line, trusted ed25519.PublicKey) (CheckpointReport, error) {
	var rep CheckpointReport
	if err := Require(actor, access.AuditVerify, "verify the audit trail"); err != nil {
		return rep, err
	}
	var err error
	if rep.Chain, err = a.db.VerifyAudit(ctx); err != nil {
		return rep, err
	}
	seqs := make([]int64, 0, len(lines))
	for _, l := range lines {
		seqs = append(seqs, l.Seq)
	}
	slices.Sort(seqs)
	hashes, last, err := a.db.AuditHashes(ctx, slices.Compact(seqs))
	if err != nil {
		return rep, err
	}
	for _, l := range lines {
		rep.Checked++
		if p := audit.CheckCheckpoint(l, trusted, hashes, last); p != nil {
			rep.Problems = append(rep.Problems, *p)
		}
	}
	return rep, nil
}

// CheckpointStatus is what the audit verification page and the API show
// of the checkpoints: the public key to keep a copy of, and the latest
// checkpoint held to the trail as it is now.
type CheckpointStatus struct {
	Enabled      bool
	PublicKey    string // ed25519:<base64>
	PublicKeyPEM string
	Latest       *audit.Checkpoint
	// LatestProblem says why the latest checkpoint does not hold, "" if
	// it does (or there is none).
	LatestProblem string
}

// CheckpointStatus reads the public key and the latest checkpoint.
func (a *App) CheckpointStatus(ctx context.Context, actor access.Actor) (CheckpointStatus, error) {
	var st CheckpointStatus
	if err := Require(actor, access.AuditVerify, "verify the audit trail"); err != nil {
		return st, err
	}
	pub, ok := a.CheckpointPublicKey()
	if !ok {
		return st, nil
	}
	st.Enabled, st.PublicKey, st.PublicKeyPEM = true, audit.PublicKeyText(pub), audit.PublicKeyPEM(pub)
	cp, ok, err := a.db.LatestCheckpoint(ctx)
	if err != nil || !ok {
		return st, err
	}
	st.Latest = &cp
	hashes, last, err := a.db.AuditHashes(ctx, []int64{cp.Seq})
	if err != nil {
		return st, err
	}
	if p := audit.CheckCheckpoint(audit.Line{Checkpoint: cp}, pub, hashes, last); p != nil {
		st.LatestProblem = p.Reason
	}
	return st, nil
}
